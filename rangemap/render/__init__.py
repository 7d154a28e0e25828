"""Renderers: a :class:`~rangemap.scene.RangeMap` to a file format.

- :mod:`rangemap.render.html`: a self-contained Leaflet page (folium), offline by default,
  with its header and footer from :mod:`rangemap.render.panels` and every string
  through :mod:`rangemap.escaping`.
- :mod:`rangemap.render.static`: PNG, SVG and PDF images (matplotlib); the map panel is
  :mod:`rangemap.render.static_map`, drawn in the projection of
  :mod:`rangemap.render.aeqd`, and the text around it :mod:`rangemap.render.static_text`.
- :mod:`rangemap.render.vector`: GeoJSON (RFC 7946) with each layer's provenance.
- :mod:`rangemap.render.export`: KML, GeoPackage and size-limited GeoJSON.
- :mod:`rangemap.render.wording`: the words every map prints; places in range for
  every format come from :mod:`rangemap.render.placemarks`.

Renderers know nothing of YAML or the command line; they read the scene only.
"""

from __future__ import annotations

__all__: list[str] = []
