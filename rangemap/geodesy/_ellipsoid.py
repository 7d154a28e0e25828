"""The WGS84 ellipsoid and the constants every reach shape shares.

This module owns the one ``pyproj.Geod`` rangemap measures with, its vectorised direct
and inverse problems (:func:`fwd`, :func:`inv`), longitude wrapping and the accuracy
budget (safety factor, vertex limit). The longest distance on the ellipsoid,
:data:`rangemap.units.MAX_DISTANCE_M`, is the half meridian this ``Geod`` measures.
"""

from __future__ import annotations

from typing import Any, TypeAlias

import numpy as np
from numpy.typing import NDArray
from pyproj import Geod

FloatArray: TypeAlias = NDArray[np.float64]

GEOD = Geod(ellps="WGS84")

# Perpendicular strips stay simple up to a quarter meridian; above this distance a
# buffer is the union of circles around its vertices.
DISCS_ONLY_M = 8_000_000.0
EARTH_R_M = 6_371_008.8
# Safety factor: edges are split until their sampled error is below this share of the
# tolerance, so the unsampled points between samples stay within it.
SAFETY = 0.5
MAX_VERTICES = 2_000_000


def wrap180(x: NDArray[np.floating[Any]]) -> FloatArray:
    """Wrap angles (degrees) into [-180, 180)."""
    return np.asarray((x + 180.0) % 360.0 - 180.0, dtype=float)


def _broadcast(*values: FloatArray | float) -> list[FloatArray]:
    """Broadcast arrays and scalars to one shape, as float arrays for ``pyproj.Geod``."""
    n = np.broadcast(*values).shape
    return [np.broadcast_to(v, n).astype(float) for v in values]


def fwd(
    lon: FloatArray, lat: FloatArray, az: FloatArray, dist: FloatArray | float
) -> tuple[FloatArray, FloatArray]:
    """Solve the direct problem: the points ``dist`` metres from (lon, lat) at ``az``."""
    lons, lats, azs, dists = _broadcast(lon, lat, az, dist)
    lo, la, _ = GEOD.fwd(lons, lats, azs, dists, return_back_azimuth=False)
    return np.asarray(lo, dtype=float), np.asarray(la, dtype=float)


def inv(
    lon1: FloatArray, lat1: FloatArray, lon2: FloatArray, lat2: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Solve the inverse problem: forward and back azimuths and distance in metres."""
    lons1, lats1, lons2, lats2 = _broadcast(lon1, lat1, lon2, lat2)
    az12, az21, dist = GEOD.inv(lons1, lats1, lons2, lats2)
    return (
        np.asarray(az12, dtype=float),
        np.asarray(az21, dtype=float),
        np.asarray(dist, dtype=float),
    )
