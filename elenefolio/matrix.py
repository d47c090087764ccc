"""Mahara SmartEvidence framework files (``.matrix``, JSON) → elenefolio framework files.

Both shapes are read:

- version 1 nests the elements of each standard in ``standards[].standardelement``
  (an element may name its ``parent``);
- version 2 lists them flat in ``framework.standardelements``, each with the
  ``standardid`` of its standard and an optional ``parentelementid``.

Standards become areas, standard elements become skills (sub-elements too,
in their standard's area). Mahara's evidence statuses and self-assessment
flag have no equivalent and are left out.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field

import yaml

from elenefolio.load.items import make_slug


class MatrixError(Exception):
    """A problem with the .matrix file, at a line."""

    def __init__(self, line: int, message: str):
        self.line = line
        self.message = message
        super().__init__(f"{line}: {message}")


@dataclass
class Converted:
    data: dict
    version: int
    warnings: list[str] = field(default_factory=list)

    def to_yaml(self, source_name: str) -> str:
        head = (f"# Converted by 'elenefolio framework import' from the Mahara SmartEvidence file "
                f"{source_name}.\n# Use it with 'framework: <this file>' in portfolio.yaml. Skills can "
                "get 'statements:' (\"I can ...\")\n# for the questionnaire and 'esco:' (an ESCO skill URI).\n")
        return head + yaml.safe_dump(self.data, sort_keys=False, allow_unicode=True, width=100)


def _plain(text) -> str:
    text = re.sub(r"<[^>]+>", " ", str(text or ""))
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def _unique(base: str, taken: set[str], fallback: str) -> str:
    base = make_slug(base) or fallback
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def convert(text: str) -> Converted:
    """Convert the JSON text of a .matrix file."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MatrixError(exc.lineno, f"invalid JSON: {exc.msg}") from None
    except RecursionError:
        raise MatrixError(1, "invalid JSON: too deeply nested") from None
    if not isinstance(data, dict) or not isinstance(data.get("framework"), dict):
        raise MatrixError(1, "not a SmartEvidence framework: the file must hold {\"framework\": {...}}")
    fw = data["framework"]
    name = _plain(fw.get("name"))
    if not name:
        raise MatrixError(1, "the framework has no 'name'")
    standards = fw.get("standards")
    if not isinstance(standards, list) or not standards:
        raise MatrixError(1, "the framework has no 'standards'")
    version = 2 if isinstance(fw.get("standardelements"), list) else 1
    warnings: list[str] = []
    area_ids: set[str] = set()
    skill_ids: set[str] = set()
    areas, skills = [], []
    by_standard: dict[str, str] = {}  # standardid (as text) -> area id
    for i, standard in enumerate(standards, start=1):
        if not isinstance(standard, dict):
            raise MatrixError(1, f"standard {i} is not an object")
        short = _plain(standard.get("shortname"))
        area_id = _unique(short or standard.get("name") or "", area_ids, f"standard-{i}")
        title = _plain(standard.get("name")) or short or f"Standard {i}"
        area = {"id": area_id, "name": f"{short} {title}".strip() if short and short not in title else title}
        description = _plain(standard.get("description"))
        if description:
            area["description"] = description
        areas.append(area)
        by_standard[str(standard.get("standardid", i))] = area_id
        if version == 1:
            elements = standard.get("standardelement") or standard.get("standardelements") or []
            for element in elements if isinstance(elements, list) else []:
                skills.append(_skill(element, area_id, skill_ids, len(skills) + 1))
    if version == 2:
        for element in fw["standardelements"]:
            if not isinstance(element, dict):
                continue
            area_id = by_standard.get(str(element.get("standardid")))
            if area_id is None:
                warnings.append(f"element '{_plain(element.get('shortname') or element.get('name'))}' names "
                                f"an unknown standard {element.get('standardid')!r}: put in the first area")
                area_id = areas[0]["id"]
            skills.append(_skill(element, area_id, skill_ids, len(skills) + 1))
    if not skills:
        warnings.append("the framework has no standard elements: the file has areas but no skills")
    out = {"id": make_slug(name) or "imported", "name": name}
    description = _plain(fw.get("description"))
    if description:
        out["description"] = description
    out["areas"] = areas
    out["skills"] = skills
    return Converted(out, version, warnings)


def _skill(element: dict, area_id: str, taken: set[str], number: int) -> dict:
    short = _plain(element.get("shortname"))
    title = _plain(element.get("name")) or short or f"Element {number}"
    skill = {"id": _unique(short or title, taken, f"element-{number}"), "area": area_id,
             "name": f"{short} {title}".strip() if short and short not in title else title}
    description = _plain(element.get("description"))
    if description:
        skill["description"] = description
    return skill
