"""``elenefolio verify``: check a signed education passport."""

from __future__ import annotations

import sys
from pathlib import Path

HELP = "check the signature of an education passport (PDF)"


def register(sub) -> None:
    p = sub.add_parser(
        "verify",
        help=HELP,
        description="Check a passport signed with 'elenefolio passport --sign': the signature, that "
        "nothing was added after it, that the attached portfolio.json and the pages are those "
        "recorded at signing, and, with --trust, that the signer's certificate comes from a "
        "trusted authority. Prints who signed and when; exits with 1 when a check fails.",
    )
    p.add_argument("pdf", metavar="PASSPORT.pdf", type=Path, help="the signed passport")
    p.add_argument(
        "--trust",
        metavar="CA.pem",
        type=Path,
        action="append",
        help="a certificate of an authority you trust (PEM or DER; may be given several times)",
    )


def run(args) -> int:
    from elenefolio.passport.signing import SigningFailed, verify_pdf

    if not args.pdf.is_file():
        print(f"{args.pdf}:1: no such file", file=sys.stderr)
        return 1
    try:
        result = verify_pdf(args.pdf, args.trust)
    except SigningFailed as exc:
        print(exc, file=sys.stderr)
        return 1
    if result.signed_by or result.signed_at:
        who = result.signed_by or "an unnamed signer"
        if result.organisation:
            who += f" ({result.organisation})"
        when = f" on {result.signed_at:%Y-%m-%d %H:%M %Z}".rstrip() if result.signed_at else ""
        print(f"{args.pdf}: signed by {who}{when}")
    for problem in result.problems:
        print(f"{args.pdf}:1: {problem}", file=sys.stderr)
    if not result.ok:
        print("verify: the passport cannot be trusted as signed", file=sys.stderr)
        return 1
    checks = ["signature intact", "nothing added after it", "portfolio.json and pages as signed"]
    checks.append(
        "certificate from a trusted authority"
        if result.trusted
        else "certificate not checked (give --trust CA.pem)"
    )
    print("verify: " + "; ".join(checks))
    return 0
