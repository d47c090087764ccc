"""Write stage: outputs → the output folder, atomically.

Everything is written into a fresh sibling folder; only when the whole
site is there does it replace the previous output, in two renames. A
failed build leaves the previous output untouched.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:  # the render stage (and Jinja2) is not needed to check or swap folders
    from elenefolio.render import Output


class UnsafeOutput(Exception):
    """The output folder would overwrite something that is not a site."""


def check_output_folder(dest: Path, root: Path) -> None:
    """Refuse output folders that would destroy the portfolio or unrelated files."""
    dest, root = dest.resolve(), root.resolve()
    if dest == root or dest in root.parents:
        raise UnsafeOutput(f"the output folder {dest} contains the portfolio itself; "
                           "choose another folder (the default is _site)")
    for name in ("journal", "artefacts", "static", "assessments", "badges", "templates", "themes"):
        if dest == root / name:
            raise UnsafeOutput(f"the output folder cannot be the portfolio's {name}/ folder")
    if dest.exists() and not dest.is_dir():
        raise UnsafeOutput(f"{dest} exists and is not a folder")
    if dest.is_dir() and any(dest.iterdir()):
        if (dest / "portfolio.yaml").exists() or not (dest / "index.html").exists():
            raise UnsafeOutput(f"{dest} is not empty and does not look like a built site; "
                               "choose an empty or new folder")


def swap_into_place(new: Path, dest: Path) -> None:
    """Put the complete new site folder ``new`` where ``dest`` is, in two renames."""
    os.chmod(new, 0o755)
    old = None
    if dest.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{dest.name}.old-", dir=dest.parent))
        os.rename(dest, old / "site")
    os.rename(new, dest)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


class SiteWriter:
    """Collects the files of a new site, then swaps it in place of the old one."""

    def __init__(self, dest: Path):
        self.dest = dest.resolve()
        self.dest.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = Path(tempfile.mkdtemp(prefix=f".{self.dest.name}.new-", dir=self.dest.parent))
        self.count = 0
        self.bytes = 0

    def add(self, output: Output) -> None:
        target = self.tmp / output.path
        target.parent.mkdir(parents=True, exist_ok=True)
        if output.data is not None:
            target.write_bytes(output.data)
            self.bytes += len(output.data)
        elif output.source is not None:
            shutil.copyfile(output.source, target)
            self.bytes += target.stat().st_size
        self.count += 1

    def add_all(self, outputs: Iterable[Output]) -> None:
        for output in outputs:
            self.add(output)

    def commit(self) -> None:
        """Replace the previous output with the new one."""
        swap_into_place(self.tmp, self.dest)

    def abort(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)
