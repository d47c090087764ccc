"""Leap2A export: a zip with ``leap2a.xml`` (an Atom feed with Leap2A types
and relations, as Mahara writes it) and the artefacts' files under ``files/``.

- journal entries: ``leap2:entry``, part of a ``leap2:selection`` (the
  journal, as Mahara exports a blog), tags as Atom categories;
- artefacts: ``leap2:resource`` entries with their text, and each local
  file as a ``leap2:resource`` with an ``enclosure`` link into ``files/``;
- skills: ``leap2:ability`` entries, linked to their evidence with
  ``leap2:has_evidence`` / ``leap2:is_evidence_of``;
- the learning agenda, when the portfolio has one, as ``leap2:plan``;
- badges as ``leap2:achievement`` entries (their baked files are not
  in a public export: they may carry the recipient's identity);
- the person (``categories:person_type#`` ``Self``, as Mahara writes it) with
  ``leap2:persondata`` fields, ``about.md`` as its XHTML content and the photo;
- every local file of an item (media, posters, files its text links to) as a
  ``leap2:resource`` with an ``enclosure`` into ``files/``;
- in the ``elenefolio:`` namespace (``export/extension.py``), what Leap2A has no
  place for, so that ``elenefolio import leap2a`` gives the same portfolio back.

Bodies are XHTML (``type="xhtml"``, a ``<div>`` in the XHTML namespace).
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import re
import zipfile
from pathlib import Path

from lxml import etree

from elenefolio import __version__
from elenefolio.export import extension
from elenefolio.export.common import absolute
from elenefolio.load import markup

ATOM = "http://www.w3.org/2005/Atom"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
LEAP2 = "http://terms.leapspecs.org/"
CATEGORIES = "http://wiki.leapspecs.org/2A/categories/"
MAHARA = "http://wiki.mahara.org/Developer_Area/Import%2F%2FExport/LEAP_Extensions#"
VERSION = "http://www.leapspecs.org/2010-07/2A/"
XHTML = "http://www.w3.org/1999/xhtml"
SKILL_SCHEME = "urn:elenefolio:skill"
KIND_SCHEME = "urn:elenefolio:journal-kind"
TYPE_SCHEME = "urn:elenefolio:artefact-type"
XML_FILE = "leap2a.xml"
_XML_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")


def _time(value) -> str:
    if isinstance(value, dt.datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
    else:
        moment = dt.datetime.combine(value, dt.time(), dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class _Feed:
    def __init__(self, site):
        self.site = site
        nsmap = {
            None: ATOM,
            "rdf": RDF,
            "leap2": LEAP2,
            "categories": CATEGORIES,
            "portfolio": site.config.base_url,
            "mahara": MAHARA,
            "elenefolio": extension.EXT,
        }
        # (lxml-stubs refuse the None key that lxml takes for the default namespace)
        self.root = etree.Element(f"{{{ATOM}}}feed", nsmap=nsmap)  # type: ignore[arg-type]
        self.files: list[tuple[str, Path]] = []
        self.zip_paths: dict[Path, str] = {}  # source file → its place in the zip

    def sub(self, parent, tag: str, text: str | None = None, ns: str = ATOM, **attrs):
        element = etree.SubElement(parent, f"{{{ns}}}{tag}", {k: str(v) for k, v in attrs.items()})
        if text is not None:
            element.text = text
        return element

    def entry(
        self,
        entry_id: str,
        title: str,
        leaptype: str,
        when,
        content: str = "",
        content_type: str = "html",
        plugin: tuple[str, str] | None = None,
    ):
        entry = self.sub(self.root, "entry")
        self.sub(entry, "title", title)
        self.sub(entry, "id", entry_id)
        stamp = _time(when)
        self.sub(entry, "updated", stamp)
        self.sub(entry, "published", stamp)
        if content_type == "xhtml":
            self.sub(entry, "content", type="xhtml").append(xhtml_div(content))
        else:
            self.sub(entry, "content", content, type=content_type)
        self.sub(entry, "type", ns=RDF, **{f"{{{RDF}}}resource": f"leap2:{leaptype}"})
        if plugin:
            self.sub(
                entry,
                "artefactplugin",
                ns=MAHARA,
                **{f"{{{MAHARA}}}type": plugin[0], f"{{{MAHARA}}}plugin": plugin[1]},
            )
        return entry

    def link(self, entry, rel: str, href: str, **attrs):
        return self.sub(entry, "link", rel=rel, href=href, **attrs)

    def category(self, entry, term: str, scheme: str = ""):
        attrs = {"term": term}
        if scheme:
            attrs["scheme"] = scheme
        return self.sub(entry, "category", **attrs)

    def zip_path(self, source: Path, wanted: str) -> str:
        """The file's place in the zip (``wanted``, or ``wanted-2``... when another file has it);
        each file is stored once."""
        source = source.resolve()
        if source in self.zip_paths:
            return self.zip_paths[source]
        taken = set(self.zip_paths.values())
        path, stem, suffix, n = wanted, wanted.rsplit(".", 1)[0], Path(wanted).suffix, 2
        while path in taken:
            path, n = f"{stem}-{n}{suffix}", n + 1
        self.zip_paths[source] = path
        self.files.append((path, source))
        return path

    def file_entry(self, file_id: str, source: Path, zip_path: str, when, description: str, part_of: str):
        """A file as Mahara exports one: a resource with an enclosure into the zip."""
        mime = mimetypes.guess_type(source.name)[0] or "application/octet-stream"
        entry = self.entry(file_id, source.name, "resource", when, description, "text", ("file", "file"))
        self.category(entry, "Offline", "categories:resource_type#")
        self.link(entry, "enclosure", zip_path, type=mime, length=source.stat().st_size)
        if part_of:
            self.link(entry, "leap2:is_part_of", part_of)
        return entry


def xhtml_div(html: str):
    """Rendered HTML as an XHTML ``<div>`` (Atom's ``type="xhtml"`` content); comments and
    attributes that are not XML names are left out."""
    import lxml.html

    # (lxml-stubs refuse the None key that lxml takes for the default namespace)
    div = etree.Element(f"{{{XHTML}}}div", nsmap={None: XHTML})  # type: ignore[dict-item]
    if html.strip():
        _copy_xhtml(lxml.html.fragment_fromstring(html, create_parent="div"), div)
    return div


def _copy_xhtml(source, target) -> None:
    last = None

    def add_text(text: str | None) -> None:
        if text:
            text = extension.clean_text(text)
            if last is None:
                target.text = (target.text or "") + text
            else:
                last.tail = (last.tail or "") + text

    add_text(source.text)
    for child in source:
        if isinstance(child.tag, str):
            attrs = {k: extension.clean_text(v) for k, v in child.attrib.items() if _XML_NAME.match(k)}
            last = etree.SubElement(target, f"{{{XHTML}}}{child.tag}", attrs)
            _copy_xhtml(child, last)
        add_text(child.tail)


def _body(site, view) -> str:
    links = {k: absolute(site, v) if v else "" for k, v in view.link_map.items()}
    return markup.render(view.body, site.config.allow_html, links)


def entry_id(view) -> str:
    return f"portfolio:{view.section}/{view.slug}"


def skill_id(skill) -> str:
    return f"portfolio:skill/{skill.id}"


def build_leap2a(site) -> tuple[bytes, list[tuple[str, Path]]]:
    """The Leap2A XML and the files to put beside it: (zip path, source path)."""
    feed = _Feed(site)
    config, root = site.config, feed.root
    feed.sub(root, "version", VERSION, ns=LEAP2)
    feed.sub(root, "id", config.base_url)
    feed.sub(root, "title", f"Leap2A export of {config.title}")
    items = sorted(site.journal + site.artefacts, key=lambda v: v.sort_key)
    newest = items[-1].datetime if items else dt.datetime(1970, 1, 1)
    feed.sub(root, "updated", _time(newest))
    feed.sub(root, "generator", "elenefolio", version=__version__)
    author = feed.sub(root, "author")
    feed.sub(author, "name", config.author.name)
    feed.sub(author, "uri", "portfolio:person")

    files = extension.PortfolioFiles(
        site,
        extension.ext(
            root,
            "portfolio",
            version=extension.EXT_VERSION,
            audience="private" if site.audience.private else "public",
        ),
    )
    files.settings()
    _person(feed, site, newest, files)

    journal = [v for v in items if v.section == "journal"]
    if journal:
        selection = feed.entry(
            "portfolio:journal",
            "Journal",
            "selection",
            newest,
            f"The learning journal of {config.author.name}",
            "text",
            ("blog", "blog"),
        )
        feed.category(selection, "Blog", "categories:selection_type#")
        for order, view in enumerate(journal, 1):
            feed.link(selection, "leap2:has_part", entry_id(view), **{f"{{{LEAP2}}}display_order": order})
    for view in items:
        _item(feed, site, view, files)
    files.self_assessment({v.slug for v in journal})
    files.collections()
    files.feedback()
    for path in site.portfolio.static:
        files.binary(_rel(site, path.path), feed.zip_path(path.path, f"files/{_rel(site, path.path)}"))
    if site.audience.private:  # badge files may hold the recipient's identity: never in a public export
        from elenefolio.load.badges import badge_files

        for path in badge_files(config.root):
            files.binary(_rel(site, path), feed.zip_path(path, f"files/{_rel(site, path)}"))
    for skill in site.skills:
        evidence = [e.item for e in skill.artefacts + skill.journal]
        if not evidence and not skill.badges:
            continue
        ability = feed.entry(skill_id(skill), skill.name, "ability", newest, skill.description, "text")
        feed.category(ability, skill.id, SKILL_SCHEME)
        feed.category(ability, skill.area_name, "categories:life_area#")
        if skill.esco:
            feed.link(ability, "related", skill.esco, title="ESCO")
        for item in evidence:
            feed.link(ability, "leap2:has_evidence", entry_id(item))
        for badge in skill.badges:
            feed.link(ability, "leap2:has_evidence", f"portfolio:badge/{badge.slug}")
    for badge in site.badges:
        when = badge.issued or dt.date(1970, 1, 1)
        achievement = feed.entry(
            f"portfolio:badge/{badge.slug}", badge.name, "achievement", when, badge.data.description, "text"
        )
        if badge.issued:
            feed.sub(achievement, "date", badge.issued.isoformat(), ns=LEAP2, **{f"{{{LEAP2}}}point": "end"})
        if badge.data.issuer:
            feed.category(achievement, badge.data.issuer, "categories:organization#")
        feed.link(achievement, "alternate", absolute(site, badge.url))
        for skill in badge.skills:
            feed.link(achievement, "leap2:is_evidence_of", skill_id(skill))
        for item in badge.evidence:
            feed.link(achievement, "leap2:has_evidence", entry_id(item))
    _agenda(feed, site, newest)
    xml = etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
    return xml, feed.files


def _rel(site, path: Path) -> str:
    return path.resolve().relative_to(site.config.root).as_posix()


def _person(feed: _Feed, site, when, files: extension.PortfolioFiles) -> None:
    """The person entry as Mahara writes it: ``person_type`` ``Self``, ``leap2:persondata``
    fields, the introduction (``about.md``) as XHTML content, the photo as a related file.
    The email address only in a private export."""
    author = site.config.author
    about = ""
    if site.portfolio.about is not None:
        links = {k: absolute(site, v) if v else "" for k, v in site.about_links.items()}
        about = markup.render(site.portfolio.about, site.config.allow_html, links)
    person = feed.entry(
        "portfolio:person", author.name, "person", when, about, "xhtml", ("internal", "internal")
    )
    feed.category(person, "Self", "categories:person_type#")
    fields = [("full_name", "Name", author.name)]
    if author.headline:
        fields.append(("other", "Headline", author.headline))
    if site.audience.private:
        fields += [("email", "Email address", address) for address in author.email]
    fields += [("website", link.label, link.url) for link in author.links]
    for name, label, value in fields:
        feed.sub(
            person, "persondata", value, ns=LEAP2, **{f"{{{LEAP2}}}field": name, f"{{{LEAP2}}}label": label}
        )
    for link in author.links:
        feed.link(person, "related", link.url, title=link.label)
    photo = author.photo
    if photo is not None and site.photo_url:
        zip_path = feed.zip_path(photo, f"files/{_rel(site, photo)}")
        files.binary(_rel(site, photo), zip_path)
        feed.file_entry(
            "portfolio:file/photo", photo, zip_path, when, f"Photo of {author.name}", "portfolio:person"
        )
        feed.link(person, "related", "portfolio:file/photo")


def _local_files(view) -> list[tuple[Path, str]]:
    """The item's local files, in order: media with their posters, captions and transcripts,
    then the files its text links to; each with the text that describes it."""
    found: dict[Path, str] = {}
    for media in getattr(view.wrapped, "media", []):
        if media.path is not None:
            found.setdefault(media.path, media.caption or media.alt)
        name = media.path.name if media.path else media.src
        if media.poster_path is not None:
            found.setdefault(media.poster_path, f"Poster of {name}")
        for language, captions in media.captions:
            found.setdefault(captions, f"Captions ({language}) of {name}")
        if media.transcript_path is not None:
            found.setdefault(media.transcript_path, f"Transcript of {name}")
    for ref in view.wrapped.body.references:
        if ref.path is not None and ref.path.suffix.lower() != ".md" and view.link_map.get(ref.target):
            found.setdefault(ref.path, ref.text)
    return list(found.items())


def _item(feed: _Feed, site, view, files: extension.PortfolioFiles) -> None:
    is_journal = view.section == "journal"
    entry = feed.entry(
        entry_id(view),
        view.title,
        "entry" if is_journal else "resource",
        view.wrapped.date,
        _body(site, view),
        "xhtml",
        ("blogpost", "blog") if is_journal else None,
    )
    if view.wrapped.summary:
        feed.sub(entry, "summary", view.wrapped.summary)
    feed.link(entry, "alternate", absolute(site, view.url), type="text/html")
    if is_journal:
        feed.link(entry, "leap2:is_part_of", "portfolio:journal")
        feed.category(entry, view.kind, KIND_SCHEME)
    else:
        feed.category(entry, view.type, TYPE_SCHEME)
        feed.category(entry, "Offline" if view.media else "Web", "categories:resource_type#")
    if view.wrapped.draft:  # only in a private export: Mahara's "not published"
        feed.category(entry, "Unready", "categories:readiness#")
    for tag in view.wrapped.tags:
        feed.category(entry, tag)
    for claim in view.skills:
        link = feed.link(entry, "leap2:is_evidence_of", skill_id(claim.skill))
        if claim.evidence:
            link.set("title", claim.evidence)
    if is_journal:
        for resource in view.resources:
            if resource.url:
                feed.link(entry, "related", resource.url, title=resource.title)
    else:
        for media in view.media:
            if media.path is None:
                feed.link(entry, "related", media.src, title=media.caption or media.alt or media.src)
    folder = view.wrapped.path.parent.resolve()
    for n, (path, description) in enumerate(_local_files(view), 1):
        try:
            wanted = f"files/{view.slug}/{path.resolve().relative_to(folder).as_posix()}"
        except ValueError:  # in static/
            wanted = f"files/{_rel(site, path)}"
        zip_path = feed.zip_path(path, wanted)
        files.binary(_rel(site, path), zip_path)
        file_id = f"portfolio:file/{'journal/' if is_journal else ''}{view.slug}/{n}"
        feed.file_entry(file_id, path, zip_path, view.wrapped.date, description, entry_id(view))
        feed.link(entry, "leap2:has_part", file_id)
    extension.item_data(entry, view, site.config.root)


def _agenda(feed: _Feed, site, when) -> None:
    """The learning agenda as a Leap2A plan, when the site has one."""
    sa = getattr(site, "self_assessment", None)
    agenda = sa.agenda if sa is not None else None  # None when this audience may not see it
    if agenda is None:
        return
    actions = [view.action for view in agenda.actions]
    goals = [view.goal for view in agenda.goals]
    if not actions and not goals:
        return
    plan = feed.entry(
        "portfolio:agenda",
        "Learning agenda",
        "plan",
        when,
        "; ".join(str(getattr(g, "why", "") or getattr(g, "skill", "")) for g in goals),
        "text",
        ("plan", "plans"),
    )
    for n, action in enumerate(actions, 1):
        task_id = f"portfolio:agenda/{n}"
        title = str(getattr(action, "title", "") or f"Action {n}")
        task = feed.entry(
            task_id,
            title,
            "plan",
            when,
            str(getattr(action, "provider", "") or ""),
            "text",
            ("task", "plans"),
        )
        status = str(getattr(action, "status", "") or "")
        if status:
            feed.category(task, status, "categories:status#")
        url = getattr(action, "url", "")
        if url:
            feed.link(task, "related", str(url))
        feed.link(task, "leap2:is_part_of", "portfolio:agenda")
        feed.link(plan, "leap2:has_part", task_id)


def write_leap2a_zip(site, destination: Path, problems: list[str] | None = None) -> int:
    """Write the zip; returns the number of files it holds besides leap2a.xml. (Callers
    write to a temporary file and rename it: ``commands.common.write_replacing``.)

    A public export carries files as the site publishes them: photos without their EXIF and
    XMP data (place, time, camera), unless ``keep_metadata``; SVG images sanitised; phone
    photos (HEIC) as HEIF without metadata. A private export (the learner's own copy, to
    import back) carries every file as it is. A file that cannot be cleaned is left out, with
    a line in ``problems``."""
    from elenefolio.render.published import Unpublishable, cleaned, heif_without_metadata, published_bytes
    from elenefolio.util.images import is_heif_name

    private, keep = site.audience.private, site.config.keep_metadata
    xml, files = build_leap2a(site)
    with zipfile.ZipFile(destination, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(XML_FILE, xml)
        seen = set()
        for zip_path, source in files:
            if zip_path in seen:
                continue
            seen.add(zip_path)
            heif = is_heif_name(source.name)
            if private or not (heif or cleaned(source.name)):
                archive.write(source, zip_path)
                continue
            try:
                data = source.read_bytes()
                data = heif_without_metadata(data) if heif else published_bytes(source.name, data, keep)
            except Unpublishable as exc:
                if problems is not None:
                    problems.append(f"{_rel(site, source)}:1: left out of the export: {exc.message}")
                seen.discard(zip_path)
                continue
            archive.writestr(zip_path, data)
    return len(seen)


__all__ = ["build_leap2a", "write_leap2a_zip"]
