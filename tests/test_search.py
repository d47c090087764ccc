"""Search: the /search/ page and its static Pagefind index hold public, listed content
only. The privacy portfolio of test_privacy (canaries in private, draft and
unlisted items) gets one more public entry with its own canary, the positive
control: the scans below read inside the index's compressed files, and the
browser searches the served site for every canary.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import canary_hits, entry, html_pages, output_files, run_cli, soup_of, write_and_build
from test_privacy import DRAFT_CANARIES, PRIVATE_CANARIES, UNLISTED_CANARIES, UNLISTED_URL, portfolio_files

PUBLIC_CANARY = "zqpublicsearch1"
TAG_ONLY = "zqtagonly1"  # a tag of the findable entry, nowhere in its text
FRAMEWORK = Path(__file__).resolve().parent.parent / "elenefolio" / "frameworks" / "elene4work.yaml"


def skill_word() -> str:
    """The longest word of the first skill's description: skill pages are searchable too."""
    import yaml

    description = yaml.safe_load(FRAMEWORK.read_text(encoding="utf-8"))["skills"][0]["description"]
    return max((w.strip(".,;:") for w in description.lower().split()), key=len)


SKILL_WORD = skill_word()


def files() -> dict:
    return dict(
        portfolio_files(),
        **{
            "journal/2024-04-01-findable.md": entry(
                "Findable entry",
                "2024-04-01",
                f"A public {PUBLIC_CANARY} word to find.",
                visibility="public",
                kind="idea",
                tags=f"[{TAG_ONLY}]",
            )
        },
    )


@pytest.fixture(scope="module")
def public(tmp_path_factory):
    return write_and_build(tmp_path_factory.mktemp("search") / "portfolio", files())


@pytest.fixture(scope="module")
def site(public) -> Path:
    return public.site


@pytest.fixture(scope="module")
def private(public):
    return write_and_build(public.root, {}, "--private")


def index_hits(site: Path, canaries: list[str]) -> set[str]:
    return {canary for canary, _ in canary_hits(site / "pagefind", canaries)}


def test_search_page_has_a_labelled_field_and_a_live_status(site):
    soup = soup_of(site / "search" / "index.html")
    form = soup.select_one("form[role=search]")
    field = form.select_one("input[type=search]")
    assert soup.select_one(f"label[for={field['id']}]").get_text(strip=True)
    status = soup.select_one("#search-status")
    assert status["role"] == "status" and status["aria-live"] == "polite"
    assert field["aria-describedby"] == "search-status"
    index = (site / "search" / form["data-index"]).resolve()
    assert index == (site / "pagefind").resolve()
    first = json.loads((index / "shards.json").read_text())["shards"][0]
    assert (index / first / "pagefind.js").is_file()  # the client the search page loads
    assert soup.select_one("noscript")  # says what to do without JavaScript


def test_every_page_links_to_the_search_page(site):
    for path in html_pages(site):
        nav = soup_of(path).select_one("nav.site-nav")
        assert any(a.get_text(strip=True) == "Search" for a in nav.find_all("a")), path


def test_the_index_is_static_files_only(site):
    index = site / "pagefind"
    assert json.loads((index / "shards.json").read_text()) == {"shards": ["0/"]}  # a small site: one
    names = {p.relative_to(index).as_posix() for p in output_files(index)}
    assert {"shards.json", "0/pagefind.js", "0/pagefind-worker.js"} <= names
    assert any(n.startswith("0/fragment/") for n in names)
    assert not any("-ui." in n for n in names), "Pagefind's unused ready-made interfaces are left out"
    assert not any(n.endswith((".py", ".php", ".cgi")) for n in names)


def test_pagefind_gets_only_the_searchable_part_and_indexes_the_same(site):
    """Pages go to Pagefind as their language, title and searchable element: every file of
    the index (fragments with titles, excerpts and images, word chunks, filters) is the
    same as from the whole pages."""
    from elenefolio.write.search import executable, index_pages, searchable_part

    pages = [
        (path.relative_to(site).parent.as_posix() + "/", path.read_bytes())
        for path in html_pages(site)
        if b"data-pagefind-body" in path.read_bytes()
    ]
    assert len(pages) > 10
    parts = [(url, searchable_part(html)) for url, html in pages]
    assert all(len(part) < len(html) for (_, part), (_, html) in zip(parts, pages))
    assert sum(len(part) for _, part in parts) < 0.7 * sum(len(html) for _, html in pages)
    assert all(
        part.startswith((b'<html lang="en"><head><title>', b'<html lang="en" dir="ltr"><head><title>'))
        for _, part in parts
    )
    whole, trimmed = index_pages(executable(), pages, True), index_pages(executable(), parts, True)
    assert any(name.startswith("fragment/") for name in whole)
    assert whole == trimmed


def test_a_page_marking_more_than_its_main_element_goes_to_pagefind_whole():
    from elenefolio.write.search import searchable_part

    page = (
        b'<!doctype html><html lang="fr"><head><title>T</title></head><body>'
        b"<main data-pagefind-body><h1>T</h1></main></body></html>"
    )
    assert searchable_part(page) == (
        b'<html lang="fr"><head><title>T</title></head><body>'
        b"<main data-pagefind-body><h1>T</h1></main></body></html>"
    )
    for other in (
        page.replace(b"<title>", b'<title data-pagefind-meta="title">'),
        page.replace(b"<main data-pagefind-body>", b"<main>"),
        page.replace(b"<body>", b"<body><nav data-pagefind-ignore>x</nav>"),
    ):
        assert searchable_part(other) == other


def test_the_index_holds_public_content(site):
    assert index_hits(site, [PUBLIC_CANARY, "findable", SKILL_WORD]) == {
        PUBLIC_CANARY,
        "findable",
        SKILL_WORD,
    }


def test_nothing_private_draft_or_unlisted_is_indexed(site):
    assert index_hits(site, PRIVATE_CANARIES + DRAFT_CANARIES + UNLISTED_CANARIES) == set()


def test_only_listed_pages_are_marked_for_the_index(site):
    assert soup_of(site / UNLISTED_URL / "index.html").select("[data-pagefind-body]") == []
    assert soup_of(site / "404.html").select("[data-pagefind-body]") == []
    assert soup_of(site / "journal/2024-04-01-findable/index.html").select("main[data-pagefind-body]")


def test_the_private_copy_can_search_everything(private):
    hits = index_hits(private.site, PRIVATE_CANARIES + UNLISTED_CANARIES + [PUBLIC_CANARY])
    assert {"zqprivbody1", "zqunlistedbody1", PUBLIC_CANARY} <= hits


def test_a_file_where_the_index_goes_is_refused(tmp_path):
    root = tmp_path / "portfolio"
    write_and_build(root, {"portfolio.yaml": portfolio_files()["portfolio.yaml"]})
    (root / "static" / "pagefind").mkdir(parents=True)
    (root / "static" / "pagefind" / "pagefind.js").write_text("// mine", encoding="utf-8")
    run = run_cli("build", root)
    assert run.code == 1
    assert "static/pagefind/pagefind.js:1: 'pagefind/' is where the search index goes" in run.err
    assert "Traceback" not in run.err


def test_without_pagefind_the_build_fails_in_one_line_and_keeps_the_site(tmp_path, monkeypatch):
    import sys

    root = tmp_path / "portfolio"
    built = write_and_build(root, {"portfolio.yaml": portfolio_files()["portfolio.yaml"]})
    before = {p: p.read_bytes() for p in output_files(built.site)}
    # as if not installed: no binary package to import, no variable, nothing on the PATH
    for package in ("pagefind_bin", "pagefind_bin_extended"):
        monkeypatch.setitem(sys.modules, package, None)
    monkeypatch.delenv("PAGEFIND_BINARY_PATH", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    run = run_cli("build", root, "--no-cache")  # a full build, which must index
    assert run.code == 1
    assert run.err.splitlines()[0] == (
        "portfolio.yaml:1: the search index needs Pagefind's binary: pip install 'pagefind[extended]'"
    )
    assert {p: p.read_bytes() for p in output_files(built.site)} == before


# --- in the browser ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(site):
    from browser_support import serve

    server = serve(site)
    yield server.url
    server.stop()


def search(page, url: str, query: str) -> list[str]:
    page.goto(f"{url}search/?q={query}")
    status = page.get_by_role("status")
    status.filter(has_text=query).wait_for()
    return page.locator(".search-result h2").all_inner_texts()


def test_searching_finds_the_public_canary_and_no_other(page, served):
    assert search(page, served, PUBLIC_CANARY) == ["Findable entry"]
    for canary in [
        "zqprivtitle1",
        "zqprivbody1",
        "zqdrafttitle1",
        "zqdraftbody1",
        "zqunlistedtitle1",
        "zqunlistedbody1",
        "zqprivartbody1",
    ]:
        assert search(page, served, canary) == [], canary
    assert page.watch.problems == []


def test_a_result_shows_its_type_and_date_and_an_excerpt_of_its_text_only(page, served):
    """Each result says what it is and when, shows its tags, and its excerpt comes from
    its text; a tag found nowhere in the text finds the entry too (its tags are indexed
    metadata), with an excerpt of its text."""
    assert search(page, served, PUBLIC_CANARY) == ["Findable entry"]
    result = page.locator(".search-result").first
    assert result.locator(".search-meta").inner_text() == "Idea · 1 April 2024"
    assert PUBLIC_CANARY in result.locator(".search-excerpt").inner_text()
    assert result.locator(".search-tags").inner_text() == f"Tags: {TAG_ONLY}"
    assert search(page, served, TAG_ONLY) == ["Findable entry"]
    assert PUBLIC_CANARY in result.locator(".search-excerpt").inner_text()
    assert page.watch.problems == []
