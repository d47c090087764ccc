"""A build's options and result; the stages themselves run in ``pipeline.Builder``."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from elenefolio.problems import Problem

if TYPE_CHECKING:
    from elenefolio.incremental import InputWatch
    from elenefolio.incremental.fastbuild import Warm
    from elenefolio.passport import PassportResult

PUBLIC_OUTPUT = "_site"
PRIVATE_OUTPUT = "_private"
OFFLINE_OUTPUT = "_offline"  # ``build --offline``: a site that browses from file://
PRIVATE_OFFLINE_OUTPUT = "_offline-private"


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
    warm: Warm | None = None  # the last good site, kept by a long-running process
    defer_search: bool = False  # leave changed search shards for the next build (serve)
    offline: bool = False  # links name their index.html and search runs from file:// (no Pagefind)
    # write only the changed files into the output, in place, and remove only the files the
    # previous build made and this one does not (serve's saves; see write.incremental)
    in_place: bool = False
    inputs: InputWatch | None = None  # the input files as the watcher of ``serve`` saw them change

    @property
    def destination(self) -> Path:
        if self.output is not None:
            return self.output
        if self.offline:
            return self.root / (PRIVATE_OFFLINE_OUTPUT if self.private else OFFLINE_OUTPUT)
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
    passport: PassportResult | None = None  # when the build made the PDF
    search_deferred: bool = False  # the search index is behind the pages (``defer_search``)
    hooks: list[str] = field(default_factory=list)  # the hook files and plugins that ran

    @property
    def seconds(self) -> float:
        return sum(self.timings.values())


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
