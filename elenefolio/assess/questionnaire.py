"""The terminal questionnaire of ``elenefolio assess``.

One question at a time, skill by skill: every statement of the skill, then
"how important is this skill for you now?", then two optional questions: how
sure the learner is of these answers (1-3) and one example of when they last
did it. The learner can go back, skip and answer "don't know". Progress is kept in ``assessments/.unfinished.yaml``
after every answer (written atomically), so an interrupted round can be
resumed; the round file itself is written only at the end, atomically.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from elenefolio.assess.model import DONT_KNOW, Round, SkillAnswers
from elenefolio.assess.roundfile import write_atomically
from elenefolio.load.assessments import CONFIDENCE_TOP
from elenefolio.model import Framework, Skill
from elenefolio.util.i18n import N_

UNFINISHED = ".unfinished.yaml"
BACK, QUIT = "back", "quit"
STATEMENT, IMPORTANCE, CONFIDENCE, EXAMPLE = "statement", "importance", "confidence", "example"


@dataclass
class Question:
    skill: Skill
    index: int  # statement index; -1 for the questions about the whole skill
    text: str
    kind: str = STATEMENT


def questions(framework: Framework, gettext: Callable[[str], str] = str) -> list[Question]:
    """Every question in order; ``gettext`` translates the questions elenefolio writes."""
    out = []
    for skill in framework.skills:
        statements = skill.statements or [
            gettext(N_("Which level describes you best in %(skill)s?")) % {"skill": skill.name}
        ]
        out += [Question(skill, i, text) for i, text in enumerate(statements)]
        out += [
            Question(skill, -1, gettext(N_("How important is this skill for you now?")), IMPORTANCE),
            Question(
                skill,
                -1,
                gettext(
                    N_(
                        "How sure are you of these answers? 1 = not sure, "
                        "2 = fairly sure, 3 = sure (Enter to skip)"
                    )
                ),
                CONFIDENCE,
            ),
            Question(
                skill, -1, gettext(N_("When did you last do this? One example (Enter to skip)")), EXAMPLE
            ),
        ]
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
    confidence: dict[str, int] = field(default_factory=dict)  # skill -> 1..3
    examples: dict[str, str] = field(default_factory=dict)  # skill -> "when did you last do this?"

    def to_yaml(self) -> str:
        return yaml.safe_dump(
            {
                "date": self.date.isoformat(),
                "label": self.label,
                "position": self.position,
                "answers": self.answers,
                "importance": self.importance,
                "notes": self.notes,
                "skill_notes": self.skill_notes,
                "confidence": self.confidence,
                "examples": self.examples,
            },
            sort_keys=False,
            allow_unicode=True,
        )

    @classmethod
    def from_yaml(cls, text: str) -> Progress | None:
        try:
            data = yaml.safe_load(text)
            confidence = {
                str(k): v
                for k, v in dict(data.get("confidence") or {}).items()
                if type(v) is int and 1 <= v <= CONFIDENCE_TOP
            }
            examples = {
                str(k): v.strip()
                for k, v in dict(data.get("examples") or {}).items()
                if isinstance(v, str) and v.strip()
            }
            return cls(
                dt.date.fromisoformat(str(data["date"])),
                str(data.get("label") or ""),
                int(data.get("position") or 0),
                dict(data.get("answers") or {}),
                dict(data.get("importance") or {}),
                str(data.get("notes") or ""),
                dict(data.get("skill_notes") or {}),
                confidence,
                examples,
            )
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
            confidence = self.confidence.get(skill.id)
            example = self.examples.get(skill.id, "")
            if any(a is not None for a in given) or importance is not None or note or confidence or example:
                skills[skill.id] = SkillAnswers(
                    skill.id, given, importance, note, confidence=confidence, example=example
                )
        return Round(self.date, self.label, framework.id, skills, self.notes)


def parse_reply(reply: str, top: int, dont_know: bool = True):
    """A typed reply → a number from 1 to ``top``, don't know, BACK, QUIT, None (skip), or ValueError."""
    word = reply.strip().lower()
    if word in ("", "s", "skip"):
        return None
    if word in ("b", "back", "<"):
        return BACK
    if word in ("q", "quit"):
        return QUIT
    if dont_know and word in ("?", "dk", "d"):
        return DONT_KNOW
    if word.isdigit() and 1 <= int(word) <= top:
        return int(word)
    return ValueError(word)


def parse_example(reply: str):
    """A typed example → its text, BACK, QUIT, None (skip), or ValueError for a lone '?'.

    The whole line is the example (an example may well start with 'n ' or 'note '), unless it is
    one of the keys on its own.
    """
    text = reply.strip()
    if text == "?":
        return ValueError(text)
    command = parse_reply(text, 0, dont_know=False)
    return text if isinstance(command, ValueError) else command


class Questionnaire:
    """Runs the questionnaire with ``ask`` (like ``input``) and ``say`` (like ``print``).

    ``gettext`` translates what it says into the portfolio's language (the
    framework is translated by the caller); the typed keys (b, q, n, ?) stay.
    """

    def __init__(
        self,
        framework: Framework,
        folder: Path,
        ask: Callable[[str], str] = input,
        say: Callable[[str], None] = print,
        gettext: Callable[[str], str] = str,
    ):
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
        statements = sum(1 for q in self.questions if q.kind == STATEMENT)
        self.say(self._("Self-assessment: %(framework)s") % {"framework": self.framework.name})
        self.say(
            self._("%(skills)s skills, %(statements)s statements. Rate each statement:")
            % {"skills": len(self.framework.skills), "statements": statements}
        )
        self.say(
            "  "
            + " · ".join(f"{p.value} {p.label}" for p in self.framework.scale)
            + " · ? "
            + self._("don’t know")
        )
        self.say(
            self._(
                "Enter skips a question, b goes back, 'n some words' adds a note to the skill, "
                "q saves your progress and stops (Ctrl-C stops too)."
            )
        )

    def run(self, progress: Progress) -> Progress | None:
        """Ask every question from ``progress.position``; None when the learner stopped."""
        total = len(self.questions)
        while progress.position < total:
            q = self.questions[progress.position]
            skill_number = self.framework.skills.index(q.skill) + 1
            first_of_skill = (
                progress.position == 0 or self.questions[progress.position - 1].skill is not q.skill
            )
            if first_of_skill:
                area = next((a.name for a in self.framework.areas if a.id == q.skill.area), q.skill.area)
                self.say("")
                self.say(f"[{skill_number}/{len(self.framework.skills)}] {area} › {q.skill.name}")
                if q.skill.description:
                    self.say(f"  {q.skill.description}")
                for value, text in q.skill.anchors.items():
                    self.say(f"    {value} {self.framework.scale[value - 1].label}: {text}")
            typed = self.ask(self._prompt(progress, q))
            note = re.match(r"^\s*(?:n|note)\s+(.+)$", typed, re.IGNORECASE)
            if note and q.kind != EXAMPLE:
                progress.skill_notes[q.skill.id] = note.group(1).strip()
                self.save(progress)
                self.say("  " + self._("Note kept for %(skill)s.") % {"skill": q.skill.name})
                continue
            reply = self._parse(q, typed)
            if isinstance(reply, ValueError):
                self.say("  " + self._retry(q))
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

    def _prompt(self, progress: Progress, q: Question) -> str:
        was = self._was(self._current(progress, q))
        if q.kind == IMPORTANCE:
            hint = self._("1 not at all … 5 very; Enter skips")
            return f"  {q.text} ({hint}){was} > "
        if q.kind in (CONFIDENCE, EXAMPLE):
            return f"  {q.text}{was} > "
        count = max(1, len(q.skill.statements))
        done = self._("%(count)s answered") % {"count": progress.answered()}
        keys = self._("1-%(top)s, ? don't know, Enter skip") % {"top": self.top}
        return f"  ({q.index + 1}/{count}, {done}) {q.text}\n  {keys}{was} > "

    def _parse(self, q: Question, typed: str):
        if q.kind == EXAMPLE:
            return parse_example(typed)
        if q.kind == IMPORTANCE:
            return parse_reply(typed, 5, dont_know=False)
        if q.kind == CONFIDENCE:
            return parse_reply(typed, CONFIDENCE_TOP, dont_know=False)
        return parse_reply(typed, self.top)

    def _retry(self, q: Question) -> str:
        """What to type instead of a reply that is not one."""
        if q.kind == EXAMPLE:
            return self._("Please type one example in a few words, Enter to skip, b to go back or q to stop.")
        if q.kind == IMPORTANCE:
            return self._("Please type a number from 1 to 5, Enter to skip, b to go back or q to stop.")
        if q.kind == CONFIDENCE:
            return self._("Please type 1, 2 or 3, Enter to skip, b to go back or q to stop.")
        return self._(
            "Please type a number from 1 to %(top)s, ? (don’t know), "
            "Enter to skip, b to go back or q to stop."
        ) % {"top": self.top}

    def _current(self, progress: Progress, q: Question):
        if q.kind != STATEMENT:
            return self._by_skill(progress, q).get(q.skill.id)
        given = progress.answers.get(q.skill.id, [])
        return given[q.index] if q.index < len(given) else None

    @staticmethod
    def _by_skill(progress: Progress, q: Question) -> dict:
        """Where the answer to a question about the whole skill is kept."""
        kept: dict[str, dict] = {
            IMPORTANCE: progress.importance,
            CONFIDENCE: progress.confidence,
            EXAMPLE: progress.examples,
        }
        return kept[q.kind]

    def _was(self, current) -> str:
        if current is None:
            return ""
        return " [" + self._("was %(answer)s") % {"answer": "?" if current == DONT_KNOW else current} + "]"

    def _store(self, progress: Progress, q: Question, value) -> None:
        if q.kind != STATEMENT:
            if value is None:
                self._by_skill(progress, q).pop(q.skill.id, None)
            else:
                self._by_skill(progress, q)[q.skill.id] = value
            return
        count = max(1, len(q.skill.statements))
        given = progress.answers.setdefault(q.skill.id, [None] * count)
        given += [None] * (count - len(given))
        given[q.index] = value
