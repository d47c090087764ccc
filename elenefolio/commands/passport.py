"""``elenefolio passport``: the education passport as a PDF."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from elenefolio.commands.common import (
    failure_summary,
    find_collection,
    portfolio_argument,
    print_problems,
    shown_path,
    write_error,
    write_replacing,
)

HELP = "make the education passport (PDF)"


def register(sub) -> None:
    p = sub.add_parser(
        "passport",
        help=HELP,
        description="Make the education passport of the portfolio at PATH: one "
        "tagged PDF/A-3a file with the profile, skills, featured work, journal "
        "highlights and all public evidence, with the portfolio's data "
        "attached as portfolio.json. Only public content is included "
        "unless --private is given.",
    )
    portfolio_argument(p)
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        type=Path,
        help="where to write the PDF (default: PATH/passport.pdf, or "
        "PATH/passport-private.pdf with --private; PATH/passport-NAME.pdf with --collection)",
    )
    p.add_argument(
        "--collection",
        metavar="NAME",
        help="a passport of one collection (collections/NAME.yaml): its items as featured work "
        "and the evidence map of them alone (default file: PATH/passport-NAME.pdf)",
    )
    p.add_argument(
        "--private",
        action="store_true",
        help="a personal passport that includes private and unlisted items; every page says 'private copy'",
    )
    p.add_argument(
        "--paper",
        choices=("a4", "letter"),
        default=None,
        help="paper size (default: the portfolio's passport setting, or a4)",
    )
    p.add_argument(
        "--base-url", metavar="URL", help="the address of the online portfolio, overriding base_url"
    )
    p.add_argument(
        "--allow-remote",
        action="store_true",
        help="fetch the pictures of artefacts' media that are addresses on other sites "
        "and put them in the passport (nothing else is ever fetched)",
    )
    p.add_argument(
        "--force", action="store_true", help="render again even when nothing changed since the last passport"
    )
    p.add_argument(
        "--sign",
        metavar="CERT.p12",
        type=Path,
        help="sign the passport (PAdES) with the key and certificate of this PKCS#12 file, yours or "
        "an institution's; check it with 'elenefolio verify'",
    )
    p.add_argument(
        "--passphrase-env",
        metavar="VARIABLE",
        default="ELENEFOLIO_SIGN_PASSPHRASE",
        help="with --sign: the environment variable holding the file's passphrase (default: "
        "ELENEFOLIO_SIGN_PASSPHRASE; when it is not set, the passphrase is asked for)",
    )
    p.add_argument(
        "--strict",
        action="store_true",
        help="treat warnings as errors (such as characters no installed font has)",
    )


def run(args) -> int:
    from elenefolio.passport import make_passport
    from elenefolio.pipeline import Builder, cache_warnings
    from elenefolio.problems import BuildFailed

    signer = None
    if args.sign is not None:
        from elenefolio.passport.signing import SigningFailed, load_signer

        try:
            signer = load_signer(args.sign, _passphrase(args.passphrase_env))
        except SigningFailed as exc:
            print(exc, file=sys.stderr)
            return 1
    builder = Builder.reading(args.path, args.base_url, private=args.private)
    root, problems = builder.root, builder.problems
    try:
        portfolio = builder.load()
        site = builder.site(portfolio)
    except BuildFailed as failed:
        print_problems(failed.problems)
        print(f"passport failed: {failure_summary(failed.problems, False)}", file=sys.stderr)
        return 1
    print_problems(problems.warnings)
    collection = None
    if args.collection is not None:
        collection = find_collection(site, args.collection)
        if isinstance(collection, str):
            print(collection, file=sys.stderr)
            return 1
    paper = args.paper or portfolio.config.passport_paper
    try:
        result = make_passport(
            site,
            paper=paper,
            use_cache=not args.force,
            allow_remote=args.allow_remote,
            collection=collection,
        )
    except BuildFailed as failed:
        print_problems(failed.problems)
        print(f"passport failed: {failure_summary(failed.problems, False)}", file=sys.stderr)
        return 1
    print_problems([*result.warnings, *cache_warnings()])
    if args.strict and (problems.warnings or result.warnings):
        strict_problems = [*problems.warnings, *result.warnings]
        print(f"passport failed: {failure_summary(strict_problems, True)}", file=sys.stderr)
        return 1
    name = "passport-private" if args.private else "passport"
    if collection is not None:
        name += f"-{collection.name}"
    output = args.output or root / f"{name}.pdf"
    if output.is_dir():
        print(f"{output}:1: -o must name a file, not a folder", file=sys.stderr)
        return 1
    if signer is not None:
        from elenefolio.passport.signing import SigningFailed, sign_file

        try:
            write_replacing(output, lambda tmp: sign_file(result.path, tmp, signer, output))
        except SigningFailed as exc:
            print(exc, file=sys.stderr)
            return 1
        except OSError as exc:
            print(write_error(output, exc), file=sys.stderr)
            return 1
    else:
        try:
            write_replacing(output, lambda tmp: shutil.copyfile(result.path, tmp))
        except OSError as exc:
            print(write_error(output, exc), file=sys.stderr)
            return 1
    state = "unchanged, reused" if result.cached else "made"
    signed = ", signed" if signer is not None else ""
    print(f"passport {state}{signed}: {result.pages} pages in {result.seconds:.2f} s → {shown_path(output)}")
    return 0


def _passphrase(variable: str) -> bytes | None:
    """The certificate file's passphrase: from the environment, else asked for (never an
    argument, which other users of the computer could see, and never written anywhere)."""
    import os

    value = os.environ.get(variable)
    if value is not None:
        return value.encode("utf-8") or None
    if sys.stdin.isatty():
        import getpass

        typed = getpass.getpass("Passphrase of the certificate file: ")
        return typed.encode("utf-8") or None
    return None
