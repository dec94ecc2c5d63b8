"""Write every command's output for the examples and a fixed fuzz corpus into a folder.

Run it before and after a change that must not change behaviour, then compare the folders:

    python scripts/snapshot_outputs.py /tmp/before      # on the old commit
    python scripts/snapshot_outputs.py /tmp/after       # on the new one
    diff -r /tmp/before /tmp/after && echo identical

The fuzz corpus is drawn from the strategies of tests/test_fuzz.py with hypothesis
derandomised, so the same code gives the same corpus on every run. Hypothesis also seeds its
draws with constants from the code under test, so to compare two versions of intscore, draw
the corpus once and give both the same file:

    SNAPSHOT_CORPUS_FILE=/tmp/corpus.json python scripts/snapshot_outputs.py /tmp/after
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from hypothesis import HealthCheck, given, settings  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from intscore.cli import app  # noqa: E402

CORPUS_SIZE = int(os.environ.get("SNAPSHOT_CORPUS", "300"))

EXAMPLES = [
    ("requests.csv", None),
    ("requests.yaml", None),
    ("backlog.yaml", None),
    ("backlog-with-problems.csv", None),
    ("crm-export.csv", "crm-scoring.yaml"),
    ("presets/rice.csv", "presets:rice"),
    ("presets/wsjf.csv", "presets:wsjf"),
    ("presets/ice.csv", "presets:ice"),
]


def invoke(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), catch_exceptions=True)
    return f"exit {result.exit_code}\n--- stdout\n{result.stdout}--- stderr\n{result.stderr}"


def snapshot(out: Path, name: str, files: list[str], config: str | None, full: bool) -> None:
    args = [*files, *(["-c", config] if config else [])]
    parts = []
    for fmt in ("json", "csv", "markdown", "table"):
        parts.append(f"=== rank -f {fmt}\n" + invoke("rank", *args, "-f", fmt))
    parts.append("=== check -f text\n" + invoke("check", *args, "-f", "text"))
    if full:
        parts.append("=== check -f github\n" + invoke("check", *args, "-f", "github"))
        parts.append("=== matrix -f json\n" + invoke("matrix", *args, "-f", "json"))
        parts.append("=== matrix\n" + invoke("matrix", *args))
        parts.append(
            "=== sensitivity\n" + invoke("sensitivity", *args, "--runs", "200", "-f", "json")
        )
        parts.append("=== sensitivity table\n" + invoke("sensitivity", *args, "--runs", "50"))
    (out / name).write_text("\n".join(parts), encoding="utf-8")


def _preset_text(name: str) -> str:
    """A preset's text, wherever this version of intscore keeps it."""
    for module in ("intscore.model.builtin", "intscore.config_loading"):
        try:
            return __import__(module, fromlist=["preset_text"]).preset_text(name)
        except ImportError:
            continue
    raise SystemExit("no preset_text in this version of intscore")


def examples(out: Path) -> None:
    presets = _preset_text
    folder = Path(tempfile.gettempdir()) / "intscore-snapshot-presets"  # a fixed path: it is shown
    folder.mkdir(exist_ok=True)
    if True:
        for file, config in EXAMPLES:
            chosen = None
            if config and config.startswith("presets:"):
                chosen = str(Path(folder) / f"{config[8:]}.yaml")
                Path(chosen).write_text(presets(config[8:]))
            elif config:
                chosen = str(ROOT / "examples" / config)
            path = f"examples/{file}"  # relative: outputs show it, and they must compare
            name = "example-" + file.replace("/", "-")
            snapshot(out, name, [path], chosen, full=True)
            os.chdir(ROOT)
            for name_arg in ("Salesforce", "HubSpot", "Netsuite", "Nope"):
                text = invoke("explain", name_arg, path, *(["-c", chosen] if chosen else []))
                text += invoke(
                    "explain", name_arg, path, "-f", "json", *(["-c", chosen] if chosen else [])
                )
                text += invoke(
                    "explain",
                    name_arg,
                    path,
                    "--vs",
                    "Workday",
                    *(["-c", chosen] if chosen else []),
                )
                (out / f"{name}.explain-{name_arg}").write_text(text, encoding="utf-8")
        base = Path(folder) / "base.yaml"
        base.write_text((ROOT / "scoring.yaml").read_text().replace("weight: 20", "weight: 60"))
        for fmt in ("table", "markdown", "json"):
            text = invoke(
                "diff",
                "examples/requests.csv",
                "--base-config",
                str(base),
                "-f",
                fmt,
                "--top",
                "5",
            )
            (out / f"diff.{fmt}").write_text(text.replace(str(base), "BASE"), encoding="utf-8")


def _drawn() -> list[tuple[tuple[str, bytes, object], str | None]]:
    """The corpus: drawn from the fuzz strategies, or read from $SNAPSHOT_CORPUS_FILE when it
    exists (and written there when it does not). Hypothesis seeds its draws with constants it
    finds in the code under test, so two versions of intscore draw different corpora: to
    compare two versions, draw once and give both the same file."""
    saved = os.environ.get("SNAPSHOT_CORPUS_FILE")
    if saved and Path(saved).exists():
        cases = json.loads(Path(saved).read_text())
        return [((name, base64.b64decode(data), None), config) for name, data, config in cases]
    from test_fuzz import backlogs, configs

    drawn: list[tuple[tuple[str, bytes, object], str | None]] = []

    @settings(
        max_examples=CORPUS_SIZE,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(backlogs(), configs())
    def collect(backlog, config):
        drawn.append((backlog, config))

    collect()
    if saved:
        cases = [[n, base64.b64encode(d).decode(), c] for (n, d, _), c in drawn]
        Path(saved).write_text(json.dumps(cases))
    return drawn


def corpus(out: Path) -> None:
    drawn = _drawn()
    with tempfile.TemporaryDirectory() as folder:
        os.chdir(folder)
        for n, ((name, data, _expected), config) in enumerate(drawn):
            path = Path(folder) / name
            path.write_bytes(data)
            args = [name]
            if config is not None:
                Path(folder, "scoring.yaml").write_text(config)
                args += ["-c", "scoring.yaml"]
            snapshot(out, f"corpus-{n:04d}", args[:1], args[2] if config else None, full=False)
            path.unlink()
            Path(folder, "scoring.yaml").unlink(missing_ok=True)


def main() -> None:
    out = Path(sys.argv[1]).resolve()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    os.environ.update({"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"})
    os.environ.pop("INTSCORE_CONFIG", None)
    os.environ.pop("GITHUB_ACTIONS", None)
    os.chdir(ROOT)
    examples(out)
    corpus(out)
    print(f"wrote {len(list(out.iterdir()))} snapshots to {out}")


if __name__ == "__main__":
    main()
