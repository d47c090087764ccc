"""Built-in frameworks in the portfolio's language: names, descriptions, statements, anchors, scale."""

from __future__ import annotations

from dataclasses import replace
from importlib import resources

import yaml

from elenefolio.incremental.reads import record
from elenefolio.model import Framework, Skill


def language_base(language: str) -> str:
    """``fr`` for ``fr``, ``fr-BE`` or ``fr_BE``."""
    return language.replace("_", "-").split("-", 1)[0].lower()


def _read(name: str):
    path = resources.files("elenefolio") / "frameworks" / name
    if not path.is_file():
        return None
    record(str(path))  # a dependency of the build: a changed translation re-renders the pages
    return yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def translation_data(framework_id: str, language: str) -> dict | None:
    """The shipped translation file of a built-in framework, or None."""
    base = language_base(language)
    if base == "en":
        return None
    data = _read(f"translations/{framework_id}.{base}.yaml")
    return data if isinstance(data, dict) else None


def _builtin_statements(framework_id: str) -> dict[str, str]:
    """The English text of every built-in statement, by id."""
    data = _read(f"{framework_id}.yaml") or {}
    out = {}
    for skill in data.get("skills") or []:
        for i, item in enumerate(skill.get("statements") or []):
            if isinstance(item, dict):
                out[str(item.get("id"))] = str(item.get("text"))
            else:
                out[f"{skill['id']}-{i + 1}"] = str(item)
    return out


def translate_framework(framework: Framework, language: str) -> None:
    """Apply the shipped translation of ``framework``, if any; English stays the fallback.

    Only the built-in framework's words are translated: skills a portfolio adds
    in ``skills.yaml``, and statements it gives to a built-in skill, keep the
    words their author wrote (a statement is translated only while its text is
    the built-in English one).
    """
    data = translation_data(framework.id, language)
    if data is None:
        return
    if data.get("name"):
        framework.name = data["name"]
    if data.get("description"):
        framework.description = data["description"]
    scale = data.get("scale") or []
    if len(scale) == len(framework.scale):  # new points: the default scale's are shared
        points = [w if isinstance(w, dict) else {"label": w} for w in scale]
        framework.scale = [
            replace(p, label=w.get("label") or p.label, description=w.get("description") or p.description)
            for p, w in zip(framework.scale, points)
        ]
    for area in framework.areas:
        words = (data.get("areas") or {}).get(area.id) or {}
        area.name = words.get("name") or area.name
        area.description = words.get("description") or area.description
    english = _builtin_statements(framework.id)
    for skill in framework.skills:
        if skill.source is not None and not skill.source.path.endswith(f"{framework.id}.yaml"):
            continue  # the portfolio's own skill
        words = (data.get("skills") or {}).get(skill.id) or {}
        skill.name = words.get("name") or skill.name
        skill.description = words.get("description") or skill.description
        _translate_statements(
            skill, data.get("statements") or {}, (data.get("anchors") or {}).get(skill.id) or {}, english
        )


def _translate_statements(skill: Skill, statements: dict, anchors: dict, english: dict[str, str]) -> None:
    """Statements by their id, anchors by level; only while they are the built-in English ones."""
    builtin = all(english.get(sid) == text for sid, text in zip(skill.statement_ids, skill.statements))
    skill.statements = [
        statements.get(sid) or text if english.get(sid) == text else text
        for sid, text in zip(skill.statement_ids, skill.statements)
    ]
    if builtin:  # anchors given in skills.yaml go with the statements written there
        anchors = {int(k): v for k, v in anchors.items()}
        skill.anchors = {level: anchors.get(level) or text for level, text in skill.anchors.items()}
