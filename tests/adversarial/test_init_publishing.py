"""What ``init`` writes for publishing: workflows that stop a public repository holding
private files, fetch the whole history and push only the site, and install the elenefolio
that wrote them (or ``--install-from SPEC``, which cannot smuggle a command in); init inside
an existing repository leaves its files alone; the pre-commit hooks this repository offers."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from attack_support import cli, commit_all, git

from elenefolio import __version__
from elenefolio.cli import build_parser

REPO = Path(__file__).resolve().parents[2]


def _init(tmp_path: Path) -> Path:
    root = tmp_path / "folio"
    run = cli("init", root)
    assert run.code == 0, run.err
    assert sum("keep its git repository private" in line for line in run.out.splitlines()) == 1
    return root


def _gitlab_script(root: Path) -> list[str]:
    return yaml.safe_load((root / ".gitlab-ci.yml").read_text())["pages"]["script"]


def _run_line(line: str, root: Path, **env: str) -> int:
    """One line of a CI script, in a real shell, with 'elenefolio' this source tree's CLI."""
    shim = root.parent / "bin/elenefolio"
    shim.parent.mkdir(exist_ok=True)
    shim.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -m elenefolio "$@"\n')
    shim.chmod(0o755)
    path = f"{shim.parent}{os.pathsep}{os.environ['PATH']}"
    return subprocess.run(
        ["sh", "-c", line], cwd=root, env=dict(os.environ, PATH=path, **env), capture_output=True, timeout=120
    ).returncode


def test_gitlab_job_stops_a_public_project_holding_the_private_example(tmp_path):
    root = _init(tmp_path)
    config = yaml.safe_load((root / ".gitlab-ci.yml").read_text())["pages"]
    assert str(config["variables"]["GIT_DEPTH"]) == "0"
    script = config["script"]
    guard = next(line for line in script if "--public-repo" in line)
    assert script.index(guard) < next(i for i, line in enumerate(script) if "elenefolio build" in line)
    assert _run_line(guard, root, CI_PROJECT_VISIBILITY="public") == 1
    assert _run_line(guard, root, CI_PROJECT_VISIBILITY="private") == 0
    assert _run_line(guard, root, CI_PROJECT_VISIBILITY="internal") == 0


def test_github_workflow_guards_first_and_fetches_the_history(tmp_path):
    root = _init(tmp_path)
    workflow = yaml.safe_load((root / ".github/workflows/publish.yml").read_text())
    steps = workflow["jobs"]["build"]["steps"]
    assert steps[0]["uses"].startswith("actions/checkout") and steps[0]["with"]["fetch-depth"] == 0
    guard = next(i for i, s in enumerate(steps) if "--public-repo" in s.get("run", ""))
    assert steps[guard]["if"] == "${{ !github.event.repository.private }}"
    publishing = [
        i
        for i, s in enumerate(steps)
        if "elenefolio build" in s.get("run", "")
        or "elenefolio deploy" in s.get("run", "")
        or "pages" in s.get("uses", "")
    ]
    assert publishing and guard < min(publishing)
    # the two-repository way pushes with 'elenefolio deploy', and its command line is valid
    deploy = next(s["run"] for s in steps if "elenefolio deploy" in s.get("run", ""))
    line = next(x for x in deploy.splitlines() if x.startswith("elenefolio deploy"))
    args = build_parser().parse_args(shlex.split(line.replace("$", ""))[1:])
    assert args.command == "deploy" and args.remote.startswith("git@github.com:")
    # Pages write access only for the job that deploys to Pages
    assert "pages" not in workflow["permissions"]
    assert workflow["jobs"]["deploy"]["permissions"]["pages"] == "write"


def test_init_in_an_existing_repository_leaves_its_files_alone(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    mine = {
        "README.md": "My notes\n",
        ".gitignore": "secret/\n",
        ".github/workflows/publish.yml": "name: mine\n",
    }
    for rel, text in mine.items():
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text(text)
    commit_all(repo, "Mine")
    run = cli("init", repo)
    assert run.code == 0, run.err
    for rel, text in mine.items():
        assert (repo / rel).read_text() == text, rel
    assert (repo / "portfolio.yaml").is_file() and (repo / ".gitlab-ci.yml").is_file()
    assert ".gitignore: exists already" in run.out and "publish.yml: exists already" in run.out
    assert git(repo, "status", "--porcelain", "--untracked-files=no") == ""  # nothing tracked changed
    again = cli("init", repo)
    assert again.code == 1 and "already holds a portfolio" in again.err


def test_init_below_the_top_of_a_repository_writes_no_workflows(tmp_path):
    commit_all(tmp_path, "Top")
    run = cli("init", tmp_path / "portfolio")
    assert run.code == 0, run.err
    assert (tmp_path / "portfolio/portfolio.yaml").is_file()
    assert not (tmp_path / "portfolio/.github").exists()
    assert not (tmp_path / "portfolio/.gitlab-ci.yml").exists()
    assert "not written" in run.out


def test_pre_commit_hooks_run_elenefolio_check():
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    ids = {hook["id"]: hook for hook in hooks}
    assert {"elenefolio-check", "elenefolio-public-repo"} <= ids.keys()
    for hook in hooks:
        assert {"id", "name", "entry", "language"} <= hook.keys()
        assert hook["language"] == "python" and hook["pass_filenames"] is False
        args = build_parser().parse_args(shlex.split(hook["entry"])[1:])
        assert args.command == "check"
    assert build_parser().parse_args(shlex.split(ids["elenefolio-public-repo"]["entry"])[1:]).public_repo


def _install_steps(root: Path) -> list[str]:
    """The lines of both workflows that install elenefolio, as their shells get them."""
    github = yaml.safe_load((root / ".github/workflows/publish.yml").read_text())["jobs"]["build"]["steps"]
    lines = [s["run"] for s in github if "pip install" in s.get("run", "")]
    lines += [line for line in _gitlab_script(root) if "pip install" in line]
    assert len(lines) == 2, lines
    return lines


def _pip_arguments(line: str, tmp_path: Path) -> list[str]:
    """The arguments a real shell passes to pip for ``line`` (pip is a stand-in that
    records them; a command the line smuggled in would leave its own mark)."""
    bin_dir = tmp_path / "fake-bin"
    bin_dir.mkdir(exist_ok=True)
    record = tmp_path / "pip-args.json"
    (bin_dir / "pip").write_text(
        f'#!{sys.executable}\nimport json, sys\nopen({str(record)!r}, "w").write(json.dumps(sys.argv[1:]))\n'
    )
    (bin_dir / "pip").chmod(0o755)
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    proc = subprocess.run(["sh", "-c", line], cwd=tmp_path, env=env, capture_output=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return json.loads(record.read_text())


def test_workflows_install_the_version_that_wrote_them(tmp_path):
    root = _init(tmp_path)
    for line in _install_steps(root):
        assert line == f'pip install "elenefolio=={__version__}"'
        assert _pip_arguments(line, tmp_path) == ["install", f"elenefolio=={__version__}"]
    for rel in (".github/workflows/publish.yml", ".gitlab-ci.yml"):
        text = (root / rel).read_text()
        git_form = f'pip install "elenefolio @ git+https://github.com/OWNER/elenefolio@v{__version__}"'
        assert f"#   {git_form}" in text
        assert "--install-from" in text


@pytest.mark.slow  # a loop of init runs: seconds
def test_install_from_is_written_in_both_workflows_as_given(tmp_path):
    specs = [
        "elenefolio @ git+https://github.com/ana/elenefolio@v0.2.0#egg=elenefolio&subdirectory=.",
        "elenefolio[extra]>=0.1,<0.3,!=0.2.1",
        "./wheels/elenefolio-0.1.0-py3-none-any.whl",
    ]
    for number, spec in enumerate(specs):
        root = tmp_path / f"folio{number}"
        run = cli("init", root, "--install-from", spec)
        assert run.code == 0, run.err
        for line in _install_steps(root):
            assert _pip_arguments(line, tmp_path) == ["install", spec]


@pytest.mark.slow  # a loop of init runs: seconds
def test_hostile_install_from_is_refused_in_one_line(tmp_path):
    hostile = [
        "x; rm -rf /",
        "elenefolio\nrm -rf /",
        "$(touch pwned)",
        "`touch pwned`",
        'x" && touch pwned && echo "',
        "x' && touch pwned #",
        "--index-url=https://evil.example/",
        "elenefolio\\",
        "",
        " elenefolio",
        "${{ secrets.SITE_DEPLOY_KEY }}",
        "x | sh",
    ]
    for number, spec in enumerate(hostile):
        root = tmp_path / f"folio{number}"
        run = cli("init", root, f"--install-from={spec}")  # '=': a SPEC may start with -
        assert run.code == 1, spec
        assert len(run.lines) == 1 and "--install-from" in run.err and run.out == "", run.err
        assert not root.exists(), spec
