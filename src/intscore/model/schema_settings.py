"""Parts of `scoring.yaml` that set how things are read and checked: `dates`, `check`,
`estimates` and `read` (part of `schema`)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, Strict, field_validator, model_validator

from ..problems import IntscoreError, unknown_rules
from ..read.lines import FIELDS_RANGE, LINE_LENGTH_RANGE, MAX_FIELDS, MAX_LINE_LENGTH
from ..read.readers import check_encoding
from .read_settings import MAX_HEADER_ROW
from .schema_criteria import NonNegative, _Model

__all__ = ["CheckSettings", "Dates", "EstimatesSettings", "Read"]


class Dates(_Model):
    """Date formats: ISO 8601 (2025-03-01, 2025-03-01T10:00:00Z) always, and these."""

    formats: list[str] = Field(
        default_factory=list, description='strftime patterns, e.g. "%m/%d/%Y".'
    )

    @field_validator("formats")
    @classmethod
    def _patterns(cls, formats: list[str]) -> list[str]:
        for pattern in formats:
            if "%" not in pattern or len(pattern) > 40:
                raise ValueError(f"'{pattern}' is not a date pattern like %m/%d/%Y")
        return formats


class CheckSettings(_Model):
    """How `intscore check` treats this backlog: rules left out, levels changed."""

    ignore: list[str] = Field(
        default_factory=list, description="Rule ids not reported (intscore check --rules)."
    )
    severity: dict[str, Literal["error", "warning"]] = Field(
        default_factory=dict, description="Rule id -> error or warning, instead of its default."
    )

    @model_validator(mode="after")
    def _known_rules(self) -> CheckSettings:
        message = unknown_rules([*self.ignore, *self.severity])
        if message:
            raise ValueError(message)
        return self


PERCENT = r"^\d{1,6}(\.\d{1,3})?\s?%$"


class EstimatesSettings(_Model):
    """Estimates from several people (one YAML file per estimator), combined per
    integration and field; the combined value is an integration attribute."""

    folder: str = Field(
        default="estimates",
        min_length=1,
        max_length=1000,
        description="The folder of the estimators' files, relative to this config.",
    )
    combine: Literal["median", "mean", "min", "max"] = Field(
        default="median", description="How one field's estimates combine."
    )
    disagree: dict[str, NonNegative | Annotated[str, Field(pattern=PERCENT)]] = Field(
        default_factory=dict,
        description="Field -> the spread (max - min) above which estimators disagree: a "
        "number (steps of a map), or a share of the combined value like `50%`.",
    )
    who: dict[str, list[Annotated[str, Field(min_length=1, max_length=200)]]] = Field(
        default_factory=dict,
        description="Field -> the estimators' file names that may estimate it (globs like "
        "`eng-*`); a field not listed may be estimated by anyone.",
    )

    @field_validator("who", mode="before")
    @classmethod
    def _glob_lists(cls, value: Any) -> Any:
        """`difficulty: eng-*` is short for `difficulty: [eng-*]`."""
        if isinstance(value, dict):
            return {k: [v] if isinstance(v, str) else v for k, v in value.items()}
        return value

    @field_validator("who")
    @classmethod
    def _some_globs(cls, who: dict[str, list[str]]) -> dict[str, list[str]]:
        for name, globs in who.items():
            if not globs:
                raise ValueError(f"{name}: give file name patterns like eng-*")
        return who


class Read(_Model):
    """How input files are read (the command line's flags override it), and limits that keep
    a hostile file from stalling a run."""

    encoding: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="The encoding of CSV files, e.g. cp1252 (default: UTF-8, or as the "
        "byte-order mark says); --encoding overrides it.",
    )
    delimiter: str | None = Field(
        default=None,
        min_length=1,
        max_length=3,
        description='The CSV delimiter: one character, or "tab" (default: sniffed among , ; '
        "TAB |); --delimiter overrides it.",
    )
    decimal: Literal[",", "."] | None = Field(
        default=None,
        description='The decimal mark of numbers: "," (12.000,50) or "." (12,000.50). Default: '
        'by the file, "," in a ;-separated CSV, else "."; a column whose own values show the '
        "other mark is read with it. --decimal-comma and --decimal-point override it.",
    )
    header_row: Literal["auto"] | Annotated[int, Strict(), Field(ge=1, le=MAX_HEADER_ROW)] = Field(
        default="auto",
        description="The line of the header row: auto (the first row of the first 30 that "
        "holds the integration's header; rows above it are skipped) or a line number.",
    )
    footer: Literal["auto", "none"] = Field(
        default="auto",
        description="auto: a report's footer (after a blank row: Grand Totals, Copyright, "
        "Generated By, ...) and subtotal rows (Subtotal, Total, Summe, ...) are not requests; "
        "none: every row is data.",
    )
    sheet: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="The sheet of a workbook (.xlsx .xls .ods) to read (default: the first); "
        "--sheet overrides it.",
    )

    max_line_length: Annotated[
        int, Strict(), Field(ge=LINE_LENGTH_RANGE[0], le=LINE_LENGTH_RANGE[1])
    ] = Field(
        default=MAX_LINE_LENGTH,
        description="The most characters one CSV row may hold (its quoted line breaks too).",
    )
    max_fields: Annotated[int, Strict(), Field(ge=FIELDS_RANGE[0], le=FIELDS_RANGE[1])] = Field(
        default=MAX_FIELDS,
        description="The most fields a row may have (in YAML/JSON: different fields in a file).",
    )

    @field_validator("encoding")
    @classmethod
    def _known_encoding(cls, name: str | None) -> str | None:
        if name is not None:
            try:
                check_encoding(name)
            except IntscoreError as exc:
                raise ValueError(str(exc)) from None
        return name

    @field_validator("delimiter")
    @classmethod
    def _one_character(cls, text: str | None) -> str | None:
        if text is None or len(text) == 1:
            return text
        if text.lower() in ("tab", "\\t"):
            return "\t"
        raise ValueError('a delimiter is one character, or "tab"')
