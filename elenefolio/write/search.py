"""The search index: a static full-text index of the public pages, built with Pagefind.

Pagefind (its PyPI package ships the binary) writes a compressed, chunked
index and a small WebAssembly search client into ``pagefind/``: the
``/search/`` page loads only the chunks a query needs, so search works on
any static host, with no server code and no request to another site.

Only the pages the render stage marks as searchable are given to Pagefind,
one by one, with their final address: a page that is not handed over cannot
be indexed, whatever its templates contain. The site stage marks listed
journal entries, artefacts and skill pages, and the home page — never an
unlisted page, the 404 page, nor anything private or draft (those have no
page in a public build at all).

The index is written into the new output folder before the atomic swap, so
a failed indexing fails the build and leaves the previous site in place.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

INDEX_FOLDER = "pagefind"
# Within a searchable page's <main data-pagefind-body>, what is not the page's own words:
# navigation, dates and kinds, download labels of players, and on skill pages the lists of
# evidence (each item is found on its own page).
EXCLUDED = (".site-nav", ".pager", ".breadcrumb", ".meta", ".home-section", ".skip-link", "nav",
            "video", "audio", ".media-fallback", ".skill-summary", ".skill-section")
# Files of Pagefind's bundle that the theme's own search page does not use (its ready-made UIs).
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")


class SearchIndexError(Exception):
    """Pagefind is missing or failed; the message is one line."""


class SearchIndex:
    """Collects searchable pages while they are written, then indexes them at once."""

    def __init__(self) -> None:
        self.pages: list[tuple[str, bytes]] = []  # (site-root relative address, HTML)

    def add(self, url: str, html: bytes) -> None:
        self.pages.append((url, html))

    def write(self, site_folder: Path) -> int:
        """Write the index into ``site_folder/pagefind/``; returns how many files it wrote.

        The searchable pages are copied into a staging folder of their own and
        Pagefind indexes that folder: nothing else of the site is in its reach.
        """
        try:
            from pagefind.service import get_executable
        except ImportError as exc:  # pragma: no cover - pagefind is a dependency
            raise SearchIndexError(f"the search index needs the 'pagefind[bin]' package ({exc})") from exc
        executable = get_executable()
        if executable is None:
            raise SearchIndexError("the search index needs Pagefind's binary: "
                                   "pip install 'pagefind[bin]'")
        output = site_folder / INDEX_FOLDER
        with tempfile.TemporaryDirectory(prefix=".search-", dir=site_folder.parent) as staging:
            for url, html in self.pages:
                page = Path(staging, url, "index.html")
                page.parent.mkdir(parents=True, exist_ok=True)
                page.write_bytes(html)
            command = [str(executable), "--site", staging, "--output-path", str(output),
                       "--exclude-selectors", ", ".join(EXCLUDED), "--silent"]
            try:
                run = subprocess.run(command, capture_output=True, text=True, timeout=300,
                                     stdin=subprocess.DEVNULL)
            except (OSError, subprocess.SubprocessError) as exc:
                raise SearchIndexError(f"could not run Pagefind for the search index: {exc}") from exc
        if run.returncode != 0 or not (output / "pagefind.js").is_file():
            detail = " ".join((run.stderr or run.stdout).split())[:300] or f"exit code {run.returncode}"
            raise SearchIndexError(f"building the search index failed: {detail}")
        for name in UNUSED:
            (output / name).unlink(missing_ok=True)
        return sum(1 for path in output.rglob("*") if path.is_file())
