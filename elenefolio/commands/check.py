"""``elenefolio check``: validate the portfolio without building it."""

from __future__ import annotations

import json
import sys

from elenefolio.commands.common import portfolio_argument, print_problems

HELP = "check the portfolio for problems without building it"


def register(sub) -> None:
    p = sub.add_parser(
        "check",
        help=HELP,
        description="Run every validation of a build — fields, skills, media, links "
        "between entries, alt text, dates — without writing a site. "
        "Exits with 1 when there are errors (or warnings with --strict).",
    )
    portfolio_argument(p)
    p.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text: one 'path:line: message' line per problem (default); "
        "json: a JSON document for editors and scripts",
    )
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument(
        "--public-repo",
        action="store_true",
        help="instead, list every file a public repository would show that the public "
        "site does not (private entries, drafts, private rounds, the agenda, "
        "badges...), one 'path:line: why' line each; exit 1 if there is one",
    )


SAFE_OPTIONS = (
    "keep the portfolio's repository private and publish only the built site: GitLab Pages "
    "from a private project, a second public repository for the site, Pages from a private "
    "repository, or 'elenefolio deploy' (see docs/publishing.md); or set "
    "'public_sources: true' in portfolio.yaml to publish every source file on purpose"
)


def run_public_repo(args) -> int:
    """``--public-repo``: the guard the publishing workflows run on a public repository."""
    from elenefolio.problems import Problems
    from elenefolio.publish.public_repo import exposed_files

    problems = Problems(args.path.resolve())
    found = exposed_files(args.path, problems)
    if found is None:
        print_problems(problems.sorted())
        return 1
    exposed, public_sources = found
    stream = sys.stdout if public_sources or not exposed else sys.stderr
    for file in exposed:
        print(file, file=stream)
    if not exposed:
        print("check --public-repo: every file is public; the repository may be public")
        return 0
    if public_sources:
        print(
            f"check --public-repo: {len(exposed)} file(s) not on the site are published with the "
            "repository, as 'public_sources: true' in portfolio.yaml allows"
        )
        return 0
    print(
        f"check --public-repo: {len(exposed)} file(s) would be readable by anyone in a public "
        f"repository; {SAFE_OPTIONS}",
        file=sys.stderr,
    )
    return 1


def run(args) -> int:
    from elenefolio.pipeline import check

    if args.public_repo:
        return run_public_repo(args)
    hooks: list[str] = []
    problems = check(args.path, hooks=hooks)
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity == "warning"]
    failed = bool(errors) or (args.strict and bool(warnings))
    if args.format == "json":
        json.dump(
            {
                "ok": not failed,
                "errors": len(errors),
                "warnings": len(warnings),
                "problems": [
                    {"path": p.path, "line": p.line, "severity": p.severity, "message": p.message}
                    for p in problems
                ],
            },
            sys.stdout,
            indent=2,
            ensure_ascii=False,
        )
        sys.stdout.write("\n")
    else:
        if hooks:  # code from the portfolio (or installed plugins) ran: say which
            print(f"hooks run: {', '.join(hooks)}")
        print_problems(problems, sys.stdout if not failed else sys.stderr)
        summary = f"{len(errors)} error(s), {len(warnings)} warning(s)"
        print(
            f"check: {summary}" + ("" if failed else " — ready to build"),
            file=sys.stderr if failed else sys.stdout,
        )
    return 1 if failed else 0
