"""The YAML files of a folder (the estimators' files), read within bounds that a
hostile folder cannot stretch: how many entries are looked at and files read, how large each
file and all of them may be, and where a file may really be (a link out of the repository is
not followed). Every file not read is a finding with its name; nothing is skipped silently
but what the rules below name (sub-folders, dotfiles, and files that are not YAML).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ..problems import UNREADABLE_FILE, Finding
from .files import note_read

__all__ = ["FolderLimits", "FolderRead", "read_yaml_folder"]

SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class FolderLimits:
    """How much of a folder is read."""

    files: int = 200  # YAML files (one per estimator: a big team has dozens)
    entries: int = 10_000  # entries looked at, YAML or not
    file_bytes: int = 1 << 20  # one file: a thousand integrations' estimates are ~50 KB
    total_bytes: int = 8 << 20  # all of them


@dataclass
class FolderRead:
    """The files read — (name as shown, stem, text), by name — and the problems."""

    files: list[tuple[str, str, str]] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)


def read_yaml_folder(
    folder: Path, shown: str, boundary: Path, limits: FolderLimits = FolderLimits()
) -> FolderRead:
    """Every `*.yaml`/`*.yml` file of `folder` (not its sub-folders; dotfiles skipped) whose
    real path is inside `boundary` (the repository), as text. `shown` is the folder as
    messages name it."""
    result = FolderRead()
    real_boundary = boundary.resolve()
    try:
        real_folder = folder.resolve(strict=True)
    except (OSError, RuntimeError):
        result.problems.append(_problem(shown, "no such folder"))
        return result
    if not _inside(real_folder, real_boundary):
        result.problems.append(_problem(shown, "is outside the repository: not read"))
        return result
    if not real_folder.is_dir():
        result.problems.append(_problem(shown, "is not a folder"))
        return result
    names = _yaml_names(real_folder, shown, limits, result)
    if names is None:
        return result
    total = 0
    for name in names:
        path_shown = f"{shown}/{name}"
        text = _read_one(real_folder / name, path_shown, real_boundary, limits, result)
        if text is None:
            continue
        total += len(text)
        if total > limits.total_bytes:
            message = f"its YAML files hold over {_size(limits.total_bytes)} in all: none was read"
            result.problems.append(_problem(shown, message))
            result.files.clear()
            return result
        result.files.append((path_shown, name.rsplit(".", 1)[0], text))
    return result


def _yaml_names(
    folder: Path, shown: str, limits: FolderLimits, result: FolderRead
) -> list[str] | None:
    """The YAML file names of a folder, sorted; None (and a problem) beyond the limits."""
    names = []
    try:
        with os.scandir(folder) as entries:
            for n, entry in enumerate(entries):
                if n >= limits.entries:
                    message = f"holds over {limits.entries:,} entries: not read"
                    result.problems.append(_problem(shown, message))
                    return None
                if entry.name.startswith(".") or not entry.name.lower().endswith(SUFFIXES):
                    continue
                names.append(entry.name)
    except OSError as exc:
        result.problems.append(_problem(shown, exc.strerror or str(exc)))
        return None
    if len(names) > limits.files:
        message = f"holds {len(names):,} YAML files; at most {limits.files} are read: none was"
        result.problems.append(_problem(shown, message))
        return None
    return sorted(names)


def _read_one(
    path: Path, shown: str, boundary: Path, limits: FolderLimits, result: FolderRead
) -> str | None:
    """One file's text, or None (and a problem): a link out of the boundary, not a regular
    file, too large, not UTF-8 text."""
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):
        result.problems.append(_problem(shown, "a link to nothing"))
        return None
    if not _inside(real, boundary):
        result.problems.append(_problem(shown, "links outside the repository: not read"))
        return None
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(real, flags)
    except OSError as exc:
        result.problems.append(_problem(shown, exc.strerror or str(exc)))
        return None
    info = os.fstat(fd)
    note_read(info)
    if not stat.S_ISREG(info.st_mode) or info.st_size > limits.file_bytes:
        os.close(fd)
        message = (
            "is not a regular file: not read"
            if not stat.S_ISREG(info.st_mode)
            else f"is larger than {_size(limits.file_bytes)}, the most read: not read"
        )
        result.problems.append(_problem(shown, message))
        return None
    with os.fdopen(fd, "rb") as handle:
        raw = handle.read(limits.file_bytes + 1)
    if len(raw) > limits.file_bytes:  # it grew while read
        result.problems.append(_problem(shown, f"is larger than {_size(limits.file_bytes)}"))
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        result.problems.append(_problem(shown, "is not UTF-8 text"))
        return None
    if "\0" in text:
        result.problems.append(_problem(shown, "is a binary file"))
        return None
    return text


def _size(limit: int) -> str:
    return f"{limit >> 20} MiB" if limit >= 1 << 20 else f"{limit:,} bytes"


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _problem(shown: str, message: str) -> Finding:
    return Finding(shown, None, UNREADABLE_FILE, message)
