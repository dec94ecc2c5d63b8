"""intscore: score and rank requested integrations with a versioned scoring model.

The Python API (the same engine as the `intscore` command):

- `load_config(path=None)`: a validated scoring.yaml (None: the usual lookup);
- `rank(files, config=None, **read_options)`: rank request files;
- `rank_rows(rows, config=None)`: rank rows already in memory (mappings of field -> value);
- `Ranking`: `.items` best first (each a `RankedItem`), `.criteria`, `.inputs`, `.as_of`,
  `.tiebreak`, `.warnings`, `.to_json()` the `rank -f json` document;
- `IntscoreError`: raised for unusable input, carrying its findings (`Finding`: file, line,
  field, message); `str()` of it is one `file:line: field: message` line per finding.

The types of what these return (`RankedItem`, `CriterionScore`, `Advice`, `Flag`,
`InputSummary`, `Criterion`, `Finding`) are importable from here for annotations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
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
    "__version__",
    "load_config",
    "rank",
    "rank_rows",
]

if TYPE_CHECKING:
    from .public import (
        Advice,
        Criterion,
        CriterionScore,
        Finding,
        Flag,
        InputSummary,
        IntscoreError,
        LoadedConfig,
        RankedItem,
        Ranking,
        load_config,
        rank,
        rank_rows,
    )


def __getattr__(name: str) -> Any:
    # Loaded on first use, so that `import intscore` (the CLI's first step) stays light.
    if name in __all__:
        from . import public

        return getattr(public, name)
    raise AttributeError(f"module 'intscore' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
