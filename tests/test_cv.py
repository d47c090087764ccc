"""``elenefolio cv``: one or two pages, tagged PDF or self-contained HTML, public data only
unless --private, in the portfolio's language."""

from __future__ import annotations

import re
import shutil

import pytest
from bs4 import BeautifulSoup
from conftest import EXAMPLE, config_yaml, entry, run_cli, write_portfolio
from pypdf import PdfReader

pytestmark = pytest.mark.slow


def text_of(pdf) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in PdfReader(pdf).pages))


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    root = tmp_path_factory.mktemp("cv") / "example"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("_site", "_private", ".elenefolio-cache"))
    run = run_cli("cv", root)
    assert run.code == 0, run.err
    return root


def test_the_example_cv_is_one_or_two_tagged_a4_pages(example):
    reader = PdfReader(example / "cv.pdf")
    assert 1 <= len(reader.pages) <= 2
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (595, 842)  # A4 in points
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"] == True  # noqa: E712 - tagged (a pypdf BooleanObject)
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "en"
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in (page["/Resources"].get("/Font") or {}).values()
    }
    assert any("Inter" in f for f in fonts) and any("Source-Serif-4" in f for f in fonts), fonts


def test_the_example_cv_shows_what_an_employer_reads_first(example):
    text = text_of(example / "cv.pdf")
    assert "Lucía Ortega Marín" in text
    assert "Physics student" in text
    assert "github.com/lucia-ortega" in text
    assert "SKILLS AND EVIDENCE" in text and "Communication" in text
    assert "I explained damping without a single equation" in text  # an evidence statement
    assert "Teamwork Skills: Communicating Effectively in Groups" in text  # a MOOC taken
    assert "Teamwork in Online Groups" in text  # a badge
    assert "Why does the pendulum forget? Our group film" in text  # featured work
    assert "lucia.ortega@example.org" not in text
    # private, unlisted and draft items of the example
    for hidden in ("Group 4 retrospective", "Notes for my meeting", "Am I slower", "After the tutorial"):
        assert hidden not in text


def test_the_html_cv_is_one_file_in_the_portfolio_language(example, tmp_path):
    root = tmp_path / "fr"
    shutil.copytree(example, root)
    config = root / "portfolio.yaml"
    config.write_text(config.read_text().replace("language: en", "language: fr"))
    out = tmp_path / "cv.html"
    run = run_cli("cv", root, "--format", "html", "-o", out)
    assert run.code == 0, run.err
    html = out.read_text()
    soup = BeautifulSoup(html, "lxml")
    assert soup.html["lang"] == "fr"
    assert "Compétences" in soup.get_text() or "compétences" in soup.get_text()
    assert not soup.select("link[rel=stylesheet], script")
    for element in soup.select("[src]"):
        assert element["src"].startswith("data:"), element["src"]
    assert "@font-face" in soup.style.string and "data:font/woff2;base64," in soup.style.string
    assert "file:" not in html and "/tmp" not in html and str(root) not in html


CANARY_FILES = {
    "portfolio.yaml": config_yaml(),
    "artefacts/bridge.md": entry(
        "Bridge model",
        "2026-03-01",
        "How I built it.",
        visibility="public",
        featured="true",
        skills="\n  - skill: teamwork\n    evidence: I shared the sawing.",
    ),
    "artefacts/secret.md": entry(
        "Cvcanary secret",
        "2026-03-02",
        "Mine.",
        visibility="private",
        featured="true",
        skills="\n  - skill: teamwork\n    evidence: Cvcanary statement.",
    ),
    "journal/diary.md": entry(
        "مذكرات المختبر", "2026-03-04", "Notes.", visibility="public", skills="[analytical-skills]"
    ),
    "collections/firm.yaml": (
        'title: "For the bridge firm"\nintro: "Chosen for the firm."\n'
        "items: [journal/diary]\nskills: [analytical-skills]\nvisibility: public\n"
    ),
}


def test_private_items_only_in_the_private_cv_and_collections(tmp_path):
    root = write_portfolio(tmp_path / "p", CANARY_FILES)
    assert run_cli("cv", root).code == 0
    public = text_of(root / "cv.pdf")
    assert "Bridge model" in public and "Cvcanary" not in public
    run = run_cli("cv", root, "--private", "--format", "html")
    assert run.code == 0, run.err
    private = (root / "cv-private.html").read_text()
    assert "Cvcanary secret" in private and "Private copy" in private
    run = run_cli("cv", root, "--collection", "firm", "--format", "html")
    assert run.code == 0, run.err
    soup = BeautifulSoup((root / "cv-firm.html").read_text(), "lxml")
    assert soup.select_one(".cv-kicker").get_text() == "For the bridge firm"
    assert soup.select_one(".cv-profile").get_text() == "Chosen for the firm."
    assert [h.get_text() for h in soup.select(".cv-skill-name")] == ["Analytical skills"]
    assert soup.select_one(".cv-evidence a").get_text() == "مذكرات المختبر"
    assert soup.select_one(".cv-evidence a")["dir"] == "auto"
    assert "Bridge model" not in soup.get_text()
    run = run_cli("cv", root, "--collection", "frim")
    assert run.code == 1 and "did you mean 'firm'?" in run.err
