"""RangeMap: layers, dates, sources, saving by suffix, atomic writes, notebook display."""

from __future__ import annotations

import datetime as dt
import html
import json
from pathlib import Path

import pytest

from rangemap.errors import InputError
from rangemap.reach import Reach
from rangemap.scene import (
    PALETTE,
    Annotation,
    Layer,
    RangeMap,
    View,
)

SUMY = "50.9077, 34.7981=Sumy"
KHARKIV = "49.9935, 36.2304=Kharkiv"


@pytest.fixture(scope="module")
def atacms() -> Reach:
    return Reach.from_system("atacms", [SUMY, KHARKIV])


@pytest.fixture(scope="module")
def block_i() -> Reach:
    return Reach.from_system("atacms:block-i", [SUMY, KHARKIV])


def test_layers_get_palette_colours_in_order(atacms: Reach, block_i: Reach) -> None:
    m = RangeMap(title="ATACMS from Sumy and Kharkiv")
    assert m.add(atacms) is m
    m.add(block_i, opacity=0.3, name="Block I")
    assert [layer.color for layer in m.layers] == list(PALETTE[:2])
    assert m.layers[0].name == atacms.label
    assert m.layers[1].name == "Block I"
    assert m.layers[1].opacity == 0.3
    m.add(Reach.from_distance(100_000, SUMY), color="#009e73")
    assert m.layers[2].color == "#009E73"


def test_constructor_accepts_reaches(atacms: Reach) -> None:
    m = RangeMap([atacms])  # type: ignore[list-item]
    assert isinstance(m.layers[0], Layer)


@pytest.mark.parametrize("color", ["red", "#12345", "#GGGGGG", ""])
def test_bad_colour(atacms: Reach, color: str) -> None:
    with pytest.raises(InputError, match="colour"):
        RangeMap().add(atacms, color=color)


def test_bad_opacity_view_and_annotation(atacms: Reach) -> None:
    with pytest.raises(InputError, match="opacity"):
        RangeMap().add(atacms, opacity=1.5)
    with pytest.raises(InputError, match="zoom"):
        View(36.0, 50.0, 25)
    with pytest.raises(InputError, match="latitude"):
        Annotation("Kursk", 36.19, 123.0)
    with pytest.raises(InputError, match="empty"):
        Annotation("  ", 36.19, 51.73)
    with pytest.raises(InputError, match="not a Reach"):
        RangeMap().add("atacms")  # type: ignore[arg-type]


def test_date_from_systems_unless_given(atacms: Reach) -> None:
    m = RangeMap().add(atacms)
    assert m.date == atacms.as_of
    m.as_of = dt.date(2024, 11, 19)
    assert m.date == dt.date(2024, 11, 19)
    assert RangeMap().add(Reach.from_distance(1000, SUMY)).date is None


def test_sources_in_order_without_repeats(atacms: Reach, block_i: Reach) -> None:
    m = RangeMap().add(atacms).add(block_i)
    sources = m.sources()
    keys = [(s.publisher, s.title) for s in sources]
    assert len(keys) == len(set(keys))
    assert sources[: len(atacms.sources)] == list(atacms.sources)
    assert {(s.publisher, s.title) for s in block_i.sources} <= set(keys)


def test_save_refuses_unknown_suffix_listing_supported(tmp_path: Path, atacms: Reach) -> None:
    m = RangeMap().add(atacms)
    with pytest.raises(InputError, match=r"\.bmp.*not supported.*\.geojson.*\.html"):
        m.save(tmp_path / "map.bmp")
    with pytest.raises(InputError, match="does not exist"):
        m.save(tmp_path / "missing" / "map.html")
    with pytest.raises(InputError, match=r"only \.html"):
        m.save(tmp_path / "map.geojson", embed=True)
    assert list(tmp_path.iterdir()) == []


def test_save_geojson(tmp_path: Path, atacms: Reach) -> None:
    path = RangeMap(title="ATACMS").add(atacms).save(tmp_path / "atacms.geojson")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    assert data["features"][0]["properties"]["system"] == "atacms"


def test_embed_snippet_escapes_and_names_file(atacms: Reach) -> None:
    m = RangeMap(title='Sumy "<b>"').add(atacms)
    snippet = m.embed_snippet('map"><script>.html')
    assert snippet.count("<script") == 1  # the snippet's own listener, nothing else
    assert "&lt;script&gt;" in snippet
    assert 'src="map&quot;&gt;&lt;script&gt;.html"' in snippet
    assert 'title="Sumy &quot;&lt;b&gt;&quot;"' in snippet
    with pytest.raises(InputError, match="aspect"):
        m.embed_snippet("a.html", aspect=10)


def test_repr_html_is_an_escaped_iframe(atacms: Reach) -> None:
    m = RangeMap(title="ATACMS <from> Sumy", basemap="OpenStreetMap.Mapnik").add(atacms)
    shown = m._repr_html_()
    assert shown.startswith("<iframe srcdoc=")
    assert "<script" not in shown
    srcdoc = shown.split('srcdoc="', 1)[1].split('" style=', 1)[0]
    assert html.unescape(srcdoc) == m.to_html()


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")


def test_save_preset_sizes_static_images(tmp_path: Path, atacms: Reach) -> None:
    m = RangeMap(title="ATACMS").add(atacms)
    assert _png_size(m.save(tmp_path / "social.png")) == (1200, 675)
    assert _png_size(m.save(tmp_path / "square.png", preset="square")) == (1080, 1080)
    m.preset = "square"
    assert _png_size(m.save(tmp_path / "from-map.png")) == (1080, 1080)
    assert _png_size(m.save(tmp_path / "given.png", preset="social")) == (1200, 675)
    # The map's own preset does not concern HTML.
    assert m.save(tmp_path / "page.html").read_text(encoding="utf-8").startswith("<!DOCTYPE")


def test_save_refuses_options_that_do_not_apply(tmp_path: Path, atacms: Reach) -> None:
    m = RangeMap(title="ATACMS").add(atacms)
    with pytest.raises(InputError, match=r"^preset: sizes static images, not .*map\.html"):
        m.save(tmp_path / "map.html", preset="square")
    with pytest.raises(InputError, match=r"^max_bytes: limits GeoJSON files, not .*map\.png"):
        m.save(tmp_path / "map.png", max_bytes=5000)
    with pytest.raises(InputError, match=r"preset: 'poster' is not one of"):
        m.save(tmp_path / "map.png", preset="poster")
    assert list(tmp_path.iterdir()) == []


def test_save_geojson_within_max_bytes(tmp_path: Path, atacms: Reach) -> None:
    m = RangeMap(title="ATACMS").add(atacms)
    full = m.save(tmp_path / "full.geojson").stat().st_size
    small = m.save(tmp_path / "small.geojson", max_bytes=full // 2)
    assert small.stat().st_size <= full // 2
    data = json.loads(small.read_text(encoding="utf-8"))
    assert data["features"][0]["properties"]["simplify_tolerance_deg"] > 0


# --- your points, and the places table options ------------------------------------------


def test_add_points_from_any_crs_and_appends() -> None:
    import geopandas
    from shapely.geometry import Point

    kursk = geopandas.GeoDataFrame(
        {"title": ["Kursk"]}, geometry=[Point(36.19, 51.73)], crs="EPSG:4326"
    ).to_crs(3857)
    m = RangeMap().add(Reach.from_distance(300_000, "50.91, 34.80=Sumy"))
    m.add_points(kursk, name="Airfields")
    assert m.points is not None
    assert m.points.frame.crs.to_epsg() == 4326
    assert round(float(m.points.frame.geometry.x.iloc[0]), 6) == 36.19
    moscow = geopandas.GeoDataFrame({"name": ["Moscow"]}, geometry=[Point(37.62, 55.76)], crs=4326)
    table = m.add_points(moscow).points_in_range()
    assert table is not None
    assert table[["name", "in_range"]].values.tolist() == [["Kursk", True], ["Moscow", False]]
    assert m.points.name == "Airfields"


def test_points_in_range_is_none_without_points_or_layers() -> None:
    assert RangeMap().points_in_range() is None


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"exclude": [""]}, "exclude"),
        ({"exclude": [None]}, "exclude"),
        ({"rename": {"Kyiv": ""}}, "rename"),
        ({"rename": "Kyiv"}, "rename"),
        ({"include_origins": "yes"}, "include_origins"),
    ],
)
def test_places_table_options_are_checked(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(InputError, match=match):
        RangeMap().show_places(5, **kwargs)  # type: ignore[arg-type]


def test_places_table_options_are_kept() -> None:
    m = RangeMap().show_places(
        5, exclude="Kursk, RU", rename={"Kyiv": "Kyiv (capital)"}, include_origins=True
    )
    assert m.places is not None
    assert m.places.exclude == ("Kursk, RU",)
    assert m.places.rename == (("Kyiv", "Kyiv (capital)"),)
    assert m.places.include_origins is True
