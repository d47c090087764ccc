"""Collections (``collections/<name>.yaml``): their pages, where they are listed, and what
each visibility may hold and show."""

from __future__ import annotations

import textwrap

from conftest import canary_hits, config_yaml, entry, run_cli, soup_of, write_portfolio

PUBLIC_ART = entry(
    "Bridge model",
    "2026-03-01",
    "How I built it.",
    visibility="public",
    type="document",
    summary='"A balsa bridge that held 4 kg."',
    skills="\n  - skill: teamwork\n    evidence: I shared the sawing and the gluing.",
)
PUBLIC_ENTRY = entry(
    "Lab diary", "2026-03-02", "What went wrong.", visibility="public", kind="record", skills="[teamwork]"
)
PRIVATE_ART = entry("Secret sketchbook privcanary", "2026-03-03", "Mine only.", visibility="private")
UNLISTED_ART = entry("Half-shown draftboard", "2026-03-04", "Shared by link.", visibility="unlisted")
DRAFT_ART = entry("Not yet", "2026-03-05", "Work in progress.", visibility="public", draft="true")


def files(**collections: str) -> dict[str, str]:
    out = {
        "portfolio.yaml": config_yaml(),
        "artefacts/bridge.md": PUBLIC_ART,
        "artefacts/sketchbook.md": PRIVATE_ART,
        "artefacts/board.md": UNLISTED_ART,
        "artefacts/not-yet.md": DRAFT_ART,
        "journal/lab-diary.md": PUBLIC_ENTRY,
    }
    out.update({f"collections/{name}.yaml": textwrap.dedent(text) for name, text in collections.items()})
    return out


SHOWCASE = """\
    title: "For the bridge company"
    intro: |
      Work that shows **how I build** with others.
    items:
      - journal/lab-diary
      - artefacts/bridge
    skills: [teamwork]
    visibility: public
    """


def test_a_public_collection_page_shows_intro_skills_and_items_in_order(build_portfolio):
    built = build_portfolio(files(showcase=SHOWCASE))
    soup = soup_of(built.site / "collections" / "showcase" / "index.html")
    assert soup.h1.get_text(strip=True) == "For the bridge company"
    assert soup.select_one(".collection-intro strong").get_text() == "how I build"
    titles = [a.get_text(strip=True) for a in soup.select(".card-grid .card-title a")]
    assert titles == ["Lab diary", "Bridge model"]  # the collection's order, not by date
    assert [a["href"] for a in soup.select(".card-grid .card-title a")] == [
        "../../journal/lab-diary/",
        "../../artefacts/bridge/",
    ]
    highlight = soup.select_one(".highlight")
    assert highlight.select_one(".glance-name").get_text(strip=True) == "Teamwork"
    evidence = [li.get_text(" ", strip=True) for li in highlight.select(".highlight-evidence li")]
    assert evidence == ["Bridge model I shared the sawing and the gluing.", "Lab diary"]
    assert soup.main.has_attr("data-pagefind-body")  # searchable
    assert soup.select_one('meta[name="robots"]') is None
    home = soup_of(built.site / "index.html")
    assert [a["href"] for a in home.select(".collection-link a")] == ["collections/showcase/"]
    assert "collections/showcase/" in (built.site / "sitemap.xml").read_text()
    assert "collections/" not in (built.site / "feed.xml").read_text()


def test_unlisted_collection_is_built_but_listed_nowhere(build_portfolio):
    text = SHOWCASE.replace("visibility: public", "visibility: unlisted").replace(
        "- artefacts/bridge", "- artefacts/board"
    )
    built = build_portfolio(files(showcase=text))
    soup = soup_of(built.site / "collections" / "showcase" / "index.html")
    assert [a.get_text(strip=True) for a in soup.select(".card-title a")] == [
        "Lab diary",
        "Half-shown draftboard",
    ]
    assert soup.select_one('meta[name="robots"]')["content"].startswith("noindex")
    assert not soup.main.has_attr("data-pagefind-body")
    assert not soup_of(built.site / "index.html").select(".collection-link")
    assert "collections/" not in (built.site / "sitemap.xml").read_text()


def test_private_collection_only_in_the_private_copy(build_portfolio, tmp_path):
    text = """\
        title: "Privcanary applications"
        intro: "Notes privcanary for me"
        items: [artefacts/sketchbook, artefacts/bridge]
        """  # default_visibility: private
    built = build_portfolio(files(privcanary=text))
    assert not (built.site / "collections").exists()
    assert canary_hits(built.site, ["privcanary"]) == []
    private = built.root / "_private"
    run = run_cli("build", built.root, "--private", "-o", private)
    assert run.code == 0, run.err
    soup = soup_of(private / "collections" / "privcanary" / "index.html")
    assert [a.get_text(strip=True) for a in soup.select(".card-title a")] == [
        "Secret sketchbook privcanary",
        "Bridge model",
    ]
    home = soup_of(private / "index.html")
    assert home.select_one(".collection-link .badge-visibility").get_text() == "Private"


def test_every_mistake_is_reported_at_its_line_at_once(tmp_path):
    text = """\
        title: "Mixed"
        intor: "typo"
        items:
          - artefacts/bridg
          - bridge
          - artefacts/sketchbook
          - artefacts/board
          - artefacts/not-yet
          - journal/lab-diary
        skills: [teamwrk]
        visibility: public
        """
    root = write_portfolio(tmp_path / "p", files(mixed=text))
    run = run_cli("build", root)
    assert run.code == 1
    assert "Traceback" not in run.err
    lines = [line for line in run.err.splitlines() if line.startswith("collections/mixed.yaml:")]
    assert lines == [
        "collections/mixed.yaml:2: unknown field 'intor' (did you mean 'intro'?)",
        "collections/mixed.yaml:4: no item 'artefacts/bridg' (did you mean 'artefacts/bridge'?)",
        "collections/mixed.yaml:5: 'bridge' must start with 'artefacts/' or 'journal/' "
        "(did you mean 'artefacts/bridge'?)",
        "collections/mixed.yaml:6: 'artefacts/sketchbook' is private: a public collection holds "
        "only public items that are not drafts; remove it here, or make the collection private",
        "collections/mixed.yaml:7: 'artefacts/board' is unlisted: a public collection holds "
        "only public items that are not drafts; remove it here, or make the collection private",
        "collections/mixed.yaml:8: 'artefacts/not-yet' is a draft: a public collection holds "
        "only public items that are not drafts; remove it here, or make the collection private",
        "collections/mixed.yaml:10: unknown skill 'teamwrk' (did you mean 'teamwork'?)",
    ]


def test_a_private_item_in_a_public_collection_fails_the_private_build_too(tmp_path):
    text = "title: T\nitems: [artefacts/sketchbook]\nvisibility: public\n"
    root = write_portfolio(tmp_path / "p", files(c=text))
    run = run_cli("build", root, "--private")
    assert run.code == 1
    assert "collections/c.yaml:2: 'artefacts/sketchbook' is private" in run.err
    assert "privcanary" not in run.out


def test_right_to_left_titles_and_intro(build_portfolio):
    text = """\
        title: "مجموعة للتدريب 🧪"
        intro: "عمل **مختار** للمختبر"
        items: [artefacts/bridge]
        visibility: public
        """
    built = build_portfolio(files(arabic=text))
    soup = soup_of(built.site / "collections" / "arabic" / "index.html")
    assert soup.h1.get_text(strip=True) == "مجموعة للتدريب 🧪"
    assert soup.h1["dir"] == "auto"
    assert soup.select_one(".collection-intro strong").get_text() == "مختار"
    # named no skills: it highlights those its items show
    assert [h.get_text(strip=True) for h in soup.select(".highlight .glance-name")] == ["Teamwork"]


def test_an_intro_link_to_a_private_item_is_plain_text(build_portfolio):
    text = """\
        title: "Links"
        intro: "See [my sketchbook](../artefacts/sketchbook.md) and [the bridge](../artefacts/bridge.md)."
        items: [artefacts/bridge]
        visibility: public
        """
    built = build_portfolio(files(links=text))
    soup = soup_of(built.site / "collections" / "links" / "index.html")
    intro = soup.select_one(".collection-intro")
    assert [a["href"] for a in intro.select("a")] == ["../../artefacts/bridge/"]
    assert "my sketchbook" in intro.get_text()  # the words stay, the address does not
    assert "collections/links.yaml" in built.run.err  # with a warning at the collection
    assert canary_hits(built.site, ["privcanary", "sketchbook/"]) == []
