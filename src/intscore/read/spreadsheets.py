"""Workbooks read directly: `.xlsx`/`.xlsm`, `.xls` and `.ods`, through
python-calamine (Rust's calamine: one fast reader for all three, loaded only for a workbook).

Cells come typed as the workbook stores them: numbers (a whole number as an int), dates,
booleans, text; an empty cell is None. The sheet is `read.sheet` / `--sheet`, else the first.
The header, repeated-column and footer rules are the CSV reader's (`readers.start_table`).

A workbook is bounded before calamine sees it, since calamine allocates a sheet's whole
rectangle at once (a two-cell .xlsx with cells at A1 and XFD1048576 would ask for 512 GiB and
abort the process): the file is at most `MAX_WORKBOOK_BYTES`; a zip (.xlsx, .ods) at most
`MAX_UNZIPPED_BYTES` unpacked, no part of it packed more than `MAX_RATIO` times; the sheet's
rectangle (from the cell references in its XML, or an .ods's repeated cells) at most
`MAX_SHEET_CELLS` cells, for every sheet. An .xls (BIFF8) cannot be larger than 65,536 × 256 cells.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any, BinaryIO

from ..problems import UNREADABLE_FILE, Finding, IntscoreError
from ..text import safe_text
from .files import read_limited

__all__ = ["MAX_SHEET_CELLS", "WORKBOOKS", "read_workbook"]

WORKBOOKS = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".ods": "ods"}
MAX_WORKBOOK_BYTES = 64 << 20
MAX_UNZIPPED_BYTES = 512 << 20
MAX_RATIO = 200  # xlsx XML packs 10-30 times; a zip bomb, thousands
MAX_SHEET_CELLS = 1 << 24  # rows × columns of the sheet's rectangle (calamine holds it whole)

_ROW_REF = re.compile(rb'<row\b[^>]*?\sr="(\d{1,7})"')
_CELL_REF = re.compile(rb'<c\b[^>]*?\sr="([A-Z]{1,3})(\d{1,7})"')
_CELL = re.compile(rb"<c[\s>/]")
_ODS_ROW = re.compile(rb"<table:table-row\b([^>]*)>(.*?)</table:table-row>", re.DOTALL)
_ODS_CELL = re.compile(rb"<table:(?:covered-)?table-cell\b([^>]*)>")


def read_workbook(
    data: BinaryIO, source: str, fmt: str, sheet: str | None
) -> tuple[str, Iterator[tuple[int, list[Any]]]]:
    """(the sheet's name, its rows as (line, cells)) of a workbook; IntscoreError for a file
    that is no such workbook, too large, or without that sheet."""
    with data:
        raw = read_limited(data, source, MAX_WORKBOOK_BYTES)
    try:
        import python_calamine
    except ImportError:
        raise _fail(
            source, "reading workbooks needs python-calamine: pip install python-calamine"
        ) from None
    if fmt in ("xlsx", "ods"):
        _check_zip(raw, source, fmt)
        _check_area(raw, source, fmt)
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(raw))
        name = _sheet_name(list(book.sheet_names), sheet, source)
        found = book.get_sheet_by_name(name)
    except IntscoreError:
        raise
    except Exception as exc:  # calamine's errors: a damaged or password-protected file
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        message = f"cannot be read as a .{fmt} workbook: {safe_text(reason)[:200]}"
        raise _fail(source, message) from None
    first = (found.start or (0, 0))[0]
    return name, _rows(found.iter_rows(), first, source)


def _rows(rows: Iterator[list[Any]], first: int, source: str) -> Iterator[tuple[int, list[Any]]]:
    for n, cells in enumerate(rows, first + 1):
        yield n, [_cell(cell, source, n) for cell in cells]


def _cell(cell: Any, source: str, line: int) -> Any:
    if cell.__class__ is str:
        if "\0" in cell:
            raise _fail(source, "a NUL character (\\x00) is not text", line)
        return cell if cell else None
    if cell.__class__ is float and cell.is_integer() and abs(cell) < 1e15:
        return int(cell)
    if isinstance(cell, bool | int | float):
        return cell
    if hasattr(cell, "toordinal"):  # a date or a date and time
        return cell
    return str(cell)  # a time of day, a duration


def _sheet_name(names: list[str], sheet: str | None, source: str) -> str:
    if not names:
        raise _fail(source, "the workbook has no sheet")
    if sheet is None:
        return names[0]
    for name in names:
        if name == sheet or name.casefold().strip() == sheet.casefold().strip():
            return name
    shown = ", ".join(f"'{safe_text(n)}'" for n in names[:20])
    raise _fail(source, f"no sheet '{safe_text(sheet)}' (sheets: {shown})")


def _check_zip(raw: bytes, source: str, fmt: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _fail(source, f"is not a .{fmt} workbook (not a zip file)") from None
    total = sum(m.file_size for m in members)
    if total > MAX_UNZIPPED_BYTES:
        raise _fail(source, f"unpacks to more than {MAX_UNZIPPED_BYTES >> 20} MiB")
    for m in members:
        if m.file_size > 1 << 20 and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            ratio = m.file_size // max(m.compress_size, 1)
            message = f"'{safe_text(m.filename)}' is packed {ratio:,} times (a zip bomb?)"
            raise _fail(source, message)


def _check_area(raw: bytes, source: str, fmt: str) -> None:
    """Refuses a workbook with a sheet whose rectangle holds more than MAX_SHEET_CELLS cells
    (every sheet is looked at: calamine may load them all)."""
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        names = archive.namelist()
        if fmt == "ods":
            areas = [_ods_area(archive.read("content.xml"))] if "content.xml" in names else []
        else:
            parts = [n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")]
            areas = [_xlsx_area(archive.read(part)) for part in parts]
    area = max(areas, default=0)
    if area > MAX_SHEET_CELLS:
        raise _fail(source, f"a sheet spans {area:,} cells; the most read is {MAX_SHEET_CELLS:,}")


def _xlsx_area(xml: bytes) -> int:
    """Rows × columns between the sheet's first and last cell references; cells written
    without a reference widen it by their number."""
    rows = set(_ROW_REF.findall(xml))
    cells = _CELL_REF.findall(xml)
    if not rows and not cells:
        return 0
    rows.update(digits for _, digits in cells)
    numbers = [int(digits) for digits in rows]
    columns = [_column_number(letters) for letters in {letters for letters, _ in cells}]
    unreferenced = max(0, len(_CELL.findall(xml)) - len(cells))
    width = (max(columns) - min(columns) + 1 if columns else 1) + unreferenced
    return (max(numbers) - min(numbers) + 1) * width


def _ods_area(xml: bytes) -> int:
    """Rows × columns up to the last cell with a value, counting repeated rows and cells
    (LibreOffice repeats empty ones to the sheet's end: those count for nothing)."""
    rows = width = seen = 0
    for row in _ODS_ROW.finditer(xml):
        repeat = _repeat(row.group(1), b"rows")
        at = last = 0
        for cell in _ODS_CELL.finditer(row.group(2)):
            at += _repeat(cell.group(1), b"columns")
            if b"value-type" in cell.group(1) or not cell.group(1).endswith(b"/"):
                last = at
        seen += repeat
        if last:
            rows, width = seen, max(width, last)
    return rows * width


def _repeat(attributes: bytes, what: bytes) -> int:
    found = re.search(b"number-" + what + b'-repeated="(\\d{1,9})"', attributes)
    return int(found.group(1)) if found else 1


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _fail(source: str, message: str, line: int | None = None) -> IntscoreError:
    return IntscoreError(Finding(source, line, UNREADABLE_FILE, message))
