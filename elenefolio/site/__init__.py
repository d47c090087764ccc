"""Site stage: the loaded portfolio → collections, indexes and pages.

It decides what exists in this build (see ``audience``), gives every page
its address and resolves links; it renders nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from elenefolio.load.items import make_slug
from elenefolio.model import JOURNAL_KINDS, Artefact, JournalEntry, Portfolio
from elenefolio.problems import Problems, shown
from elenefolio.site import pagination, urls
from elenefolio.site.audience import Audience
from elenefolio.site.badges import attach_badges
from elenefolio.site.links import Resolver, owners, quote_url
from elenefolio.site.pictures import Pictures
from elenefolio.site.views import (
    AreaView,
    Asset,
    CollectionView,
    Evidence,
    FeedbackView,
    HighlightView,
    ItemView,
    KindLink,
    MediaView,
    Page,
    SkillClaimView,
    SkillView,
    TagView,
)
from elenefolio.util.i18n import N_
from elenefolio.util.images import published_name

if TYPE_CHECKING:
    from elenefolio.site.assessment import SelfAssessmentSite

AT_A_GLANCE = 6  # skills in "skills at a glance" on the home page
VIDEO_HOSTS = {"youtube.com": "YouTube", "youtu.be": "YouTube", "vimeo.com": "Vimeo"}


@dataclass(repr=False)
class Site:
    """Everything the render stage needs, as plain objects."""

    portfolio: Portfolio
    audience: Audience
    items: list[ItemView]  # every published item
    journal: list[ItemView]  # listed entries, newest first
    artefacts: list[ItemView]  # listed artefacts, newest first
    areas: list[AreaView]
    skills: list[SkillView]
    tags: list[TagView]
    pages: list[Page] = field(default_factory=list)
    assets: list[Asset] = field(default_factory=list)
    about_links: dict[str, str] = field(default_factory=dict)
    photo_url: str = ""
    badges: list = field(default_factory=list)  # site.badges.BadgeView, newest first
    # generated files: (url, bytes, (the file and line they come from, what they are))
    files: list[tuple[str, bytes, tuple]] = field(default_factory=list)
    self_assessment: SelfAssessmentSite | None = None
    nav_extra: list = field(default_factory=list)  # (address, label, page kinds) after the main entries
    passport_url: str = ""  # the education passport (PDF), when this build makes one
    collections: list[CollectionView] = field(default_factory=list)  # published, by name
    frozen: bool = False  # set at the end of the site stage: no later stage assigns to the site

    def __setattr__(self, name: str, value) -> None:
        if getattr(self, "frozen", False):
            raise AttributeError(f"the site is frozen after the site stage: cannot set '{name}'")
        object.__setattr__(self, name, value)

    pictures: Pictures = field(default_factory=Pictures)  # pictures that get smaller copies

    @property
    def config(self):
        return self.portfolio.config

    @property
    def featured(self) -> list[ItemView]:
        return [a for a in self.artefacts if a.featured]

    @property
    def listed_collections(self) -> list[CollectionView]:
        """The collections the home page lists (in a public build: the public ones)."""
        return [c for c in self.collections if c.listed]

    @property
    def strongest_skills(self) -> list[SkillView]:
        """The skills with the most evidence, then the most badges (framework order between
        equals), for "skills at a glance". The evidence is what this build lists (in a
        public build: public, listed items only), the badges those shown and still held."""
        shown = [s for s in self.skills if s.count or s.held_badges]
        return sorted(shown, key=lambda s: (-s.count, -len(s.held_badges)))[:AT_A_GLANCE]

    def published_files(self) -> frozenset[Path]:
        """The real paths of the portfolio's files this site copies as they are: all that
        its passport may print of the portfolio besides its own resized pictures."""
        return frozenset(asset.source.resolve() for asset in self.assets)


def build_site(
    portfolio: Portfolio, audience: Audience, problems: Problems, passport: bool = False, extend=None
) -> Site:
    """Decide the pages and files of the site for ``audience``; ``passport``: the site has the
    education passport (its address is reserved); ``extend(site)``: the hooks' ``on_site``
    (the built-in badges among them), which may add pages, files and collections."""
    config = portfolio.config
    root = config.root
    published = [i for i in portfolio.items if audience.published(i)]
    views: dict[Path, ItemView] = {}
    for item in sorted(published, key=lambda i: i.sort_key, reverse=True):
        section = "journal" if isinstance(item, JournalEntry) else "artefacts"
        url = urls.journal_entry(item.slug) if section == "journal" else urls.artefact(item.slug)
        views[item.path] = ItemView(item, url, section, audience.listed(item))
    resolver = Resolver(
        root,
        views,
        {i.path for i in portfolio.items},
        problems,
        audience.private,
        owners(root, [*published, *portfolio.items]),
    )
    resolver.sealed = {i.path for i in published if audience.sealed(i)}
    resolver.sealed |= {c.path for c in portfolio.collections if audience.sealed(c)}
    pictures = Pictures()
    for view in views.values():
        view.link_map = resolver.body_links(view.body, view.path, view.url)
        view.body_pictures = _body_pictures(view, pictures)
        if isinstance(view.wrapped, Artefact):
            _media(view, view.wrapped, resolver, pictures)

    items = list(views.values())
    listed = [v for v in items if v.listed]
    journal = [v for v in listed if v.section == "journal"]
    artefacts = [v for v in listed if v.section == "artefacts"]
    _neighbours(journal)

    skill_views = _skill_views(portfolio)
    labels = {s.id: s.label for s in portfolio.framework.evidence_statuses}
    for view in items:
        view.skills = [
            SkillClaimView(skill_views[c.skill], c.evidence, labels.get(c.status, ""))
            for c in view.wrapped.skills
        ]
        if view.listed:
            for claim in view.skills:
                bucket = claim.skill.artefacts if view.section == "artefacts" else claim.skill.journal
                bucket.append(Evidence(view, claim.evidence, claim.status))
    areas = [
        AreaView(a, [skill_views[s.id] for s in portfolio.framework.skills_in(a.id)])
        for a in portfolio.framework.areas
    ]

    tags = _tags(listed, problems)
    by_name = {name: tag for tag in tags for name in tag.names}
    for view in items:
        view.tags = [by_name.get(t, t) for t in view.wrapped.tags]

    site = Site(portfolio, audience, items, journal, artefacts, areas, list(skill_views.values()), tags)
    site.collections = _collections(portfolio, audience, views, skill_views, resolver)
    _feedback(portfolio, audience, views, site.collections, skill_views, resolver)
    if portfolio.about is not None:
        site.about_links = resolver.body_links(portfolio.about, root / "about.md", urls.HOME)
    if config.author.photo is not None:
        site.photo_url = (
            resolver.file_url(config.author.photo, root, "profile/", root / "portfolio.yaml", 1, "photo")
            or ""
        )
    site.pages = _pages(site)
    site.assets = list(resolver.assets.values())
    site.assets += _static_assets(portfolio, problems)
    site.pictures = pictures
    if passport:
        _reserve_passport(site, problems)
    if extend is None:
        attach_badges(site)
    else:
        extend(site)  # the built-in badges, then plugins and the portfolio's hooks
    from elenefolio.site import assessment

    site.self_assessment = assessment.build_self_assessment(portfolio, audience, site.skills, items)
    site.pages += assessment.pages(site.self_assessment)
    site.nav_extra += assessment.nav_entries(site.self_assessment)
    _check_collisions(site, problems)
    site.frozen = True
    return site


HIGHLIGHTS = 6  # skills a collection shows when it names none


def _collections(
    portfolio: Portfolio,
    audience: Audience,
    views: dict[Path, ItemView],
    skill_views: dict[str, SkillView],
    resolver: Resolver,
) -> list[CollectionView]:
    """The collections this build publishes, each with the items it may show (a private
    collection in a private build leaves out the drafts it is not built with) and the skills
    it highlights: those it names, else the skills its items show most."""
    out = []
    for collection in portfolio.collections:
        if not audience.published(collection):
            continue
        view = CollectionView(collection, urls.collection(collection.name), audience.listed(collection))
        view.items = [views[c.item.path] for c in collection.items if c.item.path in views]
        evidence: dict[str, list[Evidence]] = {}
        for item in view.items:
            for claim in item.skills:
                evidence.setdefault(claim.skill.id, []).append(Evidence(item, claim.evidence, claim.status))
        if collection.skills:
            chosen = [c.skill for c in collection.skills]
        else:
            order = {s.id: i for i, s in enumerate(portfolio.framework.skills)}
            chosen = sorted(evidence, key=lambda s: (-len(evidence[s]), order.get(s, 0)))[:HIGHLIGHTS]
        view.highlights = [
            HighlightView(skill_views[s], strongest_first(evidence.get(s, []))) for s in chosen
        ]
        if collection.intro is not None:
            view.link_map = resolver.body_links(collection.intro, collection.path, view.url)
        out.append(view)
    return out


def _feedback(
    portfolio: Portfolio,
    audience: Audience,
    views: dict[Path, ItemView],
    collections: list[CollectionView],
    skill_views: dict[str, SkillView],
    resolver: Resolver,
) -> None:
    """Put each feedback this build may show under the item or collection it is on. Its
    visibility is already no more than its target's (load.feedback): a public build shows
    public and unlisted feedback (on the pages it has), a private build all of it."""
    owners: dict[str, ItemView | CollectionView] = {f"{v.section}/{v.slug}": v for v in views.values()}
    owners.update({f"collections/{c.name}": c for c in collections})
    top = len(portfolio.framework.scale)
    for feedback in portfolio.feedback:
        owner = owners.get(feedback.on) if feedback.on else None
        if owner is None or not (audience.private or feedback.visibility in ("public", "unlisted")):
            continue
        view = FeedbackView(
            feedback,
            f"{owner.url}#feedback-{len(owner.feedback) + 1}",
            [(skill_views[s], level) for s, level in feedback.ratings.items() if s in skill_views],
            top,
        )
        if feedback.body is not None:
            view.link_map = resolver.body_links(feedback.body, feedback.path, owner.url)
        owner.feedback.append(view)


def strongest_first(evidence: list[Evidence]) -> list[Evidence]:
    """Evidence with the most to show first: artefacts that say what they show, then other
    artefacts, then journal entries that say it, then the rest (each group in its order)."""
    return sorted(evidence, key=lambda e: (e.item.section != "artefacts", not e.statement))


def _skill_views(portfolio: Portfolio) -> dict[str, SkillView]:
    """A view of every skill, linked to its parent and its sub-skills."""
    framework = portfolio.framework
    statuses = tuple(s.label for s in framework.evidence_statuses)
    views = {
        s.id: SkillView(
            s,
            urls.skill(s.id),
            _area_name(portfolio, s.area),
            depth=framework.depth(s.id),
            framework_statuses=statuses,
        )
        for s in framework.skills
    }
    for view in views.values():
        view.parent_skill = views.get(view.wrapped.parent) if view.wrapped.parent else None
        view.sub_skills = [views[s.id] for s in framework.children_of(view.id)]
    return views


def _static_assets(portfolio: Portfolio, problems: Problems) -> list[Asset]:
    """The files of ``static/``, at their addresses (a HEIC photo's is its JPEG file's)."""
    assets: dict[str, Asset] = {}
    for f in portfolio.static:
        url = quote_url(published_name(f.rel))
        if url in assets:
            first, second = sorted((assets[url].source, f.path))
            problems.error(
                second,
                1,
                f"this file and '{shown(first.name)}' would both be published as "
                f"'{shown(published_name(f.rel))}' (a HEIC photo is published as a JPEG file); "
                "rename one of them",
            )
            continue
        assets[url] = Asset(f.path, url)
    return list(assets.values())


def _reserve_passport(site: Site, problems: Problems) -> None:
    """This build makes passport.pdf: its address is reserved on the site."""
    site.passport_url = urls.PASSPORT_FILE
    for asset in site.assets:
        if asset.url == urls.PASSPORT_FILE:
            problems.error(
                asset.source,
                1,
                f"this file would replace the generated '{urls.PASSPORT_FILE}'; rename or move it",
            )


def _area_name(portfolio: Portfolio, area_id: str) -> str:
    return next((a.name for a in portfolio.framework.areas if a.id == area_id), area_id)


def _media(view: ItemView, artefact: Artefact, resolver: Resolver, pictures: Pictures) -> None:
    folder = view.path.parent.resolve()
    for media in artefact.media:
        poster = ""
        if media.poster_path is not None:
            poster = (
                resolver.file_url(media.poster_path, folder, view.url, view.path, media.line, "poster") or ""
            )
        if media.path is None:
            host = urlparse(media.src).hostname or ""
            host = host.removeprefix("www.").removeprefix("m.")
            linked = MediaView(
                media, media.src, quote_url(poster) if poster else "", host=VIDEO_HOSTS.get(host, host)
            )
            linked.pictures = pictures
            if poster and media.poster_path is not None:
                pictures.add(media.poster_path, linked.poster_url, (view.path, media.line, "poster"))
            view.media.append(linked)
            continue
        url = resolver.file_url(media.path, folder, view.url, view.path, media.line, "media")
        if url:
            published = MediaView(media, quote_url(url), quote_url(poster) if poster else "")
            published.pictures = pictures
            if media.kind == "image":
                pictures.add(media.path, published.url, (view.path, media.line, f"media '{media.path.name}'"))
            if poster and media.poster_path is not None:
                pictures.add(media.poster_path, published.poster_url, (view.path, media.line, "poster"))
            _captions_and_transcript(published, folder, view, resolver)
            view.media.append(published)
    image = next((m for m in view.media if m.kind == "image"), None)
    with_poster = next((m for m in view.media if m.poster_url), None)
    view.thumbnail = image.url if image else (with_poster.poster_url if with_poster else "")
    shown = image or with_poster
    if shown is not None:
        view.thumb_fit, view.thumb_focus = shown.fit, shown.focus


def _body_pictures(view: ItemView, pictures: Pictures) -> dict:
    """The published pictures of an item's Markdown body that may get smaller copies."""
    view.pictures = pictures
    found = {}
    for ref in view.body.references:
        url = view.link_map.get(ref.target)
        if ref.kind == "image" and ref.path is not None and url:
            pictures.add(ref.path, url, (view.path, ref.line, f"image '{ref.path.name}'"))
            found[ref.target] = url
    return found


def _captions_and_transcript(published: MediaView, folder: Path, view: ItemView, resolver: Resolver) -> None:
    """The captions files a media item publishes, and its transcript unless its file belongs
    to an item that is not published."""
    media = published.wrapped
    for lang, path in media.captions:
        url = resolver.file_url(path, folder, view.url, view.path, media.line, "captions")
        if url:
            published.captions.append((lang, quote_url(url)))
    why = resolver.unpublished(media.transcript_path) if media.transcript_path else ""
    if why:
        rel = media.transcript_path.resolve().relative_to(resolver.root).as_posix()
        resolver.problems.warning(view.path, media.line, f"transcript '{rel}' {why}: it is left out")
    else:
        published.transcript = media.transcript


def media_without_text(site, problems) -> None:
    """Warn about each published video or audio file that has neither captions nor a
    transcript: a deaf visitor, or one who cannot turn the sound on, gets nothing from it."""
    for view in site.items:
        for media in view.media:
            if media.kind in ("video", "audio") and not media.captions and not media.transcript:
                problems.warning(
                    view.path,
                    media.line,
                    f"{media.kind} '{media.src}' has no captions and no transcript: add "
                    "'captions: file.vtt' or 'transcript: file.md' to this media item",
                )


def _neighbours(entries: list[ItemView]) -> None:
    """Previous (older) and next (newer) links between listed journal entries."""
    for newer, older in zip(entries, entries[1:]):
        newer.previous = older
        older.next = newer


def _tags(listed: list[ItemView], problems: Problems) -> list[TagView]:
    """The tags of the listed items (never those of the others: a private tag has no page, and
    cannot move a public one's address). Names that differ only in case or accents share a
    tag; names whose addresses would be the same while they say different things ("C++" and
    "C#" both give "c") get their own address, and a warning says so."""
    slugs = _tag_slugs([name for view in listed for name in view.wrapped.tags], listed, problems)
    tags: dict[str, TagView] = {}
    for view in listed:
        for name in view.wrapped.tags:
            slug = slugs[name]
            tag = tags.setdefault(slug, TagView(name, slug, urls.tag(slug)))
            if name not in tag.names:
                tag.names.append(name)
            if view not in tag.items:
                tag.items.append(view)
    return sorted(tags.values(), key=lambda t: t.name.lower())


def _tag_slugs(names: list[str], listed: list[ItemView], problems: Problems) -> dict[str, str]:
    """The address of each tag name: its slug, or when that slug would also be another tag's,
    its slug with symbols spelled out ("c-plus-plus", "c-sharp"), else with a number."""
    groups: dict[str, dict[str, list[str]]] = {}  # slug -> spelled slug -> names
    for name in dict.fromkeys(names):
        groups.setdefault(make_slug(name), {}).setdefault(spelled_slug(name), []).append(name)
    slugs: dict[str, str] = {}
    taken: set[str] = set(groups)
    for slug, spellings in sorted(groups.items()):
        if len(spellings) == 1:
            slugs.update(dict.fromkeys(next(iter(spellings.values())), slug))
            continue
        for spelled, same in sorted(spellings.items()):
            address, number = spelled, 2
            while address != slug and address in taken:
                address, number = f"{spelled}-{number}", number + 1
            taken.add(address)
            slugs.update(dict.fromkeys(same, address))
        _warn_tag_collision(
            slug, {name: slugs[name] for s in spellings.values() for name in s}, listed, problems
        )
    return slugs


def spelled_slug(name: str) -> str:
    """A tag's slug with the symbols that tell names apart spelled out: "C++" → "c-plus-plus"."""
    return make_slug(
        name.replace("+", " plus ").replace("#", " sharp ").replace("@", " at ").replace("&", " and ")
    ) or make_slug(name)


def _warn_tag_collision(
    slug: str, addresses: dict[str, str], listed: list[ItemView], problems: Problems
) -> None:
    """One warning, at the first tag that had to move."""
    moved = [name for name, address in addresses.items() if address != slug]
    view = next(v for v in listed if any(name in moved for name in v.wrapped.tags))
    name = next(name for name in view.wrapped.tags if name in moved)
    names = ", ".join(f"'{shown(n)}' → {urls.tag(a)}" for n, a in sorted(addresses.items()))
    problems.warning(
        view.path,
        view.wrapped.tag_lines.get(name, 1),
        f"the tags {names} would all have the address {urls.tag(slug)}; each keeps its own page",
    )


def _pages(site: Site) -> list[Page]:
    title = site.config.title
    pages = [
        Page(urls.HOME, "home.html", title, kind="home"),
        Page(urls.ARTEFACTS, "artefacts_index.html", N_("Artefacts"), kind="artefacts-index"),
        Page(urls.SKILLS, "skills_index.html", N_("Skills"), kind="skills-index"),
        Page(urls.TAGS, "tags_index.html", N_("Tags"), kind="tags-index"),
        Page(urls.SEARCH, "search.html", N_("Search"), listed=False, kind="search"),
        Page(
            urls.NOT_FOUND,
            "404.html",
            N_("Page not found"),
            listed=False,
            noindex=True,
            kind="404",
            absolute_links=True,
        ),
    ]
    pages[1:1] = _journal_pages(site)
    for view in site.items:
        template = "journal_entry.html" if view.section == "journal" else "artefact.html"
        pages.append(
            Page(
                view.url,
                template,
                view.title,
                {"item": view},
                listed=view.listed,
                noindex=not view.listed,
                kind=view.section[:-1] if view.section == "artefacts" else "entry",
                body_of=view,
            )
        )
    for skill in site.skills:
        pages += _skill_pages(skill)
    for tag in site.tags:
        paged = pagination.paged_by_year(tag.items, tag.url)
        for pager, years in paged.pages:
            pages.append(
                Page(
                    pager.url,
                    "tag.html",
                    tag.name,
                    {"tag": tag, "years": years, "pager": pager},
                    kind="tag",
                    part=pager.number,
                )
            )
    for collection in site.collections:
        pages.append(
            Page(
                collection.url,
                "collection.html",
                collection.title,
                {"collection": collection},
                listed=collection.listed,
                noindex=not collection.listed,
                kind="collection",
            )
        )
    return pages


def journal_kinds(entries: list[ItemView]) -> list[KindLink]:
    """The kinds the listed journal ``entries`` have, each with its count and page."""
    counts = {kind: 0 for kind in JOURNAL_KINDS}
    for entry in entries:
        counts[entry.kind] = counts.get(entry.kind, 0) + 1
    return [KindLink(kind, count, urls.journal_kind(kind)) for kind, count in counts.items() if count]


def _journal_pages(site: Site) -> list[Page]:
    """The journal, and the journal of each kind, in pages grouped by year and month."""
    kinds = journal_kinds(site.journal)
    pages = []
    lists = [("", urls.JOURNAL, site.journal)]
    lists += [(k.kind, k.url, [e for e in site.journal if e.kind == k.kind]) for k in kinds]
    for kind, first, entries in lists:
        paged = pagination.paged_by_year(entries, first)
        for pager, years in paged.pages:
            context = {
                "years": years,
                "pager": pager,
                "year_links": paged.years,
                "kinds": kinds,
                "kind": kind,
            }
            pages.append(
                Page(
                    pager.url,
                    "journal_index.html",
                    N_("Journal"),
                    context,
                    kind="journal-index",
                    part=pager.number,
                )
            )
    return pages


def _skill_pages(skill: SkillView) -> list[Page]:
    """A skill's page, and more pages when it has more evidence than one page holds: its
    artefacts then its journal entries, each by year."""
    evidence: list[Evidence] = [*skill.artefacts, *skill.journal]
    cut = pagination.paginate(evidence, skill.url)
    sections = []
    for section in (skill.artefacts, skill.journal):
        ids = set(map(id, section))
        parts = [(pager, [e for e in chunk if id(e) in ids]) for pager, chunk in cut]
        totals, first_of = pagination.year_facts(parts, _evidence_day)
        sections.append(
            [
                pagination.by_year(part, totals, first_of, pager.url, _evidence_day, len(parts))
                for pager, part in parts
            ]
        )
    pages = []
    for n, (pager, _chunk) in enumerate(cut):
        artefact_years, journal_years = sections[0][n], sections[1][n]
        context = {
            "skill": skill,
            "pager": pager,
            "artefact_years": artefact_years,
            "journal_years": journal_years,
        }
        pages.append(Page(pager.url, "skill.html", skill.name, context, kind="skill", part=pager.number))
    return pages


def _evidence_day(evidence: Evidence):
    return evidence.item.wrapped.day


def _check_collisions(site: Site, problems: Problems) -> None:
    taken: dict[str, Page | None] = {urls.output_file(p.url): p for p in site.pages}
    taken.update({name: None for name in (urls.FEED, urls.SITEMAP, "robots.txt", ".nojekyll")})
    taken.update({url: None for url, _data, _origin in site.files})
    for asset in site.assets:
        if asset.url.startswith(urls.SEARCH_INDEX):
            problems.error(
                asset.source,
                1,
                f"'{urls.SEARCH_INDEX}' is where the search index goes; rename or move this file",
            )
        elif asset.url in taken and asset.source.parent.name != "":
            problems.error(
                asset.source, 1, f"this file would replace the generated '{asset.url}'; rename or move it"
            )
