"""``export --format zip``: the offline site (``build --offline``) in one zip file, to send
as an e-mail attachment or put on a USB stick; unzipped, its ``index.html`` opens in any
browser, from the file system.

The zip is the same for the same portfolio on the same day (or ``SOURCE_DATE_EPOCH``):
its files are in the order of their paths, all dated the build's day at midnight,
under one folder named like the file (``<name>-portfolio/``) so that unzipping it
makes one folder, not a heap of files.
"""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path
from typing import Any

SUFFIX = "-portfolio"


def default_name(site: Any) -> str:
    """``<author>-portfolio.zip`` (the author's name as a slug; ``portfolio.zip`` without one)."""
    from slugify import slugify

    name = slugify(site.config.author.name or "") if site is not None else ""
    return f"{name}{SUFFIX}.zip" if name else "portfolio.zip"


def build_offline(root: Path, folder: Path, private: bool = False, base_url: str | None = None):
    """Build the offline site of the portfolio at ``root`` into ``folder`` (a new folder),
    without its cache; returns (the build's result, its site). Raises BuildFailed."""
    from elenefolio.pipeline import BuildOptions, build

    made: list[Any] = []
    options = BuildOptions(
        root=root,
        output=folder,
        private=private,
        base_url=base_url,
        offline=True,
        incremental=False,
    )
    result = build(options, on_site=made.append)
    return result, (made[-1] if made else None)


def site_files(folder: Path) -> list[str]:
    """The files of a built site to zip, as posix paths in order: not the hidden ones (the
    build's own marks, such as the stamp that says elenefolio wrote the folder)."""
    found = []
    for path in folder.rglob("*"):
        rel = path.relative_to(folder)
        if path.is_file() and not any(part.startswith(".") for part in rel.parts):
            found.append(rel.as_posix())
    return sorted(found)


def write_site_zip(folder: Path, destination: Path, top: str) -> int:
    """Zip the site in ``folder`` into ``destination``, under the folder ``top``; returns
    the number of files."""
    from elenefolio.util import clock

    day = clock.today()
    stamp = (max(day.year, 1980), day.month, day.day, 0, 0, 0)
    files = site_files(folder)
    with zipfile.ZipFile(destination, "w", zipfile.ZIP_DEFLATED) as archive:
        for rel in files:
            info = zipfile.ZipInfo(f"{top}/{rel}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, (folder / rel).read_bytes())
    return len(files)


def export_zip(root: Path, output: Path | None, private: bool, base_url: str | None, write) -> tuple:
    """Build the offline site in a temporary folder and zip it to ``output`` (None: the
    default name in the current folder) through ``write(target, writer)``, which writes
    the file safely. Returns (the zip's path, its number of files, the build's warnings)."""
    with tempfile.TemporaryDirectory(prefix="elenefolio-zip-") as temporary:
        folder = Path(temporary) / "site"
        result, site = build_offline(root, folder, private=private, base_url=base_url)
        target = output if output is not None else Path(default_name(site))
        top = target.name.removesuffix(".zip") or "portfolio"
        counted: list[int] = []
        write(target, lambda tmp: counted.append(write_site_zip(folder, tmp, top)))
    return target, counted[0], result.warnings
