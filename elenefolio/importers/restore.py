"""Restoring an elenefolio Leap2A export from its ``elenefolio:`` extension.

An export made by ``elenefolio export --format leap2a`` carries, besides the
Leap2A entries, the portfolio itself (``export/extension.py``): each item's
path, front matter and Markdown body, the settings, ``about.md``, the agenda,
the self-assessment rounds and every file. Importing it writes those files
back, so the portfolio is the one that was exported (for the audience it was
exported for), rather than a conversion of its Leap2A view.

A path from the export is written only if it is a plain relative path in one of
the portfolio's own places (``journal/``, ``artefacts/``, ``static/``,
``badges/``, ``assessments/``, or a YAML file or ``about.md`` at the top), never
a hidden file (``.git/…``), a template or a theme, never twice, never outside
the destination.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from elenefolio.export.extension import EXT
from elenefolio.importers.archive import ATOM, _Archive, _Folder, _is, ns_key

EXT_KEY = ns_key(EXT)
ATOM_KEY = ns_key(ATOM)
FOLDERS = ("journal", "artefacts", "static", "badges", "assessments", "collections", "feedback")
TEXT_SUFFIXES = (".md", ".yaml", ".yml")


def has_extension(root) -> bool:
    return any(_is(child, EXT_KEY, "portfolio") for child in root)


def safe_path(path: str) -> str | None:
    """``path`` when the import may write it, else None."""
    clean = _Archive._clean(path or "")
    parts = PurePosixPath(clean).parts
    if not clean or clean != (path or "").strip() or any(p.startswith(".") or p.endswith("~") for p in parts):
        return None
    if len(parts) == 1:
        return clean if clean in ("about.md", "README.md") or clean.endswith((".yaml", ".yml")) else None
    return clean if parts[0] in FOLDERS else None


class Restorer:
    """Writes the files an export's extension holds into ``dest``; ``report`` is the
    importer's Report."""

    def __init__(self, source: _Archive | _Folder, dest: Path, report):
        self.source, self.dest, self.report = source, dest, report
        self.written: set[str] = set()

    def run(self, root) -> None:
        self.dest.mkdir(parents=True, exist_ok=True)
        for child in root:
            if _is(child, EXT_KEY, "portfolio"):
                for element in child:
                    if _is(element, EXT_KEY, "file"):
                        self._file(element)
            elif _is(child, ATOM_KEY, "entry"):
                item = next((e for e in child if _is(e, EXT_KEY, "item")), None)
                if item is not None:
                    self._item(child, item)
        settings = self.dest / "portfolio.yaml"
        if settings.is_file() and "allow_html: true" in settings.read_text(encoding="utf-8"):
            self.report.skipped.append(
                "portfolio.yaml:1: note: 'allow_html: true' came with the export: "
                "its pages may hold raw HTML; review them before you publish"
            )

    def _where(self, element) -> str:
        return f"leap2a.xml:{element.sourceline or 1}"

    def _write(self, element, path: str, data: bytes) -> str | None:
        rel = safe_path(path)
        if rel is None:
            self.report.skipped.append(
                f"{self._where(element)}: file '{path}' not restored: not a place of a portfolio"
            )
            return None
        if rel in self.written:
            self.report.skipped.append(f"{self._where(element)}: file '{rel}' not restored: given twice")
            return None
        target = self.dest / rel
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "xb") as out:  # never over a file already there
                out.write(data)
        except OSError as exc:  # a folder where a file was written, or the other way round
            self.report.skipped.append(
                f"{self._where(element)}: file '{rel}' not restored: {exc.strerror or exc}"
            )
            return None
        self.written.add(rel)
        return rel

    def _file(self, element) -> None:
        path, href = element.get("path") or "", element.get("href")
        if href is None:
            if not path.endswith(TEXT_SUFFIXES):
                self.report.skipped.append(
                    f"{self._where(element)}: file '{path}' not restored: only "
                    "Markdown and YAML files travel as text"
                )
                return
            if self._write(element, path, (element.text or "").encode("utf-8")):
                self.report.converted.append(f"{self._where(element)}: {path} restored")
            return
        name = self.source.find(href)
        if name is None:
            self.report.skipped.append(
                f"{self._where(element)}: file '{path}' not restored: '{href}' is {self.source.missing_what}"
            )
            return
        if self._write(element, path, self.source.read(name)):
            self.report.files += 1

    def _item(self, entry, item) -> None:
        path = item.get("path") or ""
        front = next((e.text or "" for e in item if _is(e, EXT_KEY, "front-matter")), "")
        body = next((e.text or "" for e in item if _is(e, EXT_KEY, "markdown")), "")
        if not path.endswith(".md") or PurePosixPath(path).parts[0] not in ("journal", "artefacts"):
            self.report.skipped.append(
                f"{self._where(item)}: item '{path}' not restored: not a journal entry or an artefact"
            )
            return
        if front and not front.endswith("\n"):
            front += "\n"
        rel = self._write(item, path, f"---\n{front}---\n{body}".encode("utf-8"))
        if rel is None:
            return
        import yaml

        try:
            fields = yaml.safe_load(front) or {}
        except yaml.YAMLError:
            fields = {}
        draft = isinstance(fields, dict) and fields.get("draft") is True
        if rel.startswith("journal/"):
            self.report.journal += 1
        else:
            self.report.artefacts += 1
        self.report.drafts += draft
        title = next((" ".join((e.text or "").split()) for e in entry if _is(e, ATOM_KEY, "title")), "")
        self.report.converted.append(
            f"{self._where(entry)}: entry '{title}' → {rel}" + (" (a draft)" if draft else "")
        )
