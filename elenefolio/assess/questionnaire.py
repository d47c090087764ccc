"""The terminal questionnaire of ``elenefolio assess``.

One question at a time, skill by skill: every statement of the skill, then
"how important is this skill for you now?". The learner can go back, skip
and answer "don't know". Progress is kept in ``assessments/.unfinished.yaml``
after every answer (written atomically), so an interrupted round can be
resumed; the round file itself is written only at the end, atomically.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import yaml

from elenefolio.assess.model import DONT_KNOW, Round, SkillAnswers
from elenefolio.assess.roundfile import write_atomically
from elenefolio.i18n import N_
from elenefolio.model import Framework, Skill

UNFINISHED = ".unfinished.yaml"
BACK, QUIT = "back", "quit"


@dataclass
class Question:
    skill: Skill
    index: int  # statement index, or -1 for the importance question
    text: str

    @property
    def is_importance(self) -> bool:
        return self.index < 0


def questions(framework: Framework, gettext: Callable[[str], str] = str) -> list[Question]:
    """Every question in order; ``gettext`` translates the two questions elenefolio writes."""
    out = []
    for skill in framework.skills:
        statements = skill.statements or [gettext(N_("Which level describes you best in %(skill)s?"))
                                          % {"skill": skill.name}]
        out += [Question(skill, i, text) for i, text in enumerate(statements)]
        out.append(Question(skill, -1, gettext(N_("How important is this skill for you now?"))))
    return out


@dataclass
class Progress:
    """The answers given so far, and where the learner is."""

    date: dt.date
    label: str = ""
    position: int = 0
    answers: dict[str, list] = field(default_factory=dict)  # skill -> answers per statement
    importance: dict[str, int] = field(default_factory=dict)
    notes: str = ""
    skill_notes: dict[str, str] = field(default_factory=dict)

    def to_yaml(self) -> str:
        return yaml.safe_dump({"date": self.date.isoformat(), "label": self.label,
                               "position": self.position, "answers": self.answers,
                               "importance": self.importance, "notes": self.notes,
                               "skill_notes": self.skill_notes},
                              sort_keys=False, allow_unicode=True)

    @classmethod
    def from_yaml(cls, text: str) -> "Progress | None":
        try:
            data = yaml.safe_load(text)
            return cls(dt.date.fromisoformat(str(data["date"])), str(data.get("label") or ""),
                       int(data.get("position") or 0), dict(data.get("answers") or {}),
                       dict(data.get("importance") or {}), str(data.get("notes") or ""),
                       dict(data.get("skill_notes") or {}))
        except (yaml.YAMLError, KeyError, TypeError, ValueError, AttributeError, RecursionError):
            return None

    def answered(self) -> int:
        return sum(1 for values in self.answers.values() for a in values if a is not None)

    def to_round(self, framework: Framework) -> Round:
        skills = {}
        for skill in framework.skills:
            count = max(1, len(skill.statements))
            given = list(self.answers.get(skill.id, []))[:count]
            given += [None] * (count - len(given))
            importance = self.importance.get(skill.id)
            note = self.skill_notes.get(skill.id, "")
            if any(a is not None for a in given) or importance is not None or note:
                skills[skill.id] = SkillAnswers(skill.id, given, importance, note)
        return Round(self.date, self.label, framework.id, skills, self.notes)


def parse_reply(reply: str, top: int, importance: bool):
    """A typed reply → a value, BACK, QUIT, None (skip), or ValueError."""
    word = reply.strip().lower()
    if word in ("", "s", "skip"):
        return None
    if word in ("b", "back", "<"):
        return BACK
    if word in ("q", "quit"):
        return QUIT
    if not importance and word in ("?", "dk", "d"):
        return DONT_KNOW
    if word.isdigit() and 1 <= int(word) <= (5 if importance else top):
        return int(word)
    return ValueError(word)


class Questionnaire:
    """Runs the questionnaire with ``ask`` (like ``input``) and ``say`` (like ``print``).

    ``gettext`` translates what it says into the portfolio's language (the
    framework is translated by the caller); the typed keys (b, q, n, ?) stay.
    """

    def __init__(self, framework: Framework, folder: Path, ask: Callable[[str], str] = input,
                 say: Callable[[str], None] = print, gettext: Callable[[str], str] = str):
        self.framework = framework
        self.folder = folder
        self.ask = ask
        self.say = say
        self._ = gettext
        self.questions = questions(framework, gettext)
        self.top = len(framework.scale)

    @property
    def unfinished_path(self) -> Path:
        return self.folder / UNFINISHED

    def load_unfinished(self) -> Progress | None:
        if not self.unfinished_path.is_file():
            return None
        return Progress.from_yaml(self.unfinished_path.read_text(encoding="utf-8"))

    def save(self, progress: Progress) -> None:
        write_atomically(self.unfinished_path, progress.to_yaml())

    def discard(self) -> None:
        self.unfinished_path.unlink(missing_ok=True)

    def intro(self) -> None:
        statements = sum(1 for q in self.questions if not q.is_importance)
        self.say(self._("Self-assessment: %(framework)s") % {"framework": self.framework.name})
        self.say(self._("%(skills)s skills, %(statements)s statements. Rate each statement:")
                 % {"skills": len(self.framework.skills), "statements": statements})
        self.say("  " + " · ".join(f"{p.value} {p.label}" for p in self.framework.scale)
                 + " · ? " + self._("don’t know"))
        self.say(self._("Enter skips a question, b goes back, 'n some words' adds a note to the skill, "
                        "q saves your progress and stops (Ctrl-C stops too)."))

    def run(self, progress: Progress) -> Progress | None:
        """Ask every question from ``progress.position``; None when the learner stopped."""
        total = len(self.questions)
        while progress.position < total:
            q = self.questions[progress.position]
            skill_number = self.framework.skills.index(q.skill) + 1
            first_of_skill = progress.position == 0 or self.questions[progress.position - 1].skill is not q.skill
            if first_of_skill:
                area = next((a.name for a in self.framework.areas if a.id == q.skill.area), q.skill.area)
                self.say("")
                self.say(f"[{skill_number}/{len(self.framework.skills)}] {area} › {q.skill.name}")
                if q.skill.description:
                    self.say(f"  {q.skill.description}")
                for value, text in q.skill.anchors.items():
                    self.say(f"    {value} {self.framework.scale[value - 1].label}: {text}")
            current = self._current(progress, q)
            done = self._("%(count)s answered") % {"count": progress.answered()}
            if q.is_importance:
                hint = self._("1 not at all … 5 very; Enter skips")
                prompt = f"  {q.text} ({hint}){self._was(current)} > "
            else:
                count = max(1, len(q.skill.statements))
                keys = self._("1-%(top)s, ? don't know, Enter skip") % {"top": self.top}
                prompt = (f"  ({q.index + 1}/{count}, {done}) {q.text}\n"
                          f"  {keys}{self._was(current)} > ")
            typed = self.ask(prompt)
            note = re.match(r"^\s*(?:n|note)\s+(.+)$", typed, re.IGNORECASE)
            if note:
                progress.skill_notes[q.skill.id] = note.group(1).strip()
                self.save(progress)
                self.say("  " + self._("Note kept for %(skill)s.") % {"skill": q.skill.name})
                continue
            reply = parse_reply(typed, self.top, q.is_importance)
            if isinstance(reply, ValueError):
                if q.is_importance:
                    self.say("  " + self._("Please type a number from 1 to 5, Enter to skip, b to go back "
                                           "or q to stop."))
                else:
                    self.say("  " + self._("Please type a number from 1 to %(top)s, ? (don’t know), "
                                           "Enter to skip, b to go back or q to stop.") % {"top": self.top})
                continue
            if reply == QUIT:
                self.save(progress)
                return None
            if reply == BACK:
                if progress.position == 0:
                    self.say("  " + self._("This is the first question."))
                else:
                    progress.position -= 1
                continue
            self._store(progress, q, reply)
            progress.position += 1
            self.save(progress)
        return progress

    def _current(self, progress: Progress, q: Question):
        if q.is_importance:
            return progress.importance.get(q.skill.id)
        given = progress.answers.get(q.skill.id, [])
        return given[q.index] if q.index < len(given) else None

    def _was(self, current) -> str:
        if current is None:
            return ""
        return " [" + self._("was %(answer)s") % {"answer": "?" if current == DONT_KNOW else current} + "]"

    def _store(self, progress: Progress, q: Question, value) -> None:
        if q.is_importance:
            if value is None:
                progress.importance.pop(q.skill.id, None)
            else:
                progress.importance[q.skill.id] = value
            return
        count = max(1, len(q.skill.statements))
        given = progress.answers.setdefault(q.skill.id, [None] * count)
        given += [None] * (count - len(given))
        given[q.index] = value
