"""A SmartEvidence framework with sub-elements, imported and used by a portfolio: the hierarchy,
repeated elements, HTML descriptions and evidence statuses (Mahara's own .matrix shape)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from selfassess_helpers import portfolio, write

from elenefolio.cli import main
from elenefolio.load import load_portfolio
from elenefolio.pipeline import BuildOptions, build
from elenefolio.problems import Problems

MATRIX = Path(__file__).resolve().parent / "data" / "smartevidence" / "teaching-standards.matrix"

ARTEFACT = """\
---
title: Inquiry report
date: 2026-03-01
type: document
skills:
  - skill: inquiry
    evidence: "I looked into my own lessons."
    status: completed
  - skill: research
    status: partialcomplete
  - skill: professional-learning
---

A report.
"""


def _import(tmp_path: Path, capsys) -> tuple[Path, str]:
    root = portfolio(
        tmp_path / "p",
        """\
        framework: standards.yaml
        self_assessment:
          visibility: public
          questionnaire_page: true
        """,
    )
    source = tmp_path / "teaching-standards.matrix"
    shutil.copy(MATRIX, source)
    assert main(["framework", "import", str(source), "-o", str(root / "standards.yaml")]) == 0
    return root, capsys.readouterr().err


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("matrix")
    root = portfolio(
        tmp / "p",
        """\
        framework: standards.yaml
        self_assessment:
          visibility: public
          questionnaire_page: true
        """,
    )
    assert main(["framework", "import", str(MATRIX), "-o", str(root / "standards.yaml")]) == 0
    write(root, "artefacts/inquiry-report/index.md", ARTEFACT)
    write(
        root,
        "assessments/2026-01-10.yaml",
        "framework: standards-for-the-teaching-profession\nskills:\n  inquiry: [3]\n  research: [2]\n",
    )
    out = tmp / "site"
    build(BuildOptions(root, output=out))
    return out


def page(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "lxml")


def test_sub_elements_become_sub_skills_with_parent(tmp_path, capsys):
    root, _ = _import(tmp_path, capsys)
    data = yaml.safe_load((root / "standards.yaml").read_text(encoding="utf-8"))
    parents = {s["id"]: s.get("parent") for s in data["skills"]}
    assert parents == {
        "te-tiriti-o-waitangi-partnership": None,
        "professional-learning": None,
        "inquiry": "professional-learning",
        "research": "inquiry",
        "feedback": "professional-learning",
    }
    problems = Problems(root)
    framework = load_portfolio(root, problems).framework
    assert problems.items == []
    assert [(s.id, framework.depth(s.id)) for s in framework.skills_in("standards")] == [
        ("te-tiriti-o-waitangi-partnership", 0),
        ("professional-learning", 0),
        ("inquiry", 1),
        ("research", 2),
        ("feedback", 1),
    ]


def test_repeated_element_is_reported_at_its_line_and_skipped(tmp_path, capsys):
    _root, err = _import(tmp_path, capsys)
    second = [n for n, line in enumerate(MATRIX.read_text().splitlines(), 1) if '"elementid": "2.2"' in line][
        1
    ]
    assert err.strip().splitlines() == [
        f"{tmp_path / 'teaching-standards.matrix'}:{second}: warning: element '2.2' appears twice; "
        "the second was skipped"
    ]


def test_html_descriptions_become_clean_markdown(tmp_path, capsys):
    root, _ = _import(tmp_path, capsys)
    data = yaml.safe_load((root / "standards.yaml").read_text(encoding="utf-8"))
    first = data["skills"][0]["description"]
    assert "<" not in first and "script" not in first and "alert" not in first
    assert first.splitlines()[2] == (
        "- Understand and recognise the unique status of tangata whenua in Aotearoa New Zealand."
    )
    assert (
        data["skills"][2]["description"] == "Inquire into and **reflect** on the effectiveness of practice."
    )
    assert data["description"].endswith(
        "[Source](https://educationcouncil.org.nz/content/our-code-our-standards)"
    )
    assert data["evidence_statuses"] == [
        {"id": "begun", "label": "Ready for assessment"},
        {"id": "incomplete", "label": "Doesn't meet the standard"},
        {"id": "partialcomplete", "label": "Partially meets the standard"},
        {"id": "completed", "label": "Meets the standard"},
    ]


def test_evidence_map_lists_sub_skills_under_parents_with_statuses(built):
    soup = page(built, "skills")
    rows = soup.select("table.skill-table tbody tr")
    names = [r.th.a.get_text() for r in rows]
    assert names == [
        "Te Tiriti o Waitangi partnership",
        "Professional learning",
        "Inquiry Inquire into practice",
        "Research Be informed by research",
        "Feedback Seek and respond to feedback",
    ]
    indents = [r.th.get("style", "") for r in rows]
    assert indents[:2] == ["", ""] and indents[2] == indents[4] != "" and indents[3] not in ("", indents[2])
    assert rows[2].th.select_one(".visually-hidden").get_text().strip() == "Part of Professional learning:"
    statuses = {r.th.a.get_text(): r.select_one("td.evidence-statuses").get_text() for r in rows}
    assert statuses["Inquiry Inquire into practice"] == "Meets the standard"
    assert statuses["Research Be informed by research"] == "Partially meets the standard"
    assert statuses["Professional learning"] == "—"
    # the description, Markdown with a list, is shown as sanitised HTML
    first = rows[0].th.select_one(".skill-description")
    assert first.name == "div" and len(first.select("ul li")) == 3 and not soup.select("script:not([src])")


def test_skill_pages_show_parent_and_sub_skills(built):
    child = page(built, "skills/inquiry")
    part_of = child.select_one(".part-of")
    assert part_of.get_text(" ", strip=True) == "Part of: Professional learning"
    assert part_of.a["href"].rstrip("/").endswith("professional-learning")
    parent = page(built, "skills/professional-learning")
    assert [a.get_text() for a in parent.select("ul.sub-skills li a")] == [
        "Inquiry Inquire into practice",
        "Feedback Seek and respond to feedback",
    ]
    assert parent.select_one(".part-of") is None


def test_self_assessment_shows_sub_skills_under_parents(built):
    soup = page(built, "self-assessment")
    rows = [th for th in soup.select("table th[scope=row]") if th.a is not None]
    names = [th.a.get_text() for th in rows][:5]
    assert names == [
        "Te Tiriti o Waitangi partnership",
        "Professional learning",
        "Inquiry Inquire into practice",
        "Research Be informed by research",
        "Feedback Seek and respond to feedback",
    ]
    assert [bool(th.get("style")) for th in rows[:5]] == [False, False, True, True, True]
    questionnaire = page(built, "self-assessment/questionnaire")
    sets = questionnaire.select("fieldset.q-skill")
    assert [f["data-skill"] for f in sets] == [
        "te-tiriti-o-waitangi-partnership",
        "professional-learning",
        "inquiry",
        "research",
        "feedback",
    ]
    assert "padding-inline-start" in sets[3].get("style", "")  # (mirrored in right-to-left pages)


def test_framework_parent_errors_are_one_line_each(tmp_path):
    root = portfolio(tmp_path, "framework: fw.yaml\n")
    write(
        root,
        "fw.yaml",
        """\
id: fw
name: FW
areas:
  - {id: a, name: A}
  - {id: b, name: B}
skills:
  - {id: one, name: One, area: a}
  - {id: two, name: Two, area: a, parent: tow}
  - {id: three, name: Three, area: b, parent: one}
  - {id: four, name: Four, area: a, parent: five}
  - {id: five, name: Five, area: a, parent: four}
""",
    )
    problems = Problems(root)
    framework = load_portfolio(root, problems).framework
    assert [str(p) for p in problems.items] == [
        "fw.yaml:8: unknown parent skill 'tow' (did you mean 'two'?)",
        "fw.yaml:9: the parent skill 'one' is in the area 'a', not in 'b' like 'three': "
        "a sub-skill stays in its parent's area",
        "fw.yaml:10: 'four' would be part of itself: four → five → four",
    ]
    assert {s.id: s.parent for s in framework.skills} == {
        "one": "",
        "two": "",
        "three": "",
        "four": "",
        "five": "four",
    }


def test_unknown_evidence_status_is_an_error_with_the_known_ones(tmp_path, capsys):
    root, _ = _import(tmp_path, capsys)
    write(root, "artefacts/r/index.md", ARTEFACT.replace("status: completed", "status: complete"))
    problems = Problems(root)
    load_portfolio(root, problems)
    assert [re.sub(r"^\S+:\d+: ", "", str(p)) for p in problems.items] == [
        "unknown evidence status 'complete' (did you mean 'completed'?); the framework's statuses: "
        "begun, incomplete, partialcomplete, completed"
    ]
    assert str(problems.items[0]).startswith("artefacts/r/index.md:8: ")
