"""``elenefolio new``: start a journal entry or an artefact."""

from __future__ import annotations

import sys
from pathlib import Path

HELP = "start a new journal entry or artefact"


def register(sub) -> None:
    p = sub.add_parser(
        "new",
        help=HELP,
        description="Write a new Markdown file with its front matter filled in, and print its path.",
    )
    p.add_argument("what", choices=("journal", "artefact"), help="what to create")
    p.add_argument("title", help="the title, in quotes")
    p.add_argument(
        "--path",
        metavar="PATH",
        type=Path,
        default=Path("."),
        help="the portfolio folder (default: the current folder)",
    )
    p.add_argument(
        "--skills", nargs="+", metavar="SKILL", default=[], help="skill ids, e.g. teamwork communication"
    )
    p.add_argument("--date", help="the date, YYYY-MM-DD (default: today)")
    p.add_argument(
        "--kind",
        help="journal kind: question, plan, reflection, evaluation, idea, "
        "disappointment or record (default: reflection)",
    )
    p.add_argument(
        "--type",
        dest="artefact_type",
        help="artefact type: video, audio, image, document, blog-post, infographic, "
        "presentation, code, link or other (default: other)",
    )
    p.add_argument(
        "--visibility",
        choices=("public", "unlisted", "private"),
        help="who may see it (default: the portfolio's default_visibility)",
    )


def run(args) -> int:
    from elenefolio.scaffolds.starter import ScaffoldError, new_item

    try:
        path = new_item(
            args.path,
            args.what,
            args.title,
            skills=args.skills,
            date=args.date,
            kind=args.kind,
            artefact_type=args.artefact_type,
            visibility=args.visibility,
        )
    except ScaffoldError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(path)
    return 0
