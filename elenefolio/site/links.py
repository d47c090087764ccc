"""Resolving what Markdown bodies and media point to into site addresses."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from elenefolio.model import Body
from elenefolio.problems import Problems, shown
from elenefolio.site.views import Asset, ItemView


class Resolver:
    """Maps source files to the addresses they get in this build."""

    def __init__(self, root: Path, views: dict[Path, ItemView], all_sources: set[Path],
                 problems: Problems, private_build: bool):
        self.root = root
        self.static = root / "static"
        self.views = views  # published items by their source path
        self.all_sources = all_sources  # every journal/artefact file, published or not
        self.problems = problems
        self.private_build = private_build
        self.assets: dict[str, Asset] = {}

    def file_url(self, path: Path, folder: Path, folder_url: str, source: Path, line: int,
                 what: str) -> str | None:
        """The address of a local file: copied beside its page, or from ``static/``."""
        for base, base_url in ((self.static, ""), (folder, folder_url)):
            try:
                rel = path.relative_to(base.resolve()).as_posix()
            except ValueError:
                continue
            url = base_url + rel
            if base != self.static:
                self.assets.setdefault(url, Asset(path, url, (source, line, f"{what} '{path.name}'")))
            return url
        self.problems.error(source, line, f"{what} '{shown(path.name)}' must be in the same folder as "
                                          "this file (or below it), or in static/")
        return None

    def body_links(self, body: Body, source: Path, page_url: str) -> dict[str, str]:
        """Map each local target of a body to its site address ('' when unpublished)."""
        links: dict[str, str] = {}
        folder = source.parent.resolve()
        for ref in body.references:
            if ref.target.startswith("/") and not ref.target.startswith("//"):
                links[ref.target] = ref.target.lstrip("/")
                continue
            if ref.path is None:
                continue
            if ref.path.suffix.lower() == ".md":
                links[ref.target] = self._item_link(ref, source)
                continue
            url = self.file_url(ref.path, folder, page_url, source, ref.line,
                                "image" if ref.kind == "image" else "file")
            if url is not None:
                links[ref.target] = quote_url(url)
        return links

    def _item_link(self, ref, source: Path) -> str:
        target = self.views.get(ref.path)
        if target is not None:
            fragment = f"#{ref.fragment}" if ref.fragment else ""
            return target.url + fragment
        if ref.path not in self.all_sources:
            self.problems.error(source, ref.line, f"link to '{shown(ref.target)}', which is not a "
                                                  "journal entry or an artefact")
        elif not self.private_build:
            self.problems.warning(source, ref.line, f"link to '{shown(ref.target)}', which is not "
                                                    "published (private or draft): it is shown "
                                                    "as plain text")
        return ""


def quote_url(url: str) -> str:
    return quote(url, safe="/:@!$&'()*+,;=-._~%#")
