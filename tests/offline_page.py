"""Opening a rangemap page in Chromium with the network cut off, for the browser tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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


def open_offline(
    browser: Any, path: Path, size: tuple[int, int] = (1280, 800), *, drawn: bool = True
) -> Visit:
    """Open ``path`` in a new browser context of ``size`` with every other request aborted.

    With ``drawn``, wait until the map's shapes are drawn.
    """
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    visit = Visit(context, None)

    def route(r: Any) -> None:
        if r.request.url.startswith(("file:", "data:")):
            r.continue_()
        else:
            visit.blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    visit.page = page = context.new_page()
    page.on("console", lambda m: visit.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: visit.errors.append(str(e)))
    try:
        page.goto(path.as_uri())
        if drawn:
            page.wait_for_function(MAP_DRAWN, timeout=10_000)
            page.wait_for_timeout(200)
    except BaseException:
        context.close()
        raise
    return visit


def open_scripts(browser: Any, *names: str) -> Visit:
    """Open a blank page holding rangemap's own scripts, every request aborted and recorded.

    ``names`` are files of ``rangemap/render/js/`` (:func:`rangemap.render._js.script`),
    added in order: ``open_scripts(browser, "geodesic.js", "ring.js")``.
    """
    from rangemap.render._js import script

    context = browser.new_context()
    visit = Visit(context, None)

    def route(r: Any) -> None:
        visit.blocked.append(r.request.url)
        r.abort()

    context.route("**/*", route)
    visit.page = page = context.new_page()
    page.on("console", lambda m: visit.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: visit.errors.append(str(e)))
    try:
        page.set_content("<!DOCTYPE html><html><head></head><body></body></html>")
        for name in names:
            page.add_script_tag(content=script(name))
    except BaseException:
        context.close()
        raise
    return visit
