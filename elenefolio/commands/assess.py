"""``elenefolio assess``: answer the self-assessment questionnaire and write a round file."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

HELP = "answer the self-assessment questionnaire (or read answers) and write a round file"
DESCRIPTION = """\
Rate every statement of your portfolio's skill framework from 1 to 5 (or "don't know"),
say how important each skill is for you now and, if you like, how sure you are of your
answers (1-3) and one example of when you last did it; the round is written to
assessments/YYYY-MM-DD[-label].yaml.

In a terminal the questionnaire is interactive: Enter skips a question, b goes back,
'n some words' keeps a note for the current skill,
q (or Ctrl-C) stops; your answers so far are kept and the next 'elenefolio assess'
offers to resume. The round file is written only at the end, in one piece.

With --answers FILE (or answers piped on standard input) it runs without questions:
the answers use the round-file format, e.g.

  label: start of semester
  skills:
    communication: {answers: [3, 4, dk, 2], importance: 5, confidence: 2,
                    example: "presented our survey results in May"}
    teamwork: [4, 4, 3, 5]
"""


def register(sub) -> None:
    p = sub.add_parser(
        "assess", help=HELP, description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "path",
        metavar="PATH",
        nargs="?",
        type=Path,
        default=Path("."),
        help="the portfolio folder (default: the current folder)",
    )
    p.add_argument(
        "--answers",
        metavar="FILE",
        help="read the answers from FILE ('-' for standard input) instead of asking",
    )
    p.add_argument("--date", help="the date of the round, YYYY-MM-DD (default: today)")
    p.add_argument("--label", help="a short label, e.g. 'start of semester' (part of the file name)")
    p.add_argument("--force", action="store_true", help="replace a round file of the same name")


def run(args) -> int:
    from elenefolio.commands.common import print_problems, shown_path
    from elenefolio.load.config import load_config
    from elenefolio.load.framework import load_framework
    from elenefolio.problems import Problems, shown
    from elenefolio.util.confine import confined

    root = args.path.resolve()
    problems = Problems(root)
    config = load_config(root, problems)
    framework = load_framework(root, config.framework, 1, problems) if config else None
    folder = root / "assessments"
    confined(root, folder, problems)  # the round and unfinished answers are written and read there
    if problems.errors or config is None or framework is None:
        print_problems(problems.sorted())
        return 1
    date = None
    if args.date:
        try:
            date = dt.date.fromisoformat(args.date)
        except ValueError:
            print(f"--date must be a date such as 2026-03-14, not '{shown(args.date)}'", file=sys.stderr)
            return 2
    if args.answers is not None or not sys.stdin.isatty():
        return _from_answers(args, framework, folder, date, root)
    return _interactive(args, framework, folder, date, root, shown_path, config.language)


def _write(round_, framework, folder: Path, root: Path, force: bool, problems_path: str) -> Path | None:
    """Validate the round as it will be read back, then write it atomically."""
    from elenefolio.assess.roundfile import dump_round, file_name, write_atomically
    from elenefolio.commands.common import print_problems
    from elenefolio.load.assessments import parse_round
    from elenefolio.load.yamlfile import parse_yaml
    from elenefolio.problems import Problems

    name = file_name(round_)
    target = folder / name
    text = dump_round(round_, framework)
    check = Problems(root)
    parse_round(parse_yaml(text), problems_path, f"assessments/{name}", round_.date, "", framework, check)
    if check.errors:  # pragma: no cover - dump_round writes what parse_round reads
        print_problems(check.sorted())
        return None
    if target.exists() and not force:
        print(
            f"{target}: a round file of this name exists; use --force to replace it, "
            "or --label to name this round differently",
            file=sys.stderr,
        )
        return None
    write_atomically(target, text)
    return target


def _from_answers(args, framework, folder: Path, date, root: Path) -> int:
    from elenefolio.commands.common import print_problems, shown_path
    from elenefolio.load.assessments import parse_round
    from elenefolio.load.source import read_text
    from elenefolio.load.yamlfile import LineDict, YamlError, parse_yaml
    from elenefolio.problems import Problem, Problems, shown

    problems = Problems(Path.cwd())
    if args.answers in (None, "-"):
        where = "<stdin>"
        text = sys.stdin.read()
    else:
        where = args.answers
        text = read_text(Path(args.answers), problems)
        if text is None:
            print_problems(problems.sorted())
            return 1
    try:
        data = parse_yaml(text) if text.strip() else None
    except YamlError as exc:
        print(Problem(where, exc.line, exc.message), file=sys.stderr)
        return 1
    if not isinstance(data, LineDict):
        print(
            Problem(
                where,
                1,
                "the answers need 'skills:' with the answers of each skill (see 'elenefolio assess --help')",
            ),
            file=sys.stderr,
        )
        return 1
    raw_date = data.get("date")
    if date is None:
        if isinstance(raw_date, dt.datetime):
            date = raw_date.date()
        elif isinstance(raw_date, dt.date):
            date = raw_date
        else:
            try:
                date = dt.date.fromisoformat(str(raw_date)) if raw_date else dt.date.today()
            except ValueError:
                print(
                    Problem(
                        where,
                        data.line_of("date"),
                        f"'date' must be a date such as 2026-03-14, not '{shown(raw_date)}'",
                    ),
                    file=sys.stderr,
                )
                return 1
    if args.label:
        data["label"] = args.label
    round_ = parse_round(data, where, "answers", date, "", framework, problems)
    if problems.errors or round_ is None:
        print_problems(problems.sorted())
        return 1
    target = _write(round_, framework, folder, root, args.force, where)
    if target is None:
        return 1
    print(shown_path(target))
    return 0


def _interactive(args, framework, folder: Path, date, root: Path, shown_path, language: str) -> int:
    """The questions, prompts and results in the portfolio's language (with its framework translation)."""
    from copy import deepcopy

    from elenefolio.assess.analysis import profile
    from elenefolio.assess.questionnaire import Progress, Questionnaire
    from elenefolio.load.translations import translate_framework
    from elenefolio.util.i18n import translations

    _ = translations(language, root).gettext
    shown_framework = deepcopy(framework)
    translate_framework(shown_framework, language)
    q = Questionnaire(shown_framework, folder, gettext=_)
    progress = None
    try:
        unfinished = q.load_unfinished()
        if unfinished is not None:
            question = _("An unfinished round of %(date)s is waiting (%(count)s answers). Resume it? [Y/n] ")
            reply = (
                input(question % {"date": unfinished.date.isoformat(), "count": unfinished.answered()})
                .strip()
                .lower()
            )
            if reply in ("", "y", "yes", _("yes"), _("yes")[:1]):
                progress = unfinished
            else:
                q.discard()
        if progress is None:
            label = (
                args.label
                if args.label is not None
                else input(_("A label for this round (optional, e.g. ‘start of semester’): ")).strip()
            )
            progress = Progress(date or dt.date.today(), label)
        q.intro()
        finished = q.run(progress)
        if finished is None:
            print(
                _(
                    "Stopped. Your answers are kept in %(file)s; run ‘elenefolio assess’ again to resume. "
                    "No round file was written."
                )
                % {"file": shown_path(q.unfinished_path)}
            )
            return 0
        if not finished.notes:
            finished.notes = input("\n" + _("Notes for this round (optional, Enter to skip): ")).strip()
            q.save(finished)
    except (KeyboardInterrupt, EOFError):
        if q.unfinished_path.exists():
            kept = {"file": shown_path(q.unfinished_path)}
            print(
                "\n"
                + _(
                    "Interrupted. No round file was written; your answers so far are kept in %(file)s "
                    "and ‘elenefolio assess’ will offer to resume."
                )
                % kept
            )
        else:
            print("\n" + _("Interrupted. No round file was written."))
        return 130
    round_ = finished.to_round(framework)
    result = profile(shown_framework, round_)
    print("\n" + _("Your levels (mean of the answered statements; don’t know left out):"))
    for level in result.levels:
        value = f"{level.level:.1f}" if level.level is not None else _("not assessed")
        print(f"  {level.name:<40} {value}")
    if result.improvements:
        print(_("Areas for improvement:") + " " + ", ".join(s.name for s in result.improvements))
    target = _write(round_, framework, folder, root, args.force, "answers")
    if target is None:
        return 1
    q.discard()
    print(_("Written: %(file)s") % {"file": shown_path(target)})
    return 0
