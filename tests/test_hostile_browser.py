"""The hostile-string battery in a real browser: nothing runs, nothing loads, text shows as written.

Every HTML page and SVG image made from the battery (``tests/hostile.py``) is opened in
Debian's Chromium with every network request blocked and recorded, a recorder
``__rm_hit()`` installed before the page's own scripts, dialogs, console errors and
Content-Security-Policy violations recorded, and the page hovered and tabbed through
(and every element sent ``mouseover`` and ``focus``) to fire any injected handler.
Positive controls show that each recorder catches a live payload. Skips when Chromium
is missing, unless ``RANGEMAP_REQUIRE_BROWSER=1``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
import yaml
from hostile import (
    BATTERY,
    KYIV,
    RECORDER,
    SUMY,
    SURFACES,
    Expect,
    api_page_map,
    file_stem,
    ids,
    pages,
    run,
    shown,
    squash,
    surface,
    write_spec,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:Glyph .* missing from font:UserWarning"),
]

ROOT = Path(__file__).resolve().parents[1]
PAGES = pages(BATTERY, 10)

#: The page's text furniture the real mouse moves over (every element then gets
#: synthetic ``mouseover`` and ``focus`` events, see :data:`POKE`).
HOVER = (
    ".rm-title",
    ".rm-subtitle",
    ".rm-legend",
    ".rm-credit",
    ".leaflet-control-layers",  # opens the layer control, which lists the layer names
)
#: What is read back: the ``textContent`` of every element these select.
READ = (
    ".rm-title",
    ".rm-subtitle",
    ".rm-credit",
    ".rm-legend li",
    ".rm-origin",
    ".rm-note",
    ".rm-places-table td",
    ".rm-sources li",
    ".leaflet-control-layers-overlays label span",
)
#: Sent to every element (but Leaflet's own, whose handlers expect real pointer
#: events) after the real mouse and keyboard: any inline handler would run.
POKE = """() => {
  for (const el of document.querySelectorAll('*')) {
    if ((el.getAttribute('class') || '').includes('leaflet-')) { continue; }
    const r = el.getBoundingClientRect();
    const at = {clientX: r.x + r.width / 2, clientY: r.y + r.height / 2};
    for (const type of ['mouseover', 'mouseenter', 'mousemove']) {
      el.dispatchEvent(new MouseEvent(type, at));
    }
    for (const type of ['focus', 'focusin']) { el.dispatchEvent(new FocusEvent(type)); }
    for (const type of ['toggle', 'load', 'error']) { el.dispatchEvent(new Event(type)); }
    if (typeof el.focus === 'function') { el.focus(); }
  }
}"""

# --- the browser -----------------------------------------------------------------------------


@dataclass
class Visit:
    """What happened while a page was open."""

    hits: list[str] = field(default_factory=list)
    csp: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    frames: list[str] = field(default_factory=list)
    texts: dict[str, list[str]] = field(default_factory=dict)
    title: str = ""
    svg_text: str = ""
    paths: int = 0
    links: list[list[str]] = field(default_factory=list)

    def assert_inert(self) -> None:
        """Nothing ran, opened, loaded, failed, or was refused by the page's policy."""
        assert self.hits == [], f"__rm_hit() was called: {self.hits}"
        assert self.dialogs == [], f"a dialog opened: {self.dialogs}"
        assert self.requests == [], f"the page asked for {self.requests}"
        assert self.csp == [], f"the Content-Security-Policy refused {self.csp}"
        assert self.console == [], f"console: {self.console}"
        assert self.errors == [], f"page errors: {self.errors}"


class Browser:
    """One Chromium page that opens local files with all network blocked and recorded."""

    def __init__(self, browser: Any) -> None:
        self.context = browser.new_context(viewport={"width": 1200, "height": 900})
        self.context.add_init_script(RECORDER)
        self.context.route("**/*", self._route)
        self.allowed: set[str] = set()
        self.seen = Visit()
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.seen.errors.append(str(e)))
        self.page.on("dialog", self._dialog)

    def _route(self, route: Any) -> None:
        url = unquote(route.request.url, errors="replace")
        if url in self.allowed:
            route.continue_()
        else:
            self.seen.requests.append(route.request.url)
            route.abort()

    def _console(self, message: Any) -> None:
        if message.type in ("error", "warning"):
            self.seen.console.append(f"{message.type}: {message.text}")

    def _dialog(self, dialog: Any) -> None:
        self.seen.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def visit(self, path: Path, *, also: Sequence[Path] = (), leaflet: bool = True) -> Visit:
        """Open ``path`` (letting it load the files ``also``), use it, and report."""
        self.seen = seen = Visit()
        self.allowed = {unquote(p.as_uri(), errors="replace") for p in (path, *also)}
        page = self.page
        page.goto(path.as_uri(), wait_until="load")
        if leaflet:
            page.wait_for_function(
                "document.querySelectorAll('.leaflet-overlay-pane path').length > 0",
                timeout=10_000,
            )
        self._use(page)
        for frame in page.frames:
            if not frame.url.startswith("file:"):
                continue
            seen.frames.append(frame.url)
            state = frame.evaluate(
                "() => window.__rm_hits === undefined ? null : [window.__rm_hits, window.__rm_csp]"
            )
            assert state is not None, f"the recorder is missing in {frame.url}"
            seen.hits += state[0]
            seen.csp += state[1]
        seen.texts = page.evaluate(
            "sels => Object.fromEntries(sels.map(s => "
            "[s, Array.from(document.querySelectorAll(s), e => e.textContent)]))",
            list(READ),
        )
        seen.title = page.evaluate("() => document.title")
        seen.svg_text = page.evaluate(
            "() => Array.from(document.querySelectorAll('text'), t => t.textContent).join('')"
        )
        seen.paths = page.evaluate(
            "() => document.querySelectorAll('.leaflet-overlay-pane path').length"
        )
        seen.links = page.evaluate(
            "() => Array.from(document.querySelectorAll('a[href]'),"
            " a => [a.getAttribute('href'), a.textContent])"
        )
        page.goto("about:blank")
        return seen

    def _use(self, page: Any) -> None:
        """Hover the text furniture, open the layer control, tab through, poke everything."""
        for selector in HOVER:
            boxes = page.eval_on_selector_all(
                selector,
                "els => els.slice(0, 1).map(e => { const r = e.getBoundingClientRect();"
                " return [r.x + r.width / 2, r.y + r.height / 2, r.width * r.height]; })",
            )
            for x, y, area in boxes:
                if area > 0 and 0 <= x < 1200 and 0 <= y < 900:
                    page.mouse.move(x, y)
        for _ in range(4):
            page.keyboard.press("Tab")
        for frame in page.frames:
            if frame.url.startswith("file:"):
                frame.evaluate(POKE)
        page.mouse.move(1, 1)
        page.wait_for_timeout(30)


@pytest.fixture(scope="module")
def chromium(chromium_launched: Any) -> Browser:
    return Browser(chromium_launched)


# --- what a page must show ----------------------------------------------------------------


def _collapse(text: str) -> str:
    """What ``document.title`` makes of a title: ASCII whitespace collapsed, trimmed."""
    return re.sub(r"[ \t\n\f\r]+", " ", text).strip(" \t\n\f\r")


def check_page(seen: Visit, expect: Expect) -> None:
    """Every text is on the page exactly as :func:`~rangemap.escaping.clean` makes it."""
    texts = seen.texts
    assert seen.paths > 0, "the map drew nothing"
    assert texts[".rm-title"] == [expect.title]
    assert texts[".rm-subtitle"] == [expect.subtitle]
    assert texts[".rm-credit"] == [expect.credit]
    assert seen.title == _collapse(expect.title)
    legend = texts[".rm-legend li"]
    assert len(legend) == len(expect.layers) + 1
    for item, layer in zip(legend, expect.layers, strict=False):
        if layer.name:
            assert item == layer.name  # a distance: no source numbers
        else:
            assert layer.system_name is not None
            assert layer.variant_name is not None
            assert item.startswith(layer.system_name)
            assert layer.variant_name in item
    measured = legend[-1]
    assert measured.startswith("Measured from ")
    for origin in expect.origins:
        assert origin in measured
    assert sorted(set(texts[".rm-origin"])) == sorted(expect.origins)
    assert sorted(texts[".rm-note"]) == sorted(expect.notes)
    # Leaflet inserts the layer names as HTML ("<span> name</span>"): they arrive escaped.
    control = texts[".leaflet-control-layers-overlays label span"]
    for layer in expect.layers:
        if layer.name:
            assert f" {layer.name}" in control
    cells = texts[".rm-places-table td"]
    assert cells[:1] == ["Kursk"]
    assert cells[4] in expect.origins  # the nearest origin of Kursk
    sources = " ".join(texts[".rm-sources li"])
    for text in expect.sources:
        assert text in sources
    for wanted in expect.texts():
        if "7*7" in wanted:
            # Template syntax is shown, never evaluated.
            assert "{{ 7*7 }}" in " ".join(texts[".rm-title"] + texts[".rm-note"] + legend)


# --- the Python API, every string in every field ----------------------------------------------


@pytest.mark.parametrize("entries", PAGES, ids=ids(PAGES))
def test_api_page(chromium: Browser, tmp_path: Path, entries: list[tuple[str, str]]) -> None:
    scene, expect = api_page_map(entries)
    seen = chromium.visit(scene.save(tmp_path / "map.html"))
    seen.assert_inert()
    check_page(seen, expect)
    # Each text also labels its own layer, origin and note: shown exactly, one each.
    names = seen.texts[".leaflet-control-layers-overlays label span"]
    for _, text in entries:
        assert f" {shown(text)}" in names
        assert shown(text) in seen.texts[".rm-note"]


# --- the command line, recipes and specs ---------------------------------------------


@pytest.mark.parametrize("name", SURFACES)
def test_surface_page(chromium: Browser, name: str) -> None:
    rendered = surface(name)
    seen = chromium.visit(rendered.files["html"])
    seen.assert_inert()
    check_page(seen, rendered.expect)


@pytest.mark.parametrize("name", SURFACES)
def test_surface_svg(chromium: Browser, name: str) -> None:
    """The SVG, opened as a document: its text is text, nothing in it runs or loads."""
    rendered = surface(name)
    seen = chromium.visit(rendered.files["svg"], leaflet=False)
    seen.assert_inert()
    flat = squash(seen.svg_text)
    for wanted in rendered.expect.texts():
        assert squash(wanted) in flat


# --- the Content-Security-Policy -----------------------------------------------------------------


def test_csp_stops_what_escaping_might_miss(chromium: Browser, tmp_path: Path) -> None:
    """Markup pasted into a rendered page (an escaping bug, simulated) still cannot run.

    The same page without its policy runs it: the payload is live and the recorder works.
    """
    scene, _ = api_page_map(BATTERY[:2])
    page = scene.to_html()
    injected = "<script>__rm_hit()</script><img src=x onerror=__rm_hit()>"
    head = '<h1 class="rm-title">'
    assert page.count(head) == 1
    broken = page.replace(head, head + injected)
    path = tmp_path / "broken.html"
    path.write_text(broken, "utf-8")
    seen = chromium.visit(path)
    assert seen.hits == []
    assert seen.dialogs == []
    assert seen.requests == []  # img-src data: only: not even asked for
    assert seen.paths > 0  # the map still draws
    # The injected script's text is the title's first words; it never ran.
    assert seen.texts[".rm-title"][0] == "__rm_hit()" + shown(scene.title or "")
    refused = " ".join(seen.csp)
    assert "script-src" in refused  # the inline script and the onerror handler
    assert "img-src" in refused
    assert len(seen.csp) >= 2
    # Positive control: without the policy the same markup runs.
    policy = re.compile(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">')
    assert len(policy.findall(broken)) == 1
    open_path = tmp_path / "open.html"
    open_path.write_text(policy.sub("", broken), "utf-8")
    seen = chromium.visit(open_path)
    assert len(seen.hits) >= 2, "the recorder missed a live payload"
    assert any(url.endswith("/x") for url in seen.requests), seen.requests


def test_recorders_catch_live_payloads(chromium: Browser, tmp_path: Path) -> None:
    """Positive controls: every recorder of :class:`Browser` sees what it is there for."""
    page = tmp_path / "live.html"
    page.write_text(
        "<!DOCTYPE html><title>live</title><h1 onmouseover='__rm_hit()'>x</h1>"
        "<script>__rm_hit(); alert(1); console.error('boom')</script>"
        "<img src=https://evil.example/x.png><input autofocus onfocus=__rm_hit()>",
        "utf-8",
    )
    seen = chromium.visit(page, leaflet=False)
    assert len(seen.hits) >= 3  # the script, the focus, the mouse
    assert seen.dialogs == ["alert: 1"]
    assert "https://evil.example/x.png" in seen.requests
    assert any("boom" in line for line in seen.console)
    image = tmp_path / "live.svg"
    image.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><script>__rm_hit()</script>'
        '<text onmouseover="__rm_hit()">x</text></svg>',
        "utf-8",
    )
    assert len(chromium.visit(image, leaflet=False).hits) >= 2


# --- source links from a spec ----------------------------------------------------------------

#: Addresses the catalog accepts (http(s), a real host) that still try to break out.
ODD_URLS = {
    "lockheed-2016": 'https://example.org/"><svg/onload=__rm_hit()>${__rm_hit()}`',
    "afp-tribune-2024-04-24": "https://example.org/?q='-__rm_hit()-'&x=<b>&amp;",
    "voa-2024-04-25": "https://\u0440\u0435uters.com/world/",  # Cyrillic look-alike
    "janes-2023-08": "https://example.org/#javascript:__rm_hit()",
}


def test_source_links(chromium: Browser, tmp_path: Path) -> None:
    spec = yaml.safe_load((ROOT / "specs" / "atacms.yaml").read_text("utf-8"))
    for key, url in ODD_URLS.items():
        spec["sources"][key]["url"] = url
        spec["sources"][key]["publisher"] = f"<b>{key}</b> {{{{ 7*7 }}}}"
    folder = write_spec(tmp_path / "specs", spec).parent
    output = tmp_path / "map.html"
    run(["map", "atacms", "--specs", str(folder), f"--from={SUMY}=Sumy", "-o", str(output)])
    seen = chromium.visit(output)
    seen.assert_inert()
    links = dict(seen.links)
    for key, url in ODD_URLS.items():
        assert url in links, f"no link to {url!r}"
        assert f"<b>{key}</b> {{{{ 7*7 }}}}" in " ".join(seen.texts[".rm-sources li"])
    assert links[ODD_URLS["voa-2024-04-25"]] == "xn--uters-ywe0f.com"  # not the look-alike


# --- embed snippets named after hostile strings -----------------------------------------------

EMBEDDED = [
    "script-tag",
    "attr-dq-mouseover",
    "attr-sq-autofocus",
    "ampersand",
    "jinja-comment",
    "js-template",
    "js-backslash-dq",
    "url-percent",
    "osc52-clipboard",
    "bidi-override",
    "crlf-tab",
    "nfd",
    "emoji-zwj",
    "shell-pipe",
]
_EMBED_TEXTS = dict(BATTERY)


@dataclass
class Embeds:
    visit: Visit
    maps: dict[str, Path]


@pytest.fixture(scope="module")
def embeds(chromium: Browser, tmp_path_factory: pytest.TempPathFactory) -> Embeds:
    """One CMS page holding the ``--embed`` snippet of a map named after each string."""
    folder = tmp_path_factory.mktemp("embed")
    maps: dict[str, Path] = {}
    snippets = []
    for name in EMBEDDED:
        text = _EMBED_TEXTS[name]
        output = folder / f"{file_stem(text, 120)}.html"
        result = run(
            [
                "map",
                "--distance=100 km",
                f"--from={KYIV}=Kyiv",
                f"--title={text}",
                "-o",
                str(output),
                "--embed",
            ]
        )
        assert result.code == 0, result.err
        snippet = output.with_name(f"{output.stem}.embed.html")
        snippets.append(snippet.read_text("utf-8"))
        maps[name] = output
    cms = folder / "cms.html"
    cms.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>CMS</title></head><body>"
        + "".join(snippets)
        + "</body></html>",
        "utf-8",
    )
    return Embeds(chromium.visit(cms, also=list(maps.values()), leaflet=False), maps)


def test_embed_snippets_are_inert(embeds: Embeds) -> None:
    seen = embeds.visit
    assert seen.hits == []
    assert seen.dialogs == []
    assert seen.csp == []
    assert seen.errors == []
    # Frames whose src misses its map ask for a file that is not there; nothing else.
    assert [url for url in seen.requests if not url.startswith("file:")] == []


@pytest.mark.parametrize(
    "name",
    [pytest.param(name) for name in EMBEDDED],
)
def test_embed_snippet_loads_its_map(embeds: Embeds, name: str) -> None:
    wanted = unquote(embeds.maps[name].as_uri(), errors="replace")
    loaded = [unquote(url, errors="replace") for url in embeds.visit.frames]
    assert wanted in loaded, f"no frame shows {embeds.maps[name].name!r}"


def test_map_in_a_frame_without_size(chromium: Browser, tmp_path: Path) -> None:
    """The embed snippet inside a container with no width yet: the map page loads quietly.

    A CMS tab or accordion that is closed (``width:0``) gives the map no size when it
    loads: the page script waits for one before fitting the view (Leaflet's
    ``fitBounds`` in a 0-wide map gave ``Invalid LatLng object: (NaN, NaN)``).
    """
    scene, _ = api_page_map(BATTERY[:1])
    output = scene.save(tmp_path / "map.html", embed=True)
    snippet = (tmp_path / "map.embed.html").read_text("utf-8")
    cms = tmp_path / "cms.html"
    cms.write_text(
        f"<!DOCTYPE html><title>CMS</title><div style='width:0'>{snippet}</div>", "utf-8"
    )
    seen = chromium.visit(cms, also=[output], leaflet=False)
    assert seen.hits == []
    assert seen.errors == []
    assert seen.console == []
    assert unquote(output.as_uri()) in [unquote(url) for url in seen.frames]  # it did load
    # Opened later (the tab shown), the map fits its view to the reach and draws it.
    chromium.seen = seen = Visit()
    chromium.allowed = {unquote(p.as_uri(), errors="replace") for p in (cms, output)}
    page = chromium.page
    page.goto(cms.as_uri(), wait_until="load")
    frame = next(f for f in page.frames if f.url.endswith("map.html"))
    frame.wait_for_load_state("load")
    page.wait_for_timeout(200)
    page.evaluate("document.querySelector('div').style.width = '640px'")
    frame.wait_for_function(
        "document.querySelectorAll('.leaflet-overlay-pane path').length > 0"
        " && document.querySelector('.leaflet-overlay-pane svg').getBoundingClientRect().width > 0",
        timeout=10_000,
    )
    view = frame.evaluate(
        "(() => { const m = window[JSON.parse(document.getElementById('rm-data').textContent)"
        ".map]; const c = m.getCenter(); return [m.getZoom(), c.lat, c.lng]; })()"
    )
    assert all(isinstance(v, int | float) and v == v for v in view), view  # no NaN
    assert view[0] > 3  # fitted to a 100 km reach, not the world
    page.goto("about:blank")
    assert seen.errors == []
    assert seen.console == []
