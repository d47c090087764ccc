"""Privacy: only public items are listed; unlisted items have their own page and
appear nowhere else; private and draft items leave no trace in the output.

Unique canary strings are planted in the private and draft items (titles,
bodies, tags, evidence, file names) and every output file is scanned, both
its bytes and its path."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import feedparser
import pytest
from conftest import (
    JPEG,
    MP4,
    PNG,
    assert_links_resolve,
    canary_hits,
    config_yaml,
    html_pages,
    output_files,
    resolve_link,
    run_cli,
    skill_table,
    soup_of,
    write_and_build,
    write_portfolio,
)

BASE = "https://example.org/"

# Canaries: lowercase letters and digits, so slugs and URL-quoting keep them intact.
PRIVATE_CANARIES = [
    "zqprivtitle1",
    "zqprivbody1",
    "zqprivtag1",
    "zqprivimage1",
    "zqprivslug1",
    "zqprivarttitle1",
    "zqprivartbody1",
    "zqprivmedia1",
    "zqprivphoto1",
    "zqprivevidence1",
    "zqprivart1",
    "zqdefaulttitle1",
]
DRAFT_CANARIES = ["zqdrafttitle1", "zqdraftbody1", "zqdrafttag1", "zqdraftslug1", "zqdraftevidence1"]
UNLISTED_CANARIES = ["zqunlistedtitle1", "zqunlistedbody1", "zqunlistedtag1", "zqunlistedslug1"]


@dataclass
class Item:
    path: str
    title: str
    date: str
    visibility: str | None  # None: the portfolio's default_visibility (private)
    draft: bool = False
    skills: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    body: str = "Some text."
    media: list[str] = field(default_factory=list)  # YAML lines of the media list

    @property
    def is_artefact(self) -> bool:
        return self.path.startswith("artefacts/")

    @property
    def url(self) -> str:
        if self.is_artefact:
            return f"artefacts/{Path(self.path).parent.name}/"
        return f"journal/{Path(self.path).stem}/"

    @property
    def public(self) -> bool:
        return self.visibility == "public" and not self.draft

    def text(self) -> str:
        lines = ["---", f'title: "{self.title}"', f"date: {self.date}"]
        if self.visibility:
            lines.append(f"visibility: {self.visibility}")
        if self.draft:
            lines.append("draft: true")
        if self.tags:
            lines.append(f"tags: [{', '.join(self.tags)}]")
        if self.skills and self.is_artefact:
            lines.append("skills:")
            for skill in self.skills:
                lines += [f"  - skill: {skill}", f'    evidence: "Evidence {self.title} {skill}"']
        elif self.skills:
            lines.append(f"skills: [{', '.join(self.skills)}]")
        if self.media:
            lines.append("media:")
            lines += [f"  {m}" for m in self.media]
        return "\n".join(lines + ["---", "", self.body, ""])


ITEMS = [
    Item(
        "journal/2024-01-05-public-start.md",
        "Public start",
        "2024-01-05",
        "public",
        skills=["teamwork", "communication"],
        tags=["shared", "first"],
        body="A public entry. Read [my private notes](2024-03-01-zqprivslug1.md) and\n"
        "[the draft](2024-03-02-zqdraftslug1.md) some day.",
    ),
    Item(
        "journal/2024-02-10-public-second.md",
        "Public second",
        "2024-02-10",
        "public",
        skills=["teamwork"],
        tags=["shared"],
        body="Another public entry.",
    ),
    Item(
        "artefacts/public-poster/index.md",
        "Public poster",
        "2024-02-11",
        "public",
        skills=["teamwork", "creativity"],
        tags=["shared"],
        media=["- src: poster.png", "  alt: A poster"],
        body="Why the poster.",
    ),
    # private: the canary is in the title, body, tag, image file name and address
    Item(
        "journal/2024-03-01-zqprivslug1.md",
        "Secret zqprivtitle1",
        "2024-03-01",
        "private",
        skills=["leadership", "teamwork"],
        tags=["zqprivtag1", "shared"],
        body="Private zqprivbody1 thoughts.\n\n![A picture](zqprivimage1.png)",
    ),
    # no visibility: the default (private) applies
    Item(
        "journal/2024-03-04-no-visibility.md",
        "Default zqdefaulttitle1",
        "2024-03-04",
        None,
        skills=["adaptability"],
        tags=["shared"],
    ),
    # a public item that is still a draft
    Item(
        "journal/2024-03-02-zqdraftslug1.md",
        "Draft zqdrafttitle1",
        "2024-03-02",
        "public",
        draft=True,
        skills=["negotiation", "teamwork"],
        tags=["zqdrafttag1", "shared"],
        body="Draft zqdraftbody1 text.",
    ),
    Item(
        "artefacts/zqprivart1/index.md",
        "Private art zqprivarttitle1",
        "2024-03-03",
        "private",
        skills=["creativity", "digital-problem-solving"],
        tags=["shared"],
        media=["- src: zqprivmedia1.mp4", "- src: zqprivphoto1.png", "  alt: zqprivevidence1"],  # alt text
        body="Private artefact zqprivartbody1.",
    ),
    Item(
        "artefacts/draft-art/index.md",
        "Draft art zqdraftevidence1",
        "2024-03-05",
        "public",
        draft=True,
        skills=["problem-solving"],
    ),
    Item(
        "journal/2024-03-06-zqunlistedslug1.md",
        "Unlisted zqunlistedtitle1",
        "2024-03-06",
        "unlisted",
        skills=["self-evaluation", "teamwork"],
        tags=["zqunlistedtag1", "shared"],
        body="Unlisted zqunlistedbody1 words.",
    ),
]
UNLISTED_URL = "journal/2024-03-06-zqunlistedslug1/"
DRAFT_URL = "journal/2024-03-02-zqdraftslug1/"
PRIVATE_URL = "journal/2024-03-01-zqprivslug1/"


def portfolio_files() -> dict:
    files = {
        "portfolio.yaml": config_yaml(base_url=BASE, default_visibility="private"),
        "journal/zqprivimage1.png": PNG,
        "artefacts/public-poster/poster.png": PNG,
        "artefacts/zqprivart1/zqprivmedia1.mp4": MP4,
        "artefacts/zqprivart1/zqprivphoto1.png": JPEG,
    }
    files.update({item.path: item.text() for item in ITEMS})
    return files


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    return write_portfolio(tmp_path_factory.mktemp("privacy") / "portfolio", portfolio_files())


@pytest.fixture(scope="module")
def public(root):
    return write_and_build(root, {})


@pytest.fixture(scope="module")
def site(public) -> Path:
    return public.site


@pytest.fixture(scope="module")
def private(root, public):
    # built after the public site, into its own default folder
    return write_and_build(root, {}, "--private")


@pytest.fixture(scope="module")
def drafts(root, tmp_path_factory):
    return write_and_build(root, {}, "--drafts", output=tmp_path_factory.mktemp("drafts") / "site")


def html(site: Path, url: str):
    return soup_of(site / (url + "index.html"))


# --- private and draft items leave no trace --------------------------------------------


def test_no_private_or_draft_canary_in_any_output_file_or_path(site):
    assert len(output_files(site)) > 20
    assert canary_hits(site, PRIVATE_CANARIES + DRAFT_CANARIES) == []


def test_canary_scan_would_find_them(root, private):
    # the same scan finds the private canaries in the private copy: it is not blind
    found = {canary for canary, _ in canary_hits(private.site, PRIVATE_CANARIES)}
    assert found == set(PRIVATE_CANARIES)


def test_the_public_items_are_there(site):
    for item in ITEMS:
        if item.public:
            assert html(site, item.url).h1.get_text(strip=True) == item.title


# --- unlisted items: own page only ----------------------------------------------------------


def test_unlisted_item_has_its_own_page_with_noindex(site):
    soup = html(site, UNLISTED_URL)
    assert soup.h1.get_text(strip=True) == "Unlisted zqunlistedtitle1"
    assert "zqunlistedbody1" in soup.select_one(".prose").get_text()
    robots = soup.find("meta", attrs={"name": "robots"})
    assert robots is not None and robots["content"].startswith("noindex")
    assert soup.find("link", rel="canonical") is None


def test_unlisted_canaries_only_in_its_own_page(site):
    own = (UNLISTED_URL + "index.html").lower()
    elsewhere = [
        (c, where)
        for c, where in canary_hits(site, UNLISTED_CANARIES)
        if where not in (f"content of {own}", f"path {own}", f"path {UNLISTED_URL.rstrip('/')}")
    ]
    assert elsewhere == []
    assert {c for c, _ in canary_hits(site, UNLISTED_CANARIES)} == set(UNLISTED_CANARIES)


def test_unlisted_item_has_no_tag_page_and_no_neighbours(site):
    assert not (site / "tags/zqunlistedtag1").exists()
    soup = html(site, UNLISTED_URL)
    assert soup.find("a", rel="prev") is None and soup.find("a", rel="next") is None
    # its tag that public items share links to the public tag page, which does not list it
    shared = html(site, "tags/shared/")
    assert UNLISTED_URL not in str(shared)


# --- counts, feed, sitemap ------------------------------------------------------------------------


def expected_counts(items) -> dict[str, tuple[int, int]]:
    counts: dict[str, list[int]] = {}
    for item in items:
        for skill in item.skills:
            counts.setdefault(skill, [0, 0])[0 if item.is_artefact else 1] += 1
    return {k: tuple(v) for k, v in counts.items()}


def skill_counts(site: Path) -> dict[str, tuple[int, ...]]:
    return {
        skill_id: (int(row["Artefacts"]), int(row["Journal entries"]))
        for skill_id, row in skill_table(html(site, "skills/")).items()
    }


def test_skill_counts_are_public_items_only(site):
    shown = skill_counts(site)
    assert len(shown) == 15
    expected = expected_counts([i for i in ITEMS if i.public])
    assert {k: v for k, v in shown.items() if v != (0, 0)} == expected
    # teamwork is claimed by seven items, three of them public
    assert shown["teamwork"] == (1, 2)
    for only_hidden in (
        "leadership",
        "negotiation",
        "adaptability",
        "problem-solving",
        "self-evaluation",
        "digital-problem-solving",
    ):
        assert shown[only_hidden] == (0, 0), only_hidden


def test_skill_pages_link_only_public_items(site):
    public_pages = {item.url + "index.html" for item in ITEMS if item.public}
    for skill_page in (site / "skills").glob("*/index.html"):
        url = skill_page.relative_to(site).parent.as_posix() + "/"
        soup = soup_of(skill_page)
        for a in soup.find("main").find_all("a", href=True):
            target = resolve_link(url, a["href"]) if not a["href"].startswith("http") else ""
            if re.fullmatch(r"(journal|artefacts)/[^/]+/index\.html", target):
                assert target in public_pages, (url, target)


def test_tag_counts_are_public_items_only(site):
    soup = html(site, "tags/")
    links = {
        a["href"].rstrip("/").rsplit("/", 1)[-1]: a
        for a in soup.find("main").find_all("a", href=True)
        if "tags/" in resolve_link("tags/", a["href"])
    }
    expected = {}
    for item in ITEMS:
        if item.public:
            for tag in item.tags:
                expected[tag] = expected.get(tag, 0) + 1
    assert set(links) == set(expected)
    for tag, a in links.items():
        assert int(re.sub(r"\D", "", a.select_one(".count").get_text())) == expected[tag], tag
    assert sorted(p.parent.name for p in (site / "tags").glob("*/index.html")) == sorted(expected)


def test_feed_lists_only_public_items(site):
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not feed.bozo
    assert sorted(e.title for e in feed.entries) == sorted(i.title for i in ITEMS if i.public)


def test_sitemap_lists_only_public_pages(site):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [loc.text for loc in ET.parse(site / "sitemap.xml").getroot().findall("s:url/s:loc", ns)]
    item_locs = sorted(loc for loc in locs if re.search(r"/(journal|artefacts)/[^/]+/$", loc))
    assert item_locs == sorted(BASE + item.url for item in ITEMS if item.public)
    assert not any("unlisted" in loc for loc in locs)


def test_journal_index_lists_only_public_entries(site):
    titles = [
        a.get_text(strip=True)
        for a in html(site, "journal/").select("main .timeline a")
        if "journal/" in resolve_link("journal/", a["href"])
    ]
    expected = [
        i.title for i in sorted(ITEMS, key=lambda i: i.date, reverse=True) if i.public and not i.is_artefact
    ]
    assert titles == expected


# --- links to unpublished items ------------------------------------------------------------------


def test_link_to_a_private_item_is_plain_text_with_a_warning(public, site):
    prose = html(site, "journal/2024-01-05-public-start/").select_one(".prose")
    for text in ("my private notes", "the draft"):
        node = prose.find(string=re.compile(text))
        assert node is not None, text
        assert node.find_parent("a") is None, text
    assert [a["href"] for a in prose.find_all("a")] == []
    warnings = [line for line in public.run.err.splitlines() if "warning:" in line]
    assert any(
        line.startswith("journal/2024-01-05-public-start.md:")
        and "2024-03-01-zqprivslug1.md" in line
        and "not published" in line
        for line in warnings
    ), public.run.err
    assert any("2024-03-02-zqdraftslug1.md" in line for line in warnings)


def test_public_site_links_resolve(site):
    assert assert_links_resolve(site, BASE) > 0


# --- the private copy -------------------------------------------------------------------------------


def test_private_build_goes_to_private_folder(root, private):
    assert private.site == root / "_private"
    assert (root / "_private/index.html").is_file()
    assert "private copy" in private.run.out


def test_private_build_did_not_touch_the_public_site(site, private):
    assert canary_hits(site, PRIVATE_CANARIES + DRAFT_CANARIES) == []


def test_private_copy_has_everything_but_drafts(private):
    out = private.site
    assert html(out, PRIVATE_URL).h1.get_text(strip=True) == "Secret zqprivtitle1"
    assert (out / PRIVATE_URL / "zqprivimage1.png").read_bytes() == PNG
    assert (out / "artefacts/zqprivart1/zqprivmedia1.mp4").read_bytes() == MP4
    assert (out / UNLISTED_URL / "index.html").is_file()
    assert (out / "journal/2024-03-04-no-visibility/index.html").is_file()
    assert canary_hits(out, DRAFT_CANARIES) == []
    assert skill_counts(out) == {
        **{k: (0, 0) for k in skill_counts(out)},
        **expected_counts([i for i in ITEMS if not i.draft]),
    }


def test_private_copy_has_the_banner_on_every_page(private):
    pages = html_pages(private.site)
    assert len(pages) > 20
    for page in pages:
        soup = soup_of(page)
        body = soup.body.get_text(" ", strip=True).lower()
        assert "private copy" in body, page
        robots = soup.find("meta", attrs={"name": "robots"})
        assert robots is not None and "noindex" in robots["content"], page


def test_private_copy_is_not_for_search_engines(private):
    assert "Disallow: /" in (private.site / "robots.txt").read_text()
    assert not (private.site / "sitemap.xml").exists()


def test_public_pages_have_no_banner(site):
    for page in html_pages(site):
        assert "private copy" not in soup_of(page).get_text(" ").lower(), page


def test_private_copy_links_resolve(private):
    assert assert_links_resolve(private.site, BASE) > 0


# --- drafts ------------------------------------------------------------------------------------------


def test_drafts_build_includes_the_draft(drafts):
    out = drafts.site
    soup = html(out, DRAFT_URL)
    assert soup.h1.get_text(strip=True) == "Draft zqdrafttitle1"
    assert "draft" in soup.find("main").get_text(" ").lower()  # it is marked as a draft
    assert (out / "artefacts/draft-art/index.html").is_file()
    # but private items stay out of a public build with drafts
    assert canary_hits(out, PRIVATE_CANARIES) == []


def test_private_build_with_drafts_includes_everything(root, tmp_path):
    run = run_cli("build", root, "--private", "--drafts", "-o", tmp_path / "all")
    assert run.code == 0, run.err
    out = tmp_path / "all"
    for url in (DRAFT_URL, PRIVATE_URL, UNLISTED_URL, "artefacts/zqprivart1/", "artefacts/draft-art/"):
        assert (out / url / "index.html").is_file(), url
