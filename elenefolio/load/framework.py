"""Skill frameworks: the built-in ones and a portfolio's ``skills.yaml``."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from elenefolio.load.fields import Fields, type_name
from elenefolio.load.yamlfile import LineDict, YamlError, parse_yaml
from elenefolio.load.source import read_yaml_file
from elenefolio.model import Area, Framework, Skill, Source
from elenefolio.problems import Problems, did_you_mean

SKILLS_FILE = "skills.yaml"
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def builtin_frameworks() -> list[str]:
    """Names of the frameworks shipped with elenefolio."""
    folder = resources.files("elenefolio") / "frameworks"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))


def _read_builtin(name: str, problems: Problems) -> Framework:
    path = resources.files("elenefolio") / "frameworks" / f"{name}.yaml"
    try:
        data = parse_yaml(path.read_text(encoding="utf-8"))
    except YamlError as exc:  # pragma: no cover - shipped files are tested
        raise RuntimeError(f"built-in framework {name} is broken: {exc}") from exc
    return _framework(data, Path(str(path)), problems, name)


def load_framework(root: Path, name: str, config_line: int, problems: Problems) -> Framework:
    """The framework named in the config, extended or replaced by ``skills.yaml``."""
    available = builtin_frameworks()
    custom = root / SKILLS_FILE
    data = read_yaml_file(custom, problems) if custom.is_file() else None
    mode = data.get("mode", "extend") if isinstance(data, LineDict) else "extend"
    if mode == "replace":
        base = Framework(name, name, [], [])
    elif name in available:
        base = _read_builtin(name, problems)
    else:
        problems.error(root / "portfolio.yaml", config_line,
                       f"unknown framework '{name}'{did_you_mean(name, available)}; "
                       f"built-in frameworks: {', '.join(available)}")
        base = Framework(name, name, [], [])
    if data is None:
        return base
    if not isinstance(data, LineDict):
        problems.error(custom, 1, f"skills.yaml must hold 'areas' and 'skills', not {type_name(data)}")
        return base
    f = Fields(data, custom, problems, ("mode", "id", "name", "description", "areas", "skills"))
    f.choice("mode", ("extend", "replace"), "extend")
    added = _framework(data, custom, problems, name, base)
    return added


def _framework(data, path: Path, problems: Problems, name: str,
               base: Framework | None = None) -> Framework:
    areas = list(base.areas) if base else []
    skills = list(base.skills) if base else []
    f = Fields(data, path, problems, ("mode", "id", "name", "description", "areas", "skills"))
    area_ids = {a.id for a in areas}
    for item, line in f.items("areas"):
        if not isinstance(item, LineDict):
            problems.error(path, line, "each area needs 'id' and 'name'")
            continue
        af = Fields(item, path, problems, ("id", "name", "description"), where="areas.")
        area_id = af.text("id", required=True)
        if area_id and not _ID.match(area_id):
            af.error("id", f"area id '{area_id}' must be lowercase letters, digits and dashes")
        elif area_id in area_ids:
            af.error("id", f"area '{area_id}' is defined twice")
        elif area_id:
            area_ids.add(area_id)
            areas.append(Area(area_id, af.text("name", required=True), af.text("description")))
    skill_ids = {s.id for s in skills}
    for item, line in f.items("skills"):
        if not isinstance(item, LineDict):
            problems.error(path, line, "each skill needs 'id', 'name' and 'area'")
            continue
        sf = Fields(item, path, problems, ("id", "name", "area", "description", "esco"),
                    where="skills.")
        skill_id = sf.text("id", required=True)
        area = sf.text("area", required=True)
        skill_name = sf.text("name", required=True)
        if not skill_id:
            continue
        if not _ID.match(skill_id):
            sf.error("id", f"skill id '{skill_id}' must be lowercase letters, digits and dashes")
            continue
        if skill_id in skill_ids:
            sf.error("id", f"skill '{skill_id}' is defined twice")
            continue
        if area and area not in area_ids:
            sf.error("area", f"unknown area '{area}'{did_you_mean(area, area_ids)}")
        esco = sf.text("esco")
        if esco and not esco.startswith(("http://", "https://")):
            sf.error("esco", f"'esco' must be an ESCO skill URI (http://data.europa.eu/esco/skill/...), not '{esco}'")
            esco = ""
        skill_ids.add(skill_id)
        skills.append(Skill(skill_id, skill_name, area, sf.text("description"), esco,
                            Source(path.name, item.line)))
    return Framework(
        id=(base.id if base else None) or f.text("id") or name,
        name=f.text("name") or (base.name if base else name),
        areas=areas,
        skills=skills,
        description=f.text("description") or (base.description if base else ""),
    )
