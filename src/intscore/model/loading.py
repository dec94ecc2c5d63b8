"""Find, read and validate scoring.yaml: lookup, YAML with line numbers, pydantic errors mapped
to `file:line: field: message`, the built-in default, presets and the JSON Schema."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..problems import Finding, IntscoreError
from ..read.files import read_limited, reason, shown_path
from ..read.structured import StructureError, line_of, load_yaml
from .builtin import BUILTIN_SOURCE, CONFIG_NAME, PRESETS, builtin_config_text, preset_text
from .compiled import Model, ModelError

if TYPE_CHECKING:
    from pydantic import ValidationError

__all__ = [
    "BUILTIN_SOURCE",
    "CONFIG_NAME",
    "PRESETS",
    "LoadedConfig",
    "builtin_config_text",
    "config_schema",
    "config_schema_text",
    "display_path",
    "find_config",
    "format_loc",
    "load_config",
    "parse_config",
    "preset_text",
    "validation_findings",
    "with_estimates",
]

MAX_CONFIG_BYTES = 1 << 20  # a scoring model is a few KB; anything over 1 MiB is a mistake


@dataclass(frozen=True)
class LoadedConfig:
    """A compiled model and where it came from."""

    model: Model
    source: str
    path: Path | None
    sha256: str
    data: Any  # the parsed YAML with lines (None from the cache), for `check`'s findings
    text: str = ""  # the text as read (its sha256 above): the report rewrites its weights


def config_schema() -> dict[str, Any]:
    """The JSON Schema of scoring.yaml, generated from the models (for editors and CI)."""
    from .schema import ScoringConfig

    schema = ScoringConfig.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "intscore scoring model (scoring.yaml)",
        **{k: v for k, v in schema.items() if k != "title"},
    }


def config_schema_text() -> str:
    """The schema as committed in scoring.schema.json."""
    import json

    return json.dumps(config_schema(), indent=2, ensure_ascii=False) + "\n"


def find_config(
    explicit: str | os.PathLike[str] | None = None,
    cwd: Path | None = None,
    inputs: Sequence[str] = (),
) -> Path | None:
    """`--config`, else $INTSCORE_CONFIG, else the nearest scoring.yaml in the folder of the
    first input or its parents, then in the current folder or its parents (each search
    stopping at the repository root or home); None means the built-in default. Inputs whose
    nearest configs differ are a usage error."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("INTSCORE_CONFIG")
    if env:
        return Path(env)
    base = (cwd or Path.cwd()).resolve()
    nearest: dict[Path, list[str]] = {}
    for name in inputs:
        if name == "-":
            continue
        found = _nearest((base / name).resolve().parent)
        if found is not None:
            nearest.setdefault(found, []).append(name)
    if len(nearest) > 1:
        which = "; ".join(
            f"{display_path(path)} for {', '.join(names)}" for path, names in nearest.items()
        )
        raise IntscoreError(
            f"the input files have different nearest configs ({which}); choose one with --config"
        )
    if nearest:
        return next(iter(nearest))
    return _nearest(base)


def _nearest(start: Path) -> Path | None:
    for folder in _search_path(start):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def _search_path(start: Path) -> list[Path]:
    """The folders a lookup may read: from `start` up to its repository root or home. Outside
    both (say /tmp/x), only `start` itself: a scoring.yaml planted in /tmp must not be used."""
    home = Path.home().resolve()
    folders = []
    for folder in (start, *start.parents):
        folders.append(folder)
        if (folder / ".git").exists() or folder == home:
            return folders
    return [start]


def load_config(
    path: str | os.PathLike[str] | None, cached: bool = True, estimates: bool = True
) -> LoadedConfig:
    """Read and validate a config file (None: the built-in default). Raises IntscoreError
    with one finding per problem, each with its YAML line. With `cached`, an unchanged file
    validated before comes from the cache (without its YAML lines: `check` does not use it).
    With `estimates`, the estimators' files of an `estimates:` section are read too."""
    if path is None:
        return parse_config(builtin_config_text(), BUILTIN_SOURCE, None, cached)
    path = Path(path)
    shown = display_path(path)
    try:
        with open(path, "rb") as handle:
            raw = read_limited(handle, shown, MAX_CONFIG_BYTES)
    except FileNotFoundError:
        raise IntscoreError(Finding(shown, None, "config", "config file not found")) from None
    except IsADirectoryError:
        raise IntscoreError(Finding(shown, None, "config", "is a folder, not a file")) from None
    except OSError as exc:
        raise IntscoreError(Finding(shown, None, "config", reason(exc))) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise IntscoreError(Finding(shown, None, "config", "config is not UTF-8 text")) from None
    return parse_config(text, shown, path if estimates else None, cached, path)


def display_path(path: Path) -> str:
    """A path as the user would write it: relative to the current folder when inside it."""
    if not path.is_absolute():
        return shown_path(str(path))
    try:
        return shown_path(str(path.relative_to(Path.cwd())))
    except ValueError:
        return shown_path(str(path))


def parse_config(
    text: str,
    source: str,
    estimates_beside: Path | None = None,
    cached: bool = False,
    path: Path | None = None,
) -> LoadedConfig:
    """Validate config text; `source` names it in messages. With `cached`, a model validated
    before from the same text is taken from the cache, and a new one is stored there. An
    `estimates:` section's folder is read beside `estimates_beside` (a config file's path;
    None: no estimates are read). `path` is the config file's (default: estimates_beside)."""
    path = path or estimates_beside
    raw = text.encode("utf-8")
    sha = hashlib.sha256(raw).hexdigest()
    key = None
    if cached:
        from .cache import cache_key, load_cached

        key = cache_key(sha)
        hit = load_cached(key)
        if hit is not None:
            model = with_estimates(hit, estimates_beside)
            return LoadedConfig(model, source, path, sha, None, text)
    if "\0" in text:
        raise IntscoreError(Finding(source, None, "config", "config is a binary file"))
    try:
        data = load_yaml(text)
    except StructureError as exc:
        raise IntscoreError(Finding(source, exc.line, "config", exc.message)) from None
    if not isinstance(data, dict):
        raise IntscoreError(
            Finding(source, getattr(data, "line", 1), "config", "config should be a mapping")
        )
    from pydantic import ValidationError

    from .compile import compile_config
    from .schema import ScoringConfig

    try:
        context = {"formula": data.get("formula") is not None}
        model = compile_config(ScoringConfig.model_validate(data, context=context))
    except ValidationError as exc:
        raise IntscoreError(validation_findings(exc, data, source)) from None
    except ModelError as exc:
        where = format_loc(exc.loc) or None
        found = Finding(source, line_of(data, exc.loc), "config", exc.message, field=where)
        raise IntscoreError(found) from None
    if key is not None:
        from .cache import store

        store(key, model)
    model = with_estimates(model, estimates_beside)
    return LoadedConfig(model, source, path, sha, data=data, text=text)


def with_estimates(model: Model, config_path: Path | None) -> Model:
    """The model with what the estimators' files say, read from the config's
    `estimates.folder` beside `config_path`; the model itself without an `estimates:`
    section or a config file. IntscoreError with every problem of the files."""
    if model.estimates is None or config_path is None:
        return model
    from dataclasses import replace

    from ..read.folders import read_yaml_folder
    from .estimate_files import FileText, estimates_of

    base = config_path.parent
    folder = base / model.estimates.folder
    shown = display_path(folder)
    read = read_yaml_folder(folder, shown, _repository(base))
    if read.problems:
        raise IntscoreError(read.problems)
    files = [FileText(*f) for f in read.files]
    return replace(model, estimated=estimates_of(model, model.estimates, shown, files))


def _repository(folder: Path) -> Path:
    """The repository a config is in (the nearest folder above it with .git), else its own
    folder: estimates files must really be in there."""
    start = folder.resolve()
    for candidate in (start, *start.parents):
        if (candidate / ".git").exists():
            return candidate
    return start


def validation_findings(exc: ValidationError, data: Any, source: str) -> list[Finding]:
    """One finding per pydantic error, located at its YAML line."""
    from .schema import ALL_KEYS

    merged: dict[tuple[Any, ...], list[str]] = {}
    for error in exc.errors(include_url=False):
        loc = tuple(step for step in error["loc"] if not _is_union_tag(step))
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "extra_forbidden" and loc and isinstance(loc[-1], str):
            import difflib  # only for a mistyped key: loaded then

            close = difflib.get_close_matches(loc[-1], ALL_KEYS, n=1, cutoff=0.7)
            if close:
                message += f" (did you mean '{close[0]}'?)"
        messages = merged.setdefault(loc, [])
        if message not in messages:
            messages.append(message)
    findings = []
    for loc, messages in merged.items():
        findings.append(
            Finding(
                file=source,
                line=line_of(data, loc),
                rule="config",
                field=format_loc(loc) or None,
                message="; or ".join(messages),
            )
        )
    return sorted(findings, key=lambda f: f.line or 0)


def _is_union_tag(step: Any) -> bool:
    return isinstance(step, str) and (
        "[" in step or step in {"str", "int", "float", "bool", "list", "literal['error']"}
    )


def format_loc(loc: tuple[Any, ...]) -> str:
    """('criteria', 1, 'weight') -> 'criteria[1].weight'."""
    text = ""
    for step in loc:
        if isinstance(step, int):
            text += f"[{step}]"
        else:
            text += f".{step}" if text else str(step)
    return text
