"""Helpers shared by commands: printing problems, paths for messages."""

from __future__ import annotations

import sys
from pathlib import Path


def print_problems(problems, stream=None) -> None:
    """Print each problem as ``path:line: message``."""
    stream = stream or sys.stderr
    for problem in problems:
        print(problem, file=stream)


def failure_summary(problems, strict: bool) -> str:
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    parts = [f"{errors} error(s)"] if errors else []
    if warnings and strict:
        parts.append(f"{warnings} warning(s) (--strict)")
    return ", ".join(parts) or "see above"


def shown_path(path: Path) -> str:
    """A path relative to the current folder when it is below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def portfolio_argument(parser) -> None:
    parser.add_argument("path", metavar="PATH", nargs="?", type=Path, default=Path("."),
                        help="the portfolio folder (default: the current folder)")
