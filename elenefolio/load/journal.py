"""Journal entries: ``journal/**/*.md``."""

from __future__ import annotations

import re
from pathlib import Path

from elenefolio.load.fields import Fields
from elenefolio.load.items import COMMON_KEYS, read_body, read_common
from elenefolio.load.source import read_markdown
from elenefolio.load.yamlfile import LineDict
from elenefolio.model import (JOURNAL_KINDS, RESOURCE_TYPES, Config, Framework, JournalEntry,
                              Resource, Source)
from elenefolio.problems import Problems

JOURNAL_KEYS = COMMON_KEYS + ("kind", "course", "resources", "passport")


def load_entry(path: Path, root: Path, config: Config, framework: Framework,
               problems: Problems) -> JournalEntry | None:
    """Read one journal entry; None when it is too broken to use."""
    source = read_markdown(path, problems)
    if source is None:
        return None
    f = Fields(source.meta, path, problems, JOURNAL_KEYS)
    common = read_common(f, path, config, framework, allow_evidence=False)
    entry = JournalEntry(
        **common,
        body=read_body(source, path, root, config, problems),
        source=Source(path.relative_to(root).as_posix(), 1),
        path=path,
        kind=f.choice("kind", JOURNAL_KINDS, "reflection"),
        course=f.text("course"),
        resources=_resources(f, path, problems),
        passport=f.flag("passport", False),
    )
    return entry if common["title"] and common["date"] and common["slug"] else None


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
            rf.error("url", f"resource url must start with http:// or https://, not '{url}'")
            url = ""
        kind = rf.choice("type", RESOURCE_TYPES, "other")
        if title:
            out.append(Resource(title, url, kind))
    return out
