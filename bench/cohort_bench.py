"""Cohort benchmark: a class built with ``elenefolio cohort build`` (one pool of worker
processes) against separate ``elenefolio build`` runs, one process per portfolio.

    python bench/cohort_bench.py                  # 12 and 200 starter portfolios, 3 rounds
    python bench/cohort_bench.py --sizes 12 --rounds 5

Each learner is a starter portfolio as ``elenefolio init`` writes it (with a different name
and base_url). Every measure is a cold build (no output, no cache):

- separate: ``elenefolio build`` for each portfolio, one after another (a shell loop);
- separate ×J: the same runs, J at a time (``xargs -P J``), J = the number of processors;
- pool: ``elenefolio cohort build ROSTER -o OUT`` with one worker per processor.

The measures of a size are interleaved (each round runs every measure once) and the median
of the rounds is reported with the load average, as in build_bench.py. Results are printed
as a table and saved in bench/out/cohort.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = ".elenefolio-cache"


def make_class(folder: Path, size: int) -> Path:
    from elenefolio.scaffolds.starter import init_portfolio

    learners = []
    for i in range(1, size + 1):
        ident = f"s{i:03d}"
        init_portfolio(
            folder / "students" / ident, name=f"Learner {i}", base_url=f"https://class.example.org/{ident}/"
        )
        learners.append(f"  - {{id: {ident}, path: students/{ident}}}")
    roster = folder / "roster.yaml"
    roster.write_text(
        "title: Benchmark class\nbase_url: https://class.example.org/\nlearners:\n"
        + "\n".join(learners)
        + "\n",
        encoding="utf-8",
    )
    return roster


def clean(folder: Path) -> None:
    for cache in (folder / "students").glob(f"*/{CACHE}"):
        shutil.rmtree(cache)
    for out in ("sep", "out"):
        shutil.rmtree(folder / out, ignore_errors=True)


def timed(run) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def build_one(folder: Path, ident: str) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "elenefolio",
            "build",
            str(folder / "students" / ident),
            "-o",
            str(folder / "sep" / ident),
            "-q",
            "--base-url",
            f"https://class.example.org/{ident}/",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def measure(size: int, rounds: int, jobs: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="cohort-bench-") as tmp:
        folder = Path(tmp)
        roster = make_class(folder, size)
        ids = [f"s{i:03d}" for i in range(1, size + 1)]

        def separate() -> None:
            for ident in ids:
                build_one(folder, ident)

        def separate_parallel() -> None:
            with ThreadPoolExecutor(jobs) as pool:
                list(pool.map(lambda ident: build_one(folder, ident), ids))

        def cohort() -> None:
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "elenefolio",
                    "cohort",
                    "build",
                    str(roster),
                    "-o",
                    str(folder / "out"),
                    "-q",
                    "--jobs",
                    str(jobs),
                ],
                check=True,
                stdout=subprocess.DEVNULL,
            )

        measures = {"separate": separate, f"separate ×{jobs}": separate_parallel, "pool": cohort}
        times: dict[str, list[float]] = {name: [] for name in measures}
        load_before = os.getloadavg()[0]
        for _ in range(rounds):
            for name, run in measures.items():
                clean(folder)
                times[name].append(timed(run))
        load_after = os.getloadavg()[0]
    medians = {name: statistics.median(values) for name, values in times.items()}
    return {
        "size": size,
        "rounds": rounds,
        "jobs": jobs,
        "medians": medians,
        "times": times,
        "pool_vs_separate": medians["pool"] / medians["separate"],
        "pool_vs_separate_parallel": medians["pool"] / medians[f"separate ×{jobs}"],
        "load": [load_before, load_after],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[12, 200])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    args = parser.parse_args()
    results = []
    print(
        f"{'learners':>8} {'separate':>10} {'separate ×J':>12} {'pool':>8} {'pool/separate':>14} {'pool/sep ×J':>12}  load"
    )
    for size in args.sizes:
        r = measure(size, args.rounds, args.jobs)
        m = r["medians"]
        sep_par = m[f"separate ×{args.jobs}"]
        print(
            f"{size:>8} {m['separate']:>9.1f}s {sep_par:>11.1f}s {m['pool']:>7.1f}s "
            f"{r['pool_vs_separate']:>13.2f}× {r['pool_vs_separate_parallel']:>11.2f}×  "
            f"{r['load'][0]:.1f}→{r['load'][1]:.1f}"
        )
        results.append(r)
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    (out / "cohort.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
