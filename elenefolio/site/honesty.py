"""What ``elenefolio check`` says about a portfolio that is not yet the learner's own words:
published items that still hold a scaffold's prompts or placeholder text, artefacts that do not
say what shows each skill, and a ``base_url`` still on example.org.

These are warnings (``check --strict`` fails on them): the site builds, but a reader would see
the starter text, or a claim of a skill with nothing to back it.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from elenefolio.load.source import read_markdown
from elenefolio.model import Artefact, Item, Portfolio
from elenefolio.problems import Problems, shown
from elenefolio.scaffolds import leftovers
from elenefolio.site.audience import Audience

# Addresses reserved for examples (RFC 2606): a placeholder, never where a site lives.
PLACEHOLDER_DOMAINS = ("example.org", "example.com", "example.net")


def is_placeholder_url(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == d or host.endswith("." + d) for d in PLACEHOLDER_DOMAINS)


def check_honesty(portfolio: Portfolio, problems: Problems) -> None:
    """Warn about starter text left in what the public site shows."""
    _check_base_url(portfolio, problems)
    audience = Audience()
    for item in portfolio.items:
        if audience.published(item):
            _check_body(item, problems)
            if isinstance(item, Artefact):
                _check_artefact(item, problems)


def _check_base_url(portfolio: Portfolio, problems: Problems) -> None:
    if not is_placeholder_url(portfolio.config.base_url):
        return
    path = portfolio.config.root / "portfolio.yaml"
    line = _line_of(path, "base_url")
    problems.warning(
        path,
        line,
        f"'base_url' is still the placeholder {portfolio.config.base_url}: "
        "set it to the address where your site will live (the feed, the "
        "sitemap and shared links use it)",
    )


def _line_of(path, key: str) -> int:
    """The line of a top-level ``key:`` in a YAML file (1 when it is not there)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return 1
    match = re.search(rf"(?m)^{key}\s*:", text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def _check_body(item: Item, problems: Problems) -> None:
    source = read_markdown(item.path, Problems(problems.root))  # read cleanly at load already
    if source is None:
        return
    for leftover in leftovers(source.body):
        problems.warning(
            item.path,
            source.body_line + leftover.line,
            f"{leftover.message} (this {_what(item)} is published)",
        )


def _check_artefact(artefact: Artefact, problems: Problems) -> None:
    for media in artefact.media:
        if media.path is None and is_placeholder_url(media.src):
            problems.warning(
                artefact.path,
                media.line,
                f"the media address {shown(media.src)} is a placeholder: link your own work",
            )
    if not artefact.skills:
        problems.warning(
            artefact.path,
            1,
            "this artefact names no skill: add 'skills' with, for "
            "each, an 'evidence' statement (what in it shows the skill)",
        )
    for claim in artefact.skills:
        if not claim.evidence.strip():
            problems.warning(
                artefact.path,
                claim.line,
                f"no evidence statement for the skill '{claim.skill}': say in "
                "'evidence' what in this artefact shows it",
            )


def _what(item: Item) -> str:
    return "artefact" if isinstance(item, Artefact) else "entry"
