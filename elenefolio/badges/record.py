"""``badges/.verification.json``: what ``elenefolio badges verify`` found, for later builds.

The learner commits the file; a build (offline) reads it and shows "verified on
<date>" on a badge whose file is byte for byte the one that was verified (the
record keeps the file's SHA-256: an edited badge is no longer verified). Only
the names and results of the checks are kept; the sentences a page shows are
interface strings, so they are translated like the rest of the page.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

from elenefolio.badges.assertion import VERIFY_FAILURES, Check, Verification
from elenefolio.util.i18n import N_

RECORD_NAME = ".verification.json"
MAX_RECORD_BYTES = 2 * 1024 * 1024

# The sentence of each check of ``badges verify``, by state
CHECK_TEXTS = {
    "signature": {
        "ok": N_("Signature valid: signed with the issuer's key."),
        "failed": N_("The signature does not match: the badge was changed or signed with another key."),
    },
    "hosted": {
        "ok": N_("The copy hosted by the issuer matches this badge."),
        "failed": N_("The copy hosted by the issuer differs from this badge."),
    },
    "revocation": {"ok": N_("Not revoked by the issuer."), "failed": N_("Revoked by the issuer.")},
    "issuer": {
        "ok": N_("The issuer's profile vouches for this badge."),
        "failed": N_("The issuer's profile does not vouch for this badge (another key or address)."),
    },
}


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_records(folder: Path) -> tuple[dict[str, dict], str]:
    """The records by badge file name, and a problem (one line) when the file is unusable."""
    path = folder / RECORD_NAME
    if not path.is_file():
        return {}, ""
    try:
        if path.stat().st_size > MAX_RECORD_BYTES:
            return {}, "the verification record is too large: run 'elenefolio badges verify --online' again"
        doc = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):
        return {}, (
            "the verification record is not readable JSON: run 'elenefolio badges verify --online' again"
        )
    badges = doc.get("badges") if isinstance(doc, dict) else None
    if not isinstance(badges, dict):
        return {}, (
            "the verification record has no 'badges' object: run 'elenefolio badges verify --online' again"
        )
    return {k: v for k, v in badges.items() if isinstance(v, dict)}, ""


def verification_for(record: dict | None, digest: str) -> Verification | None:
    """The verification of a badge file from its record, if the record is for these bytes."""
    if not record or record.get("sha256") != digest:
        return None
    try:
        date = dt.date.fromisoformat(str(record.get("date")))
    except ValueError:
        return None
    failure = record.get("failure") or ""
    if failure not in VERIFY_FAILURES and failure != "":
        return None
    checks = (
        [
            (name, state)
            for name, state in (record.get("checks") or {}).items()
            if name in CHECK_TEXTS and state in CHECK_TEXTS[name]
        ]
        if isinstance(record.get("checks"), dict)
        else []
    )
    return Verification(date, failure, checks)


def verification_checks(verification: Verification) -> list[Check]:
    """The checks shown on the page for a verification, with their translated sentences."""
    return [Check(name, state, CHECK_TEXTS[name][state]) for name, state in verification.checks]


def write_records(folder: Path, records: dict[str, dict]) -> Path:
    path = folder / RECORD_NAME
    text = json.dumps({"version": 1, "badges": dict(sorted(records.items()))}, indent=2, ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")
    return path
