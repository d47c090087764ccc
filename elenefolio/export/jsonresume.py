"""JSON Resume (v1.0.0 schema): basics, education, certificates, skills, projects, awards.

- ``basics``: name, headline, portfolio address, photo, the "about" text,
  ``location`` (an object, empty: themes expect one) and the author's links as
  profiles (never the email address);
- ``education`` (courses) and ``certificates`` (MOOCs): the courses the learner
  took, from the agenda's actions of type course or mooc that are ``done`` and
  from journal entries (``course:`` and resources of type mooc or course). A
  course the agenda says is planned or in progress, or that only entries of kind
  ``plan`` name, is not there; each course is there once (the same address, or
  the same name without a trailing "(provider)");
- ``skills``: by default one entry per area of the framework, whose keywords are
  the names of its skills that have evidence; with ``keywords="evidence"`` one
  entry per skill, whose keywords are the titles of its evidence;
- ``projects``: artefacts; ``awards``: badges;
- ``meta.elenefolio``: the extension key (the schema allows no other
  top-level keys) with the evidence list and the self-assessment history.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import urlparse

from elenefolio import __version__
from elenefolio.badges.assertion import status_label
from elenefolio.export.common import absolute, assessment_history, badge_entries, evidence_entries

SCHEMA_URL = "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json"
EXTENSION = "elenefolio"


def _basics(site) -> dict:
    config = site.config
    author = config.author
    basics: dict = {"name": author.name, "url": config.base_url, "location": {}}
    if author.headline:
        basics["label"] = author.headline
    if site.photo_url:
        basics["image"] = absolute(site, site.photo_url)
    about = site.portfolio.about
    if about is not None and about.plain.strip():
        basics["summary"] = about.plain.strip()
    profiles = []
    for link in _unique(author.links, key=lambda link: link.url):
        host = (urlparse(link.url).hostname or "").removeprefix("www.")
        path = urlparse(link.url).path.strip("/")
        profile = {"network": link.label.capitalize(), "url": link.url}
        if path and "/" not in path and host not in ("", config.base_url):
            profile["username"] = path
        profiles.append(profile)
    if profiles:
        basics["profiles"] = profiles
    return basics


def _unique(values, key=lambda value: value) -> list:
    """``values`` without repeats (by ``key``), in their order."""
    seen, out = set(), []
    for value in values:
        if key(value) not in seen:
            seen.add(key(value))
            out.append(value)
    return out


@dataclass
class _Course:
    name: str
    kind: str  # "course" or "mooc"
    keys: set[str]
    url: str = ""
    institution: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    done: bool | None = None  # what the agenda says; None: only the journal names it
    taken: bool = False  # named in a journal entry that is not a plan

    def seen(self, day: dt.date) -> None:
        self.start = min(self.start or day, day)
        self.end = max(self.end or day, day)


def _keys(name: str, url: str) -> set[str]:
    """What identifies a course: its address, and its name without a trailing "(provider)"."""
    keys = set()
    words = re.sub(r"\W+", " ", re.sub(r"\s*\([^)]*\)\s*$", "", name).lower()).strip()
    if words:
        keys.add("name:" + words)
    if url:
        parsed = urlparse(url)
        keys.add("url:" + (parsed.hostname or "").removeprefix("www.") + parsed.path.rstrip("/"))
    return keys


class _Courses:
    def __init__(self):
        self.all: list[_Course] = []

    def add(self, name: str, kind: str, url: str = "") -> _Course:
        keys = _keys(name, url)
        course = next((c for c in self.all if c.keys & keys), None)
        if course is None:
            course = _Course(name, kind, keys)
            self.all.append(course)
        course.keys |= keys
        if kind == "mooc":
            course.kind = "mooc"
        if url and not course.url:
            course.url = url
            course.institution = course.institution or (urlparse(url).hostname or "").removeprefix("www.")
        return course


def _courses(site) -> list[_Course]:
    """The completed courses and MOOCs, oldest first."""
    courses = _Courses()
    sa = getattr(site, "self_assessment", None)
    agenda = sa.agenda if sa is not None else None  # None when this audience may not see it
    for view in agenda.actions if agenda is not None else []:
        action = view.action
        if action.type in ("mooc", "course"):
            course = courses.add(action.title, action.type, action.url)
            course.done = bool(course.done) or action.status == "done"  # completed once is enough
            course.institution = action.provider or course.institution
            course.start, course.end = action.start or course.start, action.end or course.end
    for view in sorted(site.journal, key=lambda v: v.sort_key):
        named = [(view.course, "course", "")] if view.course else []
        named += [(r.title, r.type, r.url) for r in view.resources if r.type in ("mooc", "course")]
        for name, kind, url in named:
            course = courses.add(name, kind, url)
            if course.done is None:  # the agenda's dates win
                course.seen(view.wrapped.day)
            course.taken = course.taken or view.kind != "plan"
    done = [c for c in courses.all if c.done or (c.done is None and c.taken)]
    return sorted(done, key=lambda c: (c.start or dt.date.min, c.name.lower()))


def _education(courses: list[_Course]) -> list[dict]:
    out = []
    for course in courses:
        if course.kind != "course":
            continue
        entry = {"area": course.name, "studyType": "Course"}
        if course.institution:
            entry["institution"] = course.institution
        if course.url:
            entry["url"] = course.url
        if course.start:
            entry["startDate"] = course.start.isoformat()
        if course.end:
            entry["endDate"] = course.end.isoformat()
        out.append(entry)
    return out


def _certificates(courses: list[_Course]) -> list[dict]:
    out = []
    for course in courses:
        if course.kind != "mooc":
            continue
        entry = {"name": course.name}
        if course.end:
            entry["date"] = course.end.isoformat()
        if course.institution:
            entry["issuer"] = course.institution
        if course.url:
            entry["url"] = course.url
        out.append(entry)
    return out


def _skills(site, keywords: str = "skills") -> list[dict]:
    """By area with the skills' names as keywords, or (``evidence``) by skill with the titles
    of its evidence."""
    shown = [s for s in site.skills if s.count or s.badges]
    if keywords == "evidence":
        return [
            {"name": s.name, "keywords": _unique(e.item.title for e in s.artefacts + s.journal)}
            for s in shown
        ]
    out = []
    for area in site.areas:
        names = _unique(s.name for s in area.skills if s in shown)
        if names:
            out.append({"name": area.name, "keywords": names})
    return out


def _projects(site) -> list[dict]:
    out = []
    for view in site.artefacts:
        project: dict = {
            "name": view.title,
            "startDate": view.wrapped.day.isoformat(),
            "url": absolute(site, view.url),
            "type": view.type,
        }
        if view.summary_text:
            project["description"] = view.summary_text
        if view.role:
            project["roles"] = [view.role]
        if view.context:
            project["entity"] = view.context
        keywords = _unique([c.skill.name for c in view.skills] + list(view.wrapped.tags))
        if keywords:
            project["keywords"] = keywords
        highlights = _unique(c.evidence for c in view.skills if c.evidence)
        if highlights:
            project["highlights"] = highlights
        out.append(project)
    return out


def _awards(site) -> list[dict]:
    out = []
    for view in site.badges:
        award: dict = {"title": view.name}
        if view.issued:
            award["date"] = view.issued.isoformat()
        if view.data.issuer:
            award["awarder"] = view.data.issuer
        summary = view.data.description
        if view.status != "confirmed":
            summary = f"{summary} ({status_label(view.status, view.data.expires)})".strip()
        if summary:
            award["summary"] = summary
        out.append(award)
    return out


def build_resume(site, keywords: str = "skills") -> dict:
    """The resume; ``keywords``: "skills" (the framework's names) or "evidence" (the titles of
    each skill's evidence) for the keywords of ``skills``."""
    resume: dict = {"$schema": SCHEMA_URL, "basics": _basics(site)}
    courses = _courses(site)
    for key, value in (
        ("education", _education(courses)),
        ("certificates", _certificates(courses)),
        ("skills", _skills(site, keywords)),
        ("projects", _projects(site)),
        ("awards", _awards(site)),
    ):
        if value:
            resume[key] = value
    resume["meta"] = {
        "canonical": site.config.base_url,
        "version": "v1.0.0",
        "lastModified": dt.datetime.now().replace(microsecond=0).isoformat(),
        EXTENSION: {
            "generator": f"elenefolio {__version__}",
            "framework": site.portfolio.framework.name,
            "evidence": evidence_entries(site),
            "badges": badge_entries(site),
        },
    }
    history = assessment_history(site)
    if history:
        resume["meta"][EXTENSION]["selfAssessment"] = history
    return resume


__all__ = ["build_resume"]
