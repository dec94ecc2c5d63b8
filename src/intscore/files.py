"""The file system and git, at the edge: opening inputs, writing outputs atomically, reading a
file as committed at a git ref. The core above this never touches a path."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from .problems import UNREADABLE_FILE, Finding, IntscoreError

__all__ = ["committed_text", "open_input", "write_atomically"]


def open_input(path: str) -> tuple[BinaryIO, str, int | None]:
    """(byte stream, name for messages, size in bytes or None) of an input; `-` is stdin."""
    if path == "-":
        return sys.stdin.buffer, "<stdin>", None
    try:
        data = open(path, "rb", buffering=1 << 16)  # noqa: SIM115 - the reader closes it
    except FileNotFoundError:
        raise _unreadable(path, "file not found") from None
    except IsADirectoryError:
        raise _unreadable(path, "is a folder, not a file") from None
    except OSError as exc:
        raise _unreadable(path, exc.strerror or str(exc)) from None
    return data, path, os.fstat(data.fileno()).st_size


def _unreadable(source: str, message: str) -> IntscoreError:
    return IntscoreError(Finding(source, None, UNREADABLE_FILE, message))


def write_atomically(target: str, text: str, inputs: Sequence[str | Path] = ()) -> None:
    """Write `text` to `target` via a temporary file in the same folder and a rename, so a
    reader never sees half a file; refuse to write over any of `inputs`."""
    path = Path(target)
    for candidate in inputs:
        if str(candidate) == "-":
            continue
        try:
            if path.exists() and path.samefile(candidate):
                raise IntscoreError(f"refusing to write over the input file {target}")
        except OSError:
            continue
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise IntscoreError(f"cannot write {target}: folder {folder} does not exist")
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def committed_text(path: Path, ref: str) -> tuple[str, str]:
    """(text, path relative to the repository) of a file as committed at a git ref."""
    folder = path.resolve().parent

    def git(*args: str) -> subprocess.CompletedProcess[str]:
        try:
            return subprocess.run(
                ["git", "-C", str(folder), *args], capture_output=True, text=True, check=False
            )
        except FileNotFoundError:
            raise IntscoreError("--against needs git, and git is not installed") from None

    top = git("rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise IntscoreError(f"--against needs a git checkout, and {folder} is not in one")
    relative = path.resolve().relative_to(Path(top.stdout.strip()).resolve())
    shown = git("show", f"{ref}:{relative.as_posix()}")
    if shown.returncode != 0:
        reason = (shown.stderr.strip().splitlines() or ["unknown error"])[-1]
        reason = reason.removeprefix("fatal: ")
        raise IntscoreError(f"cannot read {relative.as_posix()} at {ref}: {reason}")
    return shown.stdout, relative.as_posix()
