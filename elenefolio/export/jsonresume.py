"""JSON Resume (v1.0.0 schema): basics, education, skills, projects, awards.

- ``basics``: name, headline, portfolio address, photo, the "about" text and
  the author's links as profiles (never the email address);
- ``education``: the courses and MOOCs named in journal entries (``course:``
  and resources of type mooc or course);
- ``skills``: the framework's skills that have evidence, with their area;
- ``projects``: artefacts; ``awards``: badges;
- ``meta.elenefolio``: the extension key (the schema allows no other
  top-level keys) with the evidence list and the self-assessment history.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlparse

from elenefolio import __version__
from elenefolio.export.common import (absolute, assessment_history, badge_entries,
                                      evidence_entries)

SCHEMA_URL = "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json"
EXTENSION = "elenefolio"


def _basics(site) -> dict:
    config = site.config
    author = config.author
    basics: dict = {"name": author.name, "url": config.base_url}
    if author.headline:
        basics["label"] = author.headline
    if site.photo_url:
        basics["image"] = absolute(site, site.photo_url)
    about = site.portfolio.about
    if about is not None and about.plain.strip():
        basics["summary"] = about.plain.strip()
    profiles = []
    for link in author.links:
        host = (urlparse(link.url).hostname or "").removeprefix("www.")
        path = urlparse(link.url).path.strip("/")
        profile = {"network": link.label.capitalize(), "url": link.url}
        if path and "/" not in path and host not in ("", config.base_url):
            profile["username"] = path
        profiles.append(profile)
    if profiles:
        basics["profiles"] = profiles
    return basics


def _education(site) -> list[dict]:
    courses: dict[str, dict] = {}
    for view in sorted(site.journal, key=lambda v: v.sort_key):
        day = view.wrapped.day
        names = []
        if view.course:
            names.append((view.course, "", "Course"))
        for resource in view.resources:
            if resource.type in ("mooc", "course"):
                names.append((resource.title, resource.url, "MOOC" if resource.type == "mooc" else "Course"))
        for name, url, kind in names:
            course = courses.setdefault(name.lower(), {"area": name, "studyType": kind,
                                                       "startDate": day.isoformat(),
                                                       "endDate": day.isoformat()})
            course["endDate"] = day.isoformat()
            if url and "url" not in course:
                course["url"] = url
                course["institution"] = (urlparse(url).hostname or "").removeprefix("www.")
    return list(courses.values())


def _skills(site) -> list[dict]:
    out = []
    for skill in site.skills:
        if not skill.count and not skill.badges:
            continue
        keywords = [skill.area_name]
        keywords += [e.item.title for e in skill.artefacts][:5]
        out.append({"name": skill.name, "keywords": keywords})
    return out


def _projects(site) -> list[dict]:
    out = []
    for view in site.artefacts:
        project: dict = {"name": view.title, "startDate": view.wrapped.day.isoformat(),
                         "url": absolute(site, view.url), "type": view.type}
        if view.summary_text:
            project["description"] = view.summary_text
        if view.role:
            project["roles"] = [view.role]
        if view.context:
            project["entity"] = view.context
        keywords = [c.skill.name for c in view.skills] + list(view.wrapped.tags)
        if keywords:
            project["keywords"] = keywords
        highlights = [c.evidence for c in view.skills if c.evidence]
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
            summary = f"{summary} ({view.status_label})".strip()
        if summary:
            award["summary"] = summary
        out.append(award)
    return out


def build_resume(site) -> dict:
    resume: dict = {"$schema": SCHEMA_URL, "basics": _basics(site)}
    for key, value in (("education", _education(site)), ("skills", _skills(site)),
                       ("projects", _projects(site)), ("awards", _awards(site))):
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
