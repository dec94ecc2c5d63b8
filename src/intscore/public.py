"""The Python API: what `import intscore` offers. A face, like the CLI: it calls the core and
turns a ranking into its JSON document for `Ranking.to_json()`.

    >>> import intscore
    >>> ranking = intscore.rank(["requests.csv"])                 # doctest: +SKIP
    >>> ranking.items[0].integration, ranking.items[0].score      # doctest: +SKIP
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from .commands.core import Inputs, as_of_for, rank_inputs, resolve_config, run_info
from .engine.ranking import Advice, CriterionScore, Flag, InputSummary, RankedItem, RunInfo
from .engine.ranking import Ranking as _CoreRanking
from .model.compiled import Criterion
from .model.loading import LoadedConfig
from .model.loading import load_config as _load
from .problems import Finding, IntscoreError
from .read.readers import ReadOptions
from .read.rows import table_from_records

__all__ = [
    "Advice",
    "Criterion",
    "CriterionScore",
    "Finding",
    "Flag",
    "InputSummary",
    "IntscoreError",
    "LoadedConfig",
    "RankedItem",
    "Ranking",
    "load_config",
    "rank",
    "rank_rows",
]

ConfigArg = str | os.PathLike[str] | LoadedConfig | None


class Ranking:
    """A ranking: `items` best first (each with `rank`, `integration`, `score`, `criteria`,
    `flags`, `recommendation`), and the config and inputs that produced it."""

    def __init__(self, ranking: _CoreRanking, run: RunInfo):
        self._ranking = ranking
        self.run = run

    @property
    def items(self) -> tuple[RankedItem, ...]:
        """The ranked integrations, best first."""
        return self._ranking.items

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        """The config's criteria, in its order (`id`, `label`, `weight`, `kind`, ...)."""
        return self._ranking.criteria

    @property
    def inputs(self) -> tuple[InputSummary, ...]:
        """Each input as read: `source`, `format`, `rows`, `columns`, `filtered`, `unnamed`."""
        return self._ranking.inputs

    @property
    def as_of(self) -> date | None:
        """The day ages were counted to."""
        return self.run.as_of

    @property
    def tiebreak(self) -> tuple[str, ...]:
        """The criterion ids that order equal scores, in turn (then the name)."""
        return self._ranking.tiebreak

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """Problems that did not stop the ranking (`check` reports them with the rest)."""
        return self._ranking.warnings

    @property
    def config_source(self) -> str:
        """The config used: its path, or "built-in default"."""
        return self.run.config_source

    @property
    def config_sha256(self) -> str:
        """The SHA-256 of the config's text."""
        return self.run.config_sha256

    def to_json(self) -> str:
        """The `intscore rank -f json` document."""
        from .engine.documents import document_text, ranking_document

        return document_text(ranking_document(self._ranking, self.run))

    def __len__(self) -> int:
        return len(self._ranking.items)

    def __repr__(self) -> str:
        top = ", ".join(f"{i.rank}. {i.integration} {i.score}" for i in self.items[:3])
        return f"<Ranking of {len(self)} integrations: {top}{', ...' if len(self) > 3 else ''}>"


def load_config(path: str | os.PathLike[str] | None = None) -> LoadedConfig:
    """Read and validate a scoring.yaml (None: --config's lookup from the current folder:
    $INTSCORE_CONFIG, the nearest scoring.yaml, else the built-in default). Raises
    IntscoreError with one finding per problem, each with its line."""
    return _config(path)


def _config(config: ConfigArg, files: Sequence[str] = ()) -> LoadedConfig:
    if isinstance(config, LoadedConfig):
        return config
    if config is None:
        return resolve_config(None, files)
    return _load(Path(config))


def rank(
    files: Sequence[str | os.PathLike[str]],
    config: ConfigArg = None,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    decimal_comma: bool = False,
    input_format: str | None = None,
    as_of: date | None = None,
    sheet: str | None = None,
) -> Ranking:
    """Rank the requests in these files (CSV, TSV, YAML, JSON, workbooks) as `intscore rank`
    does (`decimal_comma`: True reads 12.000,50; False, by the file and its columns).
    `config` is a path, a loaded config, or None for the lookup. Raises IntscoreError."""
    names = tuple(os.fspath(f) for f in files)
    loaded = _config(config, names)
    decimal = "," if decimal_comma else None
    read = ReadOptions(encoding, delimiter, decimal, input_format, sheet)
    ranked = rank_inputs(Inputs(names, None, read, as_of), config=loaded)
    return Ranking(ranked.ranking, ranked.run)


def rank_rows(
    rows: Iterable[Mapping[str, Any]],
    config: ConfigArg = None,
    *,
    as_of: date | None = None,
    source: str = "<rows>",
) -> Ranking:
    """Rank rows already in memory (from an API, or a DataFrame's `to_dicts()`): mappings of
    field -> value, as a YAML backlog's rows. Row n is "line n" in messages."""
    from .engine.rank import rank as engine_rank

    loaded = _config(config)
    records = []
    for n, row in enumerate(rows, 1):
        if not isinstance(row, Mapping):
            raise IntscoreError(f"row {n} should be a mapping of field -> value")
        records.append((n, None, row, None))
    table = table_from_records(records, source, "rows")
    ranking = engine_rank([table], loaded.model, as_of_for(loaded, as_of))
    if ranking.errors:
        raise IntscoreError(list(ranking.errors))
    return Ranking(ranking, run_info(loaded, (source,), ranking.as_of))
