"""Saves while serving: the builds of a running ``serve`` take the changed files from the
watcher's events and write only what changed, in place, yet leave exactly what a clean
build makes, and nothing private for a moment longer.

A ``Rebuilder`` is driven as ``serve`` drives it; the watcher is played by telling it
(``Rebuilder.noticed``) every file and folder that an edit created, changed or removed,
as watchdog's events do (tests/test_serve.py runs the real watcher).
"""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pytest
from conftest import canary_hits, unsealed
from test_incremental import EDITS, edit_body, front, journal, tree

from elenefolio.incremental import InputWatch
from elenefolio.pipeline import BuildOptions, build
from elenefolio.serve import LiveState, Rebuilder

EXAMPLE = Path(__file__).resolve().parent.parent / "example-portfolio"
OUTPUTS = ("_site", "_private", ".elenefolio-cache")


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    root = tmp_path / "portfolio"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(*OUTPUTS))
    return root


def snapshot(root: Path) -> dict[str, tuple]:
    """Every file and folder of the portfolio (not the outputs): kind, size, time, inode."""
    found = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not (dirpath == str(root) and d in OUTPUTS)]
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            st = os.lstat(path)
            found[path] = (name in dirnames, st.st_size, st.st_mtime_ns, st.st_ino)
    return found


class Served:
    """A rebuilder as ``serve`` runs it, told of changes as its watcher would tell it."""

    def __init__(self, root: Path, **options):
        self.root = root
        self.state = LiveState()
        self.rebuilder = Rebuilder(BuildOptions(root, **options), self.state, lambda *report: None)
        assert self.rebuilder.build()  # serve's first build: a complete new tree
        self.rebuilder.options.fork = False
        self.rebuilder.watch_inputs()
        self.seen = snapshot(root)

    def notice(self) -> None:
        """Tell the rebuilder about every change since the last call, as events."""
        now = snapshot(self.root)
        for path in sorted(self.seen.keys() | now.keys()):
            before, after = self.seen.get(path), now.get(path)
            if before != after:
                folder = bool((before or after)[0])
                self.rebuilder.noticed([path], folder=folder)
        self.seen = now

    def save(self) -> bool:
        self.notice()
        return self.rebuilder.build(first=False)

    @property
    def output(self) -> Path:
        return self.rebuilder.options.destination


def clean_tree(root: Path, tmp: Path, **options) -> dict[str, bytes]:
    clean = tmp / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    build(BuildOptions(root, output=clean, incremental=False, **options))
    return tree(clean)


def assert_same(got: dict[str, bytes], want: dict[str, bytes], search: bool = True) -> None:
    got, want = unsealed(got), unsealed(want)  # (each build encrypts shared pages afresh)
    if not search:  # (the search index may be left behind until serve's catch-up)
        got = {k: v for k, v in got.items() if not k.startswith("pagefind/")}
        want = {k: v for k, v in want.items() if not k.startswith("pagefind/")}
    assert sorted(got) == sorted(want), set(got) ^ set(want)
    differing = [name for name in want if got[name] != want[name]]
    assert not differing, differing


def empty_folders(folder: Path) -> list[str]:
    return [d for d, dirs, files in os.walk(folder) if not dirs and not files]


def atomic_save(root: Path, rng: random.Random) -> str:
    """An editor's save: the new text is written to a temporary file renamed over the entry."""
    path = rng.choice(journal(root))
    temporary = path.with_name(f"{path.name}.tmp{rng.randint(0, 999)}")
    temporary.write_text(path.read_text() + f"\n\nSaved through a temporary file {rng.randint(0, 999)}.\n")
    temporary.replace(path)
    return f"atomic save of {path.name}"


def add_folder(root: Path, rng: random.Random) -> str:
    """A new folder of static files (a folder event: the next build scans everything)."""
    folder = root / "static" / f"folder-{rng.randint(0, 999)}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "notes.txt").write_text(f"notes {rng.randint(0, 999)}\n")
    return f"add folder {folder.name}"


def remove_folder(root: Path, rng: random.Random) -> str:
    folders = sorted((root / "static").glob("folder-*"))
    if not folders:
        return add_folder(root, rng)
    shutil.rmtree(folders[0])
    return f"remove folder {folders[0].name}"


@pytest.mark.slow  # a sequence of saves, each compared with a clean build
@pytest.mark.parametrize("private", [False, True])
def test_saves_while_serving_match_clean_builds(portfolio: Path, tmp_path: Path, private: bool):
    """Mostly body edits and editors' saves, mixed with every other kind of edit: after each
    save (before the search index catches up) and after the catch-up, the output is byte for
    byte a clean build's, with no file or folder left over."""
    served = Served(portfolio, private=private)
    output_folder = os.stat(served.output).st_ino
    rng = random.Random(11 if private else 12)
    edits = [edit_body] * 6 + [atomic_save] * 3 + EDITS + [add_folder, remove_folder]
    steps = []
    in_place = 0
    for _ in range(14):
        steps.append(rng.choice(edits)(portfolio, rng))
        try:
            assert served.save()
            want = clean_tree(portfolio, tmp_path, private=private)
            assert_same(tree(served.output), want, search=False)
            assert served.rebuilder.catch_up()
            assert_same(tree(served.output), want)
            assert not empty_folders(served.output)
        except AssertionError as exc:
            raise AssertionError(f"after {steps}: {exc}") from exc
        if os.stat(served.output).st_ino == output_folder:
            in_place += 1
        output_folder = os.stat(served.output).st_ino
    assert in_place >= 5  # most saves were written in place, not as a new tree
    inputs = served.rebuilder.options.inputs
    assert inputs is not None and inputs.full_scans < 14  # and most took the watcher's word


def test_a_page_made_private_leaves_the_output_and_the_search_index_at_once(portfolio: Path):
    served = Served(portfolio)
    entry = portfolio / "journal" / "2026-04-02-canary.md"  # added while serving
    entry.write_text(
        "---\ntitle: Canary entry\ndate: 2026-04-02\nvisibility: public\ntags: [canary-tag]\n---\n\n"
        "A canary word: quokkavelvet.\n"
    )
    assert served.save() and served.rebuilder.catch_up()
    assert canary_hits(served.output, ["quokkavelvet"])
    page = served.output / "journal" / "2026-04-02-canary" / "index.html"
    assert page.is_file()
    folder = os.stat(served.output).st_ino
    for value in ("private", "draft"):
        field = "visibility" if value == "private" else "draft"
        front(entry, field, value if value == "private" else "true")
        version = served.state.version
        assert served.save()
        assert served.state.version == version + 1  # the pages were told to reload...
        # ... and by then the page, every mention of it and its words in the index are gone
        assert canary_hits(served.output, ["quokkavelvet", "canary-tag"]) == []
        assert not page.exists() and not page.parent.exists()
        assert os.stat(served.output).st_ino == folder  # (written in place)
        front(entry, field, "public" if value == "private" else "false")
        assert served.save() and served.rebuilder.catch_up()
        assert page.is_file() and canary_hits(served.output, ["quokkavelvet"])
    entry.unlink()  # deleted
    assert served.save()
    assert canary_hits(served.output, ["quokkavelvet", "canary-tag"]) == [] and not page.exists()


@pytest.mark.slow  # a sequence of saves: seconds
def test_a_file_changed_without_an_event_is_found_by_the_next_full_scan(portfolio: Path, monkeypatch):
    """Events can be lost: every FULL_EVERY builds the whole portfolio is scanned again."""
    monkeypatch.setattr(InputWatch, "FULL_EVERY", 3)
    served = Served(portfolio)
    assert served.save()  # the first save after the watcher started scans everything
    quiet, loud = journal(portfolio)[:2]
    quiet.write_text(quiet.read_text() + "\n\nWritten behind the watcher's back: wombatine.\n")
    served.seen = snapshot(portfolio)  # the watcher missed it
    found = []
    for n in range(5):
        loud.write_text(loud.read_text() + f"\n\nSeen by the watcher {n}.\n")
        assert served.save()
        found.append(bool(canary_hits(served.output, ["wombatine"])))
    assert found == [False, False, False, True, True]  # the fourth one scanned everything


@pytest.mark.slow  # a sequence of saves: seconds
def test_a_folder_event_means_a_full_scan(portfolio: Path):
    served = Served(portfolio)
    assert served.save()  # the first save after the watcher started scans everything
    inputs = served.rebuilder.options.inputs
    assert inputs is not None
    scans = inputs.full_scans
    edit_body(portfolio, random.Random(1))
    assert served.save() and inputs.full_scans == scans  # a file event: no scan
    add_folder(portfolio, random.Random(2))
    assert served.save() and inputs.full_scans == scans + 1
    assert list((served.output / "static").glob("folder-*/notes.txt")) or list(
        served.output.rglob("notes.txt")
    )


@pytest.mark.slow  # a sequence of saves, compared with a clean build
def test_a_stray_file_is_removed_by_the_next_complete_tree(portfolio: Path, tmp_path: Path, monkeypatch):
    """A file put in the output by hand stays while saves are written in place; the complete
    new tree every FULL_EVERY saves (and every ``elenefolio build``) removes it."""
    monkeypatch.setattr(Rebuilder, "FULL_EVERY", 2)
    served = Served(portfolio)
    stray = served.output / "stray.html"
    stray.write_text("put here by hand")
    rng = random.Random(3)
    present = []
    for _ in range(3):
        edit_body(portfolio, rng)
        assert served.save()
        present.append(stray.exists())
    assert present[0] and not present[-1]
    assert_same(tree(served.output), clean_tree(portfolio, tmp_path), search=False)


@pytest.mark.slow  # a sequence of saves: seconds
def test_a_body_edit_rewrites_a_few_buckets_of_page_records(portfolio: Path, tmp_path: Path):
    served = Served(portfolio)
    assert served.save()
    buckets = sorted((portfolio / ".elenefolio-cache").rglob("pages-*.cache"))
    assert len(buckets) == 32
    before = {path: path.read_bytes() for path in buckets}
    edit_body(portfolio, random.Random(4))
    assert served.save()
    changed = [path.name for path in buckets if path.read_bytes() != before[path]]
    assert 1 <= len(changed) <= 4  # the edited page's, and the pages always made again


def test_a_save_never_deletes_through_a_link_put_in_the_output(portfolio: Path, tmp_path: Path):
    """A folder of the output replaced by a link to another folder: the page that leaves the
    site is not deleted through the link (the save makes a complete new tree instead)."""
    served = Served(portfolio)
    entry = portfolio / "journal" / "2026-04-03-linked.md"
    entry.write_text("---\ntitle: Linked\ndate: 2026-04-03\nvisibility: public\n---\n\nText.\n")
    assert served.save()
    page_folder = served.output / "journal" / "2026-04-03-linked"
    assert (page_folder / "index.html").is_file()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "index.html").write_text("not the site's")
    shutil.rmtree(page_folder)
    page_folder.symlink_to(elsewhere, target_is_directory=True)
    front(entry, "visibility", "private")
    assert served.save()
    assert (elsewhere / "index.html").read_text() == "not the site's"
    assert not page_folder.exists() and not page_folder.is_symlink()
    assert_same(tree(served.output), clean_tree(portfolio, tmp_path), search=False)
