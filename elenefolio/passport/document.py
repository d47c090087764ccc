"""The passport as one HTML document, from the site and its bodies.

Nothing here parses Markdown again: the bodies the load stage prepared have
their links filled in for print (absolute addresses for pages, resized local
copies for images).
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from elenefolio import __version__
from elenefolio.load import markup
from elenefolio.load.artefacts import media_kind
from elenefolio.model import Body
from elenefolio.passport.media import FULL_WIDTH, PHOTO_SIZE, FontCache, ImageCache, QrCache
from elenefolio.passport.origins import Origins
from elenefolio.render.templates import make_environment
from elenefolio.render.theme import Theme
from elenefolio.site import urls
from elenefolio.util import clock, i18n
from elenefolio.util.i18n import N_
from elenefolio.util.images import published_name


def css_string(text: str) -> str:
    """``text`` as a CSS string literal: quotes, backslashes and control characters escaped
    (a catalog is the portfolio's own text and must not end the rule)."""
    return '"' + "".join(c if c.isprintable() and c not in '"\\' else f"\\{ord(c):x} " for c in text) + '"'


PAPERS = {"a4": "A4", "letter": "letter"}
STYLESHEET = "passport.css"
FONTS = "css/fonts.css"  # the theme's @font-face rules, shared by the site and the passport
_CSS_URL = re.compile(r"""url\(\s*(["']?)([^"')]+)\1\s*\)(\s*format\([^)]*\))?""")
MAIN_TEMPLATE = "passport.html"


@dataclass
class Section:
    """One part of the passport: its anchor, title, template and data."""

    id: str
    title: str
    template: str
    data: Any = None
    in_contents: bool = True


@dataclass
class PrintMedia:
    kind: str
    caption: str = ""
    alt: str = ""
    image: str = ""  # cached picture (image, or poster of a video)
    url: str = ""  # where to see or hear it online
    qr: str = ""
    name: str = ""  # file name, for documents
    transcript: str = ""  # of a video or audio recording


@dataclass
class PrintItem:
    """A featured artefact or a journal highlight, ready for print."""

    view: Any
    url: str  # absolute address of its page
    body: Markup
    qr: str = ""
    media: list[PrintMedia] = field(default_factory=list)

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.__dict__["view"], name)


def print_dirs(theme: Theme) -> list[Path]:
    """Where print templates and the print style sheet come from, most specific first."""
    dirs = [theme.overrides / "print"] if theme.overrides else []
    dirs += [layer / "print" for layer in theme.layers]
    return [d for d in dirs if d.is_dir()]


def find_print_file(dirs: list[Path], name: str) -> Path | None:
    return next((d / name for d in dirs if (d / name).is_file()), None)


class PassportDocument:
    """Builds the passport's HTML for one site."""

    def __init__(
        self,
        site,
        theme: Theme,
        images: ImageCache,
        qr: QrCache,
        paper: str = "a4",
        issued: dt.date | None = None,
        allow_remote: bool = False,
        collection=None,
    ):
        self.site = site
        self.collection = collection  # site.views.CollectionView: a passport of it alone
        self.qr = qr
        self.config = site.config
        self.theme = theme
        self.images = images
        self.fonts = FontCache(images.folder.parent / "fonts")
        self.font_files: list[Path] = []  # the theme's fonts, as the passport names them
        self.sources: list[Path] = [self.config.root / "portfolio.yaml"]  # the files it prints
        self.paper = PAPERS[paper]
        self.issued = issued or clock.today()
        self.allow_remote = allow_remote
        self.remote: set[str] = set()  # the network addresses the passport may fetch
        self.origins = Origins(self.config.root)  # where each address comes from
        self.dirs = print_dirs(theme)
        for folder in self.dirs:  # print templates of the portfolio may name addresses too
            if folder.is_relative_to(self.config.root):
                for path in sorted(folder.rglob("*.html")):
                    self.origins.add_file(path)
        translations = i18n.translations(self.config.language, self.config.root)
        self.gettext = translations.gettext
        self.env = make_environment([str(d) for d in self.dirs], translations, self.config.language)
        self.env.filters["qr"] = qr.get
        self.env.filters["badge_image"] = self.badge_image
        self.env.filters["absolute"] = lambda url: urls.absolute(self.config.base_url, url)

    # -- bodies -------------------------------------------------------------

    def absolute(self, url: str) -> str:
        return urls.absolute(self.config.base_url, url)

    def picture(self, path: Path, box: int = FULL_WIDTH) -> str:
        """The cached copy of a picture; an SVG file is remembered as it may name addresses."""
        if path.suffix.lower() == ".svg":
            self.origins.add_file(path)
        return self.images.get(path, box)

    def body(self, body: Body | None, link_map: dict[str, str], source: Path, scope: str) -> Markup:
        """A Markdown body for print: links absolute, images resized for print.
        ``source`` is its file, named in warnings about the addresses it holds; ``scope`` makes
        its ids (footnotes, headings) its own among the passport's bodies."""
        self.sources.append(source)
        if body is None:
            return Markup("")
        printed: dict[str, str] = {}
        for ref in body.references:
            mapped = link_map.get(ref.target)
            if mapped is None:
                continue
            if ref.kind == "image" and ref.path is not None and mapped:
                printed[ref.target] = self.picture(ref.path) or self.absolute(mapped)
            else:
                printed[ref.target] = self.absolute(mapped) if mapped else ""
        for target, mapped in link_map.items():
            printed.setdefault(target, self.absolute(mapped) if mapped else "")
        html = markup.render(body, self.config.allow_html, printed, scope)
        lines = {printed.get(ref.target) or ref.target: ref.line for ref in reversed(body.references)}
        self.origins.add_body(source, body.line, html, lines)
        return Markup(markup.math_as_svg(html))

    def item(self, view) -> PrintItem:
        url = self.absolute(view.url)
        self.sources.append(self.config.root / view.source.path)
        body = self.body(
            view.body, view.link_map, self.config.root / view.source.path, f"{view.section}-{view.slug}"
        )
        printed = PrintItem(view, url, body, self.qr.get(url))
        for media in view.media:
            printed.media.append(self._media(media, url))
        return printed

    def _media(self, media, page_url: str) -> PrintMedia:
        name = published_name(media.src.rsplit("/", 1)[-1])  # a HEIC photo: its JPEG file
        out = PrintMedia(media.kind, caption=media.caption, alt=media.alt, name=name)
        if media.kind == "link":
            out.url, out.qr = media.url, self.qr.get(media.url)
            if media.poster_path is not None:
                out.image = self.picture(media.poster_path)
            elif self.allow_remote and media_kind(media.url) == "image":
                # the learner's own picture on another site, fetched on request only
                out.kind, out.image = "image", media.url
                self.remote.add(media.url)
            return out
        out.url = self.absolute(media.url)
        if media.kind == "image" and media.path is not None:
            out.image = self.picture(media.path)
        elif media.kind in ("video", "audio"):
            out.transcript = media.transcript  # as published (empty when its file is not)
            out.url, out.qr = page_url, self.qr.get(page_url)
            if media.kind == "video" and media.poster_path is not None:
                out.image = self.picture(media.poster_path)
        return out

    def badge_image(self, badge) -> str:
        """A badge's picture as the site publishes it (baked data removed, SVG sanitised), as a
        ``data:`` address; the theme's drawn badge for one without a picture; '' when neither."""
        from elenefolio.render.published import Unpublishable, published_bytes

        if badge.default_image:
            default = self.theme.assets().get(badge.image_url.rsplit("/", 1)[-1])
            return default.resolve().as_uri() if default is not None else ""
        suffix = badge.wrapped.image_suffix
        try:
            data = published_bytes(f"badge{suffix}", badge.wrapped.image)
        except Unpublishable:
            return ""
        kind = "svg+xml" if suffix == ".svg" else suffix.lstrip(".").replace("jpg", "jpeg")
        return f"data:image/{kind};base64,{base64.b64encode(data).decode('ascii')}"

    # -- sections -----------------------------------------------------------

    def featured(self) -> list:
        """The featured artefacts, or every listed artefact when none is featured (of a
        collection: its items, in its order)."""
        if self.collection is not None:
            return self.collection.items
        return self.site.featured or self.site.artefacts

    def evidence(self, skill) -> tuple[list, list]:
        """The evidence of ``skill`` this passport shows: (artefacts, journal entries); of a
        collection, what its own items claim (an unlisted collection's unlisted items too)."""
        if self.collection is None:
            return skill.artefacts, skill.journal
        from elenefolio.site.views import Evidence

        found = [
            Evidence(view, claim.evidence, claim.status)
            for view in self.collection.items
            for claim in view.skills
            if claim.skill is skill
        ]
        return (
            [e for e in found if e.item.section == "artefacts"],
            [e for e in found if e.item.section == "journal"],
        )

    def count(self, skill) -> int:
        artefacts, journal = self.evidence(skill)
        return len(artefacts) + len(journal)

    def collection_sections(self) -> list[Section]:
        """A collection's passport: its introduction, the evidence map of its items, the
        items themselves and the evidence by skill."""
        collection = self.collection
        sections = [
            Section("cover", N_("Cover"), "sections/cover.html", in_contents=False),
            Section("contents", N_("Contents"), "sections/contents.html"),
        ]
        intro = collection.wrapped.intro
        if intro is not None or self.config.author.headline:
            body = self.body(intro, collection.link_map, collection.wrapped.path, "collection")
            sections.append(Section("profile", N_("Introduction"), "sections/profile.html", body))
        sections.append(
            Section("evidence-map", N_("Evidence map"), "sections/evidence_map.html", self.evidence_map())
        )
        featured = [self.item(v) for v in self.featured()]
        if featured:
            sections.append(Section("featured", N_("Featured work"), "sections/featured.html", featured))
        appendix = self.appendix()
        if appendix:
            sections.append(
                Section("appendix", N_("Appendix: all evidence by skill"), "sections/appendix.html", appendix)
            )
        return sections

    def sections(self) -> list[Section]:
        if self.collection is not None:
            return self.collection_sections()
        site = self.site
        sa = site.self_assessment
        assessment = sa if sa is not None and sa.has_rounds else None
        agenda = sa.agenda if sa is not None else None
        sections = [
            Section("cover", N_("Cover"), "sections/cover.html", in_contents=False),
            Section("contents", N_("Contents"), "sections/contents.html"),
        ]
        if site.portfolio.about is not None or self.config.author.headline:
            sections.append(
                Section(
                    "profile",
                    N_("Profile"),
                    "sections/profile.html",
                    self.body(
                        site.portfolio.about, site.about_links, self.config.root / "about.md", "profile"
                    ),
                )
            )
        # Sections of features that may not be part of this build: present
        # when the site carries their data and the theme has their template.
        sections += self._optional("skills-profile", N_("Skills profile"), assessment)
        sections.append(
            Section("evidence-map", N_("Evidence map"), "sections/evidence_map.html", self.evidence_map())
        )
        featured = [self.item(v) for v in self.featured()]
        if featured:
            title = N_("Featured work") if site.featured else N_("Artefacts")
            sections.append(Section("featured", title, "sections/featured.html", featured))
        sections += self._optional("agenda", N_("Learning agenda"), agenda)
        sections += self._optional("badges", N_("Badges"), site.badges)
        highlights = [
            self.item(v)
            for v in sorted(site.journal, key=lambda v: v.sort_key)
            if getattr(v.wrapped, "passport", False)
        ]
        if highlights:
            sections.append(Section("journal", N_("Journal highlights"), "sections/journal.html", highlights))
        appendix = self.appendix()
        if appendix:
            sections.append(
                Section("appendix", N_("Appendix: all evidence by skill"), "sections/appendix.html", appendix)
            )
        return sections

    def _optional(self, section_id: str, title: str, data: Any) -> list[Section]:
        template = f"sections/{section_id.replace('-', '_')}.html"
        if not data or find_print_file(self.dirs, template) is None:
            return []
        return [Section(section_id, title, template, data)]

    def evidence_map(self) -> list[dict[str, Any]]:
        """Per area, each skill with its counts of public artefacts and journal entries."""
        most = max((self.count(s) for s in self.site.skills), default=0) or 1
        return [
            {
                "area": area,
                "skills": [
                    {
                        "skill": s,
                        "artefacts": len(self.evidence(s)[0]),
                        "journal": len(self.evidence(s)[1]),
                        "share": self.count(s) / most,
                    }
                    for s in area.skills
                ],
            }
            for area in self.site.areas
        ]

    def appendix(self) -> list[dict[str, Any]]:
        groups = []
        for area in self.site.areas:
            skills = []
            for skill in area.skills:
                artefacts, journal = self.evidence(skill)
                evidence = sorted(artefacts + journal, key=lambda e: e.item.sort_key)
                if evidence:
                    skills.append(
                        {
                            "skill": skill,
                            "evidence": [
                                {"item": e.item, "statement": e.statement, "url": self.absolute(e.item.url)}
                                for e in evidence
                            ],
                        }
                    )
            if skills:
                groups.append({"area": area, "skills": skills})
        return groups

    # -- the document -------------------------------------------------------

    def keywords(self) -> list[str]:
        used = [s.name for s in self.site.skills if self.count(s)]
        return used or [s.name for s in self.site.skills]

    def key_skills(self, most: int = 6) -> list:
        """The skills with the most public evidence, for the cover (framework order on ties);
        of a collection, those it highlights that its items show, then the others they show."""
        if self.collection is not None:
            chosen = [h.skill for h in self.collection.highlights if h.evidence]
            others = [s for s in self.site.skills if self.count(s) and s not in chosen]
            return [
                {"name": s.name, "area": s.area, "count": self.count(s)}
                for s in (chosen + sorted(others, key=lambda s: -self.count(s)))[:most]
            ]
        shown = [s for s in self.site.skills if s.count]
        return sorted(shown, key=lambda s: -s.count)[:most]

    def context(self) -> dict[str, Any]:
        config, author = self.config, self.config.author
        photo = self.picture(author.photo, PHOTO_SIZE) if author.photo and self.site.photo_url else ""
        sections = self.sections()
        return {
            "site": self.site,
            "config": config,
            "author": author,
            "framework": self.site.portfolio.framework,
            "sections": sections,
            "contents": [s for s in sections if s.in_contents and s.id != "contents"],
            "issued": self.issued,
            "portfolio_url": config.base_url,
            "portfolio_qr": self.qr.get(config.base_url),
            "photo": photo,
            "keywords": self.keywords(),
            "key_skills": self.key_skills(),
            "private_copy": self.site.audience.private,
            "paper": self.paper,
            "generator": f"elenefolio {__version__}",
            "counts": {
                "artefacts": len([v for v in self.featured() if v.section == "artefacts"])
                if self.collection is not None
                else len(self.site.artefacts),
                "journal": len([v for v in self.featured() if v.section == "journal"])
                if self.collection is not None
                else len(self.site.journal),
                "skills": sum(1 for s in self.site.skills if self.count(s)),
            },
            "collection": self.collection,
        }

    def html(self) -> str:
        template = self.env.get_template(MAIN_TEMPLATE)
        return template.render(self.context())

    def stylesheet(self) -> tuple[str, Path]:
        """The print style sheet's text and folder, plus the paper size."""
        path = find_print_file(self.dirs, STYLESHEET)
        if path is None:
            raise jinja2.TemplateNotFound(STYLESHEET)
        self.origins.add_file(path)
        css = path.read_text(encoding="utf-8")
        # the font faces after the theme's rules: an @import is only read at the very start
        return (
            css + "\n" + self.font_faces() + f"@page {{ size: {self.paper}; }}\n" + self.page_numbers(),
            path.parent,
        )

    def font_faces(self) -> str:
        """The theme's ``@font-face`` rules (``static/css/fonts.css``), their relative addresses
        made absolute (WOFF2 files unpacked once, see ``FontCache``): the passport is set in
        the typefaces the theme ships, never in whatever fonts the machine has."""
        path = self.theme.assets().get(FONTS)
        if path is None:
            return ""
        self.origins.add_file(path)
        layer = next(
            (
                folder.resolve()
                for folder in self.theme.layers
                if path.resolve().is_relative_to(folder.resolve())
            ),
            None,
        )

        def absolute(match: re.Match) -> str:
            address = match.group(2).strip()
            if ":" in address or address.startswith("/"):
                return match.group(0)  # left to the fetcher, which refuses what is not allowed
            font = (path.parent / address).resolve()
            if layer is None or not font.is_relative_to(layer):
                # never read here: the fetcher refuses it, and the passport says so
                return f'url("{font.as_uri()}"){match.group(3) or ""}'
            copy = self.fonts.get(font)
            self.font_files.append(copy)
            kind = match.group(3) or "" if copy == font else ' format("truetype")'
            return f'url("{copy.as_uri()}"){kind}'

        return _CSS_URL.sub(absolute, path.read_text(encoding="utf-8")) + "\n"

    def page_numbers(self) -> str:
        """The footer's "Page 3 of 12" in the passport's language (CSS counters cannot be
        translated in the style sheet itself)."""
        words = self.gettext("Page %(page)s of %(pages)s") % {"page": "\0", "pages": "\1"}
        parts = re.split(r"(\x00|\x01)", words)
        counters = {"\0": "counter(page)", "\1": "counter(pages)"}
        content = " ".join(counters.get(p) or css_string(p) for p in parts if p)
        return f"@page {{ @bottom-right {{ content: {content}; }} }}\n"
