"""`elenefolio check` on starter text left in what the site publishes: scaffold prompts and
placeholders in public items, artefacts without an evidence statement, a base_url still on
example.org; `init --base-url` sets it. Warnings, failures with --strict."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import config_yaml, entry, run_cli, write_portfolio

from elenefolio import scaffolds

LINE = re.compile(r"^(?P<path>[^\s:][^:]*):(?P<line>\d+): warning: (?P<message>.+)$")
REAL_URL = "https://ada.github.io/portfolio/"
DIEP = scaffolds.journal_scaffold("evaluation", "en")


def warnings(root: Path, *args: str) -> tuple[int, list[tuple[str, int, str]]]:
    run = run_cli("check", root, *args)
    assert "Traceback" not in run.err
    found = []
    for line in (run.out + run.err).splitlines():
        if m := LINE.match(line):
            found.append((m["path"], int(m["line"]), m["message"]))
    return run.code, found


def portfolio(root: Path, files: dict[str, str], base_url: str = REAL_URL) -> Path:
    return write_portfolio(root, {"portfolio.yaml": config_yaml(base_url=base_url), **files})


def test_a_fresh_init_is_ready_to_build_but_check_names_every_starter_text(tmp_path):
    folder = tmp_path / "mine"
    assert run_cli("init", folder).code == 0
    code, found = warnings(folder)
    assert code == 0
    files = {path for path, _, _ in found}
    public = {
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*.md")
        if "visibility: public" in p.read_text()
    }
    assert files == public | {"portfolio.yaml"}  # the private disappointment is not named
    assert ("portfolio.yaml", 3) in {(p, n) for p, n, _ in found}
    messages = " ".join(m for _, _, m in found)
    assert "no evidence statement for the skill 'content-creation'" in messages
    assert "https://example.org/my-blog-post is a placeholder" in messages
    code, _ = warnings(folder, "--strict")
    assert code == 1


@pytest.mark.slow  # init and checks: seconds
def test_init_base_url_sets_it_and_check_stops_asking(tmp_path):
    folder = tmp_path / "mine"
    assert run_cli("init", folder, "--base-url", "https://ana.github.io/portfolio").code == 0
    assert "base_url: https://ana.github.io/portfolio/\n" in (folder / "portfolio.yaml").read_text()
    _, found = warnings(folder)
    assert not [f for f in found if f[0] == "portfolio.yaml"]


def test_init_refuses_a_base_url_that_is_not_a_web_address(tmp_path):
    run = run_cli("init", tmp_path / "mine", "--base-url", "javascript:alert(1)")
    assert run.code == 1 and len(run.err.strip().splitlines()) == 1 and "--base-url" in run.err
    assert not (tmp_path / "mine").exists()


@pytest.mark.parametrize("url", ["https://example.org/", "http://www.example.com/me/", "https://EXAMPLE.net"])
def test_base_url_on_an_example_domain_is_a_placeholder(tmp_path, url):
    root = portfolio(tmp_path / "p", {}, base_url=url)
    _, found = warnings(root)
    assert [(p, n) for p, n, m in found if "placeholder" in m] == [("portfolio.yaml", 2)]


def test_a_lookalike_domain_is_not_a_placeholder(tmp_path):
    root = portfolio(tmp_path / "p", {}, base_url="https://example.org.ana.eu/")
    assert warnings(root) == (0, [])


def test_prompts_left_in_a_published_entry_are_warned_at_their_line(tmp_path):
    root = portfolio(
        tmp_path / "p",
        {
            "journal/2026-03-01-talk.md": entry("Talk", "2026-03-01", DIEP.markdown(), visibility="public"),
            "journal/2026-03-02-hidden.md": entry(
                "Hidden", "2026-03-02", DIEP.markdown(), visibility="unlisted"
            ),
            "journal/2026-03-03-mine.md": entry("Mine", "2026-03-03", DIEP.markdown(), visibility="private"),
            "journal/2026-03-04-draft.md": entry(
                "Draft", "2026-03-04", DIEP.markdown(), visibility="public", draft="true"
            ),
        },
    )
    code, found = warnings(root)
    assert code == 0
    assert {p for p, _, _ in found} == {"journal/2026-03-01-talk.md", "journal/2026-03-02-hidden.md"}
    text = (root / "journal/2026-03-01-talk.md").read_text().split("\n")
    talk = [(n, m) for p, n, m in found if p == "journal/2026-03-01-talk.md"]
    assert len(talk) == 1 + len(DIEP.sections)
    for number, message in talk:
        assert text[number - 1].startswith("_") and "still holds the prompt" in message
    assert warnings(root, "--strict")[0] == 1


@pytest.mark.slow  # init, checks and a build: seconds
def test_a_learner_who_kept_the_headings_and_wrote_under_them_is_not_warned(tmp_path):
    answered = "\n\n".join(f"## {s.heading}\n\nWhat I think about it." for s in DIEP.sections)
    half = answered.replace("## Evaluate\n\nWhat I think about it.", "## Evaluate\n")
    root = portfolio(
        tmp_path / "p",
        {
            "journal/2026-03-01-done.md": entry("Done", "2026-03-01", answered, visibility="public"),
            "journal/2026-03-02-half.md": entry("Half", "2026-03-02", half, visibility="public"),
        },
    )
    _, found = warnings(root)
    assert [(p, m.split(" '")[0]) for p, _, m in found] == [
        ("journal/2026-03-02-half.md", "nothing is written under the heading")
    ]


def test_an_artefact_needs_an_evidence_statement_for_each_skill(tmp_path):
    claims = (
        "\n  - skill: teamwork\n    evidence: I ran the meetings.\n  - skill: creativity\n    evidence: ''"
    )
    root = portfolio(
        tmp_path / "p",
        {
            "artefacts/film.md": entry(
                "Film", "2026-03-01", "We made it.", visibility="public", skills=claims
            ),
            "artefacts/poster.md": entry(
                "Poster", "2026-03-01", "A poster.", visibility="public", skills="[teamwork]"
            ),
            "artefacts/nothing.md": entry("Nothing", "2026-03-01", "No skills.", visibility="public"),
            "artefacts/private.md": entry(
                "Private", "2026-03-01", "Mine.", visibility="private", skills="[teamwork]"
            ),
        },
    )
    _, found = warnings(root)
    assert sorted((p, n, m.split(":")[0]) for p, n, m in found) == [
        ("artefacts/film.md", 8, "no evidence statement for the skill 'creativity'"),
        ("artefacts/nothing.md", 1, "this artefact names no skill"),
        ("artefacts/poster.md", 5, "no evidence statement for the skill 'teamwork'"),
    ]


def test_a_warning_quotes_the_learners_line_on_one_line(tmp_path):
    prompt = DIEP.sections[0].prompt
    body = f"_{prompt}_ \x1b[31mred\x1b[0m and more words than fit on one short line of a terminal"
    root = portfolio(
        tmp_path / "p", {"journal/2026-03-01-x.md": entry("X", "2026-03-01", body, visibility="public")}
    )
    run = run_cli("check", root)
    line = next(x for x in run.out.splitlines() if "still holds" in x)
    assert "\x1b" not in line and "…" in line
