"""The home page an employer sees: "skills at a glance" must not be inflated by what is not
published (private, unlisted or draft items), and the monogram is made from the first name
and the first surname."""

from __future__ import annotations

import pytest
from attack_support import CANARY, cli, md, portfolio
from bs4 import BeautifulSoup

from elenefolio.render.templates import initials


def glance(site) -> dict[str, str]:
    soup = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    return {
        " ".join(card.select_one(".glance-name").get_text().split()): " ".join(
            card.select_one(".glance-counts").get_text().split()
        )
        for card in soup.select(".glance-skill")
    }


def test_hidden_items_do_not_count_in_skills_at_a_glance(tmp_path):
    """Three public entries show teamwork; ten private, unlisted and draft ones claim
    negotiation (one of them also teamwork): the public page counts only the three."""
    hidden = {}
    for n in range(10):
        visibility = ("private", "unlisted", "public")[n % 3]
        hidden[f"journal/2026-02-{n + 1:02d}-hidden-{n}.md"] = md(
            f"{CANARY} {n}",
            date=f"2026-02-{n + 1:02d}",
            visibility=visibility,
            kind="idea",
            skills="[negotiation, teamwork]" if n == 0 else "[negotiation]",
            **({"draft": "true"} if visibility == "public" else {}),
        )
    shown = {
        f"journal/2026-03-{n:02d}-team-{n}.md": md(
            f"Team {n}", date=f"2026-03-{n:02d}", kind="idea", skills="[teamwork]"
        )
        for n in (2, 3, 4)
    }
    root = portfolio(tmp_path / "p", {**hidden, **shown})
    run = cli("build", root, "-q")
    assert run.code == 0, run.err
    assert glance(root / "_site") == {"Teamwork": "3 pieces of evidence"}
    private = cli("build", root, "--private", "--drafts", "-q")  # the owner's copy counts them all
    assert private.code == 0, private.err
    counts = glance(root / "_private")
    assert counts["Negotiation"] == "10 pieces of evidence" and counts["Teamwork"] == "4 pieces of evidence"


def test_no_skills_at_a_glance_without_evidence(tmp_path):
    root = portfolio(tmp_path / "p")  # one public entry that shows no skill
    assert cli("build", root, "-q").code == 0
    assert glance(root / "_site") == {}


@pytest.mark.parametrize(
    "name, letters",
    [
        ("Ana Silva", "AS"),
        ("Lucía Ortega Marín", "LO"),  # Spanish: given name, first surname, second surname
        ("Ana María Silva Pérez", "AS"),  # two given names, two surnames
        ("María José García de la Torre", "MG"),
        ("Jan van der Berg", "JB"),  # particles are not initials
        ("Maija Virtanen", "MV"),
        ("Madonna", "M"),
        ("Jean-Luc Picard", "JP"),
        ("Émile Zola", "ÉZ"),
        ("(Dr) Ada Lovelace", "AL"),
        ("", ""),
    ],
)
def test_initials_of_the_first_name_and_the_first_surname(name, letters):
    assert initials(name) == letters


def test_the_monogram_shows_the_initials(tmp_path):
    root = portfolio(tmp_path / "p", author={"name": "Ana María Silva Pérez"})
    assert cli("build", root, "-q").code == 0
    soup = BeautifulSoup((root / "_site" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.select_one(".monogram").get_text() == "AS"
