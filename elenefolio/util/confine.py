"""Confinement: nothing from outside the portfolio folder gets in.

Every reader of the portfolio's files goes through ``confined`` (one named file) or
``walk_files`` (a folder): a symbolic link whose target lies outside the portfolio is
reported at the link's own path and never followed, so nothing from outside gets in.
Links that stay inside keep working. (No imports beyond the standard library: the
incremental build's first scan uses it before anything else is loaded.)
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from elenefolio.problems import Problems

OUTSIDE_LINK = "symbolic link leads outside the portfolio"
LINK_LOOP = "symbolic link makes a loop: it leads to a folder that holds it"


def inside(root: Path, candidate: Path) -> Path | None:
    """The resolved ``candidate`` if it lies inside ``root`` (symlinks followed), else None."""
    try:
        resolved = candidate.resolve()
        resolved.relative_to(root.resolve())
    except (ValueError, OSError, RuntimeError):
        return None
    return resolved


def escaping_link(root: Path, path: Path) -> Path | None:
    """The symbolic link through which ``path`` (written below the resolved ``root``) leads
    outside ``root``: ``path`` itself or a folder on the way; None when it stays inside."""
    if inside(root, path) is not None:
        return None
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return path
    current = root
    for part in parts:
        current = current / part
        if current.is_symlink() and inside(root, current) is None:
            return current
    return path


def confined(root: Path, path: Path, problems: Problems | None = None) -> bool:
    """True when reading ``path`` stays inside ``root``; otherwise the link that leads
    outside is reported (when ``problems`` is given) and the file must not be read."""
    link = escaping_link(root, path)
    if link is None:
        return True
    if problems is not None:
        problems.error(link, 1, OUTSIDE_LINK)
    return False


def walk_files(root: Path, folder: Path, problems: Problems | None = None, suffix: str = "") -> list[Path]:
    """The visible files below ``folder`` (names ending with ``suffix``), sorted.

    A symbolic link leading outside ``root`` is reported and skipped (other files are
    not looked at: they are read only when something refers to them, which checks
    them), and so is a link to a folder that holds it (it would make the walk
    endless); other linked folders are walked like real ones.
    """
    if not folder.is_dir() or not confined(root, folder, problems):
        return []
    found: list[Path] = []
    _walk(root, folder, [folder.resolve()], problems, suffix, found)
    return sorted(found)


def _walk(
    root: Path, folder: Path, holding: list[Path], problems: Problems | None, suffix: str, found: list[Path]
) -> None:
    """Add the files of ``folder`` to ``found``; ``holding`` are the real folders being
    walked, from the first one down to ``folder``."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if (
            entry.name.startswith(".")
            or entry.name.endswith("~")
            or not (entry.name.endswith(suffix) or entry.is_dir())
        ):
            continue
        path = folder / entry.name
        real = None
        if entry.is_symlink():
            real = inside(root, path)
            if real is None:
                if problems is not None:
                    problems.error(path, 1, OUTSIDE_LINK)
                continue
        if entry.is_dir():
            real = real or path.resolve()
            if any(h.is_relative_to(real) for h in holding):
                if problems is not None:
                    problems.error(path, 1, LINK_LOOP)
                continue
            _walk(root, path, [*holding, real], problems, suffix, found)
        elif entry.is_file() and entry.name.endswith(suffix):
            found.append(path)
