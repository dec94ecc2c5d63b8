"""Shared helpers: the SPEC §6 example, a CLI runner with fixed width and no colour."""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from intscore.cli import app

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
EXAMPLES = ROOT / "examples"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Each test runs in an empty folder with no config in reach, at a fixed width."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("INTSCORE_CONFIG", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", f"{tmp_path}-cache")  # each test its own, outside
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERM", "dumb")
    (tmp_path / ".git").mkdir()  # stop the config lookup here


def run(*args: str, input: str | None = None):
    """Run the CLI in-process; stdout and stderr kept apart."""
    runner = CliRunner()
    return runner.invoke(app, list(args), input=input, catch_exceptions=False, env=dict(os.environ))


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding, newline="")
    return path


# What GitHub finds in the rendered text of a comment or job summary (after Markdown escapes are
# gone): mentions, issue references, emoji shortcodes and autolinks.
GITHUB_TEXT = re.compile(
    r"(?<![\w`])@\w"
    r"|(?<!\w)#\d"
    r"|(?i:\bgh-\d)"
    r"|:[a-z0-9_+-]+:"
    r"|(?i:\bwww\.)"
    r"|(?i:\b(?:https?|ftp)://)"
    r"|[\w.+-]@[\w-]+\.\w"  # an e-mail address (also after mailto: and xmpp:)
)


@functools.cache
def github_markdown():
    """CommonMark + GFM (tables, strikethrough, autolinks as GitHub makes them: with a scheme,
    `www.` is checked in the text) and both math syntaxes (`$…$`, `$$…$$`, `\\(…\\)`)."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin
    from mdit_py_plugins.texmath import texmath_plugin

    md = MarkdownIt("gfm-like", {"linkify": True})
    md.linkify.set({"fuzzy_link": False})
    md.linkify.add("//", None)  # GitHub links no scheme-relative `//host`
    md.use(dollarmath_plugin, double_inline=True).use(texmath_plugin, delimiters="brackets")
    return md


def assert_inert(markdown: str) -> None:
    """No link, image, HTML or math node, and nothing GitHub would link in the text."""
    tokens = []
    for token in github_markdown().parse(markdown):
        tokens.append(token)
        tokens.extend(token.children or [])
    kinds = {t.type for t in tokens}
    bad = {k for k in kinds if k in ("link_open", "image") or k.startswith(("html", "math", "eq"))}
    assert bad == set(), (bad, markdown)
    for token in tokens:
        if token.type == "text":
            assert not GITHUB_TEXT.search(token.content), (token.content, markdown)


# Hypothesis: a short fuzz run in `make test`, a long one in `make fuzz`.
from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile(
    "intscore", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "fuzz",
    max_examples=int(os.environ.get("INTSCORE_FUZZ_EXAMPLES", "20000")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "intscore"))
