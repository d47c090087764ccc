"""Incremental builds: the same pipeline, doing only the work that changed.

1. Every input file is hashed (cheaply: hashes are reused while a file's
   size and time stamp stay the same). When nothing changed since the last
   successful build (inputs, elenefolio and its libraries, theme, options,
   date) and the output is as it was left, the build stops there.
2. Otherwise the portfolio is loaded, reusing loaded items whose file and
   context did not change, and the site stage runs as usual.
3. Each page is rendered only if something it read last time changed
   (``render.incremental``); cold builds of large sites render in several
   processes.
4. Only changed files are written, and stale ones removed
   (``write.incremental``).

The output is byte for byte the one a clean build makes (the tests check
this after many kinds of edits).
"""

from __future__ import annotations

import os
from pathlib import Path

from elenefolio import clock, seal
from elenefolio.build import (PRIVATE_OUTPUT, PUBLIC_OUTPUT, BuildOptions, BuildResult,
                              SearchCollector, prepare_passport, start, write_site,
                              stopwatch)
from elenefolio.gitdates import GitDates
from elenefolio.incremental import (CACHE_DIR, BuildCache, HashCache, ItemCache, changed_files,
                                    code_digest, scan_tree, text_digest, theme_digest)
from elenefolio.write import write_failure

# Below this many pages a cold build renders in one process: forking and
# sending the pages back costs more than it saves (see bench/ and docs/performance.md).
PARALLEL_THRESHOLD = 250


def incremental_build(options: BuildOptions) -> BuildResult:
    timings, lap = stopwatch()
    root, problems, destination = start(options)
    if (root / CACHE_DIR).exists() and not (root / CACHE_DIR).is_dir():
        problems.error(root / CACHE_DIR, 1, "is a file, not a folder: elenefolio keeps its build "
                                            "cache there; remove or rename it (or build with --no-cache)")
        problems.raise_if_errors()

    flavour = text_digest(options.drafts, options.private, options.base_url, options.strict,
                          options.pdf, options.allow_remote)
    cache = BuildCache(root, destination, flavour)
    hashes = HashCache(cache.get("hashes", {}))
    skip = {destination, root / PUBLIC_OUTPUT, root / PRIVATE_OUTPUT, root / CACHE_DIR}
    files, folders = scan_tree(root, skip, hashes)
    code = code_digest(hashes)
    global_key = text_digest(code, theme_digest(hashes), flavour, clock.today())
    # the dates of the last commits: a new commit re-renders the pages (items stay cached)
    git_dates = GitDates.read(root)
    state_key = text_digest(global_key, sorted(files.items()), folders, git_dates.digest)
    lap("scan")

    state = cache.get("state")
    manifest = cache.get("manifest")
    # (a long-running process builds its first site even when the output is up to date: it
    # keeps it for the builds that follow)
    cold_warm = options.warm is not None and options.warm.site is None
    if state and manifest and state["key"] == state_key and not cold_warm \
            and _output_intact(destination, manifest):
        if hashes.fresh != hashes.known:
            cache.put("hashes", hashes.fresh)
        lap("check")
        return BuildResult(destination, state["pages"], len(manifest), state["warnings"], timings,
                           written=0, unchanged=len(manifest), rendered=0)

    items = ItemCache.read(cache, files, text_digest(global_key, sorted(files), folders), root)
    import gc

    # Loading makes many long-lived objects (unpickled items, then the site) and no cyclic
    # garbage: the collector's passes over them cost more than they free. They are frozen
    # before rendering, which makes short-lived garbage that is collected as usual.
    collecting = gc.isenabled()
    gc.disable()

    def loaded() -> None:
        if collecting:
            gc.freeze()
            gc.enable()
    try:
        result = _build(options, root, destination, problems, cache, hashes, files, (code, global_key),
                        state_key, items, timings, lap, manifest if state else None, loaded, git_dates)
    finally:
        failure = _save(cache, hashes, items)
        if collecting:
            gc.unfreeze()
            gc.enable()
    if failure is not None:
        raise write_failure(failure, destination, root, written=True)
    return result


def _save(cache: BuildCache, hashes: HashCache, items: ItemCache) -> OSError | None:
    """Save the file hashes and loaded items, even after a failed build; the error of a
    failed save (the build's own error, if any, is the one reported)."""
    try:
        if hashes.fresh != hashes.known:
            cache.put("hashes", hashes.fresh)
        items.write(cache)
    except OSError as exc:
        return exc
    return None


def _build(options, root, destination, problems, cache, hashes, files, keys, state_key,
           items, timings, lap, manifest, loaded, git_dates) -> BuildResult:
    from elenefolio.load import load_portfolio
    from elenefolio.render import Renderer
    from elenefolio.render.incremental import PageTracker
    from elenefolio.render.published import Publisher
    from elenefolio.site import build_site
    from elenefolio.site.audience import Audience
    from elenefolio.write.incremental import IncrementalWriter

    code, global_key = keys
    warm = options.warm
    reused = warm.patch(root, files, items, problems, git_dates) if warm is not None else None
    if reused is not None:
        site, with_passport = reused
        problems.raise_if_errors(options.strict)
        lap("load")
    else:
        if warm is not None:
            warm.forget()
        jobs = _jobs(options, len(files), False)
        portfolio = load_portfolio(root, problems, options.base_url, wrap=items.wrap,
                                   prefetch=lambda *work: items.prefetch(*work, jobs=jobs),
                                   git_dates=git_dates)
        problems.raise_if_errors(options.strict)
        assert portfolio is not None  # None only after an error, raised above
        lap("load")
        site = build_site(portfolio, Audience(private=options.private, drafts=options.drafts), problems)
        with_passport = prepare_passport(site, options, problems)
        problems.raise_if_errors(options.strict)
        if warm is not None:
            warm.keep(site, with_passport, items, problems, git_dates)
    lap("site")
    loaded()
    changed = _changed_bodies(cache.get("state"), files, items, git_dates.digest)

    writer = IncrementalWriter(destination, manifest, hashes)
    try:
        records = cache.get("pages") if writer.in_place else None
        page_key = text_digest(global_key, files.get("portfolio.yaml"), files.get("skills.yaml"),
                               git_dates.digest)
        tracker = PageTracker(records, files, root, page_key, writer.intact)
        if changed is not None and records:
            tracker.only_bodies_changed(site, {root / rel for rel in changed})
        # cleaned copies of images, kept while their source and the code stay the same
        publisher = Publisher(problems, site.config.keep_metadata, cache.folder / "published",
                              hashes.digest, code)
        renderer = Renderer(site, problems, tracker=tracker, publisher=publisher)
        renderer.env.bytecode_cache = _bytecode_cache(cache.folder / "templates")
        jobs = _jobs(options, len(site.pages), bool(records))
        if jobs > 1:
            from elenefolio.render.parallel import parallel_pages

            renderer.page_outputs = lambda: parallel_pages(renderer, jobs, options.progress)
        elif options.progress is not None:
            renderer.page_outputs = _counting(renderer, options.progress)
        search = SearchCollector(destination, cache.get("search") if writer.in_place else None,
                                 jobs=options.jobs)
        passport = write_site(site, renderer, writer, search, with_passport, problems,
                              options.strict, lap, options.defer_search, options.allow_remote)
        new_manifest = writer.commit()
    except BaseException:
        writer.abort()
        raise
    publisher.prune()
    try:
        if tracker.rendered_urls or tracker.new.keys() != (records or {}).keys():
            cache.put("pages", tracker.new)
        cache.put("manifest", new_manifest)
        cache.put("search", search.digest)
        # (with the search index behind, the next build must not stop at "nothing changed")
        cache.put("state", {"key": None if search.deferred else state_key, "pages": len(site.pages),
                            "warnings": problems.warnings, "files": files, "items": items.context,
                            "git": git_dates.digest})
    except OSError as exc:
        raise write_failure(exc, destination, root, written=True) from None

    lap("write")
    return BuildResult(destination, len(site.pages), writer.count, problems.warnings, timings,
                       written=writer.written, unchanged=writer.unchanged, removed=writer.removed,
                       rendered=len(tracker.rendered_urls), rendered_urls=tracker.rendered_urls,
                       passport=passport, search_deferred=search.deferred)


class Warm:
    """The last good site of a long-running process (``serve``), for the next build.

    When a save changed only the Markdown bodies of items (front matter and
    outgoing links as they were, no other input changed), the next build
    reloads those items alone and puts them in place in the site it keeps,
    instead of loading and modelling the whole portfolio again: nothing else
    in the site can differ. Anything else, or any failure, starts afresh.
    """

    def __init__(self) -> None:
        self.reused = 0  # builds that used the kept site
        self.forget()

    def forget(self) -> None:
        self.site = None
        self.files: dict[str, str] = {}
        self.context = None
        self.with_passport = False
        self.problems: list = []  # of the load and site stages
        self.found: dict[str, list] = {}  # each item file's own load problems
        self.places: dict | None = None  # item file -> (its list in the portfolio, index)
        self.views: dict | None = None  # item file -> its view in the site
        self.git = ""  # the digest of the commit dates the kept site shows

    def keep(self, site, with_passport: bool, items, problems, git_dates) -> None:
        self.site, self.with_passport, self.git = site, with_passport, git_dates.digest
        self.files, self.context = dict(items.file_hashes), items.context
        self.problems = list(problems.items)
        self.found = {rel: list(entry[3]) for rel, entry in items.fresh.items()}

    def patch(self, root: Path, files: dict[str, str], items, problems, git_dates):
        """(site, with_passport) with the changed items put in place, or None."""
        site = self.site
        changed = changed_files(self.files, files)
        if site is None or items.context != self.context or changed is None \
                or git_dates.digest != self.git:
            return None
        portfolio = site.portfolio
        if self.places is None:
            self.places = {os.path.relpath(item.path, root): (section, i)
                           for section in (portfolio.journal, portfolio.artefacts)
                           for i, item in enumerate(section)}
        lists = self.places
        if not changed <= lists.keys():
            return None
        from elenefolio.load.artefacts import load_artefact
        from elenefolio.load.journal import load_entry
        from elenefolio.problems import Problems

        fresh = {}
        for rel in changed:
            section, i = lists[rel]
            loader = load_entry if section is portfolio.journal else load_artefact
            local = Problems(root)
            item = items.wrap(loader)(root / rel, root, portfolio.config, portfolio.framework, local)
            if item is None or local.errors or rel not in items.body_only:
                return None
            git_dates.apply([item])
            fresh[rel] = (item, local.items)
        if self.views is None:
            self.views = {view.wrapped.path: view for view in site.items}
        views = self.views
        kept = list(self.problems)
        for rel, (item, found) in fresh.items():
            section, i = lists[rel]
            view = views.get(section[i].path)
            section[i] = item
            if view is not None:
                view.wrapped = item
            for problem in self.found.get(rel, []):
                if problem in kept:
                    kept.remove(problem)
            kept.extend(found)
            self.found[rel] = list(found)
        for rel, entry in items.stored.items():
            items.fresh.setdefault(rel, entry)
        self.problems = kept
        self.files = dict(files)  # what the kept site now shows
        self.reused += 1
        problems.extend(kept)
        return site, self.with_passport


def _changed_bodies(state: dict | None, files: dict[str, str], items, git: str) -> set[str] | None:
    """The files changed since the last build when they are all items of which only the
    Markdown body changed (nothing else: no file added, removed or renamed, same options,
    code, theme, date and commit dates); otherwise None."""
    if not state or state.get("items") != items.context or state.get("git") != git:
        return None
    changed = changed_files(state.get("files", {}), files)
    return changed if changed is not None and changed <= items.body_only else None


def _bytecode_cache(folder: Path):
    """Compiled templates, reused while their source is unchanged.

    Jinja's own file cache unpickles whatever file it finds: these files are sealed
    (``seal``), and one this user's elenefolio did not write is never loaded."""
    import jinja2

    class SealedBytecodeCache(jinja2.BytecodeCache):
        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            payload = seal.read(folder / f"{bucket.key}.cache", "template")
            if payload is not None:
                bucket.bytecode_from_string(bytes(payload))

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            seal.write(folder / f"{bucket.key}.cache", "template", bucket.bytecode_to_string())
    return SealedBytecodeCache()


def _jobs(options: BuildOptions, pages: int, has_records: bool) -> int:
    if not options.fork:
        return 1
    if options.jobs is not None:
        return max(1, options.jobs)
    if has_records or pages < PARALLEL_THRESHOLD:
        return 1
    from elenefolio.render.parallel import available

    return min(os.cpu_count() or 1, 8) if available() else 1


def _counting(renderer, progress):
    serial = renderer.page_outputs

    def pages():
        total = len(renderer.site.pages)
        for done, output in enumerate(serial(), 1):
            progress(done, total)
            yield output
    return pages


def _output_intact(destination: Path, manifest: dict[str, tuple]) -> bool:
    """The output folder holds exactly the files the manifest describes, untouched."""
    seen = 0
    for dirpath, _dirnames, filenames in os.walk(destination):
        rel_dir = os.path.relpath(dirpath, destination).replace(os.sep, "/")
        for name in filenames:
            rel = name if rel_dir == "." else f"{rel_dir}/{name}"
            entry = manifest.get(rel)
            if entry is None:
                return False
            try:
                st = os.stat(os.path.join(dirpath, name))
            except OSError:
                return False
            if st.st_size != entry[1] or st.st_mtime_ns != entry[2]:
                return False
            seen += 1
    return seen == len(manifest)
