"""The flagship map as the reader's interactive page, for the browser tests, and its state."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rangemap.recipes import flagship_recipe, load_recipe
from rangemap.scene import Interactive

#: The editor's choices the flagship interactive page offers besides its own system.
CHOICES = ("storm-shadow", "atacms:block-i")


def flagship_pages(folder: Path, languages: Sequence[str]) -> dict[str, Path]:
    """Write the flagship recipe as an interactive page with :data:`CHOICES`, per language."""
    out: dict[str, Path] = {}
    for language in languages:
        scene = load_recipe(flagship_recipe())
        scene.language = language
        scene.interactive = Interactive(CHOICES)
        out[language] = scene.save(folder / f"flagship-{language}.html")
    return out


def reader_state(page: Any) -> dict[str, Any]:
    """Return ``window.rangemap.state()`` of an open interactive page."""
    state: dict[str, Any] = page.evaluate("() => window.rangemap.state()")
    return state


def handle_centre(page: Any, index: int = 0) -> tuple[float, float]:
    """Return where origin ``index``'s draggable marker is on screen (its centre, in px)."""
    box = page.locator(".rm-handle").nth(index).bounding_box()
    assert box is not None
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


#: The labels a reader sees on the map: the page script's and the places script's
#: (``.rm-label span``) and the origins' (``.rm-origin-tip``), each with its box on screen.
_LABELS = """() => [...document.querySelectorAll('.rm-label span, .rm-origin-tip')]
  .filter(e => e.isConnected && getComputedStyle(e).visibility === 'visible')
  .map(e => [e.textContent, e.classList.contains('rm-origin-tip'), e.getBoundingClientRect()])
  .filter(d => d[2].width > 0 && d[2].height > 0)
  .map(d => ({text: d[0], origin: d[1], box: [d[2].left, d[2].top, d[2].right, d[2].bottom]}))"""


def visible_labels(page: Any) -> list[dict[str, Any]]:
    """Return the map's visible labels: ``{"text", "origin", "box": [left, top, right, bottom]}``.

    ``origin`` is true for an origin's label.
    """
    labels: list[dict[str, Any]] = page.evaluate(_LABELS)
    return labels


def overlapping(labels: Sequence[dict[str, Any]]) -> list[tuple[str, str]]:
    """Return the pairs of labels (by text) whose boxes intersect."""
    out = []
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            (al, at, ar, ab), (bl, bt, br, bb) = a["box"], b["box"]
            if al < br and bl < ar and at < bb and bt < ab:
                out.append((a["text"], b["text"]))
    return out


def city_on_screen(page: Any, lon: float, lat: float) -> tuple[float, float]:
    """Return where the place at ``lon``, ``lat`` is on screen (px, page coordinates)."""
    at: list[float] = page.evaluate(
        """([lon, lat]) => { const m = window.rangemap.map,
          p = m.latLngToContainerPoint([lat, lon]), r = m.getContainer().getBoundingClientRect();
          return [r.left + p.x, r.top + p.y]; }""",
        [lon, lat],
    )
    return at[0], at[1]


def drag(page: Any, start: tuple[float, float], end: tuple[float, float], steps: int = 12) -> None:
    """Drag with the mouse from ``start`` to ``end`` (px), as a reader does, then wait a moment."""
    page.mouse.move(*start)
    page.mouse.down()
    for step in range(1, steps + 1):
        f = step / steps
        page.mouse.move(start[0] + (end[0] - start[0]) * f, start[1] + (end[1] - start[1]) * f)
    page.mouse.up()
    page.wait_for_timeout(50)


def settled(page: Any) -> None:
    """Wait until the cities in range are counted for the map shown and labelled."""
    page.wait_for_function("() => window.rangemap.places && window.rangemap.places.settled()")
    page.wait_for_timeout(100)


def view(page: Any) -> list[Any]:
    """The map's centre (``{lat, lng}``) and zoom."""
    shown: list[Any] = page.evaluate(
        "() => [window.rangemap.map.getCenter(), window.rangemap.map.getZoom()]"
    )
    return shown


def back_at(page: Any, expected: list[Any], timeout: float = 5_000) -> None:
    """Wait until the map shows ``expected`` (from :func:`view`) once its animations end."""
    page.wait_for_function(
        """([c, z]) => { const m = window.rangemap.map, at = m.getCenter();
          return m.getZoom() === z && Math.abs(at.lat - c.lat) < 1e-3 &&
            Math.abs(at.lng - c.lng) < 1e-3; }""",
        arg=expected,
        timeout=timeout,
    )


def watch_moves(page: Any) -> None:
    """Start counting the map's moves afresh, for :func:`moved_view`."""
    page.evaluate(
        """() => { const m = window.rangemap.map;
          if (!window.__rmMoves) {
            const t = window.__rmMoves = {start: 0, end: 0, n: 0};
            m.on('movestart', () => { t.start = ++t.n; });
            m.on('moveend', () => { t.end = ++t.n; });
          }
          Object.assign(window.__rmMoves, {start: 0, end: 0, n: 0}); }"""
    )


def moved_view(page: Any, timeout: float = 10_000) -> list[Any]:
    """The map's :func:`view` once a move begun since :func:`watch_moves` has ended.

    Waiting for the events, not for a time: on a busy machine an animation's first
    frame alone may come late.
    """
    page.wait_for_function(
        "() => { const t = window.__rmMoves; return t.start > 0 && t.end > t.start; }",
        timeout=timeout,
    )
    return view(page)
