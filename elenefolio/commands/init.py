"""``elenefolio init``: create a starter portfolio."""

from __future__ import annotations

import sys
from pathlib import Path

HELP = "create a new portfolio folder with examples"


def register(sub) -> None:
    p = sub.add_parser("init", help=HELP,
                       description="Create a starter portfolio in DIR: portfolio.yaml, one "
                                   "journal entry of each kind, an artefact and a .gitignore.")
    p.add_argument("dir", metavar="DIR", type=Path, help="the folder to create (must be empty or new)")
    p.add_argument("--title", help="the portfolio's title")
    p.add_argument("--name", help="your name, as shown on the site")


def run(args) -> int:
    from elenefolio.scaffold import ScaffoldError, init_portfolio

    try:
        created = init_portfolio(args.dir, title=args.title, name=args.name)
    except ScaffoldError as exc:
        print(f"{args.dir}:1: {exc}", file=sys.stderr)
        return 1
    print(f"created a new portfolio in {args.dir}/ ({len(created)} files)")
    print(f"next: cd {args.dir} && elenefolio build")
    return 0
