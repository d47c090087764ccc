"""Render stage: site pages → bytes, through the theme's Jinja2 templates.

It yields outputs one by one (a page's bytes, or a file to copy), so the
write stage can stream them to disk.
"""

from __future__ import annotations

import dataclasses
import re
from itertools import chain
from pathlib import Path
from typing import Iterator

import jinja2

from elenefolio import __version__
from elenefolio.load import markup
from elenefolio.problems import Problems
from elenefolio.render import feeds, structured_data
from elenefolio.render.output import Output
from elenefolio.render.published import Publisher
from elenefolio.render.templates import make_environment
from elenefolio.render.theme import Theme, find_theme
from elenefolio.render.tracking import Deferred, undefer
from elenefolio.site import Site, urls
from elenefolio.site.views import Page
from elenefolio.util import clock, i18n, sharing


class Renderer:
    """Renders the pages of one site with one theme."""

    def __init__(
        self,
        site: Site,
        problems: Problems,
        theme: Theme | None = None,
        tracker=None,
        publisher: Publisher | None = None,
        hooks=None,
        offline: bool = False,
    ):
        self.site = site
        self.offline = offline  # links for a site opened from the file system (``build --offline``)
        self.problems = problems
        config = site.config
        self.theme = theme or find_theme(config.root, config.theme, problems, config.theme_line)
        self.translations = i18n.translations(config.language, config.root, problems)
        self.tracker = tracker  # render.incremental.PageTracker, for incremental builds
        # copied files, made safe to publish (SVG sanitised, photos without their location)
        self.publisher = publisher or Publisher(problems, config.keep_metadata)
        if tracker is not None:
            from elenefolio.render.tracking import TrackingEnvironment

            self.env = make_environment(
                self.theme.template_dirs, self.translations, config.language, TrackingEnvironment
            )
        else:
            self.env = make_environment(self.theme.template_dirs, self.translations, config.language)
        # the hooks' filters and globals (``on_env``) and page contexts (``on_page_context``)
        self.page_hook = None
        if hooks is not None:
            hooks.call("on_env", env=self.env)
            self.page_hook = hooks.page_context()
        self.page_outputs = self.serial_pages  # replaced for parallel rendering
        self.globals = {
            "site": site,
            "config": config,
            "author": config.author,
            "framework": site.portfolio.framework,
            "base_path": urls.base_path(config.base_url),
            "private_copy": site.audience.private,
            "offline": offline,
            "generator": f"elenefolio {__version__}",
            "build_date": clock.today(),
        }

    def body_html(self, page_url: str, body, link_map: dict[str, str], pictures: dict | None = None) -> str:
        offline = self.offline
        relative = {k: (urls.relative(page_url, v, offline) if v else "") for k, v in link_map.items()}
        extra = {
            target: _picture_attributes(page_url, picture) for target, picture in (pictures or {}).items()
        }
        return markup.render(body, self.site.config.allow_html, relative, pictures=extra)

    def page_context(self, page: Page) -> dict:
        """The template context of a page, before its Markdown body is added.

        Page titles that are interface strings are translated here. The page's
        structured data (JSON-LD, Open Graph) is a plain value of the context, so
        that incremental builds see it as part of what the page depends on; it is
        made only when the page is rendered or an incremental build checks it.
        """
        if isinstance(page.title, i18n.Message):  # an interface string such as "Journal"
            page = dataclasses.replace(page, title=self.translations.gettext(page.title))
        site = self.site
        context = dict(
            self.globals,
            page=page,
            structured=Deferred(lambda: structured_data.for_page(site, page)),
            **page.context,
        )
        return context if self.page_hook is None else self.page_hook(context, page)

    def scroll_boxes(self, html: str) -> str:
        """A body's tables, code blocks and display formulas as boxes that scroll sideways
        when they are wider than the screen, reachable by keyboard (``tabindex="0"``) and
        named for screen readers (a region: "Table", "Code", "Formula")."""
        if "<table" not in html and "<pre" not in html and _MATH_BLOCK not in html:
            return html
        gettext = self.translations.gettext
        names = {"table": gettext("Table"), "pre": gettext("Code"), "math": gettext("Formula")}
        box = ' tabindex="0" role="region" aria-label="{}"'.format

        def opening(match) -> str:
            tag = match.group(1) or "math"
            name = markup.escape(names[tag])
            if tag == "table":
                return f'<div class="scroll-x scroll-box"{box(name)}><table'
            if tag == "pre":
                return f"<pre{box(name)}"
            return f'<div class="math block scroll-box"{box(name)}'

        html = _SCROLL_OPENING.sub(opening, html)
        return html.replace("</table>", "</table></div>")

    def item_body(self, view, page_url: str) -> str:
        """An item's body as HTML, linked relatively to ``page_url`` (its prepared HTML with
        the link slots filled: a string substitution, cheap enough to do for every page)."""
        return self.body_html(page_url, view.body, view.link_map, view.body_picture_map())

    def render_page(self, page: Page, base: dict | None = None) -> bytes | None:
        base = base if base is not None else self.page_context(page)
        for name in base:
            undefer(base, name)
        context = dict(base)
        if page.body_of is not None:
            context["content"] = markup_safe(self.scroll_boxes(self.item_body(page.body_of, page.url)))
        collection = context.get("collection") if page.kind == "collection" else None
        if collection is not None and collection.wrapped.intro is not None:
            context["intro"] = markup_safe(
                self.scroll_boxes(self.body_html(page.url, collection.wrapped.intro, collection.link_map))
            )
        owner = page.body_of if page.body_of is not None else collection
        if owner is not None and owner.feedback:  # the Markdown bodies of its feedback, in order
            context["feedback_bodies"] = [
                markup_safe(self.scroll_boxes(self.body_html(page.url, f.body, f.link_map)))
                if f.body is not None
                else ""
                for f in owner.feedback
            ]
        if page.kind == "home" and self.site.portfolio.about is not None:
            about = self.site.portfolio.about
            context["about"] = markup_safe(
                self.scroll_boxes(self.body_html(page.url, about, self.site.about_links))
            )
        try:
            template = self.env.get_template(page.template)
            if self.tracker is not None:
                html = self.tracker.render(self, page, template, context, base)
            else:
                html = template.render(context)
            if self._sealed(page):
                return self._shared_page(page, html)
            return html.encode("utf-8")
        except jinja2.TemplateSyntaxError as exc:
            self.problems.error(exc.filename or page.template, exc.lineno, f"template error: {exc.message}")
        except jinja2.TemplateNotFound as exc:
            self.problems.error(page.template, 1, f"template not found: {exc.name}")
        except jinja2.UndefinedError as exc:
            filename, line = _template_position(exc)
            self.problems.error(filename or page.template, line, f"template error: {exc.message}")
        return None

    def _sealed(self, page: Page) -> bool:
        return (owner := _owner(page)) is not None and self.site.audience.sealed(owner)

    def _shared_page(self, page: Page, html: str) -> bytes | None:
        """The page of a shared item: its title and content encrypted for its audiences, in a
        page that asks for the passphrase (see ``util.sharing``)."""
        item = _owner(page)
        assert item is not None  # (a sealed page has one)
        found = sharing.parts(html)
        if found is None:
            self.problems.error(page.template, 1, "a shared item's template must have a <main> element")
            return None
        audiences = self.site.config.audiences
        secrets = [sharing.passphrase(audiences[n]) for n in item.audience]
        if not secrets or not all(secrets):  # (the load stage reported it: never an open page)
            self.problems.error(item.source.path, 1, "a shared item's passphrase is missing")
            return None
        sealed = sharing.seal(*found, secrets)
        wrapper = dataclasses.replace(
            page,
            template="shared.html",
            title=self.translations.gettext("Shared page"),
            context={},
            listed=False,
            noindex=True,
            kind="shared",
            body_of=None,
        )
        context = dict(self.globals, page=wrapper, structured=None, sealed=sealed)
        return self.env.get_template("shared.html").render(context).encode("utf-8")

    def outputs(self) -> Iterator[Output]:
        """Every file of the site."""
        yield from self.page_outputs()
        yield from self.other_outputs()

    def serial_pages(self) -> Iterator[Output]:
        """The HTML pages, rendered one after the other."""
        tracker = self.tracker
        for page in self.site.pages:
            rel = urls.output_file(page.url)
            if tracker is not None and tracker.known(self, page, rel):
                yield Output(rel, unchanged=True, searchable=page.searchable)
                continue
            base = self.page_context(page)
            if tracker is not None and tracker.unchanged(self, page, rel, base):
                yield Output(rel, unchanged=True, searchable=page.searchable)
                continue
            data = self.render_page(page, base)
            if data is not None:
                yield Output(rel, data, searchable=page.searchable)

    def other_outputs(self) -> Iterator[Output]:
        """Feeds, machine-readable files and copied assets."""
        yield Output(urls.FEED, feeds.atom_feed(self.site, self._feed_bodies()))
        if not self.site.audience.private:
            if self.tracker is not None and self.tracker.structure_unchanged(urls.SITEMAP):
                yield Output(urls.SITEMAP, unchanged=True)
            else:
                yield Output(urls.SITEMAP, feeds.sitemap(self.site))
        yield Output("robots.txt", feeds.robots(self.site))
        yield Output(".nojekyll", b"")
        publish = self.publisher.output
        # the search page's script of the other kind of site is left out
        unused = ONLINE_ONLY if self.offline else OFFLINE_ONLY
        theme_assets: list[tuple[str, Path | bytes]]
        theme_assets = [(rel, path) for rel, path in self.theme.assets().items() if rel not in unused]
        if self.offline:
            # browsers load no font from file:// (each file is an origin of its own): the
            # offline site's style sheets carry their fonts
            published = {path.resolve() for _rel, path in theme_assets if isinstance(path, Path)}
            theme_assets = [
                (
                    rel,
                    inline_fonts(path, published)
                    if isinstance(path, Path) and rel.endswith(".css")
                    else path,
                )
                for rel, path in theme_assets
            ]
        copied = chain(
            (
                publish(urls.THEME_ASSETS + rel, data=path)
                if isinstance(path, bytes)
                else publish(urls.THEME_ASSETS + rel, source=path)
                for rel, path in theme_assets
            ),
            (publish(_unquote(a.url), source=a.source, origin=a.origin) for a in self.site.assets),
            (publish(_unquote(url), data=data, origin=origin) for url, data, origin in self.site.files),
            (self.publisher.variant(v) for v in self.site.pictures.variants()),
        )
        yield from (output for output in copied if output is not None)

    def _feed_bodies(self) -> "_Bodies":
        """Bodies relative to each entry's own address, as the feed's xml:base says."""
        return _Bodies(self, {v.url: v for v in self.site.journal + self.site.artefacts})


class _Bodies:
    """Item bodies by address, rendered only when asked for (the feed shows the newest)."""

    def __init__(self, renderer: Renderer, views: dict):
        self.renderer = renderer
        self.views = views

    def get(self, url: str, default: str = "") -> str:
        view = self.views.get(url)
        if view is None:
            return default
        return self.renderer.item_body(view, url)

    def __getitem__(self, url: str) -> str:
        if url not in self.views:
            raise KeyError(url)
        return self.get(url)

    def __contains__(self, url: str) -> bool:
        return url in self.views


_MATH_BLOCK = '<div class="math block"'
# The opening of a table, of a code block (markdown-it writes a bare <pre>; a sanitised raw one
# keeps no class) and of a display formula.
_SCROLL_OPENING = re.compile(r'<(table|pre)(?=[\s>])|<div class="math block"')

BODY_SIZES = "(min-width: 45rem) 42rem, 100vw"  # the reading column


def _picture_attributes(page_url: str, picture) -> str:
    """``srcset``, ``sizes``, ``width`` and ``height`` of a body's picture, for ``page_url``."""
    srcset = ", ".join(f"{urls.relative(page_url, url)} {width}w" for width, url in picture.candidates)
    return (
        f' srcset="{markup.escape(srcset)}" sizes="{BODY_SIZES}" width="{picture.width}"'
        f' height="{picture.height}"'
    )


def _owner(page: Page):
    """The item or collection whose page ``page`` is (None for other pages)."""
    if page.body_of is not None:
        return page.body_of.wrapped
    if page.kind == "collection" and (collection := page.context.get("collection")) is not None:
        return collection.wrapped
    return None


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


ONLINE_ONLY = ("js/search.js", "js/search-file.js")  # theme assets of an online site only (Pagefind's search)
OFFLINE_ONLY = ("js/search-offline.js",)  # and of an offline one only
_FONT_URL = re.compile(r"""url\((["']?)([^"')]+\.woff2?)\1\)""")


def inline_fonts(css: Path, published: set[Path]) -> bytes:
    """A theme style sheet whose fonts (relative ``url(...)`` of ``.woff2``/``.woff`` files
    of the theme, among the ``published`` ones: never another file) are written into it as
    ``data:`` addresses."""
    import base64

    text = css.read_text(encoding="utf-8")

    def data_url(match: re.Match) -> str:
        target = (css.parent / match.group(2)).resolve()
        if "://" in match.group(2) or target not in published:
            return match.group(0)
        kind = "woff2" if target.suffix == ".woff2" else "woff"
        encoded = base64.b64encode(target.read_bytes()).decode("ascii")
        return f'url("data:font/{kind};base64,{encoded}")'

    return _FONT_URL.sub(data_url, text).encode("utf-8")
