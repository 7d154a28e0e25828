"""Renderers: a :class:`~rangemap.scene.RangeMap` to a file format.

- :mod:`rangemap.render.html`: a self-contained Leaflet page (folium), offline by default.
- :mod:`rangemap.render.vector`: GeoJSON (RFC 7946) with each layer's provenance.

Renderers know nothing of YAML or the command line; they read the scene only.
"""

from __future__ import annotations

__all__: list[str] = []
