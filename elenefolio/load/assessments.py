"""Self-assessment rounds (``assessments/YYYY-MM-DD[-label].yaml``) and ``agenda.yaml``."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from elenefolio.assess.model import (
    ACTION_STATUSES,
    ACTION_TYPES,
    DONT_KNOW,
    ROUND_VISIBILITIES,
    Action,
    Agenda,
    Goal,
    Round,
    SkillAnswers,
)
from elenefolio.load.fields import Fields, type_name
from elenefolio.load.items import make_slug
from elenefolio.load.source import read_yaml_file, read_yaml_mapping
from elenefolio.load.yamlfile import LineDict, LineList
from elenefolio.model import Framework, Source
from elenefolio.problems import Problems, did_you_mean, shown
from elenefolio.util.confine import confined

ASSESSMENTS_DIR = "assessments"
AGENDA_FILE = "agenda.yaml"
ROUND_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:-([A-Za-z0-9][A-Za-z0-9_-]*))?\.ya?ml$")
ROUND_KEYS = ("date", "label", "framework", "visibility", "notes", "skills")
SKILL_KEYS = ("answers", "importance", "notes", "confidence", "example")
CONFIDENCE_TOP = 3  # 1 unsure, 2 fairly sure, 3 sure
DONT_KNOW_WORDS = {"dk", "?", "don't know", "dont know", "don’t know"}
SKIPPED_WORDS = {"", "-", "skip", "skipped"}


def statement_count(framework: Framework, skill_id: str) -> int:
    """How many answers a skill takes: one per statement, or one direct rating."""
    skill = framework.skill(skill_id)
    return max(1, len(skill.statements)) if skill else 1


def round_files(root: Path, problems: Problems | None = None) -> list[Path]:
    folder = root / ASSESSMENTS_DIR
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


def load_rounds(root: Path, framework: Framework, problems: Problems) -> list[Round]:
    """Every round of the portfolio, oldest first."""
    rounds = [r for p in round_files(root, problems) if (r := load_round(p, root, framework, problems))]
    rounds.sort(key=lambda r: (r.date, r.slug))
    return rounds


def parse_answer(value, top: int) -> int | str | None | ValueError:
    """One answer: a number on the scale, ``dk`` (don't know), or None (not answered)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return ValueError()
    if isinstance(value, int):
        return value if 1 <= value <= top else ValueError()
    if isinstance(value, str):
        word = value.strip().lower()
        if word in DONT_KNOW_WORDS:
            return DONT_KNOW
        if word in SKIPPED_WORDS:
            return None
        if word.isdigit() and 1 <= int(word) <= top:
            return int(word)
    return ValueError()


def load_round(path: Path, root: Path, framework: Framework, problems: Problems) -> Round | None:
    """Read and validate one round file; None when it cannot be used."""
    rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
    match = ROUND_NAME.match(path.name)
    if not match:
        problems.error(
            path,
            1,
            f"a round file is named YYYY-MM-DD.yaml or YYYY-MM-DD-label.yaml, not '{shown(path.name)}'",
        )
        return None
    try:
        name_date = dt.date.fromisoformat(match.group(1))
    except ValueError:
        problems.error(path, 1, f"'{shown(match.group(1))}' in the file name is not a real date")
        return None
    data = read_yaml_file(path, problems)
    if data is None:
        return None
    return parse_round(data, path, rel, name_date, match.group(2) or "", framework, problems)


def parse_round(
    data,
    path: Path | str,
    rel: str,
    name_date: dt.date,
    name_label: str,
    framework: Framework,
    problems: Problems,
) -> Round | None:
    """Validate the contents of a round (a file, or answers given to ``elenefolio assess``)."""
    path = Path(path)
    if not isinstance(data, LineDict):
        problems.error(path, 1, f"a round holds 'date', 'framework' and 'skills', not {type_name(data)}")
        return None
    f = Fields(data, path, problems, ROUND_KEYS)
    date = f.date("date")
    if isinstance(date, dt.datetime):
        date = date.date()
    if date is None:
        date = name_date
    elif date != name_date:
        f.error("date", f"'date' ({date}) differs from the date in the file name ({name_date})")
    label = f.text("label") or name_label.replace("-", " ")
    fw = f.text("framework", default=framework.id)
    if fw != framework.id:
        f.error(
            "framework",
            f"this round is for the framework '{shown(fw)}' but the portfolio uses '{framework.id}'",
        )
        return None
    visibility = f.choice("visibility", ROUND_VISIBILITIES, "") or None
    top = len(framework.scale)
    skills: dict[str, SkillAnswers] = {}
    raw = f.raw("skills")
    if raw is None:
        problems.error(path, data.line, "missing required field 'skills' (the answers for each skill)")
        raw = LineDict()
        raw.line, raw.key_lines = data.line, {}
    if not isinstance(raw, LineDict):
        f.error("skills", f"'skills' maps each skill id to its answers, not {type_name(raw)}")
        raw = {}
    known = [s.id for s in framework.skills]
    for skill_id, value in raw.items():
        line = raw.line_of(skill_id)
        skill_id = str(skill_id)
        if framework.skill(skill_id) is None:
            problems.error(path, line, f"unknown skill '{shown(skill_id)}'{did_you_mean(skill_id, known)}")
            continue
        answers = _skill_answers(skill_id, value, line, path, framework, top, problems)
        if answers is not None:
            skills[skill_id] = answers
    return Round(
        date=date,
        label=label,
        framework=framework.id,
        skills=skills,
        notes=f.text("notes"),
        visibility=visibility,
        source=Source(rel, 1),
        slug=make_slug(Path(rel).stem) or Path(rel).stem,
    )


def _skill_answers(
    skill_id: str, value, line: int, path: Path, framework: Framework, top: int, problems: Problems
) -> SkillAnswers | None:
    count = statement_count(framework, skill_id)
    if isinstance(value, (LineList, list)) and not isinstance(value, LineDict):
        data = LineDict({"answers": value})
        data.line, data.key_lines = line, {"answers": line}
        value = data
    if not isinstance(value, LineDict):
        problems.error(
            path,
            line,
            f"'{shown(skill_id)}' needs 'answers' (a list, one per statement) "
            f"and 'importance', not {type_name(value)}",
        )
        return None
    sf = Fields(value, path, problems, SKILL_KEYS, where=f"{skill_id}.")
    answers: list[int | str | None] = []
    for i, (item, item_line) in enumerate(sf.items("answers")):
        parsed = parse_answer(item, top)
        if isinstance(parsed, ValueError):
            problems.error(
                path,
                item_line,
                f"answer {i + 1} of '{shown(skill_id)}' must be a number from 1 "
                f"to {top}, 'dk' (don't know) or empty, not '{shown(item)}'",
            )
            parsed = None
        answers.append(parsed)
    if len(answers) > count:
        problems.error(
            path,
            sf.line("answers"),
            f"'{shown(skill_id)}' has {len(answers)} answers but {count} "
            f"statement{'s' if count != 1 else ''}",
        )
        answers = answers[:count]
    answers += [None] * (count - len(answers))
    return SkillAnswers(
        skill_id,
        answers,
        _whole_number(sf, skill_id, "importance", 5),
        sf.text("notes"),
        line,
        _whole_number(sf, skill_id, "confidence", CONFIDENCE_TOP),
        sf.text("example"),
    )


def _whole_number(sf: Fields, skill_id: str, key: str, top: int) -> int | None:
    """An optional whole number from 1 to ``top`` (importance, confidence); None when absent or wrong."""
    raw = sf.raw(key)
    if raw is None:
        return None
    if isinstance(raw, int) and not isinstance(raw, bool) and 1 <= raw <= top:
        return raw
    sf.error(key, f"'{skill_id}.{key}' must be a number from 1 to {top}, not '{shown(raw)}'")
    return None


def load_agenda(
    root: Path, framework: Framework, journal_slugs: set[str], problems: Problems
) -> Agenda | None:
    """``agenda.yaml``, when the portfolio has one."""
    path = root / AGENDA_FILE
    if not confined(root, path, problems) or not path.is_file():
        return None
    data = read_yaml_mapping(path, problems, "agenda.yaml holds 'goals' and 'actions'")
    if data is None:
        return None
    f = Fields(data, path, problems, ("visibility", "goals", "actions"))
    known = [s.id for s in framework.skills]
    top = len(framework.scale)

    def check_skill(skill: str, line: int) -> bool:
        if framework.skill(skill) is None:
            problems.error(path, line, f"unknown skill '{shown(skill)}'{did_you_mean(skill, known)}")
            return False
        return True

    goals = []
    for item, line in f.items("goals"):
        if not isinstance(item, LineDict):
            problems.error(path, line, "each goal needs 'skill', 'target' and 'by'")
            continue
        goal = _goal(item, path, top, check_skill, problems)
        if goal is not None:
            goals.append(goal)
    goal_ids = _goal_ids(goals, path, problems)
    actions = []
    for item, line in f.items("actions"):
        if not isinstance(item, LineDict):
            problems.error(path, line, "each action needs at least a 'title'")
            continue
        af = Fields(
            item,
            path,
            problems,
            (
                "title",
                "type",
                "provider",
                "url",
                "status",
                "start",
                "end",
                "skills",
                "journal",
                "notes",
                "goal",
            ),
            where="actions.",
        )
        title = af.text("title", required=True)
        url = af.text("url")
        if url and not re.match(r"^https?://\S+$", url):
            af.error("url", f"'url' must start with http:// or https://, not '{shown(url)}'")
            url = ""
        start, end = _day(af.date("start")), _day(af.date("end"))
        if start and end and end < start:
            af.error("end", f"'end' ({end}) is before 'start' ({start})")
        skills = [s for s, s_line in af.text_list("skills") if check_skill(s, s_line)]
        journal = []
        for ref, ref_line in af.text_list("journal"):
            slug = make_slug(Path(ref).stem)
            if slug not in journal_slugs:
                problems.error(
                    path, ref_line, f"no journal entry '{shown(ref)}'{did_you_mean(slug, journal_slugs)}"
                )
            else:
                journal.append(slug)
        goal_id = af.text("goal")
        if goal_id and goal_ids.get(goal_id) != 1:
            af.error(
                "goal",
                f"no goal '{shown(goal_id)}'{did_you_mean(goal_id, list(goal_ids))}"
                if goal_id not in goal_ids
                else f"{goal_ids[goal_id]} goals are '{shown(goal_id)}': give each an 'id' and name one",
            )
            goal_id = ""
        if title:
            actions.append(
                Action(
                    title,
                    af.choice("type", ACTION_TYPES, "other"),
                    af.text("provider"),
                    url,
                    af.choice("status", ACTION_STATUSES, "planned"),
                    start,
                    end,
                    skills,
                    journal,
                    af.text("notes"),
                    item.line,
                    goal_id,
                )
            )
    visibility = f.choice("visibility", ROUND_VISIBILITIES, "") or None
    for number, goal in enumerate(goals, 1):
        goal.number = number
    for number, action in enumerate(actions, 1):
        action.number = number
    return Agenda(goals, actions, visibility, Source(AGENDA_FILE, 1))


GOAL_KEYS = ("id", "skill", "target", "set", "by", "review", "criteria", "why", "done", "reflection")


def _goal(item: LineDict, path: Path, top: int, check_skill, problems: Problems) -> Goal | None:
    """One goal of agenda.yaml; None when it cannot be used."""
    gf = Fields(item, path, problems, GOAL_KEYS, where="goals.")
    skill = gf.text("skill", required=True)
    target = gf.raw("target")
    if target is None:
        problems.error(path, item.line, "missing required field 'goals.target'")
    elif isinstance(target, bool) or not isinstance(target, (int, float)) or not 1 <= target <= top:
        gf.error("target", f"'target' must be a level from 1 to {top}, not '{shown(target)}'")
        target = None
    set_on, by, review, done = (_day(gf.date(key)) for key in ("set", "by", "review", "done"))
    for key, later in (("by", by), ("review", review), ("done", done)):
        if set_on and later and later < set_on:
            gf.error(key, f"'{key}' ({later}) is before 'set' ({set_on})")
    reflection = gf.text("reflection")
    if done and not reflection:
        gf.warning(
            "done",
            "a goal marked done needs its closing 'reflection': what did you learn "
            "on the way, and what next?",
        )
    if not skill or not check_skill(skill, gf.line("skill")) or target is None:
        return None
    return Goal(
        skill,
        float(target),
        by,
        gf.text("why"),
        item.line,
        gf.text("id") or skill,
        set_on,
        review,
        gf.text("criteria"),
        done,
        reflection,
    )


def _goal_ids(goals: list[Goal], path: Path, problems: Problems) -> dict[str, int]:
    """How many goals go by each id (an action may name only a unique one); two goals with
    the same explicit ``id`` are an error."""
    counts: dict[str, int] = {}
    for goal in goals:
        counts[goal.id] = counts.get(goal.id, 0) + 1
        if counts[goal.id] == 2 and goal.id != goal.skill:
            problems.error(path, goal.line, f"two goals have the id '{shown(goal.id)}'")
    return counts


def _day(value):
    return value.date() if isinstance(value, dt.datetime) else value
