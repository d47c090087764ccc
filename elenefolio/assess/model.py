"""Plain objects for self-assessment rounds and the learning agenda."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from elenefolio.model import Source

DONT_KNOW = "dk"  # the answer "don't know": left out of every score
ACTION_TYPES = ("mooc", "oer", "course", "practice", "other")
ACTION_STATUSES = ("planned", "in-progress", "done")
ROUND_VISIBILITIES = ("public", "private")


@dataclass
class SkillAnswers:
    """What a learner answered for one skill in one round."""

    skill: str
    answers: list[int | str | None]  # per statement: 1..top, DONT_KNOW, or None (skipped)
    importance: int | None = None  # 1-5, "how important is this skill for you now?"
    notes: str = ""
    line: int = 1
    confidence: int | None = None  # 1-3, "how sure am I of this rating?"
    example: str = ""  # "when did you last do this?", in the learner's words

    @property
    def rated(self) -> list[int]:
        """The answers that count: numbers only (don't-know and skipped are left out)."""
        return [a for a in self.answers if isinstance(a, int) and not isinstance(a, bool)]


@dataclass
class Round:
    """One self-assessment round: ``assessments/YYYY-MM-DD[-label].yaml``."""

    date: dt.date
    label: str
    framework: str
    skills: dict[str, SkillAnswers]
    notes: str = ""
    visibility: str | None = None  # None: the portfolio's self_assessment.visibility
    source: Source = Source("assessments/round.yaml")
    slug: str = ""  # the file name without .yaml

    @property
    def title(self) -> str:
        return self.label or self.date.isoformat()


@dataclass
class Goal:
    skill: str
    target: float  # level on the framework's scale
    by: dt.date | None = None
    why: str = ""
    line: int = 1
    id: str = ""  # what actions name it by: its ``id``, else its skill
    set: dt.date | None = None  # when the learner set it; evidence counts after this day
    review: dt.date | None = None  # when the learner will look at it again
    criteria: str = ""  # how I will know I reached it
    done: dt.date | None = None  # when the learner closed it
    reflection: str = ""  # the closing reflection, written when done
    number: int = 0  # its place in agenda.yaml (1, 2...): its address on the agenda page


@dataclass
class Action:
    title: str
    type: str = "other"
    provider: str = ""
    url: str = ""
    status: str = "planned"
    start: dt.date | None = None
    end: dt.date | None = None
    skills: list[str] = field(default_factory=list)
    journal: list[str] = field(default_factory=list)  # journal entry slugs
    notes: str = ""
    line: int = 1
    goal: str = ""  # the id of the goal it serves
    number: int = 0  # its place in agenda.yaml (1, 2...): its address on the agenda page


@dataclass
class Agenda:
    """``agenda.yaml``: learning goals and the actions to reach them."""

    goals: list[Goal]
    actions: list[Action]
    visibility: str | None = None
    source: Source = Source("agenda.yaml")


@dataclass
class Feedback:
    """``feedback/<name>.yaml`` or ``feedback/<name>.md``: a tutor's or a peer's ratings and words,
    the outside view of the self-ratings (and, with ``on``, shown under the item it is about)."""

    giver: str  # the file's ``from``
    role: str
    date: dt.date
    ratings: dict[str, float]  # skill id -> level on the framework's scale
    comment: str = ""  # the YAML form's comment; the Markdown form's body as plain text
    # What this build may do with it: never more visible than what it is about (its ``on``)
    visibility: str = "private"
    source: Source = Source("feedback/feedback.yaml")
    on: str = ""  # "journal/<slug>", "artefacts/<slug>" or "collections/<name>" ("" for none)
    body: Any = None  # the Markdown form's body (model.Body), parsed once
    path: Any = None  # absolute path of its file
