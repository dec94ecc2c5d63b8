"""A cache of compiled models, so an unchanged scoring.yaml skips YAML parsing, pydantic's
validation and compiling: a cached `rank` never imports pydantic.

Each entry is JSON — never a pickle — in the user's cache folder (`$XDG_CACHE_HOME/intscore`,
else `~/.cache/intscore`), named by a hash of the config's sha256 and of the code that reads
and compiles models (so changed code never reuses an old entry, whatever its version string).
It trusts nothing: an entry is opened without following links or blocking, used only if it is
a regular file owned by the user, writable by no one else and within 1 MiB, and its content is
rebuilt through `plain.model_from_plain`, which checks every key, type, range and invariant.
Any doubt, and the YAML is read and validated as if there were no cache (and the entry is
written anew). `INTSCORE_NO_CACHE=1` turns it off.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
from functools import cache
from pathlib import Path

from .compiled import Model, ModelError
from .plain import model_from_plain, model_to_plain

__all__ = ["cache_key", "load_cached", "store"]

MAX_ENTRY = 1 << 20
FORMAT = 3  # of an entry: bump when model_to_plain's shape changes
_PACKAGE = Path(__file__).resolve().parents[1]
# The code an entry's meaning depends on: the model and the foundation it is built on.
_CODE = ("model/*.py", "model/presets/*.yaml", "*.py")


def _folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "intscore"


@cache
def code_hash() -> str:
    """A hash of intscore's own code that shapes a compiled model."""
    digest = hashlib.sha256()
    for pattern in _CODE:
        for path in sorted(_PACKAGE.glob(pattern)):
            digest.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_key(sha256: str) -> str:
    """The entry's name: the config's sha256 (hex) and the code that compiles it."""
    named = f"{sha256}\0format {FORMAT}\0code {code_hash()}"
    return hashlib.sha256(named.encode()).hexdigest()


def _enabled() -> bool:
    return not os.environ.get("INTSCORE_NO_CACHE")


def load_cached(key: str) -> Model | None:
    """The cached model for this key, or None (no entry, or one not to be trusted)."""
    if not _enabled():
        return None
    try:
        entry = json.loads(_read_entry(_folder() / f"{key}.json"))
        if not isinstance(entry, dict) or set(entry) != {"key", "model"} or entry["key"] != key:
            return None
        return model_from_plain(entry["model"])
    except (OSError, ValueError, TypeError, KeyError, RecursionError, MemoryError, ModelError):
        return None


def _read_entry(path: Path) -> bytes:
    """An entry's bytes, or OSError: a regular file of the user's, writable by no one else,
    within MAX_ENTRY — checked on the open file (no link followed, no FIFO waited on)."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        trusted = (
            stat.S_ISREG(info.st_mode)
            and info.st_uid == os.getuid()
            and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
            and info.st_size <= MAX_ENTRY
        )
        if not trusted:
            raise OSError("not a trusted cache entry")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read(MAX_ENTRY + 1)
    finally:
        os.close(fd)


def store(key: str, model: Model) -> None:
    """Save a compiled model; quietly nothing when the folder cannot be written."""
    if not _enabled():
        return
    folder = _folder()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        text = json.dumps({"key": key, "model": model_to_plain(model)})
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
