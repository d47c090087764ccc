"""Keeping file references inside the portfolio folder."""

from __future__ import annotations

from pathlib import Path


def inside(root: Path, candidate: Path) -> Path | None:
    """The resolved ``candidate`` if it lies inside ``root`` (symlinks followed), else None."""
    try:
        resolved = candidate.resolve()
        resolved.relative_to(root.resolve())
    except (ValueError, OSError, RuntimeError):
        return None
    return resolved


def is_url(target: str) -> bool:
    """True for targets with a scheme (https:, mailto:...) or protocol-relative ones."""
    if target.startswith("//"):
        return True
    head = target.split("/", 1)[0]
    return ":" in head and head.split(":", 1)[0].replace("+", "").replace("-", "").replace(".", "").isalnum()
