"""scoring.yaml's `read:` section as the runtime model holds it: how input files are read.
The command line's flags override it (`commands.read_options`); None means detect."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import require

__all__ = ["DECIMALS", "MAX_HEADER_ROW", "ReadSettings"]

DECIMALS = (",", ".")
MAX_HEADER_ROW = 1_000_000


@dataclass(frozen=True)
class ReadSettings:
    """Encoding, delimiter and decimal mark (None: detect), the header's line (None: found
    below any title rows), whether a report's footer is left out, and a workbook's sheet."""

    encoding: str | None = None
    delimiter: str | None = None
    decimal: str | None = None
    header_row: int | None = None
    footer: bool = True
    sheet: str | None = None

    def __post_init__(self) -> None:
        require(self.decimal is None or self.decimal in DECIMALS, "read: decimal")
        require(
            self.header_row is None
            or (type(self.header_row) is int and 1 <= self.header_row <= MAX_HEADER_ROW),
            "read: header_row",
        )
        require(self.delimiter is None or len(self.delimiter) == 1, "read: delimiter")
        require(self.footer in (True, False), "read: footer")
        for text in (self.encoding, self.sheet):
            require(text is None or 0 < len(text) <= 200, "read: a name")
