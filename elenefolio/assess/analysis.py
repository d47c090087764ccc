"""Analysis of self-assessment rounds: levels, priorities, strengths, change and evidence.

Pure functions over plain objects: no files, no site, no rendering. The
site stage and the PDF passport call :func:`analyse` with the rounds and
the evidence their audience may see.

- **level** of a skill in a round: the mean of its answered statements
  (don't-know and skipped answers are left out), one decimal; None when
  nothing was answered (the skill is *not assessed*).
- **percent**: the level as a percentage of the top of the scale, as the
  eLene4work questionnaire reports it (2.75 of 5 is 55 %).
- **priority**: importance × distance to the top of the scale, measured in
  steps of a 5-point scale, so 0 (at the top, or unimportant) to 20
  (importance 5, level 1). A skill without an importance answer counts as 3.
- **strengths**: the highest levels; **areas for improvement**: the highest
  priorities (three of each, more on a tie).
- with two rounds or more, the **change** of every skill (the difference of the two levels
  *as shown*, each rounded to one decimal first, so 2.25 → 3.5 is 2.3 → 3.5, +1.2) between its first
  and its latest assessed round and between consecutive rounds, with the
  evidence dated in between (after the earlier round, up to the later one)
  and a flag when the level rose with no evidence at all, and the
  **statements that moved** (answered with a number in both rounds).
- the evidence of a step is **weighed** (:data:`WEIGHTS`): an artefact with an evidence statement
  for the skill 3, an artefact without one 2, a reflective journal entry 1, a plan, question or
  idea 0.5. The evidence of a step is what is dated after the earlier round and *before* the day
  of the later one: what was written on a round's own day, and an ``evaluation`` entry that names a
  round of the step (its file or page), was written for the round and is not evidence for it.
- a **calibration note** asks the learner about a step whose rating does not match its
  evidence (:meth:`Step.notes`): a rise with no evidence, a rise with less weighed evidence than
  :data:`SUPPORT_PER_LEVEL` per level, a rise rated with the lowest confidence, a fall despite
  solid evidence.
- a **goal** of the agenda is *reached* only when the latest level meets its target **and**
  some evidence of its skill is dated after the day the goal was set (its ``set:``, else the
  first round); a level that meets the target with no such evidence is *reached by
  self-rating only*.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Iterable, Sequence

from elenefolio.assess.model import Goal, Round
from elenefolio.model import Framework, Skill

TOP_COUNT = 3
DEFAULT_IMPORTANCE = 3
# How much a piece of evidence counts for a skill. An artefact is something made and shown (the
# strongest sign of a skill), stronger still when its author says how it shows the skill; a
# reflection looks back on something done; a plan, a question or an idea only looks ahead.
WEIGHTS = {"artefact-statement": 3.0, "artefact": 2.0, "reflection": 1.0, "plan": 0.5}
JOURNAL_WEIGHT = {"plan": "plan", "question": "plan", "idea": "plan"}  # other kinds: "reflection"
SUPPORT_PER_LEVEL = 2.0  # weighed evidence that makes a rise of one level plausible
LOW_CONFIDENCE = 1


def one_decimal(value: Fraction | float) -> float:
    """Round half up to one decimal (2.75 → 2.8, 2.25 → 2.3), without float surprises."""
    exact = (
        Decimal(value.numerator) / Decimal(value.denominator)
        if isinstance(value, Fraction)
        else Decimal(str(value))
    )
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def difference(after: float, before: float) -> float:
    """The change between two levels *as shown* (each rounded to one decimal first), so that
    a reader who subtracts the two displayed numbers gets exactly the displayed change."""
    return float(
        (Decimal(str(one_decimal(after))) - Decimal(str(one_decimal(before)))).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )
    )


def format_number(value: float | None) -> str:
    """A level, a priority or a weight as every page and the passport show it: one decimal."""
    return "—" if value is None else f"{one_decimal(value):.1f}"


def format_change(value: float | None) -> str:
    """A change with its sign (a true minus sign), one decimal: +0.6, −0.3, 0.0."""
    if value is None:
        return "—"
    shown = one_decimal(value)
    if shown > 0:
        return f"+{shown:.1f}"
    return f"−{-shown:.1f}" if shown < 0 else "0.0"


def _whole(value: Fraction) -> int:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass
class EvidenceItem:
    """A journal entry or artefact that evidences skills, as the caller may show it."""

    title: str
    date: dt.date
    skills: Sequence[str]
    kind: str = "journal"  # "journal" or "artefact"
    url: str = ""
    entry_kind: str = ""  # a journal entry's kind: reflection, plan, evaluation...
    statements: frozenset[str] = frozenset()  # skills it has an evidence statement for
    mentions: str = ""  # its body's text and link targets, to find the rounds an evaluation is about

    def category(self, skill_id: str) -> str:
        """What sort of evidence it is for ``skill_id``: a key of :data:`WEIGHTS`."""
        if self.kind == "artefact":
            return "artefact-statement" if skill_id in self.statements else "artefact"
        return JOURNAL_WEIGHT.get(self.entry_kind, "reflection")

    def about(self, round_: Round) -> bool:
        """An evaluation entry that names the round (its file or its page) was written for it."""
        return self.entry_kind == "evaluation" and round_.slug in self.mentions


@dataclass
class SkillLevel:
    """One skill in one round."""

    skill: Skill
    level: float | None  # one decimal; None: not assessed
    exact: Fraction | None
    percent: int | None
    answered: int
    dont_know: int
    skipped: int
    importance: int | None
    priority: float | None
    notes: str = ""

    @property
    def assessed(self) -> bool:
        return self.level is not None

    @property
    def id(self) -> str:
        return self.skill.id

    @property
    def name(self) -> str:
        return self.skill.name


@dataclass
class RoundProfile:
    """The analysis of one round."""

    round: Round
    levels: list[SkillLevel]  # every skill of the framework, in framework order
    strengths: list[SkillLevel]
    improvements: list[SkillLevel]
    not_assessed: list[SkillLevel]

    def get(self, skill_id: str) -> SkillLevel | None:
        return next((s for s in self.levels if s.skill.id == skill_id), None)

    def level_of(self, skill_id: str) -> SkillLevel:
        """The level of one of the framework's skills (each has one, assessed or not)."""
        level = self.get(skill_id)
        if level is None:
            raise KeyError(skill_id)
        return level

    @property
    def assessed(self) -> list[SkillLevel]:
        return [s for s in self.levels if s.assessed]


@dataclass
class StatementChange:
    """One statement answered with a number in both rounds of a step."""

    id: str  # the statement's stable id
    text: str
    before: int
    after: int

    @property
    def change(self) -> int:
        return self.after - self.before


@dataclass
class Step:
    """The change of a skill between two rounds, and the evidence dated in between."""

    before: RoundProfile
    after: RoundProfile
    level_before: float
    level_after: float
    change: float  # one decimal
    evidence: list[EvidenceItem] = field(default_factory=list)
    statements: list[StatementChange] = field(default_factory=list)  # answered in both rounds
    skill_id: str = ""

    @property
    def counts(self) -> dict[str, int]:
        """How many pieces of each sort of evidence (keys of :data:`WEIGHTS`, in that order)."""
        found = [e.category(self.skill_id) for e in self.evidence]
        return {k: found.count(k) for k in WEIGHTS if k in found}

    @property
    def weight(self) -> float:
        """The weighed evidence in between: the sum of the weights of its pieces."""
        return sum(WEIGHTS[k] * n for k, n in self.counts.items())

    @property
    def confidence(self) -> int | None:
        answers = self.after.round.skills.get(self.skill_id)
        return answers.confidence if answers else None

    @property
    def notes(self) -> list[str]:
        """Calibration notes, the questions the step asks the learner: ``no-evidence``, ``thin``
        (less weighed evidence than the rise needs), ``unsure`` (a rise of half a level or more
        rated with the lowest confidence), ``fell`` (a fall despite evidence for a full level)."""
        notes = []
        if self.change > 0 and not self.evidence:
            notes.append("no-evidence")
        elif self.change > 0 and self.weight < SUPPORT_PER_LEVEL * self.change:
            notes.append("thin")
        if self.change >= 0.5 and self.confidence == LOW_CONFIDENCE:
            notes.append("unsure")
        if self.change < 0 and self.weight >= SUPPORT_PER_LEVEL:
            notes.append("fell")
        return notes

    @property
    def moved(self) -> list[StatementChange]:
        """The statements whose answer changed between the two rounds."""
        return [s for s in self.statements if s.change]

    @property
    def rose_without_evidence(self) -> bool:
        return self.change > 0 and not self.evidence


@dataclass
class SkillChange:
    """A skill across rounds."""

    skill: Skill
    history: list[tuple[RoundProfile, float | None]]  # every round, oldest first
    overall: Step | None  # first assessed round → latest assessed round
    steps: list[Step]  # consecutive assessed rounds

    @property
    def change(self) -> float | None:
        return self.overall.change if self.overall else None

    @property
    def evidence(self) -> list[EvidenceItem]:
        return self.overall.evidence if self.overall else []

    @property
    def rose_without_evidence(self) -> bool:
        return bool(self.overall and self.overall.rose_without_evidence)

    def step_to(self, profile: RoundProfile) -> Step | None:
        """The step that ends at ``profile`` (None for the first assessed round)."""
        return next((s for s in self.steps if s.after is profile), None)


@dataclass
class Analysis:
    framework: Framework
    profiles: list[RoundProfile]  # oldest first
    changes: list[SkillChange]  # every skill, framework order
    evidence: list[EvidenceItem] = field(default_factory=list)  # what the audience may see

    @property
    def latest(self) -> RoundProfile | None:
        return self.profiles[-1] if self.profiles else None

    @property
    def first(self) -> RoundProfile | None:
        return self.profiles[0] if self.profiles else None

    @property
    def compared(self) -> bool:
        return len(self.profiles) > 1

    @property
    def flagged(self) -> list[SkillChange]:
        """Skills whose self-rating rose with no evidence at all in between."""
        return [c for c in self.changes if c.rose_without_evidence]

    def change_of(self, skill_id: str) -> SkillChange | None:
        return next((c for c in self.changes if c.skill.id == skill_id), None)

    def latest_level(self, skill_id: str) -> float | None:
        """The skill's level in the latest round that assessed it."""
        for profile in reversed(self.profiles):
            level = profile.get(skill_id)
            if level is not None and level.assessed:
                return level.level
        return None


@dataclass
class GoalProgress:
    """Where a goal stands: the latest level against its target, and the evidence since it was set."""

    goal: Goal
    latest: float | None
    since: dt.date | None  # the goal's ``set``, else the first round; None without either
    evidence: list[EvidenceItem]  # of the goal's skill, dated after ``since``, oldest first

    @property
    def rated(self) -> bool:
        """The latest self-rating meets the target."""
        return self.latest is not None and self.latest >= self.goal.target

    @property
    def reached(self) -> bool:
        return self.rated and bool(self.evidence)

    @property
    def self_rated_only(self) -> bool:
        return self.rated and not self.evidence


def goal_progress(goal: Goal, analysis: Analysis) -> GoalProgress:
    since = goal.set or (analysis.first.round.date if analysis.first else None)
    evidence = sorted(
        (e for e in analysis.evidence if goal.skill in e.skills and (since is None or e.date > since)),
        key=lambda e: (e.date, e.title),
    )
    return GoalProgress(goal, analysis.latest_level(goal.skill), since, evidence)


def skill_level(skill: Skill, round_: Round, top: int) -> SkillLevel:
    """Score one skill of one round."""
    answers = round_.skills.get(skill.id)
    if answers is None:
        return SkillLevel(skill, None, None, None, 0, 0, 0, None, None)
    rated = answers.rated
    dont_know = sum(1 for a in answers.answers if a == "dk")
    skipped = sum(1 for a in answers.answers if a is None)
    exact = Fraction(sum(rated), len(rated)) if rated else None
    level = one_decimal(exact) if exact is not None else None
    percent = _whole(exact * 100 / top) if exact is not None else None
    importance = answers.importance
    priority = None
    if exact is not None:
        weight = importance if importance is not None else DEFAULT_IMPORTANCE
        gap = (top - exact) * Fraction(4, top - 1)  # in steps of a 5-point scale
        priority = one_decimal(weight * gap)
    return SkillLevel(
        skill, level, exact, percent, len(rated), dont_know, skipped, importance, priority, answers.notes
    )


def _top(levels: list[SkillLevel], key) -> list[SkillLevel]:
    """The TOP_COUNT best by ``key`` (exact values), keeping ties with the last one."""
    ranked = sorted(levels, key=key, reverse=True)
    if len(ranked) <= TOP_COUNT:
        return ranked
    cut = key(ranked[TOP_COUNT - 1])
    return [s for s in ranked if key(s) >= cut]


def profile(framework: Framework, round_: Round) -> RoundProfile:
    top = len(framework.scale)
    levels = [skill_level(s, round_, top) for s in framework.skills]
    assessed = [s for s in levels if s.assessed]
    strengths = _top(assessed, lambda s: s.exact)
    candidates = [s for s in assessed if s.priority and s.priority > 0]
    improvements = _top(candidates, lambda s: (s.importance or DEFAULT_IMPORTANCE) * (top - s.exact))
    return RoundProfile(round_, levels, strengths, improvements, [s for s in levels if not s.assessed])


def statement_changes(skill: Skill, before: Round, after: Round) -> list[StatementChange]:
    """Statement by statement, the answers of ``skill`` in two rounds (numbers in both only).

    Answers are matched by position, which is the statement's stable id: a
    framework only ever appends statements, so an older round that has fewer
    answers simply has nothing to compare for the newer statements.
    """
    a, b = before.skills.get(skill.id), after.skills.get(skill.id)
    if a is None or b is None:
        return []
    out = []
    for i, text in enumerate(skill.statements):
        x = a.answers[i] if i < len(a.answers) else None
        y = b.answers[i] if i < len(b.answers) else None
        if isinstance(x, int) and isinstance(y, int) and not isinstance(x, bool) and not isinstance(y, bool):
            out.append(StatementChange(skill.statement_id(i), text, x, y))
    return out


def _between(evidence: Iterable[EvidenceItem], skill_id: str, before: Round, after: Round):
    """The evidence of ``skill_id`` for the step from ``before`` to ``after``: dated after the earlier
    round and before the day of the later one, and not an evaluation written about either round."""
    found = [
        e
        for e in evidence
        if skill_id in e.skills
        and before.date < e.date < after.date
        and not e.about(before)
        and not e.about(after)
    ]
    return sorted(found, key=lambda e: (e.date, e.title))


def analyse(framework: Framework, rounds: Sequence[Round], evidence: Iterable[EvidenceItem] = ()) -> Analysis:
    """Analyse ``rounds`` (any order) against ``evidence`` (what the audience may see)."""
    evidence = list(evidence)
    ordered = sorted(rounds, key=lambda r: (r.date, r.slug))
    profiles = [profile(framework, r) for r in ordered]
    changes = []
    for skill in framework.skills:
        history = [(p, p.level_of(skill.id).level) for p in profiles]
        points = [(p, p.level_of(skill.id)) for p in profiles if p.level_of(skill.id).assessed]

        def step(a: tuple, b: tuple, skill: Skill = skill) -> Step:
            (pa, la), (pb, lb) = a, b
            return Step(
                pa,
                pb,
                la.level,
                lb.level,
                difference(lb.level, la.level),
                _between(evidence, skill.id, pa.round, pb.round),
                statement_changes(skill, pa.round, pb.round),
                skill.id,
            )

        steps = [step(a, b) for a, b in zip(points, points[1:])]
        overall = step(points[0], points[-1]) if len(points) > 1 else None
        changes.append(SkillChange(skill, history, overall, steps))
    return Analysis(framework, profiles, changes, evidence)
