"""The example portfolio shipped in example-portfolio/: it builds cleanly and
shows every feature. It is copied to a tmp folder first, so that nothing is
written into the repository.

Expectations are computed from the example's own sources, read here with
plain PyYAML (not with elenefolio's loader)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import feedparser
import pytest
import yaml
from conftest import assert_links_resolve, html_pages, resolve_link, skill_table, soup_of

FRAMEWORK = Path(__file__).resolve().parent.parent / "elenefolio" / "frameworks" / "elene4work.yaml"
SKILL_IDS = [s["id"] for s in yaml.safe_load(FRAMEWORK.read_text(encoding="utf-8"))["skills"]]
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@dataclass
class Source:
    path: Path
    section: str  # journal or artefacts
    meta: dict
    default_visibility: str

    @property
    def slug(self) -> str:
        return str(
            self.meta.get("slug")
            or (self.path.parent.name if self.path.name == "index.md" else self.path.stem)
        )

    @property
    def url(self) -> str:
        return f"{self.section}/{self.slug}/"

    @property
    def visibility(self) -> str:
        return self.meta.get("visibility") or self.default_visibility

    @property
    def public(self) -> bool:
        return self.visibility == "public" and not self.meta.get("draft", False)

    @property
    def skills(self) -> list[str]:
        return [s["skill"] if isinstance(s, dict) else s for s in self.meta.get("skills") or []]


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    match = re.match(r"---\n(.*?)\n---[ \t]*\n", text, re.DOTALL)
    assert match, f"{path} has no front matter"
    return yaml.safe_load(match.group(1))


@pytest.fixture(scope="module")
def config(example_copy) -> dict:
    return yaml.safe_load((example_copy / "portfolio.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def sources(example_copy, config) -> list[Source]:
    default = config.get("default_visibility", "private")
    journal = [
        Source(p, "journal", front_matter(p), default)
        for p in sorted((example_copy / "journal").rglob("*.md"))
    ]
    artefacts = []
    for p in sorted((example_copy / "artefacts").iterdir()):
        if p.suffix == ".md":
            artefacts.append(Source(p, "artefacts", front_matter(p), default))
        elif (p / "index.md").is_file():
            artefacts.append(Source(p / "index.md", "artefacts", front_matter(p / "index.md"), default))
    return journal + artefacts


@pytest.fixture(scope="module")
def public(sources) -> list[Source]:
    return [s for s in sources if s.public]


@pytest.fixture(scope="module")
def build(example_build):
    return example_build


@pytest.fixture(scope="module")
def site(example_copy, build) -> Path:
    assert build.code == 0, build.err
    return example_copy / "_site"


def test_example_builds_without_errors(build):
    assert build.code == 0, build.err
    assert "Traceback" not in build.err
    assert "built site in " in build.out


def test_example_builds_without_warnings(build):
    assert build.err == ""


def test_example_has_enough_content(sources):
    journal = [s for s in sources if s.section == "journal"]
    artefacts = [s for s in sources if s.section == "artefacts"]
    assert len(journal) >= 12
    assert len(artefacts) >= 5


def test_example_uses_every_journal_kind_and_several_media(sources, public):
    kinds = {s.meta.get("kind", "reflection") for s in public if s.section == "journal"}
    assert len(kinds) >= 5, kinds
    media = [
        m if isinstance(m, str) else m["src"]
        for s in public
        if s.section == "artefacts"
        for m in s.meta.get("media") or []
    ]
    suffixes = {Path(m).suffix.lower() for m in media}
    assert {".mp4", ".mp3", ".pdf"} <= suffixes and suffixes & {".png", ".jpg", ".jpeg"}


def test_every_skill_has_public_evidence_in_the_sources(public):
    evidenced = {skill for s in public for skill in s.skills}
    assert set(SKILL_IDS) - evidenced == set()


def test_every_skill_has_public_evidence_on_the_site(site, public):
    rows = skill_table(soup_of(site / "skills/index.html"))
    assert len(rows) == 15
    for skill_id, row in rows.items():
        artefacts, journal = int(row["Artefacts"]), int(row["Journal entries"])
        assert artefacts == sum(1 for s in public if s.section == "artefacts" and skill_id in s.skills)
        assert journal == sum(1 for s in public if s.section == "journal" and skill_id in s.skills)
        assert artefacts + journal > 0, skill_id


def test_every_public_item_has_a_page_and_no_other_item_has(site, sources):
    for source in sources:
        page = site / source.url / "index.html"
        if source.public or source.visibility == "unlisted" and not source.meta.get("draft"):
            assert page.is_file(), source.path
            assert soup_of(page).h1.get_text(strip=True) == source.meta["title"]
        elif source.visibility == "shared":  # a page, encrypted: its title is in no page
            assert soup_of(page).h1.get_text(strip=True) == "Shared page"
            for path in site.rglob("*.html"):
                assert source.meta["title"].encode() not in path.read_bytes(), (source.path, path)
        else:
            assert not page.exists(), source.path
            for path in site.rglob("*.html"):
                assert source.meta["title"].encode() not in path.read_bytes(), (source.path, path)


def test_feed_parses_and_lists_only_public_items(site, public, config):
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    base = config["base_url"]
    assert sorted(e.link for e in feed.entries) == sorted(base + s.url for s in public)
    assert sorted(e.title for e in feed.entries) == sorted(s.meta["title"] for s in public)
    for e in feed.entries:
        assert (site / resolve_link("", e.link[len(base) :])).is_file()


def test_sitemap_urls_are_absolute_and_exist(site, public, config):
    base = config["base_url"]
    locs = [loc.text for loc in ET.parse(site / "sitemap.xml").getroot().findall("s:url/s:loc", SITEMAP_NS)]
    assert locs and len(locs) == len(set(locs))
    for loc in locs:
        assert loc.startswith(base), loc
        assert (site / resolve_link("", loc[len(base) :])).is_file(), loc
    items = sorted(loc for loc in locs if re.search(r"/(journal|artefacts)/[^/]+/$", loc))
    assert items == sorted(base + s.url for s in public)
    assert base + "skills/" in locs and all(base + f"skills/{s}/" in locs for s in SKILL_IDS)


def test_internal_links_resolve(site, config):
    assert assert_links_resolve(site, config["base_url"]) > 100


def test_media_of_public_artefacts_are_published(site, public):
    for source in public:
        if source.section != "artefacts":
            continue
        for media in source.meta.get("media") or []:
            src = media if isinstance(media, str) else media["src"]
            if "://" in src:
                continue
            copied = site / source.url / src
            assert copied.is_file(), copied
            assert copied.read_bytes() == (source.path.parent / src).read_bytes()


def test_pages_have_titles_and_language(site, config):
    for page in html_pages(site):
        soup = soup_of(page)
        assert soup.html["lang"] == config.get("language", "en"), page
        assert soup.title and soup.title.get_text(strip=True), page
        assert soup.find("h1"), page


def test_author_email_is_never_published(site, config):
    emails = config["author"].get("email") or []
    emails = [emails] if isinstance(emails, str) else emails
    assert emails
    for path in site.rglob("*"):
        if path.is_file():
            for email in emails:
                assert email.encode() not in path.read_bytes(), path
