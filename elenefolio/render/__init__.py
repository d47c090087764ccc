"""Render stage: site pages → bytes, through the theme's Jinja2 templates.

It yields outputs one by one (a page's bytes, or a file to copy), so the
write stage can stream them to disk.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import jinja2

from elenefolio import __version__, i18n, markup
from elenefolio.problems import Problems
from elenefolio.render import feeds, structured_data
from elenefolio.render.templates import make_environment
from elenefolio.render.theme import Theme, find_theme
from elenefolio.site import Site, urls
from elenefolio.site.views import Page


@dataclass
class Output:
    """One file of the site: ``data`` to write, or ``source`` to copy."""

    path: str  # relative to the output folder, posix
    data: bytes | None = None
    source: Path | None = None
    searchable: bool = False  # a page for the search index


class Renderer:
    """Renders the pages of one site with one theme."""

    def __init__(self, site: Site, problems: Problems, theme: Theme | None = None):
        self.site = site
        self.problems = problems
        config = site.config
        self.theme = theme or find_theme(config.root, config.theme, problems)
        self.translations = i18n.translations(config.language, config.root, problems)
        self.env = make_environment(self.theme, self.translations, config.language)
        if getattr(site, "self_assessment", None) is not None:
            site.self_assessment.gettext = self.translations.gettext  # charts' accessible text
        self.bodies: dict[str, str] = {}  # item address -> HTML with page-relative links
        self.globals = {
            "site": site,
            "config": config,
            "author": config.author,
            "framework": site.portfolio.framework,
            "base_path": urls.base_path(config.base_url),
            "private_copy": site.audience.private,
            "generator": f"elenefolio {__version__}",
            "build_date": dt.date.today(),
            "structured_data": lambda page: structured_data.for_page(site, page),
        }

    def body_html(self, page_url: str, tokens, link_map: dict[str, str]) -> str:
        relative = {k: (urls.relative(page_url, v) if v else "") for k, v in link_map.items()}
        return markup.render(tokens, self.site.config.allow_html, relative)

    def render_page(self, page: Page) -> bytes | None:
        if isinstance(page.title, i18n.Message):  # an interface string such as "Journal"
            page = dataclasses.replace(page, title=self.translations.gettext(page.title))
        context = dict(self.globals, page=page, **page.context)
        if page.body_of is not None:
            html = self.body_html(page.url, page.body_of.body.tokens, page.body_of.link_map)
            self.bodies[page.url] = html
            context["content"] = markup_safe(html)
        if page.kind == "home" and self.site.portfolio.about is not None:
            context["about"] = markup_safe(self.body_html(
                page.url, self.site.portfolio.about.tokens, self.site.about_links))
        try:
            template = self.env.get_template(page.template)
            return template.render(context).encode("utf-8")
        except jinja2.TemplateSyntaxError as exc:
            self.problems.error(exc.filename or page.template, exc.lineno,
                                f"template error: {exc.message}")
        except jinja2.TemplateNotFound as exc:
            self.problems.error(page.template, 1, f"template not found: {exc.name}")
        except jinja2.UndefinedError as exc:
            filename, line = _template_position(exc)
            self.problems.error(filename or page.template, line, f"template error: {exc.message}")
        return None

    def outputs(self) -> Iterator[Output]:
        """Every file of the site."""
        for page in self.site.pages:
            data = self.render_page(page)
            if data is not None:
                yield Output(urls.output_file(page.url), data, searchable=page.searchable)
        yield Output(urls.FEED, feeds.atom_feed(self.site, self._feed_bodies()))
        if not self.site.audience.private:
            yield Output(urls.SITEMAP, feeds.sitemap(self.site))
        yield Output("robots.txt", feeds.robots(self.site))
        yield Output(".nojekyll", b"")
        for rel, path in self.theme.assets().items():
            yield Output(urls.THEME_ASSETS + rel, source=path)
        for asset in self.site.assets:
            yield Output(_unquote(asset.url), source=asset.source)
        for url, data in self.site.files:
            yield Output(_unquote(url), data)

    def _feed_bodies(self) -> dict[str, str]:
        """Bodies relative to each entry's own address, as the feed's xml:base says."""
        return {v.url: self.bodies.get(v.url) or self.body_html(v.url, v.body.tokens, v.link_map)
                for v in self.site.journal + self.site.artefacts}


def markup_safe(html: str):
    from markupsafe import Markup

    return Markup(html)


def _unquote(url: str) -> str:
    from urllib.parse import unquote

    return unquote(url)


def _template_position(exc: Exception) -> tuple[str | None, int]:
    """The template file and line where a Jinja2 runtime error happened."""
    tb = exc.__traceback__
    found: tuple[str | None, int] = (None, 1)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt")):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def render_site(site: Site, problems: Problems) -> Iterator[Output]:
    return Renderer(site, problems).outputs()
