"""The text alternative of a map (rangemap.render.describe) in every output that carries it.

HTML (the summary the map names with ``aria-describedby``, before the map), SVG
(``<title>`` and ``<desc>``), PNG (``Description`` chunk and ``NAME.alt.txt``), PDF
(title and subject) and the embed snippet's frame ``title``; hostile text in the title,
an origin label and a note stays text in each.
"""

from __future__ import annotations

import datetime as dt
import io
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hostile import BATTERY, shown

from rangemap import RangeMap, Reach
from rangemap.recipes import flagship_recipe, load_recipe
from rangemap.render.describe import DESCRIPTION_ID, alt_text_path, describe

SVG = "{http://www.w3.org/2000/svg}"


def _flat(text: str) -> str:
    """``text`` as a description carries it: cleaned, runs of spaces made one."""
    return " ".join(shown(text).split())


@pytest.fixture(scope="module")
def flagship() -> RangeMap:
    return load_recipe(flagship_recipe())


class _Page(HTMLParser):
    """The page's elements in document order, and the summary's text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.order: list[tuple[str, dict[str, str | None]]] = []
        self.summary: list[str] = []
        self._in_summary = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.order.append((tag, found))
        self._in_summary = found.get("id") == DESCRIPTION_ID

    def handle_endtag(self, tag: str) -> None:
        self._in_summary = False

    def handle_data(self, data: str) -> None:
        if self._in_summary:
            self.summary.append(data)


def _page(html: str) -> _Page:
    parsed = _Page()
    parsed.feed(html)
    return parsed


def test_the_description_says_what_the_map_shows(flagship: RangeMap) -> None:
    text = flagship.describe()
    assert text.startswith("What ATACMS missiles can reach from north-eastern Ukraine. ")
    assert "Shaded, measured from Sumy, Kharkiv: " in text
    # The legend's own lines, whose figure, and each outline's dash pattern.
    assert (
        "ATACMS \u2013 Longer-range versions (about 300 km): up to 300 km (solid outline)" in text
    )
    assert "ATACMS \u2013 M39 (Block I): 165 km (dashed outline)" in text
    assert "Fired from a mobile launcher: the origin is where the vehicle stands." in text
    assert "Sources: Lockheed Martin, " in text
    # The cities listed, the most populous first, with their distances.
    assert "Cities in range: Voronezh (1,047,549; 279 km from Kharkiv), Kursk (448,733; " in text
    assert "Population of listed cities: 2,799,480." in text
    assert "Ranges as reported up to 25 November 2024." in text
    assert text.endswith(
        "Web Mercator projection: areas far from the equator look larger than they are."
    )
    static = flagship.describe(static=True)
    assert static.endswith(
        "Azimuthal equidistant projection: distances from the map's centre are true."
    )
    assert text.count("Kursk") == 1


def test_the_description_follows_the_language(flagship: RangeMap) -> None:
    english = flagship.describe()
    ukrainian = flagship.describe("uk")
    assert ukrainian != english
    assert "Міста в зоні досяжності:" in ukrainian
    assert describe(flagship, "uk") == ukrainian


def test_the_page_names_its_summary_before_the_map(flagship: RangeMap) -> None:
    page = _page(flagship.to_html())
    assert "".join(page.summary) == flagship.describe()
    tags = [tag for tag, _ in page.order]
    assert tags.count("main") == 1
    h1 = tags.index("h1")
    summary = next(i for i, (_, a) in enumerate(page.order) if a.get("id") == DESCRIPTION_ID)
    figure = next(i for i, (_, a) in enumerate(page.order) if a.get("role") == "figure")
    assert tags.index("main") < h1 < summary < figure
    attrs = page.order[figure][1]
    assert attrs["aria-describedby"] == DESCRIPTION_ID
    assert attrs["aria-label"] == flagship.title
    assert ("meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"}) in (
        page.order
    )


def test_svg_title_and_desc(flagship: RangeMap, tmp_path: Path) -> None:
    path = flagship.save(tmp_path / "flagship.svg")
    root = ET.parse(path).getroot()
    first, second = list(root)[:2]
    assert first.tag == f"{SVG}title"
    assert first.text == flagship.title
    assert second.tag == f"{SVG}desc"
    assert second.text == flagship.describe(static=True)
    assert root.get("aria-describedby") == second.get("id")
    assert not (tmp_path / "flagship.alt.txt").exists()


def test_png_alt_text_and_chunk(flagship: RangeMap, tmp_path: Path) -> None:
    from PIL import Image

    path = flagship.save(tmp_path / "flagship.png")
    alt = tmp_path / "flagship.alt.txt"
    assert alt_text_path(str(path)) == str(alt)
    assert alt.read_text("utf-8") == flagship.describe(static=True) + "\n"
    with Image.open(path) as image:
        assert image.info["Description"] == flagship.describe(static=True)
        assert image.info["Title"] == flagship.title
    # Other formats write no text file beside them.
    flagship.save(tmp_path / "flagship.geojson")
    flagship.save(tmp_path / "flagship.kml")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "flagship.alt.txt",
        "flagship.geojson",
        "flagship.kml",
        "flagship.png",
    ]


def test_png_and_alt_text_are_written_together(tmp_path: Path) -> None:
    """A folder in the way of NAME.alt.txt stops the save before the PNG is written."""
    from rangemap.errors import InputError

    m = RangeMap(title="165 km from Kharkiv").add(Reach.from_distance(165_000, "Kharkiv"))
    (tmp_path / "kharkiv.alt.txt").mkdir()
    with pytest.raises(InputError, match="text alternative"):
        m.save(tmp_path / "kharkiv.png")
    assert not (tmp_path / "kharkiv.png").exists()


def test_pdf_metadata(flagship: RangeMap, tmp_path: Path) -> None:
    from pypdf import PdfReader

    path = flagship.save(tmp_path / "flagship.pdf")
    info = PdfReader(path).metadata
    assert info is not None
    assert info.title == flagship.title
    assert info.subject == flagship.describe(static=True)
    assert "ATACMS \u2013 M39 (Block I)" in str(info["/Keywords"])


def test_embed_frame_title(flagship: RangeMap) -> None:
    snippet = flagship.embed_snippet("https://maps.example.org/atacms.html")
    assert f'title="{flagship.title}"' in snippet
    untitled = RangeMap(language="uk").add(Reach.from_distance(165_000, "Kharkiv"))
    assert 'title="Reach map"' not in untitled.embed_snippet("map.html")


HOSTILE = [(k, t) for k, t in BATTERY if 0 < len(t) <= 120 and t.strip() and shown(t).strip()]


def _hostile_map(texts: list[str]) -> RangeMap:
    title = " | ".join(texts)
    m = RangeMap(title=title, subtitle=texts[-1])
    m.add(Reach.from_distance(165_000, f"49.99, 36.23={texts[0]}"), name=texts[1])
    m.annotate(texts[2], 36.5, 50.5)
    return m


@pytest.mark.filterwarnings("ignore:no installed font has:UserWarning")
@pytest.mark.parametrize(
    "chunk",
    [HOSTILE[i : i + 12] for i in range(0, len(HOSTILE), 12)],
    ids=lambda c: f"{c[0][0]}..{c[-1][0]}",
)
def test_hostile_text_stays_text_in_every_description(
    chunk: list[tuple[str, str]], tmp_path: Path
) -> None:
    from PIL import Image
    from pypdf import PdfReader

    texts = [t for _, t in chunk] + ["Kharkiv", "Sumy", "Kursk"]
    m = _hostile_map(texts)
    text = m.describe(static=True)
    assert _flat(" | ".join(texts)) in text
    assert _flat(texts[1]) in text
    # HTML: the summary is one element whose text is the description.
    page = _page(m.to_html())
    assert "".join(page.summary) == m.describe()
    assert sum(1 for _, a in page.order if a.get("id") == DESCRIPTION_ID) == 1
    # SVG: parses, and the title and desc hold the text.
    svg = m.save(tmp_path / "m.svg", size=(2400, 2400), dpi=100)
    root = ET.parse(svg).getroot()
    assert root.find(f"{SVG}desc") is not None
    assert root.find(f"{SVG}desc").text == text  # type: ignore[union-attr]
    assert root.find(f"{SVG}title").text == shown(m.title or "")  # type: ignore[union-attr]
    # PNG: alt text and chunk; PDF: subject.
    png = m.save(tmp_path / "m.png", size=(2400, 2400), dpi=100)
    assert (tmp_path / "m.alt.txt").read_text("utf-8") == text + "\n"
    with Image.open(io.BytesIO(png.read_bytes())) as image:
        assert image.info["Description"] == text
    pdf = m.save(tmp_path / "m.pdf", size=(2400, 2400), dpi=100)
    info = PdfReader(pdf).metadata
    assert info is not None
    assert info.subject == text


@pytest.mark.parametrize("language", ["uk", "ru", "he", "ar"])
def test_the_description_is_written_in_every_language(flagship: RangeMap, language: str) -> None:
    """Every language's description: its own words, its place names, its dates and numbers."""
    from rangemap.places import local_name
    from rangemap.words import words

    w = words(language)
    text = " ".join(flagship.describe(language).split())  # plain text: plain spaces
    assert " ".join(w.date(dt.date(2024, 11, 25)).split()) in text
    assert local_name(692194, language) in text  # Sumy
    assert " ".join(w.number(2_799_480).split()) in text  # the listed cities' population
    # rangemap's words, not the flagship's own (English) title and subtitle
    for english in ("Cities in range", "Sources:", "solid outline", "Basemap", "Population"):
        assert english not in text, english


@pytest.mark.parametrize("language", ["en", "uk", "ru", "he", "ar"])
def test_a_catalog_note_is_printed_in_the_maps_language(language: str) -> None:
    """A free-text caveat reads in the map's language where the catalog translates it."""
    from rangemap.catalog import CaveatNote, load_catalog

    note = load_catalog()["flamingo-fp-5"].caveats[0]
    assert isinstance(note, CaveatNote)
    assert set(note.translations) == {"uk", "ru", "he", "ar"}
    scene = RangeMap(language=language).add(Reach.from_system("flamingo-fp-5", "Kyiv"))
    text = " ".join(scene.describe().split())
    expected = note.note if language == "en" else note.translations[language]
    assert expected in text
    for other in {note.note, *note.translations.values()} - {expected}:
        assert other not in text
