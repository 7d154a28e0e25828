"""The reader's map inside the responsive embed: a sandboxed frame in a host article.

Covers ``rangemap map --interactive --embed``: the snippet from
:func:`rangemap.render.embed_snippet` around an interactive page
(:mod:`rangemap.render.interactive`), opened in Debian's Chromium with every network
request blocked. The frame has no origin of its own (its sandbox has no
``allow-same-origin``), so the page must keep working without one: dragging keeps the
state in the frame's address, the host page drives it by ``postMessage`` and hears the
new state back, and the frame's height still follows its page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from offline_page import open_offline
from pyproj import Geod

from rangemap.cli import main

pytestmark = pytest.mark.browser

GEOD = Geod(ellps="WGS84")
KYIV = (30.5234, 50.4501)

ARTICLE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Host article</title></head>
<body><article style="max-width:720px;margin:0 auto">
<h1>What could reach your city?</h1>
<p>Drag the launch point on the map below.</p>
{snippet}
<p>The end of the article.</p>
</article></body></html>
"""

#: The host page's side of the protocol: every reply from the map, kept in order.
LISTEN = """() => {
  window.replies = [];
  window.addEventListener("message", (event) => {
    if (event.data && event.data.rangemap === "state") { window.replies.push(event.data.state); }
  });
}"""


@pytest.fixture(scope="module")
def article(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A host article holding the embed snippet of an interactive ATACMS map from Sumy."""
    folder = tmp_path_factory.mktemp("interactive-embed")
    page = folder / "reach.html"
    code = main(
        ["map", "atacms", "--from", "Sumy", "--interactive", "--choices", "storm-shadow",
         "--embed", "-o", str(page)]
    )  # fmt: skip
    assert code == 0
    snippet = (folder / "reach.embed.html").read_text("utf-8")
    host = folder / "article.html"
    host.write_text(ARTICLE.format(snippet=snippet), "utf-8")
    return host


def _frame(page: Any) -> Any:
    page.wait_for_function(
        "() => { const f = document.querySelector('iframe'); return f && f.style.height !== ''; }",
        timeout=15_000,
    )
    frame = next(f for f in page.frames if f != page.main_frame)
    frame.wait_for_function("window.rangemap && window.rangemap.state", timeout=15_000)
    return frame


@pytest.mark.parametrize("width", [1280, 390])
def test_the_embedded_reader_map_moves_and_answers_the_host(
    chromium_launched: Any, article: Path, width: int
) -> None:
    visit = open_offline(chromium_launched, article, (width, 900), drawn=False)
    try:
        page = visit.page
        frame = _frame(page)
        page.evaluate(LISTEN)
        # The host asks the map to move its origin to Kyiv, then hears the new state.
        page.evaluate(
            "(lonlat) => document.querySelector('iframe').contentWindow.postMessage("
            "{rangemap: 'moveOrigin', args: [0, lonlat[0], lonlat[1]]}, '*')",
            list(KYIV),
        )
        page.wait_for_function("window.replies.length > 0", timeout=10_000)
        state = page.evaluate("window.replies[window.replies.length - 1]")
        lon, lat = state["origins"][0]
        assert GEOD.inv(lon, lat, *KYIV)[2] < 1.0
        assert state["system"] == "atacms"
        # The frame keeps the state in its own address (it has no origin of its own).
        assert frame.evaluate("location.hash").startswith("#o=30.52")
        # Switching system from the host works the same way.
        page.evaluate(
            "() => document.querySelector('iframe').contentWindow.postMessage("
            "{rangemap: 'selectSystem', args: ['storm-shadow']}, '*')"
        )
        page.wait_for_function(
            "window.replies.some((s) => s.system === 'storm-shadow')", timeout=10_000
        )
        # The frame's height still follows its page after the panels changed.
        page.wait_for_timeout(500)
        outer = page.evaluate("document.querySelector('iframe').getBoundingClientRect().height")
        inner = frame.evaluate("document.documentElement.scrollHeight")
        assert outer >= inner - 2
        assert visit.errors == []
        assert visit.blocked == []
    finally:
        visit.context.close()


def test_a_host_message_of_another_shape_is_ignored(chromium_launched: Any, article: Path) -> None:
    visit = open_offline(chromium_launched, article, (1280, 900), drawn=False)
    try:
        page = visit.page
        frame = _frame(page)
        before = frame.evaluate("JSON.stringify(window.rangemap.state().origins)")
        page.evaluate(LISTEN)
        for message in (
            "{rangemap: 'moveOrigin', args: [0, 'x', 50]}",
            "{rangemap: 'moveOrigin', args: [7, 30, 50]}",
            "{rangemap: 'eval', args: ['alert(1)']}",
            "'moveOrigin'",
            "{rangemap: 'selectSystem', args: ['<img src=x onerror=alert(1)>']}",
        ):
            page.evaluate(
                f"() => document.querySelector('iframe').contentWindow.postMessage({message}, '*')"
            )
        page.wait_for_timeout(500)
        assert frame.evaluate("JSON.stringify(window.rangemap.state().origins)") == before
        assert frame.evaluate("window.rangemap.state().system") == "atacms"
        assert frame.evaluate("window.replies === undefined")  # nothing ran in the frame
        assert page.evaluate("window.replies") == []  # and nothing was answered
        assert visit.errors == []
        assert visit.blocked == []
    finally:
        visit.context.close()
