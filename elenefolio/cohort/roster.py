"""The roster of a cohort: its title, where its sites live, and its learners.

```yaml
title: Soft skills 2026, group B
base_url: https://tutor.example.org/softskills-b/
language: fr          # the overview's language (default: en)
inactive_weeks: 4     # a learner without a public entry for this long is listed
learners:
  - {id: s01, path: students/amina}          # a folder, relative to the roster
  - {id: s02, git: https://git.example.org/s02/portfolio.git, ref: main}
```
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from elenefolio.load.fields import Fields, type_name
from elenefolio.load.source import read_yaml_mapping
from elenefolio.load.yamlfile import LineDict
from elenefolio.problems import Problems, shown

ROSTER_FIELDS = ("title", "base_url", "language", "inactive_weeks", "learners")
LEARNER_FIELDS = ("id", "path", "git", "ref")
# an id names the learner's folder of the output and of its address: short, plain, lower case
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
# git transports a roster may name (never ext::, which runs commands, or fd::)
GIT_SCHEMES = ("https://", "http://", "ssh://", "git://", "file://")
SCP_LIKE = re.compile(r"^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^-]")


@dataclass(frozen=True)
class Learner:
    id: str
    line: int
    path: Path | None = None  # a folder (resolved)
    git: str = ""  # or a repository, cloned into the cohort's cache
    ref: str = ""  # its branch or tag ("": the remote's default branch)


@dataclass(frozen=True)
class Roster:
    path: Path
    title: str
    base_url: str
    language: str
    inactive_weeks: int
    learners: tuple[Learner, ...]

    def site_url(self, learner: Learner) -> str:
        return f"{self.base_url}{learner.id}/"


def _git_address(value: str) -> bool:
    return value.startswith(GIT_SCHEMES) or bool(SCP_LIKE.match(value))


def read_roster(path: Path, problems: Problems) -> Roster | None:
    """The roster at ``path``; every problem is reported at its line, None when one was found."""
    data = read_yaml_mapping(
        path,
        problems,
        "a roster holds 'title', 'base_url' and 'learners'",
        empty="the roster is empty: it holds 'title', 'base_url' and a list of 'learners'",
    )
    if data is None:
        return None
    fields = Fields(data, path, problems, ROSTER_FIELDS)
    title = fields.text("title", required=True)
    base_url = fields.text("base_url", required=True)
    if base_url and not base_url.startswith(("https://", "http://")):
        fields.error(
            "base_url",
            f"'base_url' is the address of the cohort's sites, such as https://example.org/class/, not '{shown(base_url)}'",
        )
    if base_url and not base_url.endswith("/"):
        base_url += "/"
    language = fields.text("language", default="en")
    weeks = fields.raw("inactive_weeks", 4)
    if isinstance(weeks, bool) or not isinstance(weeks, int) or weeks < 1:
        fields.error(
            "inactive_weeks",
            f"'inactive_weeks' must be a whole number of weeks (1 or more), not '{shown(weeks)}'",
        )
        weeks = 4
    learners: list[Learner] = []
    seen: dict[str, int] = {}
    if "learners" not in data:
        problems.error(
            path, data.line, "missing required field 'learners' (a list of {id, path} or {id, git, ref})"
        )
    for item, line in fields.items("learners"):
        learner = _learner(item, line, path, problems, seen)
        if learner is not None:
            learners.append(learner)
    if "learners" in data and isinstance(data.get("learners"), list) and not data["learners"]:
        fields.error("learners", "'learners' is empty: list at least one learner")
    if problems.errors:
        return None
    return Roster(path, title, base_url, language, weeks, tuple(learners))


def _learner(item, line: int, roster: Path, problems: Problems, seen: dict[str, int]) -> Learner | None:
    if not isinstance(item, LineDict):
        problems.error(
            roster,
            line,
            f"each learner is a mapping such as {{id: s01, path: students/s01}}, not {type_name(item)}",
        )
        return None
    fields = Fields(item, roster, problems, LEARNER_FIELDS, where="learners.")
    ident = fields.text("id", required=True)
    if not ident:
        return None
    ok = True
    if not ID_PATTERN.match(ident):
        fields.error(
            "id",
            f"a learner's id names a folder and an address: lower-case letters, digits, '-' and '_' (at most 64), not '{shown(ident)}'",
        )
        ok = False
    elif ident in seen:
        fields.error("id", f"learner id '{ident}' is used twice (first on line {seen[ident]})")
        ok = False
    else:
        seen[ident] = fields.line("id")
    folder, git, ref = fields.text("path"), fields.text("git"), fields.text("ref")
    if folder and git:
        fields.error("git", f"learner '{ident}' has both 'path' and 'git': give one")
        return None
    if not folder and not git:
        problems.error(
            roster, item.line, f"learner '{ident}' needs 'path' (a folder) or 'git' (a repository address)"
        )
        return None
    if ref and not git:
        fields.error("ref", "'ref' is the branch of a 'git' repository; a 'path' learner has none")
    if git:
        if not _git_address(git):
            fields.error(
                "git",
                f"'git' is a repository address (https://, ssh://, git://, file:// or user@host:path), not '{shown(git)}'",
            )
            return None
        if ref.startswith("-") or any(c in ref for c in " ~^:?*[\\") or ".." in ref:
            fields.error("ref", f"'{shown(ref)}' is not a branch or tag name")
            return None
        return Learner(ident, line, git=git, ref=ref) if ok else None
    where = (roster.parent / folder).resolve()
    if not where.is_dir():
        fields.error(
            "path",
            f"learner '{ident}': folder '{shown(folder)}' does not exist (paths are relative to the roster)",
        )
        return None
    if not (where / "portfolio.yaml").is_file():
        fields.error("path", f"learner '{ident}': '{shown(folder)}' holds no portfolio.yaml")
        return None
    return Learner(ident, line, path=where) if ok else None
