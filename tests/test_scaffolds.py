"""Scaffolds of `elenefolio new` and `init`: a named model per journal kind (Gibbs, DIEP, SMART),
the artefact's questions, every string in every language, and the detection that `check` uses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from conftest import config_yaml, load_problems, run_cli, write_portfolio

from elenefolio import scaffolds
from elenefolio.cli import main
from elenefolio.load import load_portfolio
from elenefolio.model import JOURNAL_KINDS
from elenefolio.problems import Problems

LANGUAGES = ("en", "fr", "de", "it", "es", "fi")
MODELS = {"reflection": "Gibbs, 1988", "evaluation": "DIEP", "plan": "SMART"}


def portfolio(root: Path, language: str = "en") -> Path:
    return write_portfolio(
        root, {"portfolio.yaml": config_yaml().replace("language: en", f"language: {language}")}
    )


def new(root: Path, *args: str) -> Path:
    run = run_cli("new", *args, "--path", root)
    assert run.code == 0, run.err
    return Path(run.out.strip())


def body_of(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("\n---\n", 1)[1]


def strings(data) -> list[str]:
    """Every text of a scaffold file, in a stable order."""
    if isinstance(data, dict):
        return [s for key in sorted(data) for s in strings(data[key])]
    if isinstance(data, list):
        return [s for item in data for s in strings(item)]
    return [data]


def load(language: str) -> dict:
    return yaml.safe_load((Path(scaffolds.__file__).parent / f"{language}.yaml").read_text("utf-8"))


def shape(data):
    if isinstance(data, dict):
        return {k: shape(v) for k, v in data.items()}
    if isinstance(data, list):
        return [shape(v) for v in data]
    return None


def test_every_language_has_the_same_scaffolds_all_translated():
    assert scaffolds.languages() == tuple(sorted(LANGUAGES))
    english = load("en")
    english.pop("placeholders")  # old English placeholders, detected in every portfolio
    assert set(english["journal"]) == set(JOURNAL_KINDS)
    for language in LANGUAGES[1:]:
        data = load(language)
        assert shape(data) == shape(english), language
        untranslated = [
            s for s, e in zip(strings(data), strings(english)) if s == e and not re.fullmatch(r"[A-Z]+", s)
        ]
        assert untranslated == [], language


@pytest.mark.parametrize("language", LANGUAGES)
def test_new_journal_writes_the_kinds_scaffold_in_the_portfolios_language(tmp_path, language):
    root = portfolio(tmp_path / "p", language)
    for kind in JOURNAL_KINDS:
        path = new(root, "journal", f"A {kind}", "--kind", kind, "--skills", "teamwork")
        body = body_of(path)
        scaffold = scaffolds.journal_scaffold(kind, language)
        assert re.findall(r"(?m)^## (.*)$", body) == [s.heading for s in scaffold.sections]
        assert all(f"_{s.prompt}_" in body for s in scaffold.sections)
        assert 2 <= len(scaffold.sections) <= 6
        if kind in MODELS:
            assert MODELS[kind] in body.split("\n")[1]  # the model is named first
    assert load_problems(root) == []  # every new file loads cleanly


def test_reflection_follows_gibbs_evaluation_diep_and_plan_smart():
    gibbs = scaffolds.journal_scaffold("reflection", "en").sections
    assert len(gibbs) == 6  # description, feelings, evaluation, analysis, conclusion, action plan
    diep = [s.heading for s in scaffolds.journal_scaffold("evaluation", "en").sections]
    assert diep == ["Describe", "Interpret", "Evaluate", "Plan"]
    smart = [s.heading.split(":")[0] for s in scaffolds.journal_scaffold("plan", "en").sections]
    assert smart == ["Specific", "Measurable", "Achievable", "Relevant", "Time-bound"]


def test_a_regional_language_uses_its_base_language_and_an_unknown_one_english(tmp_path):
    assert scaffolds.journal_scaffold("idea", "fr-BE") == scaffolds.journal_scaffold("idea", "fr")
    assert scaffolds.journal_scaffold("idea", "pt") == scaffolds.journal_scaffold("idea", "en")


@pytest.mark.parametrize("language", ["en", "de"])
def test_new_artefact_asks_for_context_role_outcome_evidence_and_what_differently(tmp_path, language):
    root = portfolio(tmp_path / "p", language)
    path = new(root, "artefact", "Poster", "--skills", "teamwork", "creativity", "--visibility", "public")
    text = path.read_text(encoding="utf-8")
    questions = scaffolds.artefact_questions(language)
    assert f"context: ''  # {questions['context']}" in text
    assert f"role: ''  # {questions['role']}" in text
    assert text.count(f"evidence: ''  # {questions['evidence']}") == 2  # one per skill
    headings = re.findall(r"(?m)^## (.*)$", body_of(path))
    assert headings == [s.heading for s in scaffolds.artefact_scaffold(language).sections]
    assert len(headings) == 2  # outcome; what I would do differently
    problems = Problems(root)
    art = load_portfolio(root, problems).artefacts[0]
    assert problems.sorted() == [] and art.context == "" and art.skill_ids == ["teamwork", "creativity"]
    # without skills, the comment says what 'skills' holds
    bare = new(root, "artefact", "Bare").read_text(encoding="utf-8")
    assert f"skills: []  # {questions['skills']}" in bare


def test_init_gives_each_starter_entry_its_kinds_scaffold(tmp_path):
    folder = tmp_path / "mine"
    assert run_cli("init", folder).code == 0
    kinds = {}
    for path in (folder / "journal").glob("*.md"):
        kind = re.search(r"(?m)^kind: (\w+)$", path.read_text()).group(1)
        kinds[kind] = body_of(path)
    assert set(kinds) == set(JOURNAL_KINDS)
    for kind, body in kinds.items():
        assert body.strip() == scaffolds.journal_scaffold(kind, "en").markdown().strip(), kind
    artefact = (folder / "artefacts/my-first-artefact.md").read_text()
    assert scaffolds.artefact_scaffold("en").markdown() in artefact


# --- detection ------------------------------------------------------------------------------

SCAFFOLD = scaffolds.journal_scaffold("evaluation", "en")


def test_untouched_scaffold_reports_every_prompt_at_its_line():
    body = SCAFFOLD.markdown()
    found = scaffolds.leftovers(body)
    lines = body.split("\n")
    assert [lines[f.line] for f in found] == [lines[0]] + [f"_{s.prompt}_" for s in SCAFFOLD.sections]
    assert all("still holds the prompt" in f.message for f in found)


def test_headings_kept_with_the_learners_words_under_them_are_not_reported():
    body = "\n\n".join(
        f"## {s.heading}\n\nMy own words about {s.heading.lower()}." for s in SCAFFOLD.sections
    )
    assert scaffolds.leftovers(body) == []


def test_a_heading_left_empty_or_a_prompt_left_among_answers_is_reported():
    body = (
        "## Describe\n\nWe filmed the pendulum.\n\n## Interpret\n\n## Evaluate\n\n"
        "_How well did it work, and how useful was it? Say why you think so._\n"
        "It worked.\n\n## Plan\n\nNext time a tripod.\n"
    )
    found = scaffolds.leftovers(body)
    lines = body.split("\n")
    assert [(lines[f.line], f.message.split(" '")[0]) for f in found] == [
        ("## Interpret", "nothing is written under the heading"),
        ("_How well did it work, and how useful was it? Say why you think so._", "still holds the prompt"),
    ]


def test_a_prompt_is_found_in_any_language_and_whatever_its_emphasis():
    german = scaffolds.journal_scaffold("plan", "de").sections[0].prompt
    assert len(scaffolds.leftovers(f"My plan.\n\n> **{german.upper()}**  \n")) == 1
    assert len(scaffolds.leftovers("Intro.\n\n- Write your entry here.\n")) == 1  # an older placeholder


def test_text_in_a_code_block_is_not_a_leftover():
    prompt = SCAFFOLD.sections[0].prompt
    assert scaffolds.leftovers(f"## Describe\n\n```\n{prompt}\n```\n") == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_init_in_a_language_writes_the_whole_starter_in_it(tmp_path, language):
    root = tmp_path / "folio"
    assert main(["init", str(root), "--name", "Ana Silva", "--language", language]) == 0
    config = yaml.safe_load((root / "portfolio.yaml").read_text(encoding="utf-8"))
    starter = scaffolds.starter_text(language)
    assert config["language"] == language
    assert config["title"] == starter["title"].format(name="Ana Silva")
    assert config["author"]["headline"] == starter["headline"]
    assert (
        (root / "about.md").read_text(encoding="utf-8").startswith(starter["about"].format(name="Ana Silva"))
    )
    titles = sorted(
        yaml.safe_load(p.read_text(encoding="utf-8").split("---\n")[1])["title"]
        for p in (root / "journal").glob("*.md")
    )
    assert titles == sorted(starter["journal"].values())
    reflection = next(
        p for p in (root / "journal").glob("*.md") if "kind: reflection" in p.read_text(encoding="utf-8")
    )
    assert scaffolds.journal_scaffold("reflection", language).sections[0].heading in reflection.read_text(
        encoding="utf-8"
    )
    if language != "en":  # nothing of the English starter is left
        english = scaffolds.starter_text("en")
        text = (
            "".join(p.read_text(encoding="utf-8") for p in root.rglob("*.md"))
            + (root / "portfolio.yaml").read_text()
        )
        assert not [t for t in english["journal"].values() if t in text]
        assert english["artefact"] not in text and "learning portfolio" not in text
    assert main(["build", str(root), "-q"]) == 0


def test_init_refuses_a_language_it_does_not_speak(tmp_path, capsys):
    assert main(["init", str(tmp_path / "folio"), "--language", "fy"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--language is one of de, en, es, fi, fr, it, not 'fy'" in err
    assert not (tmp_path / "folio").exists()
