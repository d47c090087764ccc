"""Dates from git: an item's last commit dates its last change on its page, in the feed, the
sitemap and JSON-LD; front matter wins; a shallow clone or a folder outside git still builds;
a new commit re-renders an incremental build; one git log per build."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pytest
from attack_support import cli, commit_all, git, md, portfolio
from bs4 import BeautifulSoup

FIRST = "2026-03-01T09:00:00+01:00"
LATER = "2026-04-20T18:30:00+02:00"
IGNORE = {".gitignore": "_site/\n.elenefolio-cache/\n"}


def _committed(tmp_path: Path, **config) -> Path:
    """Two public entries committed on 1 March; the first changed again on 20 April."""
    root = portfolio(
        tmp_path / "folio",
        {**IGNORE, "journal/2026-03-01-second.md": md("Second entry", "Unchanged.")},
        **config,
    )
    commit_all(root, "Start", date=FIRST)
    entry = root / "journal/2026-03-01-first.md"
    entry.write_text(entry.read_text() + "\nA second thought.\n")
    commit_all(root, "Second thought", date=LATER)
    return root


def _page(root: Path, slug: str) -> BeautifulSoup:
    return BeautifulSoup((root / "_site/journal" / slug / "index.html").read_text(), "html.parser")


def _json_ld(page: BeautifulSoup) -> dict:
    return json.loads(page.find("script", type="application/ld+json").string)


def _feed_updated(root: Path) -> dict[str, str]:
    feed = BeautifulSoup((root / "_site/feed.xml").read_text(), "xml")
    return {e.title.string: e.updated.string for e in feed.find_all("entry")}


def _lastmod(root: Path) -> dict[str, str]:
    sitemap = BeautifulSoup((root / "_site/sitemap.xml").read_text(), "xml")
    return {
        u.loc.string.rstrip("/").rsplit("/", 1)[-1]: u.lastmod.string
        for u in sitemap.find_all("url")
        if u.lastmod
    }


def test_the_last_commit_dates_the_update_everywhere(tmp_path):
    root = _committed(tmp_path, language="fr")
    run = cli("build", root)
    assert run.code == 0, run.err
    page = _page(root, "2026-03-01-first")
    updated = page.find(class_="updated")
    assert updated is not None and updated.get_text(" ", strip=True) == "Mis à jour le 20 avril 2026"
    assert updated.time["datetime"] == "2026-04-20"
    assert _json_ld(page)["dateModified"] == LATER
    assert _page(root, "2026-03-01-second").find(class_="updated") is None
    assert "dateModified" not in _json_ld(_page(root, "2026-03-01-second"))
    feed = _feed_updated(root)
    assert feed["First entry"] == LATER and feed["Second entry"] == "2026-03-01T00:00:00Z"
    lastmod = _lastmod(root)
    assert lastmod["2026-03-01-first"] == "2026-04-20" and lastmod["2026-03-01-second"] == "2026-03-01"


@pytest.mark.slow  # builds with git: seconds
def test_front_matter_updated_wins(tmp_path):
    root = _committed(tmp_path)
    entry = root / "journal/2026-03-01-first.md"
    entry.write_text(md("First entry", "A public entry.", updated="2026-05-02"))
    commit_all(root, "Say when", date=LATER)
    assert cli("build", root).code == 0
    assert _page(root, "2026-03-01-first").find(class_="updated").time["datetime"] == "2026-05-02"


def test_first_commit_is_known(tmp_path):
    from elenefolio.load import load_portfolio
    from elenefolio.problems import Problems

    root = _committed(tmp_path)
    items = {i.slug: i for i in load_portfolio(root, Problems(root)).items}
    assert items["2026-03-01-first"].git_created.isoformat() == FIRST
    assert items["2026-03-01-first"].updated.isoformat() == LATER


@pytest.mark.slow  # clones with git and builds: seconds
def test_a_shallow_clone_builds_with_the_items_own_dates(tmp_path):
    root = _committed(tmp_path)
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{root}", str(clone))
    run = cli("build", clone)
    assert run.code == 0, run.err
    assert _page(clone, "2026-03-01-first").find(class_="updated") is None
    assert _lastmod(clone)["2026-03-01-first"] == "2026-03-01"


@pytest.mark.slow  # builds with git: seconds
def test_a_folder_outside_git_builds_with_the_items_own_dates(tmp_path):
    root = _committed(tmp_path)
    shutil.rmtree(root / ".git")
    assert cli("build", root).code == 0
    assert _page(root, "2026-03-01-first").find(class_="updated") is None


@pytest.mark.slow  # a sequence of builds with git: seconds
def test_a_new_commit_rerenders_an_incremental_build(tmp_path):
    root = _committed(tmp_path)
    entry = root / "journal/2026-03-01-second.md"
    entry.write_text(entry.read_text() + "\nEdited.\n")
    assert cli("build", root).code == 0  # not committed yet: still the first commit's date
    assert _page(root, "2026-03-01-second").find(class_="updated") is None
    commit_all(root, "Edited", date="2026-05-05T08:00:00+00:00")  # no file changes on disk
    run = cli("build", root)
    assert run.code == 0, run.err
    assert _page(root, "2026-03-01-second").find(class_="updated").time["datetime"] == "2026-05-05"
    assert _lastmod(root)["2026-03-01-second"] == "2026-05-05"


@pytest.mark.slow  # builds with git: seconds
def test_one_git_log_per_build(tmp_path):
    files = {
        f"journal/2026-02-{day:02d}-entry.md": md(f"Entry {day}", date=f"2026-02-{day:02d}")
        for day in range(1, 25)
    }
    root = portfolio(tmp_path / "folio", {**IGNORE, **files})
    for day in (1, 2, 3):
        (root / f"journal/2026-02-0{day}-entry.md").write_text(md("Changed", date=f"2026-02-0{day}"))
        commit_all(root, f"Commit {day}", date=f"2026-03-0{day}T10:00:00Z")
    real = shutil.which("git")
    calls = tmp_path / "calls.txt"
    wrapper = tmp_path / "bin/git"
    wrapper.parent.mkdir()
    wrapper.write_text(f'#!/bin/sh\necho "$@" >> {calls}\nexec {real} "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IEXEC)
    run = cli("build", "--no-cache", root, env={"PATH": f"{wrapper.parent}{os.pathsep}{os.environ['PATH']}"})
    assert run.code == 0, run.err
    logs = [line for line in calls.read_text().splitlines() if " log " in f" {line} "]
    assert len(logs) == 1, logs
    assert _lastmod(root)["2026-02-03-entry"] == "2026-03-03"
