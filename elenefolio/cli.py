"""The ``elenefolio`` command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from elenefolio import __version__

EPILOG = "Documentation: README.md, and docs/ in the elenefolio source."


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="elenefolio",
        description="Turn a folder of Markdown (journal, artefacts, skills) into a "
                    "publishable e-portfolio website.",
        epilog=EPILOG,
    )
    parser.add_argument("--version", action="version", version=f"elenefolio {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("init", help="create a new portfolio folder with examples",
                       description="Create a starter portfolio in DIR: portfolio.yaml, one "
                                   "journal entry of each kind, an artefact and a .gitignore.")
    p.add_argument("dir", metavar="DIR", type=Path, help="the folder to create (must be empty or new)")
    p.add_argument("--title", help="the portfolio's title")
    p.add_argument("--name", help="your name, as shown on the site")

    p = sub.add_parser("build", help="build the website",
                       description="Build the website of the portfolio at PATH. Only public "
                                   "content is published unless --private is given.")
    p.add_argument("path", metavar="PATH", nargs="?", type=Path, default=Path("."),
                   help="the portfolio folder (default: the current folder)")
    p.add_argument("-o", "--output", metavar="DIR", type=Path,
                   help="where to write the site (default: PATH/_site, or PATH/_private "
                        "with --private)")
    p.add_argument("--drafts", action="store_true", help="include items marked 'draft: true'")
    p.add_argument("--private", action="store_true",
                   help="build your personal copy with private and unlisted items too; "
                        "every page carries a 'private copy' banner")
    p.add_argument("--base-url", metavar="URL",
                   help="the address where the site will live, overriding base_url")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("-q", "--quiet", action="store_true", help="print only problems")

    p = sub.add_parser("new", help="start a new journal entry or artefact",
                       description="Write a new Markdown file with its front matter filled in, "
                                   "and print its path.")
    p.add_argument("what", choices=("journal", "artefact"), help="what to create")
    p.add_argument("title", help="the title, in quotes")
    p.add_argument("--path", metavar="PATH", type=Path, default=Path("."),
                   help="the portfolio folder (default: the current folder)")
    p.add_argument("--skills", nargs="+", metavar="SKILL", default=[],
                   help="skill ids, e.g. teamwork communication")
    p.add_argument("--date", help="the date, YYYY-MM-DD (default: today)")
    p.add_argument("--kind", help="journal kind: question, plan, reflection, evaluation, idea, "
                                  "disappointment or record (default: reflection)")
    p.add_argument("--type", dest="artefact_type",
                   help="artefact type: video, audio, image, document, blog-post, infographic, "
                        "presentation, code, link or other (default: other)")
    p.add_argument("--visibility", choices=("public", "unlisted", "private"),
                   help="who may see it (default: the portfolio's default_visibility)")
    return parser


def _print_problems(problems, stream=sys.stderr) -> None:
    for problem in problems:
        print(problem, file=stream)


def cmd_build(args) -> int:
    from elenefolio.build import BuildOptions, build
    from elenefolio.problems import BuildFailed

    options = BuildOptions(root=args.path, output=args.output, drafts=args.drafts,
                           private=args.private, base_url=args.base_url, strict=args.strict)
    try:
        result = build(options)
    except BuildFailed as failed:
        _print_problems(failed.problems)
        errors = sum(1 for p in failed.problems if p.severity == "error")
        warnings = len(failed.problems) - errors
        reason = (f"{errors} error(s)" if errors else "") + \
                 (f"{', ' if errors else ''}{warnings} warning(s) (--strict)" if warnings and failed.strict else "")
        print(f"build failed: {reason or 'see above'}; the previous site was left as it was",
              file=sys.stderr)
        return 1
    _print_problems(result.warnings)
    if not args.quiet:
        where = result.destination
        try:
            where = where.relative_to(Path.cwd())
        except ValueError:
            pass
        kind = "private copy" if args.private else "site"
        print(f"built {kind}: {result.pages} pages, {result.files} files in "
              f"{result.seconds:.2f} s → {where}/")
    return 0


def cmd_init(args) -> int:
    from elenefolio.scaffold import ScaffoldError, init_portfolio

    try:
        created = init_portfolio(args.dir, title=args.title, name=args.name)
    except ScaffoldError as exc:
        print(f"{args.dir}:1: {exc}", file=sys.stderr)
        return 1
    print(f"created a new portfolio in {args.dir}/ ({len(created)} files)")
    print(f"next: cd {args.dir} && elenefolio build")
    return 0


def cmd_new(args) -> int:
    from elenefolio.scaffold import ScaffoldError, new_item

    try:
        path = new_item(args.path, args.what, args.title, skills=args.skills, date=args.date,
                        kind=args.kind, artefact_type=args.artefact_type,
                        visibility=args.visibility)
    except ScaffoldError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(path)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = _build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    handler = {"build": cmd_build, "init": cmd_init, "new": cmd_new}[args.command]
    try:
        return handler(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
