"""Machine-readable outputs: the Atom feed, the sitemap and robots.txt."""

from __future__ import annotations

import datetime as dt
from typing import Protocol
from xml.etree import ElementTree as ET

from elenefolio.site import Site, urls
from elenefolio.site.views import ItemView, as_utc

ATOM = "http://www.w3.org/2005/Atom"
XML = "http://www.w3.org/XML/1998/namespace"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
FEED_SIZE = 50


class Bodies(Protocol):
    """Rendered bodies by address: a dict, or the renderer's, which renders them when asked."""

    def get(self, url: str, default: str, /) -> str: ...


def _timestamp(view: ItemView, updated: bool = False) -> str:
    moment = view.updated_datetime if updated else view.datetime
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.isoformat().replace("+00:00", "Z")


def atom_feed(site: Site, bodies: Bodies) -> bytes:
    """The Atom feed of listed journal entries and artefacts, newest first.

    ``bodies`` maps an item's address to its rendered HTML (relative links,
    resolved against each entry's ``xml:base``).
    """
    config = site.config
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": config.language})
    ET.SubElement(feed, f"{{{ATOM}}}title").text = config.title
    if config.author.headline:
        ET.SubElement(feed, f"{{{ATOM}}}subtitle").text = config.author.headline
    ET.SubElement(feed, f"{{{ATOM}}}id").text = config.base_url
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=config.base_url)
    ET.SubElement(
        feed,
        f"{{{ATOM}}}link",
        rel="self",
        type="application/atom+xml",
        href=urls.absolute(config.base_url, urls.FEED),
    )
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = config.author.name
    ET.SubElement(feed, f"{{{ATOM}}}generator").text = "elenefolio"
    items = sorted(site.journal + site.artefacts, key=lambda v: v.sort_key, reverse=True)[:FEED_SIZE]
    updated = ET.SubElement(feed, f"{{{ATOM}}}updated")
    latest = max(items, key=lambda v: as_utc(v.updated_datetime), default=None)
    updated.text = _timestamp(latest, updated=True) if latest else "1970-01-01T00:00:00Z"
    for view in items:
        link = urls.absolute(config.base_url, view.url)
        attributes = {f"{{{XML}}}base": link}
        if view.wrapped.lang:  # the language of its title, summary and content
            attributes[f"{{{XML}}}lang"] = view.wrapped.lang
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry", attributes)
        ET.SubElement(entry, f"{{{ATOM}}}title").text = view.title
        ET.SubElement(entry, f"{{{ATOM}}}id").text = link
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=link)
        ET.SubElement(entry, f"{{{ATOM}}}published").text = _timestamp(view)
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _timestamp(view, updated=True)
        for claim in view.skills:
            ET.SubElement(entry, f"{{{ATOM}}}category", term=claim.skill.id, label=claim.skill.name)
        summary = view.summary_text
        if summary:
            ET.SubElement(entry, f"{{{ATOM}}}summary").text = summary
        content = ET.SubElement(entry, f"{{{ATOM}}}content", type="html")
        content.text = bodies.get(view.url, "")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8")


def sitemap(site: Site) -> bytes:
    """``sitemap.xml``: the absolute address of every listed page.

    Written as text (it has one shape): a thousand pages take a few milliseconds
    rather than the tens an element tree takes, on every build."""
    from xml.sax.saxutils import escape

    base = site.config.base_url
    lines = [f'<?xml version="1.0" encoding="utf-8"?>\n<urlset xmlns="{SITEMAP}">']
    for page in site.pages:
        if not page.listed or page.noindex:
            continue
        loc = escape(urls.absolute(base, page.url))
        if page.body_of is not None:
            lastmod = _day(page.body_of.updated_datetime)
            lines.append(f"<url><loc>{loc}</loc><lastmod>{lastmod}</lastmod></url>")
        else:
            lines.append(f"<url><loc>{loc}</loc></url>")
    lines.append("</urlset>")
    return "".join(lines).encode("utf-8")


def _day(moment: dt.datetime) -> str:
    return moment.date().isoformat()


def robots(site: Site) -> bytes:
    if site.audience.private:
        return b"User-agent: *\nDisallow: /\n"
    sitemap_url = urls.absolute(site.config.base_url, urls.SITEMAP)
    return f"User-agent: *\nAllow: /\n\nSitemap: {sitemap_url}\n".encode()
