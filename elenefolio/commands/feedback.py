"""``elenefolio feedback add``: keep feedback received from a tutor or a peer.

The learner runs it on a text they received (an e-mail, a message): it writes
``feedback/<date>-<from>.md`` with the front matter filled in and the text as its body,
after checking what the feedback is ``on`` (with did-you-mean) and any ratings.
"""

from __future__ import annotations

import sys
from pathlib import Path

from elenefolio.commands.common import portfolio_argument

HELP = "keep feedback from a tutor or a peer (feedback add)"
ROLES = ("tutor", "peer", "mentor", "employer", "other")


def register(sub) -> None:
    p = sub.add_parser(
        "feedback",
        help=HELP,
        description="Feedback from tutors and peers, kept as feedback/*.md and shown under the item it is on.",
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser(
        "add",
        help="write feedback/<date>-<from>.md from a text you received",
        description="Write feedback/<date>-<from>.md from a text you received (a file, or standard "
        "input), on one of your items or collections. An existing file is never replaced.",
    )
    portfolio_argument(add)
    add.add_argument(
        "--on",
        required=True,
        metavar="TARGET",
        help="what it is about: journal/<slug>, artefacts/<slug> or collections/<name>",
    )
    add.add_argument("--from", dest="giver", required=True, metavar="NAME", help="who gave it")
    add.add_argument("--role", choices=ROLES, default="other", help="their role (default: other)")
    add.add_argument("--date", help="when they gave it, YYYY-MM-DD (default: today)")
    add.add_argument(
        "--file",
        metavar="TEXT",
        help="the text they sent (UTF-8, Markdown or plain text); '-' or none: standard input",
    )
    add.add_argument(
        "--skill",
        action="append",
        default=[],
        metavar="SKILL=LEVEL",
        help="a rating they gave, on the framework's scale (repeat for each skill)",
    )
    add.add_argument(
        "--visibility",
        choices=("public", "unlisted", "private"),
        help="who may see it (default: the portfolio's default_visibility); public only with their consent",
    )


def run(args) -> int:
    errors: list[str] = []
    text = _text(args.file, errors)
    written = None if text is None else _write(args, text, errors)
    for error in errors:
        print(error, file=sys.stderr)
    if written is None:
        return 1
    print(written)
    return 0


def _text(name: str | None, errors: list[str]) -> str | None:
    if name in (None, "-"):
        if name is None and sys.stdin.isatty():
            errors.append("feedback add: give the text with --file TEXT, or on standard input")
            return None
        data, where = sys.stdin.buffer.read(), "<stdin>"
    else:
        try:
            data, where = Path(name).read_bytes(), name
        except OSError as exc:
            errors.append(f"{name}: cannot read: {exc.strerror or exc}")
            return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        errors.append(f"{where}: the text is not UTF-8: save it as UTF-8 first")
        return None
    text = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    if not text.strip():
        errors.append(f"{where}: the text is empty")
        return None
    return text.strip("\n") + "\n"


def _write(args, text: str, errors: list[str]) -> Path | None:
    import datetime as dt

    from elenefolio.load import load_portfolio
    from elenefolio.load.feedback import FEEDBACK_DIR, feedback_targets
    from elenefolio.load.items import make_slug
    from elenefolio.problems import Problems, did_you_mean
    from elenefolio.util import clock

    root = args.path.resolve()
    problems = Problems(root)
    portfolio = load_portfolio(root, problems)
    if portfolio is None:
        errors.extend(str(p) for p in problems.errors)
        return None
    targets = feedback_targets(portfolio.items, portfolio.collections)
    on = args.on.strip().strip("/")
    if on not in targets:
        errors.append(
            f"--on: no item or collection '{on}'{did_you_mean(on, targets)}; "
            "give journal/<slug>, artefacts/<slug> or collections/<name>"
        )
    try:
        date = dt.date.fromisoformat(args.date) if args.date else clock.today()
    except ValueError:
        errors.append(f"--date: '{args.date}' is not a date YYYY-MM-DD")
        date = None
    ratings = _ratings(args.skill, portfolio.framework, errors)
    giver = " ".join(args.giver.split())
    slug = make_slug(giver)
    if not slug:
        errors.append(f"--from: '{args.giver}' has no letters or digits to name the file with")
    if errors or date is None:
        return None
    target = root / FEEDBACK_DIR / f"{date.isoformat()}-{slug}.md"
    if target.exists():
        errors.append(
            f"{target.relative_to(root).as_posix()}: already exists; it is never replaced "
            "(edit it, or give another --date)"
        )
        return None
    lines = ["---", f"on: {on}", f"from: {_scalar(giver)}", f"role: {args.role}", f"date: {date.isoformat()}"]
    if args.visibility:
        lines.append(f"visibility: {args.visibility}")
    if ratings:
        lines += ["skills:", *(f"  {skill}: {_scalar(level)}" for skill, level in ratings.items())]
    target.parent.mkdir(exist_ok=True)
    with open(target, "x", encoding="utf-8") as handle:  # "x": never replaces a file
        handle.write("\n".join([*lines, "---", text]))
    return target


def _ratings(given: list[str], framework, errors: list[str]) -> dict[str, int | float]:
    from elenefolio.problems import did_you_mean

    top = len(framework.scale)
    known = [s.id for s in framework.skills]
    ratings: dict[str, int | float] = {}
    for item in given:
        skill, _, level = item.partition("=")
        skill = skill.strip()
        try:
            value = float(level)
        except ValueError:
            errors.append(f"--skill: '{item}' must be SKILL=LEVEL, e.g. teamwork=4")
            continue
        if framework.skill(skill) is None:
            errors.append(f"--skill: unknown skill '{skill}'{did_you_mean(skill, known)}")
        elif not 1 <= value <= top:
            errors.append(f"--skill: the rating of '{skill}' must be a level from 1 to {top}, not '{level}'")
        else:
            ratings[skill] = int(value) if value.is_integer() else value
    return ratings


def _scalar(value) -> str:
    """A value as one line of YAML (quoted when it needs to be)."""
    import yaml

    dumped = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=1_000_000)
    return dumped.removesuffix("\n...\n").strip()
