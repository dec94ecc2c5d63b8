"""Estimators' files validated like the config: each problem one finding with its
file and line — bad YAML, unknown keys (with a suggestion), values that are not what the
field takes, an integration named twice — and, when all are sound, their estimates combined
into `Estimates`.

An estimator's file, `estimates/eng-dana.yaml`:

    estimator: Dana (platform team)      # optional: the file's name otherwise
    estimates:
      Salesforce: {difficulty: 3, build_hours: 300h}
      HubSpot: {difficulty: 2}

A blank value (`difficulty:` with nothing after it) is no estimate: a template's blanks not
filled in yet. Estimates of a field the config does not read as an integration attribute,
and of a field `who` does not give the file, are not used and become `check` findings.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from ..matching import name_key, normalize_header
from ..problems import ESTIMATE_NOT_ALLOWED, ESTIMATE_NOT_READ, Finding, IntscoreError
from ..read.structured import LinedDict, StructureError, line_of, load_yaml
from ..text import shorten
from .compiled import Model
from .estimates import (
    Combined,
    Estimate,
    Estimates,
    EstimatesConfig,
    EstimatorFile,
    Mention,
    Reading,
    combine,
    estimable_fields,
    reading_of,
)

__all__ = ["FileText", "estimates_of"]

TOP_KEYS = ("estimator", "estimates")
MAX_ESTIMATOR = 200  # characters of an estimator's name


@dataclass(frozen=True, slots=True)
class FileText:
    """An estimator's file as read: its name in messages, its stem, its text."""

    path: str
    stem: str
    text: str


def estimates_of(
    model: Model, config: EstimatesConfig, folder: str, files: Sequence[FileText]
) -> Estimates:
    """The estimates of these files combined; IntscoreError with every problem (each with
    its file and line) when any file is not sound."""
    reader = _Reader(model, config)
    for f in files:
        reader.read(f)
    if reader.errors:
        raise IntscoreError(sorted(reader.errors, key=Finding.sort_key))
    by_key: dict[str, dict[str, Combined]] = {}
    for key, fields in reader.found.items():
        combined = {}
        for name, estimates in fields.items():
            threshold = config.disagree.get(name)
            combined[name] = combine(
                name, tuple(estimates), reader.reading(name), config.combine, threshold
            )
        by_key[key] = combined
    return Estimates(
        config,
        folder,
        tuple(reader.files),
        by_key,
        {key: tuple(found) for key, found in reader.mentions.items()},
        tuple(reader.notes),
    )


class _Reader:
    """Reads one file after another, keeping the estimates and the problems."""

    def __init__(self, model: Model, config: EstimatesConfig):
        self.model = model
        self.config = config
        self.attributes = {normalize_header(f): f for f in estimable_fields(model)}
        self.readings: dict[str, Reading] = {}
        self.errors: list[Finding] = []
        self.notes: list[Finding] = []
        self.files: list[EstimatorFile] = []
        self.found: dict[str, dict[str, list[Estimate]]] = {}  # key -> field -> estimates
        self.mentions: dict[str, list[Mention]] = {}

    def reading(self, name: str) -> Reading:
        if name not in self.readings:
            self.readings[name] = reading_of(self.model, name)
        return self.readings[name]

    def error(self, path: str, line: int | None, message: str, where: str | None = None) -> None:
        self.errors.append(Finding(path, line, "config", message, field=where))

    def read(self, f: FileText) -> None:
        try:
            data = load_yaml(f.text) if f.text.strip() else None
        except StructureError as exc:
            self.error(f.path, exc.line, exc.message)
            return
        if data is None:
            self.error(f.path, 1, "the file is empty; give `estimates:` (see intscore estimates)")
            return
        if not isinstance(data, LinedDict):
            self.error(f.path, getattr(data, "line", 1), "should be a mapping with `estimates:`")
            return
        unknown = [key for key in data if key not in TOP_KEYS]
        for key in unknown:
            close = difflib.get_close_matches(str(key), TOP_KEYS, n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            message = f"unknown key{hint}; an estimates file has estimator and estimates"
            self.error(f.path, data.key_lines.get(key), message, shorten(str(key)))
        estimator = self._estimator(f, data)
        self.files.append(EstimatorFile(f.path, f.stem, estimator))
        if "estimates" not in data:
            if not unknown:  # else the unknown key said it (`estimats:`)
                message = "no `estimates:` (integration -> field -> value)"
                self.error(f.path, data.line or 1, message)
            return
        estimates = data["estimates"]
        if estimates is None:
            return  # `estimates:` with nothing yet
        if not isinstance(estimates, LinedDict):
            line = line_of(data, ("estimates",))
            self.error(f.path, line, "should be a mapping of integration -> fields", "estimates")
            return
        seen: dict[str, int] = {}
        for name, fields in estimates.items():
            line = estimates.key_lines[name]
            shown = shorten(str(name))
            key = self._key(str(name))
            if key in seen:
                message = f"'{shown}' is estimated twice in this file (first on line {seen[key]})"
                self.error(f.path, line, message, "estimates")
                continue
            seen[key] = line
            self.mentions.setdefault(key, []).append(Mention(str(name), f.path, line))
            if fields is None:
                continue  # named, nothing estimated yet
            if not isinstance(fields, LinedDict):
                message = "should be a mapping of field -> estimate, like {difficulty: 3}"
                self.error(f.path, line, message, f"estimates.{shown}")
                continue
            self._fields(f, estimator, key, shown, fields)

    def _estimator(self, f: FileText, data: LinedDict) -> str:
        name = data.get("estimator")
        if name is None or (isinstance(name, str) and not name.strip()):
            return f.stem
        if not isinstance(name, str) or len(name) > MAX_ESTIMATOR:
            message = f"should be a name of at most {MAX_ESTIMATOR} characters"
            self.error(f.path, data.key_lines.get("estimator"), message, "estimator")
            return f.stem
        return name.strip()

    def _key(self, name: str) -> str:
        """The group key the ranking gives this name (after aliases)."""
        key = name_key(name)
        canonical = self.model.alias_keys.get(key)
        return key if canonical is None else name_key(canonical)

    def _fields(self, f: FileText, estimator: str, key: str, shown: str, fields: LinedDict) -> None:
        named: dict[str, str] = {}
        for raw_name, raw in fields.items():
            line = fields.key_lines[raw_name]
            written = shorten(str(raw_name))
            where = f"estimates.{shown}.{written}"
            name = self.attributes.get(normalize_header(str(raw_name)))
            if name is None:
                self._not_read(f, line, where, written)
                continue
            if name in named:
                self.error(f.path, line, f"'{name}' is estimated twice ('{named[name]}')", where)
                continue
            named[name] = written
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                continue  # a blank: no estimate
            if isinstance(raw, dict | list):
                self.error(f.path, line, "should be one value, like 3, M or 300h", where)
                continue
            try:
                value = self.reading(name).read(raw)
            except ValueError as exc:
                self.error(f.path, line, str(exc), where)
                continue
            if not self.config.allows(name, f.stem):
                globs = ", ".join(self.config.who[name])
                message = f"{f.stem} may not estimate {name} (who: {globs}): not used"
                self.notes.append(
                    Finding(f.path, line, ESTIMATE_NOT_ALLOWED, message, where, "warning")
                )
                continue
            estimate = Estimate(estimator, f.path, line, value, raw)
            self.found.setdefault(key, {}).setdefault(name, []).append(estimate)

    def _not_read(self, f: FileText, line: int, where: str, written: str) -> None:
        known = list(self.attributes.values())
        close = difflib.get_close_matches(written, known, n=1, cutoff=0.6)
        hint = f" — did you mean '{close[0]}'?" if close else f" (attributes: {', '.join(known)})"
        message = f"'{written}' is not an integration attribute the config reads{hint}"
        self.notes.append(Finding(f.path, line, ESTIMATE_NOT_READ, message, where, "warning"))
