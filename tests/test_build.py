"""Building a portfolio made in a tmp folder: the pages, the Markdown, the
media, the navigation, the feed and sitemap, and internal links at the
domain root and under a sub-path."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
import yaml
from conftest import (
    JPEG,
    MP3,
    MP4,
    PDF,
    PNG,
    assert_links_resolve,
    collect_links,
    config_yaml,
    entry,
    html_pages,
    is_internal,
    output_files,
    resolve_link,
    skill_table,
    soup_of,
    write_and_build,
)

BASE = "https://example.org/"
SUB = "https://example.org/sub/path/"
FRAMEWORK = Path(__file__).resolve().parent.parent / "elenefolio" / "frameworks" / "elene4work.yaml"
SKILL_IDS = [s["id"] for s in yaml.safe_load(FRAMEWORK.read_text(encoding="utf-8"))["skills"]]

FEATURES_BODY = """\
An introduction with a footnote.[^1]

## Results table

| Run | Amplitude |
|-----|-----------|
| 1   | 12.0      |
| 2   | 9.5       |

- [x] film the runs
- [ ] write the report

```python
def damping(t):
    return 2 * t
```

Read [my first question](2023-11-03-first-question.md#section-one) again, and
[the video project](../artefacts/video-project/index.md), and [the essay](../artefacts/essay.md).

Raw HTML stays text: <b onclick="steal()">bold</b> <script>alert('x')</script>

[^1]: The footnote text.
"""

VIDEO_PROJECT = """\
---
title: "Video project"
date: 2024-01-20
type: video
featured: true
visibility: public
context: "Physics course"
role: "Camera and editing"
media:
  - src: clip.mp4
    poster: poster.jpg
    caption: "The film"
  - src: talk.mp3
  - src: photo.png
    alt: "Group photo"
  - report.pdf
  - https://www.youtube.com/watch?v=abc123
skills:
  - skill: teamwork
    evidence: "I coordinated the filming schedule."
  - skill: digital-communication
    evidence: "I published the film for the class."
tags: [video, Week 1]
---

Why I chose this film.
"""

FILES = {
    "portfolio.yaml": config_yaml(default_visibility="private").replace(
        "  headline:", "  photo: static/images/me.png\n  headline:"
    ),
    "about.md": "Hello, I study testing. Read [my plan](journal/2024-02-01-plan.md).\n",
    "static/images/me.png": PNG,
    "journal/2023-11-03-first-question.md": entry(
        "First question",
        "2023-11-03",
        "What should I learn?\n\n## Section one\n\nDetails.\n",
        kind="question",
        skills="[teamwork]",
        tags="[start]",
        visibility="public",
    ),
    "journal/2024-01-10-markdown-features.md": entry(
        "Markdown features",
        "2024-01-10",
        FEATURES_BODY,
        kind="reflection",
        skills="[communication, self-evaluation]",
        tags="[markdown, Week 1]",
        visibility="public",
    ),
    "journal/2024-02-01-plan.md": entry(
        "My plan",
        "2024-02-01",
        "The plan, with a diagram.\n\n![A diagram](images/diagram.png)\n",
        kind="plan",
        skills="[learning-to-learn]",
        visibility="public",
    ),
    "journal/images/diagram.png": PNG,
    "journal/2024-02-05-default-visibility.md": entry(
        "Hidden by default visibility", "2024-02-05", "Not published.", skills="[leadership]"
    ),
    "artefacts/video-project/index.md": VIDEO_PROJECT,
    "artefacts/video-project/clip.mp4": MP4,
    "artefacts/video-project/poster.jpg": JPEG,
    "artefacts/video-project/talk.mp3": MP3,
    "artefacts/video-project/photo.png": PNG,
    "artefacts/video-project/report.pdf": PDF,
    "artefacts/essay.md": entry(
        "An essay", "2023-12-01", "My essay.", type="document", skills="[communication]", visibility="public"
    ),
}
PUBLIC = {
    "journal/2023-11-03-first-question/": "First question",
    "journal/2024-01-10-markdown-features/": "Markdown features",
    "journal/2024-02-01-plan/": "My plan",
    "artefacts/video-project/": "Video project",
    "artefacts/essay/": "An essay",
}
TAGS = ["start", "markdown", "week-1", "video"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("build")
    return write_and_build(tmp / "portfolio", FILES)


@pytest.fixture(scope="module")
def site(built) -> Path:
    return built.site


@pytest.fixture(scope="module")
def sub_site(built, tmp_path_factory) -> Path:
    """The same portfolio built for a sub-path address, into another folder."""
    out = tmp_path_factory.mktemp("sub") / "out"
    return write_and_build(built.root, {}, "--base-url", SUB, output=out).site


def page(site: Path, url: str):
    return soup_of(site / (url + "index.html" if url == "" or url.endswith("/") else url))


def target_of(url: str, link: str) -> str:
    return resolve_link(url, link)


# --- pages ----------------------------------------------------------------------


def test_build_reports_what_it_built(built):
    assert built.run.err == ""  # no warnings either
    match = re.search(
        r"built site in [\d.]+ s: (\d+) files written, (\d+) unchanged "
        r"\((\d+) pages, (\d+) rendered\)",
        built.run.out,
    )
    assert match, built.run.out
    written, unchanged, pages, rendered = map(int, match.groups())
    assert written + unchanged == len(output_files(built.site))
    assert pages == rendered == len(html_pages(built.site))  # a first build renders every page


def test_expected_pages_exist(site):
    expected = [
        "index.html",
        "journal/index.html",
        "artefacts/index.html",
        "skills/index.html",
        "tags/index.html",
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
        "404.html",
        ".nojekyll",
        "assets/css/site.css",
    ]
    expected += [url + "index.html" for url in PUBLIC]
    expected += [f"skills/{s}/index.html" for s in SKILL_IDS]
    expected += [f"tags/{t}/index.html" for t in TAGS]
    missing = [name for name in expected if not (site / name).is_file()]
    assert not missing


def test_one_page_per_skill_and_tag_and_no_other(site):
    assert len(SKILL_IDS) == 15
    skill_pages = sorted(p.parent.name for p in (site / "skills").glob("*/index.html"))
    assert skill_pages == sorted(SKILL_IDS)
    assert sorted(p.parent.name for p in (site / "tags").glob("*/index.html")) == sorted(TAGS)
    entries = {p.parent.name for p in (site / "journal").glob("*/index.html")}
    assert entries == {u.split("/")[1] for u in PUBLIC if u.startswith("journal/")}
    artefacts = {p.parent.name for p in (site / "artefacts").glob("*/index.html")}
    assert artefacts == {u.split("/")[1] for u in PUBLIC if u.startswith("artefacts/")}


def test_item_pages_have_their_titles(site):
    for url, title in PUBLIC.items():
        assert page(site, url).h1.get_text(strip=True) == title


def test_default_visibility_applies_to_items_without_visibility(site):
    for path in output_files(site):
        assert b"Hidden by default visibility" not in path.read_bytes(), path
        assert "default-visibility" not in path.relative_to(site).as_posix()


def test_static_files_and_photo(site):
    assert (site / "images/me.png").read_bytes() == PNG
    portrait = page(site, "").select_one("img.portrait")
    assert portrait is not None and portrait["alt"]
    assert target_of("", portrait["src"]) == "images/me.png"


def test_about_is_on_the_home_page_with_its_link_resolved(site):
    about = page(site, "").select_one(".about")
    assert "Hello, I study testing." in about.get_text()
    assert target_of("", about.a["href"]) == "journal/2024-02-01-plan/index.html"


# --- Markdown -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def features(site):
    return page(site, "journal/2024-01-10-markdown-features/").select_one(".prose")


def test_markdown_table(features):
    table = features.find("table")
    assert [th.get_text(strip=True) for th in table.find_all("th")] == ["Run", "Amplitude"]
    assert [[td.get_text(strip=True) for td in tr.find_all("td")] for tr in table.tbody.find_all("tr")] == [
        ["1", "12.0"],
        ["2", "9.5"],
    ]


def test_markdown_footnote(features):
    ref = features.find("sup").find("a")
    assert ref["href"].startswith("#")
    note = features.find(id=ref["href"][1:])
    assert note is not None and "The footnote text." in note.get_text()


def test_markdown_task_list(features):
    boxes = features.find_all("input", attrs={"type": "checkbox"})
    assert len(boxes) == 2
    assert [box.has_attr("checked") for box in boxes] == [True, False]
    assert all(box.has_attr("disabled") for box in boxes)


def test_markdown_heading_anchors(features, site):
    heading = features.find("h2")
    assert heading.get_text(strip=True) == "Results table"
    assert heading["id"] == "results-table"


def test_markdown_code_is_highlighted(features):
    code = features.find("pre").find("code")
    assert "def damping(t):" in code.get_text()
    spans = code.find_all("span", class_=True)
    assert spans, "no Pygments spans"
    assert any(s.get_text() == "def" for s in spans)


def test_relative_markdown_links_point_to_the_target_pages(features, site):
    url = "journal/2024-01-10-markdown-features/"
    links = {
        a.get_text(): a["href"]
        for a in features.find_all("a")
        if a.get_text() in ("my first question", "the video project", "the essay")
    }
    assert len(links) == 3
    for text, href in links.items():
        assert not href.endswith(".md"), href
    assert target_of(url, links["my first question"]) == "journal/2023-11-03-first-question/index.html"
    assert links["my first question"].endswith("#section-one")
    assert page(site, "journal/2023-11-03-first-question/").find(id="section-one") is not None
    assert target_of(url, links["the video project"]) == "artefacts/video-project/index.html"
    assert target_of(url, links["the essay"]) == "artefacts/essay/index.html"


def test_raw_html_is_escaped_without_allow_html(features, site):
    text = features.get_text()  # (the typographer curls the quotes)
    assert "<script>alert(" in text and "</script>" in text
    assert "<b onclick=" in text and ">bold</b>" in text
    assert features.find("script") is None and features.find("b") is None
    for path in html_pages(site):
        soup = soup_of(path)
        # Nothing executable but the theme search script (from a file, on the search page);
        # JSON-LD data islands are data.
        scripts = [s for s in soup.find_all("script") if s.get("type") != "application/ld+json"]
        theme_scripts = ("assets/js/search-results.js", "assets/js/search.js", "assets/js/search-file.js")
        assert all(s.get("src", "").endswith(theme_scripts) and not s.string for s in scripts), path
        assert not scripts or path.parent.name == "search", path
        assert not [t for t in soup.find_all(True) if any(a.startswith("on") for a in t.attrs)], path


def test_image_in_a_body_is_copied_beside_its_page(site):
    url = "journal/2024-02-01-plan/"
    img = page(site, url).select_one(".prose img")
    assert img["alt"] == "A diagram"
    assert (site / target_of(url, img["src"])).read_bytes() == PNG


# --- media -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def video_page(site):
    return page(site, "artefacts/video-project/")


def _file(site: Path, link: str) -> bytes:
    return (site / target_of("artefacts/video-project/", link)).read_bytes()


def test_video_is_embedded_with_controls_and_poster(site, video_page):
    video = video_page.find("video")
    assert video.has_attr("controls")
    assert _file(site, video["src"]) == MP4
    assert _file(site, video["poster"]) == JPEG
    assert video.find_parent("figure").figcaption.get_text(strip=True) == "The film"


def test_audio_is_embedded_with_controls(site, video_page):
    audio = video_page.find("audio")
    assert audio.has_attr("controls")
    assert _file(site, audio["src"]) == MP3


def test_image_has_its_alt_text(site, video_page):
    img = video_page.select_one(".media-list img")
    assert img["alt"] == "Group photo"
    assert _file(site, img["src"]) == PNG


def test_pdf_is_a_link(site, video_page):
    pdf = [a for a in video_page.find_all("a") if a["href"].endswith(".pdf")]
    assert pdf and all(_file(site, a["href"]) == PDF for a in pdf)
    assert any("report.pdf" in a.get_text() for a in pdf)
    assert video_page.find(["embed", "object", "iframe"]) is None


def test_youtube_is_a_plain_link(video_page):
    youtube = video_page.find_all("a", href="https://www.youtube.com/watch?v=abc123")
    assert len(youtube) == 1
    assert "YouTube" in youtube[0].get_text()
    assert "youtube" not in " ".join(str(t.get("src", "")) for t in video_page.find_all(True))


def test_no_iframe_and_no_third_party_resources_anywhere(site):
    for path in html_pages(site):
        soup = soup_of(path)
        assert soup.find("iframe") is None, path
        assert soup.find("object") is None and soup.find("embed") is None, path
        for tag in soup.find_all(True):
            for attribute in ("src", "poster", "srcset"):
                value = tag.get(attribute)
                if value:
                    assert not urlsplit(value).scheme and not value.startswith("//"), (path, value)
            if tag.name == "link" and "stylesheet" in (tag.get("rel") or []):
                assert not urlsplit(tag["href"]).scheme and not tag["href"].startswith("//")


def test_artefact_context_role_and_evidence(video_page):
    facts = video_page.select_one("dl.facts").get_text(" ", strip=True)
    assert "Physics course" in facts and "Camera and editing" in facts
    statements = [s.get_text(strip=True) for s in video_page.select(".evidence-list .statement")]
    assert statements == ["I coordinated the filming schedule.", "I published the film for the class."]


# --- navigation and indexes ----------------------------------------------------------------


def _pager(site: Path, url: str) -> dict[str, str]:
    return {a["rel"][0]: target_of(url, a["href"]) for a in page(site, url).select("nav.pager a")}


def test_previous_and_next_links(site):
    oldest, middle, newest = (
        "journal/2023-11-03-first-question/",
        "journal/2024-01-10-markdown-features/",
        "journal/2024-02-01-plan/",
    )
    assert _pager(site, middle) == {"prev": oldest + "index.html", "next": newest + "index.html"}
    assert _pager(site, oldest) == {"next": middle + "index.html"}
    assert _pager(site, newest) == {"prev": middle + "index.html"}


def item_links(soup, url: str) -> list[str]:
    """The item pages (journal/x/, artefacts/x/) linked from the page's main part, in order."""
    found = []
    for a in soup.find("main").find_all("a", href=True):
        if not is_internal(a["href"]):
            continue
        target = target_of(url, a["href"])
        if re.fullmatch(r"(journal|artefacts)/[^/]+/index\.html", target) and target not in found:
            found.append(target)
    return found


def test_journal_index_is_grouped_by_year_with_the_kind(site):
    soup = page(site, "journal/")
    groups = {}
    for section in soup.find("main").find_all("section"):
        heading = section.find(["h2", "h3"])
        year = re.match(r"\d{4}", heading.get_text(strip=True)) if heading else None
        if year:
            groups[year.group()] = [
                (a.get_text(strip=True), a.find_parent("li").get_text(" ", strip=True))
                for a in section.find_all("a", href=True)
                if a.find_parent("li") and "/" in target_of("journal/", a["href"])
            ]
    assert list(groups) == ["2024", "2023"]
    assert [title for title, _ in groups["2024"]] == ["My plan", "Markdown features"]
    assert [title for title, _ in groups["2023"]] == ["First question"]
    kinds = {"My plan": "Plan", "Markdown features": "Reflection", "First question": "Question"}
    for rows in groups.values():
        for title, text in rows:
            assert kinds[title] in text, text


def test_skill_page_lists_artefact_evidence_and_journal_entries(site):
    url = "skills/teamwork/"
    soup = page(site, url)
    assert soup.h1.get_text(strip=True) == "Teamwork"
    assert item_links(soup, url) == [
        "artefacts/video-project/index.html",
        "journal/2023-11-03-first-question/index.html",
    ]
    link = next(
        a
        for a in soup.find("main").find_all("a", href=True)
        if target_of(url, a["href"]) == "artefacts/video-project/index.html"
    )
    assert "I coordinated the filming schedule." in link.find_parent("li").get_text()
    # the statement about the other skill is not shown here
    assert "I published the film for the class." not in soup.get_text()


def test_skill_without_evidence_says_so(site):
    soup = page(site, "skills/negotiation/")
    assert item_links(soup, "skills/negotiation/") == []
    assert "No public evidence" in soup.find("main").get_text()


def skill_counts(soup) -> dict[str, tuple[int, ...]]:
    """Skill name → the numbers in its row of the skills index table."""
    return {
        row["Skill"]: (int(row["Artefacts"]), int(row["Journal entries"]))
        for row in skill_table(soup).values()
    }


def test_skills_index_counts(site):
    counts = skill_counts(page(site, "skills/"))
    assert len(counts) == 15
    assert counts["Teamwork"] == (1, 1)  # (artefacts, journal entries)
    assert counts["Communication"] == (1, 1)  # the essay and the features entry
    assert counts["Learning to learn"] == (0, 1)
    assert counts["Leadership"] == (0, 0)  # only the item hidden by default visibility claims it
    assert sum(sum(c) for c in counts.values()) == 7  # every public skill claim, once


def tag_counts(soup) -> dict[str, int]:
    counts = {}
    for a in soup.find("main").find_all("a", href=True):
        if "/" in a["href"] and a.select_one(".count"):
            counts[a["href"].rstrip("/").rsplit("/", 1)[-1]] = int(
                re.sub(r"\D", "", a.select_one(".count").get_text())
            )
    return counts


def test_tag_pages_list_their_items(site):
    soup = page(site, "tags/week-1/")
    assert soup.h1.get_text(strip=True).lstrip("#") == "Week 1"
    assert sorted(item_links(soup, "tags/week-1/")) == [
        "artefacts/video-project/index.html",
        "journal/2024-01-10-markdown-features/index.html",
    ]
    assert tag_counts(page(site, "tags/")) == {"markdown": 1, "start": 1, "video": 1, "week-1": 2}


def test_home_page_shows_featured_work_and_latest_entries(site):
    links = item_links(page(site, ""), "")
    assert "artefacts/video-project/index.html" in links  # featured
    assert "artefacts/essay/index.html" not in links  # not featured
    assert [link for link in links if link.startswith("journal/")] == [
        "journal/2024-02-01-plan/index.html",
        "journal/2024-01-10-markdown-features/index.html",
        "journal/2023-11-03-first-question/index.html",
    ]


def test_item_pages_are_indexable_and_canonical(site):
    for url in PUBLIC:
        soup = page(site, url)
        assert soup.find("meta", attrs={"name": "robots"}) is None
        assert soup.find("link", rel="canonical")["href"] == BASE + url


# --- feed, sitemap, robots -------------------------------------------------------------------


def test_feed_is_atom_with_every_public_item(site):
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert {e.link: e.title for e in feed.entries} == {BASE + url: title for url, title in PUBLIC.items()}
    dates = [e.published_parsed for e in feed.entries]
    assert dates == sorted(dates, reverse=True)
    features = next(e for e in feed.entries if e.title == "Markdown features")
    assert {t.term for t in features.tags} == {"communication", "self-evaluation"}
    assert "Results table" in features.content[0].value


def test_sitemap_lists_the_public_pages(site):
    root = ET.parse(site / "sitemap.xml").getroot()
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [loc.text for loc in root.findall("s:url/s:loc", ns)]
    assert len(locs) == len(set(locs))
    expected = {
        "",
        "journal/",
        "artefacts/",
        "skills/",
        "tags/",
        *PUBLIC,
        *(f"skills/{s}/" for s in SKILL_IDS),
        *(f"tags/{t}/" for t in TAGS),
        *(f"journal/kinds/{k}/" for k in ("question", "reflection", "plan")),  # the public entries' kinds
    }
    assert set(locs) == {BASE + url for url in expected}
    for loc in locs:
        assert (site / resolve_link("", loc[len(BASE) :])).is_file()


def test_robots_points_to_the_sitemap(site):
    robots = (site / "robots.txt").read_text()
    assert "Disallow: /\n" not in robots
    assert f"Sitemap: {BASE}sitemap.xml" in robots


# --- internal links ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "page_at, link, base_path, target",
    [
        ("", "./", "/", "index.html"),
        ("", "journal/", "/", "journal/index.html"),
        ("journal/x/", "../", "/", "journal/index.html"),
        ("journal/x/", "../../assets/site.css?v=1#top", "/", "assets/site.css"),
        ("journal/x/", "clip%20one.mp4", "/", "journal/x/clip one.mp4"),
        ("journal/x/", "../../../outside", "/", "../outside"),
        ("404.html", "feed.xml", "/", "feed.xml"),
        ("404.html", "/sub/path/skills/", "/sub/path/", "skills/index.html"),
    ],
)
def test_the_link_checker_itself(page_at, link, base_path, target):
    assert resolve_link(page_at, link, base_path) == target


def test_the_link_checker_refuses_links_outside_the_base_path():
    with pytest.raises(AssertionError):
        resolve_link("404.html", "/elsewhere/feed.xml", "/sub/path/")


def test_internal_links_resolve_at_the_domain_root(site):
    links = collect_links(site, BASE)
    targets = {target for _, _, target in links}
    # the check covers every kind of link: pages, theme assets, media, static files, the feed
    for needed in (
        "index.html",
        "feed.xml",
        "assets/css/site.css",
        "images/me.png",
        "artefacts/video-project/clip.mp4",
        "artefacts/video-project/poster.jpg",
        "journal/2024-02-01-plan/images/diagram.png",
        "skills/negotiation/index.html",
        "tags/week-1/index.html",
    ):
        assert needed in targets, needed
    assert assert_links_resolve(site, BASE) == len(links)


def test_internal_links_resolve_under_a_sub_path(site, sub_site):
    assert assert_links_resolve(sub_site, SUB) == len(collect_links(site, BASE))


def test_404_page_uses_absolute_links_under_the_base_path(site, sub_site):
    for output, base_path in ((site, "/"), (sub_site, "/sub/path/")):
        soup = soup_of(output / "404.html")
        hrefs = [
            t.get("href") or t.get("src")
            for t in soup.find_all(["a", "link", "img"])
            if (t.get("href") or t.get("src", "")).startswith("/")
        ]
        assert hrefs and all(h.startswith(base_path) for h in hrefs)
        assert base_path + "assets/css/site.css" in hrefs
        assert soup.find("meta", attrs={"name": "robots"})["content"].startswith("noindex")


def test_sub_path_build_uses_the_sub_path_in_feed_and_sitemap(sub_site):
    feed = feedparser.parse((sub_site / "feed.xml").read_bytes())
    assert feed.entries and all(e.link.startswith(SUB) for e in feed.entries)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [loc.text for loc in ET.parse(sub_site / "sitemap.xml").getroot().findall("s:url/s:loc", ns)]
    assert locs and all(loc.startswith(SUB) for loc in locs)
    assert f"Sitemap: {SUB}sitemap.xml" in (sub_site / "robots.txt").read_text()


def test_same_pages_at_the_root_and_under_a_sub_path(site, sub_site):
    rel = lambda s: sorted(p.relative_to(s).as_posix() for p in output_files(s))  # noqa: E731
    assert rel(site) == rel(sub_site)


# --- allow_html ------------------------------------------------------------------------------

RAW_HTML = """\
<div class="note" onclick="steal()">Allowed <em>HTML</em> here.</div>

<script>alert('x')</script>

<p><a href="javascript:alert(1)">js link</a> and <a href="https://example.net/" onmouseover="x()">ok link</a></p>

<iframe src="https://evil.example/"></iframe>

<img src="data:image/png;base64,AAAA" onerror="alert(1)" alt="pixel">

## A heading

Markdown still works.
"""


@pytest.fixture(scope="module")
def html_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("html") / "portfolio"
    files = {
        "portfolio.yaml": config_yaml(extra="allow_html: true\n"),
        "journal/raw.md": entry("Raw HTML", "2024-01-01", RAW_HTML, visibility="public"),
    }
    return write_and_build(root, files).site


def test_allowed_html_is_kept_and_sanitised(html_site):
    prose = page(html_site, "journal/raw/").select_one(".prose")
    note = prose.find("div")
    assert note is not None and note.em.get_text() == "HTML"
    assert prose.find("h2")["id"] == "a-heading"
    assert "Markdown still works." in prose.get_text()
    assert prose.find("script") is None and "alert('x')" not in str(prose)
    assert prose.find("iframe") is None
    for tag in prose.find_all(True):
        assert not [a for a in tag.attrs if a.lower().startswith("on")], tag
        for attribute in ("href", "src"):
            assert not str(tag.get(attribute, "")).lower().startswith("javascript:"), tag
    assert prose.find("a", string="ok link")["href"] == "https://example.net/"


def test_allowed_html_is_sanitised_in_the_feed_too(html_site):
    feed = feedparser.parse((html_site / "feed.xml").read_bytes())
    raw = (html_site / "feed.xml").read_text()
    assert "Allowed" in feed.entries[0].content[0].value
    assert "onclick" not in raw and "javascript:" not in raw and "&lt;script" not in raw


# --- a framework extended by skills.yaml -------------------------------------------------------


def test_custom_skill_from_skills_yaml_gets_a_page_and_evidence(build_portfolio):
    built = build_portfolio(
        {
            "portfolio.yaml": config_yaml(),
            "skills.yaml": "areas:\n  - id: research\n    name: Research skills\n"
            "skills:\n  - id: lab-safety\n    area: research\n    name: Lab safety\n"
            "    description: Working safely in a laboratory.\n",
            "journal/2024-01-01-safety.md": entry(
                "Safety first",
                "2024-01-01",
                "Goggles on.",
                skills="[lab-safety, teamwork]",
                visibility="public",
            ),
        }
    )
    site = built.site
    assert len(list((site / "skills").glob("*/index.html"))) == 16
    soup = page(site, "skills/lab-safety/")
    assert soup.h1.get_text(strip=True) == "Lab safety"
    assert item_links(soup, "skills/lab-safety/") == ["journal/2024-01-01-safety/index.html"]
    counts = skill_counts(page(site, "skills/"))
    assert counts["Lab safety"] == (0, 1) and len(counts) == 16
    assert "Research skills" in page(site, "skills/").get_text()


def test_level_one_headings_in_a_body_move_below_the_page_title(tmp_path):
    """The page title is the only h1; a body written with '#' headings keeps its outline."""
    files = {
        "portfolio.yaml": config_yaml(default_visibility="public"),
        "journal/2026-01-05-headings.md": entry(
            "Headings",
            "2026-01-05",
            """
            # My plan

            Text.

            ## First step

            More text.
            """,
        ),
        "journal/2026-01-06-plain.md": entry(
            "Plain",
            "2026-01-06",
            """
            ## Already a section

            Text.
            """,
        ),
    }
    site = write_and_build(tmp_path / "p", files).site
    soup = soup_of(site / "journal" / "2026-01-05-headings" / "index.html")
    assert [h.get_text(strip=True) for h in soup.find_all("h1")] == ["Headings"]
    assert soup.find("h2", id="my-plan").get_text(strip=True) == "My plan"
    assert soup.find("h3", id="first-step").get_text(strip=True) == "First step"
    plain = soup_of(site / "journal" / "2026-01-06-plain" / "index.html")
    assert plain.find("h2", id="already-a-section") is not None
