"""``portfolio.json``: the published portfolio as data.

The manifest holds exactly what the site publishes for its audience: the
profile (never the email addresses), the skills framework with counts,
and every listed item with its absolute address. The education passport
embeds it as an attachment and ``elenefolio export --format json`` writes it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from elenefolio import __version__
from elenefolio.export.common import assessment_history, badge_entries
from elenefolio.site import urls
from elenefolio.util import clock

MANIFEST_FORMAT = "elenefolio-portfolio"
MANIFEST_VERSION = 1


def _date(value) -> str:
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="minutes")
    return value.isoformat()


def build_manifest(site, issued: dt.date | None = None, collection=None) -> dict[str, Any]:
    """The manifest of ``site``: plain JSON-ready data, in a stable order; of ``collection``
    (a site.views.CollectionView) alone: its items, and the skills' counts among them."""
    config = site.config
    base = config.base_url
    author = config.author
    profile: dict[str, Any] = {
        "name": author.name,
        "headline": author.headline,
        "url": base,
        "links": [{"label": link.label, "url": link.url} for link in author.links],
    }
    if site.photo_url:
        profile["photo"] = urls.absolute(base, site.photo_url)
    framework = site.portfolio.framework
    items = site.journal + site.artefacts if collection is None else collection.items
    counts: dict[str, int] = {}
    for view in items:
        for claim in view.skills:
            counts[claim.skill.id] = counts.get(claim.skill.id, 0) + 1
    skills = [
        {
            "id": skill.id,
            "name": skill.name,
            "area": skill.area,
            "area_name": skill.area_name,
            "esco": skill.esco or None,
            "url": urls.absolute(base, skill.url),
            "evidence_count": skill.count if collection is None else counts.get(skill.id, 0),
            "badges": [badge.slug for badge in getattr(skill, "badges", [])],
        }
        for skill in site.skills
    ]
    evidence = []
    for view in sorted(items, key=lambda v: v.sort_key) if collection is None else items:
        record: dict[str, Any] = {
            "id": f"{view.section}/{view.slug}",
            "kind": "artefact" if view.section == "artefacts" else "journal-entry",
            "title": view.title,
            "date": _date(view.date),
            "url": urls.absolute(base, view.url),
            "summary": view.summary_text,
            "tags": [str(getattr(t, "name", t)) for t in view.tags],
            "skills": [{"id": c.skill.id, "evidence": c.evidence} for c in view.skills],
        }
        if view.section == "artefacts":
            record["type"] = view.type
            record["featured"] = bool(view.featured)
            if view.context:
                record["context"] = view.context
            if view.role:
                record["role"] = view.role
            record["media"] = [
                {"kind": m.kind, "url": m.url if m.kind == "link" else urls.absolute(base, m.url)}
                for m in view.media
            ]
        else:
            record["type"] = view.kind
        evidence.append(record)
    manifest = {
        "format": MANIFEST_FORMAT,
        "version": MANIFEST_VERSION,
        "generator": f"elenefolio {__version__}",
        "issued": (issued or clock.today()).isoformat(),
        "language": config.language,
        "title": config.title,
        "url": base,
        "private_copy": bool(site.audience.private),
        "profile": profile,
        "framework": {
            "id": framework.id,
            "name": framework.name,
            "areas": [{"id": a.id, "name": a.name} for a in framework.areas],
        },
        "skills": skills,
        "evidence": evidence,
        "assessments": assessment_history(site) if collection is None else [],
        "badges": badge_entries(site, issued) if collection is None else [],
    }
    if collection is not None:
        manifest["collection"] = {
            "name": collection.name,
            "title": collection.title,
            "url": urls.absolute(base, collection.url),
        }
    return manifest
