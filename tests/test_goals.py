"""Goals of agenda.yaml: criteria, review dates, the actions that name them, the closing
reflection; "reached" needs the level AND evidence since the goal was set; overdue reviews show."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bs4 import BeautifulSoup
from conftest import load_problems, run_cli
from selfassess_helpers import SMALL_FRAMEWORK, entry, portfolio, write

TODAY = dt.date.today()
PAST = (TODAY - dt.timedelta(days=30)).isoformat()
FUTURE = (TODAY + dt.timedelta(days=30)).isoformat()
PUBLIC = "self_assessment:\n  visibility: public\n"
ROUND = """\
skills:
  listening: {answers: [4, 4], importance: 5}
  fixing: {answers: [4, 4]}
"""


def agenda_site(root: Path, agenda: str, entries=()) -> BeautifulSoup:
    portfolio(root, PUBLIC, SMALL_FRAMEWORK)
    write(root, "assessments/2026-01-10.yaml", ROUND)
    write(root, "agenda.yaml", agenda)
    for args in entries:
        entry(root, *args)
    run = run_cli("build", root)
    assert run.code == 0, run.err
    return BeautifulSoup((root / "_site/agenda/index.html").read_text(encoding="utf-8"), "lxml")


def goal_rows(soup: BeautifulSoup) -> dict[str, dict[str, str]]:
    rows = {}
    for row in soup.select("table.sa-goals tbody tr"):
        cells = row.select("td")
        rows[row["id"]] = {
            "skill": row.select_one("th a").get_text(),
            "state": cells[4].get_text(" ", strip=True),
            "review": cells[3].get_text(" ", strip=True),
            "details": cells[5].get_text(" ", strip=True),
        }
    return rows


def test_reached_needs_evidence_dated_after_the_goal_was_set(tmp_path):
    soup = agenda_site(
        tmp_path,
        """\
goals:
  - skill: listening
    target: 4
    set: 2026-02-01
  - skill: fixing
    target: 4
    set: 2026-02-01
""",
        entries=[
            ("2026-01-20-before", "2026-01-20", ["fixing"]),  # before the goal: does not count
            ("2026-02-01-same-day", "2026-02-01", ["fixing"]),  # the day it was set: neither
            ("2026-02-02-after", "2026-02-02", ["listening"]),
            ("2026-03-01-private", "2026-03-01", ["fixing"], "private"),
        ],
    )  # not in a public build
    rows = goal_rows(soup)
    assert [(r["skill"], r["state"]) for r in rows.values()] == [
        ("Listening", "reached"),
        ("Fixing", "reached by self-rating, no evidence yet"),
    ]
    listening = next(r for r in rows.values() if r["skill"] == "Listening")
    assert "Evidence since the goal was set: 2026 02 02 After" in listening["details"]


def test_without_set_the_first_round_is_when_the_goal_was_set(tmp_path):
    soup = agenda_site(
        tmp_path,
        "goals:\n  - skill: listening\n    target: 4\n",
        entries=[("2026-01-10-round-day", "2026-01-10", ["listening"])],
    )
    assert [r["state"] for r in goal_rows(soup).values()] == ["reached by self-rating, no evidence yet"]
    soup = agenda_site(
        tmp_path / "later",
        "goals:\n  - skill: listening\n    target: 4\n",
        entries=[("2026-01-11-next-day", "2026-01-11", ["listening"])],
    )
    assert [r["state"] for r in goal_rows(soup).values()] == ["reached"]


def test_a_level_below_target_is_not_reached_whatever_the_evidence(tmp_path):
    soup = agenda_site(
        tmp_path,
        f"goals:\n  - skill: listening\n    target: 4.5\n    by: {PAST}\n",
        entries=[("2026-02-02-after", "2026-02-02", ["listening"])],
    )
    assert [r["state"] for r in goal_rows(soup).values()] == ["overdue"]


def test_criteria_review_linked_actions_and_closing_reflection_are_shown(tmp_path):
    soup = agenda_site(
        tmp_path,
        f"""\
goals:
  - id: listen-better
    skill: listening
    target: 4.5
    review: {PAST}
    criteria: My team says I let them finish.
  - skill: fixing
    target: 4.5
    review: {FUTURE}
  - skill: listening
    target: 5
    review: {PAST}
    done: 2026-03-01
    reflection: "I stopped: five is not what I need now."
actions:
  - title: A listening course
    goal: listen-better
  - title: Repair café
    goal: fixing
""",
    )
    rows = list(goal_rows(soup).values())
    assert "review overdue" in rows[0]["review"]  # past review, goal still open
    assert "review overdue" not in rows[1]["review"]  # review to come
    assert "review overdue" not in rows[2]["review"] and rows[2]["state"] == "closed"  # closed
    assert "How I will know: My team says I let them finish." in rows[0]["details"]
    assert "Actions: A listening course" in rows[0]["details"]
    assert "Actions: Repair café" in rows[1]["details"]
    assert "I stopped: five is not what I need now." in rows[2]["details"]
    assert "Closed on 1 March 2026:" in rows[2]["details"]
    action = next(li for li in soup.select(".sa-actions .action") if "A listening course" in li.get_text())
    link = next(a for a in action.select("a") if a["href"].startswith("#goal-"))
    assert soup.select_one(link["href"]).select_one("th a").get_text() == "Listening"


def test_agenda_problems_are_reported_at_their_line(tmp_path):
    portfolio(tmp_path, "", SMALL_FRAMEWORK)
    write(
        tmp_path,
        "agenda.yaml",
        """\
goals:
  - skill: listening
    target: 4
  - skill: listening
    target: 5
    set: 2026-03-01
    review: 2026-02-01
    done: 2026-04-01
  - id: fix
    skill: fixing
    target: 3
  - id: fix
    skill: fixing
    target: 4
actions:
  - title: Ambiguous
    goal: listening
  - title: Unknown
    goal: lisening
""",
    )
    problems = [str(p) for p in load_problems(tmp_path)]
    assert problems == [
        "agenda.yaml:7: 'review' (2026-02-01) is before 'set' (2026-03-01)",
        "agenda.yaml:8: warning: a goal marked done needs its closing 'reflection': what did you "
        "learn on the way, and what next?",
        "agenda.yaml:12: two goals have the id 'fix'",
        "agenda.yaml:17: 2 goals are 'listening': give each an 'id' and name one",
        "agenda.yaml:19: no goal 'lisening' (did you mean 'listening'?)",
    ]
