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

The Markdown form, ``feedback/<name>.md``, is feedback on one piece of work, shown under it::

    ---
    on: journal/2026-04-22-a-week-as-lab-coordinator   # or artefacts/<slug>, collections/<name>
    from: Dr. Ana Ruiz
    role: tutor
    date: 2026-05-30
    skills:                      # optional: skill id -> level, an outside rating
      teamwork: 4
    visibility: public           # default: the portfolio's default_visibility
    ---
    The comment, in Markdown.

Its default visibility is the portfolio's, as for every other Markdown file of the portfolio:
a ``.md`` file is written to be shown under a piece of work, like the work itself. The YAML
form keeps ``private`` as its default (feedback files written before the Markdown form keep
what they were). Either way feedback is never more visible than what it is about: on a
private (or draft) item it is private, on an unlisted one at most unlisted.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from elenefolio.assess.model import ROUND_VISIBILITIES, Feedback
from elenefolio.load.fields import Fields, type_name
from elenefolio.load.items import read_body
from elenefolio.load.source import read_markdown, read_yaml_mapping
from elenefolio.load.yamlfile import LineDict
from elenefolio.model import VISIBILITIES, Collection, Config, Framework, Item, Source
from elenefolio.problems import Problems, did_you_mean, shown
from elenefolio.util.confine import confined

FEEDBACK_DIR = "feedback"
FEEDBACK_KEYS = ("from", "role", "date", "visibility", "ratings", "comment", "on")
MARKDOWN_KEYS = ("on", "from", "role", "date", "visibility", "skills")
FEEDBACK_ROLES = ("tutor", "peer", "mentor", "employer", "other")
TARGET_SECTIONS = ("journal", "artefacts", "collections")
# From the least to the most visible: feedback takes the lower of its own and its target's
_RANK = {"private": 0, "unlisted": 1, "public": 2}


def feedback_files(root: Path, problems: Problems | None = None) -> list[Path]:
    folder = root / FEEDBACK_DIR
    if not folder.is_dir() or not confined(root, folder, problems):
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix in (".yaml", ".yml", ".md")
        and not p.name.startswith(".")
        and confined(root, p, problems)
        and p.is_file()
    )


def feedback_targets(items: list[Item], collections: list[Collection]) -> dict[str, tuple[str, bool]]:
    """What feedback may be ``on``: ``section/slug`` -> (visibility, draft)."""
    found = {f"{i.section}/{i.slug}": (i.visibility, i.draft) for i in items}
    found.update({f"collections/{c.name}": (c.visibility, False) for c in collections})
    return found


def load_feedback(
    root: Path,
    config: Config,
    framework: Framework,
    problems: Problems,
    targets: dict[str, tuple[str, bool]],
) -> list[Feedback]:
    """Every feedback file of the portfolio, oldest first. ``targets`` (``feedback_targets``):
    what ``on`` may name."""
    found = []
    for path in feedback_files(root, problems):
        if path.suffix == ".md":
            if f := _markdown(path, root, config, framework, problems, targets):
                found.append(f)
        elif f := _feedback(path, root, framework, problems, targets):
            found.append(f)
    return sorted(found, key=lambda f: (f.date, f.source.path))


def _markdown(
    path: Path,
    root: Path,
    config: Config,
    framework: Framework,
    problems: Problems,
    targets: dict[str, tuple[str, bool]],
) -> Feedback | None:
    source = read_markdown(path, problems)
    if source is None:
        return None
    f = Fields(_key_on(source.meta), path, problems, MARKDOWN_KEYS)
    giver = f.text("from", required=True)
    date = f.date("date", required=True)
    if isinstance(date, dt.datetime):
        date = date.date()
    role = f.choice("role", FEEDBACK_ROLES, "other")
    visibility = f.choice("visibility", VISIBILITIES, config.default_visibility)
    on, visibility = _target(f, visibility, targets, required=True)
    ratings = _ratings(f, path, framework, problems, key="skills", required=False)
    body = read_body(source, path, root, config, problems)
    if not giver or date is None or ratings is None or not on:
        return None
    return Feedback(
        giver,
        role,
        date,
        ratings,
        body.plain.strip(),
        visibility,
        Source(path.relative_to(root).as_posix(), 1),
        on=on,
        body=body,
        path=path,
    )


def _key_on(data: LineDict) -> LineDict:
    """YAML 1.1 reads the key ``on`` as true: give it back its name."""
    if True in data and "on" not in data:
        data["on"] = data.pop(True)
        data.key_lines["on"] = data.key_lines.pop(True, data.line)
    return data


def _target(
    f: Fields, visibility: str, targets: dict[str, tuple[str, bool]], required: bool
) -> tuple[str, str]:
    """``on``: the item or collection the feedback is about, and the feedback's visibility
    lowered to that of its target (feedback on a private or draft item is private)."""
    raw = f.raw("on")
    if raw is None:
        if required:
            f.problems.error(
                f.path,
                f.data.line,
                "missing required field 'on': the item it is about, "
                "e.g. 'on: journal/<slug>', 'artefacts/<slug>' or 'collections/<name>'",
            )
        return "", visibility
    key = raw.strip().strip("/") if isinstance(raw, str) else ""
    if key not in targets:
        section, _, slug = key.rpartition("/")
        if not key:
            hint = ""
        elif section not in TARGET_SECTIONS:
            matches = [k for k in targets if k.rpartition("/")[2] == slug]
            hint = f" (did you mean '{matches[0]}'?)" if len(matches) == 1 else did_you_mean(key, targets)
        else:
            hint = did_you_mean(key, targets)
        what = f"no item or collection '{shown(key)}'" if key else "'on' must name an item or a collection"
        f.error("on", f"{what}{hint}; 'on' is 'journal/<slug>', 'artefacts/<slug>' or 'collections/<name>'")
        return "", visibility
    target_visibility, draft = targets[key]
    if draft:
        target_visibility = "private"
    return key, min(visibility, target_visibility, key=_RANK.__getitem__)


def _feedback(
    path: Path, root: Path, framework: Framework, problems: Problems, targets: dict[str, tuple[str, bool]]
) -> Feedback | None:
    data = read_yaml_mapping(
        path,
        problems,
        "a feedback file holds 'from', 'date' and 'ratings'",
        "a feedback file holds 'from', 'date' and 'ratings', and this one is empty",
    )
    if data is None:
        return None
    f = Fields(_key_on(data), path, problems, FEEDBACK_KEYS)
    giver = f.text("from", required=True)
    date = f.date("date", required=True)
    if isinstance(date, dt.datetime):
        date = date.date()
    role = f.choice("role", FEEDBACK_ROLES, "other")
    visibility = f.choice("visibility", ROUND_VISIBILITIES, "private")
    on, visibility = _target(f, visibility, targets, required=False)
    ratings = _ratings(f, path, framework, problems)
    if not giver or date is None or ratings is None or (f.raw("on") is not None and not on):
        return None
    return Feedback(
        giver,
        role,
        date,
        ratings,
        f.text("comment"),
        visibility,
        Source(path.relative_to(root).as_posix(), 1),
        on=on,
        path=path,
    )


def _ratings(
    f: Fields,
    path: Path,
    framework: Framework,
    problems: Problems,
    key: str = "ratings",
    required: bool = True,
) -> dict[str, float] | None:
    raw = f.raw(key)
    if raw is None:
        if not required:
            return {}
        problems.error(path, f.data.line, f"missing required field '{key}' (skill id: level)")
        return None
    if not isinstance(raw, LineDict):
        f.error(key, f"'{key}' maps each skill id to a level, not {type_name(raw)}")
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
