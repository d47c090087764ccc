"""Writing only what changed, with the same guarantees as a full write.

When the previous output is there and the cache's manifest describes it,
changed files are first written to a staging folder beside the output;
only when the whole build has succeeded are they moved into place (one
atomic rename each) and files that the build no longer makes are
removed. A failed build therefore leaves the previous output untouched.
Without a usable previous output, the whole site goes to a fresh folder
that replaces the old one, as ``SiteWriter`` does.

The manifest (kept in the cache, never in the output) maps each output
file to its hash, size and time stamp; a file whose size or time stamp no
longer match (edited by hand) is written again.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterable

from elenefolio.incremental import HashCache


def _file_digest(path: Path) -> str:
    return data_digest(path.read_bytes())


def data_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class IncrementalWriter:
    def __init__(self, dest: Path, manifest: dict[str, tuple] | None, hashes: HashCache):
        self.dest = dest.resolve()
        self._dest = str(self.dest)
        self.dest.parent.mkdir(parents=True, exist_ok=True)
        self.old = manifest if manifest and self.dest.is_dir() else None
        self.hashes = hashes
        self.staging = Path(tempfile.mkdtemp(prefix=f".{self.dest.name}.new-", dir=self.dest.parent))
        self.manifest: dict[str, tuple] = {}
        self.staged: list[str] = []
        self.folders: set[Path] = set()  # folders made in the staging folder
        self.written = 0
        self.unchanged = 0
        self.removed = 0
        self.count = 0
        self.bytes = 0

    @property
    def in_place(self) -> bool:
        return self.old is not None

    def intact(self, rel: str) -> bool:
        """The previous output has this file, as the build left it."""
        if self.old is None or rel not in self.old:
            return False
        entry = self.old[rel]
        try:
            st = os.stat(os.path.join(self._dest, rel))
        except OSError:
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
        """The file stays as it is (it is ``intact``)."""
        assert self.old is not None
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
        if self.intact(rel) and self.old[rel][0] == digest:
            self.keep(rel)
            return
        target = self.staging / rel
        if target.parent not in self.folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self.folders.add(target.parent)
        if output.data is not None:
            target.write_bytes(output.data)
        else:
            shutil.copyfile(output.source, target)
        st = target.stat()
        self.bytes += st.st_size
        self.manifest[rel] = (digest, st.st_size, st.st_mtime_ns)
        self.staged.append(rel)
        self.written += 1
        self.count += 1

    def add_all(self, outputs: Iterable) -> None:
        for output in outputs:
            self.add(output)

    def commit(self) -> dict[str, tuple]:
        """Put the new site in place; returns the new manifest."""
        if not self.in_place:
            self._swap()
            return self.manifest
        for rel in self.staged:
            target = self.dest / rel
            try:
                os.replace(self.staging / rel, target)
            except FileNotFoundError:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(self.staging / rel, target)
            except IsADirectoryError:  # a folder in the old site is a file in the new one
                shutil.rmtree(target)
                os.replace(self.staging / rel, target)
        self._remove_stale()
        shutil.rmtree(self.staging, ignore_errors=True)
        return self.manifest

    def _swap(self) -> None:
        from elenefolio.write import swap_into_place

        swap_into_place(self.staging, self.dest)

    def _remove_stale(self) -> None:
        """Remove every file and folder of the output that this build did not make."""
        keep_dirs = {""}
        for rel in self.manifest:
            parts = rel.split("/")[:-1]
            for i in range(1, len(parts) + 1):
                keep_dirs.add("/".join(parts[:i]))
        for dirpath, dirnames, filenames in os.walk(self.dest, topdown=False):
            rel_dir = os.path.relpath(dirpath, self.dest).replace(os.sep, "/")
            rel_dir = "" if rel_dir == "." else rel_dir
            for name in filenames:
                rel = f"{rel_dir}/{name}" if rel_dir else name
                if rel not in self.manifest:
                    os.unlink(os.path.join(dirpath, name))
                    self.removed += 1
            for name in dirnames:
                rel = f"{rel_dir}/{name}" if rel_dir else name
                full = os.path.join(dirpath, name)
                if rel not in keep_dirs:
                    if os.path.islink(full):
                        os.unlink(full)
                    else:
                        shutil.rmtree(full, ignore_errors=True)

    def abort(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)
