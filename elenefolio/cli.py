"""The ``elenefolio`` command line: dispatches to ``elenefolio.commands``."""

from __future__ import annotations

import argparse
import importlib
import keyword
import sys

from elenefolio import __version__
from elenefolio.commands import COMMANDS

EPILOG = "Every command has --help. Documentation: README.md and docs/ in the elenefolio source."


def _command(name: str):
    name = name.replace("-", "_")
    if keyword.iskeyword(name):  # "import" lives in the module import_
        name += "_"
    return importlib.import_module(f"elenefolio.commands.{name}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="elenefolio",
        description="Turn a folder of Markdown (journal, artefacts, skills) into a "
        "publishable e-portfolio website.",
        epilog=EPILOG,
    )
    parser.add_argument("--version", action="version", version=f"elenefolio {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        _command(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return _command(args.command.replace("-", "_")).run(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
