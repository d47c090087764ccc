"""Typed reading of YAML mappings that reports every problem at its line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Iterable

from elenefolio.load.yamlfile import LineDict, LineList
from elenefolio.problems import Problems, did_you_mean, shown

_MISSING = object()


def type_name(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "empty"
    if isinstance(value, (dt.date, dt.datetime)):
        return "a date"
    if isinstance(value, (int, float)):
        return "a number"
    return "text"


class Fields:
    """Reads the fields of one mapping; problems go to ``problems``."""

    def __init__(self, data: LineDict, path: Path, problems: Problems, known: Iterable[str], where: str = ""):
        self.data = data
        self.path = path
        self.problems = problems
        self.where = where  # e.g. "author." for nested mappings
        known = list(known)
        for key in data:
            if key not in known:
                hint = did_you_mean(key, known)
                self.error(key, f"unknown field '{where}{shown(key)}'{hint}")

    def line(self, key: str) -> int:
        return self.data.line_of(key)

    def error(self, key: str, message: str) -> None:
        self.problems.error(self.path, self.line(key), message)

    def warning(self, key: str, message: str) -> None:
        self.problems.warning(self.path, self.line(key), message)

    def _get(self, key: str, required: bool):
        value = self.data.get(key, _MISSING)
        if value is _MISSING or value is None:
            if required:
                self.problems.error(self.path, self.data.line, f"missing required field '{self.where}{key}'")
            return _MISSING
        return value

    def text(self, key: str, required: bool = False, default: str = "") -> str:
        value = self._get(key, required)
        if value is _MISSING:
            return default
        if isinstance(value, (dict, list)):
            self.error(key, f"'{self.where}{key}' must be text, not {type_name(value)}")
            return default
        if isinstance(value, bool):
            self.error(key, f"'{self.where}{key}' must be text, not true/false")
            return default
        text = str(value).strip()
        if required and not text:
            self.error(key, f"'{self.where}{key}' must not be empty")
        return text

    def flag(self, key: str, default: bool = False) -> bool:
        value = self._get(key, False)
        if value is _MISSING:
            return default
        if not isinstance(value, bool):
            self.error(key, f"'{self.where}{key}' must be true or false, not '{shown(value)}'")
            return default
        return value

    def choice(self, key: str, choices: Iterable[str], default: str) -> str:
        choices = list(choices)
        value = self._get(key, False)
        if value is _MISSING:
            return default
        if not isinstance(value, str) or value not in choices:
            hint = did_you_mean(value, choices) if isinstance(value, str) else ""
            self.error(
                key, f"'{self.where}{key}' must be one of {', '.join(choices)}, not '{shown(value)}'{hint}"
            )
            return default
        return value

    def date(self, key: str, required: bool = False):
        value = self._get(key, required)
        if value is _MISSING:
            return None
        if isinstance(value, (dt.date, dt.datetime)):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
            for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"):
                try:
                    return dt.datetime.strptime(value.strip(), fmt)
                except ValueError:
                    pass
        self.error(
            key,
            f"'{self.where}{key}' must be a date such as 2026-03-14 "
            f"(or 2026-03-14 09:30), not '{shown(value)}'",
        )
        return None

    def text_list(self, key: str) -> list[tuple[str, int]]:
        """A list of short texts (a single text is accepted too), with lines."""
        value = self._get(key, False)
        if value is _MISSING:
            return []
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return [(str(value).strip(), self.line(key))]
        if not isinstance(value, list):
            self.error(key, f"'{self.where}{key}' must be a list, not {type_name(value)}")
            return []
        out = []
        for i, item in enumerate(value):
            line = value.line_of(i) if isinstance(value, LineList) else self.line(key)
            if isinstance(item, (dict, list, bool)) or item is None:
                self.problems.error(
                    self.path, line, f"items of '{self.where}{key}' must be text, not {type_name(item)}"
                )
                continue
            out.append((str(item).strip(), line))
        return out

    def items(self, key: str) -> list[tuple[Any, int]]:
        """The items of a list field with their lines (any item type)."""
        value = self._get(key, False)
        if value is _MISSING:
            return []
        if not isinstance(value, list):
            self.error(key, f"'{self.where}{key}' must be a list, not {type_name(value)}")
            return []
        return [
            (item, value.line_of(i) if isinstance(value, LineList) else self.line(key))
            for i, item in enumerate(value)
        ]

    def mapping(self, key: str, required: bool = False) -> LineDict | None:
        value = self._get(key, required)
        if value is _MISSING:
            return None
        if not isinstance(value, LineDict):
            self.error(key, f"'{self.where}{key}' must be a mapping of fields, not {type_name(value)}")
            return None
        return value

    def raw(self, key: str, default=None):
        value = self._get(key, False)
        return default if value is _MISSING else value
