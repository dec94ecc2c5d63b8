"""The file system and git, at the edge: opening inputs, reading whole files within a size
limit, writing outputs safely, reading a file as committed at a git ref. The core above this
never touches a path.

Writing follows what an editor does: a regular file is replaced atomically (a temporary file
beside it, then a rename) and keeps its mode, a new one gets the user's umask; a symlink is
followed and its target replaced, never the link; a FIFO, a character device or anything under
/dev is written directly. Inputs and configs are protected by identity (device and inode), so
no spelling, link or redirection can make intscore write over them.
"""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from ..problems import UNREADABLE_FILE, Finding, IntscoreError
from ..text import safe_text

__all__ = [
    "MAX_DOCUMENT_BYTES",
    "committed_text",
    "forget_reads",
    "note_read",
    "open_input",
    "read_limited",
    "reason",
    "shown_path",
    "write_atomically",
]

MAX_DOCUMENT_BYTES = 64 << 20  # a YAML/JSON input, a config or --expect is read whole: 64 MiB


_READ: set[tuple[int, int]] = set()  # (device, inode) of every file this run has read


def forget_reads() -> None:
    """A new run: the files read by an earlier one (in this process) are no longer inputs."""
    _READ.clear()


def note_read(info: os.stat_result) -> None:
    """Remember a regular file this run reads, so that no output is written over it (the
    config found by lookup, an estimator's file, `--expect`: not only the files named)."""
    if stat.S_ISREG(info.st_mode):
        _READ.add((info.st_dev, info.st_ino))


def open_input(path: str) -> tuple[BinaryIO, str, int | None]:
    """(byte stream, name for messages, size in bytes or None) of an input; `-` is stdin."""
    if path == "-":
        # A duplicate of stdin for the reader to close: stdin itself stays open, so its
        # identity can still protect the file it was redirected from when output is written.
        try:
            stdin: BinaryIO = os.fdopen(os.dup(sys.stdin.fileno()), "rb")
        except (OSError, ValueError, io.UnsupportedOperation):  # no descriptor (a test's stdin)
            stdin = sys.stdin.buffer
        return stdin, "<stdin>", None
    shown = shown_path(path)
    try:
        data = open(path, "rb", buffering=1 << 16)  # noqa: SIM115 - the reader closes it
    except FileNotFoundError:
        raise _unreadable(shown, "file not found") from None
    except IsADirectoryError:
        raise _unreadable(shown, "is a folder, not a file") from None
    except OSError as exc:
        raise _unreadable(shown, reason(exc)) from None
    info = os.fstat(data.fileno())
    note_read(info)
    return data, shown, info.st_size if stat.S_ISREG(info.st_mode) else None


def shown_path(path: str) -> str:
    """A path as outputs show it: a name that is not UTF-8 (its bytes came to Python as lone
    surrogates) gets `\\udcff` escapes, since no output could encode it."""
    if path.isascii() or not any("\ud800" <= ch <= "\udfff" for ch in path):
        return path
    return "".join(f"\\u{ord(ch):04x}" if "\ud800" <= ch <= "\udfff" else ch for ch in path)


def reason(exc: OSError) -> str:
    """What went wrong, as a message goes on: 'no space left on device'."""
    text = exc.strerror or str(exc) or type(exc).__name__
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def read_limited(data: BinaryIO, source: str, limit: int = MAX_DOCUMENT_BYTES) -> bytes:
    """All of a stream, refused before reading when its size is known to be over `limit`,
    and stopped at `limit` when it is not (a pipe, /dev/zero)."""
    try:
        info = os.fstat(data.fileno())
        note_read(info)
        if stat.S_ISREG(info.st_mode) and info.st_size > limit:
            raise _too_large(source, limit)
    except (OSError, ValueError, AttributeError):
        pass  # not a real file (a test's BytesIO): the read below is capped anyway
    raw = data.read(limit + 1)
    if len(raw) > limit:
        raise _too_large(source, limit)
    return raw


def _too_large(source: str, limit: int) -> IntscoreError:
    return _unreadable(source, f"is larger than {limit >> 20} MiB, the most read whole")


def _unreadable(source: str, message: str) -> IntscoreError:
    return IntscoreError(Finding(source, None, UNREADABLE_FILE, message))


def identity(path: str | Path) -> tuple[int, int] | None:
    """(device, inode) of the file a path leads to (`-`: stdin), or None when there is none."""
    try:
        info = os.fstat(sys.stdin.fileno()) if str(path) == "-" else os.stat(path)
    except (OSError, ValueError):
        return None
    return info.st_dev, info.st_ino


def write_atomically(
    target: str, text: str | Iterable[str], protected: Iterable[str | Path] = ()
) -> None:
    """Write `text` (whole, or in pieces) to `target` (see the module's docstring for how);
    refuse to write over any of the `protected` files (inputs, configs; `-` is stdin),
    whatever leads to them."""
    pieces = [text] if isinstance(text, str) else text
    shown = safe_text(target)
    guarded = {i for i in map(identity, protected) if i is not None} | _READ
    try:
        info = os.stat(target)
    except FileNotFoundError:
        info = None
    except NotADirectoryError:
        raise IntscoreError(f"cannot write {shown}: a folder on its path is a file") from None
    except OSError as exc:
        raise IntscoreError(f"cannot write {shown}: {reason(exc)}") from None
    if info is not None and (info.st_dev, info.st_ino) in guarded:
        raise IntscoreError(f"refusing to write over the input file {shown}")
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise IntscoreError(f"cannot write {shown}: it is a folder; give a file name")
    if info is not None and (not stat.S_ISREG(info.st_mode) or _is_device_path(target)):
        _write_directly(target, pieces, shown)
        return
    real = Path(os.path.realpath(target))
    folder = real.parent
    if not folder.is_dir():
        raise IntscoreError(f"cannot write {shown}: folder {safe_text(str(folder))} does not exist")
    mode = stat.S_IMODE(info.st_mode) if info is not None else 0o666 & ~_umask()
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise IntscoreError(f"cannot write {shown}: {reason(exc)}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.writelines(pieces)
            os.fchmod(handle.fileno(), mode)
        os.replace(temp, real)
    except BaseException as exc:  # Ctrl-C and SIGTERM too: never leave the temporary file
        Path(temp).unlink(missing_ok=True)
        if isinstance(exc, OSError):  # a full disk, a read-only or failing one: not a bug
            raise IntscoreError(f"cannot write {shown}: {reason(exc)}") from None
        raise


def _is_device_path(target: str) -> bool:
    return os.path.abspath(target).startswith(("/dev/", "/proc/"))


def _write_directly(target: str, pieces: Iterable[str], shown: str) -> None:
    try:
        with open(target, "w", encoding="utf-8", newline="") as handle:
            handle.writelines(pieces)
    except OSError as exc:
        raise IntscoreError(f"cannot write {shown}: {reason(exc)}") from None


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def committed_text(path: Path, ref: str) -> tuple[str, str]:
    """(text, name) of a file as committed at a git ref. The ref is checked by
    `git rev-parse --verify --end-of-options` first, so it can never be read as an option."""
    folder = path.resolve().parent
    shown_ref = safe_text(ref)
    if not ref or ref.startswith("-"):
        raise IntscoreError(f"--against: '{shown_ref}' is not a git revision")

    def git(*args: str) -> subprocess.CompletedProcess[str]:
        try:
            return subprocess.run(
                ["git", "-C", str(folder), *args],
                capture_output=True,
                text=True,
                errors="replace",
                check=False,
            )
        except FileNotFoundError:
            raise IntscoreError("--against needs git, and git is not installed") from None
        except OSError as exc:
            raise IntscoreError(f"--against: cannot run git: {exc.strerror}") from None

    def reason(result: subprocess.CompletedProcess[str]) -> str:
        lines = result.stderr.strip().splitlines() or ["unknown error"]
        return safe_text(lines[-1].removeprefix("fatal: ").removeprefix("error: "))

    inside = git("rev-parse", "--is-inside-work-tree")
    if inside.returncode != 0 or inside.stdout.strip() != "true":
        raise IntscoreError(f"--against needs a git checkout, and {folder} is not in one")
    commit = git("rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
    if commit.returncode != 0:
        raise IntscoreError(f"--against: '{shown_ref}' is not a commit in this repository")
    name = path.name
    blob = f"{commit.stdout.strip()}:./{name}"
    if git("cat-file", "-e", blob).returncode != 0:
        where = safe_text(_repo_path(git, name))
        raise IntscoreError(
            f"{where} is not in {shown_ref} (added since?): nothing to compare with"
        )
    shown = git("show", blob)
    if shown.returncode != 0:
        raise IntscoreError(f"cannot read {safe_text(name)} at {shown_ref}: {reason(shown)}")
    return shown.stdout, _repo_path(git, name)


def _repo_path(git: object, name: str) -> str:
    """The file's path in the repository, for messages (its name when git cannot say)."""
    prefix = git("rev-parse", "--show-prefix")  # type: ignore[operator]
    return (prefix.stdout.strip() + name) if prefix.returncode == 0 else name
