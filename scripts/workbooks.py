"""Write small .xlsx and .ods workbooks, byte for byte the same on every run (fixed zip
times, no metadata): the example workbook under examples/exports/ and the tests' workbooks.
No dependency: a workbook is a zip of a few XML files.

    python scripts/workbooks.py   # rewrites examples/exports/hubspot-workbook/companies.xlsx

Cells are Python values: str, int/float, bool, datetime.date, or None (an empty cell).
"""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

Sheets = Sequence[tuple[str, Sequence[Sequence[Any]]]]  # (name, rows)
_EPOCH = datetime.date(1899, 12, 30)  # Excel's day 0 (after its 1900 leap-year bug)


def _zip(files: list[tuple[str, str]], stored_first: bool = False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for i, (name, text) in enumerate(files):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            stored = stored_first and i == 0
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))
    return out.getvalue()


def _column(n: int) -> str:
    name = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        name = chr(65 + rest) + name
    return name


def _xlsx_cell(ref: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, datetime.date):
        return f'<c r="{ref}" s="1"><v>{(value - _EPOCH).days}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(value)}</t></is></c>'


def xlsx_bytes(sheets: Sheets) -> bytes:
    """An .xlsx workbook of these sheets (dates styled as dates, strings inline)."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    types = [
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>',
        '<Override PartName="/xl/styles.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>',
    ]
    listed, links, files = [], [], []
    for n, (name, rows) in enumerate(sheets, 1):
        types.append(
            f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        )
        listed.append(f'<sheet name={quoteattr(name)} sheetId="{n}" r:id="rId{n}"/>')
        links.append(
            f'<Relationship Id="rId{n}" Type="{rel}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        )
        body = "".join(
            f'<row r="{r}">'
            + "".join(_xlsx_cell(f"{_column(c)}{r}", v) for c, v in enumerate(row))
            + "</row>"
            for r, row in enumerate(rows, 1)
        )
        files.append(
            (
                f"xl/worksheets/sheet{n}.xml",
                f"<worksheet {ns}><sheetData>{body}</sheetData></worksheet>",
            )
        )
    links.append(
        f'<Relationship Id="rId{len(sheets) + 1}" Type="{rel}/styles" Target="styles.xml"/>'
    )
    return _zip(
        [
            (
                "[Content_Types].xml",
                '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/'
                'vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                + "".join(types)
                + "</Types>",
            ),
            (
                "_rels/.rels",
                f'<Relationships xmlns="{pkg}"><Relationship Id="rId1" '
                f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
            ),
            (
                "xl/workbook.xml",
                f'<workbook {ns} xmlns:r="{rel}"><sheets>{"".join(listed)}</sheets></workbook>',
            ),
            (
                "xl/_rels/workbook.xml.rels",
                f'<Relationships xmlns="{pkg}">{"".join(links)}</Relationships>',
            ),
            (
                "xl/styles.xml",
                f'<styleSheet {ns}><cellXfs count="2"><xf numFmtId="0"/>'
                '<xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>',
            ),
            *files,
        ]
    )


def _ods_cell(value: Any) -> str:
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, bool):
        text = "TRUE" if value else "FALSE"
        return (
            f'<table:table-cell office:value-type="boolean" office:boolean-value='
            f'"{str(value).lower()}"><text:p>{text}</text:p></table:table-cell>'
        )
    if isinstance(value, datetime.date):
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}">'
            f"<text:p>{value.isoformat()}</text:p></table:table-cell>"
        )
    if isinstance(value, int | float):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value!r}">'
            f"<text:p>{value!r}</text:p></table:table-cell>"
        )
    return (
        f'<table:table-cell office:value-type="string"><text:p>{escape(value)}</text:p>'
        "</table:table-cell>"
    )


def ods_bytes(sheets: Sheets) -> bytes:
    """An .ods (OpenDocument) workbook of these sheets."""
    office = "urn:oasis:names:tc:opendocument:xmlns"
    tables = "".join(
        f"<table:table table:name={quoteattr(name)}>"
        + "".join(
            "<table:table-row>" + "".join(_ods_cell(v) for v in row) + "</table:table-row>"
            for row in rows
        )
        + "</table:table>"
        for name, rows in sheets
    )
    content = (
        f'<office:document-content xmlns:office="{office}:office:1.0" '
        f'xmlns:table="{office}:table:1.0" xmlns:text="{office}:text:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    manifest = (
        f'<manifest:manifest xmlns:manifest="{office}:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:version="1.2" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    return _zip(
        [
            ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
            ("META-INF/manifest.xml", manifest),
            ("content.xml", content),
        ],
        stored_first=True,
    )


# The example workbook: a HubSpot companies export saved as .xlsx, a title row above the
# header, a multi-select property joined with ";", typed numbers, dates and booleans, and a
# second sheet of notes. (company, integrations, annual revenue, lifecycle stage, customer?)
HUBSPOT = [
    ("Acme", "Slack;Gmail", 250_000, "customer", True),
    ("Globex", "Slack", 180_000, "customer", True),
    ("Initech", "Shopify;Slack", 90_000, "opportunity", False),
    ("Umbrella", "QuickBooks", 40_000, "lead", False),
    ("Hooli", "Gmail;Slack;Shopify", 120_000, "customer", True),
    ("Stark Industries", "Shopify", 300_000, "customer", True),
    ("Wayne Enterprises", "Slack", 75_000, "lead", False),
    ("Wonka", "Gmail", 20_000, "customer", True),
    ("Cyberdyne", "Shopify;QuickBooks", 60_000, "customer", True),
    ("Soylent", "Slack", 30_000, "customer", True),
    ("Tyrell", "Gmail", 15_000, "lead", False),
    ("Massive Dynamic", "Shopify", 110_000, "opportunity", False),
    ("Aperture", "Slack;Gmail", 45_000, "customer", True),
    ("Vandelay", "QuickBooks", 25_000, "customer", True),
    ("Pied Piper", "Slack", 8_000, "lead", False),
    ("Dunder Mifflin", "Gmail", 12_000, "customer", True),
    ("Sterling Cooper", "Shopify", 70_000, "customer", True),
    ("Prestige Worldwide", "Slack", 5_000, "opportunity", False),
    ("Oscorp", "QuickBooks;Gmail", 35_000, "customer", True),
    ("Gringotts", "Slack", 500_000, "customer", True),
]


def hubspot_sheets() -> Sheets:
    """The sheets of examples/exports/hubspot-workbook/companies.xlsx."""
    header = ["Company name", "Integrations requested", "Annual Revenue", "Lifecycle Stage"]
    header += ["Create Date", "Is customer"]
    rows: list[list[Any]] = [["HubSpot export: Companies (all), 2025-12-03"], [], header]
    for n, (name, wanted, revenue, stage, customer) in enumerate(HUBSPOT):
        created = datetime.date(2025, 6, 1) + datetime.timedelta(days=7 * n)
        rows.append([name, wanted, revenue, stage, created, customer])
    notes = [["Exported by Dana Whitfield"], ["Integrations requested is a multi-select property."]]
    return [("Companies", rows), ("Notes", notes)]


def main() -> None:
    root = Path(__file__).resolve().parents[1]
    target = root / "examples" / "exports" / "hubspot-workbook" / "companies.xlsx"
    target.write_bytes(xlsx_bytes(hubspot_sheets()))
    print(f"wrote {target.relative_to(root)}")


if __name__ == "__main__":
    main()
