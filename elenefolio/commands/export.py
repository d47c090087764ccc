"""``elenefolio export``: the portfolio as JSON Resume, Leap2A or portfolio.json."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from elenefolio.commands.common import (
    inside,
    portfolio_argument,
    print_problems,
    shown_path,
    write_error,
    write_replacing,
)

HELP = "export the portfolio as JSON Resume, Leap2A, portfolio.json or a zip of its offline site"
FORMATS = ("json-resume", "leap2a", "json", "zip")
LEAP2A_FILE = "portfolio-leap2a.zip"  # in the current folder, without -o


def register(sub) -> None:
    p = sub.add_parser(
        "export",
        help=HELP,
        description="Export the portfolio at PATH for other systems: "
        "json-resume (a JSON Resume for job sites and CV tools), "
        "leap2a (a Leap2A zip that Mahara and other e-portfolio "
        "systems import) or json (portfolio.json, the portfolio's "
        "machine-readable data) or zip (the site built with --offline, "
        "in one zip file that opens in any browser once unzipped). "
        "Only public content is exported "
        "unless --private is given; the email address never is.",
    )
    portfolio_argument(p)
    p.add_argument("--format", "-f", required=True, choices=FORMATS, help="the format to write")
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        type=Path,
        help="where to write (default: standard output for the JSON formats, "
        "portfolio-leap2a.zip in the current folder for leap2a, NAME-portfolio.zip "
        "(the author's name) for zip; a private leap2a or zip export needs -o "
        "when the current folder is in the portfolio)",
    )
    p.add_argument(
        "--private",
        action="store_true",
        help="include private and unlisted items (for your own copy only); a Leap2A "
        "export then carries everything, drafts too, to import back elsewhere",
    )
    p.add_argument(
        "--keywords",
        choices=("skills", "evidence"),
        default="skills",
        help="json-resume: the keywords of 'skills': the framework's skill names, grouped "
        "by area (default), or, per skill, the titles of its evidence",
    )
    p.add_argument("--base-url", metavar="URL", help="the address of the published site, overriding base_url")


class Refused(Exception):
    """The export is not written where it would go; the message is one line."""


def private_check(args, output: Path) -> None:
    """Raise ``Refused`` for a private export that would go inside the portfolio by default."""
    if args.private and args.output is None and inside(output, args.path):
        raise Refused(
            f"{output.resolve()}:1: a private export is not written inside the portfolio, "
            "where it could be committed and published; give -o with a path outside it"
        )
    if output.is_dir():
        raise Refused(f"{output}:1: -o must name a file, not a folder")


def run_zip(args) -> int:
    """``export --format zip``: the offline site, built in a temporary folder, zipped."""
    from elenefolio.export.site_zip import export_zip
    from elenefolio.problems import BuildFailed
    from elenefolio.write import WriteFailed

    try:  # (before building: the name of the default file is known once the site is)
        if args.output is not None:
            private_check(args, args.output)
        elif args.private and inside(Path.cwd(), args.path):
            raise Refused(
                f"{Path.cwd()}:1: a private export is not written inside the portfolio, "
                "where it could be committed and published; give -o with a path outside it"
            )
    except Refused as refused:
        print(refused, file=sys.stderr)
        return 1

    def write(target: Path, writer) -> None:
        private_check(args, target)
        write_replacing(target, writer)

    target = args.output
    try:
        target, count, warnings = export_zip(args.path, args.output, args.private, args.base_url, write)
    except Refused as refused:
        print(refused, file=sys.stderr)
        return 1
    except (BuildFailed, WriteFailed) as failed:
        print_problems(failed.problems)
        print(f"export failed: {len(failed.problems)} problem(s)", file=sys.stderr)
        return 1
    except OSError as exc:
        print(write_error(target or Path("."), exc), file=sys.stderr)
        return 1
    print_problems(warnings)
    if args.private:
        print(
            "note: private export — it includes private and unlisted items; do not publish it",
            file=sys.stderr,
        )
    print(f"wrote the offline site, {count} file(s), zipped → {shown_path(target)}", file=sys.stderr)
    return 0


def run(args) -> int:
    from elenefolio.pipeline import load_site
    from elenefolio.problems import BuildFailed

    if args.format == "zip":
        return run_zip(args)

    try:
        site, problems = load_site(
            args.path, private=args.private, base_url=args.base_url, drafts=args.format == "leap2a"
        )
    except BuildFailed as failed:
        print_problems(failed.problems)
        print(f"export failed: {len(failed.problems)} problem(s)", file=sys.stderr)
        return 1
    print_problems(problems.warnings)
    if args.private:
        print(
            "note: private export — it includes private and unlisted items; do not publish it",
            file=sys.stderr,
        )
    if args.format == "leap2a":
        from elenefolio.export.leap2a import write_leap2a_zip

        output = args.output or Path(LEAP2A_FILE)
        if args.private and args.output is None and inside(output, args.path):
            print(
                f"{output.resolve()}:1: a private export is not written inside the portfolio, "
                "where it could be committed and published; give -o with a path outside it",
                file=sys.stderr,
            )
            return 1
        if output.is_dir():
            print(f"{output}:1: -o must name a file, not a folder", file=sys.stderr)
            return 1
        counted: list[int] = []
        left_out: list[str] = []
        try:
            write_replacing(output, lambda tmp: counted.append(write_leap2a_zip(site, tmp, left_out)))
        except OSError as exc:
            print(write_error(output, exc), file=sys.stderr)
            return 1
        for line in left_out:
            print(line, file=sys.stderr)
        print(f"wrote Leap2A export with {counted[0]} file(s) → {shown_path(output)}", file=sys.stderr)
        return 0
    if args.format == "json-resume":
        from elenefolio.export.jsonresume import build_resume

        data = build_resume(site, keywords=args.keywords)
    else:
        from elenefolio.export.manifest import build_manifest

        data = build_manifest(site)
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if args.output is None:
        sys.stdout.write(text)
        return 0
    if args.output.is_dir():
        print(f"{args.output}:1: -o must name a file, not a folder", file=sys.stderr)
        return 1
    try:
        write_replacing(args.output, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    except OSError as exc:
        print(write_error(args.output, exc), file=sys.stderr)
        return 1
    print(f"wrote {args.format} → {shown_path(args.output)}", file=sys.stderr)
    return 0
