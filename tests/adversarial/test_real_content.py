"""Content as real learners write it: every script and direction, line breaks inside
paragraphs, formulas, tags that differ only by a symbol, embedded players, several
footnotes in one document, linked media with a poster.

Each case is a small portfolio written in Greek, Polish, Arabic, Hebrew, Chinese, Japanese or
with emoji, built by the real command line; the tests read the HTML, the feed, the JSON-LD
and the passport's text and links.
"""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest
from attack_support import cli, line_of, md, png, portfolio
from bs4 import BeautifulSoup

GREEK = "Δουλέψαμε σκληρά όλη την εβδομάδα,\nαλλά\nμάθαμε πολλά για τη συνεργασία."
ENGLISH = "We finished the survey at\nseventy-two responses, which was enough."
CHINESE = "我们这个星期学习了\n团队合作的方法。"
JAPANESE = "今週はチームで\n発表の練習をしました。"
POLISH = "Zażółć gęślą jaźń —\nćwiczyliśmy prezentację 🎉\nprzez tydzień."


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def build(root: Path, *args: str) -> tuple[Path, list[str]]:
    """Build ``root``; its site and the warnings printed."""
    run = cli("build", root, *args)
    assert run.code == 0, run.err
    return root / "_site", run.lines


# -- derived text keeps word boundaries -------------------------------------------------------

SUMMARIES = {  # file stem -> (body, the words its summary must hold, joined as a reader sees them)
    "greek": (GREEK, "εβδομάδα, αλλά μάθαμε πολλά"),
    "english": (ENGLISH, "survey at seventy-two responses"),
    "chinese": (CHINESE, "我们这个星期学习了团队合作的方法。"),
    "japanese": (JAPANESE, "今週はチームで発表の練習をしました。"),
    "polish": (POLISH, "jaźń — ćwiczyliśmy prezentację 🎉 przez tydzień."),
}


@pytest.fixture(scope="module")
def summaries_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("summaries")
    files = {
        f"journal/2026-03-0{n}-{stem}.md": md(f"Entry {stem}", body, date=f"2026-03-0{n}", slug=stem)
        for n, (stem, (body, _)) in enumerate(SUMMARIES.items(), 1)
    }
    portfolio(root, files)
    return build(root)[0]


@pytest.mark.parametrize("stem", SUMMARIES)
def test_line_breaks_inside_a_paragraph_keep_words_apart_in_every_derived_text(summaries_site, stem):
    """A soft line break is a space (none between two Chinese or Japanese characters) in the
    journal list, the meta description, Open Graph, JSON-LD and the feed."""
    expected = SUMMARIES[stem][1]
    page = soup(summaries_site / "journal" / stem / "index.html")
    assert expected in page.find("meta", attrs={"name": "description"})["content"]
    assert expected in page.find("meta", property="og:description")["content"]
    ld = [json.loads(s.string) for s in page.find_all("script", type="application/ld+json")]
    assert any(expected in json.dumps(d, ensure_ascii=False) for d in ld)
    listing = soup(summaries_site / "journal" / "index.html")
    assert any(expected in p.get_text() for p in listing.select(".summary"))
    feed = feedparser.parse((summaries_site / "feed.xml").read_bytes())
    assert any(expected in e.summary for e in feed.entries)


# -- no silent loss ------------------------------------------------------------------------------


@pytest.mark.slow  # a build of its own: seconds
def test_tags_whose_addresses_would_collide_keep_their_own_pages(tmp_path):
    root = portfolio(
        tmp_path / "p",
        {
            "journal/2026-03-02-cpp.md": md(
                "Templates", "Εβδομάδα με C++.", date="2026-03-02", tags="['C++', 'Python']", slug="cpp"
            ),
            "journal/2026-03-03-cs.md": md("LINQ", "Δοκιμή C#.", date="2026-03-03", tags="['C#', 'python']"),
            "journal/2026-03-04-c.md": md("Pointers", "Plain C.", date="2026-03-04", tags="['C']"),
            "journal/2026-03-05-secret.md": md(
                "Secret", "x", date="2026-03-05", visibility="private", tags="['C--', 'canarytag']"
            ),
        },
    )
    site, warnings = build(root)
    pages = {p.parent.name: soup(p) for p in (site / "tags").glob("*/index.html")}
    assert {"c", "c-plus-plus", "c-sharp", "python"} <= set(pages)
    assert pages["c-plus-plus"].h1.get_text(strip=True).endswith("C++")
    assert [a.get_text() for a in pages["c-sharp"].select("main h2 a, main h3 a")] == ["LINQ"]
    assert [a.get_text() for a in pages["c"].select("main h2 a, main h3 a")] == ["Pointers"]
    # "Python" and "python" are one tag, without a warning
    python = pages["python"].select("main h2 a, main h3 a")
    assert sorted(a.get_text() for a in python) == ["LINQ", "Templates"]
    entry = soup(site / "journal" / "cpp" / "index.html")
    assert "../../tags/c-plus-plus/" in [a["href"] for a in entry.select(".chip-tag")]
    # one warning, at the tag's line, naming each address; no private tag anywhere
    collisions = [w for w in warnings if "would all have the address" in w]
    assert len(collisions) == 1, warnings
    text = (root / "journal/2026-03-03-cs.md").read_text()  # the newest item with a moved tag
    assert collisions[0].startswith(f"journal/2026-03-03-cs.md:{line_of(text, 'tags:')}: ")
    assert "tags/c-plus-plus/" in collisions[0] and "tags/c-sharp/" in collisions[0]
    assert "C--" not in collisions[0]
    assert not list(site.rglob("*canarytag*"))
    assert not any("canarytag" in p.read_text(errors="ignore") for p in site.rglob("*.html"))


def test_a_removed_iframe_is_a_warning_at_its_line(tmp_path):
    body = (
        'Το βίντεό μου:\n\n<iframe src="https://www.youtube.com/embed/abc"></iframe>\n\n'
        "Text <span>kept</span> and <script>alert(1)</script>.\n"
    )
    root = portfolio(
        tmp_path / "p", {"journal/2026-03-02-video.md": md("Video", body, date="2026-03-02")}, allow_html=True
    )
    site, warnings = build(root)
    text = (root / "journal/2026-03-02-video.md").read_text()
    for element in ("iframe", "script"):
        where = f"journal/2026-03-02-video.md:{line_of(text, '<' + element)}"
        assert any(w.startswith(f"{where}: warning: <{element}> is removed") for w in warnings), warnings
    assert not any("<span>" in w for w in warnings)
    page = (site / "journal/2026-03-02-video/index.html").read_text()
    assert "youtube.com" not in page and "<iframe" not in page
    # without allow_html, the tags are shown as text: nothing is lost, nothing to warn about
    root2 = portfolio(tmp_path / "q", {"journal/2026-03-02-video.md": md("Video", body, date="2026-03-02")})
    assert not any("is removed" in w for w in build(root2)[1])


@pytest.mark.slow  # a build of its own: seconds
def test_a_poster_on_linked_media_is_shown_and_copied(tmp_path):
    artefact = (
        "---\ntitle: Η παρουσίασή μου\ndate: 2026-03-02\ntype: video\nmedia:\n"
        "  - src: https://www.youtube.com/watch?v=abc\n    poster: poster.png\n"
        "    alt: Η πρώτη διαφάνεια\n---\n\nΚείμενο.\n"
    )
    root = portfolio(
        tmp_path / "p",
        {"artefacts/talk/index.md": artefact, "artefacts/talk/poster.png": png((37, 23), (10, 120, 200))},
    )
    site, _ = build(root)
    page = soup(site / "artefacts/talk/index.html")
    poster = page.select_one(".media-link img")
    assert poster is not None and poster["alt"] == "Η πρώτη διαφάνεια"
    assert (site / "artefacts/talk" / poster["src"]).is_file()
    assert poster.find_parent("a")["href"] == "https://www.youtube.com/watch?v=abc"
    # the artefact's card shows it too
    card = soup(site / "artefacts/index.html").select_one(".artefact-card img.card-thumb")
    assert card is not None


@pytest.mark.slow  # makes a passport (PDF)
def test_passport_footnotes_are_numbered_per_entry_with_their_own_targets(tmp_path):
    from pypdf import PdfReader

    def entry(title, note, date):
        return md(
            title,
            f"Στο κείμενο[^1] και εδώ.\n\n## Σκέψεις\n\nΤέλος.\n\n[^1]: {note}",
            date=date,
            passport="true",
            slug=date[-1],
        )

    root = portfolio(
        tmp_path / "p",
        {
            "journal/2026-03-02-one.md": entry("Πρώτη", "Σημείωση της πρώτης.", "2026-03-02"),
            "journal/2026-03-03-two.md": entry("Δεύτερη", "Σημείωση της δεύτερης.", "2026-03-03"),
        },
        passport=True,
    )
    site, _ = build(root)
    reader = PdfReader(site / "passport.pdf")
    # every named destination is unique, and each note's link leads to its own entry's note
    names = list(reader.named_destinations)
    notes = [n for n in names if n.endswith("fn1")]
    assert sorted(notes) == ["journal-2-fn1", "journal-3-fn1"], names
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Σημείωση της πρώτης." in text and "Σημείωση της δεύτερης." in text
    html = _passport_html(root)
    assert html.count('href="#journal-3-fn1"') == 1 and html.count('id="journal-3-fn1"') == 1
    assert 'href="#fn1"' not in html


def _passport_html(root: Path) -> str:
    """The passport's HTML, as the PDF is made from it."""
    from elenefolio.load import load_portfolio
    from elenefolio.passport import passport_html
    from elenefolio.problems import Problems
    from elenefolio.site import build_site
    from elenefolio.site.audience import Audience

    problems = Problems(root)
    return passport_html(build_site(load_portfolio(root, problems), Audience(), problems))[0]


# -- languages and directions ---------------------------------------------------------------------

ARABIC = "تعلمت Python 3.11 هذا الأسبوع مع فريقي."
HEBREW = "למדנו הרבה השבוע, ושאלנו שאלות!"


def direction_portfolio(root: Path, language: str, **config) -> Path:
    """Entries in Arabic, Hebrew, Greek, Chinese and Japanese (and emoji); the Hebrew and
    Chinese ones say their language, the others do not."""
    return portfolio(
        root,
        {
            "journal/2026-03-01-first.md": md("Θερινό σχολείο 🎉", GREEK, date="2026-03-01", slug="greek"),
            "journal/2026-03-02-ar.md": md(
                "أسبوعي الأول", ARABIC, date="2026-03-02", slug="arabic", lang="ar"
            ),
            "journal/2026-03-03-he.md": md(
                "השבוע שלנו", HEBREW, date="2026-03-03", slug="hebrew", lang="he", passport="true"
            ),
            "journal/2026-03-04-zh.md": md(
                "团队合作", CHINESE, date="2026-03-04", slug="chinese", lang="zh-hans"
            ),
            "journal/2026-03-05-ja.md": md("発表の練習", JAPANESE, date="2026-03-05", slug="japanese"),
        },
        language=language,
        **config,
    )


@pytest.fixture(scope="module")
def english_site(tmp_path_factory) -> Path:
    return build(direction_portfolio(tmp_path_factory.mktemp("en"), "en"))[0]


@pytest.fixture(scope="module")
def arabic_site(tmp_path_factory) -> Path:
    return build(direction_portfolio(tmp_path_factory.mktemp("ar"), "ar"))[0]


def test_an_entry_says_its_language_and_its_page_takes_its_direction(english_site):
    html = soup(english_site / "index.html").html
    assert (html["lang"], html["dir"]) == ("en", "ltr")
    hebrew = soup(english_site / "journal/hebrew/index.html")
    assert (hebrew.html["lang"], hebrew.html["dir"]) == ("en", "ltr")  # the interface stays English
    article = hebrew.find("article")
    assert (article["lang"], article["dir"]) == ("he", "rtl")
    ld = json.loads(hebrew.find("script", type="application/ld+json").string)
    assert ld["inLanguage"] == "he"
    feed = (english_site / "feed.xml").read_text(encoding="utf-8")
    assert feed.count('xml:lang="he"') == 1 and feed.count('xml:lang="ar"') == 1
    chinese = soup(english_site / "journal/chinese/index.html").find("article")
    assert (chinese["lang"], chinese["dir"]) == ("zh-Hans", "ltr")
    assert soup(english_site / "journal/arabic/index.html").find("article")["dir"] == "rtl"
    greek = soup(english_site / "journal/greek/index.html").find("article")
    assert greek.get("lang") is None and greek.get("dir") is None  # the site's language


def test_titles_and_summaries_in_lists_find_their_own_direction(english_site):
    listing = soup(english_site / "journal/index.html")
    titles = listing.select(".timeline-title")
    summaries = listing.select(".summary")
    assert len(titles) == len(summaries) == 5
    assert all(t.get("dir") == "auto" for t in titles + summaries)
    hebrew = next(t for t in titles if "השבוע" in t.get_text())
    assert hebrew["lang"] == "he"


@pytest.mark.slow  # builds in two directions: seconds
def test_a_right_to_left_site_says_so_on_every_page_and_in_its_passport(tmp_path, arabic_site):
    for page in arabic_site.rglob("*.html"):
        html = soup(page).html
        assert (html["lang"], html["dir"]) == ("ar", "rtl"), page


@pytest.mark.slow  # two passports' HTML made: seconds
def test_the_passport_carries_each_entry_language_and_direction(tmp_path):
    root = direction_portfolio(tmp_path / "p", "en")
    html = BeautifulSoup(_passport_html(root), "lxml")
    assert (html.html["lang"], html.html["dir"]) == ("en", "ltr")
    article = html.find("article", id="entry-hebrew")
    assert (article["lang"], article["dir"]) == ("he", "rtl")
    arabic = BeautifulSoup(_passport_html(direction_portfolio(tmp_path / "q", "ar")), "lxml")
    assert (arabic.html["lang"], arabic.html["dir"]) == ("ar", "rtl")


@pytest.mark.parametrize("value", ["hebrew", "he_IL_x", "12", "'e'", "ar--EG"])
def test_a_lang_that_is_no_language_tag_is_an_error_at_its_line(tmp_path, value):
    files = {"journal/2026-03-02-x.md": md("X", HEBREW, date="2026-03-02", lang=value)}
    root = portfolio(tmp_path / "p", files)
    run = cli("build", root)
    text = (root / "journal/2026-03-02-x.md").read_text()
    assert run.code == 1
    assert f"journal/2026-03-02-x.md:{line_of(text, 'lang:')}: 'lang' must be a language tag" in run.err


def _box(page, selector: str) -> dict:
    return page.eval_on_selector(
        selector,
        "e => { const r = e.getBoundingClientRect(); "
        "return {left: r.left, right: r.right, width: r.width}; }",
    )


def test_in_chromium_a_right_to_left_site_is_mirrored(page, arabic_site):
    from browser_support import serve

    served = serve(arabic_site)
    try:
        page.goto(served.url + "journal/")
        name, nav = _box(page, ".site-name"), _box(page, ".site-nav")
        assert name["left"] > nav["left"]  # the site's name on the right, the menu on its left
        date, body = _box(page, ".timeline-date"), _box(page, ".timeline-body")
        assert date["left"] > body["left"]  # the dates on the right of the timeline
        assert page.eval_on_selector("main", "e => getComputedStyle(e).direction") == "rtl"
        # a Greek title in an Arabic list reads left to right
        greek = page.locator(".timeline-title", has_text="Θερινό")
        assert greek.evaluate("e => getComputedStyle(e).direction") == "ltr"
        page.goto(served.url + "journal/arabic/")
        words = page.evaluate("""() => {
            const node = document.querySelector('.prose p').firstChild, text = node.data;
            const box = w => { const r = document.createRange(), i = text.indexOf(w);
                               r.setStart(node, i); r.setEnd(node, i + w.length);
                               return r.getBoundingClientRect().left; };
            return {first: box('تعلمت'), python: box('Python'), version: box('3.11')};
        }""")
        # read from the right: the first Arabic word, then "Python 3.11" in its own order
        assert words["first"] > words["version"] > words["python"]
    finally:
        served.stop()


def test_in_chromium_a_hebrew_entry_reads_right_to_left_in_an_english_site(page, english_site):
    from browser_support import serve

    served = serve(english_site)
    try:
        page.goto(served.url + "journal/hebrew/")
        name, nav = _box(page, ".site-name"), _box(page, ".site-nav")
        assert name["left"] < nav["left"]  # the English interface is not mirrored
        assert page.eval_on_selector("article .prose p", "e => getComputedStyle(e).direction") == "rtl"
        paragraph, prose = _box(page, "article .prose p"), _box(page, "article .prose")
        text_right = page.evaluate("""() => {
            const n = document.querySelector('article .prose p').firstChild, r = document.createRange();
            r.selectNodeContents(n); return r.getBoundingClientRect().right; }""")
        assert abs(text_right - prose["right"]) < 2 and paragraph["width"] > 0  # set against the right edge
        page.goto(served.url + "journal/")
        hebrew = page.locator(".timeline-title", has_text="השבוע")
        assert hebrew.evaluate("e => getComputedStyle(e).direction") == "rtl"
    finally:
        served.stop()


# -- formulas --------------------------------------------------------------------------------------

PHYSICS = """\
Η ενέργεια είναι $E=mc^2$ και το κόστος $5 ή $10.

$$
\\int_0^1 x^2\\,dx = \\frac{1}{3}
$$

Ο τύπος $$\\sqrt{a^2+b^2}$$ στη μέση της πρότασης.
"""


@pytest.mark.slow  # a build with formulas: seconds
def test_formulas_are_mathml_on_the_site_and_text_without_math(tmp_path):
    files = {"journal/2026-03-02-physics.md": md("Φυσική", PHYSICS, date="2026-03-02", slug="physics")}
    site, _ = build(portfolio(tmp_path / "on", files, math=True))
    page = soup(site / "journal/physics/index.html")
    prose = page.select_one(".prose")
    maths = prose.find_all("math")
    assert len(maths) == 3
    assert [m["display"] for m in maths] == ["inline", "block", "block"]
    assert maths[0].find("msup") is not None and maths[1].find("mfrac") is not None
    assert maths[2].find_parent("p") is not None  # $$…$$ inside a sentence stays in its paragraph
    assert "$" not in "".join(m.get_text() for m in maths)
    assert "το κόστος $5 ή $10." in prose.get_text()  # prices are not formulas
    # without math: true, a dollar sign is a dollar sign
    site, _ = build(portfolio(tmp_path / "off", files))
    prose = soup(site / "journal/physics/index.html").select_one(".prose")
    assert prose.find("math") is None and "$E=mc^2$" in prose.get_text()


@pytest.mark.parametrize(
    "formula, why",
    [
        ("$\\frac{1}{$", "ends too early"),
        ("$\\frca{1}{2}$", "unknown command \\frca"),
        ("$x^2^3$", "two '^' in a row"),
        ("$x_{1$", "do not pair up"),
        ("$\\left( x$", "\\left has no \\right"),
    ],
)
def test_a_formula_that_cannot_be_read_is_an_error_at_its_line(tmp_path, formula, why):
    body = f"Πρώτη γραμμή.\n\nΔεύτερη με {formula} μέσα.\n"
    root = portfolio(
        tmp_path / "p", {"journal/2026-03-02-bad.md": md("Bad", body, date="2026-03-02")}, math=True
    )
    run = cli("build", root)
    text = (root / "journal/2026-03-02-bad.md").read_text()
    assert run.code == 1
    errors = [line for line in run.lines if "cannot be read" in line]
    assert len(errors) == 1, run.err
    assert errors[0].startswith(f"journal/2026-03-02-bad.md:{line_of(text, 'Δεύτερη')}: the formula ")
    assert why in errors[0]


def test_hostile_mathml_and_latex_are_sanitised(tmp_path):
    body = """\
<math><mi href="javascript:alert(1)">a</mi><mtext><img src=x onerror=alert(1)></mtext>\
<semantics><mi>b</mi><annotation-xml encoding="text/html"><script>alert(2)</script>\
<a href="javascript:alert(3)">c</a></annotation-xml></semantics>\
<maction actiontype="statusline"><mi>d</mi><mtext>x</mtext></maction>\
<mstyle style="background:url(https://tracker.example/p.png)"><mi>e</mi></mstyle>\
<mglyph src="https://tracker.example/g.png"/><mi xlink:href="https://tracker.example/">f</mi></math>

Και $\\href{javascript:alert(4)}{g}$ και $\\text{<script>alert(5)</script>}$.
"""
    root = portfolio(
        tmp_path / "p",
        {"journal/2026-03-02-x.md": md("X", body, date="2026-03-02", slug="x")},
        math=True,
        allow_html=True,
    )
    site, _ = build(root)
    prose = soup(site / "journal/x/index.html").select_one(".prose")
    raw = str(prose)
    for needle in (
        "javascript:",
        "alert(",
        "onerror",
        "tracker.example",
        "<script",
        "annotation-xml",
        "maction",
        "xlink",
        "style=",
    ):
        assert needle not in raw, needle
    assert prose.find("math") is not None and "a" in prose.find("math").get_text()


@pytest.mark.slow  # makes a passport (PDF)
def test_the_passport_draws_formulas_as_vector_images(tmp_path):
    from pypdf import PdfReader

    files = {
        "journal/2026-03-02-physics.md": md(
            "Φυσική", PHYSICS, date="2026-03-02", slug="physics", passport="true"
        )
    }
    root = portfolio(tmp_path / "p", files, math=True, passport=True)
    site, _ = build(root)
    html = BeautifulSoup(_passport_html(root), "lxml")
    entry = html.find("article", id="entry-physics")
    assert entry.find("math") is None
    drawings = entry.select(".math svg")
    assert len(drawings) == 3 and all(d.find("path") is not None for d in drawings)
    assert drawings[0]["aria-label"] == "E=mc2"
    text = "\n".join(p.extract_text() for p in PdfReader(site / "passport.pdf").pages)
    assert "Η ενέργεια είναι" in text and "E=mc^2" not in text and "\\frac" not in text


@pytest.mark.slow  # a sequence of builds: seconds
def test_turning_math_on_parses_cached_entries_again(tmp_path):
    """The build cache keeps parsed items: a change of 'math:' (or 'allow_html:') in
    portfolio.yaml must not leave them as they were parsed before."""
    files = {"journal/2026-03-02-physics.md": md("Φυσική", PHYSICS, date="2026-03-02", slug="physics")}
    root = portfolio(tmp_path / "p", files)
    site, _ = build(root)
    assert soup(site / "journal/physics/index.html").find("math") is None
    portfolio(root, files, math=True)
    site, _ = build(root)
    assert len(soup(site / "journal/physics/index.html").select(".prose math")) == 3
    portfolio(root, files)
    site, _ = build(root)
    assert soup(site / "journal/physics/index.html").find("math") is None
