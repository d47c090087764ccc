"""Long lists in pages: the journal, each kind of entry, a skill's evidence and a tag's items.

Built from a portfolio of 130 public journal entries over three years (2023 to 2025) and
10 artefacts, with private, draft and unlisted entries beside them: pages of at most 50,
rel="prev"/"next" chains, a year index that lands on each year's heading, months, kind
pages with honest counts, incremental builds that add and remove pages.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from conftest import canary_hits, config_yaml, entry, output_files, resolve_link, soup_of, write_and_build

from elenefolio.pipeline import BuildOptions, build

PUBLIC_KINDS = ["question", "plan", "reflection", "evaluation", "idea"]
ENTRIES = 130
ARTEFACTS = 10
CANARIES = ["zqpagprivate", "zqpagdraft", "zqpagunlisted"]


def day_of(i: int) -> dt.date:
    """Entry i's date: 130 entries spread over 2023, 2024 and 2025, newest last."""
    return dt.date(2023, 1, 1) + dt.timedelta(days=i * 1090 // ENTRIES)


def files() -> dict[str, str]:
    found = {"portfolio.yaml": config_yaml(default_visibility="public")}
    for i in range(ENTRIES):
        found[f"journal/entry-{i:03d}.md"] = entry(
            f"Entry {i:03d}",
            day_of(i).isoformat(),
            kind=PUBLIC_KINDS[i % len(PUBLIC_KINDS)],
            skills="[teamwork]",
            tags="[long]",
        )
    for i in range(ARTEFACTS):
        found[f"artefacts/art-{i}/index.md"] = (
            f'---\ntitle: "Artefact {i}"\ndate: 2024-0{1 + i % 9}-10\ntype: document\n'
            "skills:\n  - skill: teamwork\n    evidence: It shows teamwork.\ntags: [long]\n---\n\nText.\n"
        )
    # entries no public page may show or count: the only disappointment is private, the only
    # record a draft; an unlisted question
    hidden = {
        "zqpagprivate": ("private", "", "disappointment"),
        "zqpagdraft": ("public", "draft: true\n", "record"),
        "zqpagunlisted": ("unlisted", "", "question"),
    }
    for name, (visibility, draft, kind) in hidden.items():
        found[f"journal/{name}.md"] = (
            f'---\ntitle: "Title {name}"\ndate: 2024-06-15\nkind: {kind}\nvisibility: {visibility}\n{draft}'
            "skills: [teamwork]\ntags: [long, tag" + name + "]\n---\n\nText.\n"
        )
    return found


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return write_and_build(tmp_path_factory.mktemp("pages") / "portfolio", files()).site


def page(site: Path, url: str):
    return soup_of(site / url / "index.html")


def chain(site: Path, first: str) -> list[str]:
    """The addresses of a list's pages, following rel="next" from the first."""
    urls, url = [], first
    while url:
        urls.append(url)
        soup = page(site, url)
        following = soup.select_one('head link[rel="next"]')
        url = resolve_link(url, following["href"]).removesuffix("index.html") if following else ""
        assert len(urls) < 20
    return urls


def entry_titles(soup) -> list[str]:
    return [a.get_text(strip=True) for a in soup.select("main .timeline-title a")]


def expected_titles(kind: str = "") -> list[str]:
    return [
        f"Entry {i:03d}"
        for i in reversed(range(ENTRIES))
        if not kind or PUBLIC_KINDS[i % len(PUBLIC_KINDS)] == kind
    ]


def test_the_journal_is_cut_into_pages_of_at_most_50(site):
    urls = chain(site, "journal/")
    assert urls == ["journal/", "journal/page/2/", "journal/page/3/"]
    pages = [entry_titles(page(site, url)) for url in urls]
    assert [len(p) for p in pages] == [50, 50, 30]
    assert [t for p in pages for t in p] == expected_titles()
    assert not (site / "journal/page/4").exists() and not (site / "journal/page/1").exists()


def test_rel_prev_and_next_and_the_page_navigation(site):
    urls = chain(site, "journal/")
    for number, url in enumerate(urls, start=1):
        soup = page(site, url)
        previous = soup.select_one('head link[rel="prev"]')
        if number == 1:
            assert previous is None
        else:
            assert resolve_link(url, previous["href"]).removesuffix("index.html") == urls[number - 2]
        nav = soup.select_one("nav.pagination")
        assert nav["aria-label"] == "Pages"
        assert f"Page {number} of 3" in nav.get_text(" ", strip=True)
        current = nav.select('a[aria-current="page"]')
        assert [a.get_text(" ", strip=True) for a in current] == [f"Page {number}"]
        assert resolve_link(url, current[0]["href"]).removesuffix("index.html") == url
        numbers = {
            a.get_text(" ", strip=True): resolve_link(url, a["href"]).removesuffix("index.html")
            for a in nav.select("a:not([rel])")
        }
        assert numbers == {f"Page {n}": u for n, u in enumerate(urls, start=1)}
        older = nav.select_one('a[rel="next"]')
        assert (older is not None) == (number < 3)
        if number > 1:
            assert "Page %d of 3" % number in soup.title.get_text()


def test_the_year_index_lands_on_the_page_with_the_years_heading(site):
    urls = chain(site, "journal/")
    first_page_of = {}
    for url in urls:
        for h2 in page(site, url).select("main h2.year"):
            first_page_of.setdefault(h2["id"], url)
    assert sorted(first_page_of) == ["year-2023", "year-2024", "year-2025"]
    for url in urls:
        index = page(site, url).select_one('nav.year-index[aria-label="Years"]')
        links = index.select("a")
        assert [a.select_one(".year-index-year").get_text() for a in links] == ["2025", "2024", "2023"]
        for a in links:
            address = resolve_link(url, a["href"]).removesuffix("index.html")
            fragment = a["href"].split("#")[1]
            assert address == first_page_of[fragment]
            heading = page(site, address).find(id=fragment)
            assert heading.name == "h2" and "continued" not in heading.get_text()
    # a year that goes on from one page to the next says so, under the same heading
    continued = [h.get_text(" ", strip=True) for h in page(site, "journal/page/2/").select("main h2.year")]
    assert continued[0].endswith("continued")


def test_counts_per_year_are_the_whole_years(site):
    counts: dict[str, int] = {}
    for i in range(ENTRIES):
        year = str(day_of(i).year)
        counts[year] = counts.get(year, 0) + 1
    index = page(site, "journal/").select("nav.year-index a")
    shown = {
        a.select_one(".year-index-year").get_text(): a.select_one(".year-index-count").get_text()
        for a in index
    }
    assert shown == {year: f"{n} entries" for year, n in counts.items()}


def test_entries_are_under_their_month(site):
    for url in chain(site, "journal/"):
        soup = page(site, url)
        for section in soup.select("main section.year-group"):
            year = int(section.select_one("h2.year")["id"].removeprefix("year-"))
            months = section.select("div.month-group")
            assert months
            seen = []
            for month in months:
                name = month.select_one("h3.month").get_text(strip=True)
                dates = [dt.date.fromisoformat(t["datetime"]) for t in month.select("time.timeline-date")]
                assert dates and {(d.year, d.month) for d in dates} == {(year, dates[0].month)}
                assert name == dates[0].strftime("%B")
                seen.append(dates[0].month)
            assert seen == sorted(seen, reverse=True) and len(seen) == len(set(seen))


def test_each_kind_label_links_to_its_pages_with_an_honest_count(site):
    legend = page(site, "journal/").select_one('nav.kind-legend[aria-label="Entries by kind"]')
    links = {a.select_one(".kind").get_text(): a for a in legend.select("a") if a.select_one(".kind")}
    assert list(links) == ["Question", "Plan", "Reflection", "Evaluation", "Idea"]  # no private kind
    all_kinds = legend.select_one("a.kind-all")
    assert all_kinds.select_one(".kind-count").get_text() == str(ENTRIES)
    for kind in PUBLIC_KINDS:
        a = links[kind.capitalize()]
        first = resolve_link("journal/", a["href"]).removesuffix("index.html")
        assert first == f"journal/kinds/{kind}/"
        assert a.select_one(".kind-count").get_text() == str(len(expected_titles(kind)))
        urls = chain(site, first)
        assert len(urls) == 1  # 26 entries each: one page
        soup = page(site, first)
        assert entry_titles(soup) == expected_titles(kind)
        assert soup.h1.get_text(strip=True) == kind.capitalize() + "s"
        current = soup.select('nav.kind-legend a[aria-current="page"]')
        assert [c.select_one(".kind").get_text() for c in current] == [kind.capitalize()]
    for hidden in ("disappointment", "record"):
        assert not (site / "journal/kinds" / hidden).exists()


def test_private_draft_and_unlisted_entries_are_on_no_list_page_and_in_no_count(site):
    # an unlisted entry has its own page (for those given its address), and nothing else
    hits = canary_hits(site, CANARIES)
    assert hits and all(
        where.endswith("journal/zqpagunlisted") or "journal/zqpagunlisted/" in where for _, where in hits
    ), hits
    lists = [
        p.relative_to(site).as_posix()
        for p in output_files(site)
        if re.match(r"(journal/(index|page/|kinds/)|skills/|tags/)", p.relative_to(site).as_posix())
    ]
    assert len(lists) > 10
    for name in lists:
        text = (site / name).read_text(encoding="utf-8")
        assert not any(canary in text for canary in CANARIES), name
    skill = page(site, "skills/teamwork/")
    assert skill.select_one(".skill-summary .count").get_text() == str(ENTRIES + ARTEFACTS)


def test_skill_evidence_is_grouped_by_year_in_pages(site):
    urls = chain(site, "skills/teamwork/")
    assert urls == ["skills/teamwork/", "skills/teamwork/page/2/", "skills/teamwork/page/3/"]
    artefacts, entries = [], []
    for url in urls:
        soup = page(site, url)
        rows = soup.select("main .item-row-title a, main .timeline-title a")
        assert len(rows) <= 50
        for section_id, found in (("skill-artefacts", artefacts), ("skill-journal", entries)):
            section = soup.find(id=section_id)
            if section is None:
                continue
            section = section.find_parent("section")
            years = [int(h["id"].rsplit("-", 1)[1]) for h in section.select("h3.year")]
            assert years == sorted(years, reverse=True)
            for heading in section.select("h3.year"):
                listing = heading.find_next_sibling(["ul", "ol"])
                for time in listing.select("time"):
                    assert time["datetime"].startswith(heading["id"].rsplit("-", 1)[1])
            found += [a.get_text(strip=True) for a in section.select(".item-row-title a, .timeline-title a")]
    assert sorted(artefacts) == sorted(f"Artefact {i}" for i in range(ARTEFACTS))
    assert entries == expected_titles()
    # the skill's levels, sub-skills and badges are on its first page only; the next pages
    # are not searchable (they only list more of it)
    assert page(site, "skills/teamwork/").select_one("main[data-pagefind-body]") is not None
    assert page(site, "skills/teamwork/page/2/").select_one("main[data-pagefind-body]") is None


def test_tag_items_are_grouped_by_year_in_pages(site):
    urls = chain(site, "tags/long/")
    assert urls == ["tags/long/", "tags/long/page/2/", "tags/long/page/3/"]
    titles = []
    for url in urls:
        soup = page(site, url)
        for heading in soup.select("main h2.year"):
            for time in heading.find_next_sibling("ul").select("time"):
                assert time["datetime"].startswith(heading["id"].removeprefix("year-"))
        titles += [a.get_text(strip=True) for a in soup.select("main .item-row-title a")]
    assert len(titles) == ENTRIES + ARTEFACTS == len(set(titles))
    assert not (site / "tags/tagzqpagprivate").exists()


def test_the_sitemap_lists_every_page_of_the_lists(site):
    sitemap = (site / "sitemap.xml").read_text()
    for url in ("journal/page/3/", "journal/kinds/idea/", "skills/teamwork/page/2/", "tags/long/page/3/"):
        assert f"https://example.org/{url}</loc>" in sitemap
    assert "kinds/disappointment" not in sitemap and "kinds/record" not in sitemap


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.mark.slow  # a sequence of builds, each compared with a clean build
def test_incremental_builds_add_and_remove_pages_as_a_clean_build_does(tmp_path):
    root = tmp_path / "portfolio"
    write_and_build(root, files())

    def same_as_clean() -> dict[str, bytes]:
        result = build(BuildOptions(root))
        clean = tmp_path / "clean"
        shutil.rmtree(clean, ignore_errors=True)
        build(BuildOptions(root, output=clean, incremental=False))
        got, want = _tree(result.destination), _tree(clean)
        assert sorted(got) == sorted(want), set(got) ^ set(want)
        assert [name for name in want if got[name] != want[name]] == []
        return got

    # 30 new entries: a fourth page of the journal, a second of the questions, every entry one further
    for i in range(ENTRIES, ENTRIES + 30):
        (root / "journal" / f"entry-{i:03d}.md").write_text(
            entry(f"Entry {i:03d}", "2025-12-20", kind="question", skills="[teamwork]")
        )
    got = same_as_clean()
    assert "journal/page/4/index.html" in got and "journal/kinds/question/page/2/index.html" in got
    # removed again: the pages go
    for i in range(ENTRIES, ENTRIES + 30):
        (root / "journal" / f"entry-{i:03d}.md").unlink()
    got = same_as_clean()
    assert "journal/page/4/index.html" not in got and "journal/kinds/question/page/2/index.html" not in got
    # the only idea made private: its kind page goes, and the counts change
    for i in range(ENTRIES):
        if PUBLIC_KINDS[i % len(PUBLIC_KINDS)] == "idea":
            path = root / "journal" / f"entry-{i:03d}.md"
            path.write_text(path.read_text().replace("---\n\nSome", "visibility: private\n---\n\nSome", 1))
    got = same_as_clean()
    assert not any(name.startswith("journal/kinds/idea/") for name in got)
    assert b"kinds/idea/" not in got["journal/index.html"]


@pytest.mark.parametrize("serving", [False, True])
def test_a_body_edit_renders_the_list_pages_showing_the_entry_and_no_other(tmp_path, serving):
    """A body-only edit changes the entry's summary on the list pages that show it (a page of
    the journal, of its kind, of its skill and of its tag): those are made again, the other
    pages of the lists are known unchanged without being looked at in full, and the output
    is a clean build's, with ``build`` and with the builds of a running ``serve``."""
    from elenefolio.serve import LiveState, Rebuilder

    root = tmp_path / "portfolio"
    write_and_build(root, files())
    rebuilder = None
    if serving:
        rebuilder = Rebuilder(BuildOptions(root), LiveState(), lambda *report: None)
        assert rebuilder.build()
        rebuilder.options.fork = False
    source = root / "journal" / "entry-070.md"  # on the journal's second page
    results = []
    for n in range(2):  # (twice: a running serve's second save fills a copy made ahead of it)
        source.write_text(source.read_text().rstrip() + f" zqnew{n}.\n")
        if rebuilder is not None:
            rebuilder.noticed([str(source)])
            reported: list = []
            rebuilder.report = lambda *report: reported.append(report[0])
            assert rebuilder.build(first=False)
            result = reported[-1]
            assert rebuilder.catch_up()  # (and the copy of the site the second save fills)
        else:
            result = build(BuildOptions(root))
        results.append(result)
        clean = tmp_path / "clean"
        shutil.rmtree(clean, ignore_errors=True)
        build(BuildOptions(root, output=clean, incremental=False))
        got, want = _tree(root / "_site"), _tree(clean)
        got = {k: v for k, v in got.items() if not k.startswith("pagefind/")}
        want = {k: v for k, v in want.items() if not k.startswith("pagefind/")}
        assert sorted(got) == sorted(want), set(got) ^ set(want)
        assert [name for name in want if got[name] != want[name]] == []
        showing = sorted(name for name, data in got.items() if f"zqnew{n}".encode() in data)
        lists = [name for name in showing if name != "journal/entry-070/index.html"]
        kind = PUBLIC_KINDS[70 % len(PUBLIC_KINDS)]
        assert "journal/page/2/index.html" in lists and any(f"journal/kinds/{kind}/" in n for n in lists)
        assert any(n.startswith("skills/teamwork/") for n in lists)
        assert any(n.startswith("tags/long/") for n in lists)
        rendered = {url + "index.html" for url in result.rendered_urls}
        assert set(showing) <= rendered
        # what else was made again: the home page and pages listing every item (at most a few)
        others = rendered - set(showing)
        assert not any(
            n.startswith(("journal/page/", "skills/teamwork/page/", "tags/long/page/")) for n in others
        )
        assert len(others) <= 6, sorted(others)


def test_skill_pages_after_the_first_describe_no_skill_again(site):
    first = page(site, "skills/teamwork/").select('script[type="application/ld+json"]')
    assert any("DefinedTerm" in s.get_text() for s in first)
    second = page(site, "skills/teamwork/page/2/").select('script[type="application/ld+json"]')
    assert not any("DefinedTerm" in s.get_text() for s in second)


def test_pages_and_months_in_the_portfolios_language(tmp_path):
    found = {
        "portfolio.yaml": config_yaml(default_visibility="public").replace("language: en", "language: fr")
    }
    for i in range(60):
        day = dt.date(2025, 3, 1) + dt.timedelta(days=i)  # March and April 2025
        found[f"journal/e-{i:02d}.md"] = entry(f"Entrée {i:02d}", day.isoformat(), kind="idea")
    site = write_and_build(tmp_path / "portfolio", found).site
    soup = page(site, "journal/page/2/")
    assert [h.get_text(strip=True) for h in soup.select("h3.month")] == ["Mars"]
    assert "Page 2 sur 2" in soup.select_one('nav.pagination[aria-label="Pages"]').get_text(" ", strip=True)
    assert soup.select_one('nav.pagination a[rel="prev"]').get_text(strip=True).endswith("Plus récentes")
    assert "suite" in soup.select_one("h2.year").get_text()
    first = page(site, "journal/")
    assert [h.get_text(strip=True) for h in first.select("h3.month")] == ["Avril", "Mars"]
    assert first.select_one('nav.pagination a[rel="next"]').get_text(strip=True).startswith("Plus anciennes")
    assert page(site, "journal/kinds/idea/").h1.get_text(strip=True) == "Idées"
