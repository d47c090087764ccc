"""``elenefolio import``: a portfolio exported by another system → a new portfolio folder."""

from __future__ import annotations

import sys
from pathlib import Path

HELP = "import a Leap2A export (Mahara...) into a new portfolio folder"


def register(sub) -> None:
    p = sub.add_parser(
        "import",
        help=HELP,
        description="Convert an export of another e-portfolio system into a new "
        "portfolio folder. 'leap2a' reads a Leap2A export (the zip "
        "Mahara or PebblePad makes, or its leap2a.xml with the files "
        "beside it): journal posts, files, pages, résumé, plans, tags "
        "and skills. HTML is sanitised and turned into Markdown; posts "
        "that were not ready become drafts; everything is private until "
        "you publish it. Each entry is listed with what it became, or why "
        "it was not converted. An export made by elenefolio is restored "
        "as it was exported: same files, settings and visibility.",
    )
    p.add_argument("format", choices=("leap2a",), help="the export's format")
    p.add_argument(
        "export",
        metavar="EXPORT",
        type=Path,
        help="the export: a zip file, or a leap2a.xml (its files are looked for beside it)",
    )
    p.add_argument("dir", metavar="DIR", type=Path, help="the new portfolio folder (new or empty)")


def run(args) -> int:
    from elenefolio.importers.leap2a import ImportFailed, import_leap2a

    if not args.export.is_file():
        print(f"{args.export}:1: file not found", file=sys.stderr)
        return 1
    try:
        report = import_leap2a(args.export, args.dir)
    except ImportFailed as exc:
        print(exc, file=sys.stderr)
        return 1
    for line in report.converted:
        print(line)
    for line in report.skipped:
        print(line, file=sys.stderr)
    drafts = f" ({report.drafts} not ready: drafts)" if report.drafts else ""
    if report.restored:
        print(
            f"restored an elenefolio export: {report.journal} journal entries{drafts}, {report.artefacts} "
            f"artefacts and {report.files} files, with their settings, into {args.dir}/"
        )
        print(f"next: elenefolio build {args.dir}")
        return 0
    print(
        f"imported {report.journal} journal entries{drafts}, {report.plans} plans, {report.artefacts} "
        f"artefacts ({report.files} files), {report.pages} pages, {report.resume} résumé items and "
        f"{len(report.skills)} skills into {args.dir}/"
    )
    if report.skipped:
        print(f"{len(report.skipped)} item(s) not converted (listed above)")
    print(f"next: review the files, then: elenefolio build {args.dir}")
    return 0
