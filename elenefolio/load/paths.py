"""Keeping file references inside the portfolio folder."""

from __future__ import annotations

from pathlib import Path

from elenefolio.problems import shown


def is_url(target: str) -> bool:
    """True for targets with a scheme (https:, mailto:...) or protocol-relative ones."""
    if target.startswith("//"):
        return True
    head = target.split("/", 1)[0]
    return ":" in head and head.split(":", 1)[0].replace("+", "").replace("-", "").replace(".", "").isalnum()


def refused_scheme(target: str) -> str:
    """``javascript`` or ``data`` when ``target`` is such an address, else ''. Neither is ever
    published: one runs code in the page, the other is a file that no check has seen (an SVG
    with a script, a photo with its location)."""
    scheme = target.strip().split(":", 1)[0].lower() if ":" in target else ""
    return scheme if scheme in ("javascript", "data") else ""


LARGE_FILE = 25 * 1024 * 1024  # slows the site down: a warning
TOO_LARGE_FILE = 100 * 1024 * 1024  # refused by common static hosts: an error


def check_size(path: Path, problems, source: Path, line: int, what: str) -> None:
    """Warn about large media files and refuse those static hosts would reject."""
    size = path.stat().st_size
    megabytes = size / (1024 * 1024)
    if size > TOO_LARGE_FILE:
        problems.error(
            source,
            line,
            f"{what} '{shown(path.name)}' is {megabytes:.0f} MB: static hosts "
            "refuse files over 100 MB; compress it or link to it",
        )
    elif size > LARGE_FILE:
        problems.warning(
            source,
            line,
            f"{what} '{shown(path.name)}' is {megabytes:.0f} MB: it will be slow "
            "to load; consider compressing it",
        )
