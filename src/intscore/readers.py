"""Read request files (CSV, TSV, YAML, JSON, stdin) into tables of rows that know their line.

Rows are plain lists of cells, streamed from CSV with `csv.reader`: no per-row objects, so a
million-row export is read in one pass with little memory.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from .problems import Finding, IntscoreError
from .structured import LinedDict, LinedList, StructureError, load_json, load_yaml

__all__ = ["FORMATS", "ReadOptions", "Table", "normalize_header", "read_table"]

FORMATS = {".csv": "csv", ".tsv": "tsv", ".yaml": "yaml", ".yml": "yaml", ".json": "json"}
DELIMITERS = [",", ";", "\t", "|"]
_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
_HEADER_SEPARATORS = re.compile(r"[\s_\-]+")
MAX_FIELD = csv.field_size_limit()


@dataclass(frozen=True)
class ReadOptions:
    """How to read input files; None means detect."""

    encoding: str | None = None
    delimiter: str | None = None
    decimal_comma: bool = False
    input_format: str | None = None


@dataclass
class Table:
    """One input file: its header and a one-pass iterator of (line, cells).

    `findings` fills up while `rows` is consumed (e.g. a row with too many cells).
    In YAML/JSON mapping form the integration name is the key; `name_column` points at it.
    """

    source: str
    format: str
    header: list[str]
    rows: Iterator[tuple[int, list[Any]]]
    findings: list[Finding] = field(default_factory=list)
    name_column: int | None = None
    decimal_comma: bool = False
    size: int | None = None
    progress: Callable[[], int] | None = None


def normalize_header(name: str) -> str:
    """Headers match ignoring case, surrounding spaces and `_`/`-`/space differences."""
    return _HEADER_SEPARATORS.sub("_", name.strip().casefold()).strip("_")


def read_table(path: str, options: ReadOptions | None = None) -> Table:
    """Open one input file (or `-` for stdin) and return its table. File-level problems
    (missing file, bad encoding, invalid YAML) raise IntscoreError."""
    options = options or ReadOptions()
    fmt = _format_of(path, options)
    if path == "-":
        data: BinaryIO = sys.stdin.buffer
        source = "<stdin>"
        size = None
    else:
        source = path
        try:
            data = open(path, "rb", buffering=1 << 16)  # noqa: SIM115 - closed by the rows
        except FileNotFoundError:
            raise _fail(source, "file not found") from None
        except IsADirectoryError:
            raise _fail(source, "is a folder, not a file") from None
        except OSError as exc:
            raise _fail(source, exc.strerror or str(exc)) from None
        size = Path(path).stat().st_size
    if fmt in ("csv", "tsv"):
        return _read_csv(data, source, fmt, options, size)
    with data:
        raw = data.read()
    return _read_structured(raw, source, fmt, options)


def _format_of(path: str, options: ReadOptions) -> str:
    if options.input_format:
        fmt = options.input_format.lower()
        if fmt not in ("csv", "tsv", "yaml", "json"):
            raise IntscoreError(f"unknown input format '{fmt}': use csv, tsv, yaml or json")
        return fmt
    if path == "-":
        raise IntscoreError("reading stdin needs --input-format csv|tsv|yaml|json")
    suffix = Path(path).suffix.lower()
    if suffix in (".xlsx", ".xls", ".xlsm", ".ods", ".numbers"):
        raise _fail(path, "is a spreadsheet workbook; export the sheet as CSV (UTF-8) first")
    if suffix not in FORMATS:
        shown = f"'{suffix}'" if suffix else "no extension"
        raise _fail(
            path,
            f"unknown file type ({shown}): use .csv, .tsv, .yaml, .yml or .json, "
            "or give --input-format",
        )
    return FORMATS[suffix]


def _fail(source: str, message: str, line: int | None = None) -> IntscoreError:
    return IntscoreError(Finding(source, line, "unreadable-file", message))


def _encoding_for(head: bytes, options: ReadOptions) -> str:
    """A byte-order mark decides; else --encoding; else UTF-8."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    return options.encoding or "utf-8"


def _decode_hint(options: ReadOptions) -> str:
    if options.encoding:
        return f"cannot be read as {options.encoding}"
    return "is not UTF-8 text; give its encoding, e.g. --encoding cp1252"


def _read_csv(
    data: BinaryIO, source: str, fmt: str, options: ReadOptions, size: int | None
) -> Table:
    buffered = data if isinstance(data, io.BufferedReader) else io.BufferedReader(data)  # type: ignore[arg-type]
    head = buffered.peek(1 << 16)
    encoding = _encoding_for(head, options)
    try:
        codecs.lookup(encoding)
    except LookupError:
        buffered.close()
        raise IntscoreError(f"unknown encoding '{encoding}'") from None
    if b"\0" in head[:4096] and not encoding.startswith(("utf-16", "utf-32")):
        buffered.close()
        raise _fail(source, "looks like a binary file, not CSV text")
    delimiter = options.delimiter
    if delimiter is None:
        sample = head.decode(encoding, errors="replace")
        first_line = next((line for line in sample.splitlines() if line.strip()), "")
        delimiter = "\t" if fmt == "tsv" else _sniff_delimiter(first_line)
    elif delimiter.lower() in ("\\t", "tab"):
        delimiter = "\t"
    if len(delimiter) != 1:
        buffered.close()
        raise IntscoreError(f"--delimiter must be one character, not {delimiter!r}")

    text = io.TextIOWrapper(buffered, encoding=encoding, newline="")
    reader = csv.reader(text, delimiter=delimiter)
    table = Table(source=source, format=fmt, header=[], rows=iter(()), size=size)
    table.decimal_comma = options.decimal_comma
    table.progress = buffered.tell if size else None
    rows = _csv_rows(reader, text, table, options)
    for line, header in rows:
        if any(cell.strip() for cell in header):
            table.header = [cell.strip() for cell in header]
            _check_header(table.header, source, line)
            break
    else:
        raise _fail(source, "no header row (the file is empty)")
    table.rows = rows
    return table


def _sniff_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _check_header(header: list[str], source: str, line: int) -> None:
    seen: dict[str, str] = {}
    problems = []
    for name in header:
        if not name:
            continue
        key = normalize_header(name)
        if key in seen:
            message = (
                f"column '{name}' appears twice"
                if seen[key] == name
                else f"columns '{seen[key]}' and '{name}' are the same column"
            )
            problems.append(Finding(source, line, "duplicate-column", message))
        else:
            seen[key] = name
    if problems:
        raise IntscoreError(problems)


def _csv_rows(
    reader: Any, text: io.TextIOWrapper, table: Table, options: ReadOptions
) -> Iterator[tuple[int, list[str]]]:
    """Yield (first line, cells); the first row yielded is the header. Short rows are padded
    (trailing empty cells left out); rows with extra non-empty cells are findings."""
    previous = 0
    try:
        for row in reader:
            start = previous + 1
            previous = reader.line_num
            width = len(table.header)
            if len(row) != width:
                if not row:
                    continue
                if not width:
                    pass  # still looking for the header
                elif len(row) < width:
                    row.extend([""] * (width - len(row)))
                elif any(cell.strip() for cell in row[width:]):
                    table.findings.append(
                        Finding(
                            table.source,
                            start,
                            "invalid-row",
                            f"row has {len(row)} cells but the header has {width}; "
                            "is a delimiter or quote missing?",
                        )
                    )
                    continue
            yield start, row
    except UnicodeDecodeError as exc:
        line = _undecodable_line(table.source, exc.encoding) or previous + 1
        raise _fail(table.source, _decode_hint(options), line) from None
    except csv.Error as exc:
        message = str(exc)
        if "field larger" in message:
            message = f"a field is longer than {MAX_FIELD // 1024} KiB"
        elif "NUL" in message:
            message = "contains NUL bytes; is it a binary file?"
        raise _fail(table.source, f"invalid CSV: {message}", previous + 1) from None
    finally:
        text.close()


def _undecodable_line(source: str, encoding: str) -> int | None:
    """The first line of a file that does not decode (the decoder works in chunks, so the
    error itself does not say)."""
    if source == "<stdin>" or not encoding.lower().replace("-", "").startswith(("utf8", "ascii")):
        return None
    try:
        with open(source, "rb") as handle:
            for number, raw in enumerate(handle, 1):
                try:
                    raw.decode(encoding)
                except UnicodeDecodeError:
                    return number
    except OSError:
        return None
    return None


def _read_structured(raw: bytes, source: str, fmt: str, options: ReadOptions) -> Table:
    encoding = _encoding_for(raw[:4], options)
    if b"\0" in raw[:4096] and not encoding.startswith(("utf-16", "utf-32")):
        raise _fail(source, f"looks like a binary file, not {fmt.upper()} text")
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        raise _fail(source, _decode_hint(options)) from None
    except LookupError:
        raise IntscoreError(f"unknown encoding '{encoding}'") from None
    text = text.removeprefix("\ufeff")
    try:
        data = load_json(text) if fmt == "json" else load_yaml(text)
    except StructureError as exc:
        raise _fail(source, exc.message, exc.line) from None
    except RecursionError:
        raise _fail(source, "nested too deeply") from None
    return _rows_from_documents(data, source, fmt, options)


def _rows_from_documents(data: Any, source: str, fmt: str, options: ReadOptions) -> Table:
    """A list of row mappings, or a mapping from integration name to a row or list of rows."""
    table = Table(source=source, format=fmt, header=[], rows=iter(()))
    table.decimal_comma = options.decimal_comma
    records: list[tuple[int, Any, LinedDict]] = []  # (line, name or None, row)
    shape = "a list of rows, or a mapping from integration name to rows"
    if data is None:
        data = LinedList(1)
    if isinstance(data, LinedList):
        for line, item in zip(data.item_lines, data, strict=True):
            if not isinstance(item, LinedDict):
                raise _fail(source, f"each row should be a mapping of fields ({shape})", line)
            records.append((item.line, None, item))
    elif isinstance(data, LinedDict):
        table.name_column = 0
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
                records.append((item.line or item_line, name, item))
    else:
        raise _fail(source, f"expected {shape}", getattr(data, "line", 1))

    index: dict[str, int] = {}
    header: list[str] = []
    if table.name_column is not None:
        header.append("")
    rows: list[tuple[int, list[Any]]] = []
    for line, name, item in records:
        cells: dict[int, Any] = {}
        seen: dict[str, str] = {}
        for key, value in item.items():
            key_text = str(key)
            norm = normalize_header(key_text)
            key_line = item.key_lines.get(key, line)
            if norm in seen:
                table.findings.append(
                    Finding(
                        source,
                        key_line,
                        "duplicate-column",
                        f"fields '{seen[norm]}' and '{key_text}' are the same field",
                    )
                )
                continue
            seen[norm] = key_text
            if norm not in index:
                index[norm] = len(header)
                header.append(key_text)
            if isinstance(value, dict | list):
                table.findings.append(
                    Finding(
                        source,
                        key_line,
                        "invalid-value",
                        "expected a single value, not a list or mapping",
                        field=key_text,
                    )
                )
                value = None
            cells[index[norm]] = value
        rows.append((line, name, cells))  # type: ignore[arg-type]
    table.header = header
    width = len(header)
    table.rows = iter(
        [
            (line, [name, *[cells.get(i) for i in range(1, width)]])
            if table.name_column is not None
            else (line, [cells.get(i) for i in range(width)])
            for line, name, cells in rows  # type: ignore[misc]
        ]
    )
    return table
