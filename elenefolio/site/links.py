"""Resolving what Markdown bodies and media point to into site addresses.

A file is published only when a published item (or the about page, or the profile
photo) names it, and never when it belongs to an item that is not published in this
build (a private artefact's folder or media) or to a part of the portfolio that is
never published as it is (the outputs, the cache, hidden files, self-assessments,
badge files with their baked data, the settings). The passport prints only these files.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from elenefolio.model import Artefact, Body, Item
from elenefolio.problems import Problems, shown
from elenefolio.site.views import Asset, ItemView
from elenefolio.util.images import published_name

# Parts of the portfolio never copied into a site as they are (the site shows what it
# should of them: badges without their baked data, self-assessment as charts).
NEVER_PUBLISHED = frozenset(
    {
        "_site",
        "_private",
        "_offline",
        "_offline-private",
        "assessments",
        "badges",
        "portfolio.yaml",
        "agenda.yaml",
    }
)


def owners(root: Path, items: list[Item]) -> dict[Path, Item]:
    """The artefact each artefact folder and media file belongs to; the first of ``items``
    wins when several name the same media file (give the published ones first)."""
    owned: dict[Path, Item] = {}
    artefacts = (root / "artefacts").resolve()
    for item in items:
        if not isinstance(item, Artefact):
            continue
        source = item.path.resolve()
        if source.name == "index.md" and source.parent.parent == artefacts:
            owned[source.parent] = item
        for media in item.media:
            for path in (
                media.path,
                media.poster_path,
                media.transcript_path,
                *(vtt for _lang, vtt in media.captions),
            ):
                if path is not None:
                    owned.setdefault(path.resolve(), item)
    return owned


class Resolver:
    """Maps source files to the addresses they get in this build."""

    def __init__(
        self,
        root: Path,
        views: dict[Path, ItemView],
        all_sources: set[Path],
        problems: Problems,
        private_build: bool,
        owners: dict[Path, Item],
    ):
        self.root = root.resolve()
        self.static = root / "static"
        self.views = views  # published items by their source path
        self.all_sources = all_sources  # every journal/artefact file, published or not
        self.problems = problems
        self.private_build = private_build
        self.owners = owners
        self.assets: dict[str, Asset] = {}

    def file_url(
        self, path: Path, folder: Path, folder_url: str, source: Path, line: int, what: str
    ) -> str | None:
        """The address of a local file: copied beside its page, or from ``static/``;
        '' for a file that is not published (with a warning), None after an error."""
        for base, base_url in ((self.static, ""), (folder, folder_url)):
            try:
                rel = path.relative_to(base.resolve()).as_posix()
            except ValueError:
                continue
            why = self.unpublished(path)
            if why:
                rel_path = path.resolve().relative_to(self.root).as_posix()
                self.problems.warning(source, line, f"{what} '{shown(rel_path)}' {why}: it is left out")
                return ""
            url = base_url + published_name(rel)  # a HEIC photo is published as a JPEG file
            if base != self.static:
                known = self.assets.get(url)
                if known is not None and known.source.resolve() != path.resolve():
                    self.problems.error(
                        source,
                        line,
                        f"{what} '{shown(path.name)}' and '{shown(known.source.name)}' would both be "
                        f"published as '{shown(url.rsplit('/', 1)[-1])}' (a HEIC photo is published as a "
                        "JPEG file); rename one of them",
                    )
                    return None
                self.assets.setdefault(url, Asset(path, url, (source, line, f"{what} '{path.name}'")))
            return url
        self.problems.error(
            source,
            line,
            f"{what} '{shown(path.name)}' must be in the same folder as "
            "this file (or below it), or in static/",
        )
        return None

    def unpublished(self, path: Path) -> str:
        """Why the file at ``path`` is not published in this build ('' when it may be)."""
        path = path.resolve()
        try:
            parts = path.relative_to(self.root).parts
        except ValueError:
            return ""  # outside: the load stage has reported it
        if parts[:1] and parts[0] in NEVER_PUBLISHED or any(p.startswith(".") for p in parts):
            return "is never published"
        owner = next((self.owners[p] for p in (path, *path.parents) if p in self.owners), None)
        if owner is not None and owner.path not in self.views:
            return (
                f"belongs to '{owner.path.resolve().relative_to(self.root).as_posix()}', "
                "which is not published"
            )
        return ""

    def body_links(self, body: Body, source: Path, page_url: str) -> dict[str, str]:
        """Map each local target of a body to its site address ('' when unpublished)."""
        links: dict[str, str] = {}
        folder = source.parent.resolve()
        for ref in body.references:
            if ref.target.startswith("/") and not ref.target.startswith("//"):
                links[ref.target] = published_name(ref.target.lstrip("/"))  # static/ HEIC: its JPEG
                continue
            if ref.path is None:
                continue
            if ref.path.suffix.lower() == ".md":
                links[ref.target] = self._item_link(ref, source)
                continue
            url = self.file_url(
                ref.path, folder, page_url, source, ref.line, "image" if ref.kind == "image" else "file"
            )
            if url is not None:
                links[ref.target] = quote_url(url)
        return links

    def _item_link(self, ref, source: Path) -> str:
        target = self.views.get(ref.path)
        if target is not None:
            fragment = f"#{ref.fragment}" if ref.fragment else ""
            return target.url + fragment
        if ref.path not in self.all_sources:
            self.problems.error(
                source,
                ref.line,
                f"link to '{shown(ref.target)}', which is not a journal entry or an artefact",
            )
        elif not self.private_build:
            self.problems.warning(
                source,
                ref.line,
                f"link to '{shown(ref.target)}', which is not "
                "published (private or draft): it is shown "
                "as plain text",
            )
        return ""


def quote_url(url: str) -> str:
    return quote(url, safe="/:@!$&'()*+,;=-._~%#")
