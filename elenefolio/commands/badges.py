"""``elenefolio badges verify``: verify the badges of ``badges/`` with their issuers.

Offline (the default) it reports what ``badges/.verification.json`` says about
each badge file and whether the file changed since; ``--online`` contacts the
issuers, verifies what can be verified and records the results in that file,
which the learner commits and every later build (offline) shows.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from elenefolio.commands.common import portfolio_argument, print_problems, shown_path

HELP = "verify earned badges with their issuers (badges verify --online)"


def register(sub) -> None:
    p = sub.add_parser("badges", help=HELP, description="Work with the Open Badges of badges/.")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    v = actions.add_parser(
        "verify",
        help="verify badges with their issuers and record the results",
        description="Without --online: say which badges were verified, when, and which changed "
        "since. With --online: fetch each issuer's hosted assertion, keys, profile and "
        "revocation list, check signatures, and record the results in "
        "badges/.verification.json (commit it: builds show 'verified on <date>').",
    )
    portfolio_argument(v)
    v.add_argument(
        "--online", action="store_true", help="contact the issuers over https and record the results"
    )
    v.add_argument(
        "--allow-http",
        action="store_true",
        help="also fetch plain http:// addresses (unsafe: anyone on the network can "
        "change the answers); http to this computer is always allowed",
    )


def run(args) -> int:
    from elenefolio.problems import Problems

    root = args.path.resolve()
    problems = Problems(root)
    if not (root / "portfolio.yaml").is_file():
        print(f"{shown_path(root)}: not a portfolio folder (no portfolio.yaml)", file=sys.stderr)
        return 1
    badges = _badge_texts(root, problems)
    print_problems(problems.items)
    if not badges:
        print("no badges to verify in badges/")
        return 0
    if args.online:
        return _verify_online(root, badges, args.allow_http)
    _report_offline(root, badges)
    return 0


def _badge_texts(root: Path, problems) -> list[tuple[Path, bytes, str]]:
    """(file, its bytes, its badge text) of every readable badge of ``badges/``."""
    import yaml

    from elenefolio.badges.baking import BakingError
    from elenefolio.load.badges import (
        BADGE_SUFFIXES,
        SIDECAR_SUFFIXES,
        badge_files,
        read_badge_bytes,
        read_baked,
    )

    files = badge_files(root)
    images = set()
    for path in files:
        if path.suffix.lower() in SIDECAR_SUFFIXES:
            try:
                meta = yaml.safe_load(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, yaml.YAMLError):
                continue
            if isinstance(meta, dict) and isinstance(meta.get("image"), str):
                images.add((path.parent / meta["image"]).resolve())
    found = []
    for path in files:
        if path.suffix.lower() not in BADGE_SUFFIXES or path.resolve() in images:
            continue
        raw = read_badge_bytes(path, problems)
        if raw is None:
            continue
        try:
            read = read_baked(path, raw, problems)
        except BakingError as exc:
            problems.warning(path, exc.line, f"unreadable badge: {exc.message}")
            continue
        if read is not None:
            found.append((path, raw, read[0]))
    return found


def _report_offline(root: Path, badges) -> None:
    from elenefolio.badges.record import content_hash, read_records

    records, unusable = read_records(root / "badges")
    if unusable:
        print(f"{shown_path(root / 'badges' / '.verification.json')}:1: warning: {unusable}", file=sys.stderr)
    for path, raw, _text in badges:
        record = records.get(path.name) or {}
        where = shown_path(path)
        if not record:
            print(f"{where}: not verified (run 'elenefolio badges verify --online')")
        elif record.get("sha256") != content_hash(raw):
            print(
                f"{where}: changed since it was verified on {record.get('date')}: run "
                "'elenefolio badges verify --online' again"
            )
        elif record.get("failure"):
            print(f"{where}: verification failed on {record.get('date')}: {record['failure']}")
        else:
            print(f"{where}: verified on {record.get('date')}")


def _verify_online(root: Path, badges, allow_http: bool) -> int:
    from elenefolio.badges.fetch import Fetcher
    from elenefolio.badges.record import content_hash, read_records, write_records
    from elenefolio.badges.verify import Unverifiable, verify_badge

    records, _unusable = read_records(root / "badges")
    names = {path.name for path, _raw, _text in badges}
    records = {name: record for name, record in records.items() if name in names}
    fetcher = Fetcher(allow_http=allow_http)
    today = dt.date.today().isoformat()
    failed = 0
    for path, raw, text in badges:
        where = shown_path(path)
        try:
            outcome = verify_badge(text, fetcher)
        except Unverifiable as exc:
            print(f"{where}:1: warning: not verifiable: {exc}", file=sys.stderr)
            records.pop(path.name, None)
            continue
        checked = ", ".join(f"{name} {state}" for name, state in outcome.checks.items())
        why = "; ".join(outcome.notes)
        if not outcome.conclusive:
            print(
                f"{where}:1: warning: could not be verified ({why}); a previous record of it is kept",
                file=sys.stderr,
            )
            continue
        records[path.name] = {
            "sha256": content_hash(raw),
            "date": today,
            "failure": outcome.failure,
            "checks": outcome.checks,
        }
        if outcome.failure:
            failed += 1
            print(f"{where}:1: {outcome.failure}: {why or checked}", file=sys.stderr)
        else:
            print(f"{where}: verified ({checked})" + (f"; {why}" if why else ""))
    if records or (root / "badges" / ".verification.json").exists():
        written = write_records(root / "badges", records)
        print(f"recorded in {shown_path(written)}: commit it so that builds show the results")
    return 1 if failed else 0
