"""``elenefolio deploy``: build the public site and push only the site to a branch."""

from __future__ import annotations

import sys
from pathlib import Path

from elenefolio.commands.common import failure_summary, portfolio_argument, print_problems

HELP = "build the public site and push only the built site to a branch of a remote"


def register(sub) -> None:
    p = sub.add_parser(
        "deploy",
        help=HELP,
        description="Build the public site of the portfolio at PATH and commit only "
        "the built site, as a new commit on BRANCH of REMOTE, then push "
        "it. Your portfolio's own files and history are never pushed. "
        "See docs/publishing.md.",
    )
    portfolio_argument(p)
    p.add_argument(
        "--remote",
        required=True,
        metavar="REMOTE",
        help="where the site goes: a remote of the portfolio's repository (e.g. origin), a URL or a folder",
    )
    p.add_argument(
        "--branch",
        default="gh-pages",
        metavar="BRANCH",
        help="the branch that holds the built site (default: gh-pages)",
    )
    p.add_argument(
        "-m",
        "--message",
        metavar="TEXT",
        help="the commit message (the source commit is always named below it)",
    )
    p.add_argument(
        "--base-url", metavar="URL", help="the address where the site will live, overriding base_url"
    )
    p.add_argument(
        "--dry-run", action="store_true", help="build and say what would be pushed, without pushing"
    )
    p.add_argument("--private", action="store_true", help="refused: a private copy is never deployed")
    p.add_argument("--drafts", action="store_true", help="refused: drafts are never deployed")


def _refuse(message: str) -> int:
    print(f"deploy: {message}", file=sys.stderr)
    return 1


def run(args) -> int:
    from elenefolio.pipeline import BuildOptions, build
    from elenefolio.problems import BuildFailed
    from elenefolio.publish.deploy import (
        DeployError,
        SourceRepo,
        identity,
        plan,
        push,
        resolve_target,
        temporary_folder,
    )

    if args.private or args.drafts:
        flag = "--private" if args.private else "--drafts"
        return _refuse(
            f"refusing {flag}: deploy publishes only the public site; use "
            f"'elenefolio build {flag}' to see your own copy"
        )
    root = args.path.resolve()
    if not (root / "portfolio.yaml").is_file():
        return _refuse(f"{args.path / 'portfolio.yaml'}:1: not a portfolio folder (no portfolio.yaml)")
    source = SourceRepo.of(root)
    try:
        target = resolve_target(args.remote, args.branch, source, Path.cwd())
    except DeployError as exc:
        return _refuse(str(exc))
    try:
        result = build(BuildOptions(root=root, base_url=args.base_url))
    except BuildFailed as failed:
        print_problems(failed.problems)
        return _refuse(
            f"the portfolio has {failure_summary(failed.problems, failed.strict)}; nothing was pushed"
        )
    print_problems(result.warnings)
    with temporary_folder() as work:
        try:
            planned = plan(result.destination, target, source, Path(work), args.message, identity(source))
            if not planned.changed:
                print(f"deploy: {target} already holds this site; nothing to push")
                return 0
            on = f"on {planned.previous[:12]}" if planned.previous else "as the branch's first commit"
            if args.dry_run:
                print(
                    f"would push {planned.files} files to {target} as commit {planned.commit[:12]} "
                    f"{on}: {planned.message.splitlines()[-1]}"
                )
                return 0
            push(planned, Path(work))
        except DeployError as exc:
            return _refuse(f"{exc}; nothing was pushed")
    print(f"deployed {planned.files} files to {target}: commit {planned.commit[:12]} {on}")
    return 0
