"""Writing only what changed, with the same guarantees as a full write.

Every build makes a complete new site in a staging folder beside the output:
changed files are written there, and unchanged ones are hard-linked from the
previous output (instant, and no extra space; copied where the file system
has no hard links). Only when the whole build has succeeded does the new
folder take the place of the previous one, in one atomic exchange
(``write.swap``); the previous tree is then removed. A failed or killed build
therefore leaves the previous site or the new one, never a mix.

The manifest (kept in the cache, never in the output) maps each output
file to its hash, size and time stamp; a file whose size or time stamp no
longer match (edited by hand) is written again.

``serve``'s saves write in place instead (``live``): making a complete new
tree costs a hard link per output file and a walk of the previous tree
(about a second for 10,000 entries), where a save changes a few files. The
changed files are written into the staging folder all the same, so a failed
build still leaves the served site untouched; when the build has succeeded,
each is renamed over its previous version (a page is never seen half
written), and the files the previous build made that this one does not (a
deleted, renamed or now private page, a search shard that went) are removed,
all before the open pages are told to reload. Only files that no build made
(put there by hand) are left until the next full build, which ``serve``
runs every ``FULL_EVERY`` saves, after a failed build, and which every
``elenefolio build`` is. A save that changes many files (a template, the
configuration) is written as a new tree as usual.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from pathlib import Path
from types import SimpleNamespace
from typing import Iterable

from elenefolio.incremental import HashCache
from elenefolio.write import NEW, STAMP, STAMP_TEXT, link_or_copy, remove_later, staging_folder, swap, unlock


def _file_digest(path: Path) -> str:
    return data_digest(path.read_bytes())


def data_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


# In a live build, more changed files than this share of the output: a new tree instead
LIVE_SHARE = 0.25


class IncrementalWriter:
    def __init__(self, dest: Path, manifest: dict[str, tuple] | None, hashes: HashCache, live: bool = False):
        self.dest = dest.resolve()
        self._dest = os.path.join(str(self.dest), "")  # (with its separator: paths are joined by +)
        self.dest.parent.mkdir(parents=True, exist_ok=True)
        self.old = manifest if manifest and self.dest.is_dir() else None
        self.hashes = hashes
        self.staging, self.lock = staging_folder(self.dest, NEW)
        self.live = live and self.old is not None  # changed files only, put in place at the end
        self.kept: list[str] = []  # (live) unchanged files, left where they are
        self.staged: list[str] = []  # (live) files written into the staging folder
        self.manifest: dict[str, tuple] = {}
        self.checked: dict[str, bool] = {}  # intact, as found in this build
        self._staging = os.path.join(str(self.staging), "")
        self._made: set[str] = {self._staging}  # folders made in the staging folder (with their separator)
        self.written = 0
        self.unchanged = 0
        self.removed = 0
        self.count = 0
        self.bytes = 0

    @property
    def in_place(self) -> bool:
        return self.old is not None

    def intact(self, rel: str) -> bool:
        """The previous output has this file, as the build left it. (Asked for a page by the
        renderer, then by the search index: the output does not change until ``commit``.)"""
        known = self.checked.get(rel)
        if known is None:
            known = self.checked[rel] = self._intact(rel)
        return known

    def _intact(self, rel: str) -> bool:
        if self.old is None or rel not in self.old:
            return False
        entry = self.old[rel]
        try:
            st = os.lstat(self._dest + rel)
        except OSError:
            return False
        if not stat.S_ISREG(st.st_mode):  # a link or folder put there by hand is never kept
            return False
        if st.st_size == entry[1] and st.st_mtime_ns == entry[2]:
            return True
        if st.st_size != entry[1]:
            return False
        try:  # touched (or written by another build) but maybe the same bytes
            same = _file_digest(self.dest / rel) == entry[0]
        except OSError:
            return False
        if same:
            self.old[rel] = (entry[0], st.st_size, st.st_mtime_ns)
        return same

    def keep(self, rel: str) -> None:
        """The file stays as it is (it is ``intact``): linked into the new site."""
        assert self.old is not None
        if self.live:
            self.kept.append(rel)
        else:
            link_or_copy(self._dest + rel, self._target(rel))
        self.manifest[rel] = self.old[rel]
        self.unchanged += 1
        self.count += 1

    def add(self, output) -> None:
        rel = output.path
        if getattr(output, "unchanged", False):
            self.keep(rel)
            return
        if output.data is not None:
            digest = data_digest(output.data)
        else:
            digest = self.hashes.digest(Path(output.source))
        if self.intact(rel) and self.old is not None and self.old[rel][0] == digest:
            self.keep(rel)
            return
        target = self._target(rel)
        if output.data is not None:
            with open(target, "wb") as file:
                file.write(output.data)
        else:
            shutil.copyfile(output.source, target)
        st = os.stat(target)
        if self.live:
            self.staged.append(rel)
        self.bytes += st.st_size
        self.manifest[rel] = (digest, st.st_size, st.st_mtime_ns)
        self.written += 1
        self.count += 1

    def _target(self, rel: str) -> str:
        """The path of ``rel`` in the staging folder, its folder made. (Paths as text: a new
        tree links every unchanged file, thousands at a time.)"""
        target = self._staging + rel
        folder = target[: target.rfind("/") + 1]
        if folder not in self._made:
            os.makedirs(folder, exist_ok=True)
            self._made.add(folder)
        return target

    def add_all(self, outputs: Iterable) -> None:
        for output in outputs:
            self.add(output)

    def commit(self) -> dict[str, tuple]:
        """Put the new site in place; returns the new manifest."""
        self.add(SimpleNamespace(path=STAMP, data=STAMP_TEXT, source=None))
        if self.live:
            if self.written <= LIVE_SHARE * self.count and self._placeable():
                self._put_in_place()
                return self.manifest
            for rel in self.kept:  # too much changed: a new tree after all
                link_or_copy(self._dest + rel, self._target(rel))
            self.live = False
        old = swap(self.staging, self.dest)
        unlock(self.lock)
        self.lock = None
        if old is not None:
            self._remove_previous(old)
        return self.manifest

    def _placeable(self) -> bool:
        """Every written file can be renamed over its previous version: no folder stands where
        it goes, and no file where one of its folders goes (an address that became a folder);
        and no folder on the way to a written or removed file is a link (put in the output by
        hand: writing or deleting through it would reach outside the output)."""
        assert self.old is not None
        plain: set[Path] = {self.dest}  # folders known to be plain folders (or absent)
        for rel in self.staged + [rel for rel in self.old if rel not in self.manifest]:
            target = self.dest / rel
            if rel in self.manifest and (target.is_dir() or target.is_symlink()):
                return False
            parent = target.parent
            while parent not in plain:
                if parent.is_symlink() or (parent.exists() and not parent.is_dir()):
                    return False
                plain.add(parent)
                parent = parent.parent
        return True

    def _put_in_place(self) -> None:
        """(live) Rename each written file over its previous version, then remove the files
        the previous build made and this one does not, and the folders that leaves empty."""
        assert self.old is not None
        made: set[Path] = set()
        for rel in self.staged:
            target = self.dest / rel
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            os.replace(self.staging / rel, target)
        gone = [rel for rel in self.old if rel not in self.manifest]
        folders: set[Path] = set()
        for rel in gone:
            target = self.dest / rel
            try:
                if target.is_symlink() or not target.is_dir():
                    target.unlink()
                    self.removed += 1
            except FileNotFoundError:
                pass
            folders.update(p for p in target.parents if p != self.dest and self.dest in p.parents)
        for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
            try:
                folder.rmdir()  # only when empty
            except OSError:
                pass
        unlock(self.lock)
        self.lock = None
        shutil.rmtree(self.staging, ignore_errors=True)  # the folders it has left

    def _remove_previous(self, folder: Path) -> None:
        """Count the files of the previous site (now in ``folder``) that this build no longer
        makes, then remove it without waiting."""
        if self.in_place:
            for dirpath, dirnames, filenames in os.walk(folder):
                rel_dir = os.path.relpath(dirpath, folder).replace(os.sep, "/")
                for name in filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
                    if (name if rel_dir == "." else f"{rel_dir}/{name}") not in self.manifest:
                        self.removed += 1
        remove_later(folder)

    def abort(self) -> None:
        unlock(self.lock)
        shutil.rmtree(self.staging, ignore_errors=True)
