"""The web map's projection for long ranges: azimuthal equidistant, as a Leaflet CRS.

Web Mercator stretches a 5,500 km ring into a slab with vertical sides at ±180 and a
flat top. When a map's reach is long (:func:`needs_aeqd`), the HTML map is drawn
instead in an azimuthal equidistant projection (AEQD) centred on the origins, where
a reach ring stays round. What this module owns:

- :func:`needs_aeqd`: when to switch: a reach longer than :data:`LONG_REACH_M`, a
  reach that encloses a pole, or a map whose content spans more than
  :data:`WIDE_SPAN_M` of great circle.
- :class:`WebAeqd`: the projection of one map: its centre, the spherical forward and
  inverse formulas (mirrored by the page's JavaScript, :data:`CRS_SCRIPT`), the
  view to fit (:meth:`WebAeqd.fit`), reach shapes without seams
  (:meth:`WebAeqd.lonlat`), the bundled basemap clipped to a disc around the centre
  (:meth:`WebAeqd.basemap`), and the head script that defines ``L.CRS.RangemapAeqd``
  before the map is created (:meth:`WebAeqd.script`, which the page assembler runs
  after Leaflet as rangemap's own code, never as template source).

The page data stays in longitude and latitude; Leaflet projects it with this CRS.
The drawing uses a sphere of the mean Earth radius: distances from the centre are
within about 0.5 % of the geodesic ones (the reach shapes themselves are computed
on the ellipsoid). No web tiles exist in this projection: a map asked to use them
is drawn on the bundled basemap, says so, and warns once (:data:`TILES_NOTE`).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from rangemap.escaping import quote
from rangemap.render._aeqd import aeqd_transformer, areal, map_center, merge_parts, project

if TYPE_CHECKING:
    from pyproj import Transformer

    from rangemap.scene import RangeMap

__all__ = [
    "CRS_NAME",
    "CRS_SCRIPT",
    "EARTH_RADIUS_M",
    "LONG_REACH_M",
    "TILES_NOTE",
    "WIDE_SPAN_M",
    "WebAeqd",
    "choose",
    "needs_aeqd",
]

#: A reach longer than this is drawn in AEQD on the web map.
LONG_REACH_M = 2_500_000.0
#: A map whose content spans more than this (about 45 degrees of great circle) too.
WIDE_SPAN_M = 5_000_000.0
#: The sphere the page projects on: the mean Earth radius (IUGG).
EARTH_RADIUS_M = 6_371_008.8
#: The name folium writes as ``crs: L.CRS.<name>``.
CRS_NAME = "RangemapAeqd"
#: What the page says, near the credits, when web tiles were asked for.
TILES_NOTE = (
    "Web tiles are not shown: this map uses an azimuthal equidistant projection so "
    "that long ranges stay round."
)
#: Latitude from which a reach is taken to enclose a pole.
_POLE_LAT = 89.9999

#: The CRS as JavaScript, the same on every page; :meth:`WebAeqd.script` adds one line
#: that calls it with the map's centre. It is plain Leaflet: ``L.CRS.Earth`` extended
#: with a projection object (``project``, ``unproject``, ``bounds``) and a
#: transformation that puts the whole disc (2 pi R across) in 256 pixels at zoom 0,
#: like Web Mercator's world at the equator.
#:
#: Leaflet reads a ``LatLngBounds`` in two ways: its south-west and north-east corners
#: (the centre of ``fitBounds``, ``maxBounds``) and, in ``getBoundsZoom`` only, its
#: north-west and south-east corners. In this projection a box of latitudes and
#: longitudes is no rectangle, so on a map with this CRS a ``LatLngBounds`` names the
#: rectangle whose opposite corners are its south-west and north-east points
#: (:meth:`WebAeqd.fit` writes them so, shifting a longitude by 360 where needed), and
#: ``getBoundsZoom`` is made to read those two. ``setMaxBounds`` given a box padded
#: from the one last fitted (as the page script does) pads the fitted rectangle by the
#: same ratio in the plane instead, kept inside the disc.
CRS_SCRIPT = """(function () {
"use strict";
var R = 6371008.8, D = Math.PI / 180, EDGE = Math.PI * R;
function projection(lat0, lon0) {
  var s0 = Math.sin(lat0 * D), c0 = Math.cos(lat0 * D);
  return {
    bounds: L.bounds([-EDGE, -EDGE], [EDGE, EDGE]),
    project: function (latlng) {
      var p = latlng.lat * D, dl = (latlng.lng - lon0) * D;
      var sp = Math.sin(p), cp = Math.cos(p), cl = Math.cos(dl);
      var e = cp * Math.sin(dl), n = c0 * sp - s0 * cp * cl;
      var c = Math.atan2(Math.sqrt(e * e + n * n), s0 * sp + c0 * cp * cl);
      var az = Math.atan2(e, n);
      return L.point(R * c * Math.sin(az), R * c * Math.cos(az));
    },
    unproject: function (point) {
      var c = Math.min(Math.sqrt(point.x * point.x + point.y * point.y) / R, Math.PI);
      var az = Math.atan2(point.x, point.y);
      var sc = Math.sin(c), cc = Math.cos(c);
      var sp = Math.max(-1, Math.min(1, s0 * cc + c0 * sc * Math.cos(az)));
      var dl = Math.atan2(Math.sin(az) * sc * c0, cc - s0 * sp);
      return L.latLng(Math.asin(sp) / D, lon0 + dl / D);
    }
  };
}
function corners(crs, x0, y0, x1, y1) {
  var a = crs.projection.unproject(L.point(x0, y0));
  var b = crs.projection.unproject(L.point(x1, y1));
  var lng = b.lng;
  if (a.lat <= b.lat && a.lng > lng) { lng += 360; }
  if (a.lat > b.lat && a.lng < lng) { lng -= 360; }
  return L.latLngBounds(a, L.latLng(b.lat, lng));
}
function plane(crs, bounds) {
  return L.bounds(crs.projection.project(bounds.getSouthWest()),
    crs.projection.project(bounds.getNorthEast()));
}
window.rangemapAeqd = function (lat0, lon0) {
  return L.extend({}, L.CRS.Earth, {
    code: "RANGEMAP:AEQD",
    projection: projection(lat0, lon0),
    transformation: new L.Transformation(0.5 / EDGE, 0.5, -0.5 / EDGE, 0.5),
    infinite: false
  });
};
L.Map.addInitHook(function () {
  var map = this, crs = map.options.crs;
  if (crs.code !== "RANGEMAP:AEQD") { return; }
  var zoomFor = map.getBoundsZoom, fitTo = map.fitBounds, limit = map.setMaxBounds;
  var fitted = null;
  map.getBoundsZoom = function (bounds, inside, padding) {
    var b = L.latLngBounds(bounds);
    var diagonal = L.latLngBounds(b.getSouthWest(), b.getNorthEast());
    diagonal.getNorthWest = function () { return b.getSouthWest(); };
    diagonal.getSouthEast = function () { return b.getNorthEast(); };
    return zoomFor.call(map, diagonal, inside, padding);
  };
  map.fitBounds = function (bounds, options) {
    fitted = L.latLngBounds(bounds);
    return fitTo.call(map, bounds, options);
  };
  map.setMaxBounds = function (bounds) {
    if (!bounds || fitted === null) { return limit.call(map, bounds); }
    var b = L.latLngBounds(bounds);
    var span = fitted.getNorth() - fitted.getSouth();
    var ratio = span > 1e-9 ? (b.getNorth() - b.getSouth()) / span :
      (b.getEast() - b.getWest()) / Math.max(fitted.getEast() - fitted.getWest(), 1e-9);
    var box = plane(crs, fitted), size = box.getSize(), pad = Math.max(ratio - 1, 0) / 2;
    var most = 0.69 * EDGE;
    function clamp(v) { return Math.max(-most, Math.min(most, v)); }
    return limit.call(map, corners(crs,
      clamp(box.min.x - size.x * pad), clamp(box.min.y - size.y * pad),
      clamp(box.max.x + size.x * pad), clamp(box.max.y + size.y * pad)));
  };
});
}());
"""


def _forward(
    lon: Any, lat: Any, lon0: float, lat0: float
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Project degrees to metres on the sphere, as the page's ``project`` does."""
    p, dl = (
        np.radians(np.asarray(lat, dtype=float)),
        np.radians(np.asarray(lon, dtype=float) - lon0),
    )
    p0 = math.radians(lat0)
    s0, c0 = math.sin(p0), math.cos(p0)
    sp, cp, cl = np.sin(p), np.cos(p), np.cos(dl)
    e, n = cp * np.sin(dl), c0 * sp - s0 * cp * cl
    c = np.arctan2(np.hypot(e, n), s0 * sp + c0 * cp * cl)
    az = np.arctan2(e, n)
    return EARTH_RADIUS_M * c * np.sin(az), EARTH_RADIUS_M * c * np.cos(az)


def _inverse(
    x: Any, y: Any, lon0: float, lat0: float
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Return degrees (lon, lat) of metres on the sphere, as the page's ``unproject`` does."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    p0 = math.radians(lat0)
    s0, c0 = math.sin(p0), math.cos(p0)
    c = np.minimum(np.hypot(x, y) / EARTH_RADIUS_M, math.pi)
    az = np.arctan2(x, y)
    sc, cc = np.sin(c), np.cos(c)
    sp = np.clip(s0 * cc + c0 * sc * np.cos(az), -1.0, 1.0)
    dl = np.arctan2(np.sin(az) * sc * c0, cc - s0 * sp)
    return lon0 + np.degrees(dl), np.degrees(np.arcsin(sp))


def _reaches_pole(geometry: BaseGeometry) -> bool:
    _, south, _, north = geometry.bounds
    return bool(north >= _POLE_LAT or south <= -_POLE_LAT)


def needs_aeqd(scene: RangeMap) -> bool:
    """Whether the web map of ``scene`` is drawn in AEQD rather than Web Mercator.

    It is when a layer reaches farther than :data:`LONG_REACH_M` (2,500 km), when a
    reach encloses a pole, or when the origins, notes and your points lie more than
    :data:`WIDE_SPAN_M` (about 45 degrees of great circle) apart.

    Parameters
    ----------
    scene : RangeMap
        The map.

    Returns
    -------
    bool

    Examples
    --------
    >>> from rangemap.reach import Reach
    >>> from rangemap.scene import RangeMap
    >>> needs_aeqd(RangeMap().add(Reach.from_distance(300_000, "50.91, 34.80=Sumy")))
    False
    >>> needs_aeqd(RangeMap().add(Reach.from_distance(5_500_000, "48.58, 45.73=Kapustin Yar")))
    True
    >>> needs_aeqd(RangeMap().add(Reach.from_distance(1_500_000, "78.22, 15.65=Longyearbyen")))
    True
    """
    from rangemap import geodesy

    spots: list[tuple[float, float]] = []
    for layer in scene.layers:
        reach = layer.reach
        if reach.distance_m > LONG_REACH_M or _reaches_pole(reach.geometry):
            return True
        for site in reach.origins:
            minx, miny, maxx, maxy = site.geometry.bounds
            spots += [(minx, miny), (maxx, maxy)]
    spots += [(note.lon, note.lat) for note in scene.annotations]
    if len(spots) < 2:
        return False
    lon = np.array([s[0] for s in spots])
    lat = np.array([s[1] for s in spots])
    i, j = np.triu_indices(len(spots), k=1)
    far = geodesy.distance_m(np.column_stack([lon[i], lat[i]]), np.column_stack([lon[j], lat[j]]))
    return bool(np.max(far) > WIDE_SPAN_M)


def choose(scene: RangeMap) -> WebAeqd | None:
    """Return the AEQD projection of a map's web page, or ``None`` for Web Mercator.

    Examples
    --------
    >>> from rangemap.reach import Reach
    >>> from rangemap.scene import RangeMap
    >>> oreshnik = RangeMap().add(Reach.from_distance(5_500_000, "48.58, 45.73=Kapustin Yar"))
    >>> choose(oreshnik)
    WebAeqd(lon=45.73, lat=48.58)
    """
    if not needs_aeqd(scene):
        return None
    lon, lat = map_center(scene)
    return WebAeqd(round(lon, 6), round(lat, 6))


def warn_tiles(tiles: str) -> None:
    """Warn once that web tiles asked for are not drawn in the AEQD view."""
    msg = (
        f"tiles: {quote(tiles)} cannot be shown on this map, which uses an azimuthal equidistant "
        "projection so that long ranges stay round; the bundled basemap is drawn instead"
    )
    warnings.warn(msg, UserWarning, stacklevel=3)


def _to_degrees(geometry: BaseGeometry, transformer: Transformer) -> BaseGeometry:
    """Return a geometry of the (ellipsoidal) AEQD plane in degrees (lon, lat)."""

    def back(xy: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        lon, lat = transformer.transform(xy[:, 0], xy[:, 1], direction="INVERSE")
        return np.column_stack([lon, lat])

    return shapely.transform(geometry, back)


@lru_cache(maxsize=8)
def _countries(
    lon: float, lat: float, radius_m: float, tolerance_m: float
) -> tuple[tuple[str, BaseGeometry, BaseGeometry, tuple[float, float] | None, float], ...]:
    """Countries within ``radius_m`` of the centre: (name, fill, border, label, area).

    Clipped to the disc and merged across ±180 in the (ellipsoidal) AEQD plane,
    simplified there, and returned in degrees; borders stop just inside the disc so
    its edge is not stroked.
    """
    from rangemap import geodesy, regions

    world = regions.atlas()
    transformer = aeqd_transformer(lon, lat)
    names = [str(n) for n in world.names]
    labels = [shapely.Point(xy) for xy in world.label_points]
    disc = geodesy.ring((lon, lat), radius_m)
    inside = shapely.Point(0, 0).buffer(radius_m * 0.998, quad_segs=64)
    geoms = np.asarray(world.shapes, dtype=object)
    clipped = shapely.intersection(geoms, disc)
    out = []
    for name, part, label in zip(names, clipped, labels, strict=True):
        if part is None or part.is_empty:
            continue
        plane = merge_parts(project(areal(part), transformer))
        plane = shapely.simplify(plane, tolerance_m, preserve_topology=True)
        if plane.is_empty:
            continue
        border = shapely.intersection(shapely.boundary(plane), inside)
        fill, line = _to_degrees(plane, transformer), _to_degrees(border, transformer)
        spot = None
        if label is not None and not label.is_empty:
            spot = (float(label.x), float(label.y))
        out.append((name, fill, line, spot, float(plane.area)))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class WebAeqd:
    """The azimuthal equidistant projection of one web map, centred on (lon, lat).

    Parameters
    ----------
    lon, lat : float
        The centre in degrees (:func:`rangemap.render._aeqd.map_center`).

    Examples
    --------
    >>> kapustin_yar = WebAeqd(45.73, 48.58)
    >>> x, y = kapustin_yar.forward([37.62], [55.76])  # Moscow
    >>> round(float(np.hypot(x[0], y[0])) / 1000)  # km on the sphere; the geodesic: 971
    970
    """

    lon: float
    lat: float

    def forward(self, lon: Any, lat: Any) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
        """Return metres (x east, y north) of degrees, on the sphere, as the page does."""
        return _forward(lon, lat, self.lon, self.lat)

    def inverse(self, x: Any, y: Any) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
        """Return degrees (lon, lat) of metres, as the page does."""
        return _inverse(x, y, self.lon, self.lat)

    def script(self) -> str:
        """Return the head script: the CRS code and ``L.CRS.RangemapAeqd`` for this centre."""
        return CRS_SCRIPT + f"L.CRS.{CRS_NAME} = window.rangemapAeqd({self.lat!r}, {self.lon!r});\n"

    def lonlat(self, geometry: BaseGeometry, tolerance_m: float | None) -> BaseGeometry:
        """Return a shape without its cuts at ±180 and around a pole, still in degrees.

        The parts of a GeoJSON shape are merged in the (ellipsoidal) AEQD plane of the
        centre, on a grid finer than ``tolerance_m``, and brought back: the vertices
        are the shape's own; longitudes may jump at ±180, which the projection does
        not mind (nothing of it is drawn in longitude and latitude).
        """
        transformer = aeqd_transformer(self.lon, self.lat)
        grid_m = min(1.0, (tolerance_m or 4.0) / 4)
        plane = merge_parts(project(geometry, transformer), grid_m=grid_m)
        return _to_degrees(plane, transformer)

    def fit(
        self, shapes: list[BaseGeometry], points: list[tuple[float, float]]
    ) -> list[list[float]]:
        """Return the view to fit: the plane rectangle around everything, as two corners.

        The corners ``[[lat, lon], [lat, lon]]`` are its south-west and north-east
        (bottom-left, top-right) in the plane; the second longitude is shifted by 360
        where needed, so that they are also the south-west and north-east corners of
        the ``LatLngBounds`` Leaflet makes of them (see :data:`CRS_SCRIPT`).
        """
        xs: list[float] = []
        ys: list[float] = []
        for shape in shapes:
            if shape.is_empty:
                continue
            coords = shapely.get_coordinates(shape)
            x, y = self.forward(coords[:, 0], coords[:, 1])
            xs += [float(x.min()), float(x.max())]
            ys += [float(y.min()), float(y.max())]
        if points:
            x, y = self.forward([p[0] for p in points], [p[1] for p in points])
            xs += [float(v) for v in x]
            ys += [float(v) for v in y]
        if not xs:
            xs, ys = [0.0], [0.0]
        edge = 0.69 * math.pi * EARTH_RADIUS_M
        x0, x1 = max(min(xs), -edge), min(max(xs), edge)
        y0, y1 = max(min(ys), -edge), min(max(ys), edge)
        (lon_a, lon_b), (lat_a, lat_b) = self.inverse([x0, x1], [y0, y1])
        lon_a, lon_b, lat_a, lat_b = float(lon_a), float(lon_b), float(lat_a), float(lat_b)
        if lat_a <= lat_b and lon_a > lon_b:
            lon_b += 360.0
        if lat_a > lat_b and lon_a < lon_b:
            lon_b -= 360.0
        return [[round(lat_a, 4), round(lon_a, 4)], [round(lat_b, 4), round(lon_b, 4)]]

    def _fit_box(self, fit: list[list[float]]) -> tuple[float, float, float, float]:
        """Return the fitted view's corners in the plane, ``(x0, x1, y0, y1)`` in metres."""
        (lat_a, lon_a), (lat_b, lon_b) = fit
        x, y = self.forward([lon_a, lon_b], [lat_a, lat_b])
        x0, x1 = sorted(float(v) for v in x)
        y0, y1 = sorted(float(v) for v in y)
        return x0, x1, y0, y1

    def basemap_radius(self, fit: list[list[float]]) -> float:
        """Return the radius in metres of the disc :meth:`basemap` fills for a fitted view.

        Three times the farthest corner of the view (the reader may zoom out two
        steps), between 3,000 and 16,000 km, rounded up to 100 km.
        """
        x0, x1, y0, y1 = self._fit_box(fit)
        reach_m = max(math.hypot(a, b) for a in (x0, x1) for b in (y0, y1))
        radius_m = min(max(reach_m * 3.0, 3_000_000.0), 16_000_000.0)
        return math.ceil(radius_m / 100_000.0) * 100_000.0

    def basemap(
        self, fit: list[list[float]], taken: list[tuple[float, float]]
    ) -> tuple[
        list[BaseGeometry], list[BaseGeometry], list[tuple[float, float, float, str]], str, int
    ]:
        """Return country fills, borders, labels, attribution and digits, in degrees.

        The countries are clipped to a disc three times as wide as the fitted view
        (the reader may zoom out two steps), at most 16,000 km, simplified to about a
        1,200th of the view. Up to 14 countries are named, largest first, at their
        label point when it is in the fitted view and clear of ``taken`` (lon, lat).
        Labels are ``(area, lon, lat, name)`` like the Mercator basemap's (the area in
        square metres of the plane).
        """
        x0, x1, y0, y1 = self._fit_box(fit)
        radius_m = self.basemap_radius(fit)
        tolerance_m = float(round(max(x1 - x0, y1 - y0, 360_000.0) / 1200.0, -2))
        countries = _countries(self.lon, self.lat, radius_m, tolerance_m)
        tx, ty = self.forward([t[0] for t in taken], [t[1] for t in taken])
        width, height = x1 - x0, y1 - y0
        fills, lines, labels = [], [], []
        for name, fill, line, spot, area in countries:
            fills.append(fill)
            if not line.is_empty:
                lines.append(line)
            if spot is None:
                continue
            (sx,), (sy,) = self.forward([spot[0]], [spot[1]])
            # Inside the fitted view, away from its sides (a long name is centred on it).
            inset_x, inset_y = width * 0.12, height * 0.06
            if not (x0 + inset_x <= sx <= x1 - inset_x and y0 + inset_y <= sy <= y1 - inset_y):
                continue
            clear = all(
                abs(sx - a) > width * 0.1 or abs(sy - b) > height * 0.05
                for a, b in zip(tx.tolist(), ty.tolist(), strict=True)
            )
            if clear:
                labels.append((area, spot[0], spot[1], name))
        labels.sort(key=lambda item: (-item[0], item[3]))
        from rangemap import regions

        note = getattr(regions, "ATTRIBUTION", "Boundaries: Natural Earth (public domain).")
        return fills, lines, labels[:14], str(note), 3 if tolerance_m < 5_000 else 2
