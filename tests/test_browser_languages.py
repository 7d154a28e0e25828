"""The flagship map in every language in a real browser: lang and dir, no English chrome.

Chromium with every network request blocked; skips with a reason when Debian's Chromium
is not installed, unless ``RANGEMAP_REQUIRE_BROWSER=1``. For each of en, uk, ru, he and
ar the flagship recipe is drawn with ``language:`` set (and its title, subtitle and
credit written in that language, as a newsroom would): the page must carry the right
``<html lang dir>``, no English word of rangemap's own may be left on a non-English page,
and in Hebrew and Arabic the source references (``[1\u20138]``) and number ranges must read
left to right. Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

# ruff: noqa: RUF001
from pathlib import Path
from typing import Any

import pytest
from offline_page import checked, open_offline

from rangemap.recipes import flagship_recipe

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"

#: The flagship's own text (user text, not rangemap's words) as each newsroom writes it.
TEXTS = {
    "en": None,
    "uk": (
        "Куди можуть дістати ракети ATACMS з північного сходу України",
        "17 листопада 2024 року США дозволили Україні бити американськими ракетами ATACMS "
        "по цілях у Росії. Заштриховано: усі місця в межах оприлюдненої дальності двох "
        "версій, які отримала Україна, від міст Суми та Харків.",
        "Карта: rangemap. Відстані від центрів міст, а не від місць пуску.",
    ),
    "ru": (
        "Куда могут долететь ракеты ATACMS с северо-востока Украины",
        "17 ноября 2024 года США разрешили Украине наносить удары американскими ракетами "
        "ATACMS по целям в России. Заштриховано: все места в пределах опубликованной "
        "дальности двух версий, полученных Украиной, от городов Сумы и Харьков.",
        "Карта: rangemap. Расстояния от центров городов, а не от мест пуска.",
    ),
    "he": (
        "לאן יכולים להגיע טילי ATACMS מצפון־מזרח אוקראינה",
        "ב־17 בנובמבר 2024 התירה ארצות הברית לאוקראינה לשגר טילי ATACMS אמריקניים אל "
        "מטרות בתוך רוסיה. מוצלל: כל מקום בטווח המדווח של שתי הגרסאות שקיבלה אוקראינה, "
        "כשהמרחק נמדד מהערים סומי וחרקוב.",
        "מפה: rangemap. המרחקים ממרכזי הערים, לא מאתרי השיגור.",
    ),
    "ar": (
        "المناطق التي يمكن أن تبلغها صواريخ ATACMS من شمال شرق أوكرانيا",
        "في 17 نوفمبر 2024 سمحت الولايات المتحدة لأوكرانيا بإطلاق صواريخ ATACMS "
        "الأميركية على أهداف داخل روسيا. المظلل: كل مكان ضمن المدى المعلن للنسختين "
        "اللتين تسلمتهما أوكرانيا، مقيسًا من مدينتي سومي وخاركيف.",
        "خريطة: rangemap. المسافات من مراكز المدن لا من مواقع الإطلاق.",
    ),
}

#: rangemap's own English words on the flagship page (chrome): none may be left on a
#: page in another language. Checked as whole words, case-sensitively.
ENGLISH_CHROME = (
    "Sources",
    "Measured from",
    "Cities in range",
    "Accessed",
    "Reset view",
    "Population",
    "Legend",
    "Ranges as reported",
    "Each shaded area",
    "City",
    "Country",
    "Distance",
    "Distances are geodesic",
    "Boundaries:",
    "Places:",
    "GeoNames counts",
    "Origins",
    "up to",
    "about",
    "km",
    "reported figures",
    "Zoom in",
    "Zoom out",
    "Use two fingers",
    "scroll to zoom",
    "November",
)

#: Words a page may keep in English in every language: names and licences.
ALLOWED_LATIN = ("ATACMS", "Block I", "GeoNames", "visionscarto", "Natural Earth", "WGS84")


#: Every word a reader can meet on the page: its text, its title, and the text of
#: attributes a browser shows or reads out (tooltips, labels, alternatives, gesture hints).
READ_ALL = """() => {
  const parts = [document.title, document.body.innerText];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const name = attr.name;
      if (["title", "aria-label", "alt", "placeholder"].includes(name)
          || name.startsWith("data-gesture-handling")) {
        parts.push(attr.value);
      }
    }
  }
  return parts.join("\\n");
}"""


def _recipe(tmp_path: Path, language: str) -> Path:
    text = flagship_recipe().read_text(encoding="utf-8")
    own = TEXTS[language]
    if own is not None:
        title, subtitle, credit = own
        lines = []
        skip = False
        for line in text.splitlines():
            if line.startswith(("title:", "subtitle:", "credit:")):
                skip = line.startswith("subtitle:")
                continue
            if skip and line.startswith("  "):
                continue
            skip = False
            lines.append(line)
        text = "\n".join(lines) + "\n"
        text += f"title: {title!r}\nsubtitle: {subtitle!r}\ncredit: {credit!r}\n".replace("'", '"')
    return _write(tmp_path / f"flagship-{language}.yaml", text + f"language: {language}\n")


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _render(tmp_path: Path, language: str) -> tuple[Path, list[str]]:
    """Draw the flagship in a language; return the page and its catalog text.

    The catalog's own text (system and variant names, source publishers and titles)
    is data in its original language, not rangemap's words.
    """
    from rangemap.recipes import load_recipe

    out = tmp_path / f"flagship-{language}.html"
    m = load_recipe(_recipe(tmp_path, language))
    m.save(out)
    data: list[str] = []
    for layer in m.layers:
        reach = layer.reach
        if reach.wording is not None and reach.wording.name:
            data.append(reach.wording.name)
        for source in reach.sources:
            data += [str(source.title), str(source.publisher), str(source.via or "")]
    return out, sorted(filter(None, set(data)), key=len, reverse=True)


@pytest.mark.parametrize("language", ["en", "uk", "ru", "he", "ar"])
def test_flagship_in_every_language(chromium_launched: Any, tmp_path: Path, language: str) -> None:
    import re

    path, data = _render(tmp_path, language)
    with checked(open_offline(chromium_launched, path, (1280, 800))) as visit:
        page = visit.page
        lang, direction = page.evaluate(
            "() => [document.documentElement.lang, document.documentElement.dir]"
        )
        assert lang == language
        assert direction == ("rtl" if language in ("he", "ar") else "ltr")
        # The tooltips of places are built on hover: open one so its words are read.
        page.locator(".leaflet-interactive[tabindex='0']").first.focus()
        text = page.evaluate(READ_ALL)
        tips = page.evaluate(
            "() => JSON.parse(document.getElementById('rm-data').textContent).places.tips"
        )
        text += "\n" + "\n".join(line for tip in tips for line in tip)
        if language == "en":
            for phrase in ("Sources", "Measured from", "Cities in range", "Reset view"):
                assert phrase in text
            return
        for name in [*data, *ALLOWED_LATIN]:
            text = text.replace(name, "")
        left = [p for p in ENGLISH_CHROME if re.search(rf"(?<![A-Za-z]){re.escape(p)}\b", text)]
        assert left == [], left
        if direction == "rtl":
            # A reference range reads [1-8], not [8-1] (en dashes): its span is left to right, and
            # its characters are laid out left to right on screen.
            refs = page.locator(".rm-legend .rm-ref")
            assert refs.count() == 2
            for i in range(refs.count()):
                ref = refs.nth(i)
                assert ref.get_attribute("dir") == "ltr"
                order = ref.evaluate(_CHAR_ORDER)
                assert order == sorted(order), ref.text_content()
            # The legend and the lists run from the right.
            legend = page.locator(".rm-legend li").first.bounding_box()
            head = page.locator(".rm-head").bounding_box()
            assert legend is not None
            assert head is not None
            assert legend["x"] + legend["width"] > head["x"] + head["width"] - 40
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"lang-{language}-1280x800.png"), full_page=True)


#: The x of each character of an element's text, in logical order.
_CHAR_ORDER = """el => {
  const node = el.firstChild;
  const xs = [];
  for (let i = 0; i < node.textContent.length; i++) {
    const r = document.createRange();
    r.setStart(node, i);
    r.setEnd(node, i + 1);
    xs.push(r.getBoundingClientRect().left);
  }
  return xs;
}"""


@pytest.mark.parametrize("language", ["he", "ar"])
def test_number_ranges_read_left_to_right(
    chromium_launched: Any, tmp_path: Path, language: str
) -> None:
    """A band of reported figures, "70-84 km" (en dash), keeps its order inside Hebrew or Arabic."""
    from rangemap.reach import Reach
    from rangemap.scene import RangeMap

    m = RangeMap(language=language, title="GMLRS")
    m.add(Reach.from_system("gmlrs", "Sumy", show="spread"))
    path = tmp_path / "band.html"
    m.save(path)
    with checked(open_offline(chromium_launched, path, (1000, 700))) as visit:
        page = visit.page
        item = page.locator(".rm-legend li span").nth(1)
        xs = page.evaluate(
            """el => {
              const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
              let node = walker.nextNode();
              while (node && !/[0-9]\u2013[0-9]/.test(node.textContent)) {
                node = walker.nextNode();
              }
              const text = node.textContent;
              const at = c => {
                const i = text.indexOf(c);
                const r = document.createRange();
                r.setStart(node, i); r.setEnd(node, i + 1);
                return r.getBoundingClientRect().left;
              };
              return [at('7'), at('\\u2013'), at('8')];
            }""",
            item.element_handle(),
        )
        assert xs == sorted(xs), xs  # 70, then the dash, then 84, left to right


@pytest.mark.parametrize("language", ["he", "ar"])
def test_an_english_source_title_reads_left_to_right_inside_its_quotes(
    chromium_launched: Any, tmp_path: Path, language: str
) -> None:
    """On a Hebrew or Arabic page an English title keeps its order, and its quotes hold it."""
    from rangemap.reach import Reach
    from rangemap.scene import RangeMap

    m = RangeMap(language=language, title="Palestine-2")
    m.add(Reach.from_system("palestine-2", "Sanaa"))
    path = tmp_path / "sources.html"
    m.save(path)
    with checked(open_offline(chromium_launched, path, (1600, 900))) as visit:
        page = visit.page
        boxes = page.evaluate(
            """() => {
              const title = [...document.querySelectorAll('.rm-sources bdi')]
                .find(b => b.textContent.startsWith("Yemen's Houthis"));
              const at = (node, i) => {
                const r = document.createRange();
                r.setStart(node, i); r.setEnd(node, i + 1);
                return r.getBoundingClientRect();
              };
              const text = title.firstChild;
              const before = title.previousSibling, after = title.nextSibling;
              const box = title.getBoundingClientRect();
              return {
                first: at(text, 0).left,
                last: at(text, text.textContent.length - 1).left,
                opening: at(before, before.textContent.length - 1).left,
                closing: at(after, 0).left,
                left: box.left, right: box.right, lines: title.getClientRects().length,
              };
            }"""
        )
        assert boxes["lines"] == 1, boxes
        assert boxes["first"] < boxes["last"], boxes  # "Yemen's ... Israel", left to right
        # right to left around it: the opening quote on its right, the closing one on its left
        assert boxes["opening"] >= boxes["right"] - 1, boxes
        assert boxes["closing"] <= boxes["left"] + 1, boxes


@pytest.mark.parametrize("language", ["en", "he"])
def test_a_places_tooltip_stands_over_its_dot(
    chromium_launched: Any, tmp_path: Path, language: str
) -> None:
    """Leaflet moves a tooltip by its left edge: on a right-to-left page too, it is centred."""
    from rangemap.recipes import load_recipe

    path = tmp_path / "tips.html"
    m = load_recipe(flagship_recipe())
    m.language = language
    m.save(path)
    with checked(open_offline(chromium_launched, path, (1280, 800))) as visit:
        page = visit.page
        tips = page.evaluate(
            """() => {
              const map = Object.values(window).find(v => v instanceof L.Map);
              const box = map.getContainer().getBoundingClientRect(), out = [];
              map.eachLayer(layer => {
                const tip = layer.getTooltip && layer.getTooltip();
                if (!tip || tip.options.className !== 'rm-tip') { return; }
                layer.openTooltip();
                const r = tip.getElement().getBoundingClientRect();
                out.push([map.latLngToContainerPoint(layer.getLatLng()).x + box.left,
                          (r.left + r.right) / 2]);
                layer.closeTooltip();
              });
              return out;
            }"""
        )
        assert len(tips) >= 5
        for dot, centre in tips:
            assert abs(dot - centre) <= 2, tips
