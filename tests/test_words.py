"""The words maps print: one source for every renderer, in the map's language."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rangemap.errors import InputError
from rangemap.reach import Reach
from rangemap.recipes import flagship_recipe, load_recipe
from rangemap.render._context import prepare
from rangemap.render._panels import foot_html, head_html
from rangemap.render._static_text import source_text, texts
from rangemap.scene import RangeMap
from rangemap.words import METHOD_NOTE, Words, languages, words

EN = words("en")


def _expand(runs: str) -> list[int]:
    numbers: list[int] = []
    for run in runs.split(", ") if runs else []:
        first, _, last = run.partition("\u2013")
        numbers += range(int(first), int(last or first) + 1)
    return numbers


@given(st.sets(st.integers(1, 60)))
def test_number_runs_read_back(numbers: set[int]) -> None:
    ordered = sorted(numbers)
    runs = EN.runs(ordered)
    assert _expand(runs) == ordered
    # Runs are as long as they can be: one run per unbroken stretch of numbers.
    if ordered:
        gaps = sum(b - a > 1 for a, b in itertools.pairwise(ordered))
        assert len(runs.split(", ")) == gaps + 1


def test_origin_labels_count_unnamed_points() -> None:
    m = RangeMap().add(Reach.from_distance(300_000, ["50.91, 34.80", "49.99, 36.23"]))
    assert prepare(m).origin_labels() == ["2 points shown"]
    m.add(Reach.from_distance(100_000, "50.91, 34.80=Sumy"))
    assert prepare(m).origin_labels() == ["Sumy"]


def test_both_renderers_print_the_same_words() -> None:
    demo = load_recipe(flagship_recipe())
    context = prepare(demo)
    legend, source_lines, foot = texts(context)
    page = head_html(context) + foot_html(context, "")
    assert "Each shaded area is every place within the stated distance" in page
    assert foot[0].startswith(METHOD_NOTE)
    assert demo.date is not None
    day = EN.date(demo.date)
    assert f"Ranges as reported up to {day}." in page
    assert f"Ranges as reported up to {day}." in foot[1]
    for line, source in zip(source_lines, demo.sources(), strict=True):
        lead = EN.source_lead(source)
        assert line.endswith(source_text(source))
        assert lead in line
        assert f"\u201c{source.title}\u201d" in lead
    for layer, text in legend:
        assert text.startswith(layer.name)


def test_dates_and_numbers_in_english() -> None:
    assert EN.date(dt.date(2024, 11, 7)) == "7 November 2024"
    assert EN.number(2_799_480) == "2,799,480"
    assert EN("Ranges as reported up to {date}.", date="x") == "Ranges as reported up to x."


def test_values_are_not_formatted_again() -> None:
    # A value that looks like a placeholder stays as written.
    assert EN("Measured from {places}", places="{date} {0} {places.__class__}") == (
        "Measured from {date} {0} {places.__class__}"
    )


def test_unknown_language_is_refused() -> None:
    with pytest.raises(InputError, match="language: 'xx' has no message catalog; use one of en"):
        words("xx")
    with pytest.raises(InputError, match="is not a language code"):
        RangeMap(language="../../etc/passwd")
    assert languages()[0] == "en"


#: A language is one file: a gettext catalog. This one is written for the test.
CATALOG = r"""
msgid ""
msgstr ""
"Language: uk\n"
"Content-Type: text/plain; charset=UTF-8\n"

msgid "Sources"
msgstr "Джерела"

msgid "Measured from {places}"
msgstr "Відстань від: {places}"

msgid "Ranges as reported up to {date}."
msgstr "Дальності за повідомленнями станом на {date}."

msgid "Cities in range"
msgstr "Міста в досяжності"

msgid "City"
msgstr "Місто"

msgid "up to {figure}"
msgstr "до {figure}"

msgid "{km} km"
msgstr "{km} км"
"""


def test_a_new_language_is_one_catalog_file(tmp_path: Path) -> None:
    (tmp_path / "uk.po").write_text(CATALOG, encoding="utf-8")
    uk = words("uk", folder=tmp_path)
    assert isinstance(uk, Words)
    assert languages(tmp_path) == ("en", "uk")
    assert uk("Sources") == "Джерела"
    assert uk("Origins") == "Origins"  # not translated yet: the English phrase
    assert uk.date(dt.date(2024, 11, 17)) == "17 листопада 2024\u202fр."  # noqa: RUF001
    assert uk.number(2_799_480) == "2\u00a0799\u00a0480"


def test_the_page_uses_the_map_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every renderer takes its words from the map's language."""
    import rangemap.words

    (tmp_path / "uk.po").write_text(CATALOG, encoding="utf-8")
    monkeypatch.setattr(rangemap.words, "LOCALE_DIR", tmp_path)
    m = load_recipe(flagship_recipe())
    m.language = "uk"
    page = m.to_html()
    text = re.sub(r"<[^>]+>", " ", page)
    assert "Джерела" in text
    assert "Відстань від: Sumy, Kharkiv" in text
    assert "Дальності за повідомленнями станом на 25 листопада 2024\u202fр." in text  # noqa: RUF001
    assert "Місто" in text
    data = re.search(r'id="rm-data">(.*?)</script>', page)
    assert data is not None
    names = [name for name, _ in json.loads(data.group(1))["overlays"]]
    assert "Міста в досяжності" in names
    # The legend's range phrases are worded when the map is drawn, in its language.
    assert "ATACMS \u2013 Longer-range versions (about 300 km): до 300 км" in names
    assert "ATACMS \u2013 M39 (Block I): 165 км" in text


def test_reach_wording_in_english_is_the_reach_label() -> None:
    reach = Reach.from_system("atacms:block-i", "Sumy")
    assert reach.wording is not None
    assert EN.reach_label(reach.wording) == reach.label == "ATACMS \u2013 M39 (Block I): 165 km"
    spread = Reach.from_system("gmlrs", "Sumy", show="spread")
    assert spread.wording is not None
    assert EN.reach_phrase(spread.wording) == "70\u201384 km (reported figures), minimum 15 km"
    given = Reach.from_distance(300_000, "Sumy", label="Front line, 300 km")
    assert given.wording is not None
    assert words("en").reach_label(given.wording) == "Front line, 300 km"


def test_method_note_says_where_the_distances_come_from() -> None:
    assert EN.method_note() == METHOD_NOTE
    chosen = EN.method_note(reported=False, chosen=True)
    assert "publicly reported" not in chosen
    assert "chosen by the map's maker" in chosen
    both = EN.method_note(reported=True, chosen=True)
    assert "publicly reported" in both
    assert "chosen by the map's maker" in both


def test_whose_figure_wording() -> None:
    from rangemap.words import RangeWording, Voice

    def whose(*voices: Voice, reported_by: tuple[str, ...] = ()) -> str:
        return EN.whose(RangeWording("X", 1000.0, voices=voices, reported_by=reported_by))

    assert whose(Voice("government", "IR")) == "according to Iran's government"
    assert whose(Voice("military", "RU")) == "according to Russia's military"
    assert whose(Voice("state-media", "KP")) == "according to North Korea's state media"
    assert whose(Voice("state-media", "KP"), Voice("state-media", "RU")) == (
        "according to the state media of North Korea and Russia"
    )
    assert whose(Voice("state-media")) == "according to state media"
    assert whose(Voice("party")) == "as claimed by a party to the conflict"
    assert whose(Voice("party"), reported_by=("CN",)) == (
        "as claimed by a party to the conflict, reported by China's state media"
    )
    assert whose(Voice("government", "IR"), Voice("party")) == (
        "according to Iran's government and a party to the conflict"
    )
    assert whose() == ""


def test_country_names_follow_the_language(tmp_path: Path) -> None:
    assert EN.country("YE") == "Yemen"
    assert EN.possessive("PH") == "the Philippines'"
    (tmp_path / "uk.po").write_text('msgid ""\nmsgstr ""\n', "utf-8")
    uk = words("uk", folder=tmp_path)
    assert uk.country("KP") == "Північна Корея"
