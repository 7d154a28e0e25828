"""The web map's long-range projection (rangemap.render._webcrs): when, and its parts."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest
import shapely
from pyproj import Transformer

from rangemap import geodesy
from rangemap.reach import Reach
from rangemap.recipes import flagship_recipe, load_recipe
from rangemap.render._webcrs import (
    CRS_NAME,
    CRS_SCRIPT,
    EARTH_RADIUS_M,
    TILES_NOTE,
    WebAeqd,
    choose,
    needs_aeqd,
)
from rangemap.render.html import render_html
from rangemap.scene import RangeMap

KAPUSTIN_YAR = "48.58, 45.73=Kapustin Yar"
MURMANSK = "68.97, 33.08=Murmansk"
ANADYR = "64.73, 177.51=Anadyr"


def _map(distance_m: float, origin: str, **kwargs: object) -> RangeMap:
    return RangeMap(**kwargs).add(Reach.from_distance(distance_m, origin))  # type: ignore[arg-type]


# --- when -------------------------------------------------------------------------------


def test_flagship_stays_in_web_mercator() -> None:
    scene = load_recipe(flagship_recipe())
    assert not needs_aeqd(scene)
    page = render_html(scene)
    assert "RangemapAeqd" not in page
    assert "crs: L.CRS.EPSG3857" in page


@pytest.mark.parametrize(
    ("distance_m", "origin", "expected"),
    [
        (2_400_000, "50.91, 34.80=Sumy", False),
        (2_600_000, "50.91, 34.80=Sumy", True),
        (5_500_000, KAPUSTIN_YAR, True),
        # Encloses the North Pole at only 1,500 km; the South Pole from McMurdo.
        (1_500_000, "78.22, 15.65=Longyearbyen", True),
        (1_500_000, "-77.85, 166.67=McMurdo", True),
        # Crosses 180 degrees but is short: Web Mercator draws it well.
        (1_000_000, ANADYR, False),
    ],
)
def test_switch_rule(distance_m: float, origin: str, expected: bool) -> None:
    assert needs_aeqd(_map(distance_m, origin)) is expected


def test_origins_far_apart_switch() -> None:
    scene = _map(300_000, "38.72, -9.14=Lisbon").add(Reach.from_distance(300_000, "35.68, 139.69"))
    assert needs_aeqd(scene)
    near = _map(300_000, "50.45, 30.52=Kyiv").add(Reach.from_distance(300_000, "52.23, 21.01"))
    assert not needs_aeqd(near)


def test_centre_is_the_origins_middle() -> None:
    crs = choose(_map(5_500_000, KAPUSTIN_YAR))
    assert crs == WebAeqd(45.73, 48.58)
    assert choose(_map(300_000, KAPUSTIN_YAR)) is None


# --- the projection -----------------------------------------------------------------------


def test_forward_and_inverse_match_proj_on_the_sphere() -> None:
    crs = WebAeqd(45.73, 48.58)
    proj = Transformer.from_crs(
        "EPSG:4326",
        f"+proj=aeqd +lat_0=48.58 +lon_0=45.73 +R={EARTH_RADIUS_M} +units=m",
        always_xy=True,
    )
    rng = np.random.default_rng(7)
    lon = rng.uniform(-180, 180, 2000)
    lat = rng.uniform(-89.9, 89.9, 2000)
    x, y = crs.forward(lon, lat)
    px, py = proj.transform(lon, lat)
    # Far from the antipode (where every direction meets) both agree to a millimetre.
    keep = np.hypot(x, y) < 0.95 * np.pi * EARTH_RADIUS_M
    assert keep.sum() > 1800
    assert np.abs(x - px)[keep].max() < 1e-3
    assert np.abs(y - py)[keep].max() < 1e-3
    back_lon, back_lat = crs.inverse(x, y)
    assert np.abs(back_lat - lat)[keep].max() < 1e-9
    dlon = (back_lon - lon + 180) % 360 - 180
    assert np.abs(dlon * np.cos(np.radians(lat)))[keep].max() < 1e-9


def test_distances_from_the_centre_within_half_a_percent() -> None:
    crs = WebAeqd(33.08, 68.97)
    rng = np.random.default_rng(3)
    lon, lat = rng.uniform(-180, 180, 500), rng.uniform(-85, 85, 500)
    x, y = crs.forward(lon, lat)
    geodesic = geodesy.distance_m(np.column_stack([np.full(500, 33.08), np.full(500, 68.97)]),
                                  np.column_stack([lon, lat]))  # fmt: skip
    assert np.max(np.abs(np.hypot(x, y) / geodesic - 1)) < 0.005


def test_script_is_code_with_only_numbers_added() -> None:
    script = WebAeqd(45.73, 48.58).script()
    assert script.startswith(CRS_SCRIPT)
    assert script.endswith(f"L.CRS.{CRS_NAME} = window.rangemapAeqd(48.58, 45.73);\n")
    for mark in ("{{", "{%", "{#", "</script", "</style"):
        assert mark not in script
    # The JavaScript and the Python formulas are the same: the mean radius in both.
    assert f"R = {EARTH_RADIUS_M}" in CRS_SCRIPT


# --- shapes and view ------------------------------------------------------------------------


@pytest.mark.parametrize(("origin", "distance_m"), [(ANADYR, 3_000_000), (MURMANSK, 3_000_000)])
def test_shapes_lose_their_cuts(origin: str, distance_m: float) -> None:
    reach = Reach.from_distance(distance_m, origin)
    crs = choose(RangeMap().add(reach))
    assert crs is not None
    split = reach.geometry
    shape = crs.lonlat(split, reach.tolerance_m)
    assert shape.geom_type == "Polygon"
    assert len(shape.interiors) == 0
    coords = np.asarray(shape.exterior.coords)
    # No vertex added along a pole or a cut: every vertex is on the reach boundary.
    site = reach.origins[0].geometry
    far = geodesy.distance_m(np.column_stack([np.full(len(coords), site.x),
                                              np.full(len(coords), site.y)]), coords)  # fmt: skip
    assert np.abs(far - distance_m).max() < (reach.tolerance_m or 1.0)
    assert np.abs(coords[:, 1]).max() < 89.9


def test_fit_corners_are_the_plane_rectangle() -> None:
    reach = Reach.from_distance(5_500_000, KAPUSTIN_YAR)
    crs = choose(RangeMap().add(reach))
    assert crs is not None
    shape = crs.lonlat(reach.geometry, reach.tolerance_m)
    (lat_a, lon_a), (lat_b, lon_b) = crs.fit([shape], [(45.73, 48.58)])
    # South-west and north-east of the LatLngBounds Leaflet makes of them.
    assert (lat_a <= lat_b) == (lon_a <= lon_b)
    x, y = crs.forward([lon_a, lon_b], [lat_a, lat_b])
    sx, sy = crs.forward(*np.asarray(shape.exterior.coords).T)
    assert x[0] == pytest.approx(sx.min(), abs=20)
    assert x[1] == pytest.approx(sx.max(), abs=20)
    assert y[0] == pytest.approx(sy.min(), abs=20)
    assert y[1] == pytest.approx(sy.max(), abs=20)
    # A ring: its rectangle is a square within the sphere's 0.5 %.
    assert (x[1] - x[0]) / (y[1] - y[0]) == pytest.approx(1, abs=0.01)


def test_basemap_is_clipped_to_a_disc_without_its_edge() -> None:
    crs = WebAeqd(177.51, 64.73)
    fit = [[40.0, 150.0], [80.0, 230.0]]
    fills, lines, labels, note, digits = crs.basemap(fit, [(177.51, 64.73)])
    assert "Natural Earth" in note
    assert digits in (2, 3)
    assert len(labels) <= 14
    ends = np.concatenate([shapely.get_coordinates(f) for f in fills])
    radius = np.hypot(*crs.forward(ends[:, 0], ends[:, 1]))
    # Clipped to a disc at most 16,000 km (plus the sphere's difference from the ellipsoid).
    assert radius.max() < 16_000_000 * 1.005
    border = np.concatenate([shapely.get_coordinates(ln) for ln in lines])
    border_r = np.hypot(*crs.forward(border[:, 0], border[:, 1]))
    assert border_r.max() < radius.max() * 0.9995  # the disc's edge is not stroked


# --- the page -------------------------------------------------------------------------------


def test_long_range_page_defines_the_crs_before_the_map() -> None:
    page = render_html(_map(5_500_000, KAPUSTIN_YAR, title="Oreshnik"))
    define = page.index(f"L.CRS.{CRS_NAME} = window.rangemapAeqd(48.58, 45.73);")
    use = page.index(f"crs: L.CRS.{CRS_NAME}")
    assert page.index("<body>") > define  # a head script
    assert use > define
    assert TILES_NOTE not in page
    # The fitted view is the ring's square, named by two corners.
    fit = re.search(r'"fit":\[\[([-\d.]+),([-\d.]+)\],\[([-\d.]+),([-\d.]+)\]\]', page)
    assert fit is not None


def test_tiles_give_way_with_one_warning_and_a_note() -> None:
    scene = _map(5_500_000, KAPUSTIN_YAR, basemap="OpenStreetMap.Mapnik")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        page = render_html(scene)
    assert [str(w.message) for w in caught if "tiles" in str(w.message)] == [
        "tiles: 'OpenStreetMap.Mapnik' cannot be shown on this map, which uses an azimuthal "
        "equidistant projection so that long ranges stay round; the bundled basemap is "
        "drawn instead"
    ]
    assert TILES_NOTE in page
    assert "tile.openstreetmap.org" not in page
    # Below the threshold the tiles are drawn as before, with no warning.
    short = _map(300_000, KAPUSTIN_YAR, basemap="OpenStreetMap.Mapnik")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        page = render_html(short)
    assert not [w for w in caught if "tiles" in str(w.message)]
    assert "tile.openstreetmap.org" in page
    assert TILES_NOTE not in page


def test_long_range_page_is_deterministic() -> None:
    scene = _map(3_000_000, MURMANSK)
    assert render_html(scene) == render_html(scene)
