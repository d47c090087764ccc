"""Site stage for self-assessment: which rounds this audience may see, their
analysis against the published evidence, the agenda, the evidence map and
the pages that show them.

Privacy rule: a round is private unless its own ``visibility: public`` or
the portfolio's ``self_assessment.visibility: public`` says otherwise (the
round's own setting wins). A public build never analyses private rounds, so
no level, chart or priority derived from them can reach its pages. The
agenda follows the same rule (its own ``visibility``, then the portfolio's). Feedback from a
tutor or a peer (``feedback/*.yaml``) is private unless its own file says ``visibility: public``:
a public build never sees private feedback.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from elenefolio.assess.analysis import (
    Analysis,
    EvidenceItem,
    GoalProgress,
    RoundProfile,
    SkillChange,
    analyse,
    goal_progress,
)
from elenefolio.assess.model import Action, Agenda, Feedback, Goal, Round
from elenefolio.model import Portfolio
from elenefolio.site.audience import Audience
from elenefolio.site.views import ItemView, Page, SkillView
from elenefolio.util import clock
from elenefolio.util.i18n import N_

SELF_ASSESSMENT = "self-assessment/"
QUESTIONNAIRE = "self-assessment/questionnaire/"
AGENDA = "agenda/"


def round_url(round_: Round) -> str:
    return f"{SELF_ASSESSMENT}{round_.slug}/"


def round_is_public(round_: Round, portfolio: Portfolio) -> bool:
    return (round_.visibility or portfolio.config.self_assessment.visibility) == "public"


def agenda_is_public(agenda: Agenda, portfolio: Portfolio) -> bool:
    return (agenda.visibility or portfolio.config.self_assessment.visibility) == "public"


def evidence_status(artefacts: int, journal: int, planned: bool = False) -> str:
    """The evidence-map status of a skill: evidenced (an artefact shows it), in
    progress (reflected on in the journal, or planned in the agenda), not started."""
    if artefacts:
        return "evidenced"
    if journal or planned:
        return "in-progress"
    return "not-started"


@dataclass(repr=False)
class ActionView:
    action: Action
    skills: list[SkillView]
    journal: list[ItemView]  # only the entries this audience may see


@dataclass(repr=False)
class GoalView:
    goal: Goal
    skill: SkillView
    progress: GoalProgress  # against the rounds and evidence this audience may see
    today: dt.date
    actions: list[ActionView] = field(default_factory=list)  # the actions that name this goal

    @property
    def latest(self) -> float | None:
        return self.progress.latest

    @property
    def reached(self) -> bool:
        """The latest level meets the target and there is evidence since the goal was set."""
        return self.progress.reached

    @property
    def overdue(self) -> bool:
        return (
            self.goal.by is not None
            and self.goal.by < self.today
            and not self.progress.rated
            and self.goal.done is None
        )

    @property
    def review_overdue(self) -> bool:
        """The review date has passed and the goal is still open."""
        return self.goal.review is not None and self.goal.review < self.today and self.goal.done is None

    @property
    def state(self) -> str:
        """reached, self-rated, closed, overdue or open (the render stage gives its label)."""
        if self.progress.reached:
            return "reached"
        if self.progress.self_rated_only:
            return "self-rated"
        if self.goal.done is not None:
            return "closed"
        return "overdue" if self.overdue else "open"


@dataclass(repr=False)
class AgendaView:
    goals: list[GoalView]
    actions: list[ActionView]

    def actions_with(self, status: str) -> list[ActionView]:
        return [a for a in self.actions if a.action.status == status]


@dataclass(repr=False)
class SkillRow:
    """One skill on the evidence map and on its own page.

    Templates read it as ``skill.assessment``: plain attributes rather than method
    calls with arguments, so that incremental builds can replay what a page read.
    """

    skill: SkillView
    change: SkillChange | None
    status: str  # evidence_status(): the render stage gives its label
    latest_level: float | None
    history: list[HistoryRow] = field(default_factory=list)  # every round, oldest first
    outside: list[tuple[Feedback, float]] = field(default_factory=list)  # feedback ratings, oldest first


@dataclass(repr=False)
class HistoryRow:
    """A skill in one round, as its page shows it."""

    url: str  # the round's page
    title: str
    date: dt.date
    level: float | None
    importance: int | None
    step: object = None  # analysis.Step ending at this round (None for the first)
    confidence: int | None = None  # 1-3, how sure the learner was of this rating
    example: str = ""  # "when did you last do this?"


@dataclass(repr=False)
class SelfAssessmentSite:
    """Everything the templates need about self-assessment for one audience, as data: the
    render stage makes the charts and labels from it (``render.assessment``)."""

    analysis: Analysis
    rows: dict[str, SkillRow]
    agenda: AgendaView | None
    round_urls: dict[str, str] = field(default_factory=dict)  # round slug -> page address
    questionnaire: bool = False
    scale_labels: list[str] = field(default_factory=list)
    feedback: list[Feedback] = field(default_factory=list)  # only what this audience may see

    @property
    def has_rounds(self) -> bool:
        return bool(self.analysis.profiles)

    @property
    def latest(self) -> RoundProfile | None:
        return self.analysis.latest

    @property
    def top(self) -> int:
        return len(self.analysis.framework.scale)

    def row(self, skill_id: str) -> SkillRow | None:
        return self.rows.get(skill_id)

    def url_of(self, profile: RoundProfile) -> str:
        return self.round_urls[profile.round.slug]


def evidence_item(item: ItemView) -> EvidenceItem:
    """An item as the analysis weighs it: its sort, its evidence statements, and what it names."""
    wrapped = item.wrapped
    body = wrapped.body
    return EvidenceItem(
        item.title,
        wrapped.day,
        wrapped.skill_ids,
        "journal" if item.section == "journal" else "artefact",
        item.url,
        getattr(wrapped, "kind", ""),
        frozenset(c.skill for c in wrapped.skills if c.evidence.strip()),
        " ".join([body.plain, *(r.target for r in body.references)]),
    )


def build_self_assessment(
    portfolio: Portfolio,
    audience: Audience,
    skills: list[SkillView],
    items: list[ItemView],
    today: dt.date | None = None,
) -> SelfAssessmentSite:
    """The self-assessment part of the site, for ``audience``.

    ``items`` are the items this audience may see listed (the evidence).
    """
    today = today or clock.today()
    rounds = [r for r in portfolio.assessments if audience.private or round_is_public(r, portfolio)]
    evidence = [evidence_item(i) for i in items if i.listed]
    analysis = analyse(portfolio.framework, rounds, evidence)
    by_id = {s.id: s for s in skills}
    agenda = None
    if portfolio.agenda is not None and (audience.private or agenda_is_public(portfolio.agenda, portfolio)):
        agenda = _agenda(portfolio.agenda, analysis, by_id, items, today)
    planned = set()
    if agenda is not None:
        planned = {g.goal.skill for g in agenda.goals} | {s.id for a in agenda.actions for s in a.skills}
    round_urls = {p.round.slug: round_url(p.round) for p in analysis.profiles}
    # the outside view: feedback with ratings (of a file in either form), only what this build may show
    feedback = [f for f in portfolio.feedback if f.ratings and (audience.private or f.visibility == "public")]
    rows = {}
    for skill in skills:
        latest = analysis.latest.level_of(skill.id).level if analysis.latest else None
        change = analysis.change_of(skill.id)
        history = []
        for profile, value in change.history if change is not None else []:
            level = profile.get(skill.id)
            given = profile.round.skills.get(skill.id)
            history.append(
                HistoryRow(
                    round_urls[profile.round.slug],
                    profile.round.title,
                    profile.round.date,
                    value,
                    level.importance if level is not None else None,
                    change.step_to(profile) if change is not None else None,
                    given.confidence if given else None,
                    given.example if given else "",
                )
            )
        rows[skill.id] = SkillRow(
            skill,
            change,
            evidence_status(len(skill.artefacts), len(skill.journal), skill.id in planned),
            latest,
            history,
            outside=[(f, f.ratings[skill.id]) for f in feedback if skill.id in f.ratings],
        )
        skill.assessment = rows[skill.id]
    sa = SelfAssessmentSite(
        analysis,
        rows,
        agenda,
        round_urls=round_urls,
        questionnaire=portfolio.config.self_assessment.questionnaire_page,
        scale_labels=[p.label for p in portfolio.framework.scale],
        feedback=feedback,
    )
    return sa


def _agenda(
    agenda: Agenda, analysis: Analysis, skills: dict[str, SkillView], items: list[ItemView], today: dt.date
) -> AgendaView:
    journal = {i.wrapped.slug: i for i in items if i.section == "journal"}
    actions = [
        ActionView(
            a,
            [skills[s] for s in a.skills if s in skills],
            [journal[j] for j in a.journal if j in journal and journal[j].listed],
        )
        for a in agenda.actions
    ]
    goals = [
        GoalView(
            g,
            skills[g.skill],
            goal_progress(g, analysis),
            today,
            [a for a in actions if a.action.goal == g.id],
        )
        for g in agenda.goals
        if g.skill in skills
    ]
    return AgendaView(goals, actions)


def pages(sa: SelfAssessmentSite) -> list[Page]:
    """The pages of the self-assessment part, and the navigation entries."""
    out = []
    if sa.has_rounds:
        out.append(
            Page(SELF_ASSESSMENT, "self_assessment.html", N_("Self-assessment"), kind="self-assessment")
        )
        for profile in sa.analysis.profiles:
            out.append(
                Page(
                    sa.url_of(profile),
                    "assessment_round.html",
                    profile.round.title,
                    {"profile": profile},
                    kind="assessment-round",
                )
            )
    if sa.questionnaire:
        out.append(
            Page(
                QUESTIONNAIRE, "questionnaire.html", N_("Self-assessment questionnaire"), kind="questionnaire"
            )
        )
    if sa.agenda is not None:
        out.append(Page(AGENDA, "agenda.html", N_("Learning agenda"), kind="agenda"))
    return out


def nav_entries(sa: SelfAssessmentSite) -> list[tuple[str, str, list[str]]]:
    entries: list[tuple[str, str, list[str]]] = []
    if sa.has_rounds:
        entries.append(
            (SELF_ASSESSMENT, N_("Self-assessment"), ["self-assessment", "assessment-round", "questionnaire"])
        )
    elif sa.questionnaire:
        entries.append((QUESTIONNAIRE, N_("Self-assessment"), ["questionnaire"]))
    if sa.agenda is not None:
        entries.append((AGENDA, N_("Agenda"), ["agenda"]))
    return entries
