"""``elenefolio check``: validate the portfolio without building it."""

from __future__ import annotations

import json
import sys

from elenefolio.commands.common import portfolio_argument, print_problems

HELP = "check the portfolio for problems without building it"


def register(sub) -> None:
    p = sub.add_parser("check", help=HELP,
                       description="Run every validation of a build — fields, skills, media, links "
                                   "between entries, alt text, dates — without writing a site. "
                                   "Exits with 1 when there are errors (or warnings with --strict).")
    portfolio_argument(p)
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="text: one 'path:line: message' line per problem (default); "
                        "json: a JSON document for editors and scripts")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")


def run(args) -> int:
    from elenefolio.build import check

    problems = check(args.path)
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity == "warning"]
    failed = bool(errors) or (args.strict and bool(warnings))
    if args.format == "json":
        json.dump({
            "ok": not failed,
            "errors": len(errors),
            "warnings": len(warnings),
            "problems": [{"path": p.path, "line": p.line, "severity": p.severity,
                          "message": p.message} for p in problems],
        }, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print_problems(problems, sys.stdout if not failed else sys.stderr)
        summary = f"{len(errors)} error(s), {len(warnings)} warning(s)"
        print(f"check: {summary}" + ("" if failed else " — ready to build"),
              file=sys.stderr if failed else sys.stdout)
    return 1 if failed else 0
