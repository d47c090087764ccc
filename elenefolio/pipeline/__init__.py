"""The pipeline: load → site → render → write, one object for every command.

``Builder`` runs the stages for ``build`` and ``serve`` (``build()``: every stage,
then the output swapped in), and its first stages for ``check``, ``passport`` and
the exports (``load()``, ``site()``, ``render()``). A clean build (``--no-cache``)
is the same path with an empty cache that keeps nothing.

What a build may reuse from the previous one is keyed by what it read: every file
read goes through the recorder (``reads``), and the library part of the key is the
installed versions of elenefolio's requirements and a hash of the package's own
files (``incremental.installed``, ``incremental.package_digest``).

1. Every input file is hashed (cheaply: hashes are reused while a file's size and
   time stamp stay the same). When nothing changed since the last successful build
   and the output is as it was left, the build stops there.
2. Otherwise the portfolio is loaded, reusing loaded items whose file and
   environment (``reads``) did not change, and the site stage runs as usual.
3. Each page is rendered only if something it read last time changed
   (``render.incremental``); cold builds of large sites render in several processes.
4. Only changed files are written, into a complete new tree swapped in atomically
   (``write.incremental``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from elenefolio.incremental.reads import Reads
from elenefolio.pipeline.options import (
    OFFLINE_OUTPUT,
    PRIVATE_OFFLINE_OUTPUT,
    PRIVATE_OUTPUT,
    PUBLIC_OUTPUT,
    BuildOptions,
    BuildResult,
    stopwatch,
)
from elenefolio.problems import Problem, Problems
from elenefolio.util.gitdates import GitDates

if TYPE_CHECKING:
    from elenefolio.incremental import BuildCache, ItemCache
    from elenefolio.incremental.fastbuild import Warm

# what commands, the server and plugins use; the options and the result are defined in ``options``
__all__ = [
    "OFFLINE_OUTPUT",
    "PRIVATE_OFFLINE_OUTPUT",
    "PRIVATE_OUTPUT",
    "PUBLIC_OUTPUT",
    "BuildOptions",
    "BuildResult",
    "Builder",
    "build",
    "cache_warnings",
    "check",
    "load_site",
]


class NoCache:
    """The cache of a clean build: empty, and nothing put in it is kept."""

    folder = None

    def get(self, name: str, default=None):
        return default

    def put(self, name: str, value) -> None:
        pass

    def forget_unsealed(self) -> None:
        pass


class Builder:
    """One run of the pipeline for one portfolio, output folder and audience."""

    def __init__(self, options: BuildOptions, writes: bool = True):
        from elenefolio.incremental import HashCache
        from elenefolio.pipeline.hooks import Hooks

        self.options = options
        self.writes = writes  # False: check, passport, exports (no output folder, no cache)
        self.root = options.root.resolve()
        self.problems = Problems(self.root)
        self.timings, self.lap = stopwatch()
        self.cache: BuildCache | NoCache = NoCache()
        self.hashes = HashCache()
        self.reads = Reads(self.hashes)
        self.hooks = Hooks()
        self.files: dict[str, str] = {}
        self.items: ItemCache | None = None  # (builds)
        self.git_dates = GitDates()  # (read by build())
        self.global_key = ""
        self.state_key = ""
        self.with_passport = False
        self.warm: Warm | None = None  # the site kept by a long-running process
        self.on_site: Callable[[Any], None] | None = None  # given each site made (cohorts)

    @classmethod
    def reading(cls, root: Path, base_url: str | None = None, private: bool = False) -> "Builder":
        """The pipeline of a command that reads the portfolio but writes no site."""
        return cls(
            BuildOptions(root=root, base_url=base_url, private=private, incremental=False), writes=False
        )

    # -- the stages -----------------------------------------------------------------------
    def load(self):
        """The portfolio (raises BuildFailed with every problem)."""
        from elenefolio.load import load_portfolio

        options, items = self.options, self.items
        with self.reads.active():
            if items is None:
                portfolio = load_portfolio(
                    self.root,
                    self.problems,
                    options.base_url,
                    git_dates=self.git_dates,
                    on_config=self._on_config,
                )
            else:
                from elenefolio.incremental.fastbuild import jobs_for

                jobs = jobs_for(options, len(self.files), False)

                def prefetch(work, root, config, framework) -> None:
                    items.context = self._item_context()
                    items.prefetch(work, root, config, framework, jobs=jobs)

                portfolio = load_portfolio(
                    self.root,
                    self.problems,
                    options.base_url,
                    wrap=items.wrap,
                    prefetch=prefetch,
                    git_dates=self.git_dates,
                    on_config=self._on_config,
                )
        self.problems.raise_if_errors(options.strict)
        self.lap("load")
        return portfolio

    def _on_config(self, config) -> None:
        """Right after ``portfolio.yaml``: the hooks it lists (and installed plugins)."""
        from elenefolio.pipeline.hooks import Hooks

        self.hooks = Hooks.load(config, self.problems, self.plugins)
        self.hooks.call("on_config", config=config)

    def _item_context(self) -> str:
        """What every loaded item depends on: the code, libraries and options, the list of
        files (loading checks that linked files exist) and what was read before the items
        (``portfolio.yaml``, the framework, hook files)."""
        from elenefolio.incremental import text_digest

        assert self.items is not None  # (loading with the item cache)
        return text_digest(self.items.base, self.reads.environment_digest())

    def site(self, portfolio, audience=None):
        """The site for ``audience`` (the options' by default), frozen."""
        from elenefolio.site import build_site
        from elenefolio.site.audience import Audience

        options = self.options
        audience = audience or Audience(private=options.private, drafts=options.drafts)
        self.with_passport = self.writes and bool(options.pdf or portfolio.config.passport)
        site = build_site(
            portfolio,
            audience,
            self.problems,
            passport=self.with_passport,
            extend=self.hooks.site_extension(),
        )
        self.problems.raise_if_errors(options.strict)
        self.lap("site")
        if self.on_site is not None:
            self.on_site(site)
        return site

    def render(self, site, tracker=None, publisher=None):
        """The renderer of ``site`` (its environment given to the hooks' ``on_env``)."""
        from elenefolio.render import Renderer

        with self.reads.active():
            renderer = Renderer(
                site,
                self.problems,
                tracker=tracker,
                publisher=publisher,
                hooks=self.hooks,
                offline=self.options.offline,
            )
        return renderer

    # -- commands -------------------------------------------------------------------------
    @property
    def plugins(self) -> tuple:
        from elenefolio.incremental import installed

        return installed(self.cache if self.writes else None)[1]

    def check(self) -> None:
        """Every validation of a build, writing nothing (problems in ``self.problems``), and
        the starter text left in what the site publishes, which only ``check`` reports."""
        from elenefolio.problems import BuildFailed
        from elenefolio.render.published import Publisher
        from elenefolio.site import media_without_text
        from elenefolio.site.honesty import check_honesty

        try:
            portfolio = self.load()
        except BuildFailed:
            return
        check_honesty(portfolio, self.problems)
        try:
            site = self.site(portfolio)
        except BuildFailed:
            return
        media_without_text(site, self.problems)
        # SVG images are checked; photos are left as they are, and no smaller copies are made
        # (cleaning and resizing are the build's work, a slow one without the build's cache)
        renderer = self.render(site, publisher=Publisher(self.problems, keep_metadata=True, variants=False))
        for _output in renderer.outputs():
            pass  # rendering reports template problems; nothing is written

    def build(self) -> BuildResult:
        """Build the site into the output folder; raises BuildFailed with every problem."""
        from elenefolio.incremental import (
            CACHE_DIR,
            BuildCache,
            ItemCache,
            package_digest,
            scan_tree,
            text_digest,
        )
        from elenefolio.util.clock import today
        from elenefolio.util.gitdates import GitDates

        options, root, problems = self.options, self.root, self.problems
        destination = self._start()
        if options.incremental:
            if (root / CACHE_DIR).exists() and not (root / CACHE_DIR).is_dir():
                problems.error(
                    root / CACHE_DIR,
                    1,
                    "is a file, not a folder: elenefolio keeps its "
                    "build cache there; remove or rename it (or build "
                    "with --no-cache)",
                )
                problems.raise_if_errors()
        flavour = text_digest(
            options.drafts,
            options.private,
            options.base_url,
            options.strict,
            options.pdf,
            options.allow_remote,
            options.offline,
        )
        if options.incremental:
            self.cache = BuildCache(root, destination, flavour)
            self.hashes.known = self.cache.get("hashes", {})
        skip = {destination, root / CACHE_DIR}
        skip.update(
            root / name for name in (PUBLIC_OUTPUT, PRIVATE_OUTPUT, OFFLINE_OUTPUT, PRIVATE_OFFLINE_OUTPUT)
        )
        if options.inputs is not None and options.incremental:
            self.files, folders = options.inputs.scan(root, skip, self.hashes)
        else:
            self.files, folders = scan_tree(root, skip, self.hashes)
        from elenefolio.incremental import installed

        libraries, _plugins = installed(self.cache if options.incremental else None)
        self.code = package_digest(self.hashes)
        self.global_key = text_digest(self.code, libraries, flavour, today())
        self.git_dates = GitDates.read(root)  # a new commit re-renders the pages (items stay cached)
        self.state_key = text_digest(
            self.global_key, sorted(self.files.items()), folders, self.git_dates.digest
        )
        self.lap("scan")

        state, manifest = self.cache.get("state"), self.cache.get("manifest")
        # (a long-running process builds its first site even when the output is up to date: it
        # keeps it for the builds that follow)
        self.warm = options.warm if options.incremental else None  # (a clean build keeps nothing)
        cold_warm = self.warm is not None and self.warm.site is None
        from elenefolio.incremental.fastbuild import output_intact
        from elenefolio.util import sharing

        if (
            state
            and manifest
            and state["key"] == self.state_key
            # a shared page is encrypted again when a passphrase changed (the variables are those
            # of the last build; naming another one changes portfolio.yaml, so the state anyway)
            and state.get("sharing", "") == sharing.lock(self.cache.get("audiences") or {})
            and not cold_warm
            and output_intact(destination, manifest)
        ):
            self._save_hashes()
            self.lap("check")
            return BuildResult(
                destination,
                state["pages"],
                len(manifest),
                state["warnings"],
                self.timings,
                written=0,
                unchanged=len(manifest),
                rendered=0,
            )

        self.items = ItemCache.read(
            self.cache, self.files, text_digest(self.global_key, sorted(self.files), folders), root
        )
        import gc

        # Loading makes many long-lived objects (unpickled items, then the site) and no cyclic
        # garbage: the collector's passes over them cost more than they free. They are frozen
        # before rendering, which makes short-lived garbage that is collected as usual.
        collecting = gc.isenabled()
        gc.disable()
        try:
            result = self._build(destination, manifest if state else None, collecting)
        finally:
            failure = self._save_loaded()
            if collecting:
                gc.unfreeze()
                gc.enable()
        if failure is not None:
            from elenefolio.write import write_failure

            raise write_failure(failure, destination, root, written=True)
        return result

    def _start(self) -> Path:
        """The output folder, once it is known that building there cannot destroy the
        portfolio or unrelated files."""
        from elenefolio.write import UnsafeOutput, check_output_folder, remove_leftovers

        destination = self.options.destination.resolve()
        try:
            check_output_folder(destination, self.root, self.options.force)
        except UnsafeOutput as exc:
            self.problems.error(destination, 1, str(exc))
            self.problems.raise_if_errors()
        remove_leftovers(destination)
        return destination

    def _save_hashes(self) -> None:
        if self.hashes.fresh != self.hashes.known:
            self.cache.put("hashes", self.hashes.fresh)

    def _save_loaded(self) -> OSError | None:
        """Save the file hashes and loaded items, even after a failed build; the error of a
        failed save (the build's own error, if any, is the one reported)."""
        try:
            self._save_hashes()
            if self.items is not None:
                self.items.write(self.cache)
        except OSError as exc:
            return exc
        return None

    def _build(self, destination: Path, manifest, collecting: bool) -> BuildResult:
        import gc

        from elenefolio.incremental import text_digest
        from elenefolio.incremental.fastbuild import bytecode_cache, changed_bodies, counting, jobs_for
        from elenefolio.render.incremental import PageTracker, read_records, write_records
        from elenefolio.render.published import Publisher
        from elenefolio.write import write_failure
        from elenefolio.write.incremental import IncrementalWriter
        from elenefolio.write.offline_search import OfflineSearchCollector

        options, problems, cache, root = self.options, self.problems, self.cache, self.root
        warm = self.warm
        reused = warm.patch(self, problems) if warm is not None else None
        if reused is not None:
            site, self.with_passport = reused
            problems.raise_if_errors(options.strict)
            self.lap("load")
            self.lap("site")
        else:
            if warm is not None:
                warm.forget()
            site = self.site(self.load())
            if warm is not None:
                warm.keep(self, site)
        if collecting:
            gc.freeze()
            gc.enable()
        changed = changed_bodies(cache.get("state"), self.files, self.items, self.git_dates.digest)
        from elenefolio.util import sharing

        lock = sharing.lock(site.config.audiences)
        if (cache.get("state") or {}).get("sharing", "") != lock:
            changed = None  # a passphrase changed: every page is checked (shared ones encrypted again)

        writer = IncrementalWriter(destination, manifest, self.hashes, live=options.in_place)
        try:
            records = read_records(cache) if writer.in_place else None
            tracker = PageTracker(records, self.files, root, "", writer.intact)
            # (a hook of the portfolio's or a plugin's may make pages from the bodies: then the
            # pages and lists are not known from front matter alone)
            if changed is not None and records and not self.hooks.extends("on_site"):
                tracker.only_bodies_changed(site, {root / rel for rel in changed})
            # cleaned copies of images, kept while their source and the code stay the same
            publisher = Publisher(
                problems,
                site.config.keep_metadata,
                cache.folder / "published" if cache.folder else None,
                self.hashes.digest,
                self.code,
            )
            renderer = self.render(site, tracker, publisher)
            # every page depends on what was read outside the site model (reads): the
            # configuration, the framework, the translation catalogs, hook files
            tracker.build_key = text_digest(
                self.global_key, self.reads.environment_digest(), self.git_dates.digest, lock
            )
            if cache.folder is not None:
                renderer.env.bytecode_cache = bytecode_cache(cache.folder / "templates")
            jobs = jobs_for(options, len(site.pages), bool(records))
            if jobs > 1:
                from elenefolio.render.parallel import parallel_pages

                renderer.page_outputs = lambda: parallel_pages(renderer, jobs, options.progress)
            elif options.progress is not None:
                renderer.page_outputs = counting(renderer, options.progress)
            search: SearchCollector | OfflineSearchCollector
            if options.offline:
                search = OfflineSearchCollector(destination)
            else:
                search = SearchCollector(
                    destination, cache.get("search") if writer.in_place else None, jobs=options.jobs
                )
            passport = self._write(site, renderer, writer, search)
            new_manifest = writer.commit()
        except BaseException:
            writer.abort()
            raise
        publisher.prune()
        self.hooks.call("on_post_build", site=site, output=destination)
        problems.raise_if_errors(options.strict)
        try:
            write_records(cache, tracker, records)
            cache.put("manifest", new_manifest)
            cache.put("search", search.digest)
            cache.put("audiences", dict(site.config.audiences))  # names of variables, no passphrase
            # (with the search index behind, the next build must not stop at "nothing changed")
            cache.put(
                "state",
                {
                    "key": None if search.deferred else self.state_key,
                    "pages": len(site.pages),
                    "warnings": problems.warnings,
                    "files": self.files,
                    "items": self.items.context if self.items else "",
                    "git": self.git_dates.digest,
                    "sharing": lock,
                },
            )
        except OSError as exc:
            raise write_failure(exc, destination, root, written=True) from None

        self.lap("write")
        return BuildResult(
            destination,
            len(site.pages),
            writer.count,
            problems.warnings,
            self.timings,
            written=writer.written,
            unchanged=writer.unchanged,
            removed=writer.removed,
            rendered=len(tracker.rendered_urls),
            rendered_urls=tracker.rendered_urls,
            passport=passport,
            search_deferred=search.deferred,
            hooks=self.hooks.names,
        )

    def _write(self, site, renderer, writer, search):
        """The outputs: the rendered site, its search index, the passport. Returns the
        passport's result (None without a passport)."""
        options, problems, lap = self.options, self.problems, self.lap
        writer.add_all(search.watch(renderer.outputs()))
        problems.raise_if_errors(options.strict)
        lap("render")
        search.write(writer, problems, self.root, defer=options.defer_search)
        lap("search")
        if not self.with_passport:
            return None
        from elenefolio.passport import make_passport
        from elenefolio.render.output import Output

        # (a build without the cache makes the passport again, even when a stored one matches)
        passport = make_passport(
            site,
            paper=site.config.passport_paper,
            theme=renderer.theme,
            allow_remote=options.allow_remote,
            use_cache=options.incremental,
        )
        writer.add(Output(site.passport_url, source=passport.path))
        problems.extend(passport.warnings)
        problems.raise_if_errors(options.strict)
        lap("passport")
        return passport


class SearchCollector:
    """Collects the searchable pages while they are written, then writes the search index.

    The index is split into shards (``write/search.py``). In an incremental build a
    shard none of whose pages changed is kept from the previous output: whether a page
    changed is told by the content hash the writer keeps for every output file, so an
    unchanged page is read back from the output only when its shard is indexed again.
    """

    def __init__(self, destination: Path, previous: object = None, jobs: int | None = None):
        from elenefolio.write.search import SearchIndex

        self.destination = destination
        self.index = SearchIndex(previous)  # previous: the ``digest`` of the previous build
        self.jobs = jobs  # Pagefind processes at a time (None: one per processor)

    def watch(self, outputs):
        for output in outputs:
            if output.searchable:
                self.index.add(output.path.removesuffix("index.html"), output.path, output.data)
            yield output

    @property
    def digest(self) -> dict[str, str] | None:
        """The digest of each shard's pages (what the next incremental build compares)."""
        return self.index.digest

    @property
    def deferred(self) -> bool:
        """Whether changed shards were left out of date (``write(defer=True)``)."""
        return self.index.deferred

    def write(self, writer, problems: Problems, root: Path, defer: bool = False) -> None:
        from elenefolio.render.output import Output
        from elenefolio.write.search import SearchIndexError

        manifest = writer.manifest  # output file -> (hash, size, time stamp), as written
        try:
            keep = self.index.write(
                lambda path, data: writer.add(Output(path, data)),
                hash_of=lambda path: manifest[path][0],
                intact=writer.intact,
                read=lambda path: (self.destination / path).read_bytes(),
                old=writer.old or (),
                jobs=self.jobs,
                defer=defer,
            )
        except SearchIndexError as exc:
            problems.error(root / "portfolio.yaml", None, str(exc))
            problems.raise_if_errors()
        for path in keep:
            writer.keep(path)


def build(options: BuildOptions, on_site: Callable[[Any], None] | None = None) -> BuildResult:
    """Build the site; raises BuildFailed with every problem when it cannot (``WriteFailed``,
    one problem, when the file system refused a write: full, read-only...). ``on_site`` is
    given the frozen site when one is made (not when nothing changed since the last build)."""
    from elenefolio.incremental import seal
    from elenefolio.util import clock

    clock.today()  # a malformed SOURCE_DATE_EPOCH fails here, before any work
    seal.take_discarded()
    try:
        builder = Builder(options)
        builder.on_site = on_site
        result = builder.build()
    except OSError as exc:
        from elenefolio.write import write_failure

        raise write_failure(exc, options.destination.resolve(), options.root.resolve()) from None
    result.warnings = [*cache_warnings(), *result.warnings]
    return result


def cache_warnings() -> list[Problem]:
    """The warning of a build that found cache files it did not write (once, whatever their
    number; it is not about the portfolio, so it does not fail a strict build)."""
    from elenefolio.incremental import CACHE_DIR, seal

    return [Problem(CACHE_DIR, 1, seal.DISCARDED_MESSAGE, "warning")] if seal.take_discarded() else []


def check(root: Path, base_url: str | None = None, hooks: list[str] | None = None) -> list[Problem]:
    """Every validation of a build, without writing anything: the problems found (and, in
    ``hooks``, the hook files and plugins that ran)."""
    from elenefolio.scaffolds.starter import gitignore_gaps

    builder = Builder.reading(root, base_url)
    gaps = gitignore_gaps(builder.root)
    if gaps:
        builder.problems.warning(
            builder.root / ".gitignore",
            1,
            "lacks "
            + ", ".join(f"'{line}'" for line in gaps)
            + ": add these lines so that private copies, build leftovers and "
            "private exports are never committed",
        )
    builder.check()
    if hooks is not None:
        hooks.extend(builder.hooks.names)
    return builder.problems.sorted()


def load_site(root: Path, private: bool = False, base_url: str | None = None, drafts: bool = False):
    """Load and build the site for an export (``drafts``: a private one with the drafts too);
    raises BuildFailed with every problem."""
    from elenefolio.site.audience import Audience

    builder = Builder.reading(root, base_url, private=private)
    site = builder.site(builder.load(), Audience(private=private, drafts=private and drafts))
    return site, builder.problems
