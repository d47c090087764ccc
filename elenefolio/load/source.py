"""Reading Markdown source files: text, front matter and body."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from elenefolio.incremental.reads import read_bytes
from elenefolio.load.yamlfile import LineDict, YamlError, parse_yaml
from elenefolio.problems import Problems

MAX_MARKDOWN_BYTES = 2 * 1024 * 1024
_FENCE = re.compile(r"^---[ \t]*$", re.MULTILINE)


@dataclass
class SourceText:
    meta: LineDict
    body: str
    body_line: int  # 1-based line of the body's first line


def read_text(path: Path, problems: Problems, limit: int = MAX_MARKDOWN_BYTES) -> str | None:
    """Read a UTF-8 text file, reporting binary, huge or unreadable files."""
    try:
        size = path.stat().st_size
        if size > limit:
            problems.error(
                path,
                1,
                f"file is too large for a text file ({size // 1024} KiB; the limit is {limit // 1024} KiB)",
            )
            return None
        data = read_bytes(path)
    except OSError as exc:
        problems.error(path, 1, f"cannot read the file: {exc.strerror}")
        return None
    if b"\x00" in data:
        problems.error(path, 1, "this is a binary file, not Markdown or YAML text")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.error(path, line, "the file is not UTF-8 text; save it as UTF-8")
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


_BROKEN = object()  # a YAML file that could not be read (its problem is reported)


def _read_yaml(path: Path, problems: Problems):
    text = read_text(path, problems)
    if text is None:
        return _BROKEN
    if not text.strip():  # YAML refuses a tab even in a file of nothing but spaces
        return None
    try:
        return parse_yaml(text)
    except YamlError as exc:
        problems.error(path, exc.line, exc.message)
        return _BROKEN


def read_yaml_file(path: Path, problems: Problems):
    """Read a whole YAML file; None (with a reported problem) when it is broken."""
    data = _read_yaml(path, problems)
    return None if data is _BROKEN else data


def read_yaml_mapping(path: Path, problems: Problems, holds: str, empty: str = "") -> LineDict | None:
    """Read a YAML file that must hold fields; ``holds`` starts the message when it does not
    (e.g. "agenda.yaml holds 'goals' and 'actions'"). A file with nothing in it (no bytes,
    only spaces or comments, ``~`` or ``""``) is None, reported with ``empty`` when given."""
    data = _read_yaml(path, problems)
    if data is _BROKEN:
        return None
    if data is None or data == "":
        if empty:
            problems.error(path, 1, empty)
        return None
    if not isinstance(data, LineDict):
        from elenefolio.load.fields import type_name

        problems.error(path, 1, f"{holds}, not {type_name(data)}")
        return None
    return data


def read_markdown(path: Path, problems: Problems) -> SourceText | None:
    """Split a Markdown file into its YAML front matter and its body."""
    text = read_text(path, problems)
    if text is None:
        return None
    if not text.startswith("---"):
        problems.error(
            path,
            1,
            "missing front matter: start the file with a line '---', "
            "the fields (title: ..., date: ...), then another '---'",
        )
        return None
    first = text.find("\n")
    if first == -1 or text[:first].strip() != "---":
        problems.error(path, 1, "the first line must be '---' alone")
        return None
    match = _FENCE.search(text, first + 1)
    if not match:
        problems.error(path, 1, "the front matter is not closed: add a line '---' after the fields")
        return None
    yaml_text = text[first + 1 : match.start()]
    try:
        meta = parse_yaml(yaml_text, first_line=2)
    except YamlError as exc:
        problems.error(path, exc.line, exc.message)
        return None
    if meta is None:
        meta = LineDict()
        meta.line, meta.key_lines = 1, {}
    if not isinstance(meta, LineDict):
        problems.error(path, 2, "the front matter must be fields such as 'title: My entry'")
        return None
    body_start = match.end() + 1
    body_line = text.count("\n", 0, min(body_start, len(text))) + 1
    return SourceText(meta, text[body_start:], body_line)
