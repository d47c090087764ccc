"""Names and descriptions of built-in frameworks in the portfolio's language."""

from __future__ import annotations

from importlib import resources

import yaml

from elenefolio.model import Framework
from elenefolio.reads import record


def language_base(language: str) -> str:
    """``fr`` for ``fr``, ``fr-BE`` or ``fr_BE``."""
    return language.replace("_", "-").split("-", 1)[0].lower()


def translate_framework(framework: Framework, language: str) -> None:
    """Apply the shipped translation of ``framework``, if any; English stays the fallback.

    Only skills and areas of the built-in framework are translated: skills
    a portfolio adds in ``skills.yaml`` keep the words their author wrote.
    """
    base = language_base(language)
    if base == "en":
        return
    path = resources.files("elenefolio") / "frameworks" / "translations" / f"{framework.id}.{base}.yaml"
    if not path.is_file():
        return
    record(str(path))
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if data.get("name"):
        framework.name = data["name"]
    if data.get("description"):
        framework.description = data["description"]
    for area in framework.areas:
        words = (data.get("areas") or {}).get(area.id) or {}
        area.name = words.get("name") or area.name
        area.description = words.get("description") or area.description
    for skill in framework.skills:
        if skill.source is not None and not skill.source.path.endswith(f"{framework.id}.yaml"):
            continue  # the portfolio's own skill
        words = (data.get("skills") or {}).get(skill.id) or {}
        skill.name = words.get("name") or skill.name
        skill.description = words.get("description") or skill.description
