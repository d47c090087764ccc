"""Feedback in Markdown (``feedback/*.md``): on an item or a collection, shown under it as
"Feedback" with who and when, its ratings counted as the outside view of the self-assessment;
never more visible than what it is about. The YAML form keeps working as it did."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from elenefolio.load import load_portfolio
from elenefolio.problems import Problems
from tests.adversarial.attack_support import cli, md, portfolio

COLLECTION = "title: Showcase\nitems:\n  - journal/2026-03-01-first\nvisibility: public\n"


def feedback(on: str, body: str = "Well argued.", **fields) -> str:
    fields = {"from": "Dr. Ana Ruiz", "role": "tutor", "date": "2026-05-30", **fields}
    lines = ["---", f"on: {on}", *(f"{key}: {value}" for key, value in fields.items())]
    return "\n".join([*lines, "---", body, ""])


def load(root: Path):
    problems = Problems()
    found = load_portfolio(root, problems)
    return found, problems


def page(root: Path, url: str, folder: str = "_site") -> BeautifulSoup:
    return BeautifulSoup((root / folder / url / "index.html").read_text("utf-8"), "lxml")


def test_markdown_feedback_is_loaded_with_its_body_target_and_ratings(tmp_path):
    root = portfolio(
        tmp_path / "p",
        {
            "feedback/ruiz.md": feedback(
                "journal/2026-03-01-first", "Clear and **honest**.", skills="{communication: 4}"
            ),
            "feedback/old.yaml": "from: Sam\nrole: peer\ndate: 2026-05-01\nratings:\n  teamwork: 3\n",
        },
    )
    found, problems = load(root)
    assert not problems.errors, problems.errors
    old, new = found.feedback
    assert (new.on, new.giver, new.role, new.ratings) == (
        "journal/2026-03-01-first",
        "Dr. Ana Ruiz",
        "tutor",
        {"communication": 4.0},
    )
    assert "<strong>honest</strong>" in new.body.html and new.comment == "Clear and honest."
    # the Markdown form takes the portfolio's default (public here); YAML stays private by default
    assert new.visibility == "public" and old.visibility == "private" and old.on == ""


def test_feedback_is_never_more_visible_than_its_item(tmp_path):
    root = portfolio(
        tmp_path / "p",
        {
            "journal/2026-03-02-secret.md": md("Secret", visibility="private"),
            "journal/2026-03-03-hidden.md": md("Hidden", visibility="unlisted"),
            "journal/2026-03-04-draft.md": md("Draft", draft="true"),
            "feedback/a.md": feedback("journal/2026-03-02-secret", visibility="public"),
            "feedback/b.md": feedback("journal/2026-03-03-hidden", visibility="public"),
            "feedback/c.md": feedback("journal/2026-03-04-draft", visibility="public"),
            "feedback/d.yaml": "on: journal/2026-03-02-secret\nfrom: X\ndate: 2026-05-01\n"
            "visibility: public\nratings: {teamwork: 3}\n",
        },
    )
    found, problems = load(root)
    assert not problems.errors, problems.errors
    by_file = {f.source.path: f.visibility for f in found.feedback}
    assert by_file == {
        "feedback/a.md": "private",
        "feedback/b.md": "unlisted",
        "feedback/c.md": "private",
        "feedback/d.yaml": "private",
    }


def test_problems_are_reported_at_their_line_all_at_once(tmp_path):
    root = portfolio(
        tmp_path / "p",
        {
            "feedback/a.md": feedback("journal/2026-03-01-frist"),
            "feedback/b.md": feedback("2026-03-01-first"),
            "feedback/c.md": "---\nfrom: X\ndate: 2026-05-01\nskills:\n  comunication: 4\n  teamwork: 9\n---\nHi\n",
            "feedback/d.md": feedback("collections/showcse", role="teacher"),
            "collections/showcase.yaml": COLLECTION,
        },
    )
    run = cli("build", root)
    assert run.code == 1
    assert "Traceback" not in run.err
    lines = run.lines
    assert (
        "feedback/a.md:2: no item or collection 'journal/2026-03-01-frist' "
        "(did you mean 'journal/2026-03-01-first'?); 'on' is 'journal/<slug>', "
        "'artefacts/<slug>' or 'collections/<name>'" in lines
    )
    assert any(
        line.startswith("feedback/b.md:2: ") and "did you mean 'journal/2026-03-01-first'" in line
        for line in lines
    )
    assert any(line.startswith("feedback/c.md:2: missing required field 'on'") for line in lines)
    assert any(
        line.startswith("feedback/c.md:5: unknown skill 'comunication'") and "communication" in line
        for line in lines
    )
    assert any(line.startswith("feedback/c.md:6: the rating of 'teamwork' must be a level") for line in lines)
    assert any(
        line.startswith("feedback/d.md:2: no item or collection 'collections/showcse'")
        and "collections/showcase" in line
        for line in lines
    )
    assert any(line.startswith("feedback/d.md:4: ") and "teacher" in line for line in lines)


def test_feedback_is_shown_under_its_item_artefact_and_collection(tmp_path):
    root = portfolio(
        tmp_path / "p",
        {
            "artefacts/poster.md": md("Poster", type="document"),
            "collections/showcase.yaml": COLLECTION,
            "feedback/1-entry.md": feedback(
                "journal/2026-03-01-first",
                "A clear plan. See [the poster](../artefacts/poster.md).",
                skills="{communication: 4, teamwork: 3.5}",
            ),
            "feedback/2-artefact.md": feedback(
                "artefacts/poster", "عمل رائع، واضح جداً.", role="peer", **{"from": "ليلى"}
            ),
            "feedback/3-collection.md": feedback("collections/showcase", "Well chosen.", role="employer"),
            "feedback/4-private.md": feedback(
                "journal/2026-03-01-first", "Only for you.", visibility="private", role="mentor"
            ),
        },
    )
    assert cli("build", root).code == 0
    entry = page(root, "journal/2026-03-01-first")
    section = entry.select_one("section.feedback")
    assert section.h2.get_text() == "Feedback"
    (item,) = section.select(".feedback-item")  # the private one is not in a public build
    assert item.select_one(".feedback-from").get_text() == "Dr. Ana Ruiz"
    assert item.select_one(".feedback-role").get_text() == "tutor"
    assert item.time["datetime"] == "2026-05-30"
    link = item.select_one(".feedback-text a")
    assert link["href"] == "../../artefacts/poster/"
    ratings = {dt.get_text(): dd.get_text() for dt, dd in zip(item.select("dt"), item.select("dd"))}
    assert ratings == {"Communication": "4.0 / 5", "Teamwork": "3.5 / 5"}
    assert "Only for you" not in str(entry)

    artefact = page(root, "artefacts/poster").select_one("section.feedback")
    assert artefact.select_one(".feedback-from").get_text() == "ليلى"
    assert artefact.select_one(".feedback-text")["dir"] == "auto"
    assert "عمل رائع" in artefact.get_text()
    collection = page(root, "collections/showcase").select_one("section.feedback")
    assert "employer" in collection.get_text() and "Well chosen." in collection.get_text()
    # an item without feedback has no section
    assert cli("build", root, "--private").code == 0
    mine = page(root, "journal/2026-03-01-first", "_private").select(".feedback-item")
    assert len(mine) == 2 and "Only for you." in mine[1].get_text()
    assert mine[1].select_one(".badge-visibility").get_text() == "Private"
    assert mine[0].select_one(".badge-visibility") is None


@pytest.mark.slow  # builds with feedback: seconds
def test_markdown_ratings_are_the_outside_view_of_the_self_assessment(tmp_path):
    root = portfolio(
        tmp_path / "p",
        {
            "assessments/2026-02-01-start.yaml": "framework: elene4work\nvisibility: public\nskills:\n"
            "  communication: [3, 3, 3, 3]\n",
            "feedback/ruiz.md": feedback("journal/2026-03-01-first", skills="{communication: 4.5}"),
            "feedback/words-only.md": feedback("journal/2026-03-01-first", "No ratings here.", role="peer"),
        },
    )
    assert cli("build", root).code == 0
    overview = (root / "_site" / "self-assessment" / "index.html").read_text("utf-8")
    assert '4.5 <span class="sa-outside">(tutor' in overview
    assert "No ratings here." not in overview  # words without ratings stay under their item
    skill = (root / "_site" / "skills" / "communication" / "index.html").read_text("utf-8")
    assert "4.5 — <strong>Dr. Ana Ruiz</strong>" in skill


@pytest.mark.slow  # builds in two languages: seconds
def test_translated_heading_and_role(tmp_path):
    root = portfolio(
        tmp_path / "p",
        {"feedback/ruiz.md": feedback("journal/2026-03-01-first", skills="{teamwork: 4}")},
        language="fr",
    )
    assert cli("build", root).code == 0
    section = page(root, "journal/2026-03-01-first").select_one("section.feedback")
    assert section.h2.get_text() == "Retours"
    assert section.select_one(".feedback-role").get_text() != "tutor"
    assert "échelle de 1 à 5" in section.select_one(".feedback-ratings")["aria-label"]


def _add(root: Path, *args: str, text: str | None = None):
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, "-m", "elenefolio", "feedback", "add", str(root), *args],
        input=text,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_feedback_add_writes_a_file_the_build_shows_and_never_replaces_one(tmp_path):
    root = portfolio(tmp_path / "p")
    words = "شكراً! Merci pour le rapport.\r\n\r\nKeep the **figures**.\r\n"
    run = _add(
        root,
        *("--on", "journal/2026-03-01-first", "--from", "Zoë: Ortiz", "--role", "tutor"),
        *("--date", "2026-05-30", "--skill", "teamwork=4", "--visibility", "public"),
        text=words,
    )
    assert run.returncode == 0, run.stderr
    written = root / "feedback" / "2026-05-30-zoe-ortiz.md"
    assert run.stdout.strip() == str(written)
    assert written.read_text("utf-8").endswith("---\nشكراً! Merci pour le rapport.\n\nKeep the **figures**.\n")
    assert cli("build", root).code == 0
    section = page(root, "journal/2026-03-01-first").select_one("section.feedback")
    assert section.select_one(".feedback-from").get_text() == "Zoë: Ortiz"
    assert section.select_one(".feedback-text strong").get_text() == "figures"
    assert section.select_one(".feedback-ratings dd").get_text() == "4.0 / 5"
    # from a file, the same name and day: refused, the first file kept as it was
    received = tmp_path / "mail.txt"
    received.write_text("Another text.", "utf-8")
    before = written.read_bytes()
    again = _add(
        root,
        "--on",
        "journal/2026-03-01-first",
        "--from",
        "Zoë: Ortiz",
        "--date",
        "2026-05-30",
        "--file",
        str(received),
    )
    assert again.returncode == 1 and "already exists" in again.stderr and written.read_bytes() == before


def test_feedback_add_checks_everything_before_writing(tmp_path):
    root = portfolio(tmp_path / "p")
    run = _add(
        root,
        *(
            "--on",
            "journal/2026-03-01-frist",
            "--from",
            "Sam",
            "--skill",
            "temwork=3",
            "--skill",
            "teamwork=7",
        ),
        *("--date", "30/05/2026"),
        text="Good.",
    )
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert run.stderr.splitlines() == [
        "--on: no item or collection 'journal/2026-03-01-frist' (did you mean 'journal/2026-03-01-first'?);"
        " give journal/<slug>, artefacts/<slug> or collections/<name>",
        "--date: '30/05/2026' is not a date YYYY-MM-DD",
        "--skill: unknown skill 'temwork' (did you mean 'teamwork'?)",
        "--skill: the rating of 'teamwork' must be a level from 1 to 5, not '7'",
    ]
    assert not (root / "feedback").exists()
    empty = _add(root, "--on", "journal/2026-03-01-first", "--from", "Sam", text="  \n")
    assert empty.returncode == 1 and empty.stderr.strip() == "<stdin>: the text is empty"


def test_unlisted_feedback_is_shown_under_its_item_but_not_counted_and_yaml_may_name_on(tmp_path):
    root = portfolio(
        tmp_path / "p",
        {
            "assessments/2026-02-01-start.yaml": "framework: elene4work\nvisibility: public\nskills:\n"
            "  communication: [3, 3, 3, 3]\n",
            "feedback/quiet.md": feedback(
                "journal/2026-03-01-first",
                "Between us and readers.",
                visibility="unlisted",
                skills="{communication: 2}",
            ),
            "feedback/old.yaml": "on: journal/2026-03-01-first\nfrom: Sam Old\nrole: peer\ndate: 2026-06-01\n"
            "visibility: public\nratings: {communication: 4}\ncomment: Kept from the YAML days.\n",
        },
    )
    assert cli("build", root).code == 0
    items = page(root, "journal/2026-03-01-first").select(".feedback-item")
    assert [i.select_one(".feedback-from").get_text() for i in items] == ["Dr. Ana Ruiz", "Sam Old"]
    assert items[0].select_one(".badge-visibility").get_text() == "Unlisted"
    assert items[1].select_one("blockquote.feedback-text").get_text() == "Kept from the YAML days."
    overview = (root / "_site" / "self-assessment" / "index.html").read_text("utf-8")
    assert '4.0 <span class="sa-outside">(peer' in overview and "(tutor" not in overview
