"""Plain objects that the templates receive.

Each view wraps a model object and adds what the site stage knows: its
address, whether it is listed, its neighbours, the skills and tags as
links. Attribute access falls through to the wrapped model object, so a
template writes ``entry.title`` and ``entry.url`` alike.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from elenefolio.model import Area, Collection, Item, Skill

# Page kinds the search index holds (when listed): the rest only repeat their content.
SEARCHABLE_KINDS = frozenset({"home", "entry", "artefact", "skill", "collection"})


class _ShortRepr:
    """A one-line repr: views point at each other (neighbours, evidence), so the
    default dataclass repr would print the whole site graph."""

    def __repr__(self) -> str:
        label = getattr(self, "url", None) or getattr(self, "name", None) or ""
        return f"<{type(self).__name__} {label}>"


class _Wraps(_ShortRepr):
    """Let templates read the wrapped model object's fields directly."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.__dict__["wrapped"], name)


HELD_BADGES = frozenset({"confirmed", "unverifiable"})  # badge statuses that count as held


@dataclass(eq=False, repr=False)
class TagView(_ShortRepr):
    name: str
    slug: str
    url: str
    items: list["ItemView"] = field(default_factory=list)
    names: list[str] = field(default_factory=list)  # as written in the items (case, accents)

    @property
    def count(self) -> int:
        return len(self.items)


@dataclass(eq=False, repr=False)
class KindLink(_ShortRepr):
    """A kind of journal entry with how many listed entries have it, and their page."""

    kind: str
    count: int
    url: str


@dataclass(eq=False, repr=False)
class SkillClaimView(_ShortRepr):
    """A skill on an item's page: the skill, its page and the evidence statement."""

    skill: "SkillView"
    evidence: str = ""
    status: str = ""  # the label of the evidence status the item names, if any


@dataclass(eq=False, repr=False)
class Evidence(_ShortRepr):
    """One piece of evidence for a skill: an item and what it shows."""

    item: "ItemView"
    statement: str = ""
    status: str = ""  # the label of the evidence status the item names, if any


@dataclass(eq=False, repr=False)
class SkillView(_Wraps):
    wrapped: Skill
    url: str
    area_name: str
    artefacts: list[Evidence] = field(default_factory=list)
    journal: list[Evidence] = field(default_factory=list)
    badges: list = field(default_factory=list)  # site.badges.BadgeView
    assessment: Any = None  # site.assessment.SkillRow, when the site has self-assessment
    parent_skill: "SkillView | None" = None  # the skill it is part of
    sub_skills: list["SkillView"] = field(default_factory=list)
    depth: int = 0  # 0 for a top-level skill, 1 for a sub-skill...
    framework_statuses: tuple[str, ...] = ()  # the labels of the framework's evidence statuses

    @property
    def count(self) -> int:
        return len(self.artefacts) + len(self.journal)

    @property
    def held_badges(self) -> list:
        """The badges shown with this skill that are held: not expired, revoked, tampered..."""
        return [b for b in self.badges if b.status in HELD_BADGES]

    @property
    def evidence_statuses(self) -> list[tuple[str, int]]:
        """The evidence statuses the artefacts give this skill, each with how many, in the
        framework's order."""
        counts: dict[str, int] = {}
        for evidence in self.artefacts:
            if evidence.status:
                counts[evidence.status] = counts.get(evidence.status, 0) + 1
        return [(label, counts[label]) for label in self.framework_statuses if label in counts]


@dataclass(eq=False, repr=False)
class AreaView(_Wraps):
    wrapped: Area
    skills: list[SkillView] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(s.count for s in self.skills)


@dataclass(eq=False, repr=False)
class MediaView(_Wraps):
    """A media item with its address (a site URL for local files)."""

    wrapped: Any
    url: str
    poster_url: str = ""
    host: str = ""  # for links: "YouTube", "Vimeo" or the host name
    captions: list[tuple[str, str]] = field(default_factory=list)  # (language, site URL of .vtt)
    transcript: str = ""  # its text, when published
    pictures: Any = None  # the site's site.pictures.Pictures

    @property
    def picture(self):
        """An image's site.pictures.Picture (its size and smaller copies), or None."""
        return self.pictures.get(self.url) if self.pictures is not None else None

    @property
    def poster_picture(self):
        """The same for a video's poster."""
        return self.pictures.get(self.poster_url) if self.pictures is not None else None


@dataclass(eq=False, repr=False)
class ItemView(_Wraps):
    """A journal entry or an artefact as published."""

    wrapped: Item
    url: str
    section: str  # "journal" or "artefacts"
    listed: bool
    skills: list[SkillClaimView] = field(default_factory=list)
    tags: list[TagView | str] = field(default_factory=list)
    media: list[MediaView] = field(default_factory=list)
    previous: "ItemView | None" = None
    next: "ItemView | None" = None
    link_map: dict[str, str] = field(default_factory=dict)  # body target -> site URL or ""
    body_pictures: dict[str, str] = field(default_factory=dict)  # body image target -> site URL
    thumbnail: str = ""  # site URL of an image to show in lists
    pictures: Any = None  # the site's site.pictures.Pictures
    thumb_fit: str = ""  # "contain" for a picture that holds text: shown whole, never cut
    thumb_focus: str = ""  # what part of it a cropped card shows (CSS object-position)
    feedback: list["FeedbackView"] = field(default_factory=list)  # shown under it, oldest first

    @property
    def thumb(self):
        """The site.pictures.Picture of ``thumbnail``, or None."""
        return self.pictures.get(self.thumbnail) if self.pictures is not None else None

    def body_picture_map(self) -> dict:
        """Each picture of the body that has copies: target -> site.pictures.Picture."""
        found = {t: self.pictures.get(url) for t, url in self.body_pictures.items()}
        return {target: picture for target, picture in found.items() if picture is not None}

    @property
    def summary_text(self) -> str:
        from elenefolio.load.markup import summarise

        return self.wrapped.summary or summarise(self.wrapped.body.plain)

    @property
    def year(self) -> int:
        return self.wrapped.day.year

    @property
    def datetime(self) -> dt.datetime:
        return self.wrapped.sort_key[0]

    @property
    def modified(self) -> dt.date | dt.datetime | None:
        """The date of the item's last change when it is a later day than its date (item pages
        show it), else None."""
        updated = self.wrapped.updated
        day = updated.date() if isinstance(updated, dt.datetime) else updated
        return updated if day is not None and day > self.wrapped.day else None

    @property
    def updated_datetime(self) -> dt.datetime:
        """When the item last changed (its date when it did not), for feeds."""
        moment = self.wrapped.updated or self.wrapped.date
        if not isinstance(moment, dt.datetime):
            moment = dt.datetime.combine(moment, dt.time())
        return max(moment, self.datetime, key=as_utc)


@dataclass(eq=False, repr=False)
class HighlightView(_ShortRepr):
    """A skill a collection highlights, with its evidence among the collection's items."""

    skill: SkillView
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.skill.url


@dataclass(eq=False, repr=False)
class CollectionView(_Wraps):
    """A collection as published: its items (those of this build, in its order) and the skills
    it highlights with their evidence among them."""

    wrapped: Collection
    url: str
    listed: bool
    items: list[ItemView] = field(default_factory=list)
    highlights: list[HighlightView] = field(default_factory=list)
    link_map: dict[str, str] = field(default_factory=dict)  # intro target -> site URL or ""
    feedback: list["FeedbackView"] = field(default_factory=list)  # shown under it, oldest first

    @property
    def artefacts(self) -> list[ItemView]:
        return [v for v in self.items if v.section == "artefacts"]

    @property
    def journal(self) -> list[ItemView]:
        return [v for v in self.items if v.section == "journal"]

    @property
    def summary_text(self) -> str:
        from elenefolio.load.markup import summarise

        return summarise(self.wrapped.intro.plain) if self.wrapped.intro is not None else ""


@dataclass(eq=False, repr=False)
class FeedbackView(_Wraps):
    """Feedback (``assess.model.Feedback``) as shown under the item or collection it is on:
    ``url`` is its place on that page; ``skill_ratings`` its ratings with their skills."""

    wrapped: Any
    url: str
    skill_ratings: list[tuple[SkillView, float]] = field(default_factory=list)
    top: int = 5  # the top of the framework's scale
    link_map: dict[str, str] = field(default_factory=dict)  # body target -> site URL or ""


def as_utc(moment: dt.datetime) -> dt.datetime:
    """Naive and aware moments made comparable: aware ones as UTC, without offset."""
    if moment.tzinfo is not None:
        return moment.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return moment


@dataclass(eq=False, repr=False)
class Asset(_ShortRepr):
    """A file copied into the site (cleaned by ``render.published`` when it is an image)."""

    source: Path
    url: str
    origin: tuple[Path, int, str] | None = None  # the file and line referring to it, and as what


@dataclass(eq=False, repr=False)
class Page(_ShortRepr):
    """One HTML page to render: its address, template and context."""

    url: str
    template: str
    title: str
    context: dict[str, Any] = field(default_factory=dict)
    listed: bool = True  # in the sitemap
    noindex: bool = False
    kind: str = "page"
    body_of: ItemView | None = None  # the item whose Markdown body this page shows
    absolute_links: bool = False  # for pages served at any address (404)
    part: int = 1  # its number in a list cut into pages (site.pagination)

    @property
    def searchable(self) -> bool:
        """Given to the search index: listed pages with content of their own (the first page
        of a skill's evidence: the next ones only list more of it)."""
        return self.listed and self.kind in SEARCHABLE_KINDS and self.part == 1
