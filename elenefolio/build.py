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
    jobs: int | None = None  # processes for rendering (None: decide from the size of the site)
    progress: Callable[[int, int], None] | None = None  # (pages done, pages in all)

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

    @property
    def seconds(self) -> float:
        return sum(self.timings.values())


def build(options: BuildOptions) -> BuildResult:
    """Build the site; raises BuildFailed with every problem when it cannot."""
    if options.incremental:
        from elenefolio.fastbuild import incremental_build

        return incremental_build(options)
    return clean_build(options)


def clean_build(options: BuildOptions) -> BuildResult:
    """Build everything from scratch, without reading or writing the cache."""
    # imported here so that commands that do not build (and no-change builds) start fast
    from elenefolio.load import load_portfolio
    from elenefolio.render import Renderer
    from elenefolio.site import build_site
    from elenefolio.site.audience import Audience
    from elenefolio.write import SiteWriter, UnsafeOutput, check_output_folder

    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[stage] = now - clock
        clock = now

    root = options.root.resolve()
    problems = Problems(root)
    destination = options.destination.resolve()
    try:
        check_output_folder(destination, root)
    except UnsafeOutput as exc:
        problems.error(destination, 1, str(exc))
        problems.raise_if_errors()
    portfolio = load_portfolio(root, problems, options.base_url)
    problems.raise_if_errors(options.strict)
    lap("load")
    site = build_site(portfolio, Audience(private=options.private, drafts=options.drafts), problems)
    problems.raise_if_errors(options.strict)
    lap("site")
    writer = SiteWriter(destination)
    try:
        renderer = Renderer(site, problems)
        writer.add_all(renderer.outputs())
        problems.raise_if_errors(options.strict)
        lap("render")
        writer.commit()
    except BaseException:
        writer.abort()
        raise
    lap("write")
    return BuildResult(destination, len(site.pages), writer.count, problems.warnings, timings,
                       written=writer.count, rendered=len(site.pages))
