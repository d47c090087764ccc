"""What the exports share: plain dictionaries for evidence, skills and badges (never the
email address). The site they are made from is built by ``pipeline.load_site``."""

from __future__ import annotations

from elenefolio.badges.assertion import status_label
from elenefolio.site import urls


def absolute(site, url: str) -> str:
    return urls.absolute(site.config.base_url, url)


def iso(value) -> str:
    return value.isoformat() if value is not None else ""


def evidence_entries(site) -> list[dict]:
    """Every listed journal entry and artefact, oldest first, with its skills."""
    out = []
    for view in sorted(site.journal + site.artefacts, key=lambda v: v.sort_key):
        entry = {
            "type": "journal-entry" if view.section == "journal" else "artefact",
            "slug": view.slug,
            "title": view.title,
            "date": iso(view.wrapped.date),
            "url": absolute(site, view.url),
            "summary": view.summary_text,
            "tags": list(view.wrapped.tags),
            "skills": [
                {"id": c.skill.id, **({"statement": c.evidence} if c.evidence else {})} for c in view.skills
            ],
        }
        if view.section == "journal":
            entry["kind"] = view.kind
        else:
            entry["artefactType"] = view.type
        out.append(entry)
    return out


def badge_entries(site, today=None) -> list[dict]:
    """The shown badges: what they say and their offline status, never the recipient."""
    out = []
    for view in site.badges:
        data = view.data
        entry = {
            "slug": view.slug,
            "name": view.name,
            "description": data.description,
            "issuer": data.issuer,
            "issuerUrl": data.issuer_url,
            "issued": iso(data.issued),
            "expires": iso(data.expires),
            "openBadgesVersion": data.version,
            "criteria": data.criteria,
            "criteriaUrl": data.criteria_url,
            "url": absolute(site, view.url),
            "image": "" if view.default_image else absolute(site, view.image_url),
            "status": view.status,
            "statusLabel": status_label(view.status, data.expires),
            "checks": [{"check": c.name, "result": c.state, "text": c.message} for c in data.checks],
            "skills": [s.id for s in view.skills],
            "evidence": [absolute(site, item.url) for item in view.evidence],
        }
        out.append(entry)
    return out


def profile(site) -> dict:
    config = site.config
    author = config.author
    out = {
        "name": author.name,
        "headline": author.headline,
        "url": config.base_url,
        "language": config.language,
        "links": [{"label": link.label, "url": link.url} for link in author.links],
    }
    if site.photo_url:
        out["photo"] = absolute(site, site.photo_url)
    return out


def assessment_history(site) -> list[dict]:
    """The self-assessment rounds this audience may see, with the level of each skill."""
    sa = getattr(site, "self_assessment", None)
    if sa is None or not sa.has_rounds:
        return []
    history = []
    for profile in sa.analysis.profiles:
        history.append(
            {
                "date": profile.round.date.isoformat(),
                "label": profile.round.label,
                "framework": profile.round.framework,
                "url": absolute(site, sa.url_of(profile)),
                "levels": [
                    {
                        "skill": s.skill.id,
                        "level": s.level,
                        "percent": s.percent,
                        "importance": s.importance,
                        "priority": s.priority,
                    }
                    for s in profile.levels
                    if s.assessed
                ],
            }
        )
    return history
