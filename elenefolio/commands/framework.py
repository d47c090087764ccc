"""``elenefolio framework``: list the built-in frameworks, import a Mahara SmartEvidence file."""

from __future__ import annotations

import sys
from pathlib import Path

HELP = "list skill frameworks, or import a Mahara SmartEvidence .matrix file"


def register(sub) -> None:
    p = sub.add_parser(
        "framework",
        help=HELP,
        description="Skill frameworks: the built-in ones (elene4work, digcomp) and your own framework files.",
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser(
        "list",
        help="list the built-in frameworks",
        description="List the built-in frameworks with their number of skills.",
    )
    imp = actions.add_parser(
        "import",
        help="convert a Mahara SmartEvidence .matrix file into a framework file",
        description="Convert a Mahara SmartEvidence framework file (.matrix, version 1 or 2) into "
        "an elenefolio framework file: standards become areas, standard elements "
        "become skills (sub-elements become sub-skills, with 'parent:'), evidence "
        "statuses become 'evidence_statuses:'. Then set 'framework: FILE.yaml' in portfolio.yaml.",
    )
    imp.add_argument("file", metavar="FILE.matrix", type=Path, help="the Mahara .matrix file")
    imp.add_argument(
        "-o",
        "--output",
        type=Path,
        help="the framework file to write (default: FILE.yaml next to FILE.matrix)",
    )
    imp.add_argument("--force", action="store_true", help="replace the output file if it exists")


def run(args) -> int:
    if args.action == "list":
        from elenefolio.load.framework import _read_builtin, builtin_frameworks
        from elenefolio.problems import Problems

        for name in builtin_frameworks():
            fw = _read_builtin(name, Problems())
            print(f"{name:<12} {len(fw.skills):>3} skills, {len(fw.scale)}-point scale  {fw.name}")
        return 0
    return _import(args)


def _import(args) -> int:
    from elenefolio.assess.roundfile import write_atomically
    from elenefolio.commands.common import shown_path
    from elenefolio.importers.matrix import MatrixError, convert
    from elenefolio.problems import Problem

    source: Path = args.file
    try:
        text = source.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"{source}:1: cannot read the file: {getattr(exc, 'strerror', None) or exc}", file=sys.stderr)
        return 1
    try:
        converted = convert(text)
    except MatrixError as exc:
        print(Problem(str(source), exc.line, exc.message), file=sys.stderr)
        return 1
    target = args.output or source.with_suffix(".yaml")
    if target.exists() and not args.force:
        print(f"{target}: exists; use --force to replace it or -o to choose another name", file=sys.stderr)
        return 1
    write_atomically(target, converted.to_yaml(source.name))
    for line, warning in converted.warnings:
        print(Problem(str(source), line, warning, "warning"), file=sys.stderr)
    data = converted.data
    print(
        f"{shown_path(target)}: {len(data['areas'])} areas, {len(data['skills'])} skills "
        f"(SmartEvidence version {converted.version})"
    )
    print(f"Use it with 'framework: {target.name}' in portfolio.yaml (the file in the portfolio folder).")
    return 0
