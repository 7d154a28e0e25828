"""The format registry: which writer makes which file suffix, and the options it takes.

Each renderer registers its writers where it defines them (``register_writer(".png",
to_png_file, options=("preset",))`` at the end of :mod:`rangemap.render.static`), so
the list of formats is the list of renderers. This module imports no renderer: it
knows each built-in suffix's renderer module and options (:data:`BUILTIN`), so an
output is checked without loading any renderer, and writing a file loads only the one
renderer its format needs (:func:`format_for`).
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rangemap.errors import InputError
from rangemap.escaping import quote

if TYPE_CHECKING:
    from rangemap.render._context import Context

__all__ = [
    "BUILTIN",
    "Format",
    "Writer",
    "format_for",
    "formats",
    "options_of",
    "register_writer",
    "suffixes",
]

#: A writer turns a prepared map into the complete bytes of one file:
#: ``writer(context, **options)``, given only the options it registered.
Writer = Callable[..., bytes]

#: The options :meth:`rangemap.scene.RangeMap.save` knows, and what they apply to.
OPTIONS = ("preset", "max_bytes")


@dataclass(frozen=True, slots=True)
class Format:
    """A file format: its suffix, its writer and the save options it takes."""

    suffix: str
    writer: Writer
    options: tuple[str, ...] = ()

    def write(self, context: Context, **options: Any) -> bytes:
        """Return the file's bytes, passing only the options this format takes.

        A map made interactive (:class:`rangemap.scene.Interactive`) is drawn as it is
        in any format but HTML, with a warning saying so.
        """
        if getattr(context.scene, "interactive", None) is not None and self.suffix not in (
            ".html",
            ".htm",
        ):
            msg = (
                f"interactive: applies to .html pages; the {self.suffix} file shows the map "
                "as it is, with no dragging or switching"
            )
            warnings.warn(msg, UserWarning, stacklevel=3)
        return self.writer(context, **{k: v for k, v in options.items() if k in self.options})


_FORMATS: dict[str, Format] = {}

#: The built-in formats: each suffix, the renderer module that registers its writer on
#: import, and the options that writer takes (a test checks these against the modules).
BUILTIN: dict[str, tuple[str, tuple[str, ...]]] = {
    ".geojson": ("rangemap.render.vector", ("max_bytes",)),
    ".gpkg": ("rangemap.render.export", ()),
    ".htm": ("rangemap.render.page", ()),
    ".html": ("rangemap.render.page", ()),
    ".kml": ("rangemap.render.export", ()),
    ".pdf": ("rangemap.render.static", ("preset",)),
    ".png": ("rangemap.render.static", ("preset",)),
    ".svg": ("rangemap.render.static", ("preset",)),
}


def register_writer(suffix: str, writer: Writer, *, options: tuple[str, ...] = ()) -> None:
    """Register the writer :meth:`~rangemap.scene.RangeMap.save` uses for a file suffix.

    Parameters
    ----------
    suffix : str
        Lower-case suffix with its dot, such as ``".kml"``.
    writer : callable
        ``writer(context, **options) -> bytes``, where ``context`` is a
        :class:`~rangemap.render._context.Context` (``context.scene`` is the map).
    options : tuple of str, optional
        The save options the writer takes: ``"preset"``, ``"max_bytes"``.

    Examples
    --------
    >>> register_writer(".txt", lambda context: (context.scene.title or "").encode())
    >>> ".txt" in formats()
    True
    >>> _ = _FORMATS.pop(".txt")
    """
    if not isinstance(suffix, str) or not suffix.startswith(".") or suffix != suffix.lower():
        msg = f"suffix: {quote(suffix)} must be lower case and start with a dot, like '.kml'"
        raise InputError(msg)
    unknown = [o for o in options if o not in OPTIONS]
    if unknown:
        msg = f"options: {quote(unknown[0])} is not one of {', '.join(OPTIONS)}"
        raise InputError(msg)
    _FORMATS[suffix] = Format(suffix, writer, tuple(options))


def formats() -> dict[str, Format]:
    """Return the registered formats by suffix (only those registered so far)."""
    return dict(_FORMATS)


def suffixes() -> tuple[str, ...]:
    """Return every suffix that can be written, built-in or registered, sorted.

    No renderer is loaded.

    Examples
    --------
    >>> suffixes()[:4]
    ('.geojson', '.gpkg', '.htm', '.html')
    """
    return tuple(sorted({*BUILTIN, *_FORMATS}))


def options_of(suffix: str) -> tuple[str, ...] | None:
    """Return the save options a suffix's writer takes, or ``None`` if none writes it.

    No renderer is loaded: a registered writer answers first, then :data:`BUILTIN`.

    Examples
    --------
    >>> options_of(".png"), options_of(".html"), options_of(".txt")
    (('preset',), (), None)
    """
    if suffix in _FORMATS:
        return _FORMATS[suffix].options
    entry = BUILTIN.get(suffix)
    return entry[1] if entry is not None else None


def format_for(suffix: str) -> Format | None:
    """Return the format that writes a suffix, loading only its built-in renderer.

    Parameters
    ----------
    suffix : str
        Lower-case suffix with its dot, such as ``".html"``.

    Returns
    -------
    Format or None
        ``None`` if no writer, built-in or registered, takes the suffix.

    Examples
    --------
    >>> format_for(".geojson").options
    ('max_bytes',)
    >>> format_for(".txt") is None
    True
    """
    entry = BUILTIN.get(suffix)
    if entry is not None:
        importlib.import_module(entry[0])  # registers its formats on first import
    return _FORMATS.get(suffix)
