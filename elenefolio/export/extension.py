"""The ``elenefolio:`` extension of a Leap2A export: what Leap2A has no place for.

Leap2A carries titles, dates, HTML bodies, tags, files and skills; an elenefolio
portfolio has more (slugs, visibility, drafts, summaries, courses, media captions
and posters, the agenda, self-assessment rounds, about.md...). Like Mahara with its
``mahara:`` namespace, the export adds that data in its own namespace, which other
systems ignore and ``elenefolio import leap2a`` restores:

- on each journal entry and artefact, ``<elenefolio:item path="journal/x.md">`` with
  ``<elenefolio:front-matter>`` (the front matter as YAML) and ``<elenefolio:markdown>``
  (the Markdown body as written);
- on the feed, ``<elenefolio:portfolio>`` with one ``<elenefolio:file path="...">`` per
  portfolio file: YAML and Markdown files as their text, other files with ``href``, their
  place in the zip.

YAML travels as data (loaded, then written again), so comments never leave the portfolio.
The same audience rule as everywhere decides what travels: a public export carries only
what the public site shows (never ``author.email``, a private round or agenda, a private
item, the slug of an item it does not carry, or the badge files, which hold the recipient's
identity); ``--private`` carries everything, drafts included.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from lxml import etree

from elenefolio.load.source import read_markdown, read_text
from elenefolio.load.yamlfile import YamlError, parse_yaml
from elenefolio.problems import Problems

EXT = "https://elenefolio.org/ns/leap2a-extension#"
EXT_VERSION = "1"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def plain(value):
    """YAML data as plain dicts and lists (the loader's line-remembering kinds are subclasses)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data) -> bool:
        return True


def dump_yaml(data) -> str:
    return yaml.dump(
        plain(data), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=False
    )


def clean_text(text: str) -> str:
    """Text that XML 1.0 can hold (control characters become U+FFFD)."""
    return _NOT_XML.sub("\ufffd", text)


def ext(parent, tag: str, text: str | None = None, **attrs):
    """An element of the extension; text as CDATA when it can be (readable, and unchanged)."""
    element = etree.SubElement(parent, f"{{{EXT}}}{tag}", {k: str(v) for k, v in attrs.items()})
    if text is not None:
        text = clean_text(text)
        element.text = etree.CDATA(text) if "]]>" not in text else text
    return element


def unlink_hidden(markdown: str, hidden: list[str]) -> str:
    """The body with its links to items this export does not carry turned into their text (as
    the site shows them), so that no private file name travels."""
    for target in sorted(set(hidden), key=len, reverse=True):
        quoted = re.escape(target)
        markdown = re.sub(
            r"(?<!!)\[([^\]]*)\]\(\s*<?" + quoted + r">?(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)", r"\1", markdown
        )
        markdown = markdown.replace(target, "#")  # reference definitions and anything left
    return markdown


def item_data(parent, view, root: Path) -> None:
    """``<elenefolio:item>``: the item's path, front matter and Markdown body."""
    problems = Problems(root)
    source = read_markdown(view.wrapped.path, problems)
    if source is None:  # the item was loaded a moment ago: only a file changed meanwhile
        return
    hidden = [target for target, url in view.link_map.items() if not url]
    item = ext(parent, "item", path=view.wrapped.source.path)
    ext(item, "front-matter", dump_yaml(source.meta))
    ext(item, "markdown", unlink_hidden(source.body, hidden))


def _yaml_file(path: Path, transform=None) -> str | None:
    text = read_text(path, Problems())
    if text is None:
        return None
    try:
        data = plain(parse_yaml(text))
    except YamlError:
        return None
    if transform is not None:
        data = transform(data)
    return dump_yaml(data)


class PortfolioFiles:
    """The files of ``<elenefolio:portfolio>``, in the order they are added."""

    def __init__(self, site, element):
        self.site, self.element = site, element
        self.root = site.config.root
        self.private = site.audience.private
        self.paths: set[str] = set()

    def text(self, rel: str, text: str | None) -> None:
        if text is not None and rel not in self.paths:
            self.paths.add(rel)
            ext(self.element, "file", text, path=rel)

    def binary(self, rel: str, zip_path: str) -> None:
        if rel not in self.paths:
            self.paths.add(rel)
            ext(self.element, "file", path=rel, href=zip_path)

    def settings(self) -> None:
        def without_email(data):
            if isinstance(data, dict) and isinstance(data.get("author"), dict) and not self.private:
                data["author"].pop("email", None)
            return data

        self.text("portfolio.yaml", _yaml_file(self.root / "portfolio.yaml", without_email))
        if self.private and (self.root / "README.md").is_file():  # the repository's own notes: not published
            self.text("README.md", read_text(self.root / "README.md", Problems()))
        about = self.root / "about.md"
        if self.site.portfolio.about is not None:
            hidden = [t for t, url in self.site.about_links.items() if not url]
            text = read_text(about, Problems())
            self.text("about.md", unlink_hidden(text, hidden) if text is not None else None)
        from elenefolio.load.framework import SKILLS_FILE

        framework = self.site.config.framework
        for name in (SKILLS_FILE, framework if framework.endswith((".yaml", ".yml")) else ""):
            if name and "/" not in name and (self.root / name).is_file():
                self.text(name, _yaml_file(self.root / name))

    def collections(self) -> None:
        """The collections this audience may see (a public one holds only public items)."""
        for collection in getattr(self.site, "collections", []):
            rel = collection.wrapped.source.path
            self.text(rel, _yaml_file(self.root / rel))

    def feedback(self) -> None:
        """The feedback files this audience may see (a public export: public feedback only)."""
        for feedback in getattr(self.site.portfolio, "feedback", []):
            if not self.private and feedback.visibility != "public":
                continue
            rel = feedback.source.path
            if rel.endswith(".md"):
                self.text(rel, read_text(self.root / rel, Problems()))
            else:
                self.text(rel, _yaml_file(self.root / rel))

    def self_assessment(self, journal_slugs: set[str]) -> None:
        """The agenda and the rounds this audience may see; the agenda's links to journal
        entries the export does not carry are left out."""
        sa = self.site.self_assessment
        if sa is None:
            return
        if sa.agenda is not None and (self.root / "agenda.yaml").is_file():

            def carried_only(data):
                actions = data.get("actions") if isinstance(data, dict) else None
                for action in actions if isinstance(actions, list) else []:
                    if isinstance(action, dict) and isinstance(action.get("journal"), list):
                        action["journal"] = [
                            ref for ref in action["journal"] if _slug_of(str(ref)) in journal_slugs
                        ]
                return data

            self.text("agenda.yaml", _yaml_file(self.root / "agenda.yaml", carried_only))
        for profile in sa.analysis.profiles if sa.has_rounds else []:
            rel = profile.round.source.path
            self.text(rel, _yaml_file(self.root / rel))


def _slug_of(ref: str) -> str:
    from elenefolio.load.items import make_slug

    return make_slug(Path(ref).stem)
