from __future__ import annotations

import io
import math
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyproj import Geod
from shapely.geometry import LineString, Point

from rangemap.errors import InputError, RangemapError
from rangemap.reach import Reach
from rangemap.recipes import flagship_recipe, load_recipe
from rangemap.render import static
from rangemap.scene import RangeMap

PIL = pytest.importorskip("PIL.Image", reason="Pillow (test extra) reads the PNG output")
pypdf = pytest.importorskip("pypdf", reason="pypdf (test extra) reads the PDF output")
pytest.importorskip("matplotlib", reason="static export needs the 'static' extra")

GEOD = Geod(ellps="WGS84")
SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "$x^2$ <script>alert(1)</script> ${a} `b` & \\n"


@pytest.fixture(scope="module")
def demo() -> RangeMap:
    return load_recipe(flagship_recipe())


@pytest.fixture(scope="module")
def hostile() -> RangeMap:
    m = RangeMap(title=f"Title {HOSTILE}", subtitle=HOSTILE, credit=HOSTILE)
    m.add(Reach.from_distance(300_000, "49.99, 36.23=Kharkiv"), name=f"Layer {HOSTILE}")
    m.annotate(f"Note {HOSTILE}", 36.6, 50.6)
    return m


def _svg_text(data: bytes) -> str:
    root = ET.fromstring(data)
    return " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))


# --- images of the demo map --------------------------------------------------------------


@pytest.mark.parametrize("preset", ["social", "square", "print"])
def test_png_has_the_preset_size(demo: RangeMap, preset: str) -> None:
    data = static.render_static(demo, format="png", preset=preset)
    image = PIL.open(io.BytesIO(data))
    image.load()
    assert image.format == "PNG"
    width, height = static.PRESETS[preset].pixels
    if preset == "print":  # print grows taller to fit its text at 6 pt
        assert image.size[0] == width
        assert height <= image.size[1] <= 3 * height
    else:
        assert image.size == (width, height)
    assert image.info.get("dpi", (0, 0))[0] == pytest.approx(static.PRESETS[preset].dpi, abs=1)
    assert "Software" not in image.info


def test_preset_pixels() -> None:
    assert static.PRESETS["social"].pixels == (1200, 675)
    assert static.PRESETS["square"].pixels == (1080, 1080)
    assert static.PRESETS["print"].dpi == 300


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_rerendering_gives_identical_bytes(demo: RangeMap, fmt: static.StaticFormat) -> None:
    first = static.render_static(demo, format=fmt)
    second = static.render_static(demo, format=fmt)
    assert first == second


def test_rerendering_in_a_new_process_gives_identical_bytes(demo: RangeMap, tmp_path: Path) -> None:
    code = (
        "import sys; from rangemap.recipes import flagship_recipe, load_recipe; "
        "from rangemap.render.static import render_static; "
        "sys.stdout.buffer.write(render_static(load_recipe(flagship_recipe()), format=sys.argv[1]))"
    )
    for fmt in ("png", "svg"):
        done = subprocess.run(
            [sys.executable, "-c", code, fmt], capture_output=True, check=True, timeout=120
        )
        assert done.stdout == static.render_static(demo, format=fmt)


def test_svg_parses_and_carries_every_text(demo: RangeMap) -> None:
    data = static.render_static(demo, format="svg")
    text = " ".join(_svg_text(data).split())
    assert demo.title is not None
    assert demo.title in text
    for layer in demo.layers:
        assert layer.name.split(":")[0] in text
    for source in demo.sources():
        assert source.publisher in text
    assert "Measured from Sumy, Kharkiv" in text
    assert "Ranges as reported up to 25 November 2024." in text
    for place in ("Kursk", "Belgorod", "Cities in range: Voronezh", "Population of listed cities"):
        assert place in text
    assert "Places: GeoNames (geonames.org), CC BY 4.0." in text
    assert b"<dc:date>" not in data


def test_pdf_opens_with_one_page_of_the_preset_size(demo: RangeMap) -> None:
    data = static.render_static(demo, format="pdf", preset="print")
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(7.0 * 72)
    assert 6.0 * 72 <= float(box.height) <= 18.0 * 72  # grown to fit the text at 6 pt
    text = " ".join(reader.pages[0].extract_text().split())
    assert "What ATACMS missiles can reach" in text
    assert "Sources" in text
    info = reader.metadata or {}
    assert "/CreationDate" not in info
    assert "/ModDate" not in info


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils (pdfinfo) not found")
def test_pdfinfo_reads_the_pdf(demo: RangeMap, tmp_path: Path) -> None:
    path = demo.save(tmp_path / "atacms.pdf")
    done = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert re.search(r"^Pages:\s+1$", done.stdout, flags=re.MULTILINE)


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_rangemap_save_writes_static_images(
    demo: RangeMap, tmp_path: Path, fmt: static.StaticFormat
) -> None:
    path = demo.save(tmp_path / f"atacms.{fmt}")
    preset = "print" if fmt == "pdf" else "social"
    assert path.read_bytes() == static.render_static(demo, format=fmt, preset=preset)


def test_save_static_with_a_preset(demo: RangeMap, tmp_path: Path) -> None:
    path = static.save_static(demo, tmp_path / "atacms-square.png", preset="square")
    with PIL.open(path) as image:
        assert image.size == (1080, 1080)
    assert list(tmp_path.iterdir()) == [path]


def test_custom_preset(demo: RangeMap) -> None:
    full_hd = static.Preset("full-hd", 10.0, 5.625, 192)
    with PIL.open(io.BytesIO(static.to_png(demo, preset=full_hd))) as image:
        assert image.size == (1920, 1080)


def test_custom_preset_too_small_for_readable_text_is_refused(demo: RangeMap) -> None:
    banner = static.Preset("banner", 6.0, 2.0, 100)
    with pytest.raises(InputError, match=r"do not fit a 'banner' image \(600x200 px\)"):
        static.to_png(demo, preset=banner)


def test_hostile_text_is_drawn_as_written(hostile: RangeMap) -> None:
    data = static.to_svg(hostile)
    text = _svg_text(data)
    assert "$x^2$" in text
    assert "<script>alert(1)</script>" in text
    assert "${a}" in text
    assert b"<script" not in data
    PIL.open(io.BytesIO(static.to_png(hostile))).load()


def test_map_without_layers_still_renders() -> None:
    m = RangeMap(title="Kyiv")
    m.annotate("Kyiv", 30.52, 50.45)
    assert static.to_png(m).startswith(b"\x89PNG")


# --- errors ----------------------------------------------------------------------------------


def test_unknown_preset_is_refused(demo: RangeMap) -> None:
    with pytest.raises(InputError, match="preset: 'poster' is not one of 'social'"):
        static.render_static(demo, preset="poster")


def test_unknown_format_is_refused(demo: RangeMap) -> None:
    unsupported: Any = "jpg"
    with pytest.raises(InputError, match="format: 'jpg' is not one of"):
        static.render_static(demo, format=unsupported)


def test_save_static_refuses_other_suffixes(demo: RangeMap, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"suffix must be \.png, \.svg or \.pdf"):
        static.save_static(demo, tmp_path / "atacms.jpg")


def test_missing_matplotlib_says_how_to_install(
    demo: RangeMap, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(RangemapError, match=r'pip install "rangemap\[static\]"'):
        static.render_static(demo)


# --- geometry in the projection ------------------------------------------------------------


def test_ring_around_the_centre_is_a_true_circle() -> None:
    reach = Reach.from_distance(300_000, "50.45, 30.52=Kyiv")
    disc = static.project_reach(reach, static.aeqd_transformer(30.52, 50.45))
    radii = [math.hypot(x, y) for x, y in disc.exterior.coords]
    assert reach.tolerance_m == 30.0
    assert max(radii) == pytest.approx(300_000, abs=reach.tolerance_m / 2)
    assert min(radii) == pytest.approx(300_000, abs=reach.tolerance_m / 2)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lon=st.floats(-180, 180),
    lat=st.floats(-89.5, 89.5),
    radius_km=st.floats(50, 6000),
    bearing=st.floats(0, 360),
    offset_km=st.floats(0, 2000),
)
def test_projected_vertices_lie_on_the_geodesic_circle(
    lon: float, lat: float, radius_km: float, bearing: float, offset_km: float
) -> None:
    """The reach's own vertices: back in lon/lat, each is within the tolerance of the radius."""
    origin = Point(lon, lat)
    c_lon, c_lat, _ = GEOD.fwd(lon, lat, bearing, offset_km * 1000)
    reach = Reach.from_distance(radius_km * 1000, origin)
    transformer = static.aeqd_transformer(c_lon, c_lat)
    disc = static.project_reach(reach, transformer)
    assert disc.geom_type == "Polygon"
    assert disc.is_valid
    xy = shapely.get_coordinates(disc.exterior)
    lons, lats = transformer.transform(xy[:, 0], xy[:, 1], direction="INVERSE")
    _, _, dist = GEOD.inv([lon] * len(lons), [lat] * len(lats), lons, lats)
    assert reach.tolerance_m is not None
    assert max(abs(d - radius_km * 1000) for d in dist) < reach.tolerance_m


@pytest.mark.parametrize(
    ("place", "lon", "lat", "radius_km"),
    [
        ("Anadyr", 177.51, 64.73, 1000),  # crosses ±180
        ("Murmansk", 33.08, 68.97, 3000),  # encloses the North Pole
        ("Suva", 178.44, -18.14, 2000),  # crosses ±180 in the south
    ],
)
def test_rings_across_the_antimeridian_and_poles_have_no_seam(
    place: str, lon: float, lat: float, radius_km: float
) -> None:
    reach = Reach.from_distance(radius_km * 1000, f"{lat}, {lon}={place}")
    assert reach.geometry.geom_type == "MultiPolygon" or place == "Murmansk"
    disc = static.project_reach(reach, static.aeqd_transformer(lon, lat))
    assert disc.geom_type == "Polygon"
    assert len(disc.interiors) == 0
    assert disc.area == pytest.approx(math.pi * (radius_km * 1000) ** 2, rel=2e-4)


def test_annulus_keeps_its_hole() -> None:
    reach = Reach.from_distance(500_000, "49.99, 36.23=Kharkiv", min_distance_m=100_000)
    ring = static.project_reach(reach, static.aeqd_transformer(36.23, 49.99))
    assert len(ring.interiors) == 1
    assert ring.area == pytest.approx(math.pi * (500_000**2 - 100_000**2), rel=2e-4)


def test_front_line_reach_is_merged_into_one_shape() -> None:
    front = LineString([(36.2, 50.4), (37.6, 49.2), (38.0, 48.0), (37.3, 47.1)])
    reach = Reach.from_distance(100_000, front)
    lon, lat = front.centroid.x, front.centroid.y
    shape = static.project_reach(reach, static.aeqd_transformer(lon, lat))
    assert shape.geom_type == "Polygon"
    assert shape.is_valid
    # Every point of the line is inside its own reach.
    projected = static.project_reach(
        Reach.from_distance(1_000, front), static.aeqd_transformer(lon, lat)
    )
    assert shape.contains(projected)


def test_spread_reach_projects_both_figures() -> None:
    reach = Reach.from_system("atacms:long-range", "50.91, 34.80=Sumy", show="spread")
    transformer = static.aeqd_transformer(34.80, 50.91)
    outer = static.project_reach(reach, transformer)
    inner = static.project_reach(reach, transformer, inner=True)
    assert reach.low_distance_m is not None
    assert outer.contains(inner)
    assert inner.area == pytest.approx(math.pi * reach.low_distance_m**2, rel=2e-4)


def test_map_center_is_between_the_origins(demo: RangeMap) -> None:
    lon, lat = static.map_center(demo)
    assert 34.79 < lon < 36.24
    assert 49.99 < lat < 50.91


def test_map_center_across_the_antimeridian() -> None:
    m = RangeMap()
    m.add(Reach.from_distance(500_000, ["64.73, 177.51=Anadyr", "64.56, -172.28=Provideniya"]))
    lon, _ = static.map_center(m)
    assert abs(lon) > 170
