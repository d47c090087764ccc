"""What dates from git cost: a cold build of the same portfolio inside and outside git.

    python bench/git_dates_bench.py                # 1,000 entries, best of 3
    python bench/git_dates_bench.py --entries 5000 --commits 500

It generates the synthetic portfolio of build_bench.py, times cold builds (no output, no
cache) of it as a plain folder, then commits its files over COMMITS commits with set dates
(every file in one of them, some files again later) and times the same cold builds in the
git work tree. The CPU time of the build and its workers is compared as well as the wall
time: on a shared machine it is the steadier of the two. The target: at most 5 % more.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_bench import best, generate, run_ours  # noqa: E402

IDENTITY = {
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.org",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.org",
}


def _git(repo: Path, *args: str, date: str | None = None) -> None:
    env = dict(
        os.environ, **IDENTITY, **({"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date} if date else {})
    )
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def commit_history(portfolio: Path, commits: int) -> None:
    """Commit the portfolio's files over ``commits`` commits, one day apart, then change every
    tenth entry again in later commits (files with several commits)."""
    (portfolio / ".gitignore").write_text("_site/\n.elenefolio-cache/\n")
    _git(portfolio, "init", "-q", "-b", "main")
    for built in ("_site", ".elenefolio-cache"):
        shutil.rmtree(portfolio / built, ignore_errors=True)
    files = sorted(p for p in portfolio.rglob("*") if p.is_file() and ".git" not in p.parts)
    for k in range(commits):
        chunk = files[k::commits]
        _git(portfolio, "add", "--", *map(str, chunk))
        _git(
            portfolio,
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            f"Commit {k}",
            date=f"@{1735725600 + k * 86400} +0000",
        )
    entries = sorted((portfolio / "journal").rglob("*.md"))[::10]
    for k, entry in enumerate(entries[:commits]):
        entry.write_text(entry.read_text() + "\nRevised.\n")
        _git(portfolio, "commit", "-q", "-am", f"Revise {k}", date=f"@{1767261600 + k * 3600} +0000")


def cold(portfolio: Path, repeat: int) -> tuple[float, float]:
    """The best wall and CPU times of ``repeat`` cold builds."""
    walls, cpus = [], []
    for _ in range(repeat):
        shutil.rmtree(portfolio / "_site", ignore_errors=True)
        shutil.rmtree(portfolio / ".elenefolio-cache", ignore_errors=True)
        measured = run_ours(portfolio)
        walls.append(measured["seconds"])
        cpus.append(measured["cpu_s"])
    return best(walls), best(cpus)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--commits", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="elenefolio-gitbench-") as tmp:
        portfolio = generate(Path(tmp) / "folio", args.entries)["portfolio"]
        plain_wall, plain_cpu = cold(portfolio, args.repeat)
        commit_history(portfolio, args.commits)
        git_wall, git_cpu = cold(portfolio, args.repeat)
    result = {
        "entries": args.entries,
        "commits": args.commits,
        "load_average": os.getloadavg()[0],
        "cold_outside_git_s": plain_wall,
        "cold_in_git_s": git_wall,
        "wall_added_pct": 100 * (git_wall / plain_wall - 1),
        "cpu_outside_git_s": plain_cpu,
        "cpu_in_git_s": git_cpu,
        "cpu_added_pct": 100 * (git_cpu / plain_cpu - 1),
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
