"""The azimuthal equidistant projection static maps are drawn in, and reach projected into it.

What this module owns:

- :func:`aeqd_crs` and :func:`aeqd_transformer`: the azimuthal equidistant projection
  (AEQD) on the WGS84 ellipsoid centred on a point, where every distance from the
  centre is exact and a reach ring around it is a true circle.
- :func:`project_reach`: a reach's area in that projection: the reach's own vertices
  (placed on the ellipsoid within its tolerance) projected part by part
  (:func:`project`), and the cuts a GeoJSON shape needs at ±180 or around a pole merged
  away (:func:`merge_parts`, on a grid finer than the tolerance), so no seam shows.
- :func:`map_center`: the point a static map is centred on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import shapely
from pyproj import CRS, Transformer
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from rangemap.geodesy import default_tolerance_m

if TYPE_CHECKING:
    from rangemap.reach import Reach
    from rangemap.scene import RangeMap

__all__ = [
    "aeqd_crs",
    "aeqd_transformer",
    "areal",
    "map_center",
    "merge_parts",
    "project",
    "project_reach",
]


def aeqd_crs(lon: float, lat: float) -> CRS:
    """Return the azimuthal equidistant CRS on WGS84 centred on (lon, lat).

    Parameters
    ----------
    lon, lat : float
        The centre, in degrees.

    Returns
    -------
    pyproj.CRS
        Metres from the centre; every distance from it is the geodesic distance.

    Examples
    --------
    >>> kyiv = aeqd_crs(30.52, 50.45)
    >>> kyiv.coordinate_operation.method_name, kyiv.ellipsoid.name
    ('Azimuthal Equidistant', 'WGS 84')
    """
    return CRS.from_dict(
        {"proj": "aeqd", "lat_0": lat, "lon_0": lon, "datum": "WGS84", "units": "m"}
    )


def aeqd_transformer(lon: float, lat: float) -> Transformer:
    """Return a transformer from EPSG:4326 (lon, lat order) to :func:`aeqd_crs`.

    Parameters
    ----------
    lon, lat : float
        The centre of the projection, in degrees.

    Returns
    -------
    pyproj.Transformer
        ``always_xy=True``: input is (lon, lat), output (x, y) in metres.

    Examples
    --------
    >>> x, y = aeqd_transformer(30.52, 50.45).transform(37.62, 55.76)  # Kyiv to Moscow
    >>> round((x**2 + y**2) ** 0.5 / 1000)
    758
    """
    return Transformer.from_crs("EPSG:4326", aeqd_crs(lon, lat), always_xy=True)


def project(geometry: BaseGeometry, transformer: Transformer) -> BaseGeometry:
    """Return ``geometry`` (EPSG:4326) projected with ``transformer``, vertex by vertex."""

    def fn(coords: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geometry, fn)


def merge_parts(geometry: BaseGeometry, *, grid_m: float = 1.0) -> BaseGeometry:
    """Merge parts that touch along a cut (±180, pole caps) after projection.

    Vertices are snapped to a grid of ``grid_m`` metres so the two sides of a cut
    coincide, then the parts are unioned; degenerate edges (a pole cap's edge along
    90° projects to one point) disappear.
    """
    if not geometry.is_valid:  # far from the centre a country can fold over itself
        geometry = areal(shapely.make_valid(geometry))
    try:
        snapped = shapely.set_precision(geometry, grid_m)
    except shapely.errors.GEOSException:
        valid = areal(shapely.make_valid(geometry))
        snapped = shapely.set_precision(valid, grid_m, mode="pointwise")
        snapped = areal(shapely.make_valid(snapped))
    merged = shapely.union_all(shapely.get_parts(snapped))
    return areal(merged)


def areal(geometry: BaseGeometry) -> BaseGeometry:
    """Keep only the polygons of a geometry (an empty Polygon if there are none)."""
    if isinstance(geometry, Polygon | MultiPolygon):
        return geometry
    polys = [g for g in shapely.get_parts(geometry) if isinstance(g, Polygon | MultiPolygon)]
    if not polys:
        return Polygon()
    return shapely.union_all(polys)


def project_reach(reach: Reach, transformer: Transformer, *, inner: bool = False) -> BaseGeometry:
    """Return a reach's area in the AEQD projection of ``transformer``.

    The reach's own vertices are projected, so the drawing keeps the reach's tolerance;
    its parts, cut at ±180 or closed around a pole, are merged.

    Parameters
    ----------
    reach : Reach
        What to project.
    transformer : pyproj.Transformer
        From EPSG:4326 to an AEQD CRS (:func:`aeqd_crs`), ``always_xy=True``.
    inner : bool, optional
        With a ``show="spread"`` reach, project the area within the *lowest* reported
        figure instead of the highest.

    Returns
    -------
    shapely geometry
        Polygons in metres from the projection's centre.

    Examples
    --------
    >>> import numpy as np
    >>> from rangemap.reach import Reach
    >>> sumy = Reach.from_distance(300_000, "50.91, 34.80=Sumy")
    >>> disc = project_reach(sumy, aeqd_transformer(34.80, 50.91))
    >>> x, y = np.asarray(disc.exterior.coords).T
    >>> float(np.abs(np.hypot(x, y) - 300_000).max()) < sumy.tolerance_m  # 300 km, 30 m
    True
    """
    if inner:
        if reach.inner_geometry is None:
            return Polygon()
        geometry = reach.inner_geometry
    else:
        geometry = reach.geometry
    tolerance_m = reach.tolerance_m or default_tolerance_m(reach.distance_m)
    return merge_parts(project(geometry, transformer), grid_m=min(1.0, tolerance_m / 4))


def map_center(range_map: RangeMap) -> tuple[float, float]:
    """Return the (lon, lat) the static map is centred on.

    The view's centre when the map has one; otherwise the middle of the origins'
    bounding box (longitudes taken near each other, so origins on both sides of ±180
    are handled).

    Parameters
    ----------
    range_map : RangeMap
        The map.

    Returns
    -------
    tuple of float
        Longitude and latitude in degrees.
    """
    if range_map.view is not None:
        return range_map.view.lon, range_map.view.lat
    lons: list[float] = []
    lats: list[float] = []
    for layer in range_map.layers:
        for site in layer.reach.origins:
            minx, miny, maxx, maxy = site.geometry.bounds
            for lon in (minx, maxx):
                if lons:
                    lon = lons[0] + ((lon - lons[0] + 180.0) % 360.0) - 180.0
                lons.append(lon)
            lats += [miny, maxy]
    if not lons:
        for note in range_map.annotations:
            lons.append(note.lon)
            lats.append(note.lat)
    if not lons:
        return 0.0, 0.0
    lon = (min(lons) + max(lons)) / 2
    lon = ((lon + 180.0) % 360.0) - 180.0
    return lon, (min(lats) + max(lats)) / 2
