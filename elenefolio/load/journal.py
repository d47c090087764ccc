"""Journal entries: ``journal/**/*.md``."""

from __future__ import annotations

import re
from pathlib import Path

from elenefolio.load.fields import Fields
from elenefolio.load.items import COMMON_KEYS, load_item
from elenefolio.load.yamlfile import LineDict
from elenefolio.model import JOURNAL_KINDS, RESOURCE_TYPES, Config, Framework, JournalEntry, Resource
from elenefolio.problems import Problems, shown

JOURNAL_KEYS = COMMON_KEYS + ("kind", "course", "resources", "passport")


def load_entry(
    path: Path, root: Path, config: Config, framework: Framework, problems: Problems
) -> JournalEntry | None:
    """Read one journal entry; None when it is too broken to use."""
    return load_item(
        path,
        root,
        config,
        framework,
        problems,
        JournalEntry,
        JOURNAL_KEYS,
        False,
        lambda f: dict(
            kind=f.choice("kind", JOURNAL_KINDS, "reflection"),
            course=f.text("course"),
            resources=_resources(f, path, problems),
            passport=f.flag("passport", False),
        ),
    )


def _resources(f: Fields, path: Path, problems: Problems) -> list[Resource]:
    out = []
    for item, line in f.items("resources"):
        if not isinstance(item, LineDict):
            problems.error(path, line, "each resource needs 'title' and 'url' (and a 'type')")
            continue
        rf = Fields(item, path, problems, ("title", "url", "type"), where="resources.")
        title = rf.text("title", required=True)
        url = rf.text("url")
        if url and not re.match(r"^https?://\S+$", url):
            rf.error("url", f"resource url must start with http:// or https://, not '{shown(url)}'")
            url = ""
        kind = rf.choice("type", RESOURCE_TYPES, "other")
        if title:
            out.append(Resource(title, url, kind))
    return out
