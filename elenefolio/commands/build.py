"""``elenefolio build``: build the website."""

from __future__ import annotations

import sys
from pathlib import Path

from elenefolio.commands.common import failure_summary, portfolio_argument, print_problems, shown_path

HELP = "build the website"


def register(sub) -> None:
    p = sub.add_parser(
        "build",
        help=HELP,
        description="Build the website of the portfolio at PATH. Only public "
        "content is published unless --private is given.",
    )
    portfolio_argument(p)
    p.add_argument(
        "-o",
        "--output",
        metavar="DIR",
        type=Path,
        help="where to write the site (default: PATH/_site, or PATH/_private with --private; "
        "with --offline, PATH/_offline or PATH/_offline-private)",
    )
    p.add_argument(
        "--offline",
        action="store_true",
        help="build a copy that works without a web server: opened from a folder, a USB stick "
        "or an unpacked e-mail attachment (links name their index.html, search runs from the "
        "page itself)",
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="replace the output folder even when it holds files elenefolio did not write (they are deleted)",
    )
    p.add_argument("--drafts", action="store_true", help="include items marked 'draft: true'")
    p.add_argument(
        "--private",
        action="store_true",
        help="build your personal copy with private and unlisted items too; "
        "every page carries a 'private copy' banner",
    )
    p.add_argument(
        "--base-url", metavar="URL", help="the address where the site will live, overriding base_url"
    )
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument(
        "--pdf",
        action="store_true",
        help="also write the education passport, passport.pdf, and link it from the "
        "home page (same as 'passport: true' in portfolio.yaml)",
    )
    p.add_argument(
        "--allow-remote",
        action="store_true",
        help="with the passport: fetch the pictures of artefacts' media that are "
        "addresses on other sites and put them in it (nothing else is ever fetched)",
    )
    add_feedback_arguments(p)


def add_feedback_arguments(p) -> None:
    """--quiet, --verbose, --jobs and --no-cache, shared with ``serve``."""
    loudness = p.add_mutually_exclusive_group()
    loudness.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    loudness.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="also print the time of each stage and the pages rendered",
    )
    p.add_argument(
        "-j",
        "--jobs",
        type=int,
        metavar="N",
        help="load, render and index for search with at most N processes "
        "(default: several for large cold builds)",
    )
    p.add_argument(
        "--no-cache",
        dest="incremental",
        action="store_false",
        help="build everything from scratch, ignoring and leaving .elenefolio-cache/",
    )


def run(args) -> int:
    from elenefolio.pipeline import BuildOptions, build
    from elenefolio.problems import BuildFailed
    from elenefolio.util.progress import ProgressBar, summary, timings
    from elenefolio.write import WriteFailed

    progress = ProgressBar(enabled=not args.quiet)
    options = BuildOptions(
        root=args.path,
        output=args.output,
        drafts=args.drafts,
        private=args.private,
        base_url=args.base_url,
        strict=args.strict,
        pdf=args.pdf,
        allow_remote=args.allow_remote,
        incremental=args.incremental,
        jobs=args.jobs,
        progress=progress,
        force=args.force,
        offline=args.offline,
    )
    try:
        result = build(options)
    except WriteFailed as failed:  # the line says it all
        progress.close()
        print_problems(failed.problems)
        return 1
    except BuildFailed as failed:
        progress.close()
        print_problems(failed.problems)
        print(
            f"build failed: {failure_summary(failed.problems, failed.strict)}; "
            "the previous site was left as it was",
            file=sys.stderr,
        )
        return 1
    progress.close()
    print_problems(result.warnings)
    if not args.quiet:
        kind = "private copy" if args.private else "site"
        if args.offline:
            kind = f"offline {kind}"
        if result.hooks:  # code from the portfolio (or installed plugins) ran: say which
            print(f"hooks run: {', '.join(result.hooks)}")
        print(summary(result, kind, shown_path(result.destination)))
        if result.passport is not None:
            state = "unchanged, reused" if result.passport.cached else "made"
            print(f"passport {state}: {result.passport.pages} pages in {result.passport.seconds:.2f} s")
        if args.verbose:
            print(timings(result))
            for url in result.rendered_urls:
                print(f"  rendered /{url}")
    return 0
