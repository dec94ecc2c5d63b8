"""The ranking table written without rich is rich's own, character for character, wherever
it is written so; and the screen it is written for is the one rich's Console would see."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console

from conftest import ROOT
from intscore.commands.core import Inputs, rank_inputs
from intscore.render import ranking as ranking_view
from intscore.render.console import Screen, plain_screen, rich_text
from intscore.render.table_layout import (
    ONE_WIDE,
    Column,
    Layout,
    draw_with_rich,
    plain_text,
)

# Cells as exports fill them: words, numbers, the punctuation intscore writes, Latin
# letters; and what only rich can lay out (wide and zero-width characters, tabs, spaces at
# the ends), which must send the table to rich.
CHARS = st.sampled_from(
    list("abcXYZ 0123456789,.()!-#%&$")
    + sorted(ONE_WIDE)
    + list("éÜñçøßŁž")
    + ["漢", "\u0301", "\t", "\u200b", "\u00a0"]
)
WORD = st.text(
    st.sampled_from(list("abcXYZ0123456789,.()!-#%&$éÜñ") + sorted(ONE_WIDE)),
    min_size=1,
    max_size=9,
)
WORDS = st.lists(WORD, max_size=3).map(" ".join)
HEADERS = st.lists(WORD, min_size=1, max_size=3).map(" ".join)
TEXTS = st.one_of(WORDS, WORDS, WORDS, st.text(CHARS, max_size=24))  # mostly certain
STYLES = st.sampled_from([None, "dim", "bold yellow"])


@st.composite
def layouts(draw):
    texts = TEXTS if draw(st.booleans()) else WORDS  # half the tables: certain cells only
    n = draw(st.integers(1, 7))
    columns = [
        Column(
            draw(HEADERS | texts.map(lambda s: s or "x")),  # (no .filter: old hypothesis + numpy 2)
            draw(st.sampled_from(["left", "right"])),
            draw(st.none() | st.integers(0, 20)),
            draw(st.none() | st.none() | st.integers(1, 24)),
            draw(st.sampled_from([None, "bold"])),
            draw(st.booleans()),
        )
        for _ in range(n)
    ]
    for c in columns:  # rich refuses nothing, but a maximum under the minimum is not ours
        if c.min_width is not None and c.max_width is not None and c.max_width < c.min_width:
            columns = [Column(c.header, c.justify, c.min_width, c.min_width) for c in columns]
    rows = [
        [draw(st.lists(st.tuples(texts, STYLES), min_size=1, max_size=3)) for _ in columns]
        for _ in range(draw(st.integers(0, 5)))
    ]
    lines = draw(st.lists(st.lists(st.tuples(texts, STYLES), min_size=1, max_size=2), max_size=3))
    title = draw(st.sampled_from(["Integration ranking", "T", "A rather long title " * 3, ""]))
    padding = draw(st.sampled_from([(1, 0), (1, 1)]))
    rule = draw(st.booleans())  # simple_table()'s box: a rule under the header
    return Layout(title, columns, padding, rows, lines, rule=rule)


@settings(max_examples=400)
@given(layouts(), st.integers(10, 240))
def test_a_table_written_without_rich_is_rich_s_own(layout, width):
    plain = plain_text(layout, width)
    if plain is not None:
        assert plain == rich_text(lambda console: draw_with_rich(console, layout), Screen(width))


def test_the_ranking_of_the_example_is_written_without_rich_at_usual_widths():
    """Not a vacuous test: the everyday table takes the plain way, and it is rich's."""
    ranked = rank_inputs(
        Inputs((str(ROOT / "examples" / "requests.csv"),), str(ROOT / "scoring.yaml")),
        engine="python",
        listed=False,
    )
    for width in (80, 100, 120, 200):  # 80: wrapped headers; 100 on: one line, wider gaps
        layout = ranking_view._layout(ranked.ranking, ranked.run, None, width)
        plain = plain_text(layout, width)
        assert plain is not None
        drawn = rich_text(lambda console, lay=layout: draw_with_rich(console, lay), Screen(width))
        assert plain == drawn


def test_the_characters_taken_as_one_column_are_one_column_to_rich():
    chars = [chr(n) for n in range(0x300) if chr(n).isprintable()] + sorted(ONE_WIDE)
    assert [ch for ch in chars if cell_len(ch) != 1] == []


@pytest.mark.parametrize(
    "env",
    [
        {},
        {"COLUMNS": "100"},
        {"COLUMNS": "37"},
        {"COLUMNS": "abc"},
        {"COLUMNS": "0"},
        {"FORCE_COLOR": "1"},
        {"FORCE_COLOR": ""},
        {"TTY_COMPATIBLE": "1"},
        {"TTY_COMPATIBLE": "0", "FORCE_COLOR": "1"},
    ],
)
def test_the_plain_screen_is_the_one_rich_sees(monkeypatch, env):
    for name in ("COLUMNS", "FORCE_COLOR", "TTY_COMPATIBLE", "LINES"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    screen = plain_screen()
    console = Console()
    if screen is None:  # only where rich may see a terminal, or the width is odd
        assert (
            console.is_terminal or not env.get("COLUMNS", "1").isdigit() or env == {"COLUMNS": "0"}
        )
    else:
        assert not console.is_terminal
        assert screen == Screen(console.width, None)


def test_the_plain_screen_of_a_pipe_is_80_columns_or_the_terminal_s(monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    expected = 80
    for fd in (0, 1, 2):
        try:
            expected = os.get_terminal_size(fd).columns or 80
            break
        except OSError:
            continue
    assert plain_screen() in (None, Screen(expected, None))
