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
  exported: they may carry the recipient's identity).
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import zipfile
from pathlib import Path

from lxml import etree

from elenefolio import __version__, markup
from elenefolio.export.common import absolute

ATOM = "http://www.w3.org/2005/Atom"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
LEAP2 = "http://terms.leapspecs.org/"
CATEGORIES = "http://wiki.leapspecs.org/2A/categories/"
MAHARA = "http://wiki.mahara.org/Developer_Area/Import%2F%2FExport/LEAP_Extensions#"
VERSION = "http://www.leapspecs.org/2010-07/2A/"
SKILL_SCHEME = "urn:elenefolio:skill"
KIND_SCHEME = "urn:elenefolio:journal-kind"
TYPE_SCHEME = "urn:elenefolio:artefact-type"
XML_FILE = "leap2a.xml"


def _time(value) -> str:
    if isinstance(value, dt.datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
    else:
        moment = dt.datetime.combine(value, dt.time(), dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class _Feed:
    def __init__(self, site):
        self.site = site
        nsmap = {None: ATOM, "rdf": RDF, "leap2": LEAP2, "categories": CATEGORIES,
                 "portfolio": site.config.base_url, "mahara": MAHARA}
        self.root = etree.Element(f"{{{ATOM}}}feed", nsmap=nsmap)
        self.files: list[tuple[str, Path]] = []

    def sub(self, parent, tag: str, text: str | None = None, ns: str = ATOM, **attrs):
        element = etree.SubElement(parent, f"{{{ns}}}{tag}", {k: str(v) for k, v in attrs.items()})
        if text is not None:
            element.text = text
        return element

    def entry(self, entry_id: str, title: str, leaptype: str, when, content: str = "",
              content_type: str = "html", plugin: tuple[str, str] | None = None):
        entry = self.sub(self.root, "entry")
        self.sub(entry, "title", title)
        self.sub(entry, "id", entry_id)
        stamp = _time(when)
        self.sub(entry, "updated", stamp)
        self.sub(entry, "published", stamp)
        self.sub(entry, "content", content, type=content_type)
        self.sub(entry, "type", ns=RDF, **{f"{{{RDF}}}resource": f"leap2:{leaptype}"})
        if plugin:
            self.sub(entry, "artefactplugin", ns=MAHARA,
                     **{f"{{{MAHARA}}}type": plugin[0], f"{{{MAHARA}}}plugin": plugin[1]})
        return entry

    def link(self, entry, rel: str, href: str, **attrs):
        return self.sub(entry, "link", rel=rel, href=href, **attrs)

    def category(self, entry, term: str, scheme: str = ""):
        attrs = {"term": term}
        if scheme:
            attrs["scheme"] = scheme
        return self.sub(entry, "category", **attrs)


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

    person = feed.entry("portfolio:person", config.author.name, "person", newest,
                        config.author.headline, "text")
    for link in config.author.links:
        feed.link(person, "related", link.url, title=link.label)

    journal = [v for v in items if v.section == "journal"]
    if journal:
        selection = feed.entry("portfolio:journal", "Journal", "selection", newest,
                               f"The learning journal of {config.author.name}", "text",
                               ("blog", "blog"))
        feed.category(selection, "Blog", "categories:selection_type#")
        for order, view in enumerate(journal, 1):
            feed.link(selection, "leap2:has_part", entry_id(view),
                      **{f"{{{LEAP2}}}display_order": order})
    for view in items:
        _item(feed, site, view)
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
        achievement = feed.entry(f"portfolio:badge/{badge.slug}", badge.name, "achievement", when,
                                 badge.data.description, "text")
        if badge.issued:
            feed.sub(achievement, "date", badge.issued.isoformat(), ns=LEAP2,
                     **{f"{{{LEAP2}}}point": "end"})
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


def _item(feed: _Feed, site, view) -> None:
    is_journal = view.section == "journal"
    entry = feed.entry(entry_id(view), view.title, "entry" if is_journal else "resource",
                       view.wrapped.date, _body(site, view), "html",
                       ("blogpost", "blog") if is_journal else None)
    if view.wrapped.summary:
        feed.sub(entry, "summary", view.wrapped.summary)
    feed.link(entry, "alternate", absolute(site, view.url), type="text/html")
    if is_journal:
        feed.link(entry, "leap2:is_part_of", "portfolio:journal")
        feed.category(entry, view.kind, KIND_SCHEME)
    else:
        feed.category(entry, view.type, TYPE_SCHEME)
        feed.category(entry, "Offline" if view.media else "Web", "categories:resource_type#")
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
        return
    for n, media in enumerate(view.media, 1):
        if media.path is None:
            feed.link(entry, "related", media.src, title=media.caption or media.alt or media.src)
            continue
        name = media.path.name
        zip_path = f"files/{view.slug}/{name}"
        feed.files.append((zip_path, media.path))
        file_id = f"portfolio:file/{view.slug}/{n}"
        mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
        file_entry = feed.entry(file_id, name, "resource", view.wrapped.date,
                                media.caption or media.alt, "text", ("file", "file"))
        feed.category(file_entry, "Offline", "categories:resource_type#")
        feed.link(file_entry, "enclosure", zip_path, type=mime, length=media.path.stat().st_size)
        feed.link(file_entry, "leap2:is_part_of", entry_id(view))
        feed.link(entry, "leap2:has_part", file_id)


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
    plan = feed.entry("portfolio:agenda", "Learning agenda", "plan", when,
                      "; ".join(str(getattr(g, "why", "") or getattr(g, "skill", "")) for g in goals),
                      "text", ("plan", "plans"))
    for n, action in enumerate(actions, 1):
        task_id = f"portfolio:agenda/{n}"
        title = str(getattr(action, "title", "") or f"Action {n}")
        task = feed.entry(task_id, title, "plan", when, str(getattr(action, "provider", "") or ""),
                          "text", ("task", "plans"))
        status = str(getattr(action, "status", "") or "")
        if status:
            feed.category(task, status, "categories:status#")
        url = getattr(action, "url", "")
        if url:
            feed.link(task, "related", str(url))
        feed.link(task, "leap2:is_part_of", "portfolio:agenda")
        feed.link(plan, "leap2:has_part", task_id)


def write_leap2a_zip(site, destination: Path) -> int:
    """Write the zip; returns the number of files it holds besides leap2a.xml. (Callers
    write to a temporary file and rename it: ``commands.common.write_replacing``.)"""
    xml, files = build_leap2a(site)
    with zipfile.ZipFile(destination, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(XML_FILE, xml)
        seen = set()
        for zip_path, source in files:
            if zip_path not in seen:
                archive.write(source, zip_path)
                seen.add(zip_path)
    return len(seen)


__all__ = ["build_leap2a", "write_leap2a_zip"]
