"""The words every map prints: the same in the HTML page and the static images."""

from __future__ import annotations

import datetime as dt
import doctest
import itertools

from hypothesis import given
from hypothesis import strategies as st

from rangemap.reach import Reach
from rangemap.recipes import flagship_recipe, load_recipe
from rangemap.render import wording
from rangemap.render._context import prepare
from rangemap.render.panels import foot_html, head_html
from rangemap.render.static_text import source_text, texts
from rangemap.scene import RangeMap


def _expand(runs: str) -> list[int]:
    numbers: list[int] = []
    for run in runs.split(", ") if runs else []:
        first, _, last = run.partition("\u2013")
        numbers += range(int(first), int(last or first) + 1)
    return numbers


@given(st.sets(st.integers(1, 60)))
def test_number_runs_read_back(numbers: set[int]) -> None:
    ordered = sorted(numbers)
    runs = wording.number_runs(ordered)
    assert _expand(runs) == ordered
    # Runs are as long as they can be: one run per unbroken stretch of numbers.
    if ordered:
        gaps = sum(b - a > 1 for a, b in itertools.pairwise(ordered))
        assert len(runs.split(", ")) == gaps + 1


def test_origin_labels_count_unnamed_points() -> None:
    m = RangeMap().add(Reach.from_distance(300_000, ["50.91, 34.80", "49.99, 36.23"]))
    assert wording.origin_labels(m) == ["2 points shown"]
    m.add(Reach.from_distance(100_000, "50.91, 34.80=Sumy"))
    assert wording.origin_labels(m) == ["Sumy"]


def test_both_renderers_print_the_same_words() -> None:
    demo = load_recipe(flagship_recipe())
    context = prepare(demo)
    legend, source_lines, foot = texts(context)
    page = head_html(context) + foot_html(context, "")
    assert wording.METHOD_NOTE in page
    assert foot[0].startswith(wording.METHOD_NOTE)
    assert demo.date is not None
    day = wording.format_date(demo.date)
    assert f"Ranges as reported up to {day}." in page
    assert f"Ranges as reported up to {day}." in foot[1]
    for line, source in zip(source_lines, demo.sources(), strict=True):
        lead = wording.source_lead(source)
        assert line.endswith(source_text(source))
        assert lead in line
        assert f"\u201c{source.title}\u201d" in lead
    for layer, text in legend:
        assert text.startswith(layer.name)


def test_format_date() -> None:
    assert wording.format_date(dt.date(2024, 11, 7)) == "7 November 2024"


def test_docstring_examples_run() -> None:
    result = doctest.testmod(wording, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
