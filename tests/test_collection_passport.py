"""``elenefolio passport --collection NAME``: the passport of one collection, and what a
private collection never reaches (public builds, exports, passports)."""

from __future__ import annotations

import json
import re

import pytest
from conftest import canary_hits, config_yaml, entry, run_cli, write_portfolio
from pypdf import PdfReader

from elenefolio.load import load_portfolio
from elenefolio.passport import passport_html
from elenefolio.problems import Problems
from elenefolio.site import build_site
from elenefolio.site.audience import Audience

pytestmark = pytest.mark.slow

FILES = {
    "portfolio.yaml": config_yaml(),
    "artefacts/bridge.md": entry(
        "Bridge model",
        "2026-03-01",
        "How I built it.",
        visibility="public",
        type="document",
        skills="\n  - skill: teamwork\n    evidence: I shared the sawing.",
    ),
    "artefacts/poster.md": entry(
        "Outsidework poster", "2026-03-02", "Not chosen.", visibility="public", skills="[creativity]"
    ),
    "artefacts/sketch.md": entry("Hiddencanary sketch", "2026-03-03", "Mine.", visibility="private"),
    "journal/diary.md": entry(
        "Lab diary", "2026-03-04", "Notes.", visibility="public", kind="record", skills="[analytical-skills]"
    ),
    "collections/showcase.yaml": (
        'title: "Showcase for the bridge firm"\n'
        'intro: "Why **these** pieces."\n'
        "items: [artefacts/bridge, journal/diary]\n"
        "visibility: public\n"
    ),
    "collections/mine.yaml": (
        'title: "Privcollcanary applications"\n'
        "items: [artefacts/sketch, artefacts/bridge]\n"  # default_visibility: private
    ),
}


def text_of(pdf) -> str:
    reader = PdfReader(pdf)
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in reader.pages))


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    return write_portfolio(tmp_path_factory.mktemp("collection") / "portfolio", FILES)


def test_the_passport_of_a_collection_shows_its_items_alone(root):
    run = run_cli("passport", root, "--collection", "showcase")
    assert run.code == 0, run.err
    pdf = root / "passport-showcase.pdf"
    text = text_of(pdf)
    assert "Showcase for the bridge firm" in text  # on the cover
    assert "Why these pieces." in text
    assert "Bridge model" in text and "Lab diary" in text
    assert "I shared the sawing." in text
    assert "Outsidework" not in text  # a public artefact the collection does not hold
    reader = PdfReader(pdf)
    data = json.loads(reader.attachments["portfolio.json"][0])
    assert [e["id"] for e in data["evidence"]] == ["artefacts/bridge", "journal/diary"]
    counts = {s["id"]: s["evidence_count"] for s in data["skills"] if s["evidence_count"]}
    assert counts == {"teamwork": 1, "analytical-skills": 1}
    assert data["collection"]["url"] == "https://example.org/collections/showcase/"
    assert "Privcollcanary" not in json.dumps(data)


def test_a_private_collection_needs_the_private_copy(root, tmp_path):
    run = run_cli("passport", root, "--collection", "mine", "-o", tmp_path / "p.pdf")
    assert run.code == 1
    assert run.err.strip() == (
        "collections/mine.yaml:1: this collection is private: only a private copy (--private) may show it"
    )
    assert not (tmp_path / "p.pdf").exists()
    run = run_cli("passport", root, "--collection", "showcas")
    assert run.code == 1
    assert "no collection 'showcas' (did you mean 'showcase'?)" in run.err


def test_a_private_collection_reaches_no_public_output(root, tmp_path):
    site = tmp_path / "site"
    assert run_cli("build", root, "-o", site).code == 0
    for fmt, name in (("json-resume", "r.json"), ("json", "p.json"), ("leap2a", "l.zip")):
        run = run_cli("export", root, "--format", fmt, "-o", site / name)
        assert run.code == 0, run.err
    assert canary_hits(site, ["privcollcanary", "hiddencanary"]) == []
    assert (site / "collections" / "showcase" / "index.html").is_file()
    assert (site / "pagefind").is_dir()  # the search index was among what was searched
    # the whole public passport (its HTML and attachment: the PDF is made from them)
    problems = Problems(root)
    public = build_site(load_portfolio(root, problems), Audience(), problems)
    html, _css, _folder, manifest, _document = passport_html(public)
    assert "Privcollcanary" not in html + json.dumps(manifest)
    assert "Showcase for the bridge firm" not in html  # a collection is not in the passport


def test_the_private_copy_makes_the_private_collection_passport(root, tmp_path):
    out = tmp_path / "mine.pdf"
    run = run_cli("passport", root, "--collection", "mine", "--private", "-o", out)
    assert run.code == 0, run.err
    text = text_of(out)
    assert "Privcollcanary applications" in text and "Hiddencanary sketch" in text
    assert "Outsidework" not in text
