"""What every renderer needs from a map, worked out once per render.

:func:`prepare` turns a :class:`~rangemap.scene.RangeMap` into a :class:`Context`: the
map itself, the places in range and your points in range or not (each queried once,
not once per renderer or per panel),
and the sources behind its layers in order of first use with their numbers (the one
numbering every format prints).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rangemap.render._placemarks import PlaceRow, origin_label, place_rows
from rangemap.render._points import PointRow, point_rows
from rangemap.words import Words, words

if TYPE_CHECKING:
    from rangemap.catalog import Source
    from rangemap.scene import Layer, RangeMap

__all__ = ["Context", "coordinate_digits", "prepare"]

#: Metres in a degree of latitude, rounded up: a rounding error of 0.5e-d degrees is
#: at most 0.5e-d times this many metres, in latitude and in longitude.
_METRES_PER_DEGREE = 111_700.0


def _key(source: Source) -> tuple[str, str, str]:
    return (source.publisher, source.title, str(source.url))


@dataclass(frozen=True, slots=True)
class Context:
    """A map with its places in range and its numbered sources.

    Parameters
    ----------
    scene : RangeMap
        The map.
    places : tuple of PlaceRow
        The places it shows, the most populous first (empty when none).
    sources : tuple of Source
        Every source behind its layers, in order of first use, without repeats
        (sources equal in publisher, title and address count once).
    words : Words
        The words of the map's language.
    points : tuple of PointRow
        Your points against every layer, in file order (empty when none).
    """

    scene: RangeMap
    places: tuple[PlaceRow, ...]
    sources: tuple[Source, ...]
    words: Words = field(default_factory=words)
    points: tuple[PointRow, ...] = ()
    _numbers: dict[tuple[str, str, str], int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for i, source in enumerate(self.sources, 1):
            self._numbers.setdefault(_key(source), i)

    def number(self, source: Source) -> int:
        """Return the number a source is printed with (1 for the first)."""
        return self._numbers[_key(source)]

    def layer_numbers(self, layer: Layer) -> list[int]:
        """Return the sorted numbers of the sources behind a layer."""
        return sorted({self.number(s) for s in layer.reach.sources})

    def layer_name(self, layer: Layer) -> str:
        """Return a layer's legend line in the map's language (a name given is kept)."""
        reach = layer.reach
        if reach.wording is None or layer.name != reach.label:
            return layer.name
        return self.words.reach_label(reach.wording)

    def layer_caveats(self, layer: Layer) -> list[tuple[str | None, str]]:
        """Return a layer's caveats as ``(code, note)`` pairs in the map's language.

        A catalog code (``"air-launched"``) gives its short sentence
        (:meth:`rangemap.words.Words.caveat`); a free-text caveat has no code and its
        note is printed in the map's language where the catalog translates it
        (:meth:`rangemap.catalog.CaveatNote.text`), else as written. A bare distance has
        none.
        """
        notes: list[tuple[str | None, str]] = []
        for caveat in layer.reach.caveats:
            if isinstance(caveat, str):  # a code: Caveat is a StrEnum
                notes.append((caveat.value, self.words.caveat(caveat.value)))
            else:
                notes.append((None, caveat.text(self.words.language)))
        return notes

    def layer_notes(self, layer: Layer) -> list[str]:
        """Return the notes printed under a layer's legend line: its caveats, in words."""
        return [text for _, text in self.layer_caveats(layer)]

    def method_note(self) -> str:
        """Return the method note: reported ranges, distances the maker chose, or both."""
        layers = self.scene.layers
        chosen = any(not layer.reach.is_reported for layer in layers)
        reported = any(layer.reach.is_reported for layer in layers) or not layers
        other = any(
            layer.reach.kind is not None and not layer.reach.kind.is_range for layer in layers
        ) or any(
            layer.reach.wording is not None and layer.reach.wording.band_kinds for layer in layers
        )
        return self.words.method_note(reported=reported, chosen=chosen, other_kinds=other)

    def origin_labels(self) -> list[str]:
        """Return the names of the map's origins, each once, in layer order.

        A map whose origins have no names says how many there are instead.
        """
        labels: list[str] = []
        unnamed = 0
        for layer in self.scene.layers:
            for site in layer.reach.origins:
                label = origin_label(site, self.scene.language)
                if not label:
                    unnamed += 1
                elif label not in labels:
                    labels.append(label)
        return self.words.origins(labels, unnamed)


def coordinate_digits(tolerance_m: float | None, minimum: int) -> int:
    """Return the decimals of degrees that keep rounding within a quarter of a tolerance.

    A reach is drawn within ``tolerance_m`` of the true boundary (about half of it is
    used by the vertex placement); rounding the coordinates may add at most a
    quarter more. Formats keep at least ``minimum`` decimals.

    Examples
    --------
    >>> coordinate_digits(30.0, 5), coordinate_digits(1.0, 5), coordinate_digits(0.001, 6)
    (5, 6, 9)
    """
    if not tolerance_m:
        return minimum
    needed = math.ceil(math.log10(2 * _METRES_PER_DEGREE / tolerance_m))
    return max(minimum, min(needed, 12))


def prepare(scene: RangeMap) -> Context:
    """Work out what every renderer needs from a map, once.

    Examples
    --------
    >>> from rangemap.reach import Reach
    >>> from rangemap.scene import RangeMap
    >>> m = RangeMap().add(Reach.from_system("atacms", "Sumy")).show_places(2, countries="RU")
    >>> context = prepare(m)
    >>> [row.name for row in context.places], context.layer_numbers(m.layers[0])[:3]
    (['Kursk', 'Bryansk'], [1, 2, 3])
    """
    seen: dict[tuple[str, str, str], Source] = {}
    for layer in scene.layers:
        for source in layer.reach.sources:
            seen.setdefault(_key(source), source)
    return Context(
        scene,
        tuple(place_rows(scene)),
        tuple(seen.values()),
        words(scene.language),
        tuple(point_rows(scene)),
    )
