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
from urllib.parse import urlparse

from elenefolio import __version__
from elenefolio.badges.assertion import status_label
from elenefolio.export.common import absolute, assessment_history, badge_entries, evidence_entries
from elenefolio.site.courses import Course, completed_courses

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


def _education(courses: list[Course]) -> list[dict]:
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


def _certificates(courses: list[Course]) -> list[dict]:
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
    courses = completed_courses(site)
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
