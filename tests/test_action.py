"""The GitHub Action, run locally: action.yml's own steps, with a fake GitHub environment (a
pull-request event payload, a job-summary file, GITHUB_BASE_REF) in a real git repository
with a base branch."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

from conftest import ROOT

ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
BACKLOG = "integration,account,account_arr,stage,difficulty\n" + "".join(
    [f"Easy,a{i},10000,customer,1\n" for i in range(3)]
    + [f"Big,b{i},300000,customer,5\n" for i in range(2)]
    + ["Easy,a9,10000,customer,3\n"]  # disagrees on Easy's difficulty: an error, still ranked
)


def git(cwd: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@t",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@t",
    }
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def pull_request(tmp_path: Path) -> Path:
    """An origin whose main branch has the backlog and scoring.yaml, and a clone on a branch
    that raises the weight of build difficulty."""
    os.rmdir(tmp_path / ".git")
    origin = tmp_path / "origin"
    origin.mkdir()
    git(origin, "init", "-q", "-b", "main")
    (origin / "backlog.csv").write_text(BACKLOG)
    (origin / "scoring.yaml").write_text((ROOT / "scoring.yaml").read_text())
    git(origin, "add", ".")
    git(origin, "commit", "-qm", "backlog")
    work = tmp_path / "work"
    git(tmp_path, "clone", "-q", str(origin), str(work))
    git(work, "checkout", "-q", "-b", "heavier-difficulty")
    config = (work / "scoring.yaml").read_text().replace("weight: 20", "weight: 60")
    (work / "scoring.yaml").write_text(config)
    git(work, "commit", "-qam", "difficulty weighs more")
    return work


def expand(text: str, inputs: dict[str, str], context: dict[str, str]) -> str:
    """The `${{ ... }}` expressions the action uses: inputs.*, github.*."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1).strip()
        if name.startswith("inputs."):
            return inputs[name.removeprefix("inputs.")]
        return context[name]

    return re.sub(r"\$\{\{\s*([\w.-]+)\s*\}\}", value, text)


def condition(text: str, inputs: dict[str, str], context: dict[str, str]) -> bool:
    """An `if:` of the form `always() && a == 'x' && ...`."""
    expression = text.strip().removeprefix("${{").removesuffix("}}").strip()
    for part in expression.split("&&"):
        part = part.strip()
        if part == "always()":
            continue
        left, right = (side.strip() for side in part.split("=="))
        name = left.removeprefix("inputs.") if left.startswith("inputs.") else left
        actual = inputs.get(name) if left.startswith("inputs.") else context[left]
        if actual != right.strip("'"):
            return False
    return True


def run_action(work: Path, inputs: dict[str, str], event: str) -> tuple[list[int], str, str]:
    """Each step of action.yml as the runner would: (exit codes, stdout, summary)."""
    defaults = {k: str(v.get("default", "")) for k, v in ACTION["inputs"].items()}
    inputs = {**defaults, **inputs}
    payload = work.parent / "event.json"
    payload.write_text(json.dumps({"pull_request": {"base": {"ref": "main"}, "number": 7}}))
    summary = work.parent / "summary.md"
    summary.write_text("")
    context = {"github.action_path": str(ROOT), "github.event_name": event}
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": event,
        "GITHUB_EVENT_PATH": str(payload),
        "GITHUB_BASE_REF": "main" if event == "pull_request" else "",
        "GITHUB_STEP_SUMMARY": str(summary),
    }
    codes, out = [], ""
    for step in ACTION["runs"]["steps"]:
        if "uses" in step:
            assert step["uses"].startswith("actions/setup-python@")
            continue
        command = expand(step["run"], inputs, context)
        if "pip install" in command:  # installs this checkout: the test's venv already has it
            assert command == f'python -m pip install --quiet "{ROOT}"'
            continue
        if "if" in step and not condition(step["if"], inputs, context):
            continue
        step_env = {
            **env,
            **{k: expand(v, inputs, context) for k, v in step.get("env", {}).items()},
        }
        done = subprocess.run(
            ["bash", "-c", command], cwd=work, env=step_env, capture_output=True, text=True
        )
        codes.append(done.returncode)
        out += done.stdout + done.stderr
    return codes, out, summary.read_text()


def test_the_action_annotates_and_writes_the_diff_to_the_job_summary(tmp_path):
    work = pull_request(tmp_path)
    codes, out, summary = run_action(work, {"files": "backlog.csv"}, "pull_request")
    assert codes == [1, 0]  # the check fails the job (a conflict); the diff never does
    assert (
        "::error file=backlog.csv,line=7,title=conflicting-value::difficulty: 'Easy' is '3' here "
        "but '1' on line 2; ranked with '3' (fewest points)"
    ) in out
    assert "1 error (1 file, 6 rows) · config: scoring.yaml" in out
    assert summary.startswith("### intscore: ranking changes\n")
    assert "`scoring.yaml@origin/main` → `scoring.yaml`" in summary
    assert "- difficulty: weight 20 → 60\n" in summary
    assert "| Easy | 2 → 1 | ▲1 |" in summary


def test_outside_pull_requests_the_action_only_checks(tmp_path):
    work = pull_request(tmp_path)
    (work / "backlog.csv").write_text(BACKLOG.replace("a9,10000,customer,3", "a9,10000,customer,1"))
    codes, _, summary = run_action(work, {"files": "backlog.csv"}, "push")
    assert codes == [0]
    assert summary == ""
    codes, _, summary = run_action(
        work, {"files": "backlog.csv", "comment-diff": "false"}, "pull_request"
    )
    assert codes == [0] and summary == ""


def test_the_action_passes_config_and_expect(tmp_path):
    work = pull_request(tmp_path)
    (work / "backlog.csv").write_text(BACKLOG.replace("a9,10000,customer,3", "a9,10000,customer,1"))
    (work / "ranking.csv").write_text("rank,integration\n")
    codes, out, _ = run_action(
        work,
        {"files": "backlog.csv", "config": "scoring.yaml", "expect": "ranking.csv"},
        "pull_request",
    )
    assert codes[0] == 1
    assert "title=stale-ranking::the committed ranking is stale" in out


def test_the_examples_and_the_readme_use_the_action():
    workflow = (ROOT / "examples" / "ci" / "github-actions.yml").read_text()
    assert "uses: <owner>/intscore@" in workflow
    assert "fetch-depth: 0" in workflow
    readme = (ROOT / "README.md").read_text()
    assert "uses: <owner>/intscore@" in readme
