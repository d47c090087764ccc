"""Dates from git, as Hugo's ``enableGitInfo``: when the portfolio is a git work tree, an
item was updated when the last commit that changed its file was made, and created with its
first commit.

One ``git log`` over the portfolio folder gives every file's dates, whatever the number of
files. A folder outside git, a repository without commits, a shallow clone (whose one commit
would date every file) or a missing git give no dates: items then keep their own date.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

_MARK = "\x01"  # starts each commit's line in the log (never in a path git prints)


@dataclass
class GitDates:
    """The author dates of the last and first commits of each file (relative path, posix)."""

    updated: dict[str, dt.datetime] = field(default_factory=dict)
    created: dict[str, dt.datetime] = field(default_factory=dict)
    head: str = ""  # the commit the dates are read at ("" without dates)

    @property
    def digest(self) -> str:
        """Changes with every commit that changes a date (a dependency of incremental builds)."""
        text = "\n".join(f"{path}\t{when.isoformat()}" for path, when in sorted(self.updated.items()))
        return hashlib.sha256(f"{self.head}\n{text}".encode()).hexdigest()[:32]

    @classmethod
    def read(cls, root: Path) -> "GitDates":
        state = _git(root, "rev-parse", "--is-shallow-repository", "HEAD")
        if state is None or state.split()[:1] != ["false"]:
            return cls()
        log = _git(
            root,
            "-c",
            "core.quotePath=false",
            "log",
            "--no-renames",
            "--relative",
            f"--format={_MARK}%aI",
            "--name-only",
            "--",
            ".",
        )
        if log is None:
            return cls()
        dates = cls(head=state.split()[-1])
        when = None
        for line in log.splitlines():
            if line.startswith(_MARK):
                when = _moment(line[1:])
            elif line and when is not None:
                dates.updated.setdefault(line, when)  # the log is newest first
                dates.created[line] = when
        return dates

    def apply(self, items) -> None:
        """Set each item's ``updated`` (its front matter's ``updated:`` wins, then the last
        commit, then the item's own date) and ``git_created``."""
        for item in items:
            committed = self.updated.get(item.source.path)
            item.git_created = self.created.get(item.source.path)
            if item.updated_set is not None:
                item.updated = item.updated_set
            elif committed is not None and committed.date() > item.day:
                item.updated = committed
            else:  # a commit on the item's own day (or before it) does not update it
                item.updated = item.date


def _moment(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text.strip())
    except ValueError:
        return None


def _git(root: Path, *args: str) -> str | None:
    try:
        proc = subprocess.run(["git", *args], cwd=root, capture_output=True, stdin=subprocess.DEVNULL)
    except OSError:  # no git
        return None
    return proc.stdout.decode("utf-8", errors="replace") if proc.returncode == 0 else None
