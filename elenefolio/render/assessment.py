"""What a reader sees of self-assessment: its charts and its status labels.

The site stage gives plain data (``site.self_assessment``: the analysis with its levels and
changes, the status of each skill on the evidence map, the state of each goal, as keys); the
templates make what is shown from it with the filters made here, in the language of the
build:

- ``sa | radar_chart(profile, ...)``: a radar of the levels of one round or more, the latest
  first, its axes in the order of the tables (area by area);
- ``sa | change_chart``: the change of each skill from the first round to the latest;
- ``sa | history_chart(skill_id)``: a skill's level in each round;
- ``status | status_label`` (the evidence map), ``state | goal_state_label`` (the agenda),
  ``status | badge_status_label`` (badges).

A chart reads the site's data through its environment's ``getattr`` and ``getitem``, the way
a template does, so that an incremental build records what each page's charts were made from
(``render.tracking``) and draws them again when it changes. A chart's drawing is kept by value
(its labels, levels and texts): the same chart on several pages, or on the site and in its
passport, is drawn once.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any, Callable

import jinja2
from markupsafe import Markup

from elenefolio.badges.assertion import STATUS_LABELS as BADGE_STATUS_LABELS
from elenefolio.render import charts
from elenefolio.render.tracking import reads_tracked
from elenefolio.util.i18n import N_

# The accessible title and description of each chart.
RADAR_TITLE = N_("Self-assessed levels: %(rounds)s")
RADAR_DESCRIPTION = N_(
    "Radar chart of the self-assessed level (1 to %(top)s) of each skill, grouped "
    "by area (%(areas)s). The table below gives the same values."
)
BARS_TITLE = N_("Change of each skill from %(first)s to %(latest)s")
BARS_DESCRIPTION = N_(
    "Horizontal bars: the change in self-assessed level of each skill between the "
    "first and the latest round (positive to the right). The table below gives "
    "the same values with the evidence in between."
)
HISTORY_TITLE = N_("%(skill)s: self-assessed level per round")
HISTORY_DESCRIPTION = N_(
    "Line chart of the self-assessed level (1 to %(top)s) of %(skill)s in each "
    "round, oldest first. The table next to it gives the same values."
)

# The status of a skill on the evidence map (``site.assessment.evidence_status``).
STATUSES = {"not-started": N_("not started"), "in-progress": N_("in progress"), "evidenced": N_("evidenced")}
# The state of a goal on the agenda (``site.assessment.GoalView.state``), most settled first.
GOAL_STATES = {
    "reached": N_("reached"),
    "self-rated": N_("reached by self-rating, no evidence yet"),
    "closed": N_("closed"),
    "overdue": N_("overdue"),
    "open": N_("open"),
}

DRAWN = 64  # charts kept, by value


@functools.lru_cache(maxsize=DRAWN)
def _radar(labels: tuple, series: tuple, title: str, description: str, top: int) -> Markup:
    return Markup(charts.radar_svg(labels, series, title=title, description=description, scale_max=top))


@functools.lru_cache(maxsize=DRAWN)
def _change_bars(labels: tuple, changes: tuple, title: str, description: str) -> Markup:
    return Markup(charts.change_bars_svg(labels, changes, title=title, description=description))


@functools.lru_cache(maxsize=DRAWN)
def _history(rounds: tuple, levels: tuple, title: str, description: str, top: int) -> Markup:
    return Markup(charts.history_svg(rounds, levels, title=title, description=description, scale_max=top))


def filters(gettext: Callable[[str], str]) -> dict[str, Callable[..., Any]]:
    """The filters of self-assessment, their interface text translated with ``gettext``."""

    @reads_tracked
    @jinja2.pass_environment
    def radar_chart(env: jinja2.Environment, sa, *profiles) -> Markup | str:
        if not profiles or any(p is None for p in profiles):
            return ""
        get = env.getattr
        framework = get(get(sa, "analysis"), "framework")
        skills, areas, skills_in = (
            get(framework, "skills"),
            get(framework, "areas"),
            get(framework, "skills_in"),
        )
        place = {get(s, "id"): i for i, s in enumerate(skills)}
        order = [place[get(s, "id")] for a in areas for s in skills_in(get(a, "id"))]
        seen = set(order)
        order += [i for i in range(len(skills)) if i not in seen]
        labels = tuple(get(skills[i], "name") for i in order)
        series, names = [], []
        for profile in profiles:
            round_, levels = get(profile, "round"), get(profile, "levels")
            series.append((get(round_, "title"), tuple(get(levels[i], "level") for i in order)))
            names.append(f"{get(round_, 'title')} ({get(round_, 'date').isoformat()})")
        top = get(sa, "top")
        title = gettext(RADAR_TITLE) % {"rounds": " · ".join(names)}
        areas_text = ", ".join(get(a, "name") for a in areas)
        description = gettext(RADAR_DESCRIPTION) % {"top": top, "areas": areas_text}
        return _radar(labels, tuple(series), title, description, top)

    @reads_tracked
    @jinja2.pass_environment
    def change_chart(env: jinja2.Environment, sa) -> Markup | str:
        get = env.getattr
        analysis = get(sa, "analysis")
        first, latest = get(analysis, "first"), get(sa, "latest")
        if not get(analysis, "compared") or first is None or latest is None:
            return ""
        changes = [c for c in get(analysis, "changes") if get(c, "change") is not None]
        title = gettext(BARS_TITLE) % {
            "first": get(get(first, "round"), "title"),
            "latest": get(get(latest, "round"), "title"),
        }
        return _change_bars(
            tuple(get(get(c, "skill"), "name") for c in changes),
            tuple(get(c, "change") for c in changes),
            title,
            gettext(BARS_DESCRIPTION),
        )

    @reads_tracked
    @jinja2.pass_environment
    def history_chart(env: jinja2.Environment, sa, skill_id: str) -> Markup | str:
        get = env.getattr
        change = get(get(sa, "analysis"), "change_of")(skill_id)
        if change is None:
            return ""
        history = get(change, "history")  # (round profile, level) pairs: the levels are in its value
        levels = tuple(level for _profile, level in history)
        if sum(1 for level in levels if level is not None) < 2:
            return ""
        top, name = get(sa, "top"), get(get(change, "skill"), "name")
        return _history(
            tuple(get(get(profile, "round"), "title") for profile, _level in history),
            levels,
            gettext(HISTORY_TITLE) % {"skill": name},
            gettext(HISTORY_DESCRIPTION) % {"top": top, "skill": name},
            top,
        )

    def label(labels: Mapping[str, str]) -> Callable[[str], Markup | str]:
        def translate(key: str) -> Markup | str:
            text = labels.get(key)
            # as ``_()`` gives it in a template: interface text is the catalog's own
            return Markup(gettext(text)) if text else key

        return translate

    return {
        "radar_chart": radar_chart,
        "change_chart": change_chart,
        "history_chart": history_chart,
        "status_label": label(STATUSES),
        "goal_state_label": label(GOAL_STATES),
        "badge_status_label": label(BADGE_STATUS_LABELS),
    }
