"""User-facing problems: one line each, ``path:line: message``."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

SHOWN_LENGTH = 80  # the longest user value quoted in a message
# control characters (C0, DEL, C1), line and paragraph separators, and the bidirectional
# controls that reorder what a terminal shows ("Trojan source")
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(char: str) -> str:
    if char in _ESCAPES:
        return _ESCAPES[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def one_line(text: str) -> str:
    """``text`` on one line that is safe to print: newlines, tabs, terminal escapes and
    other control characters are shown escaped (``\\n``, ``\\x1b``) instead of acting."""
    return _UNSAFE.sub(lambda m: _escaped(m.group()), text)


def shown(value: Any, limit: int = SHOWN_LENGTH) -> str:
    """A value the learner wrote, as quoted in a message: on one line and at most
    ``limit`` characters (a long value ends with an ellipsis)."""
    text = one_line(str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True, order=True)
class Problem:
    """A mistake in the user's portfolio, located at a file and line.

    Path and message are made one line here, whatever they quote: a problem is always
    exactly one printed line, and no value can send escape sequences to the terminal."""

    path: str
    line: int
    message: str
    severity: str = "error"  # "error" or "warning"

    def __post_init__(self) -> None:
        object.__setattr__(self, "path", one_line(str(self.path)))
        object.__setattr__(self, "message", one_line(str(self.message)))

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
    return f" (did you mean '{shown(close[0])}'?)" if close else ""
