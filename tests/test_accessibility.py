"""Accessibility of the example site: axe-core finds no WCAG 2.2 A/AA violation on
any page type, in the light and the dark colour scheme; every page has a
language, landmarks, a skip link and headings in order; focus is always
visible and the site can be used with the keyboard alone.

Page types are found in the built output (the ``page-*`` class of <body>, and
the artefact type), so a new template is covered as soon as the example uses it.
"""

from __future__ import annotations

import pytest
from conftest import html_pages, page_url, soup_of

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
SEARCH = "search/?q=pendulum"  # the search page, with results on it


def page_type(soup) -> str:
    kind = " ".join(c for c in soup.body.get("class", []) if c.startswith("page-"))
    article = soup.select_one("main article.artefact")
    if article is not None:  # one per artefact type: each shows different media
        kind += " " + " ".join(c for c in article.get("class", []) if c.startswith("type-"))
    return kind


def features(soup) -> set[str]:
    """The kinds of element that the page's main content uses."""
    return {t.name for t in soup.find("main").find_all(True)}


def pages_covering_every_type(site) -> list[str]:
    """Site-root relative addresses of a few pages that, together, show every page type and
    every kind of element each type uses (so the journal entry with a task list is in, and
    not twenty entries of paragraphs): a greedy cover, page type by page type."""
    by_type: dict[str, dict[str, set]] = {}
    for path in html_pages(site):
        soup = soup_of(path)
        by_type.setdefault(page_type(soup), {})[page_url(site, path)] = features(soup)
    chosen = []
    for pages in by_type.values():
        missing = set().union(*pages.values())
        while missing:
            url = max(sorted(pages), key=lambda u: len(pages[u] & missing))
            chosen.append(url)
            missing -= pages[url]
        if not any(url in chosen for url in pages):
            chosen.append(sorted(pages)[0])
    return chosen


@pytest.fixture(scope="module")
def page_types(example_site, private_example_site):
    """(served site, address) of one page per page type, public and private copy."""
    public = [SEARCH if url == "search/" else url for url in pages_covering_every_type(example_site.site)]
    # From the owner's copy, what only it shows: the banner and the draft/private badges.
    private = [
        "",
        next(
            page_url(private_example_site.site, p)
            for p in html_pages(private_example_site.site)
            if soup_of(p).select("main .badge-draft")
        ),
    ]
    return [(example_site, url) for url in public] + [(private_example_site, url) for url in private]


def test_every_page_type_is_covered(page_types):
    urls = [url for _, url in page_types]
    assert len(urls) >= 12
    for needed in ("", "journal/", "artefacts/", "skills/", "tags/", "404.html", SEARCH):
        assert needed in urls


def test_axe_finds_no_wcag_violation_in_light_and_dark(page, page_types):
    """Each page is checked in the light scheme, then switched to the dark one and checked again."""
    from axe_playwright_python.sync_playwright import Axe
    from browser_support import save_screenshot

    axe = Axe()
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    reports = []
    for served, url in page_types:
        page.emulate_media(color_scheme="light")
        page.goto(served.address(url))
        if url == SEARCH:
            page.locator(".search-result").first.wait_for()
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") is (scheme == "dark")
            results = axe.run(page, options=options)
            if results.violations_count:
                save_screenshot(page, f"axe-{url.strip('/') or 'home'}-{scheme}")
                reports.append(f"--- {served.address(url)} ({scheme})\n{results.generate_report()}")
    assert not reports, "\n".join(reports)
    assert page.watch.problems == []


PHONE = ["", "skills/", "self-assessment/", "agenda/", "skills/communication/", "journal/", SEARCH]


def test_axe_finds_no_wcag_violation_on_a_phone_with_the_menu_open(page, example_site):
    """The phone layout (390 px): tables as cards, lists instead of charts, the menu button,
    opened; light and dark."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    page.set_viewport_size({"width": 390, "height": 800})
    reports = []
    for url in PHONE:
        page.goto(example_site.address(url))
        if url == SEARCH:
            page.locator(".search-result").first.wait_for()
        page.locator(".nav-menu summary").click()
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            results = axe.run(page, options=options)
            if results.violations_count:
                reports.append(f"--- {url} ({scheme})\n{results.generate_report()}")
        page.emulate_media(color_scheme="light")
    assert not reports, "\n".join(reports)
    assert page.watch.problems == []


# --- structure of every page (read from the HTML) ---------------------------------------


@pytest.fixture(scope="module")
def all_pages(example_site, private_example_site):
    return html_pages(example_site.site) + html_pages(private_example_site.site)


def test_every_page_has_the_language_of_the_portfolio(all_pages, example_copy):
    import yaml

    language = yaml.safe_load((example_copy / "portfolio.yaml").read_text(encoding="utf-8"))["language"]
    for path in all_pages:
        assert soup_of(path).html.get("lang") == language, path


def test_every_page_has_one_of_each_landmark(all_pages):
    for path in all_pages:
        soup = soup_of(path)
        assert len(soup.find_all("main")) == 1, path
        top = [
            h
            for h in soup.find_all("header")
            if not h.find_parent(["article", "main", "section", "aside", "nav"])
        ]
        assert len(top) == 1, f"{path}: one banner"
        bottom = [
            f
            for f in soup.find_all("footer")
            if not f.find_parent(["article", "main", "section", "aside", "nav"])
        ]
        assert len(bottom) == 1, f"{path}: one contentinfo"
        navs = soup.find_all("nav")
        assert navs and all(n.get("aria-label") for n in navs), f"{path}: every nav is named"
        assert len({n["aria-label"] for n in navs}) == len(navs), f"{path}: nav names are distinct"


def test_skip_link_comes_first_and_leads_to_main(all_pages):
    for path in all_pages:
        soup = soup_of(path)
        first = soup.body.find(["a", "button", "input", "select", "textarea", "video", "audio"])
        assert first is not None and "skip-link" in first.get("class", []), path
        target = first["href"].removeprefix("#")
        assert soup.find(id=target).name == "main", path


def test_headings_start_at_h1_and_never_skip_a_level(all_pages):
    for path in all_pages:
        levels = [int(h.name[1]) for h in soup_of(path).find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]
        assert levels and levels[0] == 1 and levels.count(1) == 1, f"{path}: {levels}"
        for before, after in zip(levels, levels[1:]):
            assert after <= before + 1, f"{path}: h{before} followed by h{after} ({levels})"


def test_every_image_has_an_alt_attribute(all_pages):
    for path in all_pages:
        for img in soup_of(path).find_all("img"):
            assert img.has_attr("alt"), f"{path}: {img}"


# --- keyboard ---------------------------------------------------------------------------

# The focused element: whether focus shows (an outline on it or on its ::after, or a
# shadow) and is on screen, and what it is. One round trip per Tab stop.
FOCUS_SHOWN = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const visible = s => s && s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
  const own = getComputedStyle(el), after = getComputedStyle(el, '::after');
  const box = el.getBoundingClientRect();
  return {
    indicator: visible(own) || visible(after) || own.boxShadow !== 'none',
    inView: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight,
    key: el.outerHTML.slice(0, 200),
    text: (el.innerText || el.getAttribute('aria-label') || el.tagName).trim().slice(0, 60),
  };
}"""


def focused(page):
    return page.evaluate_handle("document.activeElement")


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page, example_site):
    page.goto(example_site.url)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    shown = page.evaluate(FOCUS_SHOWN)
    assert shown["indicator"] and shown["inView"], shown
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")


def test_focus_is_visible_on_every_tab_stop(page, page_types):
    hidden = []
    for served, url in page_types:
        page.goto(served.address(url))
        if url == SEARCH:
            page.locator(".search-result").first.wait_for()
        stops = set()
        for _ in range(40):  # the first 40 stops: header, navigation and the content's start
            page.keyboard.press("Tab")
            shown = page.evaluate(FOCUS_SHOWN)
            if shown is None or shown["key"] in stops:
                break
            stops.add(shown["key"])
            if not (shown["indicator"] and shown["inView"]):
                hidden.append(f"{url or '/'}: {shown['text']} {shown}")
        assert len(stops) > 3, url
    assert hidden == []


def tab_to(page, predicate: str, limit: int = 80):
    """Press Tab until the focused element matches the JS ``predicate``; returns it."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => {predicate})(document.activeElement)"):
            return focused(page)
    raise AssertionError(f"no tab stop matches {predicate} on {page.url}")


def test_keyboard_only_from_home_to_an_entry_and_search(page, example_site):
    page.goto(example_site.url)
    tab_to(page, "el.closest('nav') && el.textContent.trim() === 'Journal'")
    page.keyboard.press("Enter")
    page.wait_for_url(example_site.address("journal/"))
    link = tab_to(page, "el.closest('.timeline-title') !== null")
    title = link.evaluate("el => el.textContent.trim()")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == title
    tab_to(page, "el.closest('nav') && el.textContent.trim() === 'Search'")
    page.keyboard.press("Enter")
    page.wait_for_url(example_site.address("search/"))
    tab_to(page, "el.id === 'search-input'")
    page.keyboard.type("self-assessment")
    page.keyboard.press("Enter")
    page.locator(".search-result").first.wait_for()
    link = tab_to(page, "el.closest('.search-result') !== null")
    title = link.evaluate("el => el.textContent.trim()")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/search/" not in page.url
    assert page.locator("h1").inner_text() == title
    assert page.watch.problems == []


# --- alt text ---------------------------------------------------------------------------


def test_images_in_artefacts_need_alt_text_a_warning_or_with_strict_an_error(tmp_path):
    from conftest import PNG, config_yaml, entry, run_cli, write_portfolio

    root = write_portfolio(
        tmp_path / "portfolio",
        {
            "portfolio.yaml": config_yaml(default_visibility="public"),
            "artefacts/poster/index.md": entry(
                "Poster",
                "2024-01-01",
                "Made for the fair.\n\n![](detail.png)\n",
                type="image",
                media="[poster.png]",
            ),
            "artefacts/poster/poster.png": PNG,
            "artefacts/poster/detail.png": PNG,
        },
    )
    relaxed = run_cli("build", root)
    assert relaxed.code == 0
    warnings = [line for line in relaxed.err.splitlines() if "has no alt text" in line]
    assert len(warnings) == 2, relaxed.err
    assert all(line.startswith("artefacts/poster/index.md:") and ": warning: " in line for line in warnings)
    strict = run_cli("build", root, "--strict")
    assert strict.code == 1
    assert sum("has no alt text" in line for line in strict.err.splitlines()) == 2
    assert "Traceback" not in strict.err


def test_axe_finds_no_violation_on_the_questionnaire_filled_in(page, example_site):
    """The questionnaire as a learner leaves it: statements, importance, confidence and an example
    answered, the result shown; light and dark."""
    from axe_playwright_python.sync_playwright import Axe

    page.goto(example_site.address("self-assessment/questionnaire/"))
    page.check('input[name="teamwork--0"][value="4"]')
    page.check('input[name="teamwork--importance"][value="5"]')
    page.check('input[name="teamwork--confidence"][value="1"]')
    page.fill("#teamwork--example", "The open day stand in May")
    page.click("#q-show")
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        results = Axe().run(page, options=options)
        assert results.violations_count == 0, results.generate_report()
    assert page.watch.problems == []
