"""Collections: ``collections/<name>.yaml``, showcases of chosen items.

::

    title: For the lab technician internship
    intro: |
      Why these pieces, for whom (Markdown).
    items:                      # in the order shown
      - artefacts/lab-report-damped-pendulum
      - journal/2026-03-12-lab-record-pendulum-with-a-sail
    skills: [data-analysis, teamwork]   # optional: the skills it highlights
    visibility: public          # default: the portfolio's default_visibility

A collection shows only what it may: a public collection holds public items only, an
unlisted one public or unlisted items; a private collection (built only in the owner's
private copy) may hold any. Every problem is reported at its line.
"""

from __future__ import annotations

from pathlib import Path

from elenefolio.load.fields import Fields
from elenefolio.load.items import make_slug, read_audience, read_body, read_skills
from elenefolio.load.source import SourceText, read_yaml_mapping
from elenefolio.load.yamlfile import LineDict
from elenefolio.model import (
    ITEM_VISIBILITIES,
    Collection,
    CollectionItem,
    Config,
    Framework,
    Item,
    Source,
)
from elenefolio.problems import Problems, did_you_mean, shown
from elenefolio.util.confine import walk_files

COLLECTION_DIR = "collections"
KEYS = ("title", "intro", "items", "skills", "visibility", "audience")
SECTIONS = ("artefacts", "journal")
# What each visibility of a collection may hold (a draft is never published: none may).
MAY_HOLD = {
    "public": ("public",),
    "unlisted": ("public", "unlisted"),
    # its page is encrypted; a shared item in it keeps its own encrypted page (and audiences)
    "shared": ("public", "unlisted", "shared"),
    "private": ITEM_VISIBILITIES,
}


def collection_files(root: Path, problems: Problems | None = None) -> list[Path]:
    return [p for p in walk_files(root, root / COLLECTION_DIR, problems) if p.suffix in (".yaml", ".yml")]


def load_collections(
    root: Path, config: Config, framework: Framework, items: list[Item], problems: Problems
) -> list[Collection]:
    """Every collection of ``collections/``, by name; problems are collected."""
    by_key = {f"{item.section}/{item.slug}": item for item in items}
    found: list[Collection] = []
    names: dict[str, Path] = {}
    for path in collection_files(root, problems):
        collection = _load(path, root, config, framework, by_key, problems)
        if collection is None:
            continue
        if collection.name in names:
            problems.error(
                path,
                1,
                f"two collections would have the address 'collections/{collection.name}/' "
                f"(the other is {names[collection.name].relative_to(root).as_posix()}); rename one",
            )
            continue
        names[collection.name] = path
        found.append(collection)
    return sorted(found, key=lambda c: c.name)


def _load(
    path: Path, root: Path, config: Config, framework: Framework, by_key: dict[str, Item], problems: Problems
) -> Collection | None:
    rel = path.relative_to(root).as_posix()
    data = read_yaml_mapping(
        path,
        problems,
        "a collection holds fields such as 'title' and 'items'",
        empty="this collection is empty: give it a 'title' and its 'items'",
    )
    if data is None:
        return None
    name = make_slug(path.stem)
    if not name:
        problems.error(
            path, 1, f"'{shown(path.name)}' gives no address: name the file with letters or digits"
        )
        return None
    f = Fields(data, path, problems, KEYS)
    title = f.text("title", required=True)
    visibility = f.choice("visibility", ITEM_VISIBILITIES, config.default_visibility)
    audience = read_audience(f, visibility, config)
    intro = None
    text = f.raw("intro")
    if text is not None:
        if isinstance(text, str):
            line = f.line("intro") + (1 if "\n" in text.strip("\n") or text.endswith("\n") else 0)
            empty = LineDict()
            empty.line, empty.key_lines = 1, {}
            intro = read_body(SourceText(empty, text, line), path, root, config, problems)
        else:
            f.error("intro", "'intro' must be text (Markdown)")
    chosen: list[CollectionItem] = []
    seen: set[str] = set()
    listed = f.items("items")
    if not listed:
        f.warning("items", "this collection lists no item: add 'items:', e.g. '- artefacts/<slug>'")
    for value, line in listed:
        item = _item(value, line, path, visibility, by_key, problems)
        if item is None:
            continue
        key = f"{item.section}/{item.slug}"
        if key in seen:
            problems.warning(path, line, f"'{key}' is listed twice: it is shown once")
            continue
        seen.add(key)
        chosen.append(CollectionItem(item, line))
    skills = read_skills(f, framework, allow_evidence=False)
    return Collection(
        name, title, intro, chosen, skills, visibility, Source(rel, data.line), path, audience=audience
    )


def _item(
    value, line: int, path: Path, visibility: str, by_key: dict[str, Item], problems: Problems
) -> Item | None:
    """The item a list entry names (``artefacts/<slug>`` or ``journal/<slug>``), if it may be shown."""
    if not isinstance(value, str) or not value.strip():
        problems.error(path, line, "each item of 'items' must be 'artefacts/<slug>' or 'journal/<slug>'")
        return None
    key = value.strip().strip("/")
    item = by_key.get(key)
    if item is None:
        section, _, slug = key.rpartition("/")
        if section not in SECTIONS:
            matches = [k for k in by_key if k.rpartition("/")[2] == slug]
            hint = f" (did you mean '{matches[0]}'?)" if len(matches) == 1 else did_you_mean(key, by_key)
            problems.error(path, line, f"'{shown(key)}' must start with 'artefacts/' or 'journal/'{hint}")
        else:
            problems.error(path, line, f"no item '{shown(key)}'{did_you_mean(key, by_key)}")
        return None
    allowed = MAY_HOLD[visibility]
    if item.draft or item.visibility not in allowed:
        what = "a draft" if item.draft else item.visibility
        problems.error(
            path,
            line,
            f"'{key}' is {what}: a {visibility} collection holds only "
            f"{' or '.join(allowed)} items that are not drafts; remove it here, or make the "
            "collection private",
        )
        return None
    return item
