"""Building (or checking) every learner's portfolio: one task per learner, run by a pool of
worker processes on this machine, or by the workers of a Dask cluster.

A task carries only plain values (paths as text), so that the same function runs in a
forked worker and on a Dask worker on another machine; the portfolios, the clone cache and
the output folder must then be on a file system every worker sees (docs/institutions.md).
A task never raises: whatever goes wrong becomes the learner's problems, so one broken
portfolio never stops the others.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from elenefolio.cohort.roster import Learner, Roster


@dataclass(frozen=True)
class Task:
    id: str
    output: str  # OUT/<id>
    base_url: str
    root: str = ""  # the portfolio folder, or, for a repository, where it is cloned
    git: str = ""
    ref: str = ""
    pdf: bool = False
    check_only: bool = False
    previous: dict | None = None  # the learner's summary in the last overview


@dataclass
class Outcome:
    id: str
    ok: bool
    problems: list[str] = field(default_factory=list)  # "id/path:line: message", one line each
    errors: int = 0
    warnings: int = 0
    summary: dict | None = None  # what the overview shows (from the public portfolio.json)
    seconds: float = 0.0
    changed: bool = True  # the site was written again (False: it was up to date)


def tasks_for(
    roster: Roster,
    output: Path,
    cache: Path,
    pdf: bool = False,
    check_only: bool = False,
    previous: dict[str, dict] | None = None,
) -> list[Task]:
    previous = previous or {}

    def root(learner: Learner) -> str:
        return str(learner.path if learner.path is not None else cache / learner.id)

    return [
        Task(
            id=learner.id,
            output=str(output / learner.id),
            base_url=roster.site_url(learner),
            root=root(learner),
            git=learner.git,
            ref=learner.ref,
            pdf=pdf,
            check_only=check_only,
            previous=previous.get(learner.id),
        )
        for learner in roster.learners
    ]


def _lines(ident: str, problems) -> list[str]:
    out = []
    for p in problems:
        prefix = "warning: " if p.severity == "warning" else ""
        out.append(f"{ident}/{p.path}:{p.line}: {prefix}{p.message}")
    return out


def run_task(task: Task) -> Outcome:
    """Build (or check) one learner's portfolio; never raises."""
    start = time.perf_counter()
    try:
        outcome = _run(task)
    except Exception as exc:  # a fault of elenefolio, not of the portfolio: still one line
        outcome = Outcome(
            task.id, False, [f"{task.id}: internal error: {type(exc).__name__}: {exc}"], errors=1
        )
    outcome.seconds = time.perf_counter() - start
    return outcome


def _run(task: Task) -> Outcome:
    from elenefolio.problems import BuildFailed

    root = Path(task.root)
    if task.git:
        from elenefolio.cohort.sources import SourceFailed, fetch

        try:
            fetch(task.git, task.ref, root)
        except SourceFailed as exc:
            return Outcome(
                task.id,
                False,
                [f"{task.id}: cannot fetch {task.git}: {exc}"],
                errors=1,
                summary=task.previous,
            )
        except OSError as exc:
            return Outcome(
                task.id,
                False,
                [f"{task.id}: cannot fetch {task.git}: {exc.strerror or exc}"],
                errors=1,
                summary=task.previous,
            )
    if task.check_only:
        from elenefolio.pipeline import check

        problems = check(root, task.base_url)
        errors = sum(1 for p in problems if p.severity == "error")
        return Outcome(task.id, errors == 0, _lines(task.id, problems), errors, len(problems) - errors)

    from elenefolio.pipeline import BuildOptions, build

    kept: list[Any] = []
    options = BuildOptions(
        root=root,
        output=Path(task.output),
        base_url=task.base_url,
        pdf=task.pdf,
        jobs=1,  # the pool is the parallelism: one process per portfolio
        fork=False,
    )
    try:
        result = build(options, on_site=kept.append)
    except BuildFailed as failed:
        errors = sum(1 for p in failed.problems if p.severity == "error")
        return Outcome(
            task.id,
            False,
            _lines(task.id, failed.problems),
            errors,
            len(failed.problems) - errors,
            summary=task.previous,
        )
    warnings = _lines(task.id, result.warnings)
    changed = bool(kept)
    if kept:
        summary = learner_summary(task.id, kept[-1])
    elif task.previous is not None:
        summary = task.previous  # nothing changed since the last overview
    else:
        from elenefolio.pipeline import load_site

        site, _problems = load_site(root, base_url=task.base_url)
        summary = learner_summary(task.id, site)
    return Outcome(task.id, True, warnings, 0, len(warnings), summary, changed=changed)


def learner_summary(ident: str, site) -> dict:
    """What the overview shows of one learner: their public portfolio.json, summed up."""
    from elenefolio.export.manifest import build_manifest

    manifest = build_manifest(site)
    journal = [e for e in manifest["evidence"] if e["kind"] == "journal-entry"]
    artefacts = [e for e in manifest["evidence"] if e["kind"] == "artefact"]
    latest = manifest["assessments"][-1] if manifest["assessments"] else None
    names = {s["id"]: s["name"] for s in manifest["skills"]}
    return {
        "id": ident,
        "name": manifest["profile"]["name"],
        "title": manifest["title"],
        "url": manifest["url"],
        "language": manifest["language"],
        "framework": {"id": manifest["framework"]["id"], "name": manifest["framework"]["name"]},
        "entries": len(journal),
        "artefacts": len(artefacts),
        "last_entry": max((e["date"][:10] for e in journal), default=None),
        "skills": [
            {"id": s["id"], "name": s["name"], "evidence": s["evidence_count"]}
            for s in manifest["skills"]
            if s["evidence_count"]
        ],
        "latest_assessment": None
        if latest is None
        else {
            "date": latest["date"],
            "label": latest["label"],
            "url": latest["url"],
            "levels": [
                {
                    "skill": level["skill"],
                    "name": names.get(level["skill"], level["skill"]),
                    "level": level["level"],
                }
                for level in latest["levels"]
            ],
        },
    }


# -- where the tasks run ------------------------------------------------------------------


class SchedulerFailed(Exception):
    """The Dask scheduler could not be used (one line)."""


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def run_local(tasks: Sequence[Task], jobs: int) -> Iterator[Outcome]:
    """The tasks in a pool of ``jobs`` worker processes (forked: the package is loaded
    once, and each worker builds many portfolios), in the order they finish."""
    if jobs <= 1 or len(tasks) <= 1:
        for task in tasks:
            yield run_task(task)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    # the stages imported once here, before the workers are forked, not once per worker
    import elenefolio.export.manifest  # noqa: F401
    import elenefolio.load  # noqa: F401
    import elenefolio.pipeline  # noqa: F401
    import elenefolio.render  # noqa: F401
    import elenefolio.render.templates  # noqa: F401
    import elenefolio.site  # noqa: F401
    import elenefolio.write.incremental  # noqa: F401
    import elenefolio.write.search  # noqa: F401

    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=context) as pool:
        futures = {pool.submit(run_task, task): task for task in tasks}
        for future in as_completed(futures):
            task = futures[future]
            try:
                yield future.result()
            except Exception as exc:  # the worker died (killed, out of memory)
                yield Outcome(
                    task.id,
                    False,
                    [f"{task.id}: the worker building it stopped: {type(exc).__name__}: {exc}"],
                    errors=1,
                    summary=task.previous,
                )


def run_dask(tasks: Sequence[Task], address: str, timeout: float = 30) -> Iterator[Outcome]:
    """The tasks on the Dask cluster whose scheduler is at ``address``."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise SchedulerFailed(
            "--scheduler needs Dask: install it with  pip install 'elenefolio[dask]'"
        ) from None
    try:
        client = Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise SchedulerFailed(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    try:
        futures = {}
        for task in tasks:
            future = client.submit(
                run_task, task, pure=False, key=f"elenefolio-{task.id}-{os.getpid()}-{time.time_ns()}"
            )
            futures[future] = task
        for future in as_completed(list(futures), loop=client.loop):
            task = futures[future]
            try:
                yield future.result()
            except Exception as exc:  # the worker was lost, or cannot import elenefolio
                yield Outcome(
                    task.id,
                    False,
                    [f"{task.id}: the Dask worker building it failed: {type(exc).__name__}: {exc}"],
                    errors=1,
                    summary=task.previous,
                )
    finally:
        client.close()


def run_all(
    tasks: Sequence[Task],
    jobs: int,
    scheduler: str | None,
    progress: Callable[[Outcome, int, int], None] | None = None,
) -> list[Outcome]:
    outcomes = []
    source = run_dask(tasks, scheduler) if scheduler else run_local(tasks, jobs)
    for outcome in source:
        outcomes.append(outcome)
        if progress is not None:
            progress(outcome, len(outcomes), len(tasks))
    order = {task.id: i for i, task in enumerate(tasks)}
    return sorted(outcomes, key=lambda o: order[o.id])
