"""A cache of validated scoring models, so an unchanged scoring.yaml skips YAML parsing and
pydantic's validation (and, with the models' schemas built lazily, their building too).

Each entry is JSON — never a pickle — in the user's cache folder (`$XDG_CACHE_HOME/intscore`,
else `~/.cache/intscore`), named by a hash of the config's sha256, intscore's version and
pydantic's version, and carrying a checksum of its own content. An entry is used only if it
is a regular file owned by the user, writable by no one else, within 1 MiB, and whole; any
doubt, and the YAML is read and validated as if there were no cache. `INTSCORE_NO_CACHE=1`
turns it off.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
import types
import typing
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .schema import ScoringConfig

__all__ = ["cache_key", "load_cached", "store"]

MAX_ENTRY = 1 << 20


def _folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "intscore"


def cache_key(sha256: str) -> str:
    """The entry's name: the config's sha256 (hex), and the versions that shape a validated
    model."""
    import pydantic

    from .. import __version__

    named = f"{sha256}\0intscore {__version__}\0pydantic {pydantic.VERSION}"
    return hashlib.sha256(named.encode()).hexdigest()


def _enabled() -> bool:
    return not os.environ.get("INTSCORE_NO_CACHE")


def load_cached(key: str) -> ScoringConfig | None:
    """The cached model for this key, or None (no entry, or one not to be trusted)."""
    if not _enabled():
        return None
    path = _folder() / f"{key}.json"
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            if (
                not stat.S_ISREG(info.st_mode)
                or info.st_uid != os.getuid()
                or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
                or info.st_size > MAX_ENTRY
            ):
                return None
            entry = json.loads(handle.read(MAX_ENTRY + 1))
        if not isinstance(entry, dict) or entry.get("key") != key:
            return None
        data = entry.get("config")
        if entry.get("checksum") != _checksum(data):
            return None
        return _construct(ScoringConfig, data)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def store(key: str, config: ScoringConfig) -> None:
    """Save a validated model; quietly nothing when the folder cannot be written."""
    if not _enabled():
        return
    folder = _folder()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        data = config.model_dump(mode="json", by_alias=True)
        text = json.dumps({"key": key, "checksum": _checksum(data), "config": data})
        fd, temp = tempfile.mkstemp(prefix=".entry.", dir=folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(temp, folder / f"{key}.json")
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError:
        return


def _checksum(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def _construct(model: type[BaseModel], data: Any) -> Any:
    """A model from its own JSON dump, without validation (it was validated when stored)."""
    if not isinstance(data, dict):
        raise TypeError(f"{model.__name__} expects a mapping")
    values = {}
    for name, field in model.model_fields.items():
        key = field.alias or name
        if key in data:
            values[name] = _value(field.annotation, data[key])
    unknown = set(data) - {f.alias or n for n, f in model.model_fields.items()}
    if unknown:
        raise KeyError(f"unexpected keys {sorted(unknown)}")
    return model.model_construct(**values)


def _value(annotation: Any, value: Any) -> Any:
    """A value of this type from JSON: models, dates, lists and mappings of them, unions."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _value(typing.get_args(annotation)[0], value)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(annotation)
        if value is None:
            return None
        for option in options:  # the one shape a JSON value of a union can be
            is_model = isinstance(option, type) and issubclass(option, BaseModel)
            if is_model and isinstance(value, dict):
                return _construct(option, value)
            if option is date and isinstance(value, str):
                return date.fromisoformat(value)
            if typing.get_origin(option) is list and isinstance(value, list):
                return _value(option, value)
            if typing.get_origin(option) is dict and isinstance(value, dict):
                return _value(option, value)
        return value
    if origin is list:
        (item,) = typing.get_args(annotation) or (Any,)
        return [_value(item, v) for v in value]
    if origin is dict:
        _, item = typing.get_args(annotation) or (Any, Any)
        return {k: _value(item, v) for k, v in value.items()}
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _construct(annotation, value)
    if annotation is date and isinstance(value, str):
        return date.fromisoformat(value)
    return value
