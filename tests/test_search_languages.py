"""Search in every script: words in the middle of Chinese and Japanese sentences are
found (Pagefind's extended binary splits such text into words), in a site whose
language is English, whose Chinese and Japanese entries say so with ``lang:``, as in a
site whose language is Chinese; Greek and Arabic words are found too, and so are tags.

The index files are read as they are published (their words are CBOR text strings
in gzip-compressed chunks); the browser searches the served sites.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import canary_hits, config_yaml, entry, soup_of, write_and_build

# Each body has the words looked for in the middle of a sentence, never in its title.
ZH_BODY = "今天我们在学校做了一个有趣的实验，老师讲解了其中的物理原理。"
ZH_WORDS = ["实验", "物理"]
JA_BODY = "先週、私たちは研究成果を学会で発表しました。"
JA_WORD = "発表"
EL_BODY = "Σήμερα μελετήσαμε τη φωτοσύνθεση στο εργαστήριο του σχολείου."
EL_WORD = "φωτοσύνθεση"
AR_BODY = "درسنا اليوم التمثيل الضوئي في المختبر مع زملائنا."
AR_WORD = "المختبر"
EN_BODY = "We ran three experiments with a pendulum and wrote them up."
TAG_ONLY = "zqtagonly2"  # a tag of the English entry, nowhere in its text
CJK_TAG = "天文学"  # a tag in Chinese of the English entry
PRIVATE_CANARY = "zqprivzh1"  # in a private Chinese entry


def files(language: str) -> dict[str, str]:
    """A portfolio in ``language`` (en, zh or ja) with an entry in each script; entries not in
    the portfolio's language say theirs with ``lang:``."""

    def lang(code: str) -> dict[str, str]:
        return {} if code == language else {"lang": code}

    return {
        "portfolio.yaml": config_yaml(default_visibility="public").replace(
            "language: en", f"language: {language}"
        ),
        "journal/2024-05-01-zh.md": entry("课堂笔记", "2024-05-01", ZH_BODY, **lang("zh")),
        "journal/2024-05-02-ja.md": entry("学会の記録", "2024-05-02", JA_BODY, **lang("ja")),
        "journal/2024-05-03-el.md": entry("Εργαστήριο", "2024-05-03", EL_BODY, **lang("el")),
        "journal/2024-05-04-ar.md": entry("مختبر", "2024-05-04", AR_BODY, **lang("ar")),
        "journal/2024-05-05-en.md": entry(
            "Pendulum notes", "2024-05-05", EN_BODY, tags=f"[{TAG_ONLY}, {CJK_TAG}]", **lang("en")
        ),
        "journal/2024-05-06-private.md": entry(
            "秘密的笔记",
            "2024-05-06",
            f"我们的秘密实验 {PRIVATE_CANARY}。",
            visibility="private",
            **lang("zh"),
        ),
    }


@pytest.fixture(scope="module")
def english(tmp_path_factory):
    return write_and_build(tmp_path_factory.mktemp("search-en") / "portfolio", files("en")).site


@pytest.fixture(scope="module")
def chinese(tmp_path_factory):
    return write_and_build(tmp_path_factory.mktemp("search-zh") / "portfolio", files("zh")).site


@pytest.fixture(scope="module")
def japanese(tmp_path_factory):
    return write_and_build(tmp_path_factory.mktemp("search-ja") / "portfolio", files("ja")).site


def languages(site: Path) -> dict[str, int]:
    """The language indexes of the (one) shard, with their number of pages."""
    entry_file = json.loads((site / "pagefind" / "0" / "pagefind-entry.json").read_text())
    return {language: index["page_count"] for language, index in entry_file["languages"].items()}


def words_of(site: Path, language: str) -> bytes:
    """The word chunks of one language index, uncompressed."""
    chunks = sorted((site / "pagefind" / "0" / "index").glob(f"{language}_*.pf_index"))
    assert chunks, language
    return b"".join(gzip.decompress(chunk.read_bytes()) for chunk in chunks)


def word(text: str) -> bytes:
    """A short word as the index stores it: a CBOR text string (its length, then UTF-8)."""
    data = text.encode("utf-8")
    assert len(data) < 24
    return bytes([0x60 + len(data)]) + data


def test_the_build_runs_pagefinds_extended_binary(monkeypatch):
    """The dependency pagefind[extended] ships it; it is found before the standard one."""
    from elenefolio.write.search import executable

    monkeypatch.delenv("PAGEFIND_BINARY_PATH", raising=False)
    assert Path(executable()).name == "pagefind_extended"


def test_chinese_and_japanese_entries_of_an_english_site_have_indexes_of_their_own(english):
    """Pagefind's extended binary splits a page's text into words when the page it is
    given is in Chinese or Japanese: an item's ``lang:`` makes it so. Greek and Arabic
    entries stay in the site's index."""
    counts = languages(english)
    assert set(counts) == {"en", "zh", "ja"}
    assert counts["zh"] == 1 and counts["ja"] == 1
    page = soup_of(english / "journal" / "2024-05-01-zh" / "index.html")
    assert page.html["lang"] == "en" and page.select_one("main")["data-index-lang"] == "zh"
    assert page.select_one("article")["lang"] == "zh"


# The Japanese site is built only for the slow set (seconds).
@pytest.mark.parametrize("site_language", ["en", "zh", pytest.param("ja", marks=pytest.mark.slow)])
def test_words_in_the_middle_of_a_sentence_are_words_of_the_index(request, site_language):
    site = request.getfixturevalue({"en": "english", "zh": "chinese", "ja": "japanese"}[site_language])
    chinese_words = words_of(site, "zh")
    for found in ZH_WORDS:
        assert word(found) in chinese_words, found
    # not the run of characters the sentence starts with, as one word
    assert "今天我们在学校".encode() not in chinese_words
    assert word(JA_WORD) in words_of(site, "ja")


def test_thai_words_are_found_in_a_sentence_too():
    """Thai is written without spaces as well: a Thai page's words are words of its index."""
    from elenefolio.write.search import executable, index_pages

    page = (
        '<html lang="th"><head><title>T</title></head><body><main data-pagefind-body>'
        "<p>วันนี้เราทำการทดลองฟิสิกส์ที่โรงเรียน</p></main></body></html>"
    )
    files = index_pages(executable(), [("th/", page.encode())], True)
    words = b"".join(gzip.decompress(data) for name, data in files.items() if name.startswith("index/"))
    assert word("ฟิสิกส์") in words and word("ทดลอง") in words


@pytest.mark.slow  # builds the Japanese site too: seconds
def test_a_site_in_chinese_keeps_entries_in_other_spaced_languages_in_its_index(chinese, japanese):
    assert set(languages(chinese)) == {"zh", "ja"}
    assert word("pendulum") in words_of(chinese, "zh")  # the English entry, in the site's index
    assert set(languages(japanese)) == {"ja", "zh"}
    assert word("pendulum") in words_of(japanese, "ja")


def test_an_item_language_reaches_the_page_pagefind_gets():
    from elenefolio.write.search import index_language, searchable_part

    def page(site: str, item: str | None) -> bytes:
        mark = f' data-index-lang="{item}"' if item else ""
        return (
            f'<!doctype html><html lang="{site}" dir="ltr"><head><title>T</title></head><body>'
            f"<main data-pagefind-body{mark}><p>x</p></main></body></html>"
        ).encode()

    assert searchable_part(page("en", "zh-Hans")).startswith(b'<html lang="zh-Hans"><head>')
    assert searchable_part(page("en", "ja")).startswith(b'<html lang="ja"><head>')
    for site, item in [("en", None), ("en", "fr"), ("en", "ar"), ("zh", "zh-TW"), ("zh", "en")]:
        assert searchable_part(page(site, item)).startswith(f'<html lang="{site}" dir="ltr"><head>'.encode())
    assert index_language("fi", "th") == "th" and index_language("ja-JP", "ja") == "ja-JP"


def test_tags_are_in_the_index_and_in_the_results_metadata(english):
    main = soup_of(english / "journal" / "2024-05-05-en" / "index.html").select_one("main")
    assert "tags[data-tags]" in main["data-pagefind-meta"]
    assert main["data-tags"] == f"{TAG_ONLY}, {CJK_TAG}"
    english_words = words_of(english, "en")
    assert word(TAG_ONLY) in english_words and word(CJK_TAG) in english_words


def test_a_private_chinese_entry_is_not_indexed(english, chinese):
    for site in (english, chinese):
        assert canary_hits(site / "pagefind", [PRIVATE_CANARY]) == []
        assert word("秘密") not in words_of(site, "zh")


# --- in the browser ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def served_english(english):
    from browser_support import serve

    server = serve(english)
    yield server.url
    server.stop()


@pytest.fixture(scope="module")
def served_japanese(japanese):
    from browser_support import serve

    server = serve(japanese)
    yield server.url
    server.stop()


@pytest.fixture(scope="module")
def served_chinese(chinese):
    from browser_support import serve

    server = serve(chinese)
    yield server.url
    server.stop()


def search(page, url: str, query: str) -> list[str]:
    """The titles of the results of ``query``, searched from the page's address (?q=)."""
    page.goto(f"{url}search/?q={quote(query)}")
    page.get_by_role("status").filter(has_text=query).wait_for()
    return page.locator(".search-result h2").all_inner_texts()


def test_an_english_site_finds_words_in_the_middle_of_sentences_in_every_script(page, served_english):
    for found in ZH_WORDS:
        assert search(page, served_english, found) == ["课堂笔记"], found
    assert search(page, served_english, JA_WORD) == ["学会の記録"]
    assert search(page, served_english, EL_WORD) == ["Εργαστήριο"]
    assert search(page, served_english, AR_WORD) == ["مختبر"]
    arabic = page.locator(".search-excerpt").first  # its direction found from its text
    assert arabic.evaluate("p => getComputedStyle(p).direction") == "rtl"
    assert search(page, served_english, "experiment") == ["Pendulum notes"]  # stemmed
    assert search(page, served_english, "秘密") == []  # the private entry
    # the excerpt marks the word found in the middle of the sentence
    assert search(page, served_english, "实验") == ["课堂笔记"]
    assert page.locator(".search-excerpt mark").first.inner_text() == "实验"
    assert page.get_by_role("searchbox").input_value() == "实验"  # the deep link fills the field
    assert page.watch.problems == []


def test_a_chinese_site_finds_words_in_the_middle_of_sentences(page, served_chinese):
    for found in ZH_WORDS:
        assert search(page, served_chinese, found) == ["课堂笔记"], found
    assert search(page, served_chinese, "物理原理") == ["课堂笔记"]  # two words, no space
    assert search(page, served_chinese, JA_WORD) == ["学会の記録"]
    assert search(page, served_chinese, "pendulum") == ["Pendulum notes"]
    assert search(page, served_chinese, EL_WORD) == ["Εργαστήριο"]
    assert page.watch.problems == []


def test_a_japanese_site_finds_words_in_the_middle_of_sentences(page, served_japanese):
    assert search(page, served_japanese, JA_WORD) == ["学会の記録"]
    for found in ZH_WORDS:
        assert search(page, served_japanese, found) == ["课堂笔记"], found
    assert search(page, served_japanese, "pendulum") == ["Pendulum notes"]
    assert search(page, served_japanese, AR_WORD) == ["مختبر"]
    assert page.watch.problems == []


def test_a_tag_finds_the_entries_carrying_it_and_results_show_their_tags(page, served_english):
    assert search(page, served_english, TAG_ONLY) == ["Pendulum notes"]
    assert search(page, served_english, CJK_TAG) == ["Pendulum notes"]
    tags = page.locator(".search-result .search-tags")
    assert tags.inner_text() == f"Tags: {TAG_ONLY}, {CJK_TAG}"
    assert search(page, served_english, "pendulum") == ["Pendulum notes"]
    assert page.watch.problems == []


@pytest.mark.slow  # a sequence of builds with Pagefind: seconds
def test_the_index_of_pages_in_several_languages_is_the_same_in_every_build():
    """Pagefind lists a shard's language indexes in no fixed order: they are put in the
    order of their names, so that the same pages make the same files."""
    from elenefolio.write.search import executable, index_pages

    def page(language: str, text: str) -> bytes:
        return (
            f'<html lang="{language}"><head><title>{language}</title></head><body>'
            f"<main data-pagefind-body><p>{text}</p></main></body></html>"
        ).encode()

    pages = [("en/", page("en", EN_BODY)), ("zh/", page("zh", ZH_BODY)), ("ja/", page("ja", JA_BODY))]
    builds = [index_pages(executable(), pages, True) for _ in range(4)]
    assert all(files == builds[0] for files in builds)
    assert list(json.loads(builds[0]["pagefind-entry.json"])["languages"]) == ["en", "ja", "zh"]
