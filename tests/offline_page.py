"""Opening a rangemap page in Chromium with the network cut off, for the browser tests."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Debian's Chromium, which the browser tests drive (never a browser Playwright downloads).
CHROMIUM = Path("/usr/bin/chromium")
#: Headless, and none of Chromium's own background connections (this machine has no network).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

#: True once Leaflet has drawn the map's shapes.
MAP_DRAWN = "document.querySelectorAll('.leaflet-overlay-pane path').length > 0"


@dataclass
class Visit:
    """A page opened by :func:`open_offline`: its context, the page, and what went wrong.

    ``errors`` collects console errors and uncaught exceptions, ``blocked`` every request
    that was not a file or ``data:`` (all aborted), as they happen.
    """

    context: Any
    page: Any
    errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)


def _watched(browser: Any, size: tuple[int, int], local: tuple[str, ...]) -> Visit:
    """A new context and page of ``size`` recording errors; requests not in ``local`` abort."""
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    visit = Visit(context, None)

    def route(r: Any) -> None:
        if local and r.request.url.startswith(local):
            r.continue_()
        else:
            visit.blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    visit.page = page = context.new_page()
    page.on("console", lambda m: visit.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: visit.errors.append(str(e)))
    return visit


def open_offline(
    browser: Any, path: Path, size: tuple[int, int] = (1280, 800), *, drawn: bool = True
) -> Visit:
    """Open ``path`` in a new browser context of ``size`` with every other request aborted.

    With ``drawn``, wait until the map's shapes are drawn.
    """
    visit = _watched(browser, size, ("file:", "data:"))
    try:
        visit.page.goto(path.as_uri())
        if drawn:
            visit.page.wait_for_function(MAP_DRAWN, timeout=10_000)
            visit.page.wait_for_timeout(200)
    except BaseException:
        visit.context.close()
        raise
    return visit


def open_scripts(browser: Any, *names: str) -> Visit:
    """Open a blank page holding rangemap's own scripts, every request aborted and recorded.

    ``names`` are files of ``rangemap/render/js/`` (:func:`rangemap.render._js.script`),
    added in order: ``open_scripts(browser, "geodesic.js", "ring.js")``.
    """
    from rangemap.render._js import script

    visit = _watched(browser, (1280, 800), ())
    try:
        visit.page.set_content("<!DOCTYPE html><html><head></head><body></body></html>")
        for name in names:
            visit.page.add_script_tag(content=script(name))
    except BaseException:
        visit.context.close()
        raise
    return visit


@contextlib.contextmanager
def checked(visit: Visit) -> Iterator[Visit]:
    """Use an open visit, then check that it asked for nothing and logged no error; close it."""
    try:
        yield visit
        assert visit.blocked == []
        assert visit.errors == []
    finally:
        visit.context.close()
