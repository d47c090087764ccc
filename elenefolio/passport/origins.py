"""Where an address in the passport comes from, to name the file and line in a warning.

The passport document records the HTML of every body it prints (with its Markdown
file) and the other files WeasyPrint reads that may name addresses (SVG pictures,
the print style sheet). An address the fetcher refused is first looked for among
the addresses of the bodies' HTML, resolved as WeasyPrint resolves them; otherwise
its text is searched for in those files.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from elenefolio.problems import Problem, Problems

# The attributes with an address that the sanitiser keeps (it quotes every attribute).
_ADDRESS = re.compile(r'\s(?:src|href|poster|data)="([^"]*)"')


@dataclass
class Origin:
    path: Path  # the file the HTML was written in
    line: int  # where its body starts
    addresses: list[str]  # as written in the HTML
    lines: dict[str, int]  # the line of each Markdown link and image, by its address in the HTML


@dataclass
class Located:
    path: Path
    line: int
    shown: str  # the address as the learner wrote it


def key(url: str) -> str:
    """What an address points to: the path of a ``file:`` URL, else the URL itself."""
    if url.lower().startswith("file:"):
        return unquote(urlsplit(url).path)
    return url.split("#", 1)[0]


def _line(path: Path, text: str, start: int = 1) -> int:
    """The first line from ``start`` on that holds ``text`` (0: none)."""
    if not path.is_file():  # never wait on a named pipe
        return 0
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return 0
    return next((n for n, line in enumerate(lines[start - 1 :], start) if text in line), 0)


class Origins:
    """The bodies and files of one passport, to find where a refused address is written."""

    def __init__(self, root: Path):
        self.root = root
        self.bodies: list[Origin] = []
        self.files: list[Path] = []

    def add_body(self, path: Path, line: int, body_html: str, lines: dict[str, int]) -> None:
        addresses = [html.unescape(value) for value in _ADDRESS.findall(body_html)]
        self.bodies.append(Origin(path, line, addresses, lines))

    def add_file(self, path: Path) -> None:
        if path not in self.files:
            self.files.append(path)

    def locate(self, url: str, base: str) -> Located | None:
        """Where ``url`` (as WeasyPrint asked for it, relative ones joined to ``base``) is written."""
        target = key(url)
        for origin in self.bodies:
            for address in origin.addresses:
                if key(urljoin(base, address)) == target:
                    line = origin.lines.get(address) or _line(origin.path, address, origin.line)
                    return Located(origin.path, line or origin.line, address)
        files = [origin.path for origin in self.bodies] + self.files
        for needle in (url, target, target.rstrip("/").rsplit("/", 1)[-1]):
            for path in files if needle else ():
                line = _line(path, needle)
                if line:
                    return Located(path, line, target)
        return None

    def warnings(self, refused: dict[str, str], base: str, fallback: Path) -> list[Problem]:
        """One warning per refused address, at the file and line that names it."""
        problems = Problems(self.root)
        for url, reason in refused.items():
            where = self.locate(url, base) or Located(fallback, 1, key(url))
            problems.warning(
                where.path, where.line, f"the passport does not include '{where.shown}': {reason}"
            )
        return problems.sorted()
