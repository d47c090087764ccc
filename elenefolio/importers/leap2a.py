"""Leap2A import: a Mahara (or other) Leap2A export zip → a new portfolio folder.

Journal posts become journal entries, files become artefacts (a resource
with several files becomes one artefact holding them all), plans become
journal entries of kind ``plan`` with their tasks as a checklist, résumé
entries (achievements, activities, affiliations...) become a "Résumé"
section of ``about.md``, tags are kept and abilities that name a skill of
the framework become the entries' skills. HTML is sanitised with nh3 and
turned into Markdown with markdownify. Everything imported is private
until the learner decides otherwise (``default_visibility: private``).

Both namespace forms are read: the Leap2A 2010-07 terms
(``http://terms.leapspecs.org/``), the older 2009-03 ones
(``http://wiki.cetis.ac.uk/2009-03/...``), and either written through a
web-archive prefix (``https://web.archive.org/web/<date>/http://...``), as
recent Mahara versions do.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from elenefolio.importers.archive import (
    ATOM,
    ImportFailed,
    _address_key,
    _Archive,
    _Folder,
    _is,
    _local,
    normalise,
    ns_key,
)
from elenefolio.importers.restore import Restorer, has_extension
from elenefolio.problems import one_line, shown
from elenefolio.util.html import html_to_markdown

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
# Namespaces are matched by their key (``ns_key``): writers spell the same address with or
# without a trailing '/' or '#', through a web-archive prefix, with ':80' or https.
LEAP_KEYS = frozenset(
    {
        "terms.leapspecs.org",
        "wiki.cetis.ac.uk/2009-03/LEAP2A_predicates",
        "wiki.cetis.ac.uk/2009-03/LEAP2A_types",
    }
)
CATEGORY_KEYS = frozenset({"wiki.leapspecs.org/2A/categories", "wiki.cetis.ac.uk/2009-03/LEAP2A_categories"})
SKILL_SCHEME = "urn:elenefolio:skill"
KIND_SCHEME = "urn:elenefolio:journal-kind"
TYPE_SCHEME = "urn:elenefolio:artefact-type"
RESUME_TYPES = {
    "achievement": "Achievements",
    "activity": "Activities",
    "affiliation": "Affiliations",
    "meeting": "Meetings",
    "organization": "Organisations",
    "publication": "Publications",
}


def _split(uri: str, keys: frozenset[str]) -> str | None:
    """The local name of a full address in one of the namespaces ``keys``, else None."""
    key = _address_key(uri)
    for known in keys:
        if key.startswith(known) and (len(key) == len(known) or key[len(known)] in "/#"):
            return key[len(known) :].strip("/#")
    return None


@dataclass
class Link:
    rel: str  # normalised: a Leap2A predicate's local name, or an Atom rel
    href: str
    title: str = ""
    type: str = ""


@dataclass
class Entry:
    id: str
    title: str
    leaptype: str
    line: int
    published: dt.datetime | None = None
    updated: dt.datetime | None = None
    content: str = ""
    content_type: str = "text"
    summary: str = ""
    tags: list[str] = field(default_factory=list)
    categories: list[tuple[str, str]] = field(default_factory=list)  # (scheme, term)
    links: list[Link] = field(default_factory=list)
    plugin: str = ""  # Mahara's artefact type, when given
    dates: dict[str, str] = field(default_factory=dict)

    def related(self, *rels: str) -> list[str]:
        return [link.href for link in self.links if link.rel in rels]

    @property
    def moment(self) -> dt.datetime | None:
        return self.published or self.updated


@dataclass
class Report:
    journal: int = 0
    artefacts: int = 0
    files: int = 0
    plans: int = 0
    resume: int = 0
    pages: int = 0  # Mahara pages (views), imported as artefacts
    drafts: int = 0  # posts marked not ready, imported as drafts
    skills: set[str] = field(default_factory=set)
    converted: list[str] = field(default_factory=list)  # "leap2a.xml:LINE: post 'T' → journal/x.md"
    skipped: list[str] = field(default_factory=list)  # "leap2a.xml:LINE: ..."
    restored: bool = False  # an elenefolio export, restored from its elenefolio: data


# --- reading the feed ------------------------------------------------------------------------

ATOM_KEY, RDF_KEY = ns_key(ATOM), ns_key(RDF)


def _expand(value: str, element, keys: frozenset[str]) -> str:
    """The local name of a CURIE (``leap2:entry``, ``categories:readiness#``) or of a full
    address in the namespaces ``keys``; a bare name is itself; anything else is empty.

    A CURIE is not expanded by joining strings: with a prefix declared without its
    trailing '/' (as Mahara writes ``http://terms.leapspecs.org``) that would glue the
    name onto the host."""
    value = (value or "").strip()
    if not value:
        return ""
    prefix, sep, rest = value.partition(":")
    if sep and prefix in (element.nsmap or {}) and not rest.startswith("//"):
        if ns_key(element.nsmap[prefix] or "") in keys:
            return rest.strip("/#")
        value = (element.nsmap[prefix] or "") + rest
    local = _split(value, keys)
    if local is not None:
        return local
    return value if ":" not in value else ""


def _date(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment


def _text_of(element) -> tuple[str, str]:
    """(content, type) of an Atom text construct: html/xhtml as HTML, else plain text."""
    from lxml import etree

    kind = (element.get("type") or "text").lower()
    if kind == "xhtml":
        div = next(iter(element), None)
        if div is None:
            return "", "html"
        div = _without_namespaces(div)
        # serialised as HTML, not XML: an empty <iframe/> or <textarea/> becomes
        # <iframe></iframe>, and so cannot swallow the text that follows it
        parts = [div.text or ""] + [
            etree.tostring(child, method="html", encoding="unicode", with_tail=True) for child in div
        ]
        return "".join(parts), "html"
    return element.text or "", "html" if kind == "html" else "text"


def _without_namespaces(element):
    """A copy of an XHTML element with plain tag and attribute names (``rel="leap2:has_part"``
    values are kept as they are)."""
    import copy

    from lxml import etree

    element = copy.deepcopy(element)
    for node in element.iter():
        if not isinstance(node.tag, str):
            continue
        node.tag = etree.QName(node).localname
        for name in [n for n in node.attrib if n.startswith("{")]:
            node.attrib[etree.QName(name).localname] = node.attrib.pop(name)
    etree.cleanup_namespaces(element)
    return element


def parse_root(xml: bytes):
    """The feed element of ``leap2a.xml``, read without entities or network."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as exc:
        raise ImportFailed(f"leap2a.xml:{exc.lineno or 1}: not well-formed XML: {exc.msg}") from None
    if not _is(root, ATOM_KEY, "feed"):
        raise ImportFailed(
            f"leap2a.xml:{root.sourceline or 1}: not a Leap2A feed (the root element is not an Atom <feed>)"
        )
    return root


def feed_of(root) -> tuple[dict, list[Entry]]:
    author: dict = {}
    entries = []
    for child in root:
        if _is(child, ATOM_KEY, "author"):
            for part in child:
                if _is(part, ATOM_KEY, "name"):
                    author["name"] = (part.text or "").strip()
                elif _is(part, ATOM_KEY, "email"):
                    author["email"] = (part.text or "").strip()
        elif _is(child, ATOM_KEY, "title"):
            author.setdefault("feed_title", (child.text or "").strip())
        elif _is(child, ATOM_KEY, "entry"):
            entries.append(_entry(child))
    author["namespaces"] = sorted(
        {ns for node in root.iter() if isinstance(node.tag, str) for ns in (node.nsmap or {}).values() if ns}
    )
    return author, entries


def _entry(element) -> Entry:
    entry = Entry("", "", "", element.sourceline or 1)
    for child in element:
        ns, local = _local(child.tag)
        if ns == ATOM_KEY:
            if local == "id":
                entry.id = (child.text or "").strip()
            elif local == "title":
                entry.title = " ".join((child.text or "").split())
            elif local == "published":
                entry.published = _date(child.text)
            elif local == "updated":
                entry.updated = _date(child.text)
            elif local == "content":
                entry.content, entry.content_type = _text_of(child)
            elif local == "summary":
                entry.summary = _text_of(child)[0]
            elif local == "category":
                term, scheme = (child.get("term") or "").strip(), (child.get("scheme") or "").strip()
                if not term:
                    continue
                if scheme:
                    entry.categories.append((_scheme(scheme, child), term))
                else:  # a tag: Mahara writes it normalised as the term, as typed as the label
                    entry.tags.append((child.get("label") or "").strip() or term)
            elif local == "link":
                rel = child.get("rel") or "alternate"
                predicate = _expand(rel, child, LEAP_KEYS) if ":" in rel else rel
                entry.links.append(
                    Link(
                        predicate or rel,
                        (child.get("href") or "").strip(),
                        child.get("title") or "",
                        child.get("type") or "",
                    )
                )
        elif ns == RDF_KEY and local == "type":
            resource = child.get(f"{{{RDF}}}resource") or child.get("resource") or ""
            if not resource:  # some writers put the namespaced attribute under an archived prefix
                resource = next((v for k, v in child.attrib.items() if k.endswith("}resource")), "")
            entry.leaptype = _expand(resource, child, LEAP_KEYS)
        elif ns in LEAP_KEYS and local == "date":
            point = next((v for k, v in child.attrib.items() if k.endswith("point")), "")
            entry.dates[point or "date"] = (child.text or "").strip()
        elif local == "artefactplugin":
            entry.plugin = next((v for k, v in child.attrib.items() if k.endswith("}type")), "")
    return entry


def _scheme(scheme: str, element) -> str:
    """A category scheme, CURIE expanded and archive prefix removed; Leap2A
    category schemes are reduced to their name (``resource_type``)."""
    local = _expand(scheme, element, CATEGORY_KEYS)
    return local if local else normalise(scheme)


# --- converting ------------------------------------------------------------------------------


def _body(entry: Entry) -> str:
    if entry.content_type == "html":
        return html_to_markdown(entry.content)
    return entry.content.strip()


def _front_matter(fields: dict) -> str:
    import yaml

    clean = {k: v for k, v in fields.items() if v not in (None, "", [], {})}
    return "---\n" + yaml.safe_dump(clean, allow_unicode=True, sort_keys=False, width=1000) + "---\n"


def _slug(text: str, taken: set[str], entry_id: str = "") -> str:
    """A new slug from the title, or the one an elenefolio export kept in the entry's id."""
    from slugify import slugify

    kept = re.search(r"(?:^|[:/])(?:journal|artefacts)/([a-z0-9][a-z0-9-]*)$", entry_id or "")
    base = kept.group(1) if kept else slugify(text, max_length=60, word_boundary=True) or "item"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def _when(entry: Entry) -> str:
    """The entry's date, with its time of day when the export gives one (as the author's
    clock showed it)."""
    moment = entry.moment
    if moment is None or (moment.hour, moment.minute) == (0, 0):
        return _day(entry).isoformat()
    return moment.strftime("%Y-%m-%d %H:%M")


def _title_of(entry: Entry) -> str:
    return (entry.title or "Untitled").replace("[", "(").replace("]", ")")


def _day(entry: Entry) -> dt.date:
    moment = entry.moment
    if moment is None:
        for value in entry.dates.values():
            parsed = _date(value)
            if parsed:
                return parsed.date()
        return dt.date.today()
    return moment.date()  # the day as the author's clock showed it


def import_leap2a(export: Path, dest: Path, framework=None) -> Report:
    """Convert the Leap2A export at ``export`` (a zip, or a bare ``leap2a.xml``) into a new
    portfolio at ``dest``."""
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise ImportFailed(f"{dest}:1: the destination must be a new or empty folder")
    if framework is None:
        from elenefolio.load.framework import load_framework
        from elenefolio.problems import Problems

        framework = load_framework(dest, "elene4work", 1, Problems())
    is_zip = export.suffix.lower() == ".zip" or zipfile.is_zipfile(export)
    source: _Archive | _Folder = _Archive(export) if is_zip else _Folder(export)
    xml = source.xml()
    if isinstance(source, _Folder) and not xml.lstrip()[:1] == b"<":
        raise ImportFailed(f"{export}:1: neither a zip file nor a leap2a.xml file")
    root = parse_root(xml)
    if has_extension(root):  # an elenefolio export: the portfolio itself travels with it
        report = Report(restored=True)
        Restorer(source, dest, report).run(root)
        return report
    author, entries = feed_of(root)
    return _Converter(source, dest, framework, author, entries).run()


class _Converter:
    def __init__(
        self, archive: _Archive | _Folder, dest: Path, framework, author: dict, entries: list[Entry]
    ):
        self.archive, self.dest, self.framework = archive, dest, framework
        self.author, self.entries = author, entries
        self.by_id = {e.id: e for e in entries if e.id}
        self.report = Report()
        self.slugs: dict[str, set[str]] = {"journal": set(), "artefacts": set()}
        self.file_paths: dict[str, str] = {}  # entry id → path of the copied file, from the root
        self.used: set[str] = set()
        self.missing: set[str] = set()  # files referred to but absent (each reported once)
        self.item_paths: dict[str, str] = {}  # entry id → the imported file, from the root
        self.blogs = {
            e.id: e
            for e in entries
            if e.leaptype == "selection"
            and (e.plugin == "blog" or ("selection_type", "Blog") in e.categories)
        }

    def skip(self, entry: Entry, why: str) -> None:
        what = entry.leaptype or "entry"
        self.report.skipped.append(
            one_line(f"leap2a.xml:{entry.line}: {what} '{shown(entry.title)}' not converted: {why}")
        )

    def converted(self, entry: Entry, path: Path, note: str = "") -> None:
        rel = path.relative_to(self.dest).as_posix()
        self.item_paths[entry.id] = rel
        what = entry.leaptype or "entry"
        self.report.converted.append(
            one_line(f"leap2a.xml:{entry.line}: {what} '{shown(entry.title)}' → {rel}{note}")
        )

    def _selection_type(self, entry: Entry) -> str:
        return next((term for scheme, term in entry.categories if scheme == "selection_type"), "")

    def _is_blog(self, entry: Entry) -> bool:
        return entry.leaptype == "selection" and (
            self._selection_type(entry) == "Blog" or entry.plugin == "blog"
        )

    def _is_page(self, entry: Entry) -> bool:
        return entry.leaptype == "selection" and self._selection_type(entry) == "Webpage"

    def _convertible(self) -> bool:
        """Whether the feed holds anything this importer converts."""
        return any(
            e.leaptype in ("entry", "resource", "plan", *RESUME_TYPES) or self._is_page(e)
            for e in self.entries
        )

    def run(self) -> Report:
        if not self._convertible():
            seen = ", ".join(self.author.get("namespaces", [])) or "none"
            raise ImportFailed(
                f"leap2a.xml:1: no entries of a known type: is this a Leap2A file? (namespaces seen: {seen})"
            )
        self.dest.mkdir(parents=True, exist_ok=True)
        self.skills = self._abilities()
        person = next((e for e in self.entries if e.leaptype == "person"), None)
        self._config(person)
        files = [e for e in self.entries if e.leaptype == "resource" and e.related("enclosure")]
        parents = {e.id for e in self.entries if e.leaptype == "resource" and not e.related("enclosure")}
        resume: dict[str, list[Entry]] = {}
        plans = [e for e in self.entries if e.leaptype == "plan"]
        task_ids = {t for p in plans for t in p.related("has_part")} | {
            p.id for p in plans if set(p.related("is_part_of")) & {q.id for q in plans}
        }
        for entry in self.entries:
            kind = entry.leaptype
            if kind in ("entry", "resource", "ability", "person") or entry.id in task_ids:
                continue
            if kind == "plan":
                self._plan(entry, plans)
            elif kind == "selection":
                if self._is_blog(entry):
                    self.report.converted.append(
                        one_line(
                            f"leap2a.xml:{entry.line}: blog '{shown(entry.title)}' "
                            "→ the 'course' of its posts"
                        )
                    )
                elif not self._is_page(entry):
                    self.skip(
                        entry,
                        f"a {self._selection_type(entry) or 'selection'} has no equivalent; "
                        "its items were imported on their own",
                    )
            elif kind in RESUME_TYPES:
                resume.setdefault(kind, []).append(entry)
            else:
                self.skip(entry, "this type has no equivalent in elenefolio")
        for entry in self.entries:
            if entry.leaptype == "entry":
                self._journal(entry)
        for entry in self.entries:
            if entry.leaptype == "resource" and entry.id in parents:
                self._artefact(
                    entry,
                    [
                        self.by_id[i]
                        for i in entry.related("has_part")
                        if i in self.by_id and self.by_id[i].related("enclosure")
                    ],
                )
        for entry in files:
            if entry.id not in self.used:
                self._artefact(entry, [entry])
        if resume:
            self._resume(resume)
        for entry in self.entries:
            if self._is_page(entry):
                self._page(entry)
        return self.report

    # --- pieces ---

    def _abilities(self) -> dict[str, str]:
        """Ability entry id → skill id of the framework (by id category, id or name)."""
        by_name = {s.name.lower(): s.id for s in self.framework.skills}
        ids = {s.id for s in self.framework.skills}
        found = {}
        for entry in self.entries:
            if entry.leaptype != "ability":
                continue
            skill = next(
                (term for scheme, term in entry.categories if scheme == SKILL_SCHEME and term in ids), None
            )
            skill = skill or by_name.get(entry.title.lower())
            if skill is None:
                from slugify import slugify

                candidate = slugify(entry.title)
                skill = candidate if candidate in ids else None
            if skill is None:
                self.skip(entry, f"no skill of the {self.framework.name} framework has this name")
            else:
                found[entry.id] = skill
                self.report.skills.add(skill)
        return found

    def _skills_of(self, entry: Entry, statements: bool = False) -> list:
        """Skill ids of the entry; with ``statements``, {skill, evidence} where one is given."""
        skills: list[str] = []
        said: dict[str, str] = {}
        for link in entry.links:
            if link.rel not in ("is_evidence_of", "supports", "relation"):
                continue
            skill = self.skills.get(link.href)
            if skill and skill not in skills:
                skills.append(skill)
                if link.title.strip():
                    said[skill] = link.title.strip()
        for ability, skill in self.skills.items():
            if entry.id in self.by_id[ability].related("has_evidence") and skill not in skills:
                skills.append(skill)
        if statements:
            return [{"skill": s, "evidence": said[s]} if s in said else s for s in skills]
        return skills

    def _config(self, person: Entry | None) -> None:
        name = self.author.get("name") or (person.title if person else "") or "Your name"
        headline = person.content.strip() if person and person.content_type == "text" else ""
        author = {"name": name}
        fields = {"title": f"{name} — portfolio", "author": author}
        if headline:
            author["headline"] = " ".join(headline.split())
        if self.author.get("email") and "@" in self.author["email"]:
            author["email"] = self.author["email"]  # kept private: never published
        fields.update({"language": "en", "framework": self.framework.id, "default_visibility": "private"})
        import yaml

        text = (
            "# Imported from a Leap2A export. Everything is private until you set\n"
            "# 'visibility: public' on the items you want to publish.\n"
        )
        text += yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, width=1000)
        (self.dest / "portfolio.yaml").write_text(text, encoding="utf-8")

    def _rewrite(self, markdown: str, folder: Path) -> str:
        """Links to other entries of the export point at the copied files, or are unlinked."""

        def replace(match: re.Match) -> str:
            bang, text, target = match.group(1), match.group(2), match.group(3)
            path = self.file_paths.get(target)
            if path is None and target in self.by_id:
                path = self._copy_file(self.by_id[target], folder)
            if path is None:
                return text if not bang else f"[{text or 'image'} (not imported)]"
            rel = posixpath.relpath(path, PurePosixPath(folder.relative_to(self.dest).as_posix()).as_posix())
            return f"{bang}[{text}]({rel})"

        return re.sub(r"(!?)\[([^\]]*)\]\((portfolio:[^)\s]+)\)", replace, markdown)

    def _copy_file(self, entry: Entry, folder: Path) -> str | None:
        """Copy the entry's enclosure into ``folder``; its path from the portfolio root."""
        if entry.id in self.file_paths:
            return self.file_paths[entry.id]
        for href in entry.related("enclosure"):
            name = self.archive.find(href)
            if name is None:
                if href not in self.missing:
                    self.missing.add(href)
                    self.skip(entry, f"its file '{shown(href)}' is {self.archive.missing_what}")
                return None
            folder.mkdir(parents=True, exist_ok=True)
            base = PurePosixPath(name).name
            title = entry.title.strip()
            if (
                re.fullmatch(r"[\w][\w.\- ]*", title)
                and PurePosixPath(title).suffix.lower() == PurePosixPath(base).suffix.lower()
            ):
                base = title.replace(" ", "-")  # Mahara prefixes stored names with the artefact id
            target = folder / base
            n = 2
            while target.exists():
                target = folder / f"{PurePosixPath(base).stem}-{n}{PurePosixPath(base).suffix}"
                n += 1
            target.write_bytes(self.archive.read(name))
            self.report.files += 1
            rel = target.relative_to(self.dest).as_posix()
            self.file_paths[entry.id] = rel
            self.used.add(entry.id)
            return rel
        return None

    def _journal(self, entry: Entry) -> None:
        day = _day(entry)
        slug = _slug(entry.title or "entry", self.slugs["journal"], entry.id)
        kind = next((term for scheme, term in entry.categories if scheme == KIND_SCHEME), "")
        unready = any(
            scheme == "readiness" and term.lower() == "unready" for scheme, term in entry.categories
        )
        blog = next((self.blogs[i] for i in entry.related("is_part_of") if i in self.blogs), None) or next(
            (b for b in self.blogs.values() if entry.id in b.related("has_part")), None
        )
        fields = {
            "title": entry.title or "Untitled",
            "date": _when(entry),
            "kind": kind or "reflection",
            "course": blog.title if blog else None,
            "tags": entry.tags,
            "skills": self._skills_of(entry),
            "draft": True if unready else None,
        }
        folder = self.dest / "journal"
        folder.mkdir(exist_ok=True)
        body = self._rewrite(_body(entry), folder) + self._attachments(entry, folder)
        path = folder / (f"{slug}.md" if slug.startswith(day.isoformat()) else f"{day.isoformat()}-{slug}.md")
        fields["slug"] = slug if path.stem != slug else None
        path.write_text(_front_matter(fields) + "\n" + body + "\n", encoding="utf-8")
        self.report.journal += 1
        self.report.drafts += unready
        self.converted(entry, path, " (a draft: it was not published in Mahara)" if unready else "")

    def _page(self, entry: Entry) -> None:
        """A Mahara page (view): its description and text blocks, and links to the items it
        shows, as an artefact of type 'other'."""
        slug = _slug(entry.title or "page", self.slugs["artefacts"], entry.id)
        folder = self.dest / "artefacts" / slug
        folder.mkdir(parents=True, exist_ok=True)
        parts = (
            [_body(Entry("", "", "", 0, content=entry.summary, content_type="html"))] if entry.summary else []
        )
        if entry.content.strip():
            parts.append(_body(entry))
        shown: dict[str, str] = {}  # entry id → imported file, in the page's order
        for target in entry.related("has_part", "relation", "has_evidence"):
            if target in self.item_paths and target not in shown:
                shown[target] = self.item_paths[target]
        if shown:
            folder_rel = folder.relative_to(self.dest).as_posix()
            parts.append(
                "\n".join(
                    f"- [{_title_of(self.by_id[i])}]({posixpath.relpath(p, folder_rel)})"
                    for i, p in shown.items()
                )
            )
        body = self._rewrite("\n\n".join(p for p in parts if p.strip()), folder)
        fields = {"title": entry.title or "Page", "date": _when(entry), "type": "other", "tags": entry.tags}
        path = folder / "index.md"
        path.write_text(_front_matter(fields) + "\n" + body + "\n", encoding="utf-8")
        self.report.pages += 1
        self.converted(entry, path)

    def _attachments(self, entry: Entry, folder: Path) -> str:
        """Files attached to a post (links to file entries of the export), as a list."""
        lines = []
        for link in entry.links:
            target = self.by_id.get(link.href)
            if target is None or target is entry or not target.related("enclosure"):
                continue
            if link.rel not in ("enclosure", "related", "has_attachment", "attachment", "has_part"):
                continue
            path = self._copy_file(target, folder)
            if path is not None:
                rel = posixpath.relpath(path, folder.relative_to(self.dest).as_posix())
                lines.append(f"- [{target.title or PurePosixPath(path).name}]({rel})")
        return "\n\nAttachments:\n\n" + "\n".join(lines) if lines else ""

    def _artefact(self, entry: Entry, files: list[Entry]) -> None:
        day = _day(entry)
        slug = _slug(entry.title or "artefact", self.slugs["artefacts"], entry.id)
        folder = self.dest / "artefacts" / slug
        folder.mkdir(parents=True, exist_ok=True)
        media = []
        for file_entry in files:
            rel = self._copy_file(file_entry, folder)
            if rel is None:
                continue
            item = {"src": PurePosixPath(rel).name}
            description = file_entry.content.strip() if file_entry is not entry else ""
            if rel.lower().endswith((".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".avif")):
                item["alt"] = " ".join((description or file_entry.title or "").split())[:200]
            elif description:
                item["caption"] = " ".join(description.split())[:200]
            media.append(item if len(item) > 1 else item["src"])
        atype = next((term for scheme, term in entry.categories if scheme == TYPE_SCHEME), "")
        if not atype:
            mime = mimetypes.guess_type(files[0].related("enclosure")[0])[0] if files else ""
            atype = {"image": "image", "video": "video", "audio": "audio"}.get(
                (mime or "").split("/")[0], "document" if files else "other"
            )
        for link in entry.links:
            if link.rel == "related" and link.href.startswith(("http://", "https://")):
                media.append({"src": link.href, "caption": link.title} if link.title else link.href)
        fields = {
            "title": entry.title or "Untitled",
            "date": day.isoformat(),
            "type": atype,
            "tags": entry.tags,
            "skills": self._skills_of(entry, statements=True),
            "media": media,
        }
        body = "" if files == [entry] else self._rewrite(_body(entry), folder)
        if files == [entry] and entry.content.strip():
            body = _body(entry)
        (folder / "index.md").write_text(_front_matter(fields) + "\n" + body + "\n", encoding="utf-8")
        self.report.artefacts += 1
        self.converted(entry, folder / "index.md", f" ({len(media)} file(s) or link(s))" if media else "")

    def _plan(self, entry: Entry, plans: list[Entry]) -> None:
        tasks = [self.by_id[i] for i in entry.related("has_part") if i in self.by_id]
        tasks += [p for p in plans if entry.id in p.related("is_part_of") and p not in tasks]
        lines = [_body(entry), ""] if entry.content.strip() else []
        for task in tasks:
            done = any(term.lower() in ("completed", "done", "complete") for _, term in task.categories)
            target = task.dates.get("target") or task.dates.get("end") or ""
            suffix = f" (by {target[:10]})" if target else ""
            lines.append(f"- [{'x' if done else ' '}] {task.title}{suffix}")
            if task.content.strip():
                lines.append(f"  {' '.join(_body(task).split())}")
        day = _day(entry)
        slug = _slug(entry.title or "plan", self.slugs["journal"])
        folder = self.dest / "journal"
        folder.mkdir(exist_ok=True)
        fields = {
            "title": entry.title or "Plan",
            "date": day.isoformat(),
            "kind": "plan",
            "tags": entry.tags,
            "skills": self._skills_of(entry),
        }
        path = folder / f"{day.isoformat()}-{slug}.md"
        self.converted(entry, path, f" ({len(tasks)} task(s))")
        path.write_text(_front_matter(fields) + "\n" + "\n".join(lines).strip() + "\n", encoding="utf-8")
        self.report.plans += 1

    def _resume(self, resume: dict[str, list[Entry]]) -> None:
        lines = ["## Résumé", ""]
        for kind, heading in RESUME_TYPES.items():
            entries = resume.get(kind)
            if not entries:
                continue
            lines += [f"### {heading}", ""]
            for entry in sorted(entries, key=lambda e: _day(e), reverse=True):
                when = entry.dates.get("start") or entry.dates.get("end") or ""
                organisation = next((t for s, t in entry.categories if s == "organization"), "")
                head = f"- **{entry.title}**"
                if organisation:
                    head += f", {organisation}"
                if when:
                    head += f" ({when[:10]})"
                lines.append(head)
                body = " ".join(_body(entry).split())
                if body:
                    lines.append(f"  {body}")
                self.report.resume += 1
            lines.append("")
        (self.dest / "about.md").write_text("\n".join(lines).strip() + "\n", encoding="utf-8")
