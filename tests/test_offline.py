"""A portfolio that works anywhere: ``build --offline`` writes a site that browses from
``file://`` (a folder, a USB stick, an unpacked e-mail attachment): every internal link
names its ``index.html``, no link starts with ``/``, and search runs from the page itself
with an index in plain JavaScript (``search-index.js``), not Pagefind's, which browsers
cannot fetch from the file system. Chromium opens the built site from ``file://``.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import canary_hits, entry, html_pages, soup_of, write_and_build
from test_search_languages import PRIVATE_CANARY, ZH_BODY, files

ZH_WORD = "物理"  # in the middle of the Chinese entry's sentence
UNLISTED_CANARY = "zqunlistedoff3"  # in an unlisted entry: on its own page, never in search


def offline_files() -> dict[str, str]:
    found = files("en")
    found["journal/2024-05-07-accents.md"] = entry(
        "Été à Zürich", "2024-05-07", "Nous avons étudié la réfraction près du lac."
    ).replace("---\n\n", "visibility: public\n---\n\n", 1)
    found["journal/2024-05-08-unlisted.md"] = entry(
        "Unlisted notes", "2024-05-08", f"Only for who has the link {UNLISTED_CANARY}.", visibility="unlisted"
    )
    return found


@pytest.fixture(scope="module")
def offline(tmp_path_factory):
    root = tmp_path_factory.mktemp("offline") / "portfolio"
    write_and_build(root, offline_files(), "--offline", "-q")
    return root / "_offline"


def index_records(site: Path) -> list[dict]:
    text = (site / "search-index.js").read_text(encoding="utf-8")
    assert text.startswith("window.ELENEFOLIO_SEARCH = ")
    return json.loads(text[text.index("[") : text.rindex("]") + 1])


def test_the_offline_build_has_its_own_folder_and_no_pagefind(offline):
    assert (offline / "index.html").is_file()
    assert not (offline / "pagefind").exists()
    assert not (offline.parent / "_site").exists()
    search = soup_of(offline / "search" / "index.html")
    scripts = [script.get("src") for script in search.find_all("script") if script.get("src")]
    assert scripts == [
        "../search-index.js",
        "../assets/js/search-results.js",
        "../assets/js/search-offline.js",
    ]
    assert all(script.get("type") != "module" for script in search.find_all("script"))


def test_every_internal_link_names_a_file(offline):
    assert links_to_files(offline) > 100


@pytest.mark.slow  # an offline build of the example: seconds
def test_every_internal_link_of_the_example_names_a_file(example_copy, tmp_path):
    from conftest import build_ok

    build_ok(example_copy, "--offline", "-o", tmp_path / "site", "-q")
    assert links_to_files(tmp_path / "site") > 1000


def links_to_files(offline: Path) -> int:
    """Check every internal link of the pages of ``offline``; returns how many there are."""
    checked = 0
    for page in html_pages(offline):
        soup = soup_of(page)
        for tag in soup.find_all(["a", "link", "img", "script", "source", "form", "video", "audio"]):
            for attribute in ("href", "src", "action", "poster"):
                link = tag.get(attribute)
                if link is None or (tag.name == "link" and tag.get("rel") == ["canonical"]):
                    continue
                parts = urlsplit(link)
                if parts.scheme or link.startswith(("#", "//")):
                    continue
                checked += 1
                where = f"{page.relative_to(offline)}: {tag.name} {attribute}={link!r}"
                assert not link.startswith("/"), where
                assert parts.path and not parts.path.endswith("/"), where
                target = (page.parent / parts.path).resolve()
                assert target.is_file(), where
    return checked


def test_the_index_holds_the_public_searchable_pages_and_no_private_one(offline):
    records = index_records(offline)
    by_title = {record["title"]: record for record in records}
    assert ZH_BODY in by_title["课堂笔记"]["text"]
    assert by_title["课堂笔记"]["url"] == "journal/2024-05-01-zh/index.html"
    assert by_title["Pendulum notes"]["tags"]
    assert all(record["url"].endswith("index.html") for record in records)
    assert "秘密的笔记" not in by_title
    assert canary_hits(offline, [PRIVATE_CANARY]) == []
    assert (offline / "journal" / "2024-05-08-unlisted" / "index.html").is_file()
    assert UNLISTED_CANARY not in (offline / "search-index.js").read_text(encoding="utf-8")
    assert "Unlisted notes" not in by_title
    # navigation and the footer are not words of a page
    assert "Skip to" not in by_title["Pendulum notes"]["text"]


@pytest.mark.slow  # a sequence of builds: seconds
def test_an_offline_build_is_cached_apart_from_the_online_one(tmp_path):
    root = tmp_path / "portfolio"
    online = write_and_build(root, offline_files(), "-q")
    offline_site = write_and_build(root, {}, "--offline", "-q")
    assert (root / "_offline" / "search-index.js").is_file()
    assert not (online.site / "search-index.js").exists()
    assert (online.site / "pagefind").is_dir()
    # building the online site again keeps its directory links
    again = write_and_build(root, {}, "-q")
    home = (again.site / "index.html").read_text(encoding="utf-8")
    assert 'href="journal/"' in home
    assert 'href="journal/index.html"' in (root / "_offline" / "index.html").read_text(encoding="utf-8")
    assert offline_site.run.code == 0


# -- in Chromium, from file:// ------------------------------------------------------------------


def results(page) -> list[str]:
    return page.locator(".search-result h2").all_inner_texts()


@pytest.mark.browser
def test_chromium_browses_and_searches_the_site_from_file(page, offline):
    page.goto((offline / "index.html").as_uri())
    assert page.url.startswith("file://")
    page.get_by_role("navigation").get_by_role("link", name="Journal").first.click()
    assert page.url.endswith("/journal/index.html")
    page.get_by_role("link", name="Pendulum notes").first.click()
    assert page.url.endswith("/journal/2024-05-05-en/index.html")
    assert page.get_by_role("heading", level=1).inner_text() == "Pendulum notes"

    page.goto((offline / "search" / "index.html").as_uri())
    page.get_by_role("searchbox").fill("pendulum")
    page.get_by_role("status").filter(has_text="pendulum").wait_for()
    assert results(page) == ["Pendulum notes"]

    page.get_by_role("searchbox").fill(ZH_WORD)  # a word in the middle of a Chinese sentence
    page.get_by_role("status").filter(has_text=ZH_WORD).wait_for()
    assert results(page) == ["课堂笔记"]
    assert page.locator(".search-excerpt mark").first.inner_text() == ZH_WORD

    page.get_by_role("searchbox").fill("ete zurich")  # without accents, two words (AND)
    page.get_by_role("status").filter(has_text="ete zurich").wait_for()
    assert results(page) == ["Été à Zürich"]
    page.get_by_role("searchbox").fill("zurich pendulum")
    page.get_by_role("status").filter(has_text="zurich pendulum").wait_for()
    assert results(page) == []

    page.get_by_role("searchbox").fill("秘密")  # the private entry
    page.get_by_role("status").filter(has_text="秘密").wait_for()
    assert results(page) == []

    page.get_by_role("searchbox").fill(ZH_WORD)
    page.get_by_role("status").filter(has_text=ZH_WORD).wait_for()
    page.get_by_role("link", name="课堂笔记").click()
    assert page.url.endswith("/journal/2024-05-01-zh/index.html")
    assert ZH_WORD in page.locator("main").inner_text()
    assert page.watch.problems == []


MANY = 45  # entries that share a word: more than the first page of results (20)
MANY_WORD = "zqofflinemany"


@pytest.mark.browser
def test_show_more_results_from_the_keyboard_in_an_offline_site(page, tmp_path):
    """The offline search page shows its results as the online one does: the count of them
    all, a first page, then "Show more results" (pressed from the keyboard), the first new
    result taking the focus, until every result is shown once; a query in the address is
    searched when the page opens."""
    from browser_support import show_every_result

    made = files("en")
    titles = [f"Short {n} {('مختبر', 'מעבדה', '实验', 'Été')[n % 4]}" for n in range(MANY)]
    for number, title in enumerate(titles):
        made[f"journal/2023-{1 + number // 28:02d}-{1 + number % 28:02d}-many-{number}.md"] = entry(
            title, f"2023-{1 + number // 28:02d}-{1 + number % 28:02d}", f"Words with {MANY_WORD} in them."
        )
    write_and_build(tmp_path / "portfolio", made, "--offline", "-q")
    page.goto((tmp_path / "portfolio" / "_offline" / "search" / "index.html").as_uri() + f"?q={MANY_WORD}")
    status = page.get_by_role("status")
    status.filter(has_text=MANY_WORD).wait_for()
    assert f"{MANY} results" in status.inner_text()
    button = page.get_by_role("button", name="Show more results")
    shown = page.locator("#search-shown")
    results = page.locator(".search-result")
    assert results.count() == 20 and shown.inner_text() == f"20 of {MANY} results shown."
    assert button.is_visible()
    assert show_every_result(page, MANY) == 2
    assert sorted(results.locator("h2").all_inner_texts()) == sorted(titles)  # each once
    assert page.locator(".search-excerpt mark").first.inner_text() == MANY_WORD
    # a new query starts again from its first page
    page.get_by_role("searchbox").fill(f"{MANY_WORD} 实验")
    status.filter(has_text="实验").wait_for()
    assert sorted(results.locator("h2").all_inner_texts()) == sorted(t for t in titles if "实验" in t)
    assert not button.is_visible()
    assert page.watch.problems == []


# -- export --format zip ------------------------------------------------------------------------


@pytest.mark.slow  # two offline builds and exports: seconds
def test_the_zip_export_holds_the_offline_site_the_same_every_time(tmp_path, monkeypatch):
    import zipfile

    from conftest import run_cli

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1717200000")  # 2024-06-01
    root = tmp_path / "portfolio"
    write_and_build(root, offline_files(), "--offline", "-q")
    first, second = tmp_path / "a" / "one.zip", tmp_path / "b" / "one.zip"
    for target in (first, second):
        run = run_cli("export", root, "--format", "zip", "-o", target)
        assert run.code == 0, run.err
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        names = archive.namelist()
        assert names == sorted(names)
        assert all(info.date_time == (2024, 6, 1, 0, 0, 0) for info in archive.infolist())
        assert all(name.startswith("one/") for name in names)
        built = root / "_offline"
        expected = sorted(
            path.relative_to(built).as_posix()
            for path in built.rglob("*")
            if path.is_file() and not any(p.startswith(".") for p in path.relative_to(built).parts)
        )
        assert [name.removeprefix("one/") for name in names] == expected
        for name in expected:
            assert archive.read("one/" + name) == (built / name).read_bytes(), name
        unzipped = tmp_path / "unzipped"
        archive.extractall(unzipped)
    assert canary_hits(unzipped, [PRIVATE_CANARY]) == []
    assert (unzipped / "one" / "index.html").is_file()


@pytest.mark.slow  # offline builds and exports: seconds
def test_the_zip_export_is_named_after_the_author_and_private_ones_stay_out_of_the_portfolio(
    tmp_path, monkeypatch
):
    from conftest import run_cli, write_portfolio

    root = write_portfolio(tmp_path / "portfolio", offline_files())
    monkeypatch.chdir(root)
    run = run_cli("export", ".", "--format", "zip", "--private")
    assert run.code == 1
    assert "a private export is not written inside the portfolio" in run.err
    assert "Traceback" not in run.err
    assert not list(root.glob("*.zip"))
    outside = tmp_path / "outside"
    outside.mkdir()
    monkeypatch.chdir(outside)
    run = run_cli("export", root, "--format", "zip")
    assert run.code == 0, run.err
    assert (outside / "ada-tester-portfolio.zip").is_file()
    run = run_cli("export", root, "--format", "zip", "--private", "-o", outside / "mine.zip")
    assert run.code == 0, run.err
    import zipfile

    with zipfile.ZipFile(outside / "mine.zip") as archive:
        assert any(
            PRIVATE_CANARY in archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
        )
    assert not (root / "_offline").exists()  # the export builds in a temporary folder


def test_a_page_record_has_the_words_of_the_searchable_part_apart():
    from elenefolio.write.offline_search import page_record

    html = (
        '<!doctype html><html lang="en"><head><title>T – Site</title></head><body>'
        '<nav class="site-nav">Menu words</nav>'
        '<main data-pagefind-body data-type="Reflection" data-date="1 May 2024" data-tags="a, b">'
        "<h1>Été <em>à</em> Zürich</h1><p>First paragraph</p><p>Second</p>"
        '<p class="meta">1 May 2024</p><footer>Tags: a, b</footer></main>'
        "<footer>Site footer</footer></body></html>"
    ).encode()
    record = page_record("journal/x/index.html", html)
    assert record == {
        "url": "journal/x/index.html",
        "title": "Été à Zürich",
        "type": "Reflection",
        "date": "1 May 2024",
        "tags": "a, b",
        "lang": "en",
        "text": "First paragraph Second",
    }
    assert page_record("x/index.html", b"<html><body><main>Not searchable</main></body></html>") is None


def test_an_incremental_offline_build_keeps_every_page_in_the_index(tmp_path):
    root = tmp_path / "portfolio"
    write_and_build(root, offline_files(), "--offline", "-q")
    before = {record["url"]: record for record in index_records(root / "_offline")}
    edited = offline_files()["journal/2024-05-05-en.md"].replace("pendulum", "metronome")
    write_and_build(root, {"journal/2024-05-05-en.md": edited}, "--offline", "-q")
    after = {record["url"]: record for record in index_records(root / "_offline")}
    assert after.keys() == before.keys()
    assert "metronome" in after["journal/2024-05-05-en/index.html"]["text"]
    assert after["journal/2024-05-01-zh/index.html"] == before["journal/2024-05-01-zh/index.html"]


def test_a_private_offline_copy_has_its_own_folder_and_searches_everything(tmp_path):
    root = tmp_path / "portfolio"
    write_and_build(root, offline_files(), "--offline", "--private", "-q")
    site = root / "_offline-private"
    assert not (root / "_offline").exists()
    records = {record["title"] for record in index_records(site)}
    assert "秘密的笔记" in records  # the owner's own copy: everything is searchable
    from elenefolio.publish.public_repo import GENERATED

    assert "_offline-private" in GENERATED  # a public repository holding it is stopped


@pytest.mark.browser
def test_an_online_site_opened_from_files_says_why_search_does_not_answer(page, tmp_path):
    built = write_and_build(tmp_path / "portfolio", offline_files(), "-q")
    page.goto((built.site / "search" / "index.html").as_uri())
    status = page.get_by_role("status")
    status.filter(has_text="web server").wait_for()
    assert "offline copy" in status.inner_text()
