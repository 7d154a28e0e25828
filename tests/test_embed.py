"""The embed snippet and the map in an article: height, wheel, reset view, labels, tooltips.

Covers :func:`rangemap.render.embed_snippet`, :func:`rangemap.render.check_embed_url`,
``rangemap map --embed-url`` and the page script's embed behaviour
(:data:`rangemap.render._panels.MAP_SCRIPT`): the snippet is put in a host article page
opened in Debian's Chromium at 1280 and 375 px wide, with every network request
blocked and recorded. Screenshots go to ``test-artifacts/`` (``embed-*.png``,
``labels-*.png``) for people to look at.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from offline_page import Visit, open_offline

from rangemap.cli import main
from rangemap.errors import InputError
from rangemap.reach import Reach
from rangemap.recipes import flagship_recipe, load_recipe
from rangemap.render import SANDBOX, check_embed_url, embed_snippet
from rangemap.scene import RangeMap

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
HOSTILE_TITLE = '"><script>window.__pwned=1</script>${window.__pwned=1} & </iframe>'
#: Kapustin Yar test site, from which Oreshnik was launched in November 2024.
KAPUSTIN_YAR = "48.58, 45.75=Kapustin Yar"


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.data: dict[str, str] = {}
        self._open = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._open = tag

    def handle_data(self, data: str) -> None:
        self.data[self._open] = self.data.get(self._open, "") + data


def _parse(snippet: str) -> _Tags:
    parser = _Tags()
    parser.feed(snippet)
    parser.close()
    return parser


# --- the snippet ---------------------------------------------------------------------


def test_snippet_markup() -> None:
    scene = RangeMap(title=HOSTILE_TITLE).add(Reach.from_distance(300_000, "Sumy"))
    snippet = embed_snippet(scene, "https://graphics.example.org/maps/sumy.html")
    parsed = _parse(snippet)
    assert [tag for tag, _ in parsed.tags] == ["div", "iframe", "noscript", "style", "script"]
    iframe = parsed.tags[1][1]
    assert iframe["title"] == HOSTILE_TITLE  # an attribute value, read back as written
    assert iframe["src"] == "https://graphics.example.org/maps/sumy.html"
    assert (
        iframe["sandbox"]
        == SANDBOX
        == ("allow-scripts allow-popups allow-popups-to-escape-sandbox")
    )
    assert "allow-same-origin" not in snippet
    assert "width:100%" in (iframe["style"] or "")
    # The listener names only the frame's id (hex) and the message key: no map text.
    script = parsed.data["script"]
    assert re.fullmatch(r"rangemap-[0-9a-f]{12}", iframe["id"] or "")
    assert (iframe["id"] or "-") in script
    assert "sumy" not in script.lower()
    assert "pwned" not in script
    assert "e.source!==f.contentWindow" in script
    # Without scripts on the host page: a fixed tall frame.
    assert re.search(r"<noscript><style>#rangemap-[0-9a-f]{12}\{height:1600px!important;", snippet)
    assert snippet.count("<script") == 1
    assert snippet.count("<iframe") == 1


def test_snippet_is_the_same_for_the_same_map() -> None:
    scene = RangeMap(title="300 km from Sumy").add(Reach.from_distance(300_000, "Sumy"))
    one = embed_snippet(scene, "sumy.html")
    assert one == embed_snippet(scene, "sumy.html")
    assert one != embed_snippet(scene, "kharkiv.html")


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://example.org/map.html", "https"),
        ("javascript:alert(1)", "https:// or http://"),
        ("map.html", "https:// or http://"),
        ("https://user@example.org/map.html", "user name"),
        ("https://example.org/a map.html", "spaces"),
        ("https://192.168.1.1/map.html", "IP address"),
    ],
)
def test_embed_url_is_checked(url: str, why: str) -> None:
    with pytest.raises(InputError, match=f"^embed_url: .*{re.escape(why)}"):
        check_embed_url(url)


def test_save_with_embed_url(tmp_path: Path) -> None:
    from rangemap.render import save

    scene = RangeMap(title="300 km from Sumy").add(Reach.from_distance(300_000, "Sumy"))
    url = "https://graphics.example.org/maps/sumy.html"
    save(scene, tmp_path / "sumy.html", embed_url=url)
    snippet = (tmp_path / "sumy.embed.html").read_text("utf-8")
    assert f'src="{url}"' in snippet
    with pytest.raises(InputError, match=r"embed_url: only \.html maps"):
        save(scene, tmp_path / "sumy.geojson", embed_url=url)
    assert not (tmp_path / "sumy.geojson").exists()


def test_cli_embed_url(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "sumy.html"
    url = "https://graphics.example.org/maps/sumy.html"
    code = main(["map", "--distance=300 km", "--from=Sumy", "-o", str(out), "--embed-url", url])
    assert code == 0
    assert capsys.readouterr().out.splitlines()[:2] == [str(out), str(tmp_path / "sumy.embed.html")]
    assert f'src="{url}"' in (tmp_path / "sumy.embed.html").read_text("utf-8")
    bad = tmp_path / "bad.html"
    code = main(["map", "--distance=300 km", "--from=Sumy", "-o", str(bad), "--embed-url", "x"])
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("rangemap: error: --embed-url: 'x' cannot be the map's address")
    assert "Traceback" not in err
    assert not bad.exists()


def test_help_says_the_snippet_src_is_relative_without_embed_url(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["map", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--embed-url URL" in text
    assert "names the map by its file name" in text


# --- in a browser -------------------------------------------------------------------

ARTICLE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Host article</title>
<style>
body{{margin:0;font:18px/1.6 Georgia,serif;color:#222;background:#fff;}}
article{{max-width:720px;margin:0 auto;padding:24px 16px;}}
h1{{font-size:30px;line-height:1.2;}}
</style></head>
<body><article>
<h1>What a 300 km reach means for the border region</h1>
{before}
{snippet}
{after}
</article></body></html>
"""
PARAGRAPH = (
    "<p>Officials on both sides of the border have described the missiles' reach in "
    "different terms. The map below shows the reported maximum range measured on the "
    "ellipsoid from two launch areas, and the largest cities within it.</p>"
)


def _open(browser: Any, page_path: Path, width: int) -> tuple[Any, Any, Visit]:
    visit = open_offline(browser, page_path, (width, 900 if width > 600 else 760), drawn=False)
    return visit.context, visit.page, visit


def _map_frame(page: Any) -> Any:
    page.wait_for_function(
        "() => { const f = document.querySelector('iframe'); return f && f.style.height !== ''; }",
        timeout=15_000,
    )
    frame = next(f for f in page.frames if f.url.endswith(".html") and f != page.main_frame)
    frame.wait_for_function(
        "document.querySelectorAll('.leaflet-overlay-pane path').length > 0", timeout=10_000
    )
    return frame


_MAP = "window[JSON.parse(document.getElementById('rm-data').textContent).map]"


def _settle(page: Any, frame: Any) -> tuple[float, int]:
    """Wait until the frame's height follows its page; return (frame height, page height)."""
    for _ in range(50):
        outer = page.evaluate("document.querySelector('iframe').getBoundingClientRect().height")
        inner = frame.evaluate("document.documentElement.scrollHeight")
        if outer >= inner:
            break
        page.wait_for_timeout(100)
    page.wait_for_timeout(300)  # a late message would change it again
    outer = page.evaluate("document.querySelector('iframe').getBoundingClientRect().height")
    inner = frame.evaluate("document.documentElement.scrollHeight")
    return outer, inner


def _full_screenshot(page: Any, name: str) -> None:
    """Screenshot the whole page with a viewport that tall (Chromium paints frames then)."""
    size = page.viewport_size
    height = page.evaluate("document.documentElement.scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": height})
    page.wait_for_timeout(300)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))
    page.set_viewport_size(size)
    page.wait_for_timeout(200)


@pytest.fixture(scope="module")
def article(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A host article with the flagship map's ``--embed`` snippet between paragraphs."""
    folder = tmp_path_factory.mktemp("article")
    scene = load_recipe(flagship_recipe())
    scene.save(folder / "flagship.html", embed=True)
    snippet = (folder / "flagship.embed.html").read_text("utf-8")
    page = folder / "article.html"
    page.write_text(
        ARTICLE.format(before=PARAGRAPH * 2, snippet=snippet, after=PARAGRAPH * 6), "utf-8"
    )
    return page


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 375])
def test_embed_fits_the_article(chromium_launched: Any, article: Path, width: int) -> None:
    context, page, seen = _open(chromium_launched, article, width)
    try:
        frame = _map_frame(page)
        outer, inner = _settle(page, frame)
        # The whole map page shows: the frame is as tall as its page, no inner scroll.
        assert outer >= inner
        assert outer <= inner + 2
        assert frame.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
        frame_box = page.evaluate(
            "(() => { const r = document.querySelector('iframe').getBoundingClientRect();"
            " return [r.width, document.querySelector('article').clientWidth]; })()"
        )
        assert frame_box[0] == pytest.approx(frame_box[1] - 32, abs=1)  # width 100%
        # The end of the page (credits) is inside the frame, not cut.
        bottom = frame.evaluate("document.querySelector('.rm-foot').getBoundingClientRect().bottom")
        assert bottom <= outer
        _full_screenshot(page, f"embed-{width}.png")

        # Mouse wheel over the map scrolls the article; the map's zoom stays put.
        frame.evaluate("document.querySelector('.folium-map').scrollIntoView()")
        page.evaluate("window.scrollBy(0, -40)")
        page.wait_for_timeout(100)
        zoom = frame.evaluate(f"{_MAP}.getZoom()")
        top = page.evaluate("window.scrollY")
        box = frame.evaluate(
            "(() => { const r = document.querySelector('.folium-map').getBoundingClientRect();"
            " return [r.x + r.width / 2, r.y + r.height / 2]; })()"
        )
        outer_box = page.evaluate(
            "(() => { const r = document.querySelector('iframe').getBoundingClientRect();"
            " return [r.x, r.y]; })()"
        )
        x, y = outer_box[0] + box[0], outer_box[1] + min(box[1], 120)
        page.mouse.move(x, y)
        for _ in range(5):
            page.mouse.wheel(0, 120)
            page.wait_for_timeout(60)
        page.wait_for_function(f"window.scrollY > {top + 300}", timeout=5_000)
        page.wait_for_timeout(300)  # a zoom would have started by now
        assert frame.evaluate(f"{_MAP}.getZoom()") == zoom
        assert not frame.evaluate(
            f"{_MAP}.getPane('mapPane').classList.contains('leaflet-zoom-anim')"
        )
        # Positive control: Ctrl + wheel does zoom the map.
        y = page.evaluate(
            "(() => { const r = document.querySelector('iframe').getBoundingClientRect();"
            " return r.y; })()"
        ) + frame.evaluate(
            "(() => { const r = document.querySelector('.folium-map').getBoundingClientRect();"
            " return r.y + r.height / 2; })()"
        )
        if 0 < y < (900 if width > 600 else 760):
            page.mouse.move(x, y)
            page.keyboard.down("Control")
            page.mouse.wheel(0, -240)
            page.keyboard.up("Control")
            frame.wait_for_function(f"{_MAP}.getZoom() !== {zoom}", timeout=3_000)
        assert seen.blocked == []
        assert seen.errors == []
    finally:
        context.close()


@pytest.mark.browser
def test_reset_view_and_minimum_zoom(chromium_launched: Any, tmp_path: Path) -> None:
    scene = load_recipe(flagship_recipe())
    path = scene.save(tmp_path / "flagship.html")
    context, page, seen = _open(chromium_launched, path, 1280)
    try:
        page.wait_for_function("document.querySelectorAll('.leaflet-overlay-pane path').length > 0")
        start = page.evaluate(f"[{_MAP}.getZoom(), {_MAP}.getCenter().lat, {_MAP}.getMinZoom()]")
        assert start[2] == max(0, int(start[0]) - 2)
        # Zooming out stops at the minimum zoom: the reach stays in view.
        page.evaluate(f"void {_MAP}.setZoom(0, {{animate: false}})")
        assert page.evaluate(f"{_MAP}.getZoom()") == start[2]
        page.evaluate(f"void {_MAP}.setView([60, 60], {start[0] + 2}, {{animate: false}})")
        button = page.get_by_role("button", name="Reset view")
        assert button.count() == 1
        button.focus()
        page.keyboard.press("Enter")
        page.wait_for_function(  # the end of the animation, however slow the machine
            f"z => {_MAP}.getZoom() === z", arg=start[0], timeout=5_000
        )
        page.wait_for_timeout(300)
        back = page.evaluate(f"[{_MAP}.getZoom(), {_MAP}.getCenter().lat]")
        assert back[0] == start[0]
        assert back[1] == pytest.approx(start[1], abs=0.01)
        assert seen.errors == []
        assert seen.blocked == []
    finally:
        context.close()


_LABELS = """() => Array.from(document.querySelectorAll('.rm-label span'))
  .filter(e => e.isConnected && !e.classList.contains('rm-hidden'))
  .map(e => { const r = e.getBoundingClientRect();
              return [e.textContent, r.left, r.top, r.right, r.bottom]; })
  .filter(b => b[3] > b[1])"""


_HIDDEN_PLACES = """() => Array.from(document.querySelectorAll('.rm-place.rm-hidden'))
  .filter(e => e.isConnected)
  .map(e => { const r = e.getBoundingClientRect();
              return [e.textContent, [r.left, r.top, r.right, r.bottom]]; })"""


def _overlaps(boxes: list[list[Any]], gap: tuple[float, float] = (0, 0)) -> list[tuple[str, str]]:
    """Pairs of ``[text, left, top, right, bottom]`` boxes closer than ``gap`` (x, y)."""
    found = []
    dx, dy = gap
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if a[1] < b[3] + dx and b[1] < a[3] + dx and a[2] < b[4] + dy and b[2] < a[4] + dy:
                found.append((a[0], b[0]))
    return found


@pytest.mark.browser
def test_labels_do_not_pile_up_on_a_phone(chromium_launched: Any, tmp_path: Path) -> None:
    out = tmp_path / "oreshnik.html"
    code = main(["map", "oreshnik", "--from", KAPUSTIN_YAR, "--places", "40", "-o", str(out)])
    assert code == 0
    context, page, seen = _open(chromium_launched, out, 375)
    try:
        page.wait_for_function("document.querySelectorAll('.leaflet-overlay-pane path').length > 0")
        page.wait_for_timeout(200)
        shown = page.evaluate(_LABELS)
        hidden = page.evaluate(
            "Array.from(document.querySelectorAll('.rm-label span.rm-hidden'), e => e.textContent)"
        )
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "labels-oreshnik-375.png"), full_page=True)
        assert _overlaps(shown) == []
        assert len(hidden) > 0  # there was a pile to declutter
        assert "Kapustin Yar" in [b[0] for b in shown]  # the origin always shows
        # A label is hidden only under (or within 2 px of) one of higher rank: an
        # origin, or a more populous place (country names rank last).
        data = json.loads(page.evaluate("document.getElementById('rm-data').textContent"))
        people = {
            d[2]: n
            for d, n in zip(data["places"]["points"], data["places"]["people"], strict=True)
            if d[2] is not None
        }
        for name, box in page.evaluate(_HIDDEN_PLACES):
            above = [b for b in shown if _overlaps([[name, *box], b], gap=(2, 1))]
            assert above, f"{name} is hidden with nothing over it"
            assert any(b[0] == "Kapustin Yar" or people.get(b[0], 0) >= people[name] for b in above)
        # Zooming in shows labels hidden before, still without overlaps.
        zoom = page.evaluate(f"{_MAP}.getZoom()")
        page.evaluate(f"void {_MAP}.setZoom({zoom} + 2, {{animate: false}})")
        page.wait_for_timeout(200)
        closer = page.evaluate(_LABELS)
        assert _overlaps(closer) == []
        assert set(hidden) & {b[0] for b in closer}
        page.screenshot(path=str(ARTIFACTS / "labels-oreshnik-375-zoomed.png"))
        assert seen.errors == []
        assert seen.blocked == []
    finally:
        context.close()


@pytest.mark.browser
def test_place_tooltips_on_hover_and_focus(chromium_launched: Any, tmp_path: Path) -> None:
    scene = load_recipe(flagship_recipe())
    path = scene.save(tmp_path / "flagship.html")
    context, page, seen = _open(chromium_launched, path, 1280)
    try:
        page.wait_for_function("document.querySelectorAll('.leaflet-overlay-pane path').length > 0")
        dots = page.locator("path.leaflet-interactive[role=img]")
        assert dots.count() > 3
        kursk = page.locator("path[aria-label^='Kursk, Russia']")
        assert kursk.count() == 1
        kursk.focus()
        tip = page.locator(".rm-tip")
        tip.wait_for(timeout=3_000)
        lines = tip.locator("strong, span").all_text_contents()
        assert lines[0] == "Kursk, Russia"
        assert re.fullmatch(r"Population [\d,]+", lines[1])
        assert re.fullmatch(r"\d+ km from \S.*", lines[2])
        # Tab moves on to the next place: its tooltip replaces Kursk's.
        page.keyboard.press("Tab")
        name = page.evaluate("document.activeElement.getAttribute('aria-label')").split(",")[0]
        assert name != "Kursk"
        page.locator(".rm-tip strong", has_text=name).wait_for(timeout=3_000)
        page.locator(".rm-tip strong", has_text="Kursk").wait_for(state="detached", timeout=3_000)
        box = page.locator("path[aria-label^='Belgorod']").bounding_box()
        assert box is not None
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.locator(".rm-tip strong", has_text="Belgorod").wait_for(timeout=3_000)
        assert seen.errors == []
        assert seen.blocked == []
    finally:
        context.close()
