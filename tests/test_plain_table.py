"""The long views' tables laid out without rich are rich's own layout, character for
character; where rich would wrap, measure otherwise or colour, rich lays them out."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.text import Text

from conftest import EXAMPLES, run
from intscore.render import sensitivity as sensitivity_view
from intscore.render.console import Screen, rich_text, simple_table
from intscore.render.table_layout import plain_table
from intscore.text import safe_text


def by_rich(columns: list[tuple[str, str]], rows: list[list[str]], width: int) -> str:
    def draw(console: Any) -> None:
        table = simple_table()
        for header, justify in columns:
            table.add_column(header, justify=justify, overflow="fold")
        for row in rows:
            table.add_row(*(Text(cell) for cell in row))
        console.print(table)

    return rich_text(draw, Screen(width))


cells = st.one_of(
    st.text(alphabet="abc XYZ0123456789.–%", max_size=12),
    st.text(max_size=8).map(safe_text),  # any character: wide, combining, invisible
)


@given(
    justify=st.lists(st.sampled_from(["left", "right"]), min_size=1, max_size=5),
    data=st.data(),
    width=st.sampled_from([20, 40, 80, 120]),
)
def test_a_plain_table_is_laid_out_as_rich_lays_it_out(justify: list[str], data: Any, width: int):
    columns = [(data.draw(cells), j) for j in justify]
    rows = data.draw(st.lists(st.lists(cells, min_size=len(justify), max_size=len(justify))))
    plain = plain_table(columns, rows, width)
    if plain is not None:
        assert plain == by_rich(columns, rows, width)


def test_a_table_too_wide_or_not_one_column_a_character_is_left_to_rich():
    columns = [("#", "right"), ("Name", "left")]
    assert plain_table(columns, [["1", "Salesforce"]], 14) == (
        "#   Name      \n──────────────\n1   Salesforce\n"
    )
    assert plain_table(columns, [["1", "Salesforce"]], 13) is None  # rich would wrap it
    assert plain_table(columns, [["1", "Sales "]], 80) is None  # rich would trim it
    assert plain_table(columns, [["1", "日本"]], 80) is None  # two columns a character
    assert plain_table(columns, [["1", "e\u0301"]], 80) is None  # a combining accent
    assert plain_table([("#", "center")], [["1"]], 80) is None


@pytest.mark.parametrize("vary", ["weights", "data"])
def test_sensitivity_tables_are_rich_s_tables(monkeypatch: pytest.MonkeyPatch, vary: str):
    args = ["sensitivity", str(EXAMPLES / "requests.csv"), "--runs", "50", "--vary", vary]
    fast = run(*args).stdout
    monkeypatch.setattr(sensitivity_view, "plain_table", lambda *args: None)
    assert run(*args).stdout == fast
    assert "────" in fast and "Integration" in fast
