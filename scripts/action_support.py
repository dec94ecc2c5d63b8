"""What the GitHub Action's steps share: the `files` input, step outputs, the job summary and
workflow commands. The steps call the `intscore` command line (its JSON documents and exit
codes are the stable contract) with the Python that installed it."""

from __future__ import annotations

import glob
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from intscore.render.findings import workflow_command
from intscore.text import safe_text

__all__ = [
    "add_to_summary",
    "fence",
    "input_files",
    "intscore",
    "set_output",
    "split_hint",
    "temporary_folder",
    "warn",
]

_GLOB_CHARS = frozenset("*?[")


def input_files(text: str) -> list[str]:
    """The `files` input: one path or glob a line (spaces in names allowed, never split). A
    glob expands to its matches, sorted, without word splitting; one matching nothing stays
    as written, so that intscore says it is missing. Each file is given once."""
    files: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        matches = sorted(glob.glob(line, recursive=True)) if _GLOB_CHARS & set(line) else []
        files.extend(matches or [line])
    return list(dict.fromkeys(files))


def split_hint(files: Sequence[str]) -> str | None:
    """A hint when a line of `files` is missing but its space-separated words are files: the
    input used to be space-separated, and now takes one file or glob a line."""
    for name in files:
        words = name.split()
        missing = len(words) > 1 and not os.path.lexists(name)
        if missing and all(os.path.lexists(w) or _GLOB_CHARS & set(w) for w in words):
            return (
                f"files: {safe_text(name)!r} is not a file; give one file or glob a line "
                "(a YAML block: `files: |`)"
            )
    return None


def intscore(*args: str) -> subprocess.CompletedProcess[str]:
    """Run `intscore ARGS` with this Python (the one the action installed it into)."""
    return subprocess.run(
        [sys.executable, "-m", "intscore", *args],
        capture_output=True,
        text=True,
        errors="replace",
        check=False,
    )


def set_output(name: str, value: str) -> None:
    """A step output (one line), as the runner reads them from $GITHUB_OUTPUT."""
    path = os.environ.get("GITHUB_OUTPUT")
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(f"{name}={value}\n")


def add_to_summary(markdown: str) -> None:
    """Markdown appended to the job summary ($GITHUB_STEP_SUMMARY; stdout outside a runner)."""
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if not path:
        sys.stdout.write(markdown)
        return
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(markdown)


def warn(message: str, title: str = "intscore") -> None:
    """A `::warning::` annotation, and the same text in the job summary."""
    print(workflow_command("warning", message, title=title), flush=True)
    add_to_summary(f"> [!WARNING]\n{fence([message], '> ')}\n")


def fence(lines: Sequence[str], prefix: str = "") -> str:
    """Lines as a fenced code block, so that nothing in them is read as Markdown (no link,
    image, mention, emoji or math): the fence is longer than any run of backticks inside."""
    shown = [safe_text(line) for line in lines]
    bar = "`" * max(3, _longest_backticks(shown) + 1)
    body = "\n".join(f"{prefix}{line}" for line in shown)
    return f"{prefix}{bar}text\n{body}\n{prefix}{bar}\n"


def _longest_backticks(lines: Sequence[str]) -> int:
    longest = 0
    for line in lines:
        current = 0
        for ch in line:
            current = current + 1 if ch == "`" else 0
            longest = max(longest, current)
    return longest


def temporary_folder() -> Path:
    """$RUNNER_TEMP (emptied after each job), else the system's temporary folder."""
    import tempfile

    return Path(tempfile.mkdtemp(prefix="intscore-", dir=os.environ.get("RUNNER_TEMP") or None))
