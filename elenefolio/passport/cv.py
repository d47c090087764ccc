"""The CV: one or two pages from the portfolio, as HTML or as a tagged PDF.

It is made from the same site model as the website and the passport, for the same audience
(public data only unless the private copy is asked for), in the portfolio's language and set
in the theme's typefaces: the author, headline and links, a short profile, education and
courses, the strongest skills each with its strongest evidence, badges and selected work. With
a collection, the profile is its introduction, the skills are those it highlights and the work
is its items.

The print template is the theme's ``print/cv.html`` with ``print/cv.css``; the HTML file is
self-contained (style sheet, typefaces and pictures inside it), so that it can be sent as it is.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
import mimetypes
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from elenefolio.passport import PDF_VARIANT, allowed_folders, cache_folder
from elenefolio.passport.document import FONTS, PassportDocument, find_print_file
from elenefolio.passport.media import PHOTO_SIZE, ImageCache, QrCache
from elenefolio.problems import BuildFailed, Problem, Problems
from elenefolio.render.theme import Theme, find_theme

TEMPLATE = "cv.html"
STYLESHEET = "cv.css"
SKILLS = 6  # skills shown, each with its strongest evidence
EVIDENCE = 2  # pieces of evidence under each skill
WORK = 4  # selected artefacts
PROFILE_LENGTH = 420  # characters of the profile text
STATEMENT_LENGTH = 170
_CSS_URL = re.compile(r"""url\(\s*(["']?)([^"')]+)\1\s*\)""")


@dataclass
class CVResult:
    data: bytes
    pages: int  # 0 for HTML
    warnings: list[Problem] = field(default_factory=list)


def shorten(text: str, limit: int, sentences: bool = False) -> str:
    """``text`` cut before ``limit`` characters: at the end of a sentence when ``sentences``
    and one ends in the second half, else at a word boundary with an ellipsis."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    if sentences:
        ends = [m.end() for m in re.finditer(r"[.!?。！？](?=\s)", text[: limit + 1])]
        if ends and ends[-1] > limit // 2:
            return text[: ends[-1]]
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:.") + "…"


class CVDocument(PassportDocument):
    """The CV's HTML for one site (and, when given, one of its collections)."""

    def skills(self) -> list[dict[str, Any]]:
        """The skills to show, each with its strongest evidence (artefacts that say what they
        show first): a collection's highlighted skills, else those with the most evidence."""
        from elenefolio.site import strongest_first

        if self.collection is not None:
            chosen = [h.skill for h in self.collection.highlights]
        else:
            shown = [s for s in self.site.skills if s.count]
            chosen = sorted(shown, key=lambda s: (-s.count, -len(s.held_badges)))
        out = []
        for skill in chosen:
            artefacts, journal = self.evidence(skill)
            evidence = strongest_first(artefacts + journal)
            if not evidence:
                continue
            out.append(
                {
                    "skill": skill,
                    "count": len(evidence),
                    "evidence": [
                        {
                            "item": e.item,
                            "statement": shorten(e.statement, STATEMENT_LENGTH),
                            "url": self.absolute(e.item.url),
                        }
                        for e in evidence[:EVIDENCE]
                    ],
                }
            )
        return out[:SKILLS]

    def work(self) -> list[dict[str, Any]]:
        """The selected artefacts: a collection's (in its order), else the featured ones (the
        newest artefacts when none is featured)."""
        if self.collection is not None:
            chosen = [v for v in self.collection.items if v.section == "artefacts"]
        else:
            chosen = self.site.featured or self.site.artefacts
        return [
            {
                "item": view,
                "summary": shorten(view.summary_text, 230),
                "url": self.absolute(view.url),
            }
            for view in chosen[:WORK]
        ]

    def courses(self) -> list:
        from elenefolio.site.courses import completed_courses

        return sorted(
            completed_courses(self.site), key=lambda c: c.end or c.start or dt.date.min, reverse=True
        )

    def profile(self) -> str:
        if self.collection is not None and self.collection.wrapped.intro is not None:
            body = self.collection.wrapped.intro
        else:
            body = self.site.portfolio.about
        return shorten(body.plain, PROFILE_LENGTH, sentences=True) if body is not None else ""

    def context(self) -> dict[str, Any]:
        config, author = self.config, self.config.author
        photo = self.picture(author.photo, PHOTO_SIZE) if author.photo and self.site.photo_url else ""
        if self.collection is not None and self.collection.listed:
            online = self.absolute(self.collection.url)
        else:
            online = config.base_url
        from elenefolio.site.views import HELD_BADGES

        return {
            "site": self.site,
            "config": config,
            "author": author,
            "framework": self.site.portfolio.framework,
            "photo": photo,
            "profile": self.profile(),
            "courses": self.courses(),
            "skills": self.skills(),
            "work": self.work(),
            "badges": [b for b in self.site.badges if b.status in HELD_BADGES],
            "collection": self.collection,
            "online": online,
            "online_qr": self.qr.get(online),
            "issued": self.issued,
            "private_copy": self.site.audience.private,
            "paper": self.paper,
        }

    def html(self) -> str:
        return self.env.get_template(TEMPLATE).render(self.context())

    def own_stylesheet(self) -> tuple[str, Path]:
        """``print/cv.css`` with the paper size, and its folder."""
        path = find_print_file(self.dirs, STYLESHEET)
        if path is None:
            raise jinja2.TemplateNotFound(STYLESHEET)
        self.origins.add_file(path)
        return path.read_text(encoding="utf-8") + f"\n@page {{ size: {self.paper}; }}\n", path.parent

    def stylesheet(self) -> tuple[str, Path]:
        css, folder = self.own_stylesheet()
        # the font faces after the theme's rules: an @import is only read at the very start
        return css + self.font_faces(), folder

    # -- a self-contained HTML file ------------------------------------------------------
    def embedded_fonts(self) -> str:
        """The theme's ``@font-face`` rules with each font file inside them (a ``data:``
        address); a font outside the theme's own folder is left out."""
        path = self.theme.assets().get(FONTS)
        if path is None:
            return ""
        layers = [folder.resolve() for folder in self.theme.layers]

        def embed(match: re.Match) -> str:
            address = match.group(2).strip()
            font = (path.parent / address).resolve()
            if ":" in address or not any(font.is_relative_to(layer) for layer in layers):
                return 'url("")'
            kind = mimetypes.guess_type(font.name)[0] or f"font/{font.suffix.lstrip('.')}"
            return f'url("data:{kind};base64,{base64.b64encode(font.read_bytes()).decode("ascii")}")'

        return _CSS_URL.sub(embed, path.read_text(encoding="utf-8"))

    def standalone(self) -> str:
        """The CV as one HTML file: its style sheet, typefaces and photo inside it."""
        html = self.html()
        css = self.own_stylesheet()[0] + self.embedded_fonts()
        for name in sorted(self.images.used):
            picture = self.images.folder / name
            kind = mimetypes.guess_type(name)[0] or "image/png"
            data = base64.b64encode(picture.read_bytes()).decode("ascii")
            html = html.replace(f'src="{name}"', f'src="data:{kind};base64,{data}"')
        style = "<style>\n" + css.replace("</", "<\\/") + "\n</style>\n"
        return html.replace("</head>", style + "</head>", 1)


def make_cv(
    site,
    fmt: str = "pdf",
    theme: Theme | None = None,
    paper: str = "a4",
    collection=None,
    issued: dt.date | None = None,
) -> CVResult:
    """The CV of ``site`` (of ``collection`` alone when given) as HTML or PDF bytes."""
    config = site.config
    if theme is None:
        theme = find_theme(config.root, config.theme, Problems(config.root), config.theme_line)
    folder = cache_folder(config.root)
    images = ImageCache(folder / "images")
    qr = QrCache(folder / "qr" / f"{'private' if site.audience.private else 'public'}.json")
    document = CVDocument(site, theme, images, qr, paper, issued, collection=collection)
    from elenefolio.passport import _template_problem

    try:
        if fmt == "html":
            html = document.standalone()
            qr.save()
            return CVResult(html.encode("utf-8"), 0)
        html = document.html()
        css, css_dir = document.stylesheet()
    except jinja2.TemplateError as exc:
        raise BuildFailed([_template_problem(exc, config.root)]) from None
    qr.save()
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # missing system libraries (Pango...)
        reason = (str(exc).splitlines() or [type(exc).__name__])[0]
        problems = Problems(config.root)
        problems.error(
            config.root / "portfolio.yaml",
            1,
            f"cannot make the CV as PDF: WeasyPrint does not work here ({reason}); use --format html",
        )
        raise BuildFailed(problems.items) from None
    from weasyprint.text.fonts import FontConfiguration

    from elenefolio.passport.fetcher import PassportFetcher

    logging.getLogger("weasyprint").setLevel(logging.CRITICAL)
    root = config.root
    made = {(document.images.folder / name).resolve() for name in document.images.used}
    made |= {(document.fonts.folder / name).resolve() for name in document.fonts.used}
    fetcher = PassportFetcher(
        root, allowed_folders(root, document.theme), site.published_files() | made, set(), False
    )
    base = document.images.folder
    base.mkdir(parents=True, exist_ok=True)
    fonts = FontConfiguration()
    page = weasyprint.HTML(string=html, base_url=base.resolve().as_uri() + "/", url_fetcher=fetcher)
    stylesheet = weasyprint.CSS(
        string=css, base_url=str(css_dir) + os.sep, url_fetcher=fetcher, font_config=fonts
    )
    rendered = page.render(stylesheets=[stylesheet], pdf_variant=PDF_VARIANT, font_config=fonts)
    data = rendered.write_pdf(pdf_variant=PDF_VARIANT, uncompressed_pdf=False)
    warnings = document.origins.warnings(
        fetcher.refused, base.resolve().as_uri() + "/", root / "portfolio.yaml"
    )
    return CVResult(data, len(rendered.pages), warnings)
