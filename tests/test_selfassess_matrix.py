"""``elenefolio framework import``: Mahara SmartEvidence .matrix files, version 1 and 2."""

from __future__ import annotations

import json

import pytest
from selfassess_helpers import portfolio, write

from elenefolio.cli import main
from elenefolio.importers.matrix import MatrixError, convert
from elenefolio.load import load_portfolio
from elenefolio.problems import Problems

V1 = {
    "framework": {
        "name": "Graduate attributes",
        "description": "<p>What our graduates can do</p>",
        "institution": "all",
        "selfassess": True,
        "evidencestatuses": {
            "begun": "Started",
            "incomplete": "Incomplete",
            "partialcomplete": "Partly",
            "completed": "Done",
        },
        "standards": [
            {
                "shortname": "GA1",
                "name": "Communication",
                "description": "Talking and writing",
                "standardid": 1,
                "standardelement": [
                    {
                        "shortname": "GA1.1",
                        "name": "Writes clearly",
                        "description": "Reports &amp; essays",
                        "priority": 1,
                    },
                    {"shortname": "GA1.2", "name": "Presents", "priority": 2, "parent": "GA1.1"},
                ],
            },
            {
                "shortname": "GA2",
                "name": "Teamwork",
                "standardid": 2,
                "standardelement": [{"shortname": "GA2.1", "name": "Shares tasks", "priority": 1}],
            },
        ],
    }
}

V2 = {
    "framework": {
        "name": "Nursing standards",
        "description": "Four standards",
        "standards": [
            {"shortname": "S1", "name": "Care", "description": "", "standardid": 1},
            {"shortname": "S2", "name": "Safety", "description": "Keep people safe", "standardid": 2},
        ],
        "standardelements": [
            {
                "shortname": "S1.1",
                "name": "Assess needs",
                "description": "d1",
                "standardid": 1,
                "elementid": "1.1",
            },
            {
                "shortname": "S1.1a",
                "name": "Listen to the patient",
                "standardid": 1,
                "elementid": "1.1.1",
                "parentelementid": "1.1",
            },
            {"shortname": "S2.1", "name": "Hand hygiene", "standardid": 2, "elementid": "2.1"},
        ],
    }
}


def test_version_1_nested_shape():
    c = convert(json.dumps(V1))
    assert c.version == 1
    assert c.data["name"] == "Graduate attributes" and c.data["id"] == "graduate-attributes"
    assert c.data["description"] == "What our graduates can do"
    assert [(a["id"], a["name"]) for a in c.data["areas"]] == [
        ("ga1", "GA1 Communication"),
        ("ga2", "GA2 Teamwork"),
    ]
    assert [(s["id"], s["area"], s["name"]) for s in c.data["skills"]] == [
        ("ga1-1", "ga1", "GA1.1 Writes clearly"),
        ("ga1-2", "ga1", "GA1.2 Presents"),
        ("ga2-1", "ga2", "GA2.1 Shares tasks"),
    ]
    assert c.data["skills"][0]["description"] == "Reports & essays"


def test_version_2_flat_standardelements():
    c = convert(json.dumps(V2))
    assert c.version == 2
    assert [(s["id"], s["area"]) for s in c.data["skills"]] == [
        ("s1-1", "s1"),
        ("s1-1a", "s1"),
        ("s2-1", "s2"),
    ]
    assert c.data["areas"][1] == {"id": "s2", "name": "S2 Safety", "description": "Keep people safe"}


@pytest.mark.parametrize(
    "text,line,message",
    [
        ('{"framework": {"name": "x",\n "standards": [}', 2, "invalid JSON"),
        ('{"standards": []}', 1, "not a SmartEvidence framework"),
        ('{"framework": {"standards": [{"name": "a"}]}}', 1, "no 'name'"),
        ('{"framework": {"name": "x"}}', 1, "no 'standards'"),
    ],
)
def test_broken_files_are_reported(text, line, message):
    with pytest.raises(MatrixError) as info:
        convert(text)
    assert info.value.line == line and message in info.value.message


@pytest.mark.parametrize("shape", [V1, V2])
def test_import_command_writes_a_framework_the_portfolio_can_use(tmp_path, capsys, shape):
    root = portfolio(tmp_path / "p")
    source = write(tmp_path, "standards.matrix", json.dumps(shape))
    target = root / "standards.yaml"
    assert main(["framework", "import", str(source), "-o", str(target)]) == 0
    assert "Use it with 'framework: standards.yaml'" in capsys.readouterr().out
    (root / "portfolio.yaml").write_text(
        (root / "portfolio.yaml").read_text() + "framework: standards.yaml\n"
    )
    skill_id = convert(json.dumps(shape)).data["skills"][0]["id"]
    write(
        root,
        "assessments/2026-01-01.yaml",
        f"framework: {convert(json.dumps(shape)).data['id']}\nskills:\n  {skill_id}: [4]\n",
    )
    problems = Problems(root)
    pf = load_portfolio(root, problems)
    assert problems.items == []
    assert len(pf.framework.skills) == 3 and pf.assessments[0].skills[skill_id].answers == [4]
    assert main(["framework", "import", str(source), "-o", str(target)]) == 1  # no silent overwrite
    assert "exists" in capsys.readouterr().err


def test_import_reports_bad_json_at_its_line(tmp_path, capsys):
    source = write(tmp_path, "bad.matrix", '{"framework":\n\n  oops}')
    assert main(["framework", "import", str(source)]) == 1
    assert capsys.readouterr().err.strip().startswith(f"{source}:3: invalid JSON")
    assert not (tmp_path / "bad.yaml").exists()


def test_framework_list_shows_both_built_in_frameworks(capsys):
    assert main(["framework", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == ["digcomp", "elene4work"]
    assert "21 skills, 8-point scale" in lines[0] and "15 skills, 5-point scale" in lines[1]
