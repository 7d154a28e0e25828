"""The ``.html`` writer: the static page, or the reader's page when the map asks for it.

This module owns the choice between :mod:`rangemap.render.html` (the page readers
pan, zoom and read) and :mod:`rangemap.render.interactive` (the same page with
draggable origins, systems to switch to and places to search), made by
the map's ``interactive`` setting (:class:`rangemap.scene.RangeMap`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rangemap.render._context import prepare
from rangemap.render._registry import register_writer
from rangemap.render.html import _render
from rangemap.render.interactive import render_interactive

if TYPE_CHECKING:
    from rangemap.render._context import Context
    from rangemap.scene import RangeMap

__all__ = ["render_page"]


def render_page(scene: RangeMap) -> str:
    """Return the map as one self-contained HTML page, the reader's map if it is interactive.

    Parameters
    ----------
    scene : RangeMap
        The map.

    Returns
    -------
    str
        The page.

    Examples
    --------
    >>> from rangemap.reach import Reach
    >>> from rangemap.scene import RangeMap
    >>> m = RangeMap(interactive=True)
    >>> _ = m.add(Reach.from_system("atacms", "Kharkiv"))
    >>> "rangemap.moveOrigin" in render_page(m)  # the reader can drag Kharkiv
    True
    """
    return _page(prepare(scene))


def _page(context: Context) -> str:
    if context.scene.interactive:
        return render_interactive(context)
    return _render(context)


def _write_page(context: Context) -> bytes:
    return _page(context).encode("utf-8")


register_writer(".html", _write_page)
register_writer(".htm", _write_page)
