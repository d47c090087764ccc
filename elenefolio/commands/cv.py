"""``elenefolio cv``: a one- or two-page CV from the portfolio, as PDF or HTML."""

from __future__ import annotations

import sys
from pathlib import Path

from elenefolio.commands.common import (
    failure_summary,
    find_collection,
    portfolio_argument,
    print_problems,
    shown_path,
    write_error,
    write_replacing,
)

HELP = "make a one- or two-page CV (PDF or HTML)"


def register(sub) -> None:
    p = sub.add_parser(
        "cv",
        help=HELP,
        description="Make a CV of the portfolio at PATH, on one or two pages: your name, "
        "headline and links, a short profile, the skills with the most evidence (each with "
        "its strongest pieces), selected work, education and courses, and badges, in the "
        "portfolio's language and the theme's typefaces. Only public content is included "
        "unless --private is given.",
    )
    portfolio_argument(p)
    p.add_argument(
        "--collection",
        metavar="NAME",
        help="a CV for one collection (collections/NAME.yaml): its introduction as the "
        "profile, the skills it highlights and its items as the selected work",
    )
    p.add_argument(
        "--format",
        choices=("pdf", "html"),
        default="pdf",
        help="a tagged PDF (default) or one self-contained HTML file",
    )
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        type=Path,
        help="where to write it (default: PATH/cv.pdf or PATH/cv.html; cv-NAME.* with "
        "--collection; cv-private* with --private)",
    )
    p.add_argument(
        "--private",
        action="store_true",
        help="include private and unlisted items; the CV says 'private copy'",
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


def run(args) -> int:
    from elenefolio.passport.cv import make_cv
    from elenefolio.pipeline import Builder
    from elenefolio.problems import BuildFailed

    builder = Builder.reading(args.path, args.base_url, private=args.private)
    root, problems = builder.root, builder.problems
    try:
        portfolio = builder.load()
        site = builder.site(portfolio)
    except BuildFailed as failed:
        print_problems(failed.problems)
        print(f"cv failed: {failure_summary(failed.problems, False)}", file=sys.stderr)
        return 1
    print_problems(problems.warnings)
    collection = None
    if args.collection is not None:
        collection = find_collection(site, args.collection)
        if isinstance(collection, str):
            print(collection, file=sys.stderr)
            return 1
    paper = args.paper or portfolio.config.passport_paper
    try:
        result = make_cv(site, args.format, paper=paper, collection=collection)
    except BuildFailed as failed:
        print_problems(failed.problems)
        print(f"cv failed: {failure_summary(failed.problems, False)}", file=sys.stderr)
        return 1
    print_problems(result.warnings)
    name = "cv-private" if args.private else "cv"
    if collection is not None:
        name += f"-{collection.name}"
    output = args.output or root / f"{name}.{args.format}"
    if output.is_dir():
        print(f"{output}:1: -o must name a file, not a folder", file=sys.stderr)
        return 1
    try:
        write_replacing(output, lambda tmp: Path(tmp).write_bytes(result.data))
    except OSError as exc:
        print(write_error(output, exc), file=sys.stderr)
        return 1
    pages = f"{result.pages} page{'s' if result.pages != 1 else ''}, " if result.pages else ""
    print(f"cv made: {pages}{args.format.upper()} → {shown_path(output)}")
    return 0
