"""``elenefolio passport``: the education passport as a PDF."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from elenefolio.commands.common import (
    failure_summary,
    portfolio_argument,
    print_problems,
    shown_path,
    write_error,
    write_replacing,
)

HELP = "make the education passport (PDF)"


def register(sub) -> None:
    p = sub.add_parser(
        "passport",
        help=HELP,
        description="Make the education passport of the portfolio at PATH: one "
        "tagged PDF/A-3a file with the profile, skills, featured work, journal "
        "highlights and all public evidence, with the portfolio's data "
        "attached as portfolio.json. Only public content is included "
        "unless --private is given.",
    )
    portfolio_argument(p)
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        type=Path,
        help="where to write the PDF (default: PATH/passport.pdf, or "
        "PATH/passport-private.pdf with --private)",
    )
    p.add_argument(
        "--private",
        action="store_true",
        help="a personal passport that includes private and unlisted items; every page says 'private copy'",
    )
    p.add_argument(
        "--paper",
        choices=("a4", "letter"),
        default=None,
        help="paper size (default: the portfolio's passport setting, or a4)",
    )
    p.add_argument(
        "--base-url", metavar="URL", help="the address of the online portfolio, overriding base_url"
    )
    p.add_argument(
        "--allow-remote",
        action="store_true",
        help="fetch the pictures of artefacts' media that are addresses on other sites "
        "and put them in the passport (nothing else is ever fetched)",
    )
    p.add_argument(
        "--force", action="store_true", help="render again even when nothing changed since the last passport"
    )


def run(args) -> int:
    from elenefolio.passport import make_passport
    from elenefolio.pipeline import Builder, cache_warnings
    from elenefolio.problems import BuildFailed

    builder = Builder.reading(args.path, args.base_url, private=args.private)
    root, problems = builder.root, builder.problems
    try:
        portfolio = builder.load()
        site = builder.site(portfolio)
    except BuildFailed as failed:
        print_problems(failed.problems)
        print(f"passport failed: {failure_summary(failed.problems, False)}", file=sys.stderr)
        return 1
    print_problems(problems.warnings)
    paper = args.paper or portfolio.config.passport_paper
    try:
        result = make_passport(site, paper=paper, use_cache=not args.force, allow_remote=args.allow_remote)
    except BuildFailed as failed:
        print_problems(failed.problems)
        print(f"passport failed: {failure_summary(failed.problems, False)}", file=sys.stderr)
        return 1
    print_problems([*result.warnings, *cache_warnings()])
    output = args.output or root / ("passport-private.pdf" if args.private else "passport.pdf")
    if output.is_dir():
        print(f"{output}:1: -o must name a file, not a folder", file=sys.stderr)
        return 1
    try:
        write_replacing(output, lambda tmp: shutil.copyfile(result.path, tmp))
    except OSError as exc:
        print(write_error(output, exc), file=sys.stderr)
        return 1
    state = "unchanged, reused" if result.cached else "made"
    print(f"passport {state}: {result.pages} pages in {result.seconds:.2f} s → {shown_path(output)}")
    return 0
