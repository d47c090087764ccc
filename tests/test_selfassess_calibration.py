"""Calibration that deserves its name: evidence weighed by sort, round-day entries and evaluations
of a round left out, a calibration note per skill and step, and the learner's confidence and
example read from the round file and shown on the round page and the skill page."""

from __future__ import annotations

import textwrap

from conftest import run_cli, soup_of
from selfassess_helpers import portfolio, write

ROUND = """\
framework: elene4work
visibility: public
skills:
  communication: {first}
  negotiation: {negotiation}
"""


def entry(root, slug, date, kind, body="Words.", skills="[communication]", section="journal", extra=""):
    write(
        root,
        f"{section}/{slug}.md",
        f"---\ntitle: {slug}\ndate: {date}\nskills: {skills}\n"
        f"{'kind: ' + kind + chr(10) if kind else ''}{extra}---\n\n{body}\n",
    )


def build(root):
    run = run_cli("build", root)
    assert run.code == 0, run.err
    return root / "_site"


def make(tmp_path, later_communication="[4, 4, 4, 4]", later_negotiation="[2, 2, 2, 2]"):
    root = portfolio(tmp_path / "p")
    write(
        root,
        "assessments/2026-02-01-start.yaml",
        ROUND.format(first="[3, 3, 3, 3]", negotiation="[3, 3, 3, 3]"),
    )
    write(
        root,
        "assessments/2026-05-01-end.yaml",
        ROUND.format(first=later_communication, negotiation=later_negotiation),
    )
    return root


def step_cells(site, skill):
    row = soup_of(site / "skills" / skill / "index.html").select(".skill-levels tbody tr")[-1]
    return [td.get_text(" ", strip=True) for td in row.select("td")]


def test_weights_by_sort_of_evidence(tmp_path):
    root = make(tmp_path)
    entry(root, "a-plan", "2026-02-10", "plan")
    entry(root, "a-reflection", "2026-03-10", "reflection")
    entry(root, "made-thing", "2026-03-12", "", section="artefacts")
    write(
        root,
        "artefacts/shown-thing.md",
        "---\ntitle: Shown\ndate: 2026-03-14\nskills:\n"
        "  - skill: communication\n    evidence: I presented it.\n"
        "---\n\nText.\n",
    )
    cells = step_cells(build(root), "communication")
    assert cells[2] == "+1.0" and cells[3] == "6.5"  # 0.5 + 1 + 2 + 3


def test_round_day_entries_and_round_evaluations_are_not_evidence(tmp_path):
    root = make(tmp_path)
    entry(root, "same-day", "2026-05-01", "reflection")
    entry(root, "about-start", "2026-02-03", "evaluation", body="Looking back at 2026-02-01-start.")
    entry(root, "about-nothing", "2026-02-04", "evaluation", body="How the term goes.")
    site = build(root)
    cells = step_cells(site, "communication")
    assert cells[3] == "1.0"  # only the evaluation that is not about a round
    links = [
        a.get_text()
        for a in soup_of(site / "skills" / "communication" / "index.html").select(".step-evidence a")
    ]
    assert links == ["about-nothing"]


def test_calibration_notes(tmp_path):
    root = make(tmp_path, later_negotiation="[4, 4, 4, 4]")
    entry(root, "a-plan", "2026-02-10", "plan", skills="[communication]")
    site = build(root)
    thin = soup_of(site / "skills" / "communication" / "index.html").select_one(".sa-calibration")
    assert thin.get_text(" ", strip=True) == (
        "Rose by 1.0 with only 1 plan, question or idea as "
        "evidence (weighed: 0.5): what did you do that shows it?"
    )
    round_page = soup_of(site / "self-assessment" / "2026-05-01-end" / "index.html")
    notes = [p.get_text(" ", strip=True) for p in round_page.select(".sa-calibration")]
    assert "Rose by 1.0 with no evidence in between: what did you do that shows it?" in notes


def test_a_fall_despite_evidence_asks_why(tmp_path):
    root = make(tmp_path, later_communication="[2, 2, 2, 2]")
    entry(root, "made-thing", "2026-03-12", "", section="artefacts")
    note = soup_of(build(root) / "skills" / "communication" / "index.html").select_one(".sa-calibration")
    assert note.get_text(" ", strip=True).startswith("Fell by 1.0 although 1 artefact show")


def test_confidence_and_example_in_the_round_file_and_on_the_pages(tmp_path):
    root = make(tmp_path)
    write(
        root,
        "assessments/2026-05-01-end.yaml",
        textwrap.dedent("""\
        framework: elene4work
        visibility: public
        skills:
          communication:
            answers: [4, 4, 4, 4]
            confidence: 1
            example: "Explaining the survey in May"
          negotiation: [3, 3, 3, 3]
        """),
    )
    site = build(root)
    round_page = soup_of(site / "self-assessment" / "2026-05-01-end" / "index.html")
    text = round_page.get_text(" ", strip=True)
    assert "confidence 1 of 3" in text and "Explaining the survey in May" in text
    notes = [p.get_text(" ", strip=True) for p in round_page.select(".sa-calibration")]
    assert "Rose by 1.0, rated with confidence 1 of 3: what would make you surer?" in notes
    skill = soup_of(site / "skills" / "communication" / "index.html").get_text(" ", strip=True)
    assert "Explaining the survey in May" in skill and "confidence 1 of 3" in skill


def test_a_wrong_confidence_is_reported_at_its_line(tmp_path):
    root = make(tmp_path)
    write(
        root,
        "assessments/2026-05-01-end.yaml",
        "framework: elene4work\nskills:\n  communication:\n    answers: [4, 4, 4, 4]\n    confidence: 5\n",
    )
    run = run_cli("build", root)
    assert run.code == 1
    assert (
        "assessments/2026-05-01-end.yaml:5: 'communication.confidence' must be a number from 1 to 3"
        in run.err
    )


def test_the_example_rounds_use_confidence_and_examples():
    from pathlib import Path

    import yaml

    folder = Path(__file__).resolve().parent.parent / "example-portfolio" / "assessments"
    rounds = [yaml.safe_load(p.read_text("utf-8")) for p in folder.glob("*.yaml")]
    skills = [s for r in rounds for s in r["skills"].values() if isinstance(s, dict)]
    assert sum("confidence" in s for s in skills) >= 4 and sum("example" in s for s in skills) >= 3
