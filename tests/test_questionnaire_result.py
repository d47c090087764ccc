"""The in-browser questionnaire shows the learner's result at once — profile, strengths, areas for
improvement — computed in the page exactly as elenefolio computes a round, before offering the
round file: answered by clicking in Chromium, compared with the Python analysis of the file."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from elenefolio.assess.analysis import profile
from elenefolio.load.assessments import parse_round
from elenefolio.load.framework import _read_builtin
from elenefolio.load.yamlfile import parse_yaml
from elenefolio.problems import Problems

FRAMEWORK = _read_builtin("elene4work", Problems())


def random_answers(seed: int) -> dict[str, tuple[list[str | None], int | None]]:
    """Per skill: an answer per statement ('1'..'5', 'dk' or None) and an importance (or None)."""
    rng = random.Random(seed)
    out = {}
    for skill in FRAMEWORK.skills:
        if rng.random() < 0.15:
            continue  # a skill left alone: not assessed
        answers = [rng.choice(["1", "2", "3", "4", "5", "5", "dk", None]) for _ in skill.statements]
        out[skill.id] = (answers, rng.choice([None, 1, 2, 3, 4, 5, 5]))
    return out


def tied_answers() -> dict[str, tuple[list[str | None], int | None]]:
    """Every skill at 4.0 and importance 4 but two: ties everywhere (all are kept)."""
    out = {s.id: (["4"] * len(s.statements), 4) for s in FRAMEWORK.skills}
    out["teamwork"] = (["5", "5", "5", "5"], 5)
    out["negotiation"] = (["2", "dk", None, "2"], None)
    return out


def answer(page, answers) -> None:
    for skill_id, (values, importance) in answers.items():
        for i, value in enumerate(values):
            if value is not None:
                page.check(f'input[name="{skill_id}--{i}"][value="{value}"]')
        if importance is not None:
            page.check(f'input[name="{skill_id}--importance"][value="{importance}"]')


def shown_result(page) -> dict:
    rows = page.eval_on_selector_all(
        "#q-profile tbody tr",
        "rows => rows.map(r => [r.dataset.skill, ...[...r.cells].slice(1).map(c => c.textContent)])",
    )
    lists = {
        key: page.eval_on_selector_all(f"#{key} li", "items => items.map(li => li.textContent)")
        for key in ("q-strengths", "q-improvements")
    }
    return {"rows": rows, **lists}


def expected_result(yaml_text: str) -> dict:
    problems = Problems()
    data = parse_yaml(yaml_text)
    round_ = parse_round(data, "browser", "x.yaml", data["date"], "", FRAMEWORK, problems)
    assert problems.items == []
    p = profile(FRAMEWORK, round_)
    dash = "—"
    rows = [
        [
            lv.id,
            f"{lv.level:.1f}" if lv.assessed else dash,
            str(lv.percent) if lv.assessed else dash,
            str(lv.importance) if lv.importance is not None else dash,
            f"{lv.priority:.1f}" if lv.assessed else dash,
        ]
        for lv in p.levels
    ]
    return {
        "rows": rows,
        "q-strengths": [f"{lv.name} {lv.level:.1f}" for lv in p.strengths],
        "q-improvements": [f"{lv.name} priority {lv.priority:.1f}" for lv in p.improvements],
    }


@pytest.mark.parametrize(
    "answers",
    [random_answers(1), random_answers(7), random_answers(2026), tied_answers()],
    ids=["random-1", "random-7", "random-2026", "ties"],
)
def test_the_result_shown_is_the_analysis_of_the_file_offered(page, example_site, tmp_path, answers):
    page.goto(example_site.address("self-assessment/questionnaire/"))
    assert page.locator("#q-result").is_hidden()  # nothing before the learner asks
    answer(page, answers)
    page.click("#q-show")
    result = page.locator("#q-result")
    assert result.is_visible()
    assert page.evaluate("document.activeElement.id") == "q-result"  # in view, for screen readers too
    shown = shown_result(page)
    with page.expect_download() as download_info:
        page.click("#q-download")  # the round file is offered after the result
    saved = Path(tmp_path / "round.yaml")
    download_info.value.save_as(saved)
    expected = expected_result(saved.read_text(encoding="utf-8"))
    assert shown == expected
    assert len(shown["q-strengths"]) >= 3
    assert page.watch.problems == []


def test_the_result_follows_a_changed_answer_and_a_reset_hides_it(page, example_site):
    page.goto(example_site.address("self-assessment/questionnaire/"))
    page.check('input[name="teamwork--0"][value="2"]')
    page.click("#q-show")
    row = page.locator('#q-profile tr[data-skill="teamwork"] td').first
    assert row.text_content() == "2.0"
    page.check('input[name="teamwork--1"][value="5"]')
    assert row.text_content() == "3.5"
    page.click("button[type=reset]")
    assert page.locator("#q-result").is_hidden()


def test_with_no_answer_the_result_says_so(page, example_site):
    page.goto(example_site.address("self-assessment/questionnaire/"))
    page.click("#q-show")
    assert page.locator("#q-none").is_visible()
    assert page.locator("#q-strengths li").count() == 0


def test_confidence_and_example_go_into_the_round_file(page, example_site, tmp_path):
    """Both optional per skill: given for one skill, left alone for another; the result stays."""
    page.goto(example_site.address("self-assessment/questionnaire/"))
    page.check('input[name="teamwork--0"][value="4"]')
    page.check('input[name="teamwork--confidence"][value="2"]')
    example = 'Planned the “open day” stand with three others, May: "we" \\ they'
    teamwork_set = page.locator('fieldset[data-skill="teamwork"]')
    teamwork_set.get_by_label("When did you last do this? One example (optional)").fill(f"  {example}  ")
    page.check('input[name="communication--0"][value="3"]')
    assert page.locator('input[name="communication--confidence"]').count() == 3
    group = teamwork_set.get_by_role("radiogroup", name="How sure are you of these answers? (optional)")
    assert group.get_by_role("radio", name="2 fairly sure").is_checked()  # its labels are read out
    page.click("#q-show")
    assert page.locator('#q-profile tr[data-skill="teamwork"] td').first.text_content() == "4.0"
    with page.expect_download() as download_info:
        page.click("#q-download")
    saved = tmp_path / "round.yaml"
    download_info.value.save_as(saved)
    problems = Problems()
    data = parse_yaml(saved.read_text(encoding="utf-8"))
    round_ = parse_round(data, "browser", "x.yaml", data["date"], "", FRAMEWORK, problems)
    assert problems.items == []
    teamwork, communication = round_.skills["teamwork"], round_.skills["communication"]
    assert (teamwork.confidence, teamwork.example) == (2, example)
    assert (communication.confidence, communication.example) == (None, "")
    assert set(round_.skills) == {"communication", "teamwork"}
    assert page.watch.problems == []
