"""The on-disk form of the bundled cities table: gzip members and a file of its numbers.

This module owns how ``gazetteer-cities.tsv.gz`` and ``gazetteer-cities-numbers.bin``
are written (:func:`cities_file`, :func:`numbers_file`: ``scripts/build_gazetteer.py``
and ``scripts/build_gazetteer_numbers.py`` call them) and read (:func:`read_numbers`,
:class:`Table`): the table is gzip members of 512 rows, so reading a cell decompresses
one member, and its numeric columns are little-endian arrays, so loading the gazetteer
parses no number. :mod:`rangemap.places.gazetteer` builds its columns on them.
"""

from __future__ import annotations

import gzip
import itertools
import re
import zlib
from collections.abc import Iterable
from importlib.resources import files
from typing import Any

import numpy as np
import numpy.typing as npt

from rangemap.errors import RangemapError

__all__ = ["NUMBERS", "Table", "cities_file", "numbers_file", "read_numbers"]

_DATA = files("rangemap") / "data"

#: The numbers of ``gazetteer-cities.tsv.gz`` as binary arrays, so loading the gazetteer
#: parses no text, and where each of the table's gzip members starts, so reading a
#: cell decompresses one member (see ``rangemap/data/README.md``; :func:`numbers_file`
#: derives it from the table, byte for byte).
NUMBERS = "gazetteer-cities-numbers.bin"
#: Rows of the table per gzip member (the header is in the first one, with its rows).
_ROWS_PER_MEMBER = 512
#: The numeric columns, one after another, each a little-endian array of one value per row.
_NUMBER_COLUMNS = (
    ("geonameid", "<i4"),
    ("population", "<i4"),
    ("lat", "<i4"),
    ("lon", "<i4"),
    ("country", "S2"),
)
#: Latitudes and longitudes are stored as integers of 1e-5 degrees: every coordinate
#: in the table has at most 5 decimals, and ``integer / 1e5`` (one correctly rounded
#: division of two exact values) is the double nearest the decimal, as parsing it is.
_DEGREE_SCALE = 100_000.0


def _cell_ends(data: bytes, start: int = 0) -> npt.NDArray[np.int32]:
    """Return where the cells of ``data`` from ``start`` on end (its tabs and newlines).

    Cell ``k`` from ``start`` on is ``data[ends[k] + 1 : ends[k + 1]]``; ``ends[0]`` is
    ``start - 1`` (the newline before the first row: the header's, or ``-1``).
    """
    raw = np.frombuffer(data, dtype=np.uint8)
    ends = np.flatnonzero((raw == ord("\t")) | (raw == ord("\n")))
    edges: npt.NDArray[np.int32] = np.concatenate(([start - 1], ends[ends >= start])).astype(
        np.int32
    )
    return edges


def _members(cities: bytes) -> list[int]:
    """Return the byte offset of each gzip member of ``cities`` (a ``.gz`` file), and its size."""
    offsets = [0]
    while offsets[-1] < len(cities):
        member = zlib.decompressobj(wbits=31)
        member.decompress(cities[offsets[-1] :])
        if not member.eof:
            msg = "the gazetteer table ends inside a gzip member"
            raise ValueError(msg)
        offsets.append(len(cities) - len(member.unused_data))
    return offsets


def cities_file(table: bytes) -> bytes:
    r"""Gzip the cities table as members of :data:`_ROWS_PER_MEMBER` rows (no timestamp).

    Any gzip reader reads the members as one file; :class:`Table` decompresses only
    the members of the rows it reads. ``scripts/build_gazetteer.py`` writes
    ``gazetteer-cities.tsv.gz`` with it.

    Parameters
    ----------
    table : bytes
        The table: a header line, then one line per city, each ending with a newline.

    Returns
    -------
    bytes

    Examples
    --------
    >>> rows = b"".join(b"%d\tcity\n" % i for i in range(1_000))
    >>> packed = cities_file(b"geonameid\tname\n" + rows)
    >>> gzip.decompress(packed) == b"geonameid\tname\n" + rows, len(_members(packed)) - 1
    (True, 2)
    """
    if not table.endswith(b"\n"):
        msg = "the gazetteer table must end with a newline"
        raise ValueError(msg)
    header, *body = (line + b"\n" for line in table[:-1].split(b"\n"))
    members = []
    for first in range(0, max(len(body), 1), _ROWS_PER_MEMBER):
        text = b"".join(body[first : first + _ROWS_PER_MEMBER])
        members.append(gzip.compress(header + text if first == 0 else text, 9, mtime=0))
    return b"".join(members)


def numbers_file(cities: bytes) -> bytes:
    r"""Derive ``gazetteer-cities-numbers.bin`` from ``gazetteer-cities.tsv.gz``, byte for byte.

    ``scripts/build_gazetteer.py`` calls it after writing the table, and
    ``scripts/build_gazetteer_numbers.py`` runs it alone on the committed table; a
    test checks the committed file is what it returns.

    Parameters
    ----------
    cities : bytes
        The gzipped table, written by :func:`cities_file`.

    Returns
    -------
    bytes
        The row count and :data:`_ROWS_PER_MEMBER` (two unsigned 32-bit little-endian
        integers); the columns of :data:`_NUMBER_COLUMNS`, one after another; the
        byte offset of each gzip member of the table and the table's size (unsigned
        32-bit little-endian).

    Raises
    ------
    ValueError
        If a member does not hold :data:`_ROWS_PER_MEMBER` rows, a number does not fit
        its column, or a coordinate has more than 5 decimals (it would not read back
        as the same double).

    Examples
    --------
    >>> header = b"geonameid\tcountry\tpopulation\tlat\tlon\n"
    >>> numbers = numbers_file(cities_file(header + b"703448\tUA\t2797553\t50.45466\t30.5238\n"))
    >>> len(numbers), numbers[8 + 16 : 8 + 18]
    (34, b'UA')
    >>> int.from_bytes(numbers[16:20], "little", signed=True)  # 50.45466 degrees
    5045466
    """
    offsets = _members(cities)
    data = gzip.decompress(cities)
    header_end = data.index(b"\n")
    names = data[:header_end].decode("utf-8").split("\t")
    edges = _cell_ends(data, header_end + 1)
    width = len(names)
    rows, extra = divmod(len(edges) - 1, width)
    if extra or data[-1:] != b"\n":
        msg = "the gazetteer table's rows do not all have the header's columns"
        raise ValueError(msg)
    # Each member holds _ROWS_PER_MEMBER rows (the last the rest), the first the header too.
    lines = [
        gzip.decompress(cities[start:end]).count(b"\n")
        for start, end in itertools.pairwise(offsets)
    ]
    wanted = [min(rows - first, _ROWS_PER_MEMBER) for first in range(0, rows, _ROWS_PER_MEMBER)]
    wanted = wanted or [0]
    if lines != [wanted[0] + 1, *wanted[1:]]:
        msg = f"the gazetteer table is not in gzip members of {_ROWS_PER_MEMBER} rows"
        raise ValueError(msg)
    column = {name: i for i, name in enumerate(names)}

    def cells(name: str) -> list[str]:
        i = column[name]
        starts, ends = edges[i:-1:width].tolist(), edges[i + 1 :: width].tolist()
        return [data[s + 1 : e].decode("ascii") for s, e in zip(starts, ends, strict=True)]

    parts = [np.array([rows, _ROWS_PER_MEMBER], dtype="<u4").tobytes()]
    for name, kind in _NUMBER_COLUMNS:
        texts = cells(name)
        if name == "country":
            parts.append(np.array([text.encode("ascii") for text in texts], dtype=kind).tobytes())
            continue
        values = [_scaled(t, name) if name in ("lat", "lon") else int(t) for t in texts]
        array = np.array(values, dtype=kind)
        if array.tolist() != values:  # pragma: no cover - numpy refuses most overflows
            msg = f"{name}: a value does not fit in {kind}"
            raise ValueError(msg)
        if name in ("lat", "lon") and not np.array_equal(
            array / _DEGREE_SCALE, np.array([float(t) for t in texts])
        ):  # pragma: no cover - _scaled checks the decimals
            msg = f"{name}: a coordinate does not read back as the same double"
            raise ValueError(msg)
        parts.append(array.tobytes())
    parts.append(np.array(offsets, dtype="<u4").tobytes())
    return b"".join(parts)


def _scaled(text: str, column: str) -> int:
    """``"50.45466"`` -> ``5045466``: a decimal of at most 5 decimals, times 1e5, exactly."""
    if not re.fullmatch(r"-?[0-9]+(\.[0-9]{1,5})?", text):
        msg = f"{column}: {text!r} is not a decimal of at most 5 decimals"
        raise ValueError(msg)
    whole, _, decimals = text.partition(".")
    sign = -1 if whole.startswith("-") else 1
    return int(whole) * 100_000 + sign * int(decimals.ljust(5, "0"))


def read_numbers() -> tuple[dict[str, npt.NDArray[Any]], list[int]]:
    """Return the columns of ``gazetteer-cities-numbers.bin`` and the members' offsets.

    ``geonameid`` and ``population`` as int64, ``lat`` and ``lon`` as float64 degrees,
    ``country`` as two-letter strings.
    """
    numbers = (_DATA / NUMBERS).read_bytes()
    rows, per_member = np.frombuffer(numbers, dtype="<u4", count=2).tolist()
    members = max(-(-rows // _ROWS_PER_MEMBER), 1)
    row_bytes = sum(np.dtype(kind).itemsize for _, kind in _NUMBER_COLUMNS)
    if per_member != _ROWS_PER_MEMBER or len(numbers) != 8 + rows * row_bytes + 4 * (members + 1):
        msg = f"{NUMBERS} is damaged; reinstall rangemap"  # pragma: no cover
        raise RangemapError(msg)  # pragma: no cover
    columns: dict[str, npt.NDArray[Any]] = {}
    offset = 8
    for name, kind in _NUMBER_COLUMNS:
        columns[name] = np.frombuffer(numbers, dtype=kind, count=rows, offset=offset)
        offset += rows * np.dtype(kind).itemsize
    offsets = np.frombuffer(numbers, dtype="<u4", offset=offset).tolist()
    for name in ("geonameid", "population"):
        columns[name] = columns[name].astype(np.int64)
    for name in ("lat", "lon"):
        columns[name] = columns[name].astype(np.float64) / _DEGREE_SCALE
    columns["country"] = columns["country"].astype("U2")
    return columns, offsets


class Table:
    """The text of ``gazetteer-cities.tsv.gz``, decompressed a gzip member at a time.

    The numbers come from ``gazetteer-cities-numbers.bin``. A map reads a dozen
    names: each read decompresses the member of :data:`_ROWS_PER_MEMBER` rows holding
    its row (once), not the 4.6 MB table; reading a whole column decompresses it all.
    """

    __slots__ = ("_compressed", "_offsets", "_read", "_whole", "columns", "rows")

    def __init__(self, rows: int, offsets: list[int]) -> None:
        self.rows = rows
        self._offsets = offsets
        self._compressed: bytes | None = None
        self._read: dict[int, tuple[bytes, npt.NDArray[np.int32]]] = {}
        self._whole: tuple[bytes, npt.NDArray[np.int32]] | None = None
        data, _ = self._member(0)
        header = data[: data.index(b"\n")].decode("utf-8").split("\t")
        self.columns = {name: i for i, name in enumerate(header)}

    def _file(self) -> bytes:
        """Return the compressed table, read once."""
        if self._compressed is None:
            self._compressed = (_DATA / "gazetteer-cities.tsv.gz").read_bytes()
            if len(self._compressed) != self._offsets[-1]:  # pragma: no cover - packaging
                msg = f"gazetteer-cities.tsv.gz and {NUMBERS} differ; reinstall rangemap"
                raise RangemapError(msg)
        return self._compressed

    def _member(self, i: int) -> tuple[bytes, npt.NDArray[np.int32]]:
        """Return member ``i``'s text and where its cells end (see :func:`_cell_ends`)."""
        if i not in self._read:
            data = gzip.decompress(self._file()[self._offsets[i] : self._offsets[i + 1]])
            self._read[i] = (data, _cell_ends(data, data.index(b"\n") + 1 if i == 0 else 0))
        return self._read[i]

    def cells(self, column: int, rows: Iterable[int]) -> list[str]:
        """Return the cells of ``column`` in ``rows`` (row numbers, 0 to ``rows - 1``)."""
        width = len(self.columns)
        found = []
        for row in rows:
            data, edges = self._member(row // _ROWS_PER_MEMBER)
            k = row % _ROWS_PER_MEMBER * width + column
            found.append(data[int(edges[k]) + 1 : int(edges[k + 1])].decode("utf-8"))
        return found

    def whole(self) -> tuple[bytes, npt.NDArray[np.int32]]:
        """Return the whole table's text and where its cells end (see :func:`_cell_ends`)."""
        if self._whole is None:
            data = gzip.decompress(self._file())
            edges = _cell_ends(data, data.index(b"\n") + 1)
            if len(edges) - 1 != self.rows * len(self.columns):  # pragma: no cover
                msg = f"gazetteer-cities.tsv.gz and {NUMBERS} differ; reinstall rangemap"
                raise RangemapError(msg)
            self._whole = (data, edges)
        return self._whole
