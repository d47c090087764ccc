"""Long lists cut into pages, and grouped by year and month.

A list of more than ``PER_PAGE`` entries (the journal, the entries of one
kind, a skill's evidence, a tag's items) is cut into pages of at most
``PER_PAGE``, newest first: the first page keeps the list's own address
(``journal/``), the next ones are ``journal/page/2/``, ``journal/page/3/``...
as in Hugo. Adding an entry moves the oldest entry of each page to the next
one: a page's address says where it is in the list, not what it holds.

Each page groups its entries by year (and the journal by month inside the
year); a year that goes on from one page to the next says so. The year
index links every year to the page that holds its heading.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable, Generic, TypeVar

from elenefolio.site.views import _ShortRepr

PER_PAGE = 50

T = TypeVar("T")


def page_url(first: str, number: int) -> str:
    """The address of page ``number`` of the list at ``first``."""
    return first if number == 1 else f"{first}page/{number}/"


@dataclass(eq=False, repr=False)
class Pager(_ShortRepr):
    """Where a page is in its list: its number, how many there are, and their addresses."""

    url: str  # this page
    number: int
    urls: list[str]  # every page of the list, the first first
    count: int  # how many entries the whole list holds

    @property
    def total(self) -> int:
        return len(self.urls)

    @property
    def previous_url(self) -> str:
        """The page before (newer entries), or ""."""
        return self.urls[self.number - 2] if self.number > 1 else ""

    @property
    def next_url(self) -> str:
        """The page after (older entries), or ""."""
        return self.urls[self.number] if self.number < self.total else ""

    @property
    def links(self) -> list[tuple[int, str]]:
        """The pages the navigation names: the first, the last, this one and its neighbours;
        0 where pages are left out ("…")."""
        shown = sorted({1, self.total, *range(max(1, self.number - 2), min(self.total, self.number + 2) + 1)})
        links: list[tuple[int, str]] = []
        for number in shown:
            if links and number > links[-1][0] + 1:
                links.append((0, ""))
            links.append((number, self.urls[number - 1]))
        return links


def paginate(items: list[T], first: str, per_page: int = PER_PAGE) -> list[tuple[Pager, list[T]]]:
    """``items`` cut into pages of at most ``per_page``; one page (empty) when there are none."""
    chunks = [items[i : i + per_page] for i in range(0, len(items), per_page)] or [[]]
    addresses = [page_url(first, n) for n in range(1, len(chunks) + 1)]
    return [
        (Pager(addresses[n - 1], n, addresses, len(items)), chunk) for n, chunk in enumerate(chunks, start=1)
    ]


@dataclass(eq=False, repr=False)
class MonthGroup(Generic[T], _ShortRepr):
    month: dt.date  # its first day
    items: list[T] = field(default_factory=list)


@dataclass(eq=False, repr=False)
class YearGroup(Generic[T], _ShortRepr):
    """The entries of one year on one page."""

    year: int
    count: int  # how many the whole list holds for this year
    continued: bool = False  # the year began on an earlier page
    alone: bool = False  # the list's only year, on its only page (a heading may be left out)
    items: list[T] = field(default_factory=list)
    months: list[MonthGroup[T]] = field(default_factory=list)


@dataclass(eq=False, repr=False)
class YearLink(_ShortRepr):
    """A year in the year index: how many entries, and the page holding its heading."""

    year: int
    count: int
    url: str  # the page, with the fragment of the year's heading


def _day(item: Any) -> dt.date:
    return item.wrapped.day


def by_year(
    items: list[T],
    totals: dict[int, int],
    first_of: dict[int, str],
    url: str,
    day: Callable[[T], dt.date],
    pages: int = 1,
) -> list[YearGroup[T]]:
    """The ``items`` of the page at ``url`` (of ``pages``), by year then month (newest first,
    as given)."""
    years: list[YearGroup[T]] = []
    alone = len(totals) == 1 and pages == 1
    for item in items:
        when = day(item)
        if not years or years[-1].year != when.year:
            years.append(
                YearGroup(when.year, totals[when.year], continued=first_of[when.year] != url, alone=alone)
            )
        group = years[-1]
        group.items.append(item)
        month = when.replace(day=1)
        if not group.months or group.months[-1].month != month:
            group.months.append(MonthGroup(month))
        group.months[-1].items.append(item)
    return years


def year_facts(
    cut: list[tuple[Pager, list[T]]], day: Callable[[T], dt.date]
) -> tuple[dict[int, int], dict[int, str]]:
    """How many entries each year has in a list cut into pages, and the page where it begins."""
    totals: dict[int, int] = {}
    first_of: dict[int, str] = {}
    for pager, chunk in cut:
        for item in chunk:
            year = day(item).year
            totals[year] = totals.get(year, 0) + 1
            first_of.setdefault(year, pager.url)
    return totals, first_of


@dataclass
class Paged(Generic[T]):
    """A list cut into pages: each page's pager and entries by year, and the year index."""

    pages: list[tuple[Pager, list[YearGroup[T]]]]
    years: list[YearLink]


def paged_by_year(
    items: list[T], first: str, day: Callable[[T], dt.date] = _day, per_page: int = PER_PAGE
) -> Paged[T]:
    """``items`` (newest first) as pages grouped by year, with the index of their years."""
    cut = paginate(items, first, per_page)
    totals, first_of = year_facts(cut, day)
    pages = [(pager, by_year(chunk, totals, first_of, pager.url, day, len(cut))) for pager, chunk in cut]
    years = [YearLink(year, totals[year], f"{first_of[year]}#year-{year}") for year in totals]
    return Paged(pages, years)
