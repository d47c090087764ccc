"""Skill frameworks: the built-in ones and a portfolio's ``skills.yaml``."""

from __future__ import annotations

import re
from dataclasses import replace
from importlib import resources
from pathlib import Path

from elenefolio.incremental.reads import record
from elenefolio.load.fields import Fields, type_name
from elenefolio.load.source import read_yaml_file, read_yaml_mapping
from elenefolio.load.yamlfile import LineDict, YamlError, parse_yaml
from elenefolio.model import DEFAULT_SCALE, Area, EvidenceStatus, Framework, ScalePoint, Skill, Source
from elenefolio.problems import Problems, did_you_mean, shown
from elenefolio.util.confine import confined, inside

SKILLS_FILE = "skills.yaml"
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def builtin_frameworks() -> list[str]:
    """Names of the frameworks shipped with elenefolio."""
    folder = resources.files("elenefolio") / "frameworks"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))


def _read_builtin(name: str, problems: Problems) -> Framework:
    path = resources.files("elenefolio") / "frameworks" / f"{name}.yaml"
    try:
        record(str(path))
        data = parse_yaml(path.read_text(encoding="utf-8"))
    except YamlError as exc:  # pragma: no cover - shipped files are tested
        raise RuntimeError(f"built-in framework {name} is broken: {exc}") from exc
    return _framework(data, Path(str(path)), problems, name)


FRAMEWORK_KEYS = ("mode", "id", "name", "description", "areas", "skills", "scale", "evidence_statuses")
SKILL_KEYS = ("id", "name", "area", "description", "esco", "statements", "anchors", "parent")


def read_framework_file(path: Path, problems: Problems, name: str = "") -> Framework | None:
    """A whole framework from a YAML file of the portfolio (``framework: path.yaml``)."""
    data = read_yaml_mapping(path, problems, "a framework file must hold 'areas' and 'skills'")
    if data is None:
        return None
    return _framework(data, path, problems, name or path.stem)


def load_framework(root: Path, name: str, config_line: int, problems: Problems) -> Framework:
    """The framework named in the config, extended or replaced by ``skills.yaml``."""
    available = builtin_frameworks()
    custom = root / SKILLS_FILE
    data = read_yaml_file(custom, problems) if confined(root, custom, problems) and custom.is_file() else None
    mode = data.get("mode", "extend") if isinstance(data, LineDict) else "extend"
    own_file = root / name if name.endswith((".yaml", ".yml")) else None
    if mode == "replace":
        own_id = str(data.get("id") or name) if isinstance(data, LineDict) else name
        base = Framework(own_id, name, [], [])
    elif own_file is not None:
        read = None
        if inside(root, own_file) is None:
            problems.error(
                root / "portfolio.yaml",
                config_line,
                f"the framework file must be inside the portfolio folder, not '{shown(name)}'",
            )
        elif own_file.is_file():
            read = read_framework_file(own_file, problems, Path(name).stem)
        else:
            problems.error(root / "portfolio.yaml", config_line, f"framework file not found: {name}")
        base = read or Framework(name, name, [], [])
    elif name in available:
        base = _read_builtin(name, problems)
    else:
        problems.error(
            root / "portfolio.yaml",
            config_line,
            f"unknown framework '{shown(name)}'{did_you_mean(name, available)}; "
            f"built-in frameworks: {', '.join(available)}",
        )
        base = Framework(name, name, [], [])
    if data is None:
        return base
    if not isinstance(data, LineDict):
        problems.error(custom, 1, f"skills.yaml must hold 'areas' and 'skills', not {type_name(data)}")
        return base
    f = Fields(data, custom, problems, FRAMEWORK_KEYS)
    f.choice("mode", ("extend", "replace"), "extend")
    added = _framework(data, custom, problems, name, base)
    return added


def _framework(data, path: Path, problems: Problems, name: str, base: Framework | None = None) -> Framework:
    areas = list(base.areas) if base else []
    skills = list(base.skills) if base else []
    f = Fields(data, path, problems, FRAMEWORK_KEYS)
    scale = (
        _scale(f, path, problems) if "scale" in data else (list(base.scale) if base else list(DEFAULT_SCALE))
    )
    area_ids = {a.id for a in areas}
    for item, line in f.items("areas"):
        if not isinstance(item, LineDict):
            problems.error(path, line, "each area needs 'id' and 'name'")
            continue
        af = Fields(item, path, problems, ("id", "name", "description"), where="areas.")
        area_id = af.text("id", required=True)
        if area_id and not _ID.match(area_id):
            af.error("id", f"area id '{shown(area_id)}' must be lowercase letters, digits and dashes")
        elif area_id in area_ids:
            af.error("id", f"area '{shown(area_id)}' is defined twice")
        elif area_id:
            area_ids.add(area_id)
            areas.append(Area(area_id, af.text("name", required=True), af.text("description")))
    skill_ids = {s.id for s in skills}
    parents: list[tuple[int, str, int]] = []  # (index in skills, parent id, line of 'parent:')
    for item, line in f.items("skills"):
        if not isinstance(item, LineDict):
            problems.error(path, line, "each skill needs 'id', 'name' and 'area'")
            continue
        if base is not None and item.get("id") in skill_ids and set(item) <= {"id", "statements", "anchors"}:
            # skills.yaml giving its own statements (and anchors) to a skill of the base framework
            sf = Fields(item, path, problems, SKILL_KEYS, where="skills.")
            index = next(i for i, s in enumerate(skills) if s.id == item["id"])
            texts, ids = _statements(sf, path, problems, item["id"])
            anchors = _anchors(sf, path, problems, len(scale)) if "anchors" in item else {}
            skills[index] = replace(skills[index], statements=texts, statement_ids=ids, anchors=anchors)
            continue
        sf = Fields(item, path, problems, SKILL_KEYS, where="skills.")
        skill_id = sf.text("id", required=True)
        area = sf.text("area", required=True)
        skill_name = sf.text("name", required=True)
        if not skill_id:
            continue
        if not _ID.match(skill_id):
            sf.error("id", f"skill id '{shown(skill_id)}' must be lowercase letters, digits and dashes")
            continue
        if skill_id in skill_ids:
            sf.error("id", f"skill '{shown(skill_id)}' is defined twice")
            continue
        if area and area not in area_ids:
            sf.error("area", f"unknown area '{shown(area)}'{did_you_mean(area, area_ids)}")
        esco = sf.text("esco")
        if esco and not esco.startswith(("http://", "https://")):
            sf.error(
                "esco",
                "'esco' must be an ESCO skill URI (http://data.europa.eu/esco/skill/...), "
                f"not '{shown(esco)}'",
            )
            esco = ""
        skill_ids.add(skill_id)
        if sf.text("parent"):
            parents.append((len(skills), sf.text("parent"), sf.line("parent")))
        texts, ids = _statements(sf, path, problems, skill_id)
        skills.append(
            Skill(
                skill_id,
                skill_name,
                area,
                sf.text("description"),
                esco,
                Source(path.name, item.line),
                texts,
                ids,
                _anchors(sf, path, problems, len(scale)),
            )
        )
    _set_parents(skills, parents, path, problems)
    statuses = (
        _evidence_statuses(f, path, problems)
        if "evidence_statuses" in data
        else list(base.evidence_statuses)
        if base
        else []
    )
    return Framework(
        id=(base.id if base else None) or f.text("id") or name,
        name=f.text("name") or (base.name if base else name),
        areas=areas,
        skills=skills,
        description=f.text("description") or (base.description if base else ""),
        scale=scale,
        evidence_statuses=statuses,
    )


def _set_parents(
    skills: list[Skill], parents: list[tuple[int, str, int]], path: Path, problems: Problems
) -> None:
    """``parent:``: the skill a sub-skill is part of. It must exist, be in the same area, and
    no skill may end up its own ancestor; a refused parent is reported and left out."""
    by_id = {s.id: s for s in skills}
    for index, parent, line in parents:
        skill = skills[index]
        found = by_id.get(parent)
        if found is None:
            problems.error(
                path, line, f"unknown parent skill '{shown(parent)}'{did_you_mean(parent, list(by_id))}"
            )
        elif found.area != skill.area:
            problems.error(
                path,
                line,
                f"the parent skill '{shown(parent)}' is in the area "
                f"'{shown(found.area)}', not in '{shown(skill.area)}' like "
                f"'{shown(skill.id)}': a sub-skill stays in its parent's area",
            )
        else:
            skill.parent = parent
    for index, _parent, line in parents:
        skill = skills[index]
        chain, ancestor = [skill.id], by_id.get(skill.parent) if skill.parent else None
        while ancestor is not None and ancestor.id not in chain:
            chain.append(ancestor.id)
            ancestor = by_id.get(ancestor.parent) if ancestor.parent else None
        if ancestor is skill:
            problems.error(
                path, line, f"'{shown(skill.id)}' would be part of itself: {' → '.join(chain + [skill.id])}"
            )
            skill.parent = ""


def _evidence_statuses(f: Fields, path: Path, problems: Problems) -> list[EvidenceStatus]:
    """``evidence_statuses:``: the judgements an artefact's skill claim can name with
    ``status:`` (each an ``id`` and a ``label``)."""
    statuses: list[EvidenceStatus] = []
    for item, line in f.items("evidence_statuses"):
        if not isinstance(item, LineDict):
            problems.error(path, line, "each evidence status needs 'id' and 'label'")
            continue
        ef = Fields(item, path, problems, ("id", "label"), where="evidence_statuses.")
        status_id, label = ef.text("id", required=True), ef.text("label", required=True)
        if status_id and not _ID.match(status_id):
            ef.error(
                "id", f"evidence status id '{shown(status_id)}' must be lowercase letters, digits and dashes"
            )
        elif status_id in {s.id for s in statuses}:
            ef.error("id", f"evidence status '{shown(status_id)}' is defined twice")
        elif status_id and label:
            statuses.append(EvidenceStatus(status_id, label))
    return statuses


def _statements(sf: Fields, path: Path, problems: Problems, skill_id: str) -> tuple[list[str], list[str]]:
    """``statements:``: first-person "I can ..." sentences rated on the framework's scale.

    Each is a sentence, or ``{id: ..., text: ...}`` to give it a stable id; a plain
    sentence gets ``<skill>-<position>``. Returns the texts and their ids.
    """
    single = isinstance(sf.raw("statements"), str)
    found = sf.text_list("statements") if single else sf.items("statements")
    if len(found) > 10:
        sf.warning(
            "statements",
            f"{len(found)} statements for one skill make a long questionnaire; 3 to 5 are enough",
        )
    texts: list[str] = []
    ids: list[str] = []
    for item, line in found:
        statement_id = f"{skill_id}-{len(texts) + 1}"
        if isinstance(item, LineDict):
            stf = Fields(item, path, problems, ("id", "text"), where="statements.")
            text = stf.text("text", required=True)
            given = stf.text("id")
            if given and not _ID.match(given):
                stf.error("id", f"statement id '{shown(given)}' must be lowercase letters, digits and dashes")
            elif given in ids:
                stf.error("id", f"statement '{shown(given)}' is defined twice")
            elif given:
                statement_id = given
            if not text:
                continue
        elif isinstance(item, (str, int, float)) and not isinstance(item, bool):
            text = str(item).strip()
        else:
            problems.error(path, line, "each statement is a sentence, or 'id' and 'text'")
            continue
        if not text:
            problems.error(path, line, "a statement must not be empty")
            continue
        texts.append(text)
        ids.append(statement_id)
    return texts, ids


def _anchors(sf: Fields, path: Path, problems: Problems, top: int) -> dict[int, str]:
    """``anchors:``: what a level of the scale looks like for this skill, e.g. ``{1: ..., 3: ..., 5: ...}``."""
    raw = sf.raw("anchors")
    if raw is None:
        return {}
    if not isinstance(raw, LineDict):
        sf.error("anchors", f"'anchors' maps levels (1 to {top}) to a sentence, not {type_name(raw)}")
        return {}
    out = {}
    for key, text in raw.items():
        line = raw.line_of(key)
        level = key if isinstance(key, int) and not isinstance(key, bool) else None
        if level is None and isinstance(key, str) and key.strip().isdigit():
            level = int(key)
        if level is None or not 1 <= level <= top:
            problems.error(path, line, f"an anchor's level is a number from 1 to {top}, not '{shown(key)}'")
        elif not isinstance(text, str) or not text.strip():
            problems.error(path, line, f"the anchor of level {level} must be a sentence")
        else:
            out[level] = text.strip()
    return dict(sorted(out.items()))


def _scale(f: Fields, path: Path, problems: Problems) -> list[ScalePoint]:
    """``scale:``: the points of the rating scale, lowest first (value 1, 2, ...)."""
    points = []
    for i, (item, line) in enumerate(f.items("scale"), start=1):
        if isinstance(item, str) and item.strip():
            points.append(ScalePoint(i, item.strip()))
        elif isinstance(item, LineDict):
            pf = Fields(item, path, problems, ("label", "description"), where="scale.")
            label = pf.text("label", required=True)
            points.append(ScalePoint(i, label or str(i), pf.text("description")))
        else:
            problems.error(path, line, "each point of 'scale' is a label, or 'label' and 'description'")
    if len(points) < 2:
        f.error("scale", "'scale' needs at least two points, lowest first")
        return list(DEFAULT_SCALE)
    return points
