"""Imported HTML (Mahara content, SmartEvidence descriptions) → Markdown.

The HTML is made ready for the sanitiser (embedded players and remote images become links,
Mahara's own file addresses point at the export's entry), sanitised with nh3, then turned
into Markdown with markdownify: nothing executable and nothing loaded from another site
survives, and what the learner wrote keeps its structure (lists, links, emphasis).
"""

from __future__ import annotations

import re

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "div",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
}

EMBEDS = ("iframe", "embed", "object", "video", "audio", "source")
# Mahara's addresses of its own files and artefacts, in content it did not rewrite to
# ``portfolio:artefactN`` (and in older exports): both become links to that entry.
_MAHARA_FILE = re.compile(r"(?:^|/)artefact/file/download\.php\?(?:.*&)?file=(\d+)")
_MAHARA_ARTEFACT = re.compile(r"(?:^|/)view/artefact\.php\?(?:.*&)?artefact=(\d+)")


def _portfolio_address(url: str) -> str:
    """``portfolio:artefactN`` for Mahara's own file and artefact addresses, else ``url``."""
    found = _MAHARA_FILE.search(url) or _MAHARA_ARTEFACT.search(url)
    return f"portfolio:artefact{found.group(1)}" if found else url


def prepare_html(html: str) -> str:
    """Content HTML made ready for the sanitiser, so that nothing is lost silently:
    embedded players (``<iframe>``, ``<object>``, ``<video>``...) become links to what they
    play; Mahara's embedded images (``<img rel="leap2:has_part" href="portfolio:artefactN">``
    and ``download.php?file=N`` addresses) point at the export's entry; a remote image becomes
    a link, never an image loaded from another site."""
    import lxml.html
    from lxml import etree

    if not html.strip():
        return html
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return html
    for element in list(root.iter(*EMBEDS)):
        if element.getparent() is None:
            continue
        source = (
            element.get("src")
            or element.get("data")
            or next((child.get("src") for child in element.iter("source") if child.get("src")), "")
        )
        if element.tag == "source" and element.getparent().tag in EMBEDS:
            continue
        _replace_with_link(element, source, element.get("title") or "")
    for element in root.iter("a", "img"):
        attribute = "href" if element.tag == "a" else "src"
        address = element.get(attribute) or ""
        if element.tag == "img" and not address and element.get("href"):
            address = element.get("href")  # Mahara writes its embedded images with href
        if address:
            element.set(attribute, _portfolio_address(address))
        if element.tag == "img" and element.get("src", "").lower().startswith(("http://", "https://", "//")):
            _replace_with_link(element, element.get("src"), element.get("alt") or "")
    return (root.text or "") + "".join(
        etree.tostring(child, method="html", encoding="unicode", with_tail=True) for child in root
    )


_PLAYERS = (
    (
        re.compile(r"^(?:https?:)?//(?:www\.)?youtube(?:-nocookie)?\.com/embed/([\w-]+)"),
        "https://www.youtube.com/watch?v={}",
    ),
    (re.compile(r"^(?:https?:)?//player\.vimeo\.com/video/(\d+)"), "https://vimeo.com/{}"),
)


def _watch_address(address: str) -> str:
    """The page of a video rather than its embedded player; ``//host`` made https."""
    for pattern, page in _PLAYERS:
        found = pattern.match(address)
        if found:
            return page.format(found.group(1))
    return "https:" + address if address.startswith("//") else address


def _replace_with_link(element, address: str, text: str) -> None:
    """Put a link to ``address`` (or, without one, its text) where ``element`` was."""
    import lxml.html

    address = _watch_address(_portfolio_address(address or ""))
    label = " ".join(text.split()) or " ".join(element.text_content().split())
    if address.startswith(("http://", "https://", "portfolio:")):
        if not label:
            from urllib.parse import urlsplit

            label = urlsplit(address).netloc or address
        replacement = lxml.html.Element("a", href=address)
        replacement.text = label
    else:
        replacement = lxml.html.Element("span")
        replacement.text = label
    replacement.tail = element.tail
    element.getparent().replace(element, replacement)


def html_to_markdown(html: str) -> str:
    """Sanitised HTML → Markdown."""
    import nh3
    from markdownify import markdownify

    clean = nh3.clean(
        prepare_html(html),
        tags=ALLOWED_TAGS,
        attributes={
            "a": {"href", "title"},
            "img": {"src", "alt", "title"},
            "td": {"colspan", "rowspan"},
            "th": {"colspan", "rowspan"},
        },
        url_schemes={"http", "https", "mailto", "portfolio", "files"},
        link_rel=None,
    )
    text = markdownify(clean, heading_style="ATX", bullets="-", strip=["span", "div", "u"])
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    return text
