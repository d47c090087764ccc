"""``elenefolio cohort``: build or check every portfolio of a class, and the tutor's overview."""

from __future__ import annotations

import sys
from pathlib import Path

HELP = "build or check every portfolio of a class (a roster), with an overview for the tutor"


def register(sub) -> None:
    p = sub.add_parser(
        "cohort",
        help=HELP,
        description="Build or check the portfolios a roster lists (folders or git repositories), "
        "in one pool of worker processes or on a Dask cluster. See docs/institutions.md.",
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    build = actions.add_parser(
        "build",
        help="build every learner's site into OUT/<id>/ and the overview OUT/index.html, OUT/cohort.json",
        description="Build every learner's public site into OUT/<id>/ (its address: the roster's "
        "base_url followed by <id>/), then the tutor's overview from what the sites publish. A "
        "portfolio that fails is reported under its id and its previous site is left as it was.",
    )
    build.add_argument("roster", metavar="ROSTER", type=Path, help="the roster (a YAML file)")
    build.add_argument(
        "-o", "--output", metavar="OUT", type=Path, required=True, help="the folder of the cohort's sites"
    )
    _common(build)
    build.add_argument("--pdf", action="store_true", help="also write each learner's education passport")
    check = actions.add_parser(
        "check",
        help="check every learner's portfolio, one report",
        description="Run 'elenefolio check' on every portfolio of the roster; one report, "
        "each problem as 'id/path:line: message'.",
    )
    check.add_argument("roster", metavar="ROSTER", type=Path, help="the roster (a YAML file)")
    _common(check)


def _common(p) -> None:
    p.add_argument(
        "-j", "--jobs", type=int, metavar="N", help="worker processes (default: one per processor)"
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run on the Dask cluster whose scheduler is at ADDRESS (tcp://host:8786); "
        "needs  pip install 'elenefolio[dask]'  and a file system the workers share",
    )
    p.add_argument(
        "--cache",
        metavar="DIR",
        type=Path,
        help="where learners listed with 'git' are cloned (default: in your user cache folder)",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="print only problems and the summary")


def run(args) -> int:
    from elenefolio.cohort.overview import cohort_data, read_previous, write_overview
    from elenefolio.cohort.roster import read_roster
    from elenefolio.cohort.run import SchedulerFailed, default_jobs, run_all, tasks_for
    from elenefolio.cohort.sources import default_cache
    from elenefolio.commands.common import print_problems, shown_path
    from elenefolio.problems import Problems

    problems = Problems(Path.cwd())
    if not args.roster.is_file():
        print(f"{args.roster}:1: no such roster file", file=sys.stderr)
        return 1
    roster = read_roster(args.roster, problems)
    if roster is None:
        print_problems(problems.sorted())
        return 1
    if args.jobs is not None and args.jobs < 1:
        print("--jobs must be 1 or more", file=sys.stderr)
        return 1
    checking = args.action == "check"
    output = None if checking else args.output.resolve()
    if output is not None:
        refusal = _unsafe_output(output, roster)
        if refusal:
            print(refusal, file=sys.stderr)
            return 1
    previous = read_previous(output) if output is not None else {}
    cache = (args.cache or default_cache(args.roster)).resolve()
    tasks = tasks_for(
        roster,
        output or Path("."),
        cache,
        pdf=getattr(args, "pdf", False),
        check_only=checking,
        previous=previous,
    )
    jobs = args.jobs or default_jobs()

    failures: list[str] = []

    def progress(outcome, done: int, total: int) -> None:
        if not outcome.ok:
            failures.append(outcome.id)
        if args.quiet:
            return
        count = f"{done}/{total}" + (f", {len(failures)} failed" if failures else "")
        if outcome.ok:
            state = "checked" if checking else ("built" if outcome.changed else "up to date")
        else:
            state = f"failed ({outcome.errors} error(s))"
        print(f"[{count}] {outcome.id}: {state} in {outcome.seconds:.1f} s", file=sys.stderr)

    try:
        outcomes = run_all(tasks, jobs, args.scheduler, progress)
    except SchedulerFailed as exc:
        print(f"cohort: {exc}", file=sys.stderr)
        return 1
    failed = [o for o in outcomes if not o.ok]
    for outcome in outcomes:
        for line in outcome.problems:
            print(line, file=sys.stderr if not outcome.ok else sys.stdout)
    warnings = sum(o.warnings for o in outcomes)
    if output is not None:
        try:
            write_overview(roster, cohort_data(roster, outcomes), output)
        except OSError as exc:
            print(f"{output}:1: the overview cannot be written: {exc.strerror or exc}", file=sys.stderr)
            return 1
    verb = "checked" if checking else "built"
    summary = f"cohort {args.action}: {len(outcomes) - len(failed)} of {len(outcomes)} portfolio(s) {verb}"
    if failed:
        summary += f"; failed: {', '.join(o.id for o in failed)}"
    if warnings:
        summary += f"; {warnings} warning(s)"
    if output is not None:
        summary += f" → {shown_path(output)}/index.html"
    print(summary, file=sys.stderr if failed else sys.stdout)
    return 1 if failed else 0


def _unsafe_output(output: Path, roster) -> str:
    """Why the cohort must not be written into ``output`` ("" when it may)."""
    for learner in roster.learners:
        if learner.path is None:
            continue
        if (
            output == learner.path
            or learner.path.is_relative_to(output)
            and output / learner.id == learner.path
        ):
            return f"{output}:1: the output folder would replace learner '{learner.id}''s portfolio; choose another -o"
        if output.is_relative_to(learner.path):
            return f"{output}:1: the output folder is inside learner '{learner.id}''s portfolio; choose a folder outside it"
    if output.is_dir() and any(output.iterdir()) and not (output / "cohort.json").is_file():
        return (
            f"{output}:1: this folder is not empty and holds no cohort.json: elenefolio writes a cohort "
            "only into a new folder or one it wrote before"
        )
    return ""
