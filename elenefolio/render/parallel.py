"""Rendering the pages of a large cold build in several processes.

The worker processes are forked after the site is built, so they share
it without copying or pickling it; each renders a slice of the pages and
sends back bytes, the dependency records and any problem. Pages come back
in the site's order, so the output is the same as a serial render.
"""

from __future__ import annotations

import multiprocessing
import os
from typing import Callable, Iterator

from elenefolio.render import Renderer
from elenefolio.render.output import Output
from elenefolio.site import urls

_RENDERER: Renderer | None = None  # set in the parent just before forking
CHUNK = 64


def available() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and (os.cpu_count() or 1) > 1


def _render_chunk(bounds: tuple[int, int]) -> list[list]:
    import gc

    renderer = _RENDERER
    assert renderer is not None  # the workers are forked after it is set
    tracker = renderer.tracker
    problems = renderer.problems
    start_problems = len(problems.items)
    done = []
    # Rendering leaves some cyclic garbage (about 120 objects a page): it is collected once
    # per slice rather than by the collector's many runs while the pages render.
    gc.disable()
    try:
        for page in renderer.site.pages[bounds[0] : bounds[1]]:
            data = renderer.render_page(page)
            record = tracker.new.get(page.url) if tracker is not None else None
            done.append((page.url, data, record))
    finally:
        gc.collect()
    return [done, problems.items[start_problems:]]


def parallel_pages(
    renderer, jobs: int, progress: Callable[[int, int], None] | None = None
) -> Iterator[Output]:
    """The HTML pages, rendered by ``jobs`` processes (in the site's order)."""
    global _RENDERER
    pages = renderer.site.pages
    total = len(pages)
    chunk = max(8, min(CHUNK, total // (jobs * 4) or 1))
    bounds = [(i, min(i + chunk, total)) for i in range(0, total, chunk)]
    for name in sorted({page.template for page in pages}):  # compile once, before forking
        try:
            renderer.env.get_template(name)
        except Exception:  # reported with its page by the worker that renders it
            pass
    _RENDERER = renderer
    done_count = 0
    searchable = {page.url for page in renderer.site.pages if page.searchable}
    import gc

    gc.collect()
    gc.freeze()  # the children's collector then leaves the shared site alone (no copy on write)
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(jobs) as pool:
            for done, found in pool.imap(_render_chunk, bounds):
                renderer.problems.extend(found)
                for url, data, record in done:
                    if record is not None:
                        renderer.tracker.adopt(url, record)
                    if data is not None:
                        yield Output(urls.output_file(url), data, searchable=url in searchable)
                done_count += len(done)
                if progress is not None:
                    progress(done_count, total)
    finally:
        gc.unfreeze()
        _RENDERER = None
