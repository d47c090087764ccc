"""Feedback from a tutor or a peer: ``feedback/<name>.yaml``, the outside view of the self-ratings.

A feedback file::

    from: Dr. Ana Ruiz           # who gave it (required)
    role: tutor                  # tutor, peer, mentor, employer or other
    date: 2026-05-30             # when (required)
    visibility: private          # private (the default) or public
    ratings:                     # skill id -> level on the framework's scale (required)
      communication: 4
      negotiation: 3.5
    comment: "Confident in small groups; still avoids the hard part of a negotiation."

Feedback is someone else's judgement of the learner: it stays out of a public build unless
its file says ``visibility: public`` (with that person's consent).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from elenefolio.assess.model import ROUND_VISIBILITIES, Feedback
from elenefolio.load.fields import Fields, type_name
from elenefolio.load.source import read_yaml_mapping
from elenefolio.load.yamlfile import LineDict
from elenefolio.model import Framework, Source
from elenefolio.problems import Problems, did_you_mean, shown
from elenefolio.util.confine import confined

FEEDBACK_DIR = "feedback"
FEEDBACK_KEYS = ("from", "role", "date", "visibility", "ratings", "comment")
FEEDBACK_ROLES = ("tutor", "peer", "mentor", "employer", "other")


def feedback_files(root: Path, problems: Problems | None = None) -> list[Path]:
    folder = root / FEEDBACK_DIR
    if not folder.is_dir() or not confined(root, folder, problems):
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix in (".yaml", ".yml")
        and not p.name.startswith(".")
        and confined(root, p, problems)
        and p.is_file()
    )


def load_feedback(root: Path, framework: Framework, problems: Problems) -> list[Feedback]:
    """Every feedback file of the portfolio, oldest first."""
    found = [f for p in feedback_files(root, problems) if (f := _feedback(p, root, framework, problems))]
    return sorted(found, key=lambda f: (f.date, f.source.path))


def _feedback(path: Path, root: Path, framework: Framework, problems: Problems) -> Feedback | None:
    data = read_yaml_mapping(
        path,
        problems,
        "a feedback file holds 'from', 'date' and 'ratings'",
        "a feedback file holds 'from', 'date' and 'ratings', and this one is empty",
    )
    if data is None:
        return None
    f = Fields(data, path, problems, FEEDBACK_KEYS)
    giver = f.text("from", required=True)
    date = f.date("date", required=True)
    if isinstance(date, dt.datetime):
        date = date.date()
    role = f.choice("role", FEEDBACK_ROLES, "other")
    visibility = f.choice("visibility", ROUND_VISIBILITIES, "private")
    ratings = _ratings(f, path, framework, problems)
    if not giver or date is None or ratings is None:
        return None
    return Feedback(
        giver,
        role,
        date,
        ratings,
        f.text("comment"),
        visibility,
        Source(path.relative_to(root).as_posix(), 1),
    )


def _ratings(f: Fields, path: Path, framework: Framework, problems: Problems) -> dict[str, float] | None:
    raw = f.raw("ratings")
    if raw is None:
        problems.error(path, f.data.line, "missing required field 'ratings' (skill id: level)")
        return None
    if not isinstance(raw, LineDict):
        f.error("ratings", f"'ratings' maps each skill id to a level, not {type_name(raw)}")
        return None
    top = len(framework.scale)
    known = [s.id for s in framework.skills]
    ratings = {}
    for skill_id, value in raw.items():
        line = raw.line_of(skill_id)
        if framework.skill(str(skill_id)) is None:
            hint = did_you_mean(str(skill_id), known)
            problems.error(path, line, f"unknown skill '{shown(skill_id)}'{hint}")
        elif isinstance(value, bool) or not isinstance(value, (int, float)) or not 1 <= value <= top:
            problems.error(
                path,
                line,
                f"the rating of '{shown(skill_id)}' must be a level from 1 to {top}, not '{shown(value)}'",
            )
        else:
            ratings[str(skill_id)] = float(value)
    return ratings
