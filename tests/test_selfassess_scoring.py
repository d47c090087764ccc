"""Scoring and analysis of self-assessment rounds (elenefolio.assess.analysis)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from elenefolio.assess.analysis import EvidenceItem, analyse, one_decimal, profile
from elenefolio.assess.model import Round, SkillAnswers
from elenefolio.model import Area, Framework, Skill


def framework(*extra: str) -> Framework:
    ids = ["talk", "team", "fix", "code", *extra]
    skills = [
        Skill(i, i.title(), "a" if n < 2 else "b", statements=["s1", "s2", "s3", "s4"])
        for n, i in enumerate(ids)
    ]
    return Framework("f", "F", [Area("a", "A"), Area("b", "B")], skills)


def rnd(date: str, answers: dict, importance: dict | None = None, slug: str = "") -> Round:
    importance = importance or {}
    skills = {k: SkillAnswers(k, list(v), importance.get(k)) for k, v in answers.items()}
    return Round(dt.date.fromisoformat(date), "", "f", skills, slug=slug or date)


def test_dont_know_is_left_out_not_counted_low():
    fw = framework()
    p = profile(fw, rnd("2026-01-01", {"talk": [4, "dk", 4, "dk"]}))
    level = p.get("talk")
    assert level.level == 4.0  # a don't-know counted as 1 (or 0) would pull it down
    assert level.answered == 2 and level.dont_know == 2
    assert level.percent == 80


def test_missing_answers_are_left_out_and_all_missing_is_not_assessed():
    fw = framework()
    p = profile(fw, rnd("2026-01-01", {"talk": [3, None, 2, None], "team": [None, "dk", None, None]}))
    assert p.get("talk").level == 2.5 and p.get("talk").skipped == 2
    assert p.get("team").level is None
    assert {s.id for s in p.not_assessed} == {"team", "fix", "code"}


def test_level_is_rounded_half_up_to_one_decimal():
    assert one_decimal(Fraction(11, 4)) == 2.8  # float round() would say 2.8 or 2.7 by accident
    assert one_decimal(Fraction(9, 4)) == 2.3
    fw = framework()
    assert profile(fw, rnd("2026-01-01", {"talk": [3, 3, 3, 2]})).get("talk").level == 2.8


def test_priority_grows_with_importance_and_distance_to_top():
    fw = framework()
    p = profile(
        fw,
        rnd(
            "2026-01-01",
            {"talk": [2, 2, 2, 2], "team": [2, 2, 2, 2], "fix": [4, 4, 4, 4], "code": [5, 5, 5, 5]},
            {"talk": 5, "team": 2, "fix": 5, "code": 5},
        ),
    )
    assert p.get("talk").priority == 15.0  # 5 x (5 - 2)
    assert p.get("team").priority == 6.0
    assert p.get("fix").priority == 5.0
    assert p.get("code").priority == 0.0
    assert [s.id for s in p.improvements] == ["talk", "team", "fix"]
    assert "code" not in [s.id for s in p.improvements]  # at the top: nothing to improve


def test_missing_importance_counts_as_the_middle():
    fw = framework()
    p = profile(fw, rnd("2026-01-01", {"talk": [1, 1, 1, 1]}))
    assert p.get("talk").importance is None
    assert p.get("talk").priority == 12.0  # 3 x 4


def test_strengths_keep_ties():
    fw = framework("extra")
    p = profile(
        fw,
        rnd(
            "2026-01-01",
            {
                "talk": [5, 5, 5, 5],
                "team": [4, 4, 4, 4],
                "fix": [3, 3, 3, 3],
                "code": [3, 3, 3, 3],
                "extra": [1, 1, 1, 1],
            },
        ),
    )
    assert [s.id for s in p.strengths] == ["talk", "team", "fix", "code"]


def test_one_round_has_no_change():
    fw = framework()
    a = analyse(fw, [rnd("2026-01-01", {"talk": [3, 3, 3, 3]})])
    assert not a.compared
    assert a.change_of("talk").change is None and a.flagged == []


def test_many_rounds_changes_steps_evidence_and_flags():
    fw = framework()
    rounds = [
        rnd("2026-05-01", {"talk": [4, 4, 4, 4], "team": [3, 3, 3, 3], "fix": [2, 2, 2, 2]}),
        rnd("2026-01-01", {"talk": [2, 2, 2, 2], "team": [3, 3, 3, 3], "fix": [4, 4, 4, 4]}),
        rnd("2026-03-01", {"talk": [3, 3, 3, 3], "team": [4, 4, 4, 4]}),
    ]
    evidence = [
        EvidenceItem("Before", dt.date(2025, 12, 1), ["talk", "team"]),
        EvidenceItem("Talk in Feb", dt.date(2026, 2, 1), ["talk"]),
        EvidenceItem("Talk in Apr", dt.date(2026, 4, 1), ["talk"], kind="artefact"),
        EvidenceItem("After", dt.date(2026, 6, 1), ["talk", "team"]),
    ]
    a = analyse(fw, rounds, evidence)
    assert [p.round.date.month for p in a.profiles] == [1, 3, 5]  # sorted, whatever the order given
    talk = a.change_of("talk")
    assert talk.change == 2.0
    assert [e.title for e in talk.evidence] == ["Talk in Feb", "Talk in Apr"]
    assert [s.change for s in talk.steps] == [1.0, 1.0]
    assert [e.title for e in talk.steps[0].evidence] == ["Talk in Feb"]
    assert not talk.rose_without_evidence
    team = a.change_of("team")
    assert team.change == 0.0 and [s.change for s in team.steps] == [1.0, -1.0]
    assert team.steps[0].rose_without_evidence  # rose from Jan to Mar with nothing tagged in between
    assert not team.rose_without_evidence  # overall it did not rise
    fix = a.change_of("fix")  # not assessed in March: compared between Jan and May
    assert fix.change == -2.0 and len(fix.steps) == 1
    assert [lv for _, lv in fix.history] == [4.0, None, 2.0]


def test_a_rise_with_no_evidence_is_flagged():
    fw = framework()
    rounds = [rnd("2026-01-01", {"code": [2, 2, 2, 2]}), rnd("2026-06-01", {"code": [4, 4, 4, 4]})]
    evidence = [
        EvidenceItem("Other skill", dt.date(2026, 3, 1), ["talk"]),
        EvidenceItem("Too late", dt.date(2026, 7, 1), ["code"]),
    ]
    a = analyse(fw, rounds, evidence)
    assert [c.skill.id for c in a.flagged] == ["code"]


def test_a_skill_added_to_the_framework_between_rounds():
    old = rnd("2026-01-01", {"talk": [2, 2, 2, 2]})
    new = rnd("2026-06-01", {"talk": [3, 3, 3, 3], "new-skill": [4, 4, 4, 4]})
    a = analyse(framework("new-skill"), [old, new])
    added = a.change_of("new-skill")
    assert [lv for _, lv in added.history] == [None, 4.0]
    assert added.change is None and not added.rose_without_evidence
    assert "new-skill" in [s.id for s in a.first.not_assessed]
    assert a.change_of("talk").change == 1.0


@pytest.mark.parametrize("top,answers,level,percent", [(8, [6], 6.0, 75), (5, [1], 1.0, 20)])
def test_other_scales(top, answers, level, percent):
    from elenefolio.model import ScalePoint

    fw = framework()
    fw.scale = [ScalePoint(i, str(i)) for i in range(1, top + 1)]
    fw.skills[0].statements = []
    p = profile(fw, rnd("2026-01-01", {"talk": answers}, {"talk": 5}))
    assert p.get("talk").level == level and p.get("talk").percent == percent
    assert p.get("talk").priority == one_decimal(Fraction(5 * 4 * (top - answers[0]), top - 1))


def test_change_is_reported_statement_by_statement_and_an_older_round_still_compares():
    fw = framework()
    talk = fw.skill("talk")
    talk.statements.append("s5, added after the first round")  # a split statement's second half
    old = rnd("2026-01-01", {"talk": [2, 3, "dk", 4]})  # answered when talk had four statements
    new = rnd("2026-05-01", {"talk": [4, 3, 5, 2, 5]})
    (step,) = analyse(fw, [old, new]).change_of("talk").steps
    assert [(s.id, s.before, s.after) for s in step.statements] == [
        ("talk-1", 2, 4),
        ("talk-2", 3, 3),
        ("talk-4", 4, 2),
    ]  # dk and the new statement: nothing to compare
    assert [(s.id, s.change) for s in step.moved] == [("talk-1", 2), ("talk-4", -2)]
