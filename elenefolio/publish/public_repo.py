"""``elenefolio check --public-repo``: the files a public repository would show that the
public site does not.

A repository holds every source file, whatever its ``visibility``: a public repository
publishes the private entries, drafts, private rounds, the agenda and badges' baked data that
the site leaves out. When the portfolio is a git work tree only the files that are or would
be committed (tracked, or untracked and not ignored) count.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from elenefolio.incremental import CACHE_DIR
from elenefolio.load import load_portfolio, portfolio_files
from elenefolio.load.assessments import AGENDA_FILE, ASSESSMENTS_DIR
from elenefolio.load.badges import SIDECAR_SUFFIXES, badge_files
from elenefolio.load.source import read_markdown
from elenefolio.model import Artefact, Item, Portfolio
from elenefolio.problems import Problems
from elenefolio.site.assessment import agenda_is_public, round_is_public
from elenefolio.site.audience import Audience

# Written by elenefolio into the folder; each holds private content when it exists.
GENERATED = {
    "_private": "your private copy of the site, with every private entry",
    "_offline-private": "your private copy of the site for reading offline, with every private entry",
    CACHE_DIR: "the build cache, which holds every entry, private ones too",
    "passport-private.pdf": "your private education passport",
    "portfolio-leap2a.zip": "a Leap2A export, which holds private entries when made with --private",
}
GENERATED_PATTERNS = {  # (passport --collection, cv --private)
    "passport-private-*.pdf": "a private passport of a collection",
    "cv-private*": "your private CV",
}


@dataclass(frozen=True, order=True)
class Exposed:
    """A file that a public repository would publish although the site does not."""

    path: str  # relative to the portfolio, posix
    why: str

    def __str__(self) -> str:
        return f"{self.path}:1: {self.why}"


def repository_files(root: Path) -> set[Path] | None:
    """The files git holds or would commit below ``root``; None outside a git work tree."""
    try:
        proc = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--full-name", "--", "."],
            cwd=root,
            capture_output=True,
            stdin=subprocess.DEVNULL,
        )
        top = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            cwd=root,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
        )
    except FileNotFoundError:  # no git: judge every file
        return None
    if proc.returncode != 0 or top.returncode != 0:
        return None
    base = Path(top.stdout.strip()).resolve()
    return {base / name for name in proc.stdout.decode(errors="replace").split("\0") if name}


def _item_reason(item: Item) -> str | None:
    if item.draft:
        return "a draft"
    if item.visibility == "public":
        return None
    if item.visibility == "unlisted":
        return "an unlisted item, meant only for the people you give its link"
    if item.visibility == "shared":
        return "a shared item, meant only for the people who have its passphrase"
    what = f"a private {'artefact' if isinstance(item, Artefact) else 'entry'}"
    source = read_markdown(item.path, Problems(item.path.parent))
    if source is not None and "visibility" not in source.meta:
        return what + " (no 'visibility:', so default_visibility: private applies)"
    return what


def _local_files(item: Item) -> set[Path]:
    files = {ref.path.resolve() for ref in item.body.references if ref.path is not None}
    for media in getattr(item, "media", []):
        files.update(p.resolve() for p in (media.path, media.poster_path) if p is not None)
    return files


def exposed_files(root: Path, problems: Problems) -> tuple[list[Exposed], bool] | None:
    """Every file holding something not public, and whether portfolio.yaml accepts that with
    ``public_sources: true``; None when the portfolio cannot be read."""
    root = root.resolve()
    portfolio = load_portfolio(root, problems)
    if portfolio is None:
        return None
    found: dict[Path, str] = {}
    _items(root, portfolio, found)
    public_rounds = set()
    for round_ in portfolio.assessments:
        if round_is_public(round_, portfolio):
            public_rounds.add(root / round_.source.path)
        else:
            found[root / round_.source.path] = "a private self-assessment round"
    folder = root / ASSESSMENTS_DIR
    if folder.is_dir():
        for path in (p for p in folder.rglob("*") if p.is_file() and p not in public_rounds):
            found.setdefault(path, "a self-assessment file the site does not publish")
    agenda = root / AGENDA_FILE
    if agenda.is_file() and (portfolio.agenda is None or not agenda_is_public(portfolio.agenda, portfolio)):
        found[agenda] = "your private learning agenda"
    for feedback in portfolio.feedback:
        if feedback.visibility != "public":
            found[root / feedback.source.path] = "private feedback from a tutor or a peer"
    for path in badge_files(root):
        if path.suffix.lower() not in SIDECAR_SUFFIXES:
            found[path] = (
                "a badge file: it holds the badge's baked data (its recipient), which the site removes"
            )
    for badge in portfolio.badges:
        if badge.visibility != "public":
            for path in (badge.path, badge.sidecar):
                if path is not None:
                    found[path] = "a private badge"
    for collection in portfolio.collections:
        if collection.visibility != "public":
            found[collection.path] = (
                "an unlisted collection" if collection.visibility == "unlisted" else "a private collection"
            )
    for pattern, why in GENERATED_PATTERNS.items():
        for file in root.glob(pattern):
            if file.is_file():
                found[file] = why
    for name, why in GENERATED.items():
        path = root / name
        for file in (p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]:
            if file.is_file():
                found[file] = why
    committed = repository_files(root)
    if committed is not None:
        found = {path: why for path, why in found.items() if path in committed}
    exposed = sorted(Exposed(path.relative_to(root).as_posix(), why) for path, why in found.items())
    return exposed, portfolio.config.public_sources


def _items(root: Path, portfolio: Portfolio, found: dict[Path, str]) -> None:
    """Non-public items, items that could not be read, and the files only they use."""
    audience = Audience()
    public_files = {p.path.resolve() for p in portfolio.static}
    if portfolio.about is not None:
        public_files.update(r.path.resolve() for r in portfolio.about.references if r.path is not None)
    private_files: set[Path] = set()
    for item in portfolio.items:
        reason = None if audience.listed(item) else _item_reason(item)
        if reason is None:
            public_files |= _local_files(item) | {item.path.resolve()}
        else:
            found[item.path.resolve()] = reason
            private_files |= _local_files(item)
    loaded = {item.path.resolve() for item in portfolio.items}
    files = portfolio_files(root)
    for path in (p.resolve() for p in [*files["journal"], *files["artefacts"]]):
        if path not in loaded:
            found[path] = "an item that could not be read, so it is not on the site"
    for folder in (root / "journal", root / "artefacts"):
        if folder.is_dir():
            private_files.update(
                p.resolve() for p in folder.rglob("*") if p.is_file() and p.stat().st_size
            )  # not an empty .gitkeep
    for path in private_files - public_files:
        if path.is_relative_to(root) and path not in found:
            found[path] = "a file that only items that are not public use, or none"
