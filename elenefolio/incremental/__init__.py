"""The build cache: what the previous build read and wrote, for incremental builds.

It lives in ``.elenefolio-cache/`` in the portfolio (one sub-folder per
output folder and audience) and holds:

- ``hashes``: content hashes of input files, keyed by path, size and
  modification time (a file changed less than two seconds before it was
  hashed is hashed again next time, as its time stamp may not show a
  second change within the same tick);
- ``state``: the key of the last successful build: every input file's
  hash, the versions of elenefolio and its libraries, the options and the
  date; when it is unchanged and the output is as it was left, the build
  renders and writes nothing;
- ``items-0`` ... ``items-31``: loaded journal entries and artefacts (their
  bodies already rendered to HTML), keyed by the hash of their file and of
  everything loading them depends on, split by file name into buckets so
  that an edit rewrites one bucket, not the whole cache;
- ``pages-0`` ... ``pages-31``: what each page read while it rendered (see
  ``render.tracking``), to skip pages whose inputs did not change, split
  by address into buckets as the items are;
- ``manifest``: every output file with its hash, size and time stamp.

Each file is sealed with a secret of this user's (``seal``): a file this
user's elenefolio did not write is discarded before it is unpickled, and
anything else unreadable is ignored: the build is then a clean one. A cache
folder holding a link or anything but plain files and folders is removed
(a link could lead reads, writes and deletions outside the portfolio).

The rest of the incremental machinery lives beside it: the recorder of what a build
reads (``reads``), the sealing of cache files (``seal``) and what warm and incremental
builds add to the pipeline (``fastbuild``). The render and write stages keep their own
parts (``render.incremental``, ``write.incremental``), made of those stages' machinery.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import shutil
import stat
import sys
import time
from pathlib import Path
from typing import Any, Callable, Protocol

from elenefolio import __version__
from elenefolio.incremental import seal
from elenefolio.util.confine import inside


class Store(Protocol):
    """Where a build keeps what the next one reuses: ``BuildCache``, or the empty cache of a
    clean build that keeps nothing."""

    def get(self, name: str, default: Any = None) -> Any: ...

    def put(self, name: str, value: Any) -> None: ...

    def forget_unsealed(self) -> None: ...


CACHE_DIR = ".elenefolio-cache"
FORMAT = 8
RACY_SECONDS = 2.0
_PACKAGE = Path(__file__).resolve().parents[1]  # the elenefolio package


def file_digest(path: Path) -> str:
    h = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def text_digest(*parts: Any) -> str:
    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


class HashCache:
    """Content hashes of files, recomputed only when size or time stamp change."""

    def __init__(self, known: dict[str, tuple] | None = None):
        self.known = known or {}
        self.fresh: dict[str, tuple] = {}
        self.now = time.time()

    def digest(self, path: Path, st: os.stat_result | None = None) -> str:
        key = str(path)
        st = st or path.stat()
        old = self.known.get(key) or self.fresh.get(key) or SEEN.get(key)
        if old is not None and old[0] == st.st_size and old[1] == st.st_mtime_ns:
            self.fresh[key] = old
            return old[2]
        digest = file_digest(path)
        if self.now - st.st_mtime > RACY_SECONDS:  # time stamp old enough to be trusted
            self.fresh[key] = SEEN[key] = (st.st_size, st.st_mtime_ns, digest)
        return digest


# Every hash this process computed (size, time stamp, digest), for the next build in the same
# process: a cohort's worker hashes the package's files once, not once per portfolio.
SEEN: dict[str, tuple] = {}


# Hidden files that are inputs of the build all the same (written by elenefolio, committed)
HIDDEN_INPUTS = frozenset({os.path.join("badges", ".verification.json")})


def scan_tree(root: Path, skip: set[Path], hashes: HashCache) -> tuple[dict[str, str], list[str]]:
    """Every visible file below ``root`` (hashed), the ``HIDDEN_INPUTS``, and every visible folder.

    Symbolic links are known by where they lead, and a file behind a link leading
    outside ``root`` is never read (the build reports the link); linked folders are
    not walked (what they lead to inside ``root`` is scanned where it is)."""
    files: dict[str, str] = {}
    folders: list[str] = []
    skip_names = {str(p) for p in skip}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(
            d
            for d in dirnames
            if not d.startswith(".") and not d.endswith("~") and os.path.join(dirpath, d) not in skip_names
        )
        rel_dir = os.path.relpath(dirpath, root)
        folders.append(rel_dir)
        for name in dirnames:
            full = os.path.join(dirpath, name)
            if os.path.islink(full):  # a linked folder is known by where it leads
                with contextlib.suppress(OSError):  # (gone meanwhile)
                    folders.append(f"{os.path.join(rel_dir, name)} -> {os.readlink(full)}")
        for name in sorted(filenames):
            if (name.startswith(".") and os.path.join(rel_dir, name) not in HIDDEN_INPUTS) or name.endswith(
                "~"
            ):
                continue
            path = Path(dirpath, name)
            rel = os.path.normpath(os.path.join(rel_dir, name))
            try:
                if path.is_symlink() and inside(root, path) is None:
                    files[rel] = "-> " + os.readlink(path)
                    continue
                st = path.stat()
                # (a named pipe or a device would never end: known by its kind alone)
                files[rel] = hashes.digest(path, st) if stat.S_ISREG(st.st_mode) else "special"
            except OSError:  # vanished while scanning (an editor's temporary file)
                continue
    return files, folders


class InputWatch:
    """The input files as ``serve``'s watcher saw them change, so that a save hashes the files
    it changed instead of scanning the whole portfolio (about 0.2 s for 10,000 entries).

    The watcher calls ``changed`` with every path of every file event under the portfolio,
    and ``doubt`` for anything a list of changed files cannot describe (a folder created,
    removed or renamed, events lost). A build then calls ``scan``: a full scan (as
    ``scan_tree``) the first time, in doubt, when the portfolio has symbolic links (a link's
    content changes with a file the watcher names by its own path), every ``FULL_EVERY``
    builds, and whenever a file was added or removed (the list of files is then ordered as a
    scan orders it); otherwise the last scan with the changed files hashed again.
    """

    FULL_EVERY = 50

    def __init__(self) -> None:
        import threading

        self.lock = threading.Lock()
        self.paths: set[str] = set()  # changed since the last scan (absolute)
        self.unsure = True  # the next scan is a full one
        self.files: dict[str, str] = {}
        self.folders: list[str] = []
        self.partial = 0  # scans since the last full one
        self.full_scans = 0

    def changed(self, path: str) -> None:
        with self.lock:
            self.paths.add(path)

    def doubt(self) -> None:
        with self.lock:
            self.unsure = True

    def scan(self, root: Path, skip: set[Path], hashes: HashCache) -> tuple[dict[str, str], list[str]]:
        """What ``scan_tree(root, skip, hashes)`` would find now."""
        with self.lock:
            paths, self.paths = self.paths, set()
            unsure, self.unsure = self.unsure, False
        files = None
        if not unsure and self.partial < self.FULL_EVERY:
            files = self._update(root, skip, hashes, paths)
        if files is None:
            files, self.folders = scan_tree(root, skip, hashes)
            self.partial = 0
            self.full_scans += 1
            if any(digest.startswith("-> ") for digest in files.values()) or any(
                " -> " in folder for folder in self.folders
            ):
                self.unsure = True  # links: every build scans
        else:
            self.partial += 1
        self.files = files
        return dict(files), list(self.folders)

    def _update(self, root: Path, skip: set[Path], hashes: HashCache, paths: set[str]) -> dict | None:
        """The last scan with ``paths`` hashed again; None when a full scan is needed."""
        files = dict(self.files)
        if not files:
            return None
        fresh, known, base = hashes.fresh, hashes.known, str(root)
        for rel in files:  # the hashes a scan would have kept
            key = os.path.join(base, rel)
            if key not in paths:
                entry = known.get(key)
                if entry is not None:
                    fresh[key] = entry
        skipped = [str(p) for p in skip]
        for path in sorted(paths):
            if path == str(root) or not path.startswith(str(root) + os.sep):
                continue  # outside the portfolio (the theme, the frameworks: not scanned)
            if any(path == s or path.startswith(s + os.sep) for s in skipped):
                continue
            rel = os.path.relpath(path, root)
            parts = rel.split(os.sep)
            if any(p.startswith(".") or p.endswith("~") for p in parts[:-1]):
                continue  # in a folder the scan does not enter
            name = parts[-1]
            if (name.startswith(".") and rel not in HIDDEN_INPUTS) or name.endswith("~"):
                continue  # a file the scan leaves out
            try:
                st = os.lstat(path)
            except FileNotFoundError:
                if rel in files:
                    return None  # removed: a full scan
                continue
            except OSError:
                return None
            if not stat.S_ISREG(st.st_mode) or rel not in files:
                return None  # a link, a folder, something special, or a new file
            try:  # hashed whatever its time stamp says (two saves may fall in one tick)
                files[rel] = digest = file_digest(Path(path))
            except OSError:
                return None
            if hashes.now - st.st_mtime > RACY_SECONDS:
                fresh[path] = (st.st_size, st.st_mtime_ns, digest)
            else:
                fresh.pop(path, None)
        return files


def file_stamp(path: str | Path) -> tuple[int, int, int] | None:
    """A file's size, time stamp and inode (a file written anew has another), or None
    when it cannot be read."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns, st.st_ino


def package_digest(hashes: HashCache) -> str:
    """Every file of elenefolio as it runs: its code, templates, translation catalogs,
    frameworks and built-in themes (edit one, in a checkout or an installed copy, and no
    cached page or item is trusted), with the version of Python."""
    parts: list[Any] = [__version__, sys.version_info[:2]]
    # the themes as render.theme.builtin_themes_dir finds them, without importing the render stage
    themes = next(
        (
            c
            for c in (_PACKAGE / "themes", _PACKAGE.parent / "themes")
            if (c / "default" / "templates").is_dir()
        ),
        _PACKAGE / "themes",
    )
    for folder in dict.fromkeys((_PACKAGE, themes)):
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__" and not d.startswith("."))
            for name in sorted(filenames):
                if not name.startswith(".") and not name.endswith(("~", ".pyc")):
                    path = Path(dirpath, name)
                    with contextlib.suppress(OSError):
                        parts.append((path.relative_to(folder).as_posix(), hashes.digest(path)))
    return text_digest(*parts)


PLUGIN_GROUP = "elenefolio.plugins"


def installed(cache: Store | None = None) -> tuple[str, tuple]:
    """The digest of the versions of every library elenefolio runs with, and the plugins
    installed (entry points of the group ``elenefolio.plugins``: name, value).

    The libraries are elenefolio's runtime requirements and theirs, as ``importlib.metadata``
    tells (every installed distribution when elenefolio itself is not installed), and the
    distributions of the plugins. Reading the metadata takes tens of milliseconds: the answer
    is kept in ``cache`` while no folder of the import path changed (installing, upgrading
    or removing a package changes its folder)."""
    stamps = []
    for entry in sys.path:
        with contextlib.suppress(OSError):
            stamps.append((entry, os.stat(entry or ".").st_mtime_ns))
    known = cache.get("libraries") if cache is not None else None
    if known is None or known[0] != stamps:
        known = _INSTALLED.get("known")  # (a process that builds many portfolios: cohorts)
    if known is not None and known[0] == stamps:
        if cache is not None and cache.get("libraries") != known:
            cache.put("libraries", known)
        return known[1], known[2]
    versions, plugins = _installed()
    digest = text_digest(versions)
    _INSTALLED["known"] = (stamps, digest, plugins)
    if cache is not None:
        cache.put("libraries", (stamps, digest, plugins))
    return digest, plugins


_INSTALLED: dict[str, tuple] = {}  # the last answer of installed() in this process


def _installed() -> tuple[list, tuple]:
    import re
    from importlib import metadata

    def name_of(requirement: str) -> str | None:
        if ";" in requirement and "extra" in requirement.split(";", 1)[1]:
            return None  # an optional extra (tests, benchmarks)
        found = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
        return found.group(0) if found else None

    def normal(name: str) -> str:
        return re.sub(r"[-_.]+", "-", name).lower()

    points = metadata.entry_points(group=PLUGIN_GROUP)
    plugins = tuple(sorted((p.name, p.value) for p in points))
    try:
        pending = ["elenefolio"] + [p.dist.name for p in points if p.dist is not None]
        metadata.distribution("elenefolio")
    except metadata.PackageNotFoundError:  # run from a copy: every installed distribution counts
        pending = sorted({d.metadata["Name"] or "" for d in metadata.distributions()})
    seen: dict[str, str | None] = {}
    while pending:
        name = normal(pending.pop())
        if name in seen:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            seen[name] = None
            continue
        seen[name] = dist.version
        pending.extend(n for n in map(name_of, dist.requires or []) if n)
    return sorted(seen.items()), plugins


# The values this process last wrote or read, by name, with the stamp of the file they were
# written to or read from: a long-running process (serve) reads them back without unpickling them.
# A later build only reads them (the writer refreshes, in the manifest it reads, the time
# stamps of output files that it finds touched but unchanged: still true of those files).
_REMEMBERED: dict[str, tuple[tuple, Any]] = {}


class BuildCache:
    """The cache of one output folder for one audience."""

    def __init__(self, root: Path, destination: Path, flavour: str):
        self.root = root
        self.folder = checked_cache_folder(root) / text_digest(str(destination), flavour)[:12]
        self.data: dict[str, Any] = {}

    def _file(self, name: str) -> Path:
        return self.folder / f"{name}.cache"

    def get(self, name: str, default: Any = None) -> Any:
        if name not in self.data:
            path = self._file(name)
            try:
                remembered = _REMEMBERED.get(name)
                stamp = (str(path), file_stamp(path))
                if remembered is not None and remembered[0] == stamp:
                    self.data[name] = remembered[1]
                else:
                    payload = seal.read(path, name)
                    stored = pickle.loads(payload) if payload is not None else (None, default)
                    self.data[name] = stored[1] if stored[0] == (FORMAT, __version__) else default
                    if payload is not None and stamp == (str(path), file_stamp(path)):
                        _REMEMBERED[name] = (stamp, self.data[name])  # (unchanged while read)
            except Exception:  # missing or unreadable: start afresh
                self.data[name] = default
        return self.data[name]

    def put(self, name: str, value: Any) -> None:
        self.data[name] = value
        self.folder.mkdir(parents=True, exist_ok=True)
        _ignore_cache_in_git(self.root / CACHE_DIR)
        path = self._file(name)
        seal.write(path, name, pickle.dumps(((FORMAT, __version__), value), pickle.HIGHEST_PROTOCOL))
        _REMEMBERED[name] = ((str(path), file_stamp(path)), value)

    def forget_unsealed(self) -> None:
        """Delete the files of earlier versions, which were not sealed."""
        for pattern in ("*.pickle", "templates/__jinja2_*.cache", "pages.cache"):
            for path in self.folder.glob(pattern):
                path.unlink(missing_ok=True)


def checked_cache_folder(root: Path) -> Path:
    """The portfolio's cache folder, removed first when it holds a link or anything but
    plain files and folders (from a copied portfolio: no build makes them)."""
    folder = root / CACHE_DIR
    if not _plain_tree(folder):
        seal.discard()
        if folder.is_symlink() or not folder.is_dir():
            folder.unlink(missing_ok=True)  # a link itself, never what it leads to
        else:
            shutil.rmtree(folder, ignore_errors=True)  # (it does not follow links)
    return folder


def _plain_tree(folder: Path) -> bool:
    try:
        mode = os.lstat(folder).st_mode
    except FileNotFoundError:
        return True
    if not stat.S_ISDIR(mode):
        return False
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_symlink() or not (entry.is_file() or entry.is_dir()):
                    return False
                if entry.is_dir() and not _plain_tree(Path(entry.path)):
                    return False
    except OSError:
        return False
    return True


def _ignore_cache_in_git(folder: Path) -> None:
    """The cache folder ignores itself, whatever the portfolio's .gitignore says."""
    marker = folder / ".gitignore"
    if not marker.exists():
        folder.mkdir(parents=True, exist_ok=True)
        marker.write_text("# elenefolio's build cache: safe to delete\n*\n")


ITEM_BUCKETS = 32  # files the item cache is split into (10,000 entries: about 2 MB each)


def _item_bucket(rel: str) -> int:
    """The bucket of an item's file: the same in every build."""
    import zlib

    return zlib.crc32(rel.encode("utf-8", "surrogatepass")) % ITEM_BUCKETS


class ItemCache:
    """Loaded items keyed by the hash of their file and of their context."""

    @classmethod
    def read(cls, cache: Store, file_hashes: dict[str, str], context: str, root: Path) -> "ItemCache":
        """The items kept by ``cache``, from all its buckets."""
        stored: dict[str, tuple] = {}
        for bucket in range(ITEM_BUCKETS):
            stored.update(cache.get(f"items-{bucket}") or {})
        return cls(stored, file_hashes, context, root)

    def write(self, cache: Store) -> None:
        """Keep this build's items in ``cache``, rewriting only the buckets that changed."""

        def split(entries: dict[str, tuple], only: set[int]) -> list[dict[str, tuple]]:
            buckets: list[dict[str, tuple]] = [{} for _ in range(ITEM_BUCKETS)]
            if only:
                for rel, entry in entries.items():
                    bucket = _item_bucket(rel)
                    if bucket in only:
                        buckets[bucket][rel] = entry
            return buckets

        fresh, original = self.fresh, self.original
        # the buckets of the entries that are not the very ones read (the others are the same)
        touched = {_item_bucket(rel) for rel in fresh.keys() ^ original.keys()}
        touched.update(_item_bucket(rel) for rel, entry in fresh.items() if original.get(rel) is not entry)
        written = False
        for bucket, (new, old) in enumerate(zip(split(fresh, touched), split(original, touched))):
            if bucket in touched and new != old:
                cache.put(f"items-{bucket}", new)
                written = True
        if written:
            cache.forget_unsealed()

    def __init__(self, stored: dict | None, file_hashes: dict[str, str], context: str, root: Path):
        self.stored = stored or {}
        self.original = dict(self.stored)  # as read from the cache (prefetching adds to stored)
        self.fresh: dict[str, tuple] = {}
        self.file_hashes = file_hashes
        self.base = context  # the code, options and list of files
        self.context = context  # with what loading read before the items (set by the pipeline)
        self.root = root
        self.loaded = 0
        self.reused = 0
        self.body_only: set[str] = set()  # files of items of which only the body changed

    def wrap(self, loader: Callable) -> Callable:
        """``loader`` with the same arguments, answered from the cache when it can."""
        from elenefolio.problems import Problems

        def cached(path: Path, root: Path, config, framework, problems):
            rel = os.path.relpath(path, self.root)
            digest = self.file_hashes.get(rel)
            old = self.stored.get(rel)
            if old is not None and self._current(rel, config):
                item, found = pickle.loads(old[2]), old[3]
                problems.extend(found)
                self.fresh[rel] = old
                self.reused += 1
                return item
            local = Problems(problems.root)
            item = loader(path, root, config, framework, local)
            problems.extend(local.items)
            self.loaded += 1
            if (
                item is not None
                and old is not None
                and old[1] == self._context(config)
                and front_matter(pickle.loads(old[2])) == front_matter(item)
            ):
                self.body_only.add(rel)
            if item is not None and digest is not None:
                self.fresh[rel] = self._entry(digest, item, local, config)
            return item

        return cached

    def _entry(self, digest: str, item, local, config) -> tuple:
        """The cache entry of a freshly loaded item."""
        return (digest, self._context(config), pickle.dumps(item, pickle.HIGHEST_PROTOCOL), list(local.items))

    def _context(self, config) -> str:
        """The context of an item: the build's, and the settings its body was parsed with
        (``allow_html``, ``math`` in portfolio.yaml)."""
        return f"{self.context}:{config.allow_html:d}{config.math:d}"

    def prefetch(self, work: list[tuple[Path, Callable]], root: Path, config, framework, jobs: int) -> None:
        """Load the items of ``work`` (path, loader) that are not cached in ``jobs``
        processes, when there are enough of them to gain from it (a cold build): the
        workers load them and send back their cache entries, and the loaders wrapped by
        ``wrap`` then find them in the cache."""
        global _PREFETCH
        misses = [
            (path, loader)
            for path, loader in work
            if not self._current(os.path.relpath(path, self.root), config)
        ]
        if jobs < 2 or len(misses) < PREFETCH_FROM:
            return
        import multiprocessing

        chunk = max(16, len(misses) // (jobs * 8))
        chunks = [misses[i : i + chunk] for i in range(0, len(misses), chunk)]
        _PREFETCH = (self, root, config, framework)
        try:
            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                for results in pool.imap_unordered(_prefetch_chunk, chunks):
                    for rel, entry in results:
                        self.stored[rel] = entry
                        self.loaded += 1  # loaded in this build: the cache is written again
        finally:
            _PREFETCH = ()

    def _current(self, rel: str, config) -> bool:
        """The cache holds the item of this file as it is now, in this context."""
        digest, old = self.file_hashes.get(rel), self.stored.get(rel)
        return digest is not None and old is not None and old[0] == digest and old[1] == self._context(config)


_PREFETCH: tuple = ()  # (item cache, root, config, framework) while prefetching
PREFETCH_FROM = 200  # items not cached: fewer are loaded in this process (forking costs more)


def _prefetch_chunk(chunk: list[tuple[Path, Callable]]) -> list[tuple]:
    """In a worker process: load items; (file, cache entry) each.
    Items that fail to load are left out: the build loads them again and reports why."""
    from elenefolio.problems import Problems

    cache, root, config, framework = _PREFETCH
    done = []
    for path, loader in chunk:
        local = Problems(root)
        item = loader(path, root, config, framework, local)
        rel = os.path.relpath(path, cache.root)
        digest = cache.file_hashes.get(rel)
        if item is None or local.errors or digest is None:
            continue
        done.append((rel, cache._entry(digest, item, local, config)))
    return done


def changed_files(before: dict[str, str], now: dict[str, str]) -> set[str] | None:
    """The files whose hash changed from ``before`` to ``now``; None when files were
    added, removed or renamed."""
    if before.keys() != now.keys():
        return None
    return {rel for rel, digest in now.items() if before[rel] != digest}


def front_matter(item) -> tuple:
    """What other pages may see of an item besides its body's text: every field but the
    body, and the body's first line and outgoing links."""
    import dataclasses

    fields = tuple((f.name, getattr(item, f.name)) for f in dataclasses.fields(item) if f.name != "body")
    return type(item), fields, item.body.references, item.body.line
