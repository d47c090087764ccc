"""Skill frameworks: the built-in ones and a portfolio's ``skills.yaml``."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from elenefolio.load.fields import Fields, type_name
from elenefolio.confine import confined, inside
from elenefolio.load.yamlfile import LineDict, YamlError, parse_yaml
from elenefolio.load.source import read_yaml_file, read_yaml_mapping
from elenefolio.model import DEFAULT_SCALE, Area, Framework, ScalePoint, Skill, Source
from elenefolio.problems import Problems, did_you_mean, shown
from elenefolio.reads import record

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


FRAMEWORK_KEYS = ("mode", "id", "name", "description", "areas", "skills", "scale")
SKILL_KEYS = ("id", "name", "area", "description", "esco", "statements")


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
    data = read_yaml_file(custom, problems) if confined(root, custom, problems) and custom.is_file() \
        else None
    mode = data.get("mode", "extend") if isinstance(data, LineDict) else "extend"
    own_file = root / name if name.endswith((".yaml", ".yml")) else None
    if mode == "replace":
        own_id = str(data.get("id") or name) if isinstance(data, LineDict) else name
        base = Framework(own_id, name, [], [])
    elif own_file is not None:
        base = None
        if inside(root, own_file) is None:
            problems.error(root / "portfolio.yaml", config_line,
                           f"the framework file must be inside the portfolio folder, not '{shown(name)}'")
        elif own_file.is_file():
            base = read_framework_file(own_file, problems, Path(name).stem)
        else:
            problems.error(root / "portfolio.yaml", config_line,
                           f"framework file not found: {name}")
        base = base or Framework(name, name, [], [])
    elif name in available:
        base = _read_builtin(name, problems)
    else:
        problems.error(root / "portfolio.yaml", config_line,
                       f"unknown framework '{shown(name)}'{did_you_mean(name, available)}; "
                       f"built-in frameworks: {', '.join(available)}")
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


def _framework(data, path: Path, problems: Problems, name: str,
               base: Framework | None = None) -> Framework:
    areas = list(base.areas) if base else []
    skills = list(base.skills) if base else []
    f = Fields(data, path, problems, FRAMEWORK_KEYS)
    scale = _scale(f, path, problems) if "scale" in data else (list(base.scale) if base else list(DEFAULT_SCALE))
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
    for item, line in f.items("skills"):
        if not isinstance(item, LineDict):
            problems.error(path, line, "each skill needs 'id', 'name' and 'area'")
            continue
        if base is not None and item.get("id") in skill_ids and set(item) <= {"id", "statements"}:
            # skills.yaml giving its own statements to a skill of the base framework
            sf = Fields(item, path, problems, SKILL_KEYS, where="skills.")
            index = next(i for i, s in enumerate(skills) if s.id == item["id"])
            skills[index] = _with_statements(skills[index], _statements(sf, path, problems))
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
            sf.error("esco", "'esco' must be an ESCO skill URI (http://data.europa.eu/esco/skill/...), "
                             f"not '{shown(esco)}'")
            esco = ""
        skill_ids.add(skill_id)
        skills.append(Skill(skill_id, skill_name, area, sf.text("description"), esco,
                            Source(path.name, item.line), _statements(sf, path, problems)))
    return Framework(
        id=(base.id if base else None) or f.text("id") or name,
        name=f.text("name") or (base.name if base else name),
        areas=areas,
        skills=skills,
        description=f.text("description") or (base.description if base else ""),
        scale=scale,
    )


def _with_statements(skill: Skill, statements: list[str]) -> Skill:
    from dataclasses import replace

    return replace(skill, statements=statements)


def _statements(sf: Fields, path: Path, problems: Problems) -> list[str]:
    """``statements:``: first-person "I can ..." sentences rated on the framework's scale."""
    found = sf.text_list("statements")
    if len(found) > 10:
        sf.warning("statements", f"{len(found)} statements for one skill make a long questionnaire; "
                                 "3 to 5 are enough")
    out = []
    for text, line in found:
        if not text:
            problems.error(path, line, "a statement must not be empty")
        else:
            out.append(text)
    return out


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
