"""A build killed (kill -9) at any moment leaves the previous site or the new one, complete,
never a mix; the next build removes what the killed build left beside the output."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from attack_support import cli, md, portfolio, tree

ENTRIES = 40


def state_1() -> dict[str, str]:
    return {
        f"journal/2026-03-{i % 28 + 1:02d}-entry-{i}.md": md(
            f"Entry {i}", f"Text of entry {i}.\n\n" + "A paragraph. " * 40
        )
        for i in range(ENTRIES)
    }


def to_state_2(root: Path) -> None:
    """Several pages differ, some are added, some removed."""
    for i in range(0, ENTRIES, 5):
        path = root / f"journal/2026-03-{i % 28 + 1:02d}-entry-{i}.md"
        path.write_text(path.read_text() + "\nChanged after the first build.\n")
    for i in range(1, 6):
        (root / f"journal/2026-03-{i % 28 + 1:02d}-entry-{i}.md").unlink()
    for i in range(5):
        (root / f"journal/2026-04-0{i + 1}-new-{i}.md").write_text(md(f"New {i}", "Added later."))


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(("._site.", "._private.")))


def wait_for_no_leftovers(folder: Path, *others: str) -> list[str]:
    """The previous tree is removed by a process of its own: wait for it (never a hang);
    ``others`` are folders with similar names that are not ours."""
    deadline = time.monotonic() + 30
    while leftovers(folder) != sorted(others) and time.monotonic() < deadline:
        time.sleep(0.1)
    return leftovers(folder)


def start_build(root: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "elenefolio", "build", str(root), "-q"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
        env=dict(os.environ, PYTHONUNBUFFERED="1"),
    )


def test_kill_9_at_any_moment_leaves_one_complete_site(tmp_path: Path):
    root = portfolio(tmp_path / "p", state_1())
    assert cli("build", root, "-o", tmp_path / "A", "--no-cache").code == 0
    assert cli("build", root, "-q").code == 0
    saved = tmp_path / "saved"  # the output and cache of state 1, restored before each kill
    shutil.copytree(root / "_site", saved / "_site")
    shutil.copytree(root / ".elenefolio-cache", saved / ".elenefolio-cache")
    to_state_2(root)
    assert cli("build", root, "-o", tmp_path / "B", "--no-cache").code == 0
    a, b = tree(tmp_path / "A"), tree(tmp_path / "B")
    assert a != b and tree(root / "_site") == a

    def restore() -> None:
        for name in ("_site", ".elenefolio-cache"):
            shutil.rmtree(root / name, ignore_errors=True)
            shutil.copytree(saved / name, root / name)

    restore()
    began = time.monotonic()
    assert start_build(root).wait(timeout=120) == 0
    duration = time.monotonic() - began
    assert tree(root / "_site") == b

    rng = random.Random(7731)
    # spread over the whole build, and a third of them in its last tenth (the swap)
    delays = [rng.uniform(0, duration) for _ in range(16)] + [
        rng.uniform(0.9 * duration, 1.05 * duration) for _ in range(8)
    ]
    seen = {"A": 0, "B": 0}
    for delay in delays:
        restore()
        process = start_build(root)
        time.sleep(delay)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        now = tree(root / "_site")
        assert now in (a, b), f"a mix of two sites after a kill at {delay:.2f} s of {duration:.2f} s"
        seen["A" if now == a else "B"] += 1
    assert seen["A"], seen  # (the kills did land during builds)

    assert cli("build", root, "-q").code == 0
    assert tree(root / "_site") == b
    assert wait_for_no_leftovers(root) == []


def test_next_build_removes_only_our_leftovers(tmp_path: Path):
    root = portfolio(tmp_path / "p")
    assert cli("build", root, "-q").code == 0
    for name in ("._site.new-k1ll3d", "._site.old-k1ll3d/site", "._private.new-x"):
        (root / name).mkdir(parents=True)
        (root / name / "index.html").write_text("half a site")
    for name in ("._sitemap", "._site.notes", "._sitemine.new-1"):  # not ours
        (root / name).mkdir()
    assert cli("build", root, "-q").code == 0
    assert cli("build", root, "--private", "-q").code == 0
    assert wait_for_no_leftovers(root, "._site.notes") == ["._site.notes"]
    assert (root / "._sitemap").is_dir() and (root / "._sitemine.new-1").is_dir()


def test_a_build_killed_between_two_renames_gets_its_previous_site_back(tmp_path: Path):
    """Where folders cannot be exchanged in one step, the previous site is moved aside
    first: a build killed right then leaves no output folder, and the next build puts the
    previous site back before anything else."""
    root = portfolio(tmp_path / "p")
    assert cli("build", root, "-q").code == 0
    before = tree(root / "_site")
    (root / "._site.old-abc").mkdir()
    (root / "_site").rename(root / "._site.old-abc" / "site")
    run = cli("build", root, "-q", "-o", root / "_site")
    assert run.code == 0
    assert tree(root / "_site") == before
    assert wait_for_no_leftovers(root) == []
