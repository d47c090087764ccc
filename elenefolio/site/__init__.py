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
from elenefolio.model import Artefact, JournalEntry, Portfolio
from elenefolio.problems import Problems, shown
from elenefolio.site import urls
from elenefolio.site.audience import Audience
from elenefolio.site.badges import attach_badges
from elenefolio.site.links import Resolver, owners, quote_url
from elenefolio.site.pictures import Pictures
from elenefolio.site.views import (
    AreaView,
    Asset,
    Evidence,
    ItemView,
    MediaView,
    Page,
    SkillClaimView,
    SkillView,
    TagView,
)
from elenefolio.util.i18n import N_

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
    if portfolio.about is not None:
        site.about_links = resolver.body_links(portfolio.about, root / "about.md", urls.HOME)
    if config.author.photo is not None:
        site.photo_url = (
            resolver.file_url(config.author.photo, root, "profile/", root / "portfolio.yaml", 1, "photo")
            or ""
        )
    site.pages = _pages(site)
    site.assets = list(resolver.assets.values())
    site.assets += [Asset(f.path, quote_url(f.rel)) for f in portfolio.static]
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
        Page(
            urls.JOURNAL,
            "journal_index.html",
            N_("Journal"),
            kind="journal-index",
            context={"years": _by_year(site.journal)},
        ),
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
        pages.append(Page(skill.url, "skill.html", skill.name, {"skill": skill}, kind="skill"))
    for tag in site.tags:
        pages.append(Page(tag.url, "tag.html", tag.name, {"tag": tag}, kind="tag"))
    return pages


def _by_year(entries: list[ItemView]) -> list[tuple[int, list[ItemView]]]:
    years: dict[int, list[ItemView]] = {}
    for entry in entries:
        years.setdefault(entry.year, []).append(entry)
    return sorted(years.items(), reverse=True)


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
