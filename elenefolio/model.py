"""The content model: plain objects made by the load stage.

Every object remembers where it came from (``source``), so that later
stages can report problems at the right file and line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

VISIBILITIES = ("public", "unlisted", "private")
# An entry or artefact may also be ``shared``: its page is published encrypted, for the
# audiences it names (``audience:``), whose passphrases portfolio.yaml says where to find.
ITEM_VISIBILITIES = ("public", "unlisted", "shared", "private")
JOURNAL_KINDS = ("question", "plan", "reflection", "evaluation", "idea", "disappointment", "record")
ARTEFACT_TYPES = (
    "video",
    "audio",
    "image",
    "document",
    "blog-post",
    "infographic",
    "presentation",
    "code",
    "link",
    "other",
)
RESOURCE_TYPES = ("mooc", "oer", "course", "book", "other")


@dataclass(frozen=True)
class Source:
    """A place in the portfolio: a file (relative to the root) and a line."""

    path: str
    line: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass
class Link:
    """A labelled link of the author (website, profile...)."""

    label: str
    url: str


@dataclass
class Author:
    name: str
    headline: str = ""
    email: list[str] = field(default_factory=list)  # never rendered
    photo: Path | None = None  # absolute path of the photo file
    links: list[Link] = field(default_factory=list)


@dataclass
class Config:
    """``portfolio.yaml``: settings of the whole portfolio."""

    root: Path
    title: str
    author: Author
    base_url: str = "http://localhost:8000/"
    language: str = "en"
    theme: str = "default"
    theme_line: int = 1  # of ``theme:`` in portfolio.yaml, for its problems
    framework: str = "elene4work"
    framework_line: int = 1  # of ``framework:`` in portfolio.yaml, for its problems
    default_visibility: str = "private"
    allow_html: bool = False
    math: bool = False  # $…$ and $$…$$ are formulas (LaTeX)
    extra: dict[str, Any] = field(default_factory=dict)
    passport: bool = False  # also build the education passport (passport.pdf)
    passport_paper: str = "a4"
    public_sources: bool = False  # the learner accepts that the repository shows every source file
    hooks: tuple = ()  # (file of the portfolio, line in portfolio.yaml): Python run by the build
    keep_metadata: bool = False  # publish photos with their EXIF/XMP data (location, camera)
    # ``audiences:``: each audience's name → the environment variable holding its passphrase
    # (never the passphrase itself: it is read from the environment only to encrypt)
    audiences: dict[str, str] = field(default_factory=dict)
    source: Source = Source("portfolio.yaml")
    self_assessment: "SelfAssessmentSettings" = field(default_factory=lambda: SelfAssessmentSettings())


@dataclass
class SelfAssessmentSettings:
    """``self_assessment:`` in portfolio.yaml."""

    visibility: str = "private"  # of assessment rounds and the agenda: public or private
    questionnaire_page: bool = False  # publish the in-browser questionnaire


@dataclass
class Area:
    id: str
    name: str
    description: str = ""


@dataclass
class Skill:
    id: str
    name: str
    area: str
    description: str = ""
    esco: str = ""
    source: Source | None = None
    statements: list[str] = field(default_factory=list)  # self-assessment "I can ..." items
    # A stable id per statement (same order): round files answer by position, and a
    # statement is only ever appended, so an id always names the same behaviour.
    statement_ids: list[str] = field(default_factory=list)
    anchors: dict[int, str] = field(default_factory=dict)  # scale value -> behaviour at that level
    parent: str = ""  # id of the skill it is part of (same area); "" for a top-level skill

    def statement_id(self, index: int) -> str:
        """The stable id of statement ``index`` (``<skill>-<n>`` when the framework names none)."""
        if index < len(self.statement_ids):
            return self.statement_ids[index]
        return f"{self.id}-{index + 1}"


@dataclass
class ScalePoint:
    """One point of a framework's rating scale (1 = lowest)."""

    value: int
    label: str
    description: str = ""


DEFAULT_SCALE = [
    ScalePoint(1, "never / not yet"),
    ScalePoint(2, "rarely"),
    ScalePoint(3, "sometimes"),
    ScalePoint(4, "often"),
    ScalePoint(5, "always / confidently"),
]


@dataclass
class EvidenceStatus:
    """A judgement a piece of evidence can be given (Mahara SmartEvidence's evidence statuses):
    its id, named in an item's skill claim, and its label, the framework's own words."""

    id: str
    label: str


@dataclass
class Framework:
    id: str
    name: str
    areas: list[Area]
    skills: list[Skill]
    description: str = ""
    scale: list[ScalePoint] = field(default_factory=lambda: list(DEFAULT_SCALE))
    evidence_statuses: list[EvidenceStatus] = field(default_factory=list)

    def skill(self, skill_id: str) -> Skill | None:
        return self._index.get(skill_id)

    def __post_init__(self) -> None:
        self._index = {s.id: s for s in self.skills}

    def children_of(self, skill_id: str) -> list[Skill]:
        """The sub-skills of a skill, in the framework's order."""
        return [s for s in self.skills if s.parent == skill_id]

    def depth(self, skill_id: str) -> int:
        """0 for a top-level skill, 1 for its sub-skills, and so on (the loader refuses cycles)."""
        depth, skill = 0, self.skill(skill_id)
        while skill is not None and skill.parent and depth < len(self.skills):
            depth, skill = depth + 1, self.skill(skill.parent)
        return depth

    def skills_in(self, area_id: str) -> list[Skill]:
        """The skills of an area, each followed by its sub-skills: the order of every list of
        skills (a flat framework keeps its own order)."""
        ordered: list[Skill] = []

        def add(skill: Skill) -> None:
            ordered.append(skill)
            for child in self.children_of(skill.id):
                if child.area == area_id and child not in ordered:
                    add(child)

        for skill in self.skills:
            if skill.area == area_id and not (skill.parent and self.skill(skill.parent)):
                add(skill)
        return ordered


@dataclass
class Reference:
    """A link or image written in a Markdown body, with its line."""

    target: str
    line: int
    kind: str  # "link" or "image"
    text: str = ""
    path: Path | None = None  # the local file it points to, when it does
    fragment: str = ""  # "#section" part of the target


@dataclass
class Body:
    """A Markdown body, rendered to HTML in which links and images are slots that each
    page fills with addresses relative to itself (see ``markup.prepare``)."""

    html: str
    slots: tuple
    references: list[Reference]
    plain: str  # plain text, for summaries
    line: int  # line of the body's first line in its file


@dataclass
class Resource:
    title: str
    url: str
    type: str = "other"


@dataclass
class SkillClaim:
    """A skill an item is tagged with, and optionally how it shows it."""

    skill: str
    evidence: str = ""
    line: int = 1
    status: str = ""  # the id of one of the framework's evidence statuses


@dataclass
class Media:
    """A media file (relative path) or URL attached to an artefact."""

    src: str
    kind: str  # video, audio, image, pdf, file, link
    alt: str = ""
    caption: str = ""
    poster: str = ""
    path: Path | None = None  # absolute path for a local file
    poster_path: Path | None = None
    line: int = 1
    captions: list[tuple[str, Path]] = field(default_factory=list)  # (language, .vtt file)
    transcript: str = ""  # the text of the transcript (written inline or read from its file)
    transcript_path: Path | None = None  # the transcript's file, when it has one
    fit: str = ""  # "contain": a card shows the whole picture (it holds text); "" crops it
    focus: str = ""  # the part of the picture a cropped card keeps, as CSS object-position


@dataclass
class Item:
    """What journal entries and artefacts have in common."""

    section: ClassVar[str]  # "journal" or "artefacts": set by each kind
    slug: str
    title: str
    date: dt.date | dt.datetime
    skills: list[SkillClaim]
    tags: list[str]
    visibility: str
    draft: bool
    summary: str
    body: Body
    source: Source
    path: Path  # absolute path of the Markdown file
    extra: dict[str, Any] = field(default_factory=dict)
    tag_lines: dict[str, int] = field(default_factory=dict)  # line of each tag in its file
    lang: str = ""  # the language of its text (BCP 47), when not the site's
    audience: tuple[str, ...] = ()  # a shared item: the audiences (of portfolio.yaml) it is for
    updated_set: dt.date | dt.datetime | None = None  # front matter ``updated:``
    # When the item last changed: ``updated:``, else its file's last commit (util/gitdates.py),
    # else its own date. ``git_created``: its file's first commit, when known.
    updated: dt.date | dt.datetime | None = None
    git_created: dt.datetime | None = None

    def __post_init__(self) -> None:
        if self.updated is None:
            self.updated = self.updated_set or self.date

    @property
    def dir(self) -> str:
        """The direction of its text: "rtl" or "ltr" ("" when it has no language of its own)."""
        from elenefolio.util.i18n import direction

        return direction(self.lang) if self.lang else ""

    @property
    def day(self) -> dt.date:
        return self.date.date() if isinstance(self.date, dt.datetime) else self.date

    @property
    def sort_key(self) -> tuple:
        moment = (
            self.date if isinstance(self.date, dt.datetime) else dt.datetime.combine(self.date, dt.time())
        )
        if moment.tzinfo is not None:  # compare with naive dates: as UTC, without offset
            moment = moment.astimezone(dt.timezone.utc).replace(tzinfo=None)
        return (moment, self.slug)

    @property
    def skill_ids(self) -> list[str]:
        return [c.skill for c in self.skills]


@dataclass
class JournalEntry(Item):
    kind: str = "reflection"
    course: str = ""
    resources: list[Resource] = field(default_factory=list)
    passport: bool = False

    section = "journal"


@dataclass
class Artefact(Item):
    type: str = "other"
    media: list[Media] = field(default_factory=list)
    context: str = ""
    role: str = ""
    featured: bool = False

    section = "artefacts"


@dataclass
class CollectionItem:
    """An item of a collection, as ``collections/<name>.yaml`` names it."""

    item: Item
    line: int


@dataclass
class Collection:
    """``collections/<name>.yaml``: a showcase of chosen items, shown at ``collections/<name>/``."""

    name: str  # its address (the file's name)
    title: str
    intro: Body | None
    items: list[CollectionItem]
    skills: list[SkillClaim]  # the skills it highlights (``line``: of each in its file)
    visibility: str
    source: Source
    path: Path  # absolute path of its file
    draft: bool = False  # (collections have no drafts: the audience reads it as items')
    audience: tuple[str, ...] = ()  # a shared collection: the audiences it is for


@dataclass
class StaticFile:
    path: Path  # absolute
    rel: str  # path inside static/, posix


@dataclass
class Portfolio:
    """Everything the load stage read, validated."""

    config: Config
    framework: Framework
    journal: list[JournalEntry]
    artefacts: list[Artefact]
    static: list[StaticFile]
    about: Body | None = None
    badges: list = field(default_factory=list)  # load.badges.Badge, newest first
    assessments: list[Any] = field(default_factory=list)  # assess.model.Round, oldest first
    agenda: Any = None  # assess.model.Agenda or None
    feedback: list[Any] = field(default_factory=list)  # assess.model.Feedback, oldest first
    collections: list[Collection] = field(default_factory=list)  # by name

    @property
    def items(self) -> list[Item]:
        return [*self.journal, *self.artefacts]
