"""Faults of the place the output goes: a full disk, a read-only folder, a cache that is a
file, an output folder holding a user's files. Each is one clear line and exit 1, and the
previous site (or PDF, or export) is left as it was. And what a portfolio under git must
ignore so that nothing private is committed."""

from __future__ import annotations

import contextlib
import subprocess
from pathlib import Path

import pytest
from attack_support import cli, md, portfolio, tree

from elenefolio.scaffolds.starter import GITIGNORE


@contextlib.contextmanager
def tiny_disk(folder: Path, size: str = "1m"):
    """A small file system of its own at ``folder`` (a tmpfs; needs root)."""
    folder.mkdir(parents=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True
    )
    if done.returncode:
        pytest.skip("cannot mount a small file system here (needs root)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def fill(disk: Path) -> None:
    """Fill ``disk`` up to the last byte."""
    with open(disk / "filler", "wb", buffering=0) as f:
        try:
            while True:
                f.write(b"\0" * 4096)
        except OSError:
            pass


def one_line(run, *expected: str) -> str:
    """The one problem line of a failed command (beside the usual "build failed: ..." summary)."""
    assert run.code == 1, run.err
    lines = [line for line in run.lines if not line.startswith("build failed: ")]
    assert len(lines) == 1, run.err
    for text in expected:
        assert text in lines[0], run.err
    return lines[0]


@pytest.mark.slow  # a sequence of builds: seconds
def test_full_disk_is_one_line_and_keeps_the_previous_site(tmp_path: Path):
    root = portfolio(tmp_path / "p")
    with tiny_disk(tmp_path / "disk", "2m") as disk:
        site = disk / "site"
        assert cli("build", root, "-o", site, "-q").code == 0
        before = tree(site)
        (root / "static").mkdir()
        (root / "static" / "big.bin").write_bytes(b"x" * 3_000_000)
        run = cli("build", root, "-o", site)
        assert run.lines == [f"{site}:1: no space left on device; the previous site was left as it was"]
        assert run.code == 1
        assert tree(site) == before
        assert sorted(p.name for p in disk.iterdir()) == ["site"]
        one_line(cli("build", root, "-o", site, "--no-cache"), "no space left on device")
        assert tree(site) == before


@pytest.mark.slow  # a sequence of builds: seconds
def test_read_only_output_is_one_line(tmp_path: Path):
    root = portfolio(tmp_path / "p")
    with tiny_disk(tmp_path / "disk") as disk:
        assert cli("build", root, "-o", disk / "site", "-q").code == 0
        before = tree(disk / "site")
        (root / "journal" / "2026-03-01-first.md").write_text(md("First entry", "Edited."))
        assert subprocess.run(["mount", "-o", "remount,ro", str(disk)]).returncode == 0
        one_line(
            cli("build", root, "-o", disk / "site"),
            "read-only file system",
            "the previous site was left as it was",
        )
        assert tree(disk / "site") == before


@pytest.mark.slow  # a sequence of builds: seconds
def test_cache_that_is_a_file_is_one_line(tmp_path: Path):
    root = portfolio(tmp_path / "p", {".elenefolio-cache": "not a folder"})
    line = one_line(cli("build", root), "is a file, not a folder")
    assert line.startswith(".elenefolio-cache:1: ")
    assert not (root / "_site").exists()
    assert cli("build", root, "--no-cache", "-q").code == 0


def test_output_folder_with_a_users_files_is_refused_without_force(tmp_path: Path):
    root = portfolio(tmp_path / "p")
    mine = tmp_path / "documents"
    mine.mkdir()
    (mine / "index.html").write_text("my own home page")
    (mine / "thesis.docx").write_bytes(b"years of work")
    one_line(cli("build", root, "-o", mine), "was not written by elenefolio", "--force")
    assert tree(mine) == {"index.html": b"my own home page", "thesis.docx": b"years of work"}
    assert cli("build", root, "-o", mine, "--force", "-q").code == 0
    assert "thesis.docx" not in tree(mine) and (mine / ".elenefolio-site").is_file()
    # ours from now on: the next build replaces it without --force
    (root / "journal" / "2026-03-01-first.md").write_text(md("First entry", "Edited."))
    assert cli("build", root, "-o", mine, "-q").code == 0
    assert b"Edited." in (mine / "journal" / "2026-03-01-first" / "index.html").read_bytes()


@pytest.mark.slow  # a sequence of builds: seconds
def test_default_site_built_before_the_stamp_is_still_accepted(tmp_path: Path):
    root = portfolio(tmp_path / "p")
    assert cli("build", root, "-q", "--no-cache").code == 0
    (root / "_site" / ".elenefolio-site").unlink()
    assert cli("build", root, "-q").code == 0
    assert (root / "_site" / ".elenefolio-site").is_file()


@pytest.mark.slow  # makes a passport (PDF)
def test_passport_and_export_never_truncate_the_previous_file(tmp_path: Path):
    root = portfolio(tmp_path / "p")
    with tiny_disk(tmp_path / "disk", "32m") as disk:
        pdf, resume = disk / "passport.pdf", disk / "resume.json"
        assert cli("passport", root, "-o", pdf).code == 0
        assert cli("export", root, "-f", "json-resume", "-o", resume).code == 0
        assert cli("export", root, "-f", "leap2a", "-o", disk / "p.zip").code == 0
        saved = tree(disk)
        fill(disk)
        one_line(
            cli("passport", root, "-o", pdf, "--force"),
            "no space left on device",
            "the previous file was left as it was",
        )
        one_line(cli("export", root, "-f", "json-resume", "-o", resume), "no space left on device")
        one_line(cli("export", root, "-f", "leap2a", "-o", disk / "p.zip"), "no space left on device")
        (disk / "filler").unlink()
        assert tree(disk) == saved


def test_private_leap2a_export_is_never_written_inside_the_portfolio(tmp_path: Path):
    root = portfolio(tmp_path / "p")
    run = cli("export", ".", "-f", "leap2a", "--private", cwd=root)
    assert run.code == 1 and "outside" in run.lines[-1] and "-o" in run.lines[-1]
    assert not list(root.rglob("*.zip"))
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    assert cli("export", root, "-f", "leap2a", "--private", cwd=outside).code == 0
    assert (outside / "portfolio-leap2a.zip").is_file()


PRIVATE_PATHS = [
    "_private/index.html",
    "._site.new-abc123/index.html",
    "._site.old-x/site/a.html",
    "._private.new-abc123/index.html",
    "assessments/.unfinished.yaml",
    "passport-private.pdf",
    "portfolio-leap2a.zip",
    ".elenefolio-cache/a/b.pickle",
    "_site/index.html",
]


def git(root: Path, *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *argv], cwd=root, capture_output=True, text=True)


@pytest.mark.slow  # init, git and a build: seconds
def test_init_gitignore_ignores_every_private_path_git_would_commit(tmp_path: Path):
    root = tmp_path / "p"
    assert cli("init", root, "--name", "Ada").code == 0
    assert git(root, "init", "-q").returncode == 0
    for rel in PRIVATE_PATHS:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("private")
    ignored = git(root, "check-ignore", *PRIVATE_PATHS).stdout.split()
    assert sorted(ignored) == sorted(PRIVATE_PATHS)
    assert ".gitignore" not in cli("check", root).out + cli("check", root).err


@pytest.mark.slow  # init, git and a check: seconds
def test_check_warns_when_the_gitignore_lacks_private_paths(tmp_path: Path):
    root = portfolio(tmp_path / "p", {".gitignore": "_site/\n"})
    run = cli("check", root)
    [line] = [line for line in (run.out + run.err).splitlines() if line.startswith(".gitignore")]
    assert line.startswith(".gitignore:1: warning: lacks '_private/'")
    for pattern in ("._site.*/", "._private.*/", "assessments/.unfinished.yaml", "passport-private.pdf"):
        assert f"'{pattern}'" in line
    # every line the warning asks for really is ignored by git
    (root / ".gitignore").write_text(GITIGNORE)
    assert git(root, "init", "-q").returncode == 0
    run = cli("check", root)
    assert ".gitignore" not in run.out + run.err
