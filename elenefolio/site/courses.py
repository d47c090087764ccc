"""The courses and MOOCs a learner took, from the agenda and the journal of a site, for
the outputs that list them (the JSON Resume export, the CV)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import urlparse


@dataclass
class Course:
    """A course or MOOC the learner names, once however many times it is named."""

    name: str
    kind: str  # "course" or "mooc"
    keys: set[str]
    url: str = ""
    institution: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    done: bool | None = None  # what the agenda says; None: only the journal names it
    taken: bool = False  # named in a journal entry that is not a plan

    def seen(self, day: dt.date) -> None:
        self.start = min(self.start or day, day)
        self.end = max(self.end or day, day)


def _keys(name: str, url: str) -> set[str]:
    """What identifies a course: its address, and its name without a trailing "(provider)"."""
    keys = set()
    words = re.sub(r"\W+", " ", re.sub(r"\s*\([^)]*\)\s*$", "", name).lower()).strip()
    if words:
        keys.add("name:" + words)
    if url:
        parsed = urlparse(url)
        keys.add("url:" + (parsed.hostname or "").removeprefix("www.") + parsed.path.rstrip("/"))
    return keys


class _Courses:
    """The courses named so far, each once."""

    def __init__(self):
        self.all: list[Course] = []

    def add(self, name: str, kind: str, url: str = "") -> Course:
        keys = _keys(name, url)
        course = next((c for c in self.all if c.keys & keys), None)
        if course is None:
            course = Course(name, kind, keys)
            self.all.append(course)
        course.keys |= keys
        if kind == "mooc":
            course.kind = "mooc"
        if url and not course.url:
            course.url = url
            course.institution = course.institution or (urlparse(url).hostname or "").removeprefix("www.")
        return course


def completed_courses(site) -> list[Course]:
    """The courses and MOOCs the learner completed, oldest first (by start, then name).

    They come from the agenda's actions of type ``course`` or ``mooc`` (when this
    audience may see the agenda) and from the journal entries of ``site``: an entry's
    ``course:`` and its resources of type ``course`` or ``mooc``. A course is completed
    when the agenda says it is ``done``, or, when the agenda does not name it, when an
    entry that is not a plan names it. A course named several times (the same address,
    or the same name without a trailing "(provider)") is one ``Course``; the agenda's
    dates win over those of the entries that name it. Used by the JSON Resume export and
    the CV."""
    courses = _Courses()
    sa = getattr(site, "self_assessment", None)
    agenda = sa.agenda if sa is not None else None  # None when this audience may not see it
    for view in agenda.actions if agenda is not None else []:
        action = view.action
        if action.type in ("mooc", "course"):
            course = courses.add(action.title, action.type, action.url)
            course.done = bool(course.done) or action.status == "done"  # completed once is enough
            course.institution = action.provider or course.institution
            course.start, course.end = action.start or course.start, action.end or course.end
    for view in sorted(site.journal, key=lambda v: v.sort_key):
        named = [(view.course, "course", "")] if view.course else []
        named += [(r.title, r.type, r.url) for r in view.resources if r.type in ("mooc", "course")]
        for name, kind, url in named:
            course = courses.add(name, kind, url)
            if course.done is None:  # the agenda's dates win
                course.seen(view.wrapped.day)
            course.taken = course.taken or view.kind != "plan"
    done = [c for c in courses.all if c.done or (c.done is None and c.taken)]
    return sorted(done, key=lambda c: (c.start or dt.date.min, c.name.lower()))
