"""The example site in a real browser (Debian's Chromium through Playwright),
served on loopback under its sub-path: every page loads without console
errors, navigation from the home page reaches every page, media players have
their controls, search finds public content and leads to it.

The fixtures (``example_site``, ``page``) are in browser_support.py; a failing
test leaves a screenshot in test-artifacts/screenshots/.
"""

from __future__ import annotations

from urllib.parse import urldefrag

import pytest
from conftest import EXAMPLE, html_pages, page_url, soup_of

# The example has badges, public self-assessment rounds and an agenda: their sections come
# between Skills and Tags.
SECTIONS = ["journal/", "artefacts/", "skills/", "badges/", "self-assessment/", "agenda/", "tags/", "search/"]


def site_links(page, root: str) -> set[str]:
    """Addresses of the site's HTML pages linked from the open page (no fragments)."""
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    found = set()
    for href in hrefs:
        href = urldefrag(href)[0].split("?", 1)[0]
        if href.startswith(root) and (href.endswith("/") or href.endswith(".html")):
            found.add(href)
    return found


@pytest.fixture(scope="module")
def crawl(browser, example_site, request):
    """Follow links from the home page, in the browser, through the whole site.

    Returns (pages reached, problems seen on them): console errors, script
    errors, failed requests and HTTP errors, each naming its page."""
    from browser_support import make_page, save_screenshot

    page = make_page(browser, request)
    start = example_site.url
    seen, queue = {start}, [start]
    while queue:
        url = queue.pop(0)
        before = len(page.watch.problems)
        response = page.goto(url, wait_until="load")
        assert response is not None and response.ok, url
        if len(page.watch.problems) > before:  # keep a picture of each page with a problem
            save_screenshot(page, "crawl-" + (url[len(start) :].strip("/") or "home"))
        for link in sorted(site_links(page, start) - seen):
            seen.add(link)
            queue.append(link)
    return seen, list(page.watch.problems)


def test_navigation_from_home_reaches_every_page(crawl, example_site):
    reached, _ = crawl
    # Unlisted pages (noindex) are reached only by people given their address; the 404
    # page only for missing addresses.
    expected = {
        example_site.address(page_url(example_site.site, p))
        for p in html_pages(example_site.site)
        if not soup_of(p).find("meta", attrs={"name": "robots", "content": "noindex, nofollow"})
    }
    assert example_site.address("404.html") not in expected
    assert expected - reached == set(), "pages no link leads to"
    assert reached - expected == set(), "links to pages that do not exist"
    for section in SECTIONS:
        assert example_site.address(section) in reached


def test_no_console_errors_or_failed_requests_on_any_page(crawl):
    _, problems = crawl
    assert problems == []


def test_main_navigation_by_clicking(page, example_site):
    page.goto(example_site.url)
    nav = page.get_by_role("navigation", name="Main")
    links = nav.get_by_role("link")
    targets = [(links.nth(i).inner_text(), links.nth(i).get_attribute("href")) for i in range(links.count())]
    assert [href for _, href in targets] == ["./"] + SECTIONS
    for label, href in targets[1:] + targets[:1]:
        nav.get_by_role("link", name=label, exact=True).click()
        page.wait_for_url(example_site.address("" if href == "./" else href))
        assert nav.get_by_role("link", name=label, exact=True).get_attribute("aria-current") == "page"
        if href != "./":
            assert label.lower() in page.locator("h1").first.inner_text().lower()  # "Learning agenda"
    assert page.watch.problems == []


@pytest.mark.parametrize("width", [1280, 820])
def test_the_menu_fits_on_one_line(page, example_site, width):
    """The example's nine menu links: one line on a laptop and a tablet; the phone's menu
    button is not shown there; nothing wider than the screen."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(example_site.url)
    boxes = page.eval_on_selector_all(
        ".site-nav .nav-row a",
        "links => links.map(a => a.getBoundingClientRect())"
        ".map(r => [Math.round(r.top), Math.round(r.right)])",
    )
    assert len(boxes) == 9 and len({top for top, _ in boxes}) == 1
    assert max(right for _, right in boxes) <= width
    assert not page.locator(".nav-menu").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_on_a_phone_the_menu_is_one_button_that_works_with_the_keyboard(page, example_site):
    """At 390 px the nine links fold into a Menu button (a <details>: no script) that names
    the current section; Tab reaches it, Enter opens it, Tab goes through its links with
    the current page marked, and Enter follows one."""
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(example_site.address("skills/"))
    assert not page.locator(".nav-row").is_visible()
    summary = page.locator(".nav-menu summary")
    assert summary.is_visible() and " ".join(summary.inner_text().split()) == "Menu , current section: Skills"
    assert page.locator(".nav-menu-current").inner_text().strip().endswith("Skills")
    header = page.locator(".site-header").bounding_box()
    assert header["height"] < 90  # one row: the name and the button
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName") == "SUMMARY":
            break
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    links = page.locator(".nav-menu a")
    assert not links.first.is_visible()
    page.keyboard.press("Enter")
    assert page.locator(".nav-menu").get_attribute("open") is not None
    assert links.count() == 9 and all(link.is_visible() for link in links.all())
    for box in [link.bounding_box() for link in links.all()]:
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    current = page.locator(".nav-menu a[aria-current]")
    assert current.inner_text().strip() == "Skills"
    marked = current.evaluate("a => [getComputedStyle(a).backgroundColor, getComputedStyle(a).fontWeight]")
    plain = links.first.evaluate("a => [getComputedStyle(a).backgroundColor, getComputedStyle(a).fontWeight]")
    assert marked != plain  # the current page is shown, not only announced
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Home"
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == example_site.address("journal/")
    assert page.watch.problems == []


# The pages with wide tables and charts, for the phone layout tests.
PHONE_PAGES = [
    "skills/",
    "self-assessment/",
    "self-assessment/2026-05-27-end-of-semester/",
    "agenda/",
    "skills/communication/",
]


@pytest.mark.parametrize("address", PHONE_PAGES)
def test_on_a_phone_no_column_of_a_table_is_hidden(page, example_site, address):
    """At 390 px each row of a wide table is a card: every cell, status, level and change
    included, is on screen with its column's name, and nothing scrolls sideways."""
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(example_site.address(address))
    cells = page.eval_on_selector_all(
        "table.stack td",
        """cells => cells.map(td => {
        const r = td.getBoundingClientRect();
        return {label: td.dataset.label || '', text: td.textContent.trim(),
                shown: r.width > 0 && r.height > 0, left: r.left, right: r.right,
                before: getComputedStyle(td, '::before').content};
    })""",
    )
    assert cells, address
    for cell in cells:
        if cell["text"]:
            assert cell["shown"] and 0 <= cell["left"] and cell["right"] <= 390, cell
        if cell["label"]:
            assert cell["before"] == f'"{cell["label"]}"', cell  # the column's name above the value
    labels = {cell["label"] for cell in cells}
    wanted = {
        "skills/": {"Status", "Latest level"},
        "self-assessment/": {"Change", "Level 1–5"},
        "agenda/": {"State", "Latest level", "Target"},
    }.get(address, set())
    assert wanted <= labels
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


CHART_TEXT = """() => [...document.querySelectorAll('svg.chart text, svg.chart tspan')]
  .filter(t => t.getClientRects().length && t.getBoundingClientRect().width > 0)
  .map(t => { const m = t.getScreenCTM();
              return [t.textContent, parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b)]; })"""


@pytest.mark.parametrize("width", [1280, 1000, 820, 700, 390])
def test_chart_text_is_never_under_11_px(page, example_site, width):
    """Every text of every chart the page draws is at least 11 px as the browser lays it
    out; where a chart would be smaller, a list of labelled bars (HTML) shows instead."""
    page.set_viewport_size({"width": width, "height": 900})
    drawn = 0
    for address in PHONE_PAGES[1:3] + ["skills/adaptability/"]:
        page.goto(example_site.address(address))
        sizes = page.evaluate(CHART_TEXT)
        drawn += len(sizes)
        small = [(text, round(size, 1)) for text, size in sizes if size < 11]
        assert small == [], (address, small)
        for figure in page.locator("figure.chart-figure").all():
            assert figure.locator("svg").is_visible() != figure.locator(".chart-list").is_visible()
    if width == 390:
        assert drawn == 0
        page.goto(example_site.address("self-assessment/"))
        rows = page.locator(".chart-figure-change .chart-list li")
        # the list shows each skill's change as the change table beside it does
        first_change = page.locator("td[data-label='Change']").first.inner_text().strip()
        assert rows.count() == 15 and first_change in rows.first.inner_text()
    else:
        assert drawn > 0


@pytest.mark.parametrize("width, rows", [(1280, [3]), (820, [2, 1]), (390, [1, 1, 1])])
def test_featured_cards_leave_no_half_empty_row(page, example_site, width, rows):
    """Three featured artefacts: one row of three, or two and then one card as wide as the
    grid (its picture beside its text), or one per row on a phone."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(example_site.url)
    grid = page.locator("section[aria-labelledby=featured-title] .card-grid")
    boxes = grid.locator(".card").evaluate_all(
        "cards => cards.map(c => c.getBoundingClientRect()).map(r => [Math.round(r.top), r.width])"
    )
    tops = sorted({top for top, _ in boxes})
    assert [sum(1 for top, _ in boxes if top == row) for row in tops] == rows
    last = [w for top, w in boxes if top == tops[-1]]
    assert sum(last) >= grid.bounding_box()["width"] - 1 - 24 * (len(last) - 1)


@pytest.mark.parametrize("width", [1280, 820])
def test_radar_axes_are_named_level_inside_the_chart_and_apart(page, example_site, width):
    """The 15 axes of the radar: their skill names, level (not turned along the axes), each
    inside the chart, none overlapping another (as the browser lays them out)."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(example_site.address("self-assessment/"))
    chart = page.locator("svg.chart-radar").first
    texts = chart.locator("text.axis-label")
    assert texts.count() == 15 and chart.is_visible()
    assert all(texts.nth(i).get_attribute("transform") is None for i in range(15))
    frame = chart.bounding_box()
    boxes = [texts.nth(i).bounding_box() for i in range(15)]
    for box in boxes:
        assert frame["x"] <= box["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"] + 0.5
        assert frame["y"] <= box["y"] and box["y"] + box["height"] <= frame["y"] + frame["height"] + 0.5
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            apart = (
                a["x"] + a["width"] <= b["x"]
                or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"]
                or b["y"] + b["height"] <= a["y"]
            )
            assert apart, (a, b)


def test_a_long_task_list_item_wraps_under_its_first_word(page, example_site):
    """Check lists: the next lines of a long item start where its text starts, not under
    the box (a phone-width page, where the example's longer items take two lines)."""
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(example_site.address("journal/2026-02-13-choosing-three-skills/"))
    lines = page.evaluate("""() => [...document.querySelectorAll('.task-list-item label')].map(label => {
        const range = document.createRange();
        range.setStartAfter(label.querySelector('input'));
        range.setEnd(label, label.childNodes.length);
        const text = label.childNodes[1];
        const first = document.createRange();
        first.setStart(text, text.textContent.search(/\\S/)); first.setEnd(text, text.textContent.search(/\\S/) + 1);
        const rows = [...range.getClientRects()].filter(r => r.width > 0);
        // the second line: the rectangles starting half a line or more below the first one
        // (a link on the first line may sit a pixel lower than the text beside it)
        const half = rows.length ? rows[0].height / 2 : 0;
        const below = rows.filter(r => r.top > rows[0].top + half);
        const second = below.length ? Math.min(...below.map(r => r.top)) : 0;
        const next = below.filter(r => r.top < second + half);
        return {first: first.getBoundingClientRect().left,
                next: next.length ? Math.min(...next.map(r => r.left)) : null};
    })""")
    wrapped = [line for line in lines if line["next"] is not None]
    assert len(lines) == 8 and len(wrapped) >= 2
    for line in wrapped:
        assert abs(line["next"] - line["first"]) <= 1, line


def test_skill_tables_on_a_phone_keep_names_readable_and_nothing_scrolls(page, example_site):
    """At 390 px the skills tables (counts, levels and status) are cards: the skill's name
    and description take the card's width, and nothing is left to scroll to, in the tables'
    boxes or on the page."""
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(example_site.address("skills/"))
    widths = page.eval_on_selector_all(
        ".skill-table tbody th", "cells => cells.map(c => c.getBoundingClientRect().width)"
    )
    assert widths and min(widths) >= 18 * 16
    boxes = page.eval_on_selector_all(
        ".table-scroll", "boxes => boxes.map(b => [b.scrollWidth, b.clientWidth])"
    )
    assert boxes and all(scroll <= client for scroll, client in boxes)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_no_page_is_wider_than_a_phone(page, example_site):
    """On a 390 px screen no page scrolls sideways: wide tables and code scroll in their own
    box (every page of the example, private items excluded as on the published site)."""
    page.set_viewport_size({"width": 390, "height": 900})
    site = example_site.site
    wide = []
    for path in html_pages(site):
        page.goto(example_site.address(path.relative_to(site).as_posix().removesuffix("index.html")))
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            wide.append((path.relative_to(site).as_posix(), width))
    assert wide == []


def test_404_page_works_at_any_depth(page, example_site):
    """Its links are absolute under the base path, so they work from a missing deep address."""
    page.goto(example_site.address("404.html"))
    page.get_by_role("link", name="Read the journal").click()
    page.wait_for_url(example_site.address("journal/"))
    assert page.watch.problems == []


def media_pages(site, kind: str) -> list[str]:
    return [page_url(site, p) for p in html_pages(site) if soup_of(p).select(f"figure.media-{kind} {kind}")]


@pytest.mark.parametrize("kind", ["video", "audio"])
def test_media_players_have_controls_and_load(page, example_site, kind):
    pages = media_pages(example_site.site, kind)
    assert pages, f"the example has no {kind}"
    for url in pages:
        page.goto(example_site.address(url))
        players = page.locator(f"figure.media {kind}")
        for i in range(players.count()):
            player = players.nth(i)
            player.scroll_into_view_if_needed()
            assert player.is_visible()
            assert player.evaluate("m => m.controls") is True
            # The browser read the file's metadata: the player has something to play.
            page.wait_for_function(
                "m => m.readyState >= 1 || m.error", arg=player.element_handle(), timeout=10_000
            )
            assert player.evaluate("m => m.error && m.error.code") is None, url
            assert player.evaluate("m => m.duration") > 0, url
    assert page.watch.problems == []


def test_search_finds_public_content_and_leads_to_it(page, example_site):
    page.goto(example_site.address("search/"))
    field = page.get_by_label("Words to look for")
    field.fill("pendulum")
    field.press("Enter")
    results = page.locator(".search-result")
    results.first.wait_for()
    status = page.get_by_role("status")
    count = results.count()
    assert 1 < count <= 50
    assert status.inner_text() == f"{count} results for “pendulum”."
    assert page.url.endswith("?q=pendulum")
    excerpts = page.locator(".search-excerpt mark").all_inner_texts()
    assert excerpts and all("pendulum" in m.lower() for m in excerpts)
    first = results.first.get_by_role("link")
    title = first.inner_text()
    first.click()
    page.wait_for_load_state()
    assert page.locator("h1").first.inner_text() == title
    assert page.watch.problems == []


def test_search_from_an_address_and_without_results(page, example_site):
    page.goto(example_site.address("search/?q=pendulum"))
    page.locator(".search-result").first.wait_for()
    assert page.get_by_label("Words to look for").input_value() == "pendulum"
    field = page.get_by_label("Words to look for")
    field.fill("xylophonequasar")  # typing searches as you go
    page.get_by_text("No results for “xylophonequasar”.").wait_for()
    assert page.locator(".search-result").count() == 0
    assert page.watch.problems == []


def test_serve_reloads_a_page_after_a_file_edit(page, tmp_path):
    """`elenefolio serve` on a copy of the example: an open page shows an edit to its
    Markdown file by itself, through the live-reload script, without a manual reload."""
    import shutil

    from test_serve import ENTRY, ENTRY_URL, Served

    root = tmp_path / "portfolio"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("_site", "_private", ".*"))
    server = Served(root)
    try:
        page.goto(server.base + ENTRY_URL)
        page.wait_for_load_state()
        marker = "A sentence written while the page was open."
        assert marker not in page.content()
        source = root / ENTRY
        source.write_text(source.read_text() + f"\n{marker}\n")
        page.get_by_text(marker).wait_for(timeout=30_000)  # the page reloaded itself
        assert page.locator("h1").first.inner_text().startswith("Defending the scenario")
    finally:
        assert server.stop() == 0
