"""The build: load → site → render → write, each stage named and timed."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from elenefolio.problems import BuildFailed, Problem, Problems  # noqa: F401 - BuildFailed is re-exported

PUBLIC_OUTPUT = "_site"
PRIVATE_OUTPUT = "_private"


@dataclass
class BuildOptions:
    root: Path
    output: Path | None = None
    drafts: bool = False
    private: bool = False
    base_url: str | None = None
    strict: bool = False
    incremental: bool = True  # reuse .elenefolio-cache/ and rewrite only what changed
    jobs: int | None = None  # processes for loading, rendering and indexing (None: decide)
    force: bool = False  # replace a non-empty output folder that elenefolio did not write
    fork: bool = True  # load and render in forked processes when it pays (never once threads run)
    progress: Callable[[int, int], None] | None = None  # (pages done, pages in all)
    pdf: bool = False  # also write the education passport (or ``passport: true`` in the config)
    allow_remote: bool = False  # the passport fetches the artefacts' own pictures on other sites
    warm: object = None  # fastbuild.Warm: the last good site, kept by a long-running process
    defer_search: bool = False  # leave changed search shards for the next build (serve)

    @property
    def destination(self) -> Path:
        if self.output is not None:
            return self.output
        return self.root / (PRIVATE_OUTPUT if self.private else PUBLIC_OUTPUT)


@dataclass
class BuildResult:
    destination: Path
    pages: int
    files: int
    warnings: list[Problem]
    timings: dict[str, float] = field(default_factory=dict)
    written: int = 0  # files written (new or changed)
    unchanged: int = 0  # files left as they were
    removed: int = 0  # stale files removed
    rendered: int = 0  # pages rendered (the others were unchanged)
    rendered_urls: list[str] = field(default_factory=list)
    passport: object = None  # passport.PassportResult when the build made the PDF
    search_deferred: bool = False  # the search index is behind the pages (``defer_search``)

    @property
    def seconds(self) -> float:
        return sum(self.timings.values())


def build(options: BuildOptions) -> BuildResult:
    """Build the site; raises BuildFailed with every problem when it cannot (``WriteFailed``,
    one problem, when the file system refused a write: full, read-only...)."""
    from elenefolio import seal

    seal.take_discarded()
    try:
        if options.incremental:
            from elenefolio.fastbuild import incremental_build

            result = incremental_build(options)
        else:
            result = clean_build(options)
    except OSError as exc:
        from elenefolio.write import write_failure

        raise write_failure(exc, options.destination.resolve(), options.root.resolve()) from None
    result.warnings = [*cache_warnings(), *result.warnings]
    return result


def cache_warnings() -> list[Problem]:
    """The warning of a build that found cache files it did not write (once, whatever their
    number; it is not about the portfolio, so it does not fail a strict build)."""
    from elenefolio import seal
    from elenefolio.incremental import CACHE_DIR

    return [Problem(CACHE_DIR, 1, seal.DISCARDED_MESSAGE, "warning")] if seal.take_discarded() else []


def stopwatch() -> tuple[dict[str, float], Callable[[str], None]]:
    """The time of each named stage: ``lap(stage)`` adds the time since the previous lap."""
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[stage] = timings.get(stage, 0.0) + now - clock
        clock = now
    return timings, lap


def start(options: BuildOptions) -> tuple[Path, Problems, Path]:
    """The portfolio folder, a fresh problem list and the output folder, once it is known
    that building there cannot destroy the portfolio or unrelated files."""
    from elenefolio.write import UnsafeOutput, check_output_folder, remove_leftovers

    root = options.root.resolve()
    problems = Problems(root)
    destination = options.destination.resolve()
    try:
        check_output_folder(destination, root, options.force)
    except UnsafeOutput as exc:
        problems.error(destination, 1, str(exc))
        problems.raise_if_errors()
    remove_leftovers(destination)
    return root, problems, destination


def clean_build(options: BuildOptions) -> BuildResult:
    """Build everything from scratch, without reading or writing the cache."""
    # imported here so that commands that do not build (and no-change builds) start fast
    from elenefolio.honesty import check_honesty
    from elenefolio.load import load_portfolio
    from elenefolio.render import Renderer
    from elenefolio.site import build_site
    from elenefolio.site.audience import Audience
    from elenefolio.write import SiteWriter

    timings, lap = stopwatch()
    root, problems, destination = start(options)
    portfolio = load_portfolio(root, problems, options.base_url)
    problems.raise_if_errors(options.strict)
    lap("load")
    site = build_site(portfolio, Audience(private=options.private, drafts=options.drafts), problems)
    with_passport = prepare_passport(site, options, problems)
    problems.raise_if_errors(options.strict)
    lap("site")
    writer = SiteWriter(destination)
    try:
        renderer = Renderer(site, problems)
        search = SearchCollector(destination, jobs=options.jobs)
        passport = write_site(site, renderer, writer, search, with_passport, problems,
                              options.strict, lap, allow_remote=options.allow_remote)
        writer.commit()
    except BaseException:
        writer.abort()
        raise
    lap("write")
    return BuildResult(destination, len(site.pages), writer.count, problems.warnings, timings,
                       written=writer.count, rendered=len(site.pages), passport=passport)


def write_site(site, renderer, writer, search: SearchCollector, with_passport: bool,
               problems: Problems, strict: bool, lap: Callable[[str], None],
               defer_search: bool = False, allow_remote: bool = False):
    """The outputs of both build paths: the rendered site, its search index, the passport.
    Returns the passport's result (None without a passport)."""
    writer.add_all(search.watch(renderer.outputs()))
    problems.raise_if_errors(strict)
    lap("render")
    search.write(writer, problems, problems.root, defer=defer_search)
    lap("search")
    if not with_passport:
        return None
    passport = add_passport(site, renderer, writer, allow_remote)
    problems.extend(passport.warnings)
    problems.raise_if_errors(strict)
    lap("passport")
    return passport


def prepare_passport(site, options: BuildOptions, problems: Problems) -> bool:
    """Whether this build makes passport.pdf; its address is reserved on the site."""
    if not (options.pdf or site.config.passport):
        return False
    from elenefolio.passport import PASSPORT_FILE

    site.passport_url = PASSPORT_FILE
    for asset in site.assets:
        if asset.url == PASSPORT_FILE:
            problems.error(asset.source, 1, f"this file would replace the generated "
                                            f"'{PASSPORT_FILE}'; rename or move it")
    return True


def add_passport(site, renderer, writer, allow_remote: bool = False):
    """Add passport.pdf to the site (reused from the cache when nothing changed)."""
    from elenefolio.passport import make_passport
    from elenefolio.render import Output

    result = make_passport(site, paper=site.config.passport_paper, theme=renderer.theme,
                           allow_remote=allow_remote)
    writer.add(Output(site.passport_url, source=result.path))
    return result


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
        from elenefolio.render import Output
        from elenefolio.write.search import SearchIndexError

        manifest = getattr(writer, "manifest", None)  # output file -> (hash, size, time stamp)
        try:
            keep = self.index.write(
                lambda path, data: writer.add(Output(path, data)),
                hash_of=(lambda path: manifest[path][0]) if manifest is not None else None,
                intact=getattr(writer, "intact", None),
                read=lambda path: (self.destination / path).read_bytes(),
                old=getattr(writer, "old", None) or (), jobs=self.jobs, defer=defer)
        except SearchIndexError as exc:
            problems.error(root / "portfolio.yaml", None, str(exc))
            problems.raise_if_errors()
        for path in keep:
            writer.keep(path)


def check(root: Path, base_url: str | None = None) -> list[Problem]:
    """Every validation of a build, without writing anything: the problems found (and the
    starter text left in what the site publishes, which only ``check`` reports)."""
    from elenefolio.honesty import check_honesty
    from elenefolio.load import load_portfolio
    from elenefolio.render import Renderer
    from elenefolio.render.published import Publisher
    from elenefolio.scaffold import gitignore_gaps
    from elenefolio.site import build_site, media_without_text
    from elenefolio.site.audience import Audience

    root = root.resolve()
    problems = Problems(root)
    gaps = gitignore_gaps(root)
    if gaps:
        problems.warning(root / ".gitignore", 1, "lacks " + ", ".join(f"'{line}'" for line in gaps)
                         + ": add these lines so that private copies, build leftovers and private "
                           "exports are never committed")
    portfolio = load_portfolio(root, problems, base_url)
    if portfolio is not None:
        check_honesty(portfolio, problems)
    if portfolio is not None and not problems.errors:
        site = build_site(portfolio, Audience(), problems)
        media_without_text(site, problems)
        if not problems.errors:
            # SVG images are checked; photos are left as they are (cleaning them is the
            # build's work, a slow one without the build's cache)
            publisher = Publisher(problems, keep_metadata=True, variants=False)  # nor copies made
            for _output in Renderer(site, problems, publisher=publisher).outputs():
                pass  # rendering reports template problems; nothing is written
    return problems.sorted()
