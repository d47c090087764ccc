"""A search index in several shards: a portfolio with enough public entries to be split.

The privacy portfolio of test_privacy (canaries in private, draft and unlisted items)
gets ENTRIES short public entries, each with a word of its own and one word they all
share, and is published under a sub-path (/portfolio/). Every shard is scanned inside
its compressed files; the browser searches across the shards; an incremental build
after one edit indexes again only the shard that holds the edited page, and makes
exactly what a clean build makes.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import (
    canary_hits,
    config_yaml,
    entry,
    html_pages,
    output_files,
    run_cli,
    soup_of,
    write_and_build,
)
from test_incremental import assert_same_as_clean, tree
from test_privacy import DRAFT_CANARIES, PRIVATE_CANARIES, UNLISTED_CANARIES, portfolio_files

SHARD_PAGES = 64  # pages a shard takes at most, in this module (fewer pages make several shards)
ENTRIES = 170  # with the skill pages and the home page: more searchable pages than one shard takes
COMMON = "zqshardcommon"
SUB_PATH = "portfolio"
CHINESE = 6  # entries in Chinese (lang: zh), in several shards: each shard has a Chinese index too
CHINESE_WORD = "实验"  # in the middle of their sentence
FIRST_PAGE = 20  # results the search page shows before "Show more results" is pressed


def own_word(number: int) -> str:
    return f"zqshard{number}word"


def slug(number: int) -> str:
    return f"2023-{1 + number // 28:02d}-{1 + number % 28:02d}-short-{number}"


def files() -> dict:
    made = dict(portfolio_files())
    made["portfolio.yaml"] = config_yaml(
        base_url=f"https://example.org/{SUB_PATH}/", default_visibility="private"
    )
    for number in range(ENTRIES):
        made[f"journal/{slug(number)}.md"] = entry(
            f"Short entry {number}",
            slug(number)[:10],
            f"A few words with {own_word(number)} and {COMMON} in them.",
            visibility="public",
        )
    for number in range(CHINESE):
        made[f"journal/{chinese_slug(number)}.md"] = entry(
            f"中文条目 {number}",
            chinese_slug(number)[:10],
            "今天我们在学校做了一个有趣的实验，老师讲解了其中的物理原理。",
            visibility="public",
            lang="zh",
        )
    return made


def chinese_slug(number: int) -> str:
    return f"2023-12-{1 + number:02d}-zh-{number}"


@pytest.fixture(scope="module", autouse=True)
def small_shards():
    """Shards of at most SHARD_PAGES pages for every build of this module."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("elenefolio.write.search.SHARD_PAGES", SHARD_PAGES)
        yield


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    www = tmp_path_factory.mktemp("www")
    return write_and_build(tmp_path_factory.mktemp("shards") / "portfolio", files(), output=www / SUB_PATH)


@pytest.fixture(scope="module")
def site(built) -> Path:
    return built.site


def shards(site: Path) -> list[Path]:
    index = site / "pagefind"
    return [index / name for name in json.loads((index / "shards.json").read_text())["shards"]]


def shards_holding(site: Path, words: list[str]) -> dict[str, Path]:
    """For each word, the one shard whose index files hold it (one scan of each shard)."""
    found: dict[str, set[Path]] = {word: set() for word in words}
    for shard in shards(site):
        for word, _ in canary_hits(shard, words):
            found[word].add(shard)
    assert all(len(holding) == 1 for holding in found.values()), found
    return {word: holding.pop() for word, holding in found.items()}


def shard_holding(site: Path, word: str) -> Path:
    return shards_holding(site, [word])[word]


@pytest.fixture(scope="module")
def entry_shards(site) -> list[Path]:
    """The shard of each public entry, by number, found from its own word in the index."""
    holding = shards_holding(site, [own_word(number) for number in range(ENTRIES)])
    return [holding[own_word(number)] for number in range(ENTRIES)]


def test_the_index_is_split_into_shards_that_hold_each_searchable_page_once(site):
    found = shards(site)
    assert len(found) >= 2
    marked = [p for p in html_pages(site) if soup_of(p).select("main[data-pagefind-body]")]
    languages = [json.loads((shard / "pagefind-entry.json").read_text())["languages"] for shard in found]
    counts = [sum(index["page_count"] for index in shard.values()) for shard in languages]
    assert sum(counts) == len(marked) and all(counts)
    # the Chinese entries have an index of their own in each shard that holds some of them,
    # the first shard included (the search page merges it from "0/./")
    assert sum(shard.get("zh", {}).get("page_count", 0) for shard in languages) == CHINESE
    assert "zh" in languages[0] and sum("zh" in shard for shard in languages) >= 3
    # only the first shard carries the search client; the others are merged into it
    assert (found[0] / "pagefind.js").is_file() and (found[0] / "pagefind-worker.js").is_file()
    for shard in found[1:]:
        names = {p.name for p in output_files(shard)}
        assert not {"pagefind.js", "pagefind-worker.js"} & names
        assert not any(n.startswith("wasm.") for n in names)
    assert not any("-ui." in p.name for p in output_files(site / "pagefind"))
    # nothing of the index is left outside the shards but the list of shards
    assert {p.relative_to(site / "pagefind").parts[0] for p in output_files(site / "pagefind")} == {
        "shards.json"
    } | {shard.name for shard in found}


def test_no_shard_holds_anything_private_draft_or_unlisted(site):
    assert canary_hits(site / "pagefind", PRIVATE_CANARIES + DRAFT_CANARIES + UNLISTED_CANARIES) == []


def test_public_words_are_in_every_shard_that_holds_their_pages(site, entry_shards):
    assert set(entry_shards) == set(shards(site))  # every shard holds some of the entries
    assert all(canary_hits(shard, [COMMON]) for shard in shards(site))


@pytest.mark.slow  # two more builds with Pagefind, compared byte for byte
def test_one_edit_indexes_only_its_shard_again_and_matches_a_clean_build(built, tmp_path):
    from elenefolio.pipeline import BuildOptions, build

    root = tmp_path / "portfolio"
    shutil.copytree(built.root, root, ignore=shutil.ignore_patterns("_site", ".elenefolio-cache"))
    output = build(BuildOptions(root)).destination
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in output_files(output / "pagefind")}
    number = 7
    edited = shard_holding(output, own_word(number))
    source = root / "journal" / f"{slug(number)}.md"
    source.write_text(source.read_text() + "\nOne more word: zqshardedited.\n")

    result = assert_same_as_clean(root, tmp_path)

    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in output_files(output / "pagefind")}
    changed = {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
    assert changed and all(p.is_relative_to(edited) for p in changed), changed
    assert shard_holding(output, "zqshardedited") == edited
    # the page, the feed and the edited shard's index files; nothing of the other shards
    assert result.written <= 2 + len(changed) + 5

    # a kept shard whose files were tampered with is indexed again
    other = next(shard for shard in shards(output) if shard != edited)
    victim = next(p for p in output_files(other) if p.suffix == ".pf_fragment")
    victim.unlink()
    assert_same_as_clean(root, tmp_path)
    assert victim.is_file()


def test_a_failing_pagefind_fails_the_build_in_one_line_and_keeps_the_site(built, tmp_path, monkeypatch):
    root = tmp_path / "portfolio"
    shutil.copytree(built.root, root, ignore=shutil.ignore_patterns("_site", ".elenefolio-cache"))
    output = tmp_path / "out"
    shutil.copytree(built.site, output)  # the previous site
    before = tree(output)
    broken = tmp_path / "pagefind"
    broken.write_text("#!/bin/sh\necho 'index exploded' >&2\nexit 3\n")
    broken.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(broken))
    run = run_cli("build", root, "-o", output, "--no-cache")
    assert run.code == 1
    errors = [line for line in run.err.splitlines() if ": warning: " not in line]
    assert errors[0] == "portfolio.yaml:1: building the search index failed: index exploded", run.err
    assert "Traceback" not in run.err
    assert tree(output) == before


@pytest.mark.slow  # a build with Pagefind for each case
@pytest.mark.parametrize("jobs, most", [("1", 1), ("2", 2)])
def test_jobs_bounds_the_pagefind_processes_running_at_once(built, tmp_path, monkeypatch, jobs, most):
    """``--jobs N``: at most N Pagefind processes at a time (the real binary, run through a
    script that notes when each one starts and ends)."""
    from elenefolio.write.search import executable

    root = tmp_path / "portfolio"
    shutil.copytree(built.root, root, ignore=shutil.ignore_patterns("_site", ".elenefolio-cache"))
    log = tmp_path / "runs.log"
    wrapper = tmp_path / "pagefind"
    wrapper.write_text(
        f"#!/bin/sh\necho start >> '{log}'\n'{executable()}' \"$@\"\ncode=$?\n"
        f"echo end >> '{log}'\nexit $code\n"
    )
    wrapper.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(wrapper))
    run = run_cli("build", root, "-o", tmp_path / "out", "--no-cache", "--jobs", jobs)
    assert run.code == 0, run.err
    running, peak = 0, 0
    for line in log.read_text().split():
        running += 1 if line == "start" else -1
        peak = max(peak, running)
    assert log.read_text().split().count("start") == len(shards(tmp_path / "out")) > 2
    assert peak <= most


# --- in the browser ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(site):
    from browser_support import serve

    server = serve(site.parent)
    yield f"{server.url}{SUB_PATH}/"
    server.stop()


def search(page, url: str, query: str) -> tuple[str, list[str]]:
    page.goto(f"{url}search/?q={query}")
    status = page.get_by_role("status")
    status.filter(has_text=query).wait_for()
    return status.inner_text(), page.locator(".search-result h2").all_inner_texts()


def test_a_query_finds_pages_of_every_shard(page, served, site, entry_shards):
    status, titles = search(page, served, COMMON)
    assert re.search(rf"\b{ENTRIES} results\b", status), status
    assert len(titles) == FIRST_PAGE and set(titles) <= {f"Short entry {n}" for n in range(ENTRIES)}
    # one entry from each of two shards, found by its own word, and the link leads to it
    first = entry_shards.index(shards(site)[0])
    other = next(n for n, shard in enumerate(entry_shards) if shard != shards(site)[0])
    for number in (first, other):
        assert search(page, served, own_word(number))[1] == [f"Short entry {number}"]
    page.locator(".search-result h2 a").click()
    page.wait_for_url(f"{served}journal/{slug(other)}/")
    for canary in ["zqprivtitle1", "zqprivbody1", "zqdraftbody1", "zqunlistedbody1"]:
        assert search(page, served, canary)[1] == [], canary
    assert page.watch.problems == []


def test_a_chinese_word_finds_the_chinese_entries_of_every_shard(page, served):
    status, titles = search(page, served, CHINESE_WORD)
    assert re.search(rf"\b{CHINESE} results\b", status), status
    assert sorted(titles) == [f"中文条目 {n}" for n in range(CHINESE)]
    assert page.watch.problems == []


def test_show_more_results_reveals_every_result_once_from_the_keyboard(page, served):
    """The count is of every result; a first page of them is shown, then a button that
    shows more (pressed from the keyboard) until all are, each new page's first result
    taking the focus."""
    from browser_support import show_every_result

    status, titles = search(page, served, COMMON)
    assert re.search(rf"\b{ENTRIES} results\b", status), status
    button = page.get_by_role("button", name="Show more results")
    shown = page.locator("#search-shown")
    assert len(titles) == FIRST_PAGE and shown.inner_text() == f"{FIRST_PAGE} of {ENTRIES} results shown."
    assert button.get_attribute("aria-describedby") == "search-shown"
    assert show_every_result(page, ENTRIES) == -(-ENTRIES // FIRST_PAGE) - 1
    titles = page.locator(".search-result h2").all_inner_texts()
    assert sorted(titles) == sorted(f"Short entry {n}" for n in range(ENTRIES))  # each once
    assert page.get_by_role("status").inner_text() == status  # still the count of them all
    # a new query starts again from its first page
    assert search(page, served, own_word(3))[1] == ["Short entry 3"]
    assert not button.is_visible()
    assert page.watch.problems == []


def test_the_number_of_shards_changes_rarely_as_a_portfolio_grows():
    from elenefolio.write.search import MAX_SHARDS, SHARD_PAGES, shard_count, shard_of

    counts = [shard_count(pages) for pages in range(0, 5000)]
    assert counts[: SHARD_PAGES + 1] == [1] * (SHARD_PAGES + 1)
    assert counts == sorted(counts) and max(counts) == MAX_SHARDS
    assert len(set(counts)) == 5  # 1, 2, 4, 8, 16: a growing portfolio re-shards four times
    assert all(pages / count <= SHARD_PAGES for pages, count in enumerate(counts) if count < MAX_SHARDS)
    urls = [f"journal/entry-{n}/" for n in range(1000)]
    assert [shard_of(u, 8) for u in urls] == [shard_of(u, 8) for u in reversed(urls)][::-1]
    assert len({shard_of(u, 8) for u in urls}) == 8
