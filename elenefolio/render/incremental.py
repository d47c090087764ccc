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

# Files the page records are kept in, by address: a save rewrites the few that hold the
# pages it rendered (10,000 entries: about 0.5 MB each instead of 16 MB for all)
PAGE_BUCKETS = 32


def _page_bucket(url: str) -> int:
    import zlib

    return zlib.crc32(url.encode("utf-8", "surrogatepass")) % PAGE_BUCKETS


def read_records(cache) -> dict[str, PageRecord] | None:
    """The page records of the last build, from every bucket (None when there are none)."""
    records: dict[str, PageRecord] = {}
    for bucket in range(PAGE_BUCKETS):
        records.update(cache.get(f"pages-{bucket}") or {})
    return records or None


def write_records(cache, tracker: "PageTracker", records: dict[str, PageRecord] | None) -> None:
    """Keep this build's page records, rewriting only the buckets of the pages that were
    rendered, added or removed. (The output manifest, written after them, is what makes a
    record usable: a page is skipped only while its file is as the manifest says.)"""
    new = tracker.new
    if not records:
        changed = set(range(PAGE_BUCKETS))
    else:
        moved = tracker.rendered_urls + [url for url in records.keys() ^ new.keys()]
        changed = {_page_bucket(url) for url in moved}
    if not changed:
        return
    buckets: dict[int, dict[str, PageRecord]] = {bucket: {} for bucket in changed}
    for url, record in new.items():
        part = buckets.get(_page_bucket(url))
        if part is not None:
            part[url] = record
    for bucket, part in sorted(buckets.items()):
        cache.put(f"pages-{bucket}", part)


# url -> (record, its outline): what each record's groups start from, kept from one build of
# a long-running process to the next while the record is the same object (see ``_outline``)
_OUTLINES: dict[str, tuple[PageRecord, frozenset[str], tuple]] = {}


def _outline(url: str, record: PageRecord, shared: frozenset[str], own: frozenset[str]) -> tuple:
    """(the addressed objects the record read from, its groups rooted at shared context
    variables as (paths, hash) pairs, whether it read from any other root but the page's
    ``own`` ones): the index from roots to pages that a body-only edit looks up."""
    known = _OUTLINES.get(url)
    if known is not None and known[0] is record and known[1] is own:
        return known[2]
    named: list[str] = []
    groups: list[tuple] = []
    other = record.volatile
    for root, group in record.groups.items():
        if root[0] == "@":
            named.append(root)
        elif root in shared:
            groups.append(group)
        elif root not in own:
            other = True
    shared_groups = tuple(groups)  # (one tuple for all the records with the same groups)
    outline = (frozenset(named), _GROUPS.setdefault(shared_groups, shared_groups), other)
    _OUTLINES[url] = (record, own, outline)
    return outline


_GROUPS: dict[tuple, tuple] = {}


# The context variables of an item's page that are made from that item alone (and the
# configuration): unchanged when the item and the configuration are.
ITEM_PAGE_ROOTS = frozenset({"page", "item", "structured"})
# The context variables of the pages of a list cut into pages (the journal and its kinds,
# a tag's items, a skill's evidence; ``site._journal_pages``, ``_skill_pages``, the tags'):
# the page itself, its place in the list (``pagination.Pager``), its entries by year and
# month and the year index (``pagination.YearGroup``, ``MonthGroup``, ``YearLink``), the
# kinds with their counts (``views.KindLink``), the skill or tag, and each piece of
# evidence (``views.Evidence``). The site stage makes them from the items' front matter
# (dates, kinds, skills, tags, visibility) and the configuration, never from a body; what
# a page reads of an item through them is recorded under the item's own name. So they
# are unchanged by a body-only edit, and such a page is checked from the index of its
# record, as an item's page is.
LIST_PAGE_ROOTS = frozenset(
    {"page", "years", "pager", "year_links", "kinds", "tag", "skill", "artefact_years", "journal_years"}
)
LIST_PAGE_KINDS = frozenset({"journal-index", "tag", "skill"})


def own_roots(page) -> frozenset[str] | None:
    """The context variables of ``page`` that a body-only edit leaves as they were (None: the
    page is checked in full after such an edit)."""
    if page.body_of is not None:
        return ITEM_PAGE_ROOTS
    return LIST_PAGE_ROOTS if page.kind in LIST_PAGE_KINDS else None


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
        # id of a record's template states -> (the states, the templates, whether they are the same)
        self._template_verdicts: dict[int, tuple] = {}
        self.rendered_urls: list[str] = []
        self.skipped = 0
        self.clean_names: frozenset[str] | None = None
        self.dirty_urls: frozenset[str] = frozenset()
        self.known_unchanged: set[str] | None = None  # (body-only edits) see _unchanged_pages

    def only_bodies_changed(self, site, changed_sources: set[Path]) -> None:
        """Declare that, since the last build, only the Markdown bodies of the items read
        from ``changed_sources`` changed (their front matter and outgoing links did not,
        nor any other input).

        Every other item then reads as it did, and so do skills, tags and the pages of
        lists (made from the framework, the self-assessment, badges and the items' front
        matter, never from a body): what pages read from them (and an item or list page's
        own address, context and page key) is taken as recorded instead of being looked
        up again, and a one-entry edit checks only what pages read from the edited item.
        """
        dirty = {view.url for view in site.items if view.wrapped.path in changed_sources}
        self.dirty_urls = frozenset(dirty)
        clean = {
            f"@{kind}:{view.url}" for view in site.items if view.url not in dirty for kind in ("item", "page")
        }
        clean.update(f"@skill:{skill.url}" for skill in site.skills)
        clean.update(f"@tag:{tag.url}" for tag in site.tags)
        # the pages of lists, made from front matter alone (see LIST_PAGE_ROOTS)
        clean.update(f"@page:{page.url}" for page in site.pages if page.kind in LIST_PAGE_KINDS)
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

    def _unchanged_pages(self, renderer) -> set[str]:
        """(body-only edits) The pages known unchanged from the index of their records alone:
        the pages of items and of lists (``own_roots``) that read nothing from an edited item
        or its page, whose groups rooted at a shared variable (``site``, ``config``...) give
        the hashes they gave (each distinct group is looked up once), and that read from no
        other root but their own. The others are checked in full."""
        assert self.clean_names is not None
        self._names(renderer)
        replayer = self._replayer
        assert replayer is not None
        clean, shared = self.clean_names, frozenset(renderer.globals)
        roots = renderer.globals
        dirty, old = self.dirty_urls, self.old
        known: set[str] = set()
        verdicts: dict[tuple, bool] = {}  # (id of a group's paths, hash) -> unchanged
        same_groups: dict[int, bool] = {}  # id of an outline's groups -> all unchanged
        for page in renderer.site.pages:
            url = page.url
            record = old.get(url)
            own = own_roots(page)
            if record is None or own is None or url in dirty:
                continue
            named, groups, other = _outline(url, record, shared, own)
            if other or not named <= clean:
                continue
            unchanged = same_groups.get(id(groups))
            if unchanged is None:
                unchanged = True
                for paths, recorded in groups:
                    verdict = verdicts.get((id(paths), recorded))
                    if verdict is None:
                        verdict = verdicts[(id(paths), recorded)] = (
                            replayer._shared_digest(roots, paths) == recorded
                        )
                    if not verdict:
                        unchanged = False
                        break
                same_groups[id(groups)] = unchanged
            if unchanged:
                known.add(url)
        if len(_OUTLINES) > 2 * len(old) + 1000:  # records of other sites or earlier builds
            for url in [url for url, (record, *_) in _OUTLINES.items() if old.get(url) is not record]:
                del _OUTLINES[url]
            _GROUPS.clear()
        return known

    def known(self, renderer, page, rel: str) -> bool:
        """(body-only edits) Whether the page is known unchanged from the index of its record
        (``_unchanged_pages``), its output file intact and its templates as they were: then
        its record is kept and it is not looked at further (its context is not even made)."""
        if self.clean_names is None or renderer.page_hook is not None:
            return False
        if self.known_unchanged is None:
            self.known_unchanged = self._unchanged_pages(renderer)
        if page.url not in self.known_unchanged:
            return False
        record = self.old[page.url]
        if not self.intact(rel) or not self._templates_same(renderer, record):
            return False
        self.new[page.url] = record  # (its key is as recorded: see only_bodies_changed)
        self.skipped += 1
        return True

    def structure_unchanged(self, rel: str) -> bool:
        """(body-only edits) Whether ``rel``, a file made from the site's pages, addresses and
        front matter alone (the sitemap: each listed page and its item's date of change), is
        as the last build left it: then it is kept as it is."""
        return self.clean_names is not None and self.intact(rel)

    def _templates_same(self, renderer, record: PageRecord) -> bool:
        """Whether the templates the record names are as they were (the answer for records
        with the same templates, which share their states, is found once)."""
        states = record.states
        found = self._template_verdicts.get(id(states))
        if found is None or found[0] is not states or found[1] != record.templates:
            verdict = tuple(map(self.template_state(renderer.env), record.templates)) == states
            found = self._template_verdicts[id(states)] = (states, record.templates, verdict)
        return found[2]

    def unchanged(self, renderer, page, rel: str, context: dict[str, Any]) -> bool:
        record = self.old.get(page.url)
        if record is None or not self.intact(rel):
            return False
        clean = None
        key = None
        if self.clean_names is not None:
            names, own = self.clean_names, own_roots(page)
            if own is not None and page.url not in self.dirty_urls:  # (its own roots as recorded)
                key = record.key
                clean = lambda root: root in names or root in own  # noqa: E731
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
