"""A table as rich lays it out, as data: its title, columns, rows of cells in styled pieces and
the lines printed under it — drawn by rich (`draw_with_rich`), or written without loading rich
at all (`plain_text`) where the result is certain to be rich's own, character for character:
no colour, every text printable, one column a character and no space at its ends, and the
table as wide as its widest cells (no column wraps or shrinks). Elsewhere `plain_text` says
None and rich draws it; tests compare the two on generated tables. Two shapes: the ranking's
(no box) and the secondary views' `simple_table()` (a rule under the header). The ranking is
the everyday output: rich costs it more time to load than intscore takes to rank the bundled
example; a sensitivity table of 20,000 rows costs rich 13 s."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

__all__ = ["Column", "Layout", "Piece", "draw_with_rich", "plain_table", "plain_text"]

Piece = tuple[str, str | None]  # a run of text and its rich style (None: the cell's own)


@dataclass(frozen=True, slots=True)
class Column:
    """A column: its header, how its cells line up, and bounds on its cells' width."""

    header: str
    justify: Literal["left", "right"] = "left"
    min_width: int | None = None
    max_width: int | None = None
    style: str | None = None
    fold: bool = False  # long cells fold onto more lines (rich's overflow="fold")


@dataclass(slots=True)
class Layout:
    """`Table(box=None, pad_edge=False)` with `padding` (right, left) around each cell but at
    the table's edges — or, `rule`, `simple_table()`'s box: a rule under the header and a
    space between columns — and the lines printed under it (each in styled pieces)."""

    title: str
    columns: list[Column]
    padding: tuple[int, int] = (1, 0)
    rows: list[list[list[Piece]]] = field(default_factory=list)
    lines: list[list[Piece]] = field(default_factory=list)
    title_style: str = "bold"
    header_style: str = "bold underline"
    rule: bool = False


def draw_with_rich(console: Console, layout: Layout) -> None:
    """Print the layout with rich."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    right, left = layout.padding
    table = Table(
        title=layout.title or None,
        header_style=layout.header_style,
        title_style=layout.title_style,
        box=box.SIMPLE_HEAD if layout.rule else None,
        show_edge=not layout.rule,
        pad_edge=False,
        padding=(0, right, 0, left),
    )
    for c in layout.columns:
        table.add_column(
            Text(c.header),
            justify=c.justify,
            style=c.style,
            min_width=c.min_width,
            max_width=c.max_width,
            overflow="fold" if c.fold else "ellipsis",
        )
    for row in layout.rows:
        table.add_row(*(_text(pieces) for pieces in row))
    console.print(table)
    for pieces in layout.lines:
        console.print(_text(pieces))


def _text(pieces: Sequence[Piece]) -> Text:
    from rich.text import Text

    text = Text()
    for part, style in pieces:
        text.append(part, style=style or "")
    return text


def plain_text(layout: Layout, width: int, measure: bool = False) -> str | None:
    """The layout as rich prints it without colour at this width, or None where only rich
    can tell (a text rich would measure, fold or trim, or a table wider than `width`).
    `measure`: ask rich's own measure of characters beyond the ones known (for views that
    load rich anyway)."""
    cells = [["".join(part for part, _ in pieces) for pieces in row] for row in layout.rows]
    sized = _sized(layout, cells, measure)
    if sized is None:
        return None
    sizes, pads, headers = sized
    divider = " " if layout.rule else ""
    total = sum(sizes) + sum(map(sum, pads)) + len(divider) * (len(sizes) - 1)
    if total > width:
        return None  # rich would shrink the columns
    height = max(map(len, headers), default=1)
    header_rows = [
        [([""] * (height - len(lines)) + lines)[n] for lines in headers] for n in range(height)
    ]
    lines = [layout.title] if layout.title else []
    for n, row in enumerate([*header_rows, *cells]):
        line = []
        for text, column, size, (before, after) in zip(
            row, layout.columns, sizes, pads, strict=True
        ):
            aligned = text.rjust(size) if column.justify == "right" else text.ljust(size)
            line.append(" " * before + aligned + " " * after)
        lines.append(divider.join(line))
        if layout.rule and n == height - 1:
            lines.append(_RULE * total)
    for pieces in layout.lines:
        lines.append("".join(part for part, _ in pieces))
    if not all(text.isprintable() for text in (layout.title, *lines)):
        return None
    return "\n".join(lines) + "\n"


def _sized(
    layout: Layout, cells: list[list[str]], measure: bool
) -> tuple[list[int], list[tuple[int, int]], list[list[str]]] | None:
    """Each column's width, padding (left, right) and header lines, as rich sizes them where
    no cell folds; None where one would, or where a text is not certain."""
    right, left = layout.padding
    last = len(layout.columns) - 1
    sizes, pads, headers = [], [], []
    for i, column in enumerate(layout.columns):
        texts = [column.header, *(row[i] for row in cells)]
        if not _certain(column.header) or not all(_certain(t, measure) for t in set(texts[1:])):
            return None  # (a header is wrapped by its length: no measure for it)
        size = max(max(map(len, texts)), column.min_width or 0)
        size = min(size, column.max_width) if column.max_width is not None else size
        header = _wrapped(column.header, size)
        if header is None or any(len(text) > size for text in texts[1:]):
            return None  # rich would fold a word or a cell
        pad = (left if i else 0, right if i < last else 0)
        sizes.append(max(size, 1 - sum(pad)))
        pads.append(pad)
        headers.append(header)
    return sizes, pads, headers


_RULE = "\u2500"  # the rule under the header (box.SIMPLE_HEAD)


def plain_table(
    columns: Sequence[tuple[str, str]], rows: Sequence[Sequence[str]], width: int
) -> str | None:
    """What `console.print(table)` prints for a `simple_table()` with these columns ((header,
    "left" | "right"), long cells folding) and rows of plain cells, without colour; None when
    rich must lay it out."""
    if not columns or any(justify not in ("left", "right") for _, justify in columns):
        return None
    layout = Layout(
        "",
        [Column(header, justify, fold=True) for header, justify in columns],  # type: ignore[arg-type]
        (1, 1),
        [[[(cell, None)] for cell in row] for row in rows],
        header_style="bold",
        rule=True,
    )
    return plain_text(layout, width, measure=True)


def _wrapped(header: str, size: int) -> list[str] | None:
    """A header's lines as rich wraps it at `size` (greedily, at single spaces), or None when
    a word is longer (rich would fold it) or spaces repeat."""
    words = header.split(" ")
    if len(header) <= size:
        return [header]
    if any(not word or len(word) > size for word in words):
        return None
    lines = [words[0]]
    for word in words[1:]:
        if len(lines[-1]) + 1 + len(word) <= size:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def _certain(text: str, measure: bool = False) -> bool:
    """A cell rich lays out as its characters: printable, each one column wide to rich (Latin
    letters and the punctuation intscore writes, which a test checks against rich's measure;
    with `measure`, whatever rich measures so), no space at either end (rich trims some when
    it justifies)."""
    if not text.isprintable() or text != text.strip(" "):
        return False
    if text.isascii() or all(ch < "\u0300" or ch in ONE_WIDE for ch in text):
        return True
    if not measure:
        return False
    from rich.cells import cell_len

    return cell_len(text) == len(text)


ONE_WIDE = frozenset("—–·…≥≤×−‘’“”•€£")  # beyond U+0300: what intscore's cells hold
