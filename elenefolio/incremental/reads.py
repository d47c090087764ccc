"""The recorder: every file a build reads is a dependency of what it makes.

Each reader of a portfolio or package file (YAML and Markdown sources, translation
catalogs, frameworks, theme files, hook files) calls ``record(path)`` (or reads
through ``read_bytes``) while a build's ``Reads`` is active. The recorder notes the
file's content hash, and the build keys what it reuses on what was recorded, as
Lektor's ``record_dependency`` does, instead of on a hand-kept list of inputs.

Reads are in one of two scopes:

- *environment*: files that shape every page or every loaded item without going
  through the site model (``portfolio.yaml``, the framework and ``skills.yaml``,
  the translation catalogs of the portfolio and of the package, hook files). Their
  digest is part of the key of each cached item and of each page: change one and
  every item is loaded and every page checked again.
- *model*: files whose content reaches pages only through the site model (journal
  entries, artefacts, ``about.md``, badges, rounds, the agenda). A page reads the
  model through the tracked template lookups (``render/tracking.py``), so an edit
  renders only the pages that show what changed. Reads in ``model()`` are recorded
  by name only and kept out of the environment digest: the scan of the portfolio has
  hashed them already, and the item cache and the page lookups key on them.

Templates are read while a page renders and are recorded per page (the state of each
template a page loaded, ``render/incremental.py``). Every read is also confined:
``read_bytes`` refuses a file behind a link that leads outside the portfolio.
"""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path
from typing import Iterator

_active: "Reads | None" = None


class Reads:
    """The files one build read, with their content hashes."""

    def __init__(self, hashes=None):
        self.hashes = hashes  # incremental.HashCache: no file is hashed twice
        self.environment: dict[str, str | None] = {}
        self.model: set[str] = set()  # (their hashes are the scan's: they key nothing here)
        self._depth = 0  # inside model(): reads of the site model's sources

    def record(self, path: str | Path) -> None:
        key = str(path)
        if self._depth:
            self.model.add(key)
        elif key not in self.environment:
            self.environment[key] = self._digest(Path(key))

    def _digest(self, path: Path) -> str | None:
        try:
            if self.hashes is not None:
                return self.hashes.digest(path)
            with open(path, "rb") as handle:
                return hashlib.file_digest(handle, "blake2b").hexdigest()
        except OSError:  # missing: that is a state too
            return None

    def environment_digest(self) -> str:
        """The digest of every environment read so far (see the module's docstring)."""
        return hashlib.blake2b(
            repr(sorted(self.environment.items())).encode("utf-8", "surrogatepass"), digest_size=16
        ).hexdigest()

    @contextlib.contextmanager
    def model_scope(self) -> Iterator[None]:
        self._depth += 1
        try:
            yield
        finally:
            self._depth -= 1

    @contextlib.contextmanager
    def active(self) -> Iterator["Reads"]:
        global _active
        before, _active = _active, self
        try:
            yield self
        finally:
            _active = before


def record(path: str | Path) -> None:
    """Note that the running build read ``path`` (nothing when no build records)."""
    if _active is not None:
        _active.record(path)


@contextlib.contextmanager
def model() -> Iterator[None]:
    """Reads of sources that reach pages only through the site model."""
    if _active is None:
        yield
        return
    with _active.model_scope():
        yield


def current() -> "Reads | None":
    return _active


def read_bytes(path: Path, root: Path | None = None, limit: int | None = None) -> bytes:
    """The bytes of ``path``, recorded; with ``root``, a file behind a link that leads
    outside it raises ``PermissionError`` (``confine``) instead of being read."""
    if root is not None:
        from elenefolio.util.confine import inside

        if inside(root, path) is None:
            raise PermissionError(f"{path} leads outside {root}")
    record(path)
    with open(path, "rb") as handle:
        return handle.read(limit) if limit is not None else handle.read()
