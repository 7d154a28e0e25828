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
