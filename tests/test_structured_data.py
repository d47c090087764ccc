"""schema.org JSON-LD and Open Graph tags: right types, safe serialisation, public pages only."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup
from interop_helpers import BASE_URL, EMAIL, NAME, make_portfolio

from elenefolio.pipeline import BuildOptions, build
from elenefolio.render.structured_data import script_json


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    base = tmp_path_factory.mktemp("sd")
    root = make_portfolio(base / "folio", badges=False)
    build(BuildOptions(root=root, output=base / "public"))
    build(BuildOptions(root=root, output=base / "private", private=True))
    return base / "public", base / "private"


def jsonld(path):
    soup = BeautifulSoup(path.read_text(), "lxml")
    scripts = soup.find_all("script", type="application/ld+json")
    return [json.loads(s.string) for s in scripts], soup


def og(soup) -> dict:
    return {m["property"]: m["content"] for m in soup.find_all("meta", property=True)}


def test_home_has_a_person(sites):
    (data,), soup = jsonld(sites[0] / "index.html")
    assert data["@context"] == "https://schema.org" and data["@type"] == "Person"
    assert data["name"] == NAME and data["url"] == BASE_URL
    assert data["sameAs"] == ["https://github.com/ada-canary"]
    assert og(soup)["og:type"] == "profile" and og(soup)["og:url"] == BASE_URL
    assert EMAIL not in json.dumps(data)


def test_journal_entry_is_a_blog_posting_with_skills_as_defined_terms(sites):
    (data,), soup = jsonld(sites[0] / "journal/2026-01-10-first-steps/index.html")
    assert data["@type"] == "BlogPosting"
    assert data["headline"] == "First steps </script><script>alert(1)</script>"
    assert data["datePublished"] == "2026-01-10"
    assert data["keywords"] == "alpha, group work"
    terms = {t["termCode"]: t for t in data["about"]}
    assert terms["teamwork"]["@type"] == "DefinedTerm"
    assert terms["teamwork"]["sameAs"] == "http://data.europa.eu/esco/skill/T4.3"
    assert og(soup)["og:type"] == "article" and og(soup)["og:title"] == data["headline"]
    assert og(soup)["article:tag"] in ("alpha", "group work")


def test_json_ld_cannot_break_out_of_its_script(sites):
    raw = (sites[0] / "journal/2026-01-10-first-steps/index.html").read_text()
    start = raw.index('<script type="application/ld+json">')
    block = raw[start : raw.index("</script>", start)]
    assert "<script>alert" not in block and "\\u003c/script\\u003e" in block
    assert "<script>alert(1)" not in raw.split("<body", 1)[0].replace("&lt;script&gt;", "")
    text = str(script_json({"a": "</script><!-- & \u2028"}))
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><!-- & \u2028"}


def test_artefact_is_a_creative_work_with_image(sites):
    (data,), soup = jsonld(sites[0] / "artefacts/poster/index.html")
    assert data["@type"] == "CreativeWork" and data["name"] == "Science poster"
    assert data["dateCreated"] == "2026-02-01"
    assert data["image"] == BASE_URL + "artefacts/poster/poster.png"
    assert og(soup)["og:image"] == data["image"]


def test_skill_page_is_a_defined_term(sites):
    (data,), _ = jsonld(sites[0] / "skills/teamwork/index.html")
    assert data["@type"] == "DefinedTerm" and data["termCode"] == "teamwork"
    assert data["sameAs"] == "http://data.europa.eu/esco/skill/T4.3"
    assert data["inDefinedTermSet"]["@type"] == "DefinedTermSet"


def test_no_structured_data_for_unlisted_pages_or_private_copies(sites):
    public, private = sites
    found, soup = jsonld(public / "journal/2026-01-15-unlisted/index.html")
    assert found == [] and not og(soup)
    for page in private.rglob("*.html"):
        found, soup = jsonld(page)
        assert found == [] and not og(soup), page
