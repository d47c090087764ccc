"""schema.org JSON-LD and Open Graph tags for public pages.

Person on the home page, CreativeWork for artefacts, BlogPosting for journal
entries and DefinedTerm for skills (with their ESCO URI where known). Only a
public build's listed pages get them; private copies and unlisted pages get
none. The email address is never part of them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from markupsafe import Markup

from elenefolio.site import urls

KINDS = ("home", "entry", "artefact", "skill")


@dataclass
class StructuredData:
    jsonld: Markup
    og: list[tuple[str, str]] = field(default_factory=list)


def script_json(data: dict) -> Markup:
    """JSON safe to place inside <script>: no '<', '>' or '&' can end the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


def _abs(site, url: str) -> str:
    return urls.absolute(site.config.base_url, url)


def _person(site, full: bool = False) -> dict:
    author = site.config.author
    person: dict = {"@type": "Person", "name": author.name, "url": site.config.base_url}
    if full:
        if author.headline:
            person["description"] = author.headline
        if site.photo_url:
            person["image"] = _abs(site, site.photo_url)
        if author.links:
            person["sameAs"] = [link.url for link in author.links]
    return person


def defined_term(site, skill) -> dict:
    term: dict = {
        "@type": "DefinedTerm",
        "name": skill.name,
        "termCode": skill.id,
        "url": _abs(site, skill.url),
        "inDefinedTermSet": {"@type": "DefinedTermSet", "name": site.portfolio.framework.name},
    }
    if skill.description:
        term["description"] = skill.description
    if skill.esco:
        term["sameAs"] = skill.esco
    return term


def _item(site, view, kind: str) -> dict:
    data: dict = {
        "@type": "BlogPosting" if kind == "entry" else "CreativeWork",
        "headline": view.title,
        "name": view.title,
        "url": _abs(site, view.url),
        "mainEntityOfPage": _abs(site, view.url),
        "author": _person(site),
        "inLanguage": view.wrapped.lang or site.config.language,
    }
    date = view.wrapped.date.isoformat()
    data["datePublished" if kind == "entry" else "dateCreated"] = date
    if view.modified is not None:
        data["dateModified"] = view.modified.isoformat()
    summary = view.summary_text
    if summary:
        data["description"] = summary
    if view.wrapped.tags:
        data["keywords"] = ", ".join(view.wrapped.tags)
    if view.skills:
        data["about"] = [defined_term(site, c.skill) for c in view.skills]
    if getattr(view, "thumbnail", ""):
        data["image"] = _abs(site, view.thumbnail)
    return data


def for_page(site, page) -> StructuredData | None:
    """The JSON-LD and Open Graph tags of ``page``, or None when it gets none."""
    if site.audience.private or page.noindex or not page.listed or page.kind not in KINDS:
        return None
    if page.part > 1:  # the next pages of a skill's evidence: the skill is described on its first
        return None
    config = site.config
    url = _abs(site, page.url)
    og = [("og:site_name", config.title), ("og:url", url), ("og:locale", config.language.replace("-", "_"))]
    if page.kind == "home":
        data = {"@context": "https://schema.org", **_person(site, full=True)}
        og += [("og:type", "profile"), ("og:title", config.author.name or config.title)]
        if config.author.headline:
            og.append(("og:description", config.author.headline))
        if site.photo_url:
            og.append(("og:image", _abs(site, site.photo_url)))
    elif page.kind == "skill":
        skill = page.context["skill"]
        data = {"@context": "https://schema.org", **defined_term(site, skill)}
        og += [("og:type", "website"), ("og:title", skill.name)]
        if skill.description:
            og.append(("og:description", skill.description))
    else:
        view = page.body_of
        if view is None or not view.listed or view.visibility != "public":
            return None
        data = {"@context": "https://schema.org", **_item(site, view, page.kind)}
        og += [
            ("og:type", "article"),
            ("og:title", view.title),
            ("article:published_time", view.wrapped.date.isoformat()),
        ]
        if view.summary_text:
            og.append(("og:description", view.summary_text))
        if getattr(view, "thumbnail", ""):
            og.append(("og:image", _abs(site, view.thumbnail)))
        og += [("article:tag", tag) for tag in view.wrapped.tags]
    return StructuredData(script_json(data), og)
