"""The tutor's overview of a cohort: ``OUT/cohort.json`` and ``OUT/index.html``.

Made only from each learner's public ``portfolio.json`` (``run.learner_summary``): what
their published site shows, never a private, unlisted or draft item, nor a private round.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import shutil
from collections.abc import Sequence
from pathlib import Path

from elenefolio import __version__
from elenefolio.cohort.roster import Roster
from elenefolio.cohort.run import Outcome
from elenefolio.util import clock

FORMAT = "elenefolio-cohort"
VERSION = 1
ASSETS = "_cohort"  # the overview's style sheets and fonts (a learner id never starts with "_")


def read_previous(output: Path) -> dict[str, dict]:
    """Each learner's summary in the overview already in ``output`` (kept for a learner whose
    build fails now, and for one whose site did not change)."""
    try:
        data = json.loads((output / "cohort.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return {}
    found = {}
    for learner in data.get("learners", []):
        if isinstance(learner, dict) and isinstance(learner.get("summary"), dict):
            found[str(learner.get("id"))] = learner["summary"]
    return found


def _level_bucket(level: float) -> int:
    return max(1, int(math.floor(level + 0.5)))


def cohort_data(roster: Roster, outcomes: Sequence[Outcome], today: dt.date | None = None) -> dict:
    today = today or clock.today()
    quiet_since = today - dt.timedelta(weeks=roster.inactive_weeks)
    learners = []
    skills: dict[tuple[str, str], dict] = {}
    scale = 5
    for outcome in outcomes:
        summary = outcome.summary
        learner = {
            "id": outcome.id,
            "status": "built" if outcome.ok else "failed",
            "url": f"{roster.base_url}{outcome.id}/",
            "summary": summary,
            "inactive": False,
        }
        if summary is not None:
            last = summary.get("last_entry")
            learner["inactive"] = last is None or dt.date.fromisoformat(last) < quiet_since
            framework = summary["framework"]["id"]
            for skill in summary["skills"]:
                entry = skills.setdefault(
                    (framework, skill["id"]),
                    {
                        "framework": framework,
                        "id": skill["id"],
                        "name": skill["name"],
                        "learners_with_evidence": 0,
                        "evidence": 0,
                        "levels": {},
                    },
                )
                entry["learners_with_evidence"] += 1
                entry["evidence"] += skill["evidence"]
            latest = summary.get("latest_assessment")
            for level in latest["levels"] if latest else []:
                entry = skills.setdefault(
                    (framework, level["skill"]),
                    {
                        "framework": framework,
                        "id": level["skill"],
                        "name": level["name"],
                        "learners_with_evidence": 0,
                        "evidence": 0,
                        "levels": {},
                    },
                )
                bucket = _level_bucket(level["level"])
                scale = max(scale, bucket)
                entry["levels"][str(bucket)] = entry["levels"].get(str(bucket), 0) + 1
        learners.append(learner)
    for entry in skills.values():
        entry["levels"] = {str(n): entry["levels"].get(str(n), 0) for n in range(1, scale + 1)}
        entry["assessed"] = sum(entry["levels"].values())
    ordered = sorted(
        skills.values(), key=lambda s: (-s["learners_with_evidence"], -s["assessed"], s["name"].casefold())
    )
    return {
        "format": FORMAT,
        "version": VERSION,
        "generator": f"elenefolio {__version__}",
        "issued": today.isoformat(),
        "title": roster.title,
        "url": roster.base_url,
        "language": roster.language,
        "inactive_weeks": roster.inactive_weeks,
        "scale": scale,
        "learners": learners,
        "skills": ordered,
        "inactive": [item["id"] for item in learners if item.get("inactive")],
    }


def _write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_overview(roster: Roster, data: dict, output: Path) -> None:
    """``cohort.json`` and ``index.html`` (with its style sheets) in ``output``."""
    from elenefolio.render.templates import make_environment
    from elenefolio.render.theme import builtin_themes_dir
    from elenefolio.util.i18n import translations

    theme = builtin_themes_dir() / "default"
    env = make_environment([str(theme / "templates")], translations(roster.language), roster.language)
    learners = []
    for learner in data["learners"]:
        summary = learner["summary"] or {}
        latest = summary.get("latest_assessment")
        learners.append(
            {
                **learner,
                "name": summary.get("name") or learner["id"],
                "last_entry": dt.date.fromisoformat(summary["last_entry"])
                if summary.get("last_entry")
                else None,
                "latest": None
                if not latest
                else {**latest, "date": dt.date.fromisoformat(latest["date"][:10])},
            }
        )
    html = env.get_template("cohort.html").render(
        cohort=data,
        learners=learners,
        skills=data["skills"],
        learner_count=len(learners),
        issued=dt.date.fromisoformat(data["issued"]),
        language=roster.language,
        assets=ASSETS,
        generator=f"elenefolio {__version__}",
    )
    output.mkdir(parents=True, exist_ok=True)
    assets = output / ASSETS
    (assets / "css").mkdir(parents=True, exist_ok=True)
    static = theme / "static"
    for name in ("fonts.css", "site.css", "cohort.css"):
        shutil.copyfile(static / "css" / name, assets / "css" / name)
    if not (assets / "fonts").is_dir():
        shutil.copytree(static / "fonts", assets / "fonts")
    _write_text(output / "cohort.json", json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    _write_text(output / "index.html", html)
