"""Write docs/languages.md: every phrase rangemap prints, in every language it ships.

This script owns the reviewers' page of languages. It lists the phrases the code can print
(:func:`rangemap.words._phrases.code_phrases`) and, for each, its translation in every
catalog in ``rangemap/words/locale/`` (plural phrases: every form, separated by `` / ``),
then each catalog's country genitives. ``tests/test_words.py`` checks that the committed
page equals its output.

Usage::

    .venv/bin/python scripts/build_phrase_table.py          # rewrite docs/languages.md
    .venv/bin/python scripts/build_phrase_table.py --check  # exit 1 if it is out of date
"""

from __future__ import annotations

# ruff: noqa: RUF001
import argparse
import sys
from pathlib import Path

from babel import Locale
from babel.messages.pofile import read_po

from rangemap.words import LOCALE_DIR, languages
from rangemap.words._phrases import code_phrases

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "languages.md"

INTRO = """# Languages

Maps print their own words (headings, notes, table headers, credits, the legend's range
phrases, the map's controls) in the map's language: `RangeMap(language="he")`,
`rangemap map --lang he`, or `language: he` in a recipe. Shipped: {names}. Text you give
(titles, subtitles, credits, labels) and the catalog's own text (system names, source
titles, which stay in their original language) is printed as written.

- **Numbers, dates, units** come from Babel's CLDR data for the language: `1 047 549` and
  `17 листопада 2024 р.` in Ukrainian. Hebrew and Arabic use Western digits, as Israeli
  and pan-Arab newsrooms (Haaretz, Ynet, Al Jazeera, BBC Arabic) print them; Babel's CLDR
  data for `he` and `ar` gives Western digits too.
- **Plurals** follow each catalog's `Plural-Forms` (Ukrainian and Russian three forms,
  Hebrew three, Arabic six).
- **Country names** on the map and in the tables are CLDR's names in the language.
  Place names are still the gazetteer's English exonyms (`Words.place` is the hook for
  names in the map's language).
- **Right to left** (Hebrew, Arabic): the page has `<html dir="rtl">`, the legend,
  lists, tables and map controls are mirrored, and number ranges (`165–300 km`), source
  references (`[1–8]`) and Latin names are isolated (`<bdi>`, `dir="ltr"`) so they keep
  their order. Static images too: see below.

Adding a language is one file: see "Adding a language" in CONTRIBUTING.md.

## Static images in Hebrew and Arabic

PNG, SVG and PDF images of a Hebrew or Arabic map are laid out right to left: the title,
subtitle, legend, sources, notes and credits are right-aligned, with the legend's
swatches and markers on the right of their text. The text stays in reading order and
matplotlib (3.11 and later, which the `static` extra asks for) lays it out with libraqm:
the Unicode bidirectional algorithm, Arabic letters joined, brackets mirrored in
right-to-left text. rangemap only adds, as the string is drawn (never in the map's data),
the invisible isolates that say what the HTML page says with markup: number ranges
(`165–300 km`) and source references (`[1–8]`) stay left to right (`dir="ltr"`); each
paragraph takes the direction of its first letter of a strong direction (`dir="auto"`),
so an English title, subtitle, source line or credit reads left to right with its full
stop on the right, while staying right-aligned with the rest; and a credit inside a line
of the map's language is isolated in its own direction. An SVG keeps its text as text, in
reading order (searchable, copyable), and the browser or editor showing it lays it out
the same way. In a PDF the text is drawn as outlines: matplotlib's PDF writer places the
glyph after an invisible direction character a space's width too far left; the PDF's
metadata carries the title and description.

**Fonts.** Images are drawn in DejaVu Sans, which matplotlib ships, so nothing needs
installing: its regular and bold faces have all 27 Hebrew letters and the Arabic letters
U+0621–U+064A with their joined forms and the lam-alef ligatures. A theme's fonts
(`fonts: static:`) come first and DejaVu Sans draws what they lack. If no font has a
letter of the text (DejaVu Sans lacks a few letters of other languages written in Arabic
script, U+063B–U+063F), the image is refused with an error that names the fonts to
install, DejaVu Sans (`fonts-dejavu-core`) or Noto Sans Hebrew and Noto Sans Arabic
(`fonts-noto-core`), instead of being drawn with empty boxes; list the font's file in the
theme's `fonts: static:`.

```{{image}} images/static-he.png
:alt: The flagship ATACMS map in Hebrew (PNG, social preset), its text right-aligned.
```

```{{image}} images/static-ar.png
:alt: The same map in Arabic: joined letters, the legend's swatches right of their rows.
```

The title, subtitle and credit of these two images were written in Hebrew and Arabic;
the rest is the flagship recipe (`rangemap demo`) with `language: he` and `language: ar`.
`scripts/build_docs_images.py` draws them again.

This page is generated by `scripts/build_phrase_table.py`; do not edit it by hand.
"""


def _cell(text: str) -> str:
    return text.replace("\\\\", "\\\\\\\\").replace("|", "\\\\|").replace("\\n", " ") or "—"


def _catalogs() -> dict[str, dict[tuple[str | None, str], str]]:
    found: dict[str, dict[tuple[str | None, str], str]] = {}
    for code in languages()[1:]:
        with (LOCALE_DIR / f"{code}.po").open("rb") as handle:
            catalog = read_po(handle, locale=code)
        entries: dict[tuple[str | None, str], str] = {}
        for message in catalog:
            if not message.id:
                continue
            key = message.id if isinstance(message.id, str) else message.id[0]
            value = message.string
            text = value if isinstance(value, str) else " / ".join(value or ())
            entries[(message.context, str(key))] = text
        found[code] = entries
    return found


def _english(code: str) -> str:
    return str(Locale.parse(code).english_name or code)


def page() -> str:
    """Return the text of docs/languages.md."""
    catalogs = _catalogs()
    codes = list(catalogs)
    names = ", ".join(f"{_english(code)} (`{code}`)" for code in ("en", *codes))
    lines = [INTRO.format(names=names), "## Every phrase", ""]
    header = ["English", *(_english(code) for code in codes)]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "---|" * len(header))
    phrases = code_phrases()
    for phrase in phrases:
        english = phrase.text if phrase.plural is None else f"{phrase.text} / {phrase.plural}"
        row = [english, *(catalogs[c].get((None, phrase.text), "") for c in codes)]
        lines.append("| " + " | ".join(_cell(x) for x in row) + " |")
    lines += ["", f"{len(phrases)} phrases.", "", "## Countries after a noun", ""]
    lines.append(
        'Entries with `msgctxt "of"`: a country named after a noun it belongs to ("the '
        'government of Iran"), where the language declines it.'
    )
    lines.append("")
    with_of = [c for c in codes if any(ctx == "of" for ctx, _ in catalogs[c])]
    countries = sorted({key for c in with_of for ctx, key in catalogs[c] if ctx == "of"})
    if with_of:
        lines.append("| Country | " + " | ".join(_english(c) for c in with_of) + " |")
        lines.append("|" + "---|" * (len(with_of) + 1))
        for country in countries:
            row = [catalogs[c].get(("of", country), "") for c in with_of]
            lines.append(f"| {country} | " + " | ".join(_cell(x) for x in row) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the page is out of date")
    args = parser.parse_args(argv)
    text = page()
    if args.check:
        current = PAGE.read_text(encoding="utf-8") if PAGE.exists() else ""
        if current != text:
            print(f"{PAGE.relative_to(ROOT)} is out of date; run scripts/build_phrase_table.py")
            return 1
        return 0
    PAGE.write_text(text, encoding="utf-8")
    print(PAGE.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
