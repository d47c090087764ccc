"""Load stage: portfolio files → validated model objects.

Every problem is collected with its file and line; the caller decides
whether to stop.
"""

from __future__ import annotations

from pathlib import Path

from elenefolio.incremental.reads import model
from elenefolio.load.artefacts import load_artefact
from elenefolio.load.assessments import load_agenda, load_rounds
from elenefolio.load.badges import load_badges
from elenefolio.load.collections import load_collections
from elenefolio.load.config import load_config
from elenefolio.load.feedback import feedback_targets, load_feedback
from elenefolio.load.framework import load_framework
from elenefolio.load.items import read_body
from elenefolio.load.journal import load_entry
from elenefolio.load.source import SourceText, read_text
from elenefolio.load.translations import translate_framework
from elenefolio.load.yamlfile import LineDict
from elenefolio.model import Item, Portfolio, StaticFile
from elenefolio.problems import Problems
from elenefolio.util.confine import confined, walk_files
from elenefolio.util.gitdates import GitDates

__all__ = ["load_portfolio", "portfolio_files"]


def portfolio_files(root: Path, problems: Problems | None = None) -> dict[str, list[Path]]:
    """The source files of each kind, in a stable order; symbolic links leading outside
    the (resolved) ``root`` are reported to ``problems`` and left out."""
    journal = walk_files(root, root / "journal", problems, suffix=".md")
    artefacts: list[Path] = []
    artefact_dir = root / "artefacts"
    if artefact_dir.is_dir() and confined(root, artefact_dir, problems):
        for p in sorted(artefact_dir.iterdir()):
            if p.name.startswith(".") or p.name.endswith("~") or not confined(root, p, problems):
                continue
            if p.is_file() and p.suffix == ".md":
                artefacts.append(p)
            elif p.is_dir() and confined(root, p / "index.md", problems) and (p / "index.md").is_file():
                artefacts.append(p / "index.md")
    static = walk_files(root, root / "static", problems)
    return {"journal": journal, "artefacts": artefacts, "static": static}


def load_portfolio(
    root: Path,
    problems: Problems,
    base_url: str | None = None,
    wrap=None,
    prefetch=None,
    git_dates: GitDates | None = None,
    on_config=None,
) -> Portfolio | None:
    """Read the whole portfolio at ``root``; None if its config is unusable.

    ``wrap`` (the incremental build's item cache) may wrap the item loaders, and
    ``prefetch(work, root, config, framework)`` is first given every (file, loader) so
    that it may load them ahead (in several processes). ``git_dates`` (read here when
    None) date each item's last change. ``on_config(config)`` runs right after the
    configuration is read (the pipeline loads the portfolio's hooks there).
    """
    root = root.resolve()
    problems.root = root
    config = load_config(root, problems, base_url)
    if config is None:
        return None
    if on_config is not None:
        on_config(config)
    framework = load_framework(root, config.framework, config.framework_line, problems)
    translate_framework(framework, config.language)
    with model():  # what follows reaches pages only through the site model (``reads``)
        return _load_model(root, problems, config, framework, wrap, prefetch, git_dates)


def _load_model(
    root: Path, problems: Problems, config, framework, wrap, prefetch, git_dates: GitDates | None
) -> Portfolio:
    files = portfolio_files(root, problems)
    if prefetch is not None:
        prefetch(
            [(p, load_entry) for p in files["journal"]] + [(p, load_artefact) for p in files["artefacts"]],
            root,
            config,
            framework,
        )
    entry_loader, artefact_loader = (
        (wrap(load_entry), wrap(load_artefact)) if wrap else (load_entry, load_artefact)
    )
    journal = [
        e for p in files["journal"] if (e := entry_loader(p, root, config, framework, problems)) is not None
    ]
    artefacts = [
        a
        for p in files["artefacts"]
        if (a := artefact_loader(p, root, config, framework, problems)) is not None
    ]
    (git_dates or GitDates.read(root)).apply([*journal, *artefacts])
    _check_unique_slugs(journal, problems)
    _check_unique_slugs(artefacts, problems)
    static = [StaticFile(p, p.relative_to(root / "static").as_posix()) for p in files["static"]]
    about = None
    about_path = root / "about.md"
    if confined(root, about_path, problems) and about_path.is_file():
        text = read_text(about_path, problems)
        if text is not None:
            empty = LineDict()
            empty.line, empty.key_lines = 1, {}
            about = read_body(SourceText(empty, text, 1), about_path, root, config, problems)
    badges = load_badges(root, config, framework, [*journal, *artefacts], problems)
    portfolio = Portfolio(config, framework, journal, artefacts, static, about, badges)
    portfolio.assessments = load_rounds(root, framework, problems)
    portfolio.agenda = load_agenda(root, framework, {e.slug for e in journal}, problems)
    portfolio.collections = load_collections(root, config, framework, [*journal, *artefacts], problems)
    targets = feedback_targets([*journal, *artefacts], portfolio.collections)
    portfolio.feedback = load_feedback(root, config, framework, problems, targets)
    return portfolio


def _check_unique_slugs(items: list[Item], problems: Problems) -> None:
    seen: dict[str, Item] = {}
    for item in items:
        if item.slug in seen:
            problems.error(
                item.path,
                1,
                f"two items would have the same address '{item.slug}/' "
                f"(the other is {seen[item.slug].source.path}); "
                "rename one file or set 'slug:'",
            )
        else:
            seen[item.slug] = item
