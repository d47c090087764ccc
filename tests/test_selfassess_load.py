"""Round files, agenda.yaml, statements, scales and custom frameworks: validation at path:line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from selfassess_helpers import SMALL_FRAMEWORK, entry, portfolio, write

from elenefolio.cli import main
from elenefolio.load import load_portfolio
from elenefolio.load.framework import _read_builtin
from elenefolio.problems import Problems


def load(root: Path):
    problems = Problems(root)
    return load_portfolio(root, problems), sorted(str(p) for p in problems.items)


def test_every_elene4work_skill_has_first_person_statements_with_stable_ids_and_anchors():
    fw = _read_builtin("elene4work", Problems())
    assert len(fw.skills) == 15
    ids = [i for skill in fw.skills for i in skill.statement_ids]
    assert len(ids) == len(set(ids)) == 69
    for skill in fw.skills:
        assert 4 <= len(skill.statements) <= 6, skill.id
        assert all(s.startswith("I ") for s in skill.statements), skill.id
        # ids follow the order in which statements were added: only ever appended
        assert skill.statement_ids == [f"{skill.id}-{n}" for n in range(1, len(skill.statements) + 1)]
        assert set(skill.anchors) == {1, 3, 5}, skill.id
        # no double-barrelled statement: one behaviour each
        assert not any(", and " in s or " and I " in s for s in skill.statements), skill.id
    assert [p.label for p in fw.scale][0].startswith("never") and len(fw.scale) == 5
    assert fw.scale[-1].label.startswith("always")


def test_digcomp_has_21_numbered_competences_in_5_areas_on_8_levels():
    fw = _read_builtin("digcomp", Problems())
    numbers = [s.name.split(" ", 1)[0] for s in fw.skills]
    assert numbers == [
        "1.1",
        "1.2",
        "1.3",
        "2.1",
        "2.2",
        "2.3",
        "2.4",
        "2.5",
        "2.6",
        "3.1",
        "3.2",
        "3.3",
        "3.4",
        "4.1",
        "4.2",
        "4.3",
        "4.4",
        "5.1",
        "5.2",
        "5.3",
        "5.4",
    ]
    assert len(fw.areas) == 5 and len(fw.scale) == 8
    assert fw.skill("netiquette").name == "2.5 Netiquette"
    assert fw.scale[0].label == "Foundation 1" and fw.scale[7].label == "Highly specialised 8"
    for skill in fw.skills:  # the area of each competence is its first number
        assert fw.areas[int(skill.name[0]) - 1].id == skill.area


def test_a_valid_round_loads(tmp_path):
    portfolio(tmp_path)
    write(
        tmp_path,
        "assessments/2026-02-11-start.yaml",
        """\
        framework: elene4work
        notes: first go
        skills:
          communication:
            answers: [3, dk, null, 4]
            importance: 5
            notes: hmm
          teamwork: [4, 4, 4, 4]
    """,
    )
    pf, problems = load(tmp_path)
    assert problems == []
    (r,) = pf.assessments
    assert r.date == dt.date(2026, 2, 11) and r.label == "start" and r.slug == "2026-02-11-start"
    # written for the four statements communication had before one was split:
    # the fifth (communication-5, added later) is simply not answered
    assert r.skills["communication"].answers == [3, "dk", None, 4, None]
    assert r.skills["communication"].importance == 5
    assert r.skills["teamwork"].importance is None


def test_round_problems_are_reported_at_their_lines(tmp_path):
    portfolio(tmp_path)
    write(
        tmp_path,
        "assessments/2026-02-11.yaml",
        """\
        date: 2026-02-12
        visibility: everyone
        skills:
          comunication: [3, 3, 3, 3]
          teamwork:
            answers: [4, 6, x, 4, 4, 4]
            importance: 9
          leadership: {answers: [1], colour: red}
    """,
    )
    write(tmp_path, "assessments/notes.yaml", "skills: {}\n")
    _, problems = load(tmp_path)
    assert problems == [
        "assessments/2026-02-11.yaml:1: 'date' (2026-02-12) differs from the date in the file name (2026-02-11)",
        "assessments/2026-02-11.yaml:2: 'visibility' must be one of public, private, not 'everyone'",
        "assessments/2026-02-11.yaml:4: unknown skill 'comunication' (did you mean 'communication'?)",
        "assessments/2026-02-11.yaml:6: 'teamwork' has 6 answers but 5 statements",
        "assessments/2026-02-11.yaml:6: answer 2 of 'teamwork' must be a number from 1 to 5, 'dk' (don't know) or empty, not '6'",
        "assessments/2026-02-11.yaml:6: answer 3 of 'teamwork' must be a number from 1 to 5, 'dk' (don't know) or empty, not 'x'",
        "assessments/2026-02-11.yaml:7: 'teamwork.importance' must be a number from 1 to 5, not '9'",
        "assessments/2026-02-11.yaml:8: unknown field 'leadership.colour'",
        "assessments/notes.yaml:1: a round file is named YYYY-MM-DD.yaml or YYYY-MM-DD-label.yaml, not 'notes.yaml'",
    ]


def test_build_fails_with_one_line_per_round_problem(tmp_path, capsys):
    portfolio(tmp_path)
    write(tmp_path, "assessments/2026-02-11.yaml", "skills:\n  teamwork: [4, 9]\n")
    assert main(["build", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "assessments/2026-02-11.yaml:2: answer 2 of 'teamwork'" in err
    assert "Traceback" not in err


def test_agenda_loads_and_reports_unknown_skills_bad_dates_and_journal_links(tmp_path):
    portfolio(tmp_path)
    entry(tmp_path, "2026-03-01-a-plan", "2026-03-01", ["teamwork"])
    write(
        tmp_path,
        "agenda.yaml",
        """\
        goals:
          - skill: teamwork
            target: 4
            by: 2026-06-30
            why: because
          - skill: teamwrok
            target: 3
          - skill: leadership
            target: 7
            by: 2026-13-01
        actions:
          - title: A MOOC
            type: mooc
            status: done
            start: 2026-03-01
            end: 2026-02-01
            journal: [2026-03-01-a-plan, 2026-03-02-nothing]
          - title: Practice
            type: podcast
            status: maybe
            url: ftp://x
    """,
    )
    pf, problems = load(tmp_path)
    assert (
        set(problems)
        == {
            "agenda.yaml:10: 'goals.by' must be a date such as 2026-03-14 (or 2026-03-14 09:30), not '2026-13-01'",
            "agenda.yaml:6: unknown skill 'teamwrok' (did you mean 'teamwork'?)",
            "agenda.yaml:9: 'target' must be a level from 1 to 5, not '7'",
            "agenda.yaml:16: 'end' (2026-02-01) is before 'start' (2026-03-01)",
            "agenda.yaml:17: no journal entry '2026-03-02-nothing' (did you mean '2026-03-01-a-plan'?)",
            "agenda.yaml:19: 'actions.type' must be one of mooc, oer, course, practice, other, not 'podcast'",
            "agenda.yaml:20: 'actions.status' must be one of planned, in-progress, done, not 'maybe'",
            "agenda.yaml:21: 'url' must start with http:// or https://, not 'ftp://x'",
        }
        and len(problems) == 8
    )
    assert [g.skill for g in pf.agenda.goals] == ["teamwork"]
    assert pf.agenda.actions[0].journal == ["2026-03-01-a-plan"]


def test_self_assessment_config_is_validated(tmp_path):
    portfolio(tmp_path, "self_assessment:\n  visibility: open\n  questionaire_page: true\n")
    pf, problems = load(tmp_path)
    assert problems == [
        "portfolio.yaml:7: 'self_assessment.visibility' must be one of public, private, not 'open'",
        "portfolio.yaml:8: unknown field 'self_assessment.questionaire_page' (did you mean 'questionnaire_page'?)",
    ]


def test_skills_yaml_brings_statements_for_new_and_existing_skills(tmp_path):
    portfolio(
        tmp_path,
        skills_yaml="""\
        skills:
          - id: teamwork
            statements: [I share the work., I help others.]
          - id: lab-safety
            area: methodological
            name: Lab safety
            statements:
              - I wear goggles.
              - I know where the extinguisher is.
              - ""
    """,
    )
    pf, problems = load(tmp_path)
    assert problems == ["skills.yaml:10: a statement must not be empty"]
    assert pf.framework.skill("teamwork").statements == ["I share the work.", "I help others."]
    assert pf.framework.skill("teamwork").esco.endswith("T4.3")  # the rest of the skill is kept
    assert pf.framework.skill("lab-safety").statements == [
        "I wear goggles.",
        "I know where the extinguisher is.",
    ]


def test_a_custom_framework_file_with_its_own_scale(tmp_path):
    portfolio(tmp_path).joinpath("portfolio.yaml").write_text(
        (tmp_path / "portfolio.yaml").read_text() + "framework: frameworks/mine.yaml\n"
    )
    write(
        tmp_path,
        "frameworks/mine.yaml",
        """\
        id: mine
        name: My framework
        scale: [novice, competent, expert]
        areas: [{id: all, name: All}]
        skills:
          - id: soldering
            area: all
            name: Soldering
            esco: http://data.europa.eu/esco/skill/abc
    """,
    )
    write(tmp_path, "assessments/2026-01-01.yaml", "framework: mine\nskills:\n  soldering: [3]\n")
    pf, problems = load(tmp_path)
    assert problems == []
    assert pf.framework.id == "mine" and [p.label for p in pf.framework.scale] == [
        "novice",
        "competent",
        "expert",
    ]
    assert pf.assessments[0].skills["soldering"].answers == [3]


def test_a_round_for_another_framework_is_an_error(tmp_path):
    portfolio(tmp_path, skills_yaml=SMALL_FRAMEWORK)
    write(tmp_path, "assessments/2026-01-01.yaml", "framework: elene4work\nskills: {}\n")
    _, problems = load(tmp_path)
    assert problems == [
        "assessments/2026-01-01.yaml:1: this round is for the framework 'elene4work' "
        "but the portfolio uses 'small'"
    ]


def test_a_framework_file_outside_the_portfolio_is_refused(tmp_path):
    write(tmp_path, "elsewhere.yaml", "id: x\nname: X\nareas: []\nskills: []\n")
    root = portfolio(tmp_path / "p", "framework: ../elsewhere.yaml\n")
    _, problems = load(root)
    line = framework_line(root)
    assert problems == [
        f"portfolio.yaml:{line}: the framework file must be inside the portfolio "
        "folder, not '../elsewhere.yaml'"
    ]


def test_a_missing_framework_file(tmp_path):
    root = portfolio(tmp_path, "framework: frameworks/nothing.yaml\n")
    _, problems = load(root)
    line = framework_line(root)
    assert line > 1  # the line of 'framework:', not the top of the file
    assert problems == [f"portfolio.yaml:{line}: framework file not found: frameworks/nothing.yaml"]


def framework_line(root: Path) -> int:
    lines = (root / "portfolio.yaml").read_text().splitlines()
    return next(n for n, text in enumerate(lines, 1) if text.startswith("framework:"))
