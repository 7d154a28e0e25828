"""Checking the arguments of the public functions.

This module owns turning what a caller passes (points, distances, tolerances,
geometries) into plain floats and arrays, and every :class:`~rangemap.errors.InputError`
that names a bad argument, its value and what to pass instead. It also owns the
default tolerance, :func:`default_tolerance_m`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from rangemap.errors import InputError
from rangemap.geodesy._ellipsoid import FloatArray
from rangemap.units import MAX_DISTANCE_M

__all__ = [
    "as_distance",
    "as_lonlat",
    "as_points",
    "as_tolerance",
    "check_geometry",
    "check_lonlat",
    "default_tolerance_m",
]


def check_lonlat(lon: float, lat: float, argument: str) -> None:
    if not (math.isfinite(lon) and math.isfinite(lat)):
        msg = f"{argument} must have finite coordinates; got ({lon}, {lat})."
        raise InputError(msg)
    if not -90.0 <= lat <= 90.0:
        msg = (
            f"{argument} has latitude {lat}, outside [-90, 90]. Coordinates are "
            "(longitude, latitude) in degrees; check that they are not swapped."
        )
        raise InputError(msg)
    if not -180.0 <= lon <= 180.0:
        msg = (
            f"{argument} has longitude {lon}, outside [-180, 180]. Pass longitudes in "
            "degrees within [-180, 180], e.g. ((lon + 180) % 360) - 180."
        )
        raise InputError(msg)


def as_lonlat(value: Any, argument: str) -> tuple[float, float]:
    if isinstance(value, Point):
        if value.is_empty:
            msg = (
                f"{argument} is an empty Point; pass a (lon, lat) pair or a Point with coordinates."
            )
            raise InputError(msg)
        lon, lat = float(value.x), float(value.y)
    else:
        try:
            arr = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            arr = np.empty(0)
        if arr.shape != (2,):
            msg = (
                f"{argument} must be a (lon, lat) pair of degrees or a shapely Point; "
                f"got {value!r}."
            )
            raise InputError(msg)
        lon, lat = float(arr[0]), float(arr[1])
    check_lonlat(lon, lat, argument)
    return lon, lat


def as_distance(value: Any, argument: str, *, allow_zero: bool = False) -> float:
    try:
        d = float(value)
    except (TypeError, ValueError):
        msg = f"{argument} must be a number of metres; got {value!r}."
        raise InputError(msg) from None
    if not math.isfinite(d) or d < 0.0 or (d == 0.0 and not allow_zero):
        msg = f"{argument} must be a positive, finite number of metres; got {value!r}."
        raise InputError(msg)
    if d > MAX_DISTANCE_M:
        msg = (
            f"{argument} is {d:,.0f} m, longer than any distance on the WGS84 ellipsoid "
            f"(at most {MAX_DISTANCE_M:,.0f} m, half a meridian). Use a smaller distance; "
            "at that length the reach already covers the whole Earth."
        )
        raise InputError(msg)
    return d


def default_tolerance_m(distance_m: float) -> float:
    """Return the default tolerance for a reach of ``distance_m``: 0.01 %, at least 1 mm.

    Parameters
    ----------
    distance_m : float
        The reach distance in metres.

    Returns
    -------
    float
        The tolerance in metres.

    Examples
    --------
    >>> default_tolerance_m(300_000)
    30.0
    """
    return max(1e-4 * distance_m, 1e-3)


def as_tolerance(value: Any, distance: float) -> float:
    if value is None:
        return default_tolerance_m(distance)
    try:
        tol = float(value)
    except (TypeError, ValueError):
        msg = f"tolerance_m must be a number of metres or None; got {value!r}."
        raise InputError(msg) from None
    if not math.isfinite(tol) or tol <= 0.0:
        msg = f"tolerance_m must be a positive, finite number of metres; got {value!r}."
        raise InputError(msg)
    if tol < 1e-7 * distance or tol < 1e-4:
        msg = (
            f"tolerance_m={tol!r} is too small for a distance of {distance:,.0f} m "
            f"(it would take millions of vertices); use at least "
            f"{max(1e-7 * distance, 1e-4):.4g} m, or None for the default 0.01 %."
        )
        raise InputError(msg)
    return tol


def check_geometry(geometry: Any, argument: str) -> BaseGeometry:
    if not isinstance(geometry, BaseGeometry):
        msg = f"{argument} must be a shapely geometry in EPSG:4326; got {type(geometry).__name__}."
        raise InputError(msg)
    if geometry.is_empty:
        msg = f"{argument} is an empty {geometry.geom_type}; pass a geometry with coordinates."
        raise InputError(msg)
    xy = shapely.get_coordinates(geometry)
    finite = np.isfinite(xy).all(axis=1)
    if not finite.all():
        bad = tuple(float(v) for v in xy[np.flatnonzero(~finite)[0]])
        msg = f"{argument} has a NaN or infinite coordinate {bad}; remove or fix it."
        raise InputError(msg)
    xmin, ymin = xy.min(axis=0)
    xmax, ymax = xy.max(axis=0)
    if xmin < -180.0 or xmax > 180.0 or ymin < -90.0 or ymax > 90.0:
        msg = (
            f"{argument} has coordinates outside longitude/latitude range (bounds "
            f"{xmin:.6g}, {ymin:.6g}, {xmax:.6g}, {ymax:.6g}); it looks projected or has "
            "unwrapped longitudes. Reproject it to EPSG:4326 first, e.g. gdf.to_crs(4326), "
            "and split it at ±180 (RFC 7946)."
        )
        raise InputError(msg)
    tiny = (xy != 0.0) & (np.abs(xy) < _TINY_DEG)
    if tiny.any():
        # Subnormal degrees (below 1e-300, far below a nanometre) upset the planar
        # orientation tests downstream; they are zero to every geodesic purpose.
        geometry = shapely.transform(geometry, lambda c: np.where(np.abs(c) < _TINY_DEG, 0.0, c))
    return geometry


#: Coordinates smaller than this many degrees are read as 0 (1e-300 degrees is ~1e-295 m).
_TINY_DEG = 1e-300


def as_points(value: Any, argument: str) -> tuple[FloatArray, bool]:
    """(n, 2) lon/lat array and whether the input was a single point."""
    if isinstance(value, Point):
        return np.array([as_lonlat(value, argument)]), True
    if isinstance(value, BaseGeometry):
        msg = f"{argument} must be points; got a {value.geom_type}."
        raise InputError(msg)
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        if isinstance(value, Sequence) and all(isinstance(p, Point) for p in value):
            arr = np.array([as_lonlat(p, argument) for p in value])
        else:
            msg = (
                f"{argument} must be (lon, lat) pairs, shapely Points or an (n, 2) array; "
                f"got {value!r}."
            )
            raise InputError(msg) from None
    single = arr.ndim == 1
    arr = np.atleast_2d(arr)
    if arr.ndim != 2 or arr.shape[1] != 2:
        msg = (
            f"{argument} must have shape (2,) or (n, 2) as (lon, lat); got shape {np.shape(value)}."
        )
        raise InputError(msg)
    bad = ~np.isfinite(arr).all(axis=1) | (np.abs(arr[:, 1]) > 90.0) | (np.abs(arr[:, 0]) > 180.0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        check_lonlat(
            float(arr[i, 0]), float(arr[i, 1]), f"{argument}[{i}]" if not single else argument
        )
    return arr, single
