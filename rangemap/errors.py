"""The errors rangemap raises on purpose.

Every user mistake (a bad spec file, an unknown system, an unknown place, a bad
coordinate or distance) raises a subclass of :class:`RangemapError` whose message
names the file, field or argument at fault and says what to do. The command line
prints that message and exits with status 2, without a traceback.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "AmbiguousPlaceError",
    "InputError",
    "PlaceNotFoundError",
    "RangemapError",
    "RecipeError",
    "SpecError",
    "UnknownSystemError",
]


class RangemapError(Exception):
    """Base class of every error rangemap raises on purpose."""


class InputError(RangemapError, ValueError):
    """An argument has a value rangemap cannot use (coordinate, distance, geometry, option)."""


class SpecError(RangemapError, ValueError):
    """One or more catalog spec files are invalid.

    Parameters
    ----------
    problems : sequence of str
        One line per problem, each of the form ``"path: field: what is wrong"``.
    """

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems: tuple[str, ...] = tuple(problems)
        super().__init__("\n".join(self.problems))


class RecipeError(RangemapError, ValueError):
    """A map recipe file is invalid; the message names the file and the field."""


class UnknownSystemError(RangemapError, LookupError):
    """No system in the catalog matches a name; the message suggests the closest ones."""

    def __str__(self) -> str:  # LookupError would otherwise show the repr of its argument
        return str(self.args[0]) if self.args else ""


class PlaceNotFoundError(RangemapError, LookupError):
    """No place in the gazetteer matches a name; the message suggests close ones."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class AmbiguousPlaceError(PlaceNotFoundError):
    """A name means comparable places in different countries; the message lists them.

    It is a :class:`PlaceNotFoundError` (no one place was found), so code that handles
    a miss handles it too; the message says which ``"Name, CC"`` to write for each.
    """
