"""What the render stage makes: the files of the site, one by one."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class Output:
    """One file of the site: ``data`` to write, or ``source`` to copy."""

    path: str  # relative to the output folder, posix
    data: bytes | None = None
    source: Path | None = None
    unchanged: bool = False  # an incremental build found it as the last build left it
    searchable: bool = False  # a page for the search index
