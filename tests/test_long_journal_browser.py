"""A 400-entry portfolio (bench/long_journal.py) on a 390 px phone, in Chromium.

Its titles hold long compound words, addresses without spaces, Greek, Arabic, Chinese and
Hebrew; its bodies wide tables, long code lines and addresses. No page of the journal, of
its kinds, of a skill, of a tag or of the search is wider than the screen, and the boxes
that scroll sideways (tables, code) are reached by keyboard and named.
"""

from __future__ import annotations

import importlib.util
import re

import pytest
from browser_support import serve
from conftest import REPO, build_ok, html_pages

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PATH = "/long/"  # the generated portfolio's base_url ends in /long/


def _generator():
    spec = importlib.util.spec_from_file_location("long_journal", REPO / "bench" / "long_journal.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def long_site(tmp_path_factory):
    root = _generator().generate(tmp_path_factory.mktemp("long") / "portfolio", 400)
    www = tmp_path_factory.mktemp("www-long")
    site = www / PATH.strip("/")
    build_ok(root, "-o", site, "-q")
    served = serve(www)
    yield site, served.url.rstrip("/") + PATH
    served.stop()


def _addresses(site) -> list[str]:
    """Every list page (journal, kinds, skills, tags), and every fifth other page."""
    found = []
    for n, path in enumerate(html_pages(site)):
        url = path.relative_to(site).as_posix().removesuffix("index.html")
        listing = re.match(r"(journal/(page/|kinds/|$)|skills/|tags/|artefacts/$|search/$|$)", url)
        if listing or n % 5 == 0:
            found.append(url)
    return found


def test_no_page_of_a_long_journal_is_wider_than_a_phone(page, long_site):
    site, base = long_site
    page.set_viewport_size({"width": 390, "height": 844})
    addresses = _addresses(site)
    assert {"journal/page/8/", "journal/kinds/question/page/2/", "skills/communication/page/9/"} <= set(
        addresses
    )
    wide = []
    for url in addresses:
        page.goto(base + url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            wide.append((url, width))
    assert wide == []
    assert page.watch.problems == []


def test_search_results_with_long_words_fit_a_phone(page, long_site):
    _site, base = long_site
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base + "search/?q=Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherung")
    page.locator(".search-result").first.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.goto(base + "search/?q=الجماعي")
    page.locator(".search-result").first.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.parametrize("entry, name", [("journal/entry-0004/", "Table"), ("journal/entry-0002/", "Code")])
def test_keyboard_reaches_and_scrolls_a_wide_box(page, long_site, entry, name):
    """Tab reaches the table or code block that is wider than the screen; it is a named
    region with a visible focus ring, and the arrow keys scroll it."""
    _site, base = long_site
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base + entry)
    box = page.locator(f'main [role="region"][aria-label="{name}"]').first
    assert box.evaluate("b => b.scrollWidth > b.clientWidth")  # it is wider than its box
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('aria-label')") == name:
            break
    else:
        pytest.fail(f"Tab never reached the {name.lower()} box")
    focused = page.evaluate(
        "() => { const e = document.activeElement; const s = getComputedStyle(e);"
        " return [e.getAttribute('role'), e.tabIndex, s.outlineStyle, parseFloat(s.outlineWidth)]; }"
    )
    assert focused[:2] == ["region", 0] and focused[2] != "none" and focused[3] >= 2
    page.keyboard.press("ArrowRight")
    page.wait_for_function("document.activeElement.scrollLeft > 0")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
