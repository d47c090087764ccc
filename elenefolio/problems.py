"""User-facing problems: one line each, ``path:line: message``."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable


@dataclass(frozen=True, order=True)
class Problem:
    """A mistake in the user's portfolio, located at a file and line."""

    path: str
    line: int
    message: str
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{self.path}:{self.line}: {prefix}{self.message}"


@dataclass
class Problems:
    """Collects every problem found, so that all are reported at once."""

    root: Path | None = None
    items: list[Problem] = field(default_factory=list)

    def _rel(self, path: Path | str) -> str:
        """The path relative to the portfolio; a symbolic link is named by its own path,
        not by where it leads."""
        path = Path(path)
        if self.root is not None:
            root = self.root.resolve()
            for candidate in (path.parent.resolve() / path.name, path.resolve()):
                try:
                    return candidate.relative_to(root).as_posix()
                except ValueError:
                    pass
        return path.as_posix()

    def error(self, path: Path | str, line: int | None, message: str) -> None:
        self.items.append(Problem(self._rel(path), line or 1, message, "error"))

    def warning(self, path: Path | str, line: int | None, message: str) -> None:
        self.items.append(Problem(self._rel(path), line or 1, message, "warning"))

    def extend(self, other: Iterable[Problem]) -> None:
        self.items.extend(other)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]

    def sorted(self) -> list[Problem]:
        return sorted(set(self.items), key=lambda p: (p.path, p.line, p.message))

    def raise_if_errors(self, strict: bool = False) -> None:
        """Stop the build when an error (or, when strict, a warning) was found."""
        if self.errors or (strict and self.warnings):
            raise BuildFailed(self.sorted(), strict=strict)


class BuildFailed(Exception):
    """Raised with every problem found; the CLI prints them and exits with 1."""

    def __init__(self, problems: list[Problem], strict: bool = False):
        self.problems = problems
        self.strict = strict
        super().__init__(f"{len(problems)} problem(s)")


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return `` (did you mean 'x'?)`` for the closest choice, or an empty string."""
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
