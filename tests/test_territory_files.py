"""Territory files: only local GeoJSON, GeoPackage, KML and Shapefile, and never a fetch.

A TCP listener on 127.0.0.1 stands in for a remote server: every hostile path or file
below points GDAL at it, and the listener must see no connection.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
import yaml
from shapely.geometry import box

from rangemap import regions
from rangemap.errors import InputError
from rangemap.regions import ACCEPTED_FORMATS, read

ROOT = Path(__file__).resolve().parents[1]
SQUARE = box(30, 45, 31, 46)


class Listener:
    """A TCP listener on a random loopback port that records every connection made to it."""

    def __init__(self) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(16)
        self._socket.settimeout(0.1)  # bounded accept: the thread checks for stop often
        self.port: int = self._socket.getsockname()[1]
        self.connections: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/x.geojson"

    def _accept_one(self) -> bool:
        try:
            conn, _ = self._socket.accept()
        except (TimeoutError, BlockingIOError):
            return False
        with conn:
            conn.settimeout(0.5)
            try:
                self.connections.append(conn.recv(200) or b"(connected)")
            except OSError:
                self.connections.append(b"(connected)")
        return True

    def _run(self) -> None:
        while not self._stop.is_set():
            with contextlib.suppress(OSError):
                self._accept_one()

    def close(self) -> list[bytes]:
        """Stop, take any connection still waiting in the backlog, and return them all."""
        if self._stop.is_set():
            return self.connections
        self._stop.set()
        self._thread.join(timeout=5)
        self._socket.setblocking(False)
        while self._accept_one():
            pass
        self._socket.close()
        return self.connections


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    try:
        yield server
    finally:
        server.close()


def _vrt(url: str) -> str:
    return (
        '<OGRVRTDataSource><OGRVRTLayer name="x">'
        f"<SrcDataSource>/vsicurl/{url}</SrcDataSource>"
        "</OGRVRTLayer></OGRVRTDataSource>\n"
    )


def _gdalg(url: str) -> str:
    return (
        '{"type": "gdal_streamed_alg", "command_line": "gdal vector pipeline ! read '
        f'/vsicurl/{url} ! write --of stream streamed_dataset"}}\n'
    )


def _hostile(folder: Path, listener: Listener) -> dict[str, str]:
    """Paths that would make GDAL connect to the listener if opened naively."""
    (folder / "x.vrt").write_text(_vrt(listener.url), encoding="utf-8")
    (folder / "x.geojson").write_text(_vrt(listener.url), encoding="utf-8")
    (folder / "alg.geojson").write_text(_gdalg(listener.url), encoding="utf-8")
    (folder / "x.json").write_text(_gdalg(listener.url), encoding="utf-8")
    (folder / "x.kml").write_text(_vrt(listener.url), encoding="utf-8")
    (folder / "x.gpkg").write_text(_vrt(listener.url), encoding="utf-8")
    (folder / "x.shp").write_text(_vrt(listener.url), encoding="utf-8")
    with zipfile.ZipFile(folder / "x.zip", "w") as archive:
        archive.writestr("front/x.shp", _vrt(listener.url))
    return {
        "vrt": str(folder / "x.vrt"),
        "vrt as geojson": str(folder / "x.geojson"),
        "gdalg as geojson": str(folder / "alg.geojson"),
        "gdalg as json": str(folder / "x.json"),
        "vrt as kml": str(folder / "x.kml"),
        "vrt as gpkg": str(folder / "x.gpkg"),
        "vrt as shp": str(folder / "x.shp"),
        "vrt in zip": str(folder / "x.zip"),
        "vsicurl": f"/vsicurl/{listener.url}",
        "vsicurl inside": f"{folder}/a/../vsicurl/{listener.url}",
        "url": listener.url,
        "zip url": f"zip+{listener.url}.zip",
    }


CASES = [
    ("vrt", r"x\.vrt': '\.vrt' is not an accepted format"),
    ("vrt as geojson", r"x\.geojson': it is not a GeoJSON file"),
    ("gdalg as geojson", r"alg\.geojson': cannot read it as GeoJSON"),
    ("gdalg as json", r"x\.json': cannot read it as GeoJSON"),
    ("vrt as kml", r"x\.kml': it is not a KML file"),
    ("vrt as gpkg", r"x\.gpkg': it is not a GeoPackage file"),
    ("vrt as shp", r"x\.shp': it is not a Shapefile"),
    ("vrt in zip", r"x\.zip': 'front/x\.shp' in the zip is not a Shapefile"),
    ("vsicurl", r"GDAL virtual file systems \(/vsi\.\.\.\) are not read"),
    ("vsicurl inside", r"GDAL virtual file systems \(/vsi\.\.\.\) are not read"),
    ("url", r"addresses and data-source strings are not read"),
    ("zip url", r"addresses and data-source strings are not read"),
]


@pytest.mark.parametrize(("case", "message"), CASES)
def test_read_refuses_without_connecting(
    tmp_path: Path, listener: Listener, case: str, message: str
) -> None:
    path = _hostile(tmp_path, listener)[case]
    with pytest.raises(InputError, match=message) as info:
        read(path)
    text = str(info.value)
    assert "\n" not in text
    assert ACCEPTED_FORMATS in text or "cannot read it as" in text
    assert listener.close() == []


def test_read_refuses_path_objects_too(tmp_path: Path, listener: Listener) -> None:
    # pathlib turns "http://" into "http:/": the /vsi check still holds.
    with pytest.raises(InputError, match=r"/vsi\.\.\.\) are not read"):
        read(Path(f"/vsicurl/{listener.url}"))
    assert listener.close() == []


@pytest.mark.parametrize("name", ["notes.txt", "area.csv", "area.gml", "area", "area.gpkg.vrt"])
def test_other_suffixes_are_refused(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="is not an accepted format") as info:
        read(path)
    assert ACCEPTED_FORMATS in str(info.value)


def test_folders_and_devices_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "area.geojson"
    folder.mkdir()
    with pytest.raises(InputError, match=r"area\.geojson': it is not a regular file"):
        read(folder)
    device = tmp_path / "null.geojson"
    device.symlink_to("/dev/null")
    with pytest.raises(InputError, match=r"null\.geojson': it is not a regular file"):
        read(device)
    fifo = tmp_path / "pipe.geojson"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match=r"pipe\.geojson': it is not a regular file"):
        read(fifo)


def test_remote_references_inside_files_are_not_fetched(tmp_path: Path, listener: Listener) -> None:
    url = listener.url
    kml = tmp_path / "area.kml"
    kml.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Document>\n'
        f'<Style id="s"><IconStyle><Icon><href>{url}</href></Icon></IconStyle></Style>\n'
        f"<NetworkLink><name>n</name><Link><href>{url}</href></Link></NetworkLink>\n"
        f"<Placemark><name>a</name><styleUrl>{url}#st</styleUrl><Polygon><outerBoundaryIs>"
        "<LinearRing><coordinates>30,45 31,45 31,46 30,46 30,45</coordinates></LinearRing>"
        "</outerBoundaryIs></Polygon></Placemark>\n"
        "</Document></kml>\n",
        encoding="utf-8",
    )
    assert read(kml).equals(SQUARE)
    geojson = tmp_path / "area.geojson"
    geojson.write_text(
        '{"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "'
        + url
        + '"}}, "features": [{"type": "Feature", "properties": {}, "geometry": '
        '{"type": "Polygon", "coordinates": [[[30,45],[31,45],[31,46],[30,46],[30,45]]]}}]}',
        encoding="utf-8",
    )
    assert read(geojson).equals(SQUARE)
    assert listener.close() == []


def test_gdal_network_is_off_during_a_read(tmp_path: Path, listener: Listener) -> None:
    # The second line of defence on its own: even a VRT opened directly inside the
    # read's configuration cannot reach the listener.
    vrt = tmp_path / "x.vrt"
    vrt.write_text(_vrt(listener.url), encoding="utf-8")
    before = pyogrio.get_gdal_config_option("GDAL_HTTP_PROXY")
    with regions._offline(), pytest.raises(RuntimeError, match="Failed to open"):
        pyogrio.read_dataframe(vrt)
    assert pyogrio.get_gdal_config_option("GDAL_HTTP_PROXY") == before
    assert listener.close() == []


def test_zipped_shapefile_is_read(tmp_path: Path) -> None:
    gpd.GeoDataFrame(geometry=[SQUARE], crs=4326).to_file(tmp_path / "area.shp")
    archive_path = tmp_path / "area.zip"
    with zipfile.ZipFile(archive_path, "w") as archive:
        for suffix in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
            archive.write(tmp_path / f"area{suffix}", f"area/area{suffix}")
    assert read(archive_path).equals(SQUARE)


def test_zip_must_hold_exactly_one_shapefile(tmp_path: Path) -> None:
    empty = tmp_path / "empty.zip"
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("readme.txt", "no shapes")
    with pytest.raises(InputError, match=r"empty\.zip': the zip holds no \.shp file"):
        read(empty)
    notzip = tmp_path / "fake.zip"
    notzip.write_text("not a zip", encoding="utf-8")
    with pytest.raises(InputError, match=r"fake\.zip': it is not a zip archive"):
        read(notzip)


def test_geopackage_through_its_own_driver(tmp_path: Path) -> None:
    path = tmp_path / "area.gpkg"
    gpd.GeoDataFrame(geometry=[SQUARE], crs=4326).to_file(path, driver="GPKG")
    assert read(path).equals(SQUARE)
    link = tmp_path / "link.geojson"
    gpd.GeoDataFrame(geometry=[SQUARE], crs=4326).to_file(tmp_path / "real.geojson")
    link.symlink_to(tmp_path / "real.geojson")
    assert read(link).equals(SQUARE)


def _run_recipe(folder: Path, origin_file: str) -> subprocess.CompletedProcess[str]:
    recipe = folder / "recipe.yaml"
    layer = {"distance": "50 km", "origins": [{"file": origin_file, "label": "Area"}]}
    recipe.write_text(yaml.safe_dump({"title": "t", "layers": [layer]}), encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "rangemap", "map", "--recipe", str(recipe), "-o", "out.html"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


@pytest.mark.parametrize("case", ["vrt", "vrt as geojson", "gdalg as geojson", "vsicurl"])
def test_recipe_file_origin_is_refused(tmp_path: Path, listener: Listener, case: str) -> None:
    path = _hostile(tmp_path, listener)[case]
    done = _run_recipe(tmp_path, path)
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("rangemap: error: ")
    assert not (tmp_path / "out.html").exists()
    assert listener.close() == []


def test_the_listener_sees_a_connection(listener: Listener) -> None:
    # Without this, "no connection" above could mean a listener that hears nothing.
    with socket.create_connection(("127.0.0.1", listener.port), timeout=5) as conn:
        conn.sendall(b"GET /x.geojson HTTP/1.1\r\n\r\n")
    assert listener.close() == [b"GET /x.geojson HTTP/1.1\r\n\r\n"]
