"""``elenefolio deploy``: only the built public site reaches the remote, never the sources,
their history or anything private; branches that hold sources are refused."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from attack_support import CANARY, GIT_IDENTITY, cli, commit_all, git, md, portfolio

PRIVATE_ENTRY = {
    "journal/2026-03-02-secret.md": md(
        "Secret entry", f"Private {CANARY}.", date="2026-03-02", visibility="private"
    )
}


def _source(tmp_path: Path, **files) -> tuple[Path, str]:
    root = portfolio(
        tmp_path / "folio", {".gitignore": "_site/\n.elenefolio-cache/\n", **PRIVATE_ENTRY, **files}
    )
    return root, commit_all(root, "My journal")


def _bare(tmp_path: Path, name: str = "site.git") -> Path:
    bare = tmp_path / name
    git(tmp_path, "init", "-q", "--bare", str(bare))
    return bare


def deploy(root: Path, *args: str):
    return cli("deploy", root, *args, env=GIT_IDENTITY)


def _all_objects(bare: Path) -> bytes:
    return subprocess.run(
        ["git", "cat-file", "--batch-all-objects", "--batch"], cwd=bare, capture_output=True, check=True
    ).stdout


def _branches(bare: Path) -> str:
    return git(bare, "for-each-ref", "--format=%(refname) %(objectname)")


def test_only_the_built_site_is_pushed(tmp_path):
    root, source_commit = _source(tmp_path)
    bare = _bare(tmp_path)
    run = deploy(root, "--remote", bare)
    assert run.code == 0, run.err
    files = git(bare, "ls-tree", "-r", "--name-only", "gh-pages").splitlines()
    assert "index.html" in files and ".nojekyll" in files
    assert not any(f.endswith(".md") or f == "portfolio.yaml" for f in files)
    objects = _all_objects(bare)
    assert CANARY.encode() not in objects  # not in the site, not in any object at all
    assert b"A public entry." in objects or any("first" in f for f in files)
    # the source history is not there: its commit is no object of the remote
    assert subprocess.run(["git", "cat-file", "-e", source_commit], cwd=bare).returncode != 0
    assert git(bare, "rev-list", "--count", "gh-pages") == "1"
    assert f"source commit {source_commit}" in git(bare, "log", "-1", "--format=%B", "gh-pages")


@pytest.mark.slow  # builds and pushes twice with git: seconds
def test_the_branch_keeps_its_history_and_a_repeat_pushes_nothing(tmp_path):
    root, _ = _source(tmp_path)
    bare = _bare(tmp_path)
    assert deploy(root, "--remote", bare).code == 0
    first = git(bare, "rev-parse", "gh-pages")
    (root / "journal/2026-03-03-more.md").write_text(
        md("More", "Another public entry.", date="2026-03-03"), encoding="utf-8"
    )
    second_source = commit_all(root, "More")
    run = deploy(root, "--remote", bare, "--message", "New entry")
    assert run.code == 0, run.err
    assert git(bare, "rev-parse", "gh-pages^") == first
    message = git(bare, "log", "-1", "--format=%B", "gh-pages")
    assert message.startswith("New entry") and second_source in message
    again = deploy(root, "--remote", bare)
    assert again.code == 0 and "nothing to push" in again.out
    assert git(bare, "rev-list", "--count", "gh-pages") == "2"


@pytest.mark.slow  # builds with git: seconds
def test_dry_run_pushes_nothing(tmp_path):
    root, _ = _source(tmp_path)
    bare = _bare(tmp_path)
    run = deploy(root, "--remote", bare, "--dry-run")
    assert run.code == 0, run.err
    assert "would push" in run.out and "gh-pages" in run.out
    assert _branches(bare) == ""


@pytest.mark.slow  # builds and pushes with git: seconds
def test_a_configured_remote_by_name(tmp_path):
    root, _ = _source(tmp_path)
    bare = _bare(tmp_path)
    git(root, "remote", "add", "origin", str(bare))
    run = deploy(root, "--remote", "origin", "--branch", "pages")
    assert run.code == 0, run.err
    assert "refs/heads/pages" in _branches(bare)


@pytest.mark.slow  # builds and pushes with git: seconds
def test_a_branch_holding_sources_is_refused(tmp_path):
    root, _ = _source(tmp_path)
    bare = _bare(tmp_path)
    git(root, "push", "-q", str(bare), "main:refs/heads/sources")
    before = _branches(bare)
    run = deploy(root, "--remote", bare, "--branch", "sources")
    assert run.code == 1 and len(run.lines) == 1, run.err
    assert "portfolio.yaml" in run.err
    assert _branches(bare) == before


def test_the_current_source_branch_of_its_own_remote_is_refused(tmp_path):
    root, _ = _source(tmp_path)
    bare = _bare(tmp_path)
    git(root, "remote", "add", "origin", str(bare))
    run = deploy(root, "--remote", "origin", "--branch", "main")
    assert run.code == 1 and len(run.lines) == 1, run.err
    assert "holds your portfolio's sources" in run.err
    run = deploy(root, "--remote", root, "--branch", "main")
    assert run.code == 1 and len(run.lines) == 1, run.err
    assert _branches(bare) == ""


def test_private_and_drafts_are_refused(tmp_path):
    root, _ = _source(tmp_path)
    bare = _bare(tmp_path)
    for flag in ("--private", "--drafts"):
        run = deploy(root, "--remote", bare, flag)
        assert run.code == 1 and len(run.lines) == 1 and flag in run.err, run.err
    assert _branches(bare) == ""
    assert not (root / "_private").exists()


def test_a_portfolio_with_errors_is_not_deployed(tmp_path):
    root, _ = _source(tmp_path, **{"journal/2026-03-04-broken.md": md("Broken", colour="red")})
    bare = _bare(tmp_path)
    run = deploy(root, "--remote", bare)
    assert run.code == 1
    assert "unknown field 'colour'" in run.err and "nothing was pushed" in run.lines[-1]
    assert _branches(bare) == ""


def test_an_unknown_remote_is_one_line(tmp_path):
    root, _ = _source(tmp_path)
    run = deploy(root, "--remote", "nowhere")
    assert run.code == 1 and len(run.lines) == 1 and "nowhere" in run.err


def test_a_remote_that_git_would_read_as_an_option_is_refused(tmp_path):
    root, _ = _source(tmp_path)
    marker = tmp_path / "ran"
    run = deploy(root, f"--remote=--upload-pack=touch {marker}")
    assert run.code == 1 and len(run.lines) == 1, run.err
    git(root, "config", "remote.evil.url", "--upload-pack=touch " + str(marker))
    run = deploy(root, "--remote", "evil")
    assert run.code == 1 and len(run.lines) == 1, run.err
    assert not marker.exists()


@pytest.mark.slow  # builds and pushes twice with git: seconds
def test_a_custom_domain_on_the_branch_is_kept(tmp_path):
    root, _ = _source(tmp_path)
    bare = _bare(tmp_path)
    assert deploy(root, "--remote", bare).code == 0
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "-b", "gh-pages", str(bare), str(clone))
    (clone / "CNAME").write_text("portfolio.example.org\n")
    commit_all(clone, "Custom domain")
    git(clone, "push", "-q", "origin", "gh-pages")
    (root / "about.md").write_text("Changed.\n")
    commit_all(root, "About")
    assert deploy(root, "--remote", bare).code == 0
    assert git(bare, "show", "gh-pages:CNAME") == "portfolio.example.org"
