"""Numbers a reader can check: on the site, the skill pages and the passport of the example,
every change shown equals the difference of the two levels shown beside it, and a priority is
written the same way everywhere."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from conftest import soup_of

from elenefolio.assess.analysis import difference, format_change, format_number
from elenefolio.load import load_portfolio
from elenefolio.passport import make_passport
from elenefolio.problems import Problems
from elenefolio.site import build_site
from elenefolio.site.audience import Audience

NUMBER = re.compile(r"[+−-]?\d+\.\d")


def value(text: str) -> Decimal:
    """The first number in a cell ("+0.6", "−0.3", "3.4 (Start)") as an exact decimal."""
    found = NUMBER.search(text)
    assert found, text
    return Decimal(found.group().replace("−", "-"))


@pytest.fixture(scope="module")
def built(example_copy, example_build):
    root = example_copy
    problems = Problems(root)
    site = build_site(load_portfolio(root, problems), Audience(private=False), problems)
    assert not problems.errors
    assert example_build.code == 0, example_build.err
    return root / "_site", site


def test_the_helper_rounds_before_subtracting():
    assert difference(3.5, 2.25) == 1.2  # shown as 2.3 → 3.5
    assert difference(2.25, 3.5) == -1.2
    assert format_change(1.2) == "+1.2" and format_change(-0.25) == "−0.3" and format_change(0) == "0.0"
    assert format_number(7) == "7.0" and format_number(None) == "—"


def test_every_change_on_the_self_assessment_page_is_the_difference_shown(built):
    site, _ = built
    rows = soup_of(site / "self-assessment" / "index.html").select("table.sa-changes tbody tr")
    checked = 0
    for row in rows:
        cells = [td.get_text(" ", strip=True) for td in row.select("td.num")]
        if len(cells) == 3 and all(NUMBER.search(c) for c in cells):
            assert value(cells[2]) == value(cells[1]) - value(cells[0]), cells
            checked += 1
    assert checked >= 10


def test_every_change_on_the_skill_pages_is_the_difference_shown(built):
    site, _ = built
    checked = 0
    for page in (site / "skills").glob("*/index.html"):
        table = soup_of(page).select_one(".skill-levels table")
        if table is None:
            continue
        previous = None
        for row in table.select("tbody tr"):
            level, _importance, change = (td.get_text(" ", strip=True) for td in row.select("td.num")[:3])
            if NUMBER.search(change):
                assert previous is not None and value(change) == value(level) - previous, (page, level)
                checked += 1
            if NUMBER.search(level):
                previous = value(level)
    assert checked >= 10


@pytest.mark.slow  # makes a passport (PDF)
def test_the_passport_changes_and_priorities_agree_with_the_site(built):
    site, site_model = built
    from pypdf import PdfReader

    text = "\n".join(p.extract_text() or "" for p in PdfReader(make_passport(site_model).path).pages)
    rows = re.findall(r"^(.+?) (\d\.\d) (\d\.\d) ([+−-]?\d\.\d) \d+$", text, re.MULTILINE)
    assert len(rows) >= 10
    for name, before, after, change in rows:
        assert Decimal(change.replace("−", "-")) == Decimal(after) - Decimal(before), name
    # the latest round's priorities, on the round page and in the passport: one decimal, the same
    latest = site_model.self_assessment.latest
    round_page = soup_of(site / "self-assessment" / latest.round.slug / "index.html")
    shown = {}
    for row in round_page.select("table.sa-table tbody tr"):
        cells = row.select("td.num")
        if row.th and row.th.a and len(cells) == 4 and NUMBER.search(cells[3].get_text()):
            shown[row.th.a.get_text(strip=True)] = cells[3].get_text(strip=True)
    assert len(shown) >= 10
    for name, priority in shown.items():
        assert re.fullmatch(r"\d+\.\d", priority)
        assert re.search(rf"^{re.escape(name)} \d\.\d \d {re.escape(priority)}$", text, re.MULTILINE), name
