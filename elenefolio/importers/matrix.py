"""Mahara SmartEvidence framework files (``.matrix``, JSON) → elenefolio framework files.

Both shapes are read:

- version 1 nests the elements of each standard in ``standards[].standardelement``;
- version 2 lists them flat in ``framework.standardelements``, each with the
  ``standardid`` of its standard and its ``elementid``.

Standards become areas, standard elements become skills. A sub-element (``parentelementid``,
or ``parentid`` as Mahara's own export writes it, or version 1's ``parent``) becomes a skill
with ``parent:``, in its parent's area. Like Mahara, a parent is looked up among the elements
before it. An element whose id (or short name, within its standard) was already seen is
skipped with a warning. HTML descriptions are sanitised and turned into Markdown.
Mahara's evidence statuses become ``evidence_statuses:`` (their labels are the file's own).
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field

import yaml

from elenefolio.load.items import make_slug
from elenefolio.util.html import html_to_markdown

# Mahara's evidence status keys, in its order (framework_evidence_statuses.type 0 to 3);
# a file may also number them.
STATUS_KEYS = ("begun", "incomplete", "partialcomplete", "completed")


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
    warnings: list[tuple[int, str]] = field(default_factory=list)  # (line, message)

    def to_yaml(self, source_name: str) -> str:
        head = (
            f"# Converted by 'elenefolio framework import' from the Mahara SmartEvidence file "
            f"{source_name}.\n# Use it with 'framework: <this file>' in portfolio.yaml. Skills can "
            "get 'statements:' (\"I can ...\")\n# for the questionnaire and 'esco:' (an ESCO skill URI).\n"
        )
        return head + yaml.dump(self.data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


class _Dumper(yaml.SafeDumper):
    """Writes a Markdown description of several lines as a ``|`` block, as the learner would."""


_Dumper.add_representer(
    str,
    lambda dumper, text: dumper.represent_scalar(
        "tag:yaml.org,2002:str", text, style="|" if "\n" in text else None
    ),
)


def _plain(text) -> str:
    """A name: the text of its HTML, on one line (nh3 drops every tag)."""
    import nh3

    return " ".join(html.unescape(nh3.clean(str(text or ""), tags=set())).split())


def _markdown(text) -> str:
    return html_to_markdown(str(text or "")) if text else ""


def _unique(base: str, taken: set[str], fallback: str) -> str:
    base = make_slug(base) or fallback
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def _line_of(text: str, key: str, value: object, occurrence: int) -> int:
    """The line of the ``occurrence``-th (1 = first) ``"key": value`` in the JSON text, or 1."""
    forms = {json.dumps(value), json.dumps(value, ensure_ascii=False)}
    pattern = re.compile(rf'"{re.escape(key)}"\s*:\s*(?:{"|".join(re.escape(f) for f in forms)})')
    found = list(pattern.finditer(text))
    if len(found) < occurrence:
        return 1
    return text.count("\n", 0, found[occurrence - 1].start()) + 1


def convert(text: str) -> Converted:
    """Convert the JSON text of a .matrix file."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MatrixError(exc.lineno, f"invalid JSON: {exc.msg}") from None
    except RecursionError:
        raise MatrixError(1, "invalid JSON: too deeply nested") from None
    if not isinstance(data, dict) or not isinstance(data.get("framework"), dict):
        raise MatrixError(1, 'not a SmartEvidence framework: the file must hold {"framework": {...}}')
    fw = data["framework"]
    name = _plain(fw.get("name"))
    if not name:
        raise MatrixError(1, "the framework has no 'name'")
    standards = fw.get("standards")
    if not isinstance(standards, list) or not standards:
        raise MatrixError(1, "the framework has no 'standards'")
    version = 2 if isinstance(fw.get("standardelements"), list) else 1
    elements = _Elements(text)
    area_ids: set[str] = set()
    areas = []
    by_standard: dict[str, str] = {}  # standardid (as text) -> area id
    for i, standard in enumerate(standards, start=1):
        if not isinstance(standard, dict):
            raise MatrixError(1, f"standard {i} is not an object")
        short = _plain(standard.get("shortname"))
        area_id = _unique(short or standard.get("name") or "", area_ids, f"standard-{i}")
        title = _plain(standard.get("name")) or short or f"Standard {i}"
        area = {"id": area_id, "name": f"{short} {title}".strip() if short and short not in title else title}
        description = _markdown(standard.get("description"))
        if description:
            area["description"] = description
        areas.append(area)
        by_standard[str(standard.get("standardid", i))] = area_id
        elements.standard_names.append(standard.get("shortname"))
        if version == 1:
            listed = standard.get("standardelement") or standard.get("standardelements") or []
            for element in listed if isinstance(listed, list) else []:
                elements.add(element, area_id, parent_key="parent")
    if version == 2:
        for element in fw["standardelements"]:
            if not isinstance(element, dict):
                continue
            standard_area = by_standard.get(str(element.get("standardid")))
            if standard_area is None:
                elements.warn(
                    element,
                    f"element '{elements.label(element)}' names an unknown standard "
                    f"{element.get('standardid')!r}: put in the first area",
                )
                standard_area = areas[0]["id"]
            elements.add(element, standard_area)
    if not elements.skills:
        elements.warnings.append(
            (1, "the framework has no standard elements: the file has areas but no skills")
        )
    out: dict[str, object] = {"id": make_slug(name) or "imported", "name": name}
    description = _markdown(fw.get("description"))
    if description:
        out["description"] = description
    statuses = _statuses(fw.get("evidencestatuses"), elements)
    if statuses:
        out["evidence_statuses"] = statuses
    out["areas"] = areas
    out["skills"] = elements.skills
    return Converted(out, version, elements.warnings)


class _Elements:
    """The standard elements converted so far, by Mahara element id and by short name within
    their standard, so that a sub-element finds its parent and a repeated element is seen."""

    def __init__(self, text: str):
        self.text = text
        self.skills: list[dict] = []
        self.warnings: list[tuple[int, str]] = []
        self.taken: set[str] = set()
        self.by_id: dict[str, dict] = {}  # elementid -> skill
        self.by_short: dict[tuple[str, str], dict] = {}  # (area, shortname) -> skill
        self.standard_names: list = []  # the standards' raw short names, to find lines
        self.seen: list[tuple[str, object]] = []  # ("elementid" or "shortname", raw value) of each element

    @staticmethod
    def label(element: dict) -> str:
        return _plain(element.get("elementid") or element.get("shortname") or element.get("name"))

    def line(self, key: str, value: object, occurrence: int) -> int:
        return _line_of(self.text, key, value, occurrence) if value not in (None, "") else 1

    def warn(self, element: dict, message: str) -> None:
        key = "elementid" if element.get("elementid") not in (None, "") else "shortname"
        value = element.get(key)
        before = sum(1 for seen in self.seen if seen == (key, value))
        if key == "shortname":
            before += sum(1 for name in self.standard_names if name == value)
        self.warnings.append((self.line(key, value, before + 1), message))

    def add(self, element: dict, area_id: str, parent_key: str = "") -> None:
        element_id = _plain(element.get("elementid"))
        short = _plain(element.get("shortname"))
        if element_id in self.by_id if element_id else (area_id, short) in self.by_short:
            self.warn(element, f"element '{self.label(element)}' appears twice; the second was skipped")
        else:
            skill = self._skill(element, area_id, short, parent_key)
            self.skills.append(skill)
            if element_id:
                self.by_id[element_id] = skill
            if short:
                self.by_short.setdefault((area_id, short), skill)
        key = "elementid" if element.get("elementid") not in (None, "") else "shortname"
        self.seen.append((key, element.get(key)))

    def _skill(self, element: dict, area_id: str, short: str, parent_key: str) -> dict:
        number = len(self.skills) + 1
        title = _plain(element.get("name")) or short or f"Element {number}"
        skill = {
            "id": _unique(short or title, self.taken, f"element-{number}"),
            "area": area_id,
            "name": f"{short} {title}".strip() if short and short not in title else title,
        }
        parent = self._parent(element, area_id, parent_key)
        if parent:
            skill["parent"] = parent
        description = _markdown(element.get("description"))
        if description:
            skill["description"] = description
        return skill

    def _parent(self, element: dict, area_id: str, parent_key: str) -> str:
        """The skill id of the element's parent, when it names one Mahara would find."""
        ref = next(
            (
                _plain(element.get(k))
                for k in ("parentelementid", "parentid", parent_key)
                if k and element.get(k) not in (None, "", "undefined")
            ),
            "",
        )
        if not ref:
            return ""
        parent = self.by_id.get(ref) or self.by_short.get((area_id, ref))
        if parent is None:
            self.warn(
                element,
                f"element '{self.label(element)}' names a parent '{ref}' that is not an "
                "element before it: kept as a top-level skill",
            )
            return ""
        if parent["area"] != area_id:
            self.warn(
                element,
                f"element '{self.label(element)}' has its parent '{ref}' in another "
                "standard: kept as a top-level skill",
            )
            return ""
        return parent["id"]


def _statuses(raw, elements: _Elements) -> list[dict]:
    """Mahara's ``evidencestatuses`` (a list of one-key objects, or one object) → ``evidence_statuses``
    in Mahara's order; the labels are the file's own words."""
    pairs = []
    for item in raw if isinstance(raw, list) else [raw] if isinstance(raw, dict) else []:
        pairs += list(item.items()) if isinstance(item, dict) else []
    labels: dict[str, str] = {}
    for key, label in pairs:
        key = str(key)
        key = STATUS_KEYS[int(key)] if key in ("0", "1", "2", "3") else key
        if key not in STATUS_KEYS:
            message = (
                f"unknown evidence status '{_plain(key)}' was skipped; Mahara's are {', '.join(STATUS_KEYS)}"
            )
            elements.warnings.append((_line_of(elements.text, key, label, 1), message))
        elif _plain(label):
            labels[key] = _plain(label)
    return [{"id": key, "label": labels[key]} for key in STATUS_KEYS if key in labels]
