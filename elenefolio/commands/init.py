"""``elenefolio init``: create a starter portfolio."""

from __future__ import annotations

import sys
from pathlib import Path

HELP = "create a new portfolio folder with examples"


def register(sub) -> None:
    p = sub.add_parser(
        "init",
        help=HELP,
        description="Create a starter portfolio in DIR: portfolio.yaml, one "
        "journal entry of each kind, an artefact, a .gitignore and "
        "publishing workflows for GitHub and GitLab. In an existing git "
        "repository, files that exist are left as they are.",
    )
    p.add_argument(
        "dir",
        metavar="DIR",
        type=Path,
        help="the folder to create (new, empty, or the top folder of a git repository)",
    )
    p.add_argument("--title", help="the portfolio's title")
    p.add_argument("--name", help="your name, as shown on the site")
    p.add_argument(
        "--language",
        default="en",
        metavar="LANG",
        help="the language of the pages and of the starter text: en, fr, de, it, es or fi (default en)",
    )
    p.add_argument(
        "--base-url",
        metavar="URL",
        help="where the site will live, e.g. https://ana.github.io/portfolio/ "
        "(default: a placeholder on example.org, which 'check' warns about)",
    )
    p.add_argument(
        "--install-from",
        metavar="SPEC",
        help="what the publishing workflows install with pip (default: this version, "
        'pinned), e.g. "elenefolio @ git+https://github.com/OWNER/elenefolio@v1.2.3"',
    )


def run(args) -> int:
    from elenefolio.scaffolds.starter import CI_FILES, PRIVACY_NOTE, ScaffoldError, init_portfolio

    try:
        done = init_portfolio(
            args.dir,
            title=args.title,
            name=args.name,
            base_url=args.base_url,
            install_from=args.install_from,
            language=args.language,
        )
    except ScaffoldError as exc:
        print(f"{args.dir}:1: {exc}", file=sys.stderr)
        return 1
    print(f"created a new portfolio in {args.dir}/ ({len(done.created)} files)")
    for path in done.kept:
        print(f"{path}: exists already, left as it was")
    if done.no_ci:
        print(
            f"{args.dir}: inside a git repository, not at its top: {' and '.join(CI_FILES)} not "
            "written (they work only at the top; see docs/publishing.md)"
        )
    print(PRIVACY_NOTE)
    print(f"next: cd {args.dir} && elenefolio build")
    return 0
