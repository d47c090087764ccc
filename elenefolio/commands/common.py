"""Helpers shared by commands: printing problems, paths for messages, finding what a
command names (a collection)."""

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
    parser.add_argument(
        "path",
        metavar="PATH",
        nargs="?",
        type=Path,
        default=Path("."),
        help="the portfolio folder (default: the current folder)",
    )


def write_replacing(target: Path, write) -> None:
    """``write(path)`` to a temporary file beside ``target``, then put it in place in one
    rename: a failure (full disk, killed) never leaves a truncated ``target``, and the
    temporary file is removed. Raises OSError."""
    import os
    import tempfile

    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    umask = os.umask(0o022)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # (mkstemp makes it readable by its owner only)
    try:
        write(Path(tmp))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_error(target: Path, exc: OSError) -> str:
    """The one line for a file that could not be written."""
    reason = (exc.strerror or str(exc)).rstrip(".")
    return (
        f"{target}:1: cannot write it: {reason[:1].lower()}{reason[1:]}; the previous file was left as it was"
    )


def inside(path: Path, folder: Path) -> bool:
    path, folder = path.resolve(), folder.resolve()
    return path == folder or folder in path.parents


def find_collection(site, name: str):
    """The published collection ``name`` of ``site``, or the one-line problem to print."""
    from elenefolio.problems import did_you_mean, shown

    for collection in site.collections:
        if collection.name == name and site.audience.sealed(collection.wrapped):
            return (
                f"{collection.wrapped.source.path}:{collection.wrapped.source.line}: this collection "
                "is shared: its passport would not be encrypted; only a private copy (--private) may show it"
            )
        if collection.name == name:
            return collection
    known = next((c for c in site.portfolio.collections if c.name == name), None)
    if known is not None:  # not published for this audience: a private collection
        return (
            f"{known.source.path}:{known.source.line}: this collection is {known.visibility}: "
            "only a private copy (--private) may show it"
        )
    names = [c.name for c in site.collections]
    hint = did_you_mean(name, names) or (
        f" (the collections are: {', '.join(names)})" if names else " (collections/ holds none)"
    )
    return f"collections/{shown(name)}.yaml:1: no collection '{shown(name)}'{hint}"
