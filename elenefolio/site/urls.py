"""The site's address scheme.

Addresses are kept relative to the site root, without a leading slash
(``journal/my-entry/``); pages link to each other with relative URLs, so
the same output works at a domain root and under a sub-path.
"""

from __future__ import annotations

import posixpath
from urllib.parse import quote, urlsplit

HOME = ""
JOURNAL = "journal/"
ARTEFACTS = "artefacts/"
SKILLS = "skills/"
TAGS = "tags/"
COLLECTIONS = "collections/"
SEARCH = "search/"
SEARCH_INDEX = "pagefind/"
FEED = "feed.xml"
SITEMAP = "sitemap.xml"
NOT_FOUND = "404.html"
THEME_ASSETS = "assets/"
PASSPORT_FILE = "passport.pdf"  # the education passport, when the build makes it


def journal_entry(slug: str) -> str:
    return f"{JOURNAL}{slug}/"


def journal_kind(kind: str) -> str:
    """The journal entries of one kind (``question``, ``plan``...)."""
    return f"{JOURNAL}kinds/{kind}/"


def artefact(slug: str) -> str:
    return f"{ARTEFACTS}{slug}/"


def skill(skill_id: str) -> str:
    return f"{SKILLS}{skill_id}/"


def tag(tag_slug: str) -> str:
    return f"{TAGS}{tag_slug}/"


def collection(name: str) -> str:
    return f"{COLLECTIONS}{name}/"


def output_file(url: str) -> str:
    """The file that serves ``url``: directories get an ``index.html``."""
    return f"{url}index.html" if url == "" or url.endswith("/") else url


def relative(from_url: str, to_url: str, offline: bool = False) -> str:
    """A relative URL from the page at ``from_url`` to ``to_url`` (both site-root relative);
    ``offline``: a folder's address names its ``index.html``, so that the link works in a
    site opened from the file system (``file://``), where no server serves a folder's index."""
    if "#" in to_url:
        to_url, fragment = to_url.split("#", 1)
        fragment = "#" + fragment
    else:
        fragment = ""
    is_dir = from_url == "" or from_url.endswith("/")
    base = from_url.rstrip("/") if is_dir else posixpath.dirname(from_url)
    target = to_url.rstrip("/")
    rel = _relpath(target or ".", base or ".")
    if to_url.endswith("/") or to_url == "":
        if offline:
            rel = "index.html" if rel == "." else rel + "/index.html"
        else:
            rel = "./" if rel == "." else rel + "/"
    return quote(rel, safe="/:@!$&'()*+,;=-._~%") + fragment


def _relpath(target: str, base: str) -> str:
    """``posixpath.relpath`` for clean site paths, without its calls to the file system."""
    t = [] if target == "." else target.split("/")
    b = [] if base == "." else base.split("/")
    if any(part in ("", ".", "..") for part in (*t, *b)):
        return posixpath.relpath(target, base)
    common = 0
    for x, y in zip(t, b):
        if x != y:
            break
        common += 1
    parts = [".."] * (len(b) - common) + t[common:]
    return "/".join(parts) or "."


def base_path(base_url: str) -> str:
    """The path part of ``base_url`` (``/`` or ``/portfolio/``)."""
    path = urlsplit(base_url).path or "/"
    return path if path.endswith("/") else path + "/"


def absolute(base_url: str, url: str) -> str:
    """The full address of a site-root relative ``url``."""
    return base_url + quote(url, safe="/:@!$&'()*+,;=-._~%#")
