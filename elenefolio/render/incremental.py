"""Deciding which pages to render again, from what they read last time.

A page is skipped when its output file is still there as the last build
left it and ``tracking.replay`` finds that everything it read (lookups,
templates, the Markdown body it shows, the context's plain values) is the
same. Otherwise it is rendered while a ``tracking.Recorder`` notes what it
reads, for the next build.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any, Callable

import jinja2

from elenefolio.render.tracking import (
    SCALARS,
    PageRecord,
    Recorder,
    Replayer,
    canonical_names,
    fingerprint,
    finish,
    guard_environment,
    undefer,
)

# The context variables of an item's page that are made from that item alone (and the
# configuration): unchanged when the item and the configuration are.
ITEM_PAGE_ROOTS = frozenset({"page", "item", "structured"})


class PageTracker:
    def __init__(
        self,
        records: dict[str, PageRecord] | None,
        file_hashes: dict[str, str],
        root: Path,
        build_key: str,
        intact: Callable[[str], bool] = lambda rel: False,
    ):
        self.old = records or {}
        self.new: dict[str, PageRecord] = {}
        self.file_hashes = file_hashes
        self.root = root
        self.build_key = build_key
        self.intact = intact
        self.record_memo: dict[tuple, bytes] = {}
        self.interned: dict[tuple, tuple] = {}
        self._replayer: Replayer | None = None
        self._canonical: dict[int, str] | None = None
        self._template_states: dict[str, Any] = {}
        self.rendered_urls: list[str] = []
        self.skipped = 0
        self.clean_names: frozenset[str] | None = None
        self.dirty_urls: frozenset[str] = frozenset()

    def only_bodies_changed(self, site, changed_sources: set[Path]) -> None:
        """Declare that, since the last build, only the Markdown bodies of the items read
        from ``changed_sources`` changed (their front matter and outgoing links did not,
        nor any other input).

        Every other item then reads as it did, and so do skills and tags (made from
        the framework, the self-assessment, badges and the items' front matter, never
        from a body): what pages read from them (and an item page's own address,
        structured data and page key) is taken as recorded instead of being looked
        up again, and a one-entry edit checks only what pages read from the edited item.
        """
        dirty = {view.url for view in site.items if view.wrapped.path in changed_sources}
        self.dirty_urls = frozenset(dirty)
        clean = {
            f"@{kind}:{view.url}" for view in site.items if view.url not in dirty for kind in ("item", "page")
        }
        clean.update(f"@skill:{skill.url}" for skill in site.skills)
        clean.update(f"@tag:{tag.url}" for tag in site.tags)
        self.clean_names = frozenset(clean)

    # -- keys -------------------------------------------------------------
    def source_digest(self, path: Path) -> str | None:
        return self.file_hashes.get(os.path.relpath(path, self.root))

    def body_key(
        self,
        path: Path,
        parsing: tuple[bool, bool],
        links: dict[str, str],
        page_url: str,
        pictures: dict | None = None,
    ) -> str | None:
        """What a body's HTML on ``page_url`` is made from: its source, how it was parsed, its
        links and the sizes of its pictures (``srcset`` changes with them)."""
        digest = self.source_digest(path)
        if digest is None:
            return None
        sizes = sorted((target, p.candidates, p.height) for target, p in (pictures or {}).items())
        return hashlib.blake2b(
            repr((digest, parsing, sorted(links.items()), page_url, sizes)).encode(), digest_size=16
        ).hexdigest()

    def page_key(self, renderer, page, context: dict[str, Any]) -> bytes | None:
        """What a page depends on besides its lookups: its address, body and plain values."""
        site = renderer.site
        parsing = (site.config.allow_html, site.config.math)  # how the bodies were parsed
        parts: list[Any] = [self.build_key, page.url, page.template, page.absolute_links]
        if page.body_of is not None:
            key = self.body_key(
                page.body_of.path, parsing, page.body_of.link_map, page.url, page.body_of.body_picture_map()
            )
            if key is None:
                return None
            parts.append(("content", key))
        collection = page.context.get("collection") if page.kind == "collection" else None
        if collection is not None:  # its intro (its links, a body of the collection's file)
            key = self.body_key(collection.wrapped.path, parsing, collection.link_map, page.url)
            if key is None:
                return None
            parts.append(("intro", key))
        owner = page.body_of if page.body_of is not None else collection
        for feedback in owner.feedback if owner is not None else ():  # their Markdown bodies
            if feedback.body is not None:
                key = self.body_key(feedback.path, parsing, feedback.link_map, page.url)
                if key is None:
                    return None
                parts.append(("feedback", key))
        if page.kind == "home" and site.portfolio.about is not None:
            key = self.body_key(self.root / "about.md", parsing, site.about_links, page.url)
            if key is None:
                return None
            parts.append(("about", key))
        for name in sorted(context):
            value = undefer(context, name)
            if isinstance(value, SCALARS):
                parts.append((name, fingerprint(value)))
        return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=20).digest()

    def template_state(self, env: jinja2.Environment) -> Callable[[str], Any]:
        loader = env.loader
        assert loader is not None  # the theme's environment always has one

        def state(name: str) -> Any:
            if name not in self._template_states:
                try:
                    source, filename, _ = loader.get_source(env, name)
                    self._template_states[name] = (
                        filename,
                        hashlib.blake2b(source.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest(),
                    )
                except jinja2.TemplateNotFound:
                    self._template_states[name] = None
            return self._template_states[name]

        return state

    # -- pages --------------------------------------------------------------
    def _names(self, renderer) -> dict[int, str]:
        if self._canonical is None:
            names = canonical_names(renderer.site)
            self._canonical = {id(obj): name for name, obj in names.items()}
            self._replayer = Replayer(renderer.env, names, frozenset(renderer.globals))
        return self._canonical

    def unchanged(self, renderer, page, rel: str, context: dict[str, Any]) -> bool:
        record = self.old.get(page.url)
        if record is None or not self.intact(rel):
            return False
        clean = None
        key = None
        if self.clean_names is not None:
            names = self.clean_names
            if page.body_of is not None and page.url not in self.dirty_urls:
                key = record.key
                clean = lambda root: root in names or root in ITEM_PAGE_ROOTS  # noqa: E731
            else:
                clean = names.__contains__
        if key is None:
            key = self.page_key(renderer, page, context)
            if key is None:
                return False
        self._names(renderer)
        assert self._replayer is not None  # made with the names
        if not self._replayer.same(context, record, key, self.template_state(renderer.env), clean):
            return False
        self.new[page.url] = record
        self.skipped += 1
        return True

    def adopt(self, url: str, record: PageRecord) -> None:
        """A page rendered by another process, with its record."""
        interned = self.interned
        record.groups = {
            root: (interned.setdefault(paths, paths), h) for root, (paths, h) in record.groups.items()
        }
        self.new[url] = record
        self.rendered_urls.append(url)

    def render(
        self, renderer, page, template: jinja2.Template, context: dict[str, Any], roots: dict[str, Any]
    ) -> str:
        env = renderer.env
        guard_environment(env)
        recorder = Recorder(
            {k: v for k, v in roots.items() if not isinstance(v, SCALARS)},
            self._names(renderer),
            frozenset(renderer.globals),
            self.record_memo,
        )
        recorder.templates.append(page.template)
        env.recorder = recorder
        try:
            html = template.render(context)
        finally:
            env.recorder = None
        key = self.page_key(renderer, page, roots)
        record = finish(recorder, key or b"", self.template_state(env), self.interned)
        if key is None:
            record.volatile = True
        self.new[page.url] = record
        self.rendered_urls.append(page.url)
        return html
