"""`simple_table()` laid out without rich, character for character as rich lays it out, for
the long views (a sensitivity table of 20,000 rows costs rich 13 s): only when no cell needs
rich (every character printable and one column wide) and the table fits the width, so that
no column is wrapped; otherwise the caller draws it with rich."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["plain_table"]

_RULE = "\u2500"  # the rule under the header (box.SIMPLE_HEAD)


def plain_table(
    columns: Sequence[tuple[str, str]], rows: Sequence[Sequence[str]], width: int
) -> str | None:
    """The lines `console.print(table)` prints for a `simple_table()` with these columns
    ((header, "left" | "right")) and rows of plain cells, without colour; None when rich must
    lay it out."""
    if not columns or any(justify not in ("left", "right") for _, justify in columns):
        return None
    by_column = [list(cells) for cells in zip(*rows, strict=True)] if rows else []
    by_column = by_column or [[] for _ in columns]
    last = len(columns) - 1
    laid_out = []
    total = last  # one space between columns (no edges)
    for i, ((header, justify), cells) in enumerate(zip(columns, by_column, strict=True)):
        texts = [header, *cells]
        if not all(map(_one_column_each, set(texts))):
            return None
        left, right = (0 if i == 0 else 1), (0 if i == last else 1)  # no padding at the edges
        content = max(map(len, texts))
        outer = max(left + content + right, 1)
        content = outer - left - right
        total += outer
        justified = str.rjust if justify == "right" else str.ljust
        before, after = " " * left, " " * right
        laid_out.append([before + justified(text, content) + after for text in texts])
    if total > width:
        return None
    lines = [" ".join(cells) for cells in zip(*laid_out, strict=True)]
    lines.insert(1, _RULE * total)
    return "\n".join(lines) + "\n"


def _one_column_each(text: str) -> bool:
    """True when every character is printable and one column wide, as rich measures it, and
    no space leads or trails (rich trims some when it justifies)."""
    if text != text.strip(" "):
        return False
    if text.isascii():
        return text.isprintable()
    from rich.cells import cell_len

    return text.isprintable() and cell_len(text) == len(text)
