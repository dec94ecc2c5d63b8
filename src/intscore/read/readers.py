"""Read request data (CSV, TSV, YAML, JSON) from a byte stream into tables of rows that know
their line.

Rows are plain lists of cells, streamed from CSV with `csv.reader`: no per-row objects, so a
million-row export is read in one pass with little memory. Opening files is `files`' job.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO

from ..problems import INVALID_ROW, UNREADABLE_FILE, Finding, IntscoreError
from ..text import safe_text
from .files import read_limited
from .footer import without_footer
from .header import cell_text, find_header
from .lines import MAX_FIELDS, MAX_LINE_LENGTH, CheckedLines, odd_character, yields_surrogates
from .repeated import merge_repeated
from .rows import Table, table_from_records
from .spreadsheets import WORKBOOKS, read_workbook
from .structured import LinedDict, LinedList, StructureError, load_json, load_yaml

__all__ = ["FORMATS", "ReadOptions", "format_of", "read_stream"]

FORMATS = {".csv": "csv", ".tsv": "tsv", ".yaml": "yaml", ".yml": "yaml", ".json": "json"}
WORKBOOK_FORMATS = ("xlsx", "xls", "ods")
DELIMITERS = [",", ";", "\t", "|"]
_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
MAX_FIELD = csv.field_size_limit()


@dataclass(frozen=True)
class ReadOptions:
    """How to read input files; None means detect. `commands.read_options` fills it from
    scoring.yaml's `read:` and the command line's flags (which win)."""

    encoding: str | None = None
    delimiter: str | None = None
    decimal: str | None = None  # "," or "."; None: by the file (`;`-separated: ",")
    input_format: str | None = None
    sheet: str | None = None  # a workbook's sheet (None: the first)
    header_row: int | None = None  # the header's line (None: found, see `header`)
    footer: bool = True  # skip a report's footer and subtotal rows (see `footer`)
    max_line_length: int = MAX_LINE_LENGTH  # characters in one CSV row
    max_fields: int = MAX_FIELDS  # fields in one row; distinct fields of a YAML/JSON file
    # From the config: the integration's headers (where the table starts; a repeated one is
    # a multi-valued column) and the other fields' (a repeated one takes one value).
    name_headers: tuple[str, ...] = ()
    value_headers: tuple[str, ...] = ()
    # (source, header, "," or ".") of number columns whose values showed their convention
    # after some were read the other way: a second reading starts with it.
    column_decimals: tuple[tuple[str, str, str], ...] = ()

    @property
    def decimal_comma(self) -> bool:
        """Whether a decimal comma is given."""
        return self.decimal == ","


def read_stream(
    data: BinaryIO,
    source: str,
    fmt: str,
    options: ReadOptions | None = None,
    size: int | None = None,
) -> Table:
    """The table in a byte stream (`source` names it in messages; `size` in bytes, when known,
    drives the progress bar). Problems with the whole stream (bad encoding, invalid YAML) raise
    IntscoreError; problems with rows are the table's findings. Closes the stream."""
    options = options or ReadOptions()
    if options.encoding is not None:
        check_encoding(options.encoding)
    if fmt in ("csv", "tsv"):
        return _read_csv(data, source, fmt, options, size)
    if fmt in WORKBOOK_FORMATS:
        return _read_workbook(data, source, fmt, options, size)
    with data:
        raw = read_limited(data, source)
    return _read_structured(raw, source, fmt, options)


def check_encoding(name: str) -> None:
    """Refuse an encoding Python does not know, or one that is not a text encoding (rot13)."""
    try:
        info = codecs.lookup(name)
    except LookupError:
        raise IntscoreError(f"unknown encoding '{safe_text(name)}'") from None
    if not getattr(info, "_is_text_encoding", True):
        raise IntscoreError(f"'{safe_text(name)}' is not a text encoding")


def format_of(path: str, options: ReadOptions) -> str:
    """The input format of a path: --input-format, else its extension; stdin (`-`) is CSV
    unless --input-format says otherwise, as csvkit and sqlite-utils read it."""
    if options.input_format:
        fmt = options.input_format.lower()
        if fmt not in ("csv", "tsv", "yaml", "json", *WORKBOOK_FORMATS):
            raise IntscoreError(
                f"unknown input format '{safe_text(fmt)}': use csv, tsv, yaml, json, xlsx, "
                "xls or ods"
            )
        return fmt
    if path == "-":
        return "csv"
    suffix = Path(path).suffix.lower()
    if suffix in WORKBOOKS:
        return WORKBOOKS[suffix]
    if suffix == ".numbers":
        raise _fail(path, "is a Numbers workbook; export the sheet as CSV or .xlsx first")
    if suffix not in FORMATS:
        shown = f"'{suffix}'" if suffix else "no extension"
        raise _fail(
            path,
            f"unknown file type ({shown}): use .csv, .tsv, .yaml, .yml, .json, .xlsx, .xls "
            "or .ods, or give --input-format",
        )
    return FORMATS[suffix]


def _fail(source: str, message: str, line: int | None = None) -> IntscoreError:
    return IntscoreError(Finding(source, line, UNREADABLE_FILE, message))


def _encoding_for(head: bytes, options: ReadOptions) -> str:
    """A byte-order mark decides; else --encoding; else UTF-8."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    return options.encoding or "utf-8"


def _decode_hint(options: ReadOptions, exc: UnicodeError | None = None) -> str:
    if options.encoding:
        if exc is not None and "does not start with BOM" in str(exc):
            return (
                f"cannot be read as {options.encoding}: it has no byte-order mark; "
                f"give {options.encoding}-le or {options.encoding}-be"
            )
        return f"cannot be read as {options.encoding}"
    return "is not UTF-8 text; give its encoding, e.g. --encoding cp1252"


def _read_csv(
    data: BinaryIO, source: str, fmt: str, options: ReadOptions, size: int | None
) -> Table:
    buffered = data if isinstance(data, io.BufferedReader) else io.BufferedReader(data)  # type: ignore[type-var]
    head = buffered.peek(1 << 16)
    encoding = _encoding_for(head, options)
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        buffered.close()
        raise IntscoreError(f"unknown encoding '{encoding}'") from None
    if b"\0" in head[:4096] and not encoding.startswith(("utf-16", "utf-32")):
        buffered.close()
        raise _fail(source, "looks like a binary file, not CSV text")
    delimiter = options.delimiter
    if delimiter is None:
        try:
            sample = head.decode(encoding, errors="replace")
        except UnicodeError:  # a codec without error handlers (idna): read below, and refused
            sample = ""
        first_line = next((line for line in sample.splitlines() if line.strip()), "")
        delimiter = "\t" if fmt == "tsv" else _sniff_delimiter(first_line)
    elif delimiter.lower() in ("\\t", "tab"):
        delimiter = "\t"
    if len(delimiter) != 1:
        buffered.close()
        raise IntscoreError(f"--delimiter must be one character, not {delimiter!r}")

    text = io.TextIOWrapper(buffered, encoding=encoding, newline="")
    lines = CheckedLines(text, source, options.max_line_length, yields_surrogates(codec))
    reader = csv.reader(lines, delimiter=delimiter)
    table = Table(source=source, format=fmt, header=[], rows=iter(()), size=size)
    table.encoding, table.delimiter = encoding, delimiter
    table.progress = buffered.tell if size else None
    _decimals(table, options, delimiter == ";")
    rows = _csv_rows(reader, lines, table, options, buffered)
    start_table(table, rows, options)
    return table


def start_table(table: Table, rows: Iterator[tuple[int, list[Any]]], options: ReadOptions) -> None:
    """Finds a table's header in its rows (below any title rows), merges repeated columns and
    leaves out a report's footer: `table.rows` are then its rows of data."""
    start = find_header(rows, table.source, options.name_headers, options.header_row)
    table.header_line = start.line
    skipped = start.finding(table.source)
    if skipped is not None:
        table.findings.append(skipped)
    width = len(start.header)
    rows = fitted(start.rows, width, table)
    data = merge_repeated(table, start.header, rows, options.name_headers, options.value_headers)
    table.footer = options.footer
    if options.footer and data is rows:  # no repeated header: the footer's loop fits rows
        fit = partial(fit_row, width=width, table=table)
        table.rows = without_footer(start.rows, table, width, fit)
    else:
        table.rows = without_footer(data, table) if options.footer else data


def _read_workbook(
    data: BinaryIO, source: str, fmt: str, options: ReadOptions, size: int | None
) -> Table:
    sheet, rows = read_workbook(data, source, fmt, options.sheet)
    table = Table(source=source, format=fmt, header=[], rows=iter(()), size=size)
    table.sheet = sheet
    _decimals(table, options, False)
    start_table(table, _bounded(rows, source, options), options)
    return table


def _bounded(
    rows: Iterator[tuple[int, list[Any]]], source: str, options: ReadOptions
) -> Iterator[tuple[int, list[Any]]]:
    """A workbook's rows within the limits of a CSV row: fields, and characters."""
    for line, cells in rows:
        while cells and cells[-1] is None:
            cells.pop()
        if len(cells) > options.max_fields:
            raise _too_wide(source, line, len(cells), options.max_fields)
        if sum(len(c) for c in cells if c.__class__ is str) > options.max_line_length:
            raise _fail(
                source,
                f"a row is longer than {options.max_line_length:,} characters, the most a row "
                "may hold (scoring.yaml `read: max_line_length` raises it)",
                line,
            )
        yield line, cells


def _decimals(table: Table, options: ReadOptions, comma_by_default: bool) -> None:
    """The table's decimal convention: given, or the file's (a column may prove its own)."""
    table.decimal_fixed = options.decimal is not None
    table.decimal_comma = options.decimal_comma if table.decimal_fixed else comma_by_default
    table.column_decimals = {
        header: mark for source, header, mark in options.column_decimals if source == table.source
    }


def _sniff_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_rows(
    reader: Any, lines: CheckedLines, table: Table, options: ReadOptions, raw: BinaryIO
) -> Iterator[tuple[int, list[str]]]:
    """Yield (first line, cells) of every row (an empty line: no cells; a footer may follow
    it); a row of more than `max_fields` cells is refused."""
    most = options.max_fields
    try:
        for row in reader:
            start, quotes = lines.row_start, lines.quotes
            lines.pending = 0  # the row is done (inlined: this runs once per row)
            lines.row_start = lines.number + 1
            lines.quotes = None
            if len(row) > most:
                raise _too_wide(table.source, start, len(row), most)
            if quotes is not None and quotes % 2 and lines.ended:
                raise _fail(
                    table.source,
                    f'a quote (") opened in the row of line {start} is never closed: it takes '
                    f"in every line to the end of the file (line {lines.number})",
                    start,
                )
            yield start, row
    except UnicodeError as exc:
        encoding = getattr(exc, "encoding", None) or table.encoding or "utf-8"
        line = _undecodable_line(raw, encoding) or lines.number + 1
        raise _fail(table.source, _decode_hint(options, exc), line) from None
    except csv.Error as exc:
        message = str(exc)
        if "field larger" in message:
            message = f"a field is longer than {MAX_FIELD // 1024} KiB"
        raise _fail(table.source, f"invalid CSV: {message}", lines.row_start) from None
    finally:
        lines.text.close()


def fit_row(row: list[Any], line: int, width: int, table: Table) -> bool:
    """A row made as wide as the header: a short row padded, trailing empty cells left out;
    False for a row with extra non-empty cells, which is a finding of the table instead."""
    if len(row) < width:
        row.extend([""] * (width - len(row)))
    elif any(cell_text(cell) for cell in row[width:]):
        table.findings.append(
            Finding(
                table.source,
                line,
                INVALID_ROW,
                f"row has {len(row)} cells but the header has {width}; "
                "is a delimiter or quote missing?",
            )
        )
        return False
    else:
        del row[width:]
    return True


def fitted(
    rows: Iterator[tuple[int, list[Any]]], width: int, table: Table
) -> Iterator[tuple[int, list[Any]]]:
    """Rows as wide as the header (`fit_row`)."""
    for line, row in rows:
        if len(row) != width and not fit_row(row, line, width, table):
            continue
        yield line, row


def _too_wide(source: str, line: int, fields: int, limit: int) -> IntscoreError:
    return _fail(
        source,
        f"a row of {fields:,} fields; the most a row may have is {limit:,} "
        "(scoring.yaml `read: max_fields` raises it)",
        line,
    )


def _undecodable_line(raw: BinaryIO, encoding: str) -> int | None:
    """The first line that does not decode (the decoder works in chunks, so the error itself
    does not say); only for a stream that can be read again from the start. Read in pieces
    of at most 64 KiB: a long line is never held whole."""
    if not encoding.lower().replace("-", "").startswith(("utf8", "ascii")):
        return None
    try:
        if not raw.seekable():
            return None
        raw.seek(0)
        decoder = codecs.getincrementaldecoder(encoding)()
        number = 1
        while piece := raw.readline(1 << 16):
            try:
                decoder.decode(piece)
            except UnicodeError:
                return number
            number += piece.endswith(b"\n")
    except (OSError, ValueError, LookupError):
        return None
    return None


def _read_structured(raw: bytes, source: str, fmt: str, options: ReadOptions) -> Table:
    encoding = _encoding_for(raw[:4], options)
    if b"\0" in raw[:4096] and not encoding.startswith(("utf-16", "utf-32")):
        raise _fail(source, f"looks like a binary file, not {fmt.upper()} text")
    try:
        text = raw.decode(encoding)
    except UnicodeError as exc:
        raise _fail(source, _decode_hint(options, exc)) from None
    except LookupError:
        raise IntscoreError(f"unknown encoding '{encoding}'") from None
    text = text.removeprefix("\ufeff")
    odd = odd_character(text)  # a NUL or a lone surrogate that the decoder let through
    if odd is not None:
        position, message = odd
        raise _fail(source, message, text.count("\n", 0, position) + 1)
    try:
        data = load_json(text) if fmt == "json" else load_yaml(text)
    except StructureError as exc:
        raise _fail(source, exc.message, exc.line) from None
    except RecursionError:
        raise _fail(source, "nested too deeply") from None
    return _rows_from_documents(data, source, fmt, options)


def _rows_from_documents(data: Any, source: str, fmt: str, options: ReadOptions) -> Table:
    """A list of row mappings, or a mapping from integration name to a row or list of rows."""
    records: list[tuple[int, Any, LinedDict, dict[Any, int]]] = []
    named = False
    shape = "a list of rows, or a mapping from integration name to rows"
    if data is None:
        data = LinedList(1)
    if isinstance(data, LinedList):
        for line, item in zip(data.item_lines, data, strict=True):
            if not isinstance(item, LinedDict):
                raise _fail(source, f"each row should be a mapping of fields ({shape})", line)
            records.append((item.line, None, item, item.key_lines))
    elif isinstance(data, LinedDict):
        named = True
        for name, value in data.items():
            line = data.key_lines[name]
            items = value if isinstance(value, LinedList) else [value]
            lines = value.item_lines if isinstance(value, LinedList) else [line]
            for item_line, item in zip(lines, items, strict=True):
                if item is None:
                    item = LinedDict(item_line)
                if not isinstance(item, LinedDict):
                    raise _fail(
                        source, f"'{name}' should map to a row or a list of rows", item_line
                    )
                records.append((item.line or item_line, name, item, item.key_lines))
    else:
        raise _fail(source, f"expected {shape}", getattr(data, "line", 1))

    table = table_from_records(records, source, fmt, False, named, options.max_fields)
    _decimals(table, options, False)
    return table
