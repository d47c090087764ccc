"""The education passport: content, privacy, PDF quality, cache and commands.

WeasyPrint is slow, so each passport is rendered once per module and
shared by the tests that read it.
"""

from __future__ import annotations

import json
import re
import shutil
import textwrap
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from lxml import etree
from PIL import Image
from pypdf import PdfReader

from elenefolio.cli import main
from elenefolio.export.manifest import build_manifest
from elenefolio.load import load_portfolio
from elenefolio.passport import make_passport
from elenefolio.pipeline import BuildOptions, build
from elenefolio.problems import Problems
from elenefolio.site import build_site, urls
from elenefolio.site.audience import Audience

EXAMPLE = Path(__file__).resolve().parent.parent / "example-portfolio"
CANARIES = (
    "CANARY-PRIVATE-ARTEFACT",
    "CANARY-DRAFT-ENTRY",
    "CANARY-UNLISTED-ENTRY",
    "CANARY-PRIVATE-ENTRY",
    "canary-secret@example.org",
)


def load_site(root: Path, private: bool = False):
    problems = Problems(root)
    portfolio = load_portfolio(root, problems)
    assert not problems.errors, problems.errors
    return build_site(portfolio, Audience(private=private), problems)


def flat(text: str) -> str:
    """Text with line breaks and repeated spaces folded (titles may wrap)."""
    return re.sub(r"\s+", " ", text.replace("\u00ad", "").replace("-\n", "")).strip()


def pdf_text(reader: PdfReader) -> str:
    return flat("\n".join(page.extract_text() or "" for page in reader.pages))


def outline_titles(outline) -> list[str]:
    titles = []
    for entry in outline:
        if isinstance(entry, list):
            titles += outline_titles(entry)
        else:
            titles.append(flat(entry.title))
    return titles


def top_outline_titles(outline) -> list[str]:
    return [flat(e.title) for e in outline if not isinstance(e, list)]


def attachment(reader: PdfReader) -> dict:
    data = reader.attachments["portfolio.json"]
    return json.loads(data[0] if isinstance(data, list) else data)


def everything(reader: PdfReader) -> str:
    """Every place of the PDF where words can hide: text, outline, metadata, XMP, attachments."""
    parts = [getattr(reader, "text", None) or pdf_text(reader), " ".join(outline_titles(reader.outline))]
    parts += [str(v) for v in (reader.metadata or {}).values()]
    xmp = reader.trailer["/Root"].get("/Metadata")
    if xmp is not None:
        parts.append(xmp.get_object().get_data().decode("utf-8", "replace"))
    for name, blobs in reader.attachments.items():
        parts.append(name)
        parts += [b.decode("utf-8", "replace") for b in blobs]
    return "\n".join(parts)


# -- the example portfolio -------------------------------------------------------------


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    root = tmp_path_factory.mktemp("example") / "portfolio"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("_site", "_private", ".elenefolio-cache"))
    site = load_site(root)
    result = make_passport(site)
    reader = PdfReader(result.path)
    reader.text = pdf_text(reader)  # extracting text is slow: once per passport
    return root, site, result, reader


def test_example_passport_has_the_owner_featured_work_and_skills(example):
    _, site, result, reader = example
    text = reader.text
    assert result.pages == len(reader.pages) > 5
    assert site.config.author.name in text
    assert site.featured, "the example portfolio features artefacts"
    for artefact in site.featured:
        assert flat(artefact.title) in text
    for skill in site.skills:
        assert skill.name in text


def test_example_passport_shows_evidence_statements_and_journal_highlights(example):
    _, site, _, reader = example
    text = reader.text
    highlights = [e for e in site.journal if e.wrapped.passport]
    assert 2 <= len(highlights) <= 3
    for entry in highlights:
        assert flat(entry.title) in text
    not_chosen = [e for e in site.journal if not e.wrapped.passport]
    # Entries not chosen appear only as a line of the appendix, never with their body.
    body_start = flat(not_chosen[0].body.plain)[:80]
    assert body_start not in text
    for artefact in site.featured:
        for claim in artefact.skills:
            assert flat(claim.evidence)[:60] in text


def test_example_passport_leaves_out_private_draft_and_unlisted_items(example):
    root, site, _, reader = example
    portfolio = site.portfolio
    hidden = [i for i in portfolio.items if i.visibility != "public" or i.draft]
    assert hidden, "the example portfolio keeps some items to itself"
    content = everything(reader)
    for item in hidden:
        assert item.title not in content, item.title
    for email in portfolio.config.author.email:
        assert email not in content


def test_outline_mirrors_the_sections(example):
    _, site, _, reader = example
    top = top_outline_titles(reader.outline)
    assert top == [
        "Cover",
        "Contents",
        "Profile",
        "Skills profile",
        "Evidence map",
        "Featured work",
        "Learning agenda",
        "Badges",
        "Journal highlights",
        "Appendix: all evidence by skill",
    ]
    titles = outline_titles(reader.outline)
    for artefact in site.featured:
        assert flat(artefact.title) in titles


def test_contents_are_clickable_links_to_the_right_pages(example):
    _, _, _, reader = example
    contents = reader.pages[1]
    assert "Contents" in contents.extract_text()
    links = [a.get_object() for a in contents.get("/Annots", []) if a.get_object().get("/Subtype") == "/Link"]
    internal = [a for a in links if "/Dest" in a or ("/A" in a and a["/A"].get("/S") == "/GoTo")]
    assert len(internal) >= 6
    # The page numbers printed in the contents agree with where the outline points.
    text = flat(contents.extract_text())
    for entry in reader.outline:
        if isinstance(entry, list) or entry.title in ("Cover", "Contents"):
            continue
        page = reader.get_destination_page_number(entry) + 1
        assert re.search(re.escape(flat(entry.title)) + r"[ .]*" + str(page) + r"\b", text), (
            entry.title,
            page,
        )


def test_embedded_portfolio_json_agrees_with_the_site(example):
    _, site, _, reader = example
    data = attachment(reader)
    base = site.config.base_url
    assert data["profile"]["name"] == site.config.author.name
    text = json.dumps(data)
    assert site.config.author.email and not any(e in text for e in site.config.author.email)
    assert '"email"' not in text  # no field of that name either
    listed = {urls.absolute(base, v.url) for v in site.journal + site.artefacts}
    assert {e["url"] for e in data["evidence"]} == listed
    assert {s["id"]: s["evidence_count"] for s in data["skills"]} == {s.id: s.count for s in site.skills}
    featured = {e["title"] for e in data["evidence"] if e.get("featured")}
    assert featured == {a.title for a in site.featured}
    assert [a["date"] for a in data["assessments"]] == [
        p.round.date.isoformat() for p in site.self_assessment.analysis.profiles
    ]
    assert sorted(b["slug"] for b in data["badges"]) == sorted(b.slug for b in site.badges)


def test_metadata_and_pdfa_identification(example):
    _, site, _, reader = example
    meta = reader.metadata
    assert site.config.author.name in meta.title
    assert meta.author == site.config.author.name
    assert meta.subject and site.portfolio.framework.name in meta.subject
    keywords = meta["/Keywords"]
    for skill in site.skills:
        if skill.count:
            assert skill.name in keywords
    root = reader.trailer["/Root"]
    assert root["/Lang"] == site.config.language
    xmp = etree.fromstring(root["/Metadata"].get_object().get_data())
    ns = {"pdfaid": "http://www.aiim.org/pdfa/ns/id/"}
    part = xmp.xpath("//@pdfaid:part | //pdfaid:part/text()", namespaces=ns)
    conformance = xmp.xpath("//@pdfaid:conformance | //pdfaid:conformance/text()", namespaces=ns)
    assert [str(p) for p in part] == ["3"] and [str(c) for c in conformance] == ["A"]
    # Fonts are embedded: every font of every page has a font file.
    for page in reader.pages[:3]:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = (font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font)[
                "/FontDescriptor"
            ].get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def structure(reader) -> list[tuple[str, object]]:
    """The passport's structure tree, in reading order: (structure type, its /Alt)."""
    found: list[tuple[str, object]] = []

    def walk(node) -> None:
        node = node.get_object()
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict):
            if "/S" in node:
                found.append((str(node["/S"]), node.get("/Alt")))
            if "/K" in node:
                walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def test_the_passport_is_tagged_for_screen_readers(example):
    """PDF/A-3a: marked content with a structure tree that follows the document (one H1,
    section headings, tables with header cells, lists, links) and a text alternative for
    every figure: the portrait, the charts, the pictures of the work and the QR codes."""
    _, site, _, reader = example
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 - a pypdf BooleanObject
    tags = structure(reader)
    kinds = [kind for kind, _ in tags]
    assert kinds.count("/H1") == 1 and kinds.count("/H2") >= 5
    for kind in ("/P", "/L", "/LI", "/Table", "/TH", "/TD", "/Link"):
        assert kind in kinds, kind
    figures = [alt for kind, alt in tags if kind == "/Figure"]
    assert len(figures) >= 5 and all(alt and str(alt).strip() for alt in figures)
    alts = " ".join(str(alt) for alt in figures)
    assert f"Portrait of {site.config.author.name}" in alts and "QR code of https://" in alts


def test_every_page_renders_and_is_not_blank(example):
    import pypdfium2 as pdfium

    _, _, result, _ = example
    document = pdfium.PdfDocument(str(result.path))
    try:
        for index in range(len(document)):
            image = document[index].render(scale=0.4).to_pil().convert("L")
            width, height = image.size
            # Only the text block counts: a page with nothing but its footer is blank.
            body = image.crop((0, int(height * 0.08), width, int(height * 0.91)))
            dark = sum(body.histogram()[:200])
            assert dark > 300, f"page {index + 1} is blank"
    finally:
        document.close()


def test_build_with_pdf_links_the_passport_from_the_home_page(example):
    root, _, first, _ = example
    result = build(BuildOptions(root=root, pdf=True))
    assert result.passport is not None and result.passport.cached  # same inputs: reused
    assert result.passport.pages == first.pages
    pdf = root / "_site" / "passport.pdf"
    assert pdf.read_bytes() == first.path.read_bytes()
    home = BeautifulSoup((root / "_site" / "index.html").read_text(), "html.parser")
    link = home.select_one('a[href="passport.pdf"]')
    assert link is not None and "passport" in link.text.lower()
    without = build(BuildOptions(root=root, output=root / "_nopdf"))
    assert without.passport is None
    assert not (root / "_nopdf" / "passport.pdf").exists()
    assert (
        BeautifulSoup((root / "_nopdf" / "index.html").read_text(), "html.parser").select_one(
            'a[href="passport.pdf"]'
        )
        is None
    )


# -- a small portfolio with canaries ---------------------------------------------------


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")


def picture(path: Path, size=(1200, 800), colour=(47, 106, 110)) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, colour).save(path)


def item(
    title: str, visibility: str = "public", draft: bool = False, extra: str = "", body: str = "Some words."
) -> str:
    return (
        f'---\ntitle: "{title}"\ndate: 2026-03-01\nvisibility: {visibility}\n'
        f"draft: {'true' if draft else 'false'}\n{extra}---\n\n{body}\n"
    )


@pytest.fixture(scope="module")
def canary_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("canary") / "portfolio"
    write(
        root / "portfolio.yaml",
        """
        title: "Ada Test portfolio"
        base_url: "https://ada.example.org/folio/"
        language: en
        author:
          name: "Ada Testwoman"
          headline: "Tester of passports"
          email: "canary-secret@example.org"
          photo: static/me.png
    """,
    )
    picture(root / "static" / "me.png", (400, 400))
    write(root / "about.md", "I test things carefully.\n")
    picture(root / "artefacts" / "poster" / "shot.png", (2400, 1600))
    picture(root / "artefacts" / "poster" / "poster.jpg", (1600, 900), (200, 120, 80))
    (root / "artefacts" / "poster" / "clip.mp4").write_bytes(b"\0" * 64)
    write(
        root / "artefacts" / "poster" / "index.md",
        item(
            "Poster about bridges",
            extra=textwrap.dedent("""\
            type: image
            featured: true
            media:
              - src: shot.png
                alt: "A teal rectangle"
              - src: clip.mp4
                poster: poster.jpg
                alt: "A frame of the film"
            skills:
              - skill: communication
                evidence: "I explained bridges to ten-year-olds."
            """),
            body="Why I made it.\n\n![detail](shot.png)",
        ),
    )
    (root / "artefacts" / "talk").mkdir(parents=True)
    (root / "artefacts" / "talk" / "talk.mp3").write_bytes(b"\0" * 64)
    write(
        root / "artefacts" / "talk" / "index.md",
        item(
            "Radio talk on teamwork",
            extra=textwrap.dedent("""\
            type: audio
            featured: true
            media: [talk.mp3]
            skills:
              - skill: teamwork
                evidence: "We prepared the talk as a group of three."
            """),
        ),
    )
    write(
        root / "artefacts" / "secret.md",
        item(
            "CANARY-PRIVATE-ARTEFACT",
            "private",
            extra="featured: true\nskills: [teamwork]\n",
            body="CANARY-PRIVATE-ARTEFACT body",
        ),
    )
    write(
        root / "journal" / "a.md",
        item(
            "Chosen entry about listening",
            extra="passport: true\nskills: [communication]\n",
            body="I learnt to listen. See [the poster](../artefacts/poster/index.md).",
        ),
    )
    write(
        root / "journal" / "b.md",
        item("CANARY-DRAFT-ENTRY", draft=True, extra="passport: true\nskills: [teamwork]\n"),
    )
    write(
        root / "journal" / "c.md",
        item("CANARY-UNLISTED-ENTRY", "unlisted", extra="passport: true\nskills: [teamwork]\n"),
    )
    write(
        root / "journal" / "d.md",
        item(
            "CANARY-PRIVATE-ENTRY",
            "private",
            extra="passport: true\nskills: [negotiation]\n",
            body="Link to [secret](../artefacts/secret.md)",
        ),
    )
    return root


@pytest.fixture(scope="module")
def canary_public(canary_root):
    site = load_site(canary_root)
    result = make_passport(site)
    reader = PdfReader(result.path)
    reader.text = pdf_text(reader)
    return site, result, reader


def test_public_passport_has_no_canary_anywhere(canary_public):
    site, result, reader = canary_public
    content = everything(reader)
    assert "Ada Testwoman" in content and "Poster about bridges" in content
    assert "Radio talk on teamwork" in content and "Chosen entry about listening" in content
    for canary in CANARIES:
        assert canary not in content, canary
    # nor in the raw bytes of the file (uncompressed names, attachment name...)
    raw = result.path.read_bytes()
    for canary in CANARIES:
        assert canary.encode() not in raw
    data = attachment(reader)
    assert len(data["evidence"]) == 3
    assert not data["private_copy"]


def test_video_and_audio_get_a_link_and_a_qr_code_to_their_page(canary_public):
    site, _, reader = canary_public
    text = reader.text
    for slug in ("poster", "talk"):
        assert f"https://ada.example.org/folio/artefacts/{slug}/" in text
    assert "listen online" in text.lower() and "watch online" in text.lower()
    uris = set()
    for page in reader.pages:
        for annot in page.get("/Annots", []):
            action = annot.get_object().get("/A")
            if action is not None and "/URI" in action:
                uris.add(str(action["/URI"]))
    assert "https://ada.example.org/folio/artefacts/talk/" in uris
    # the QR codes, the photo, the image and the poster are drawn on the pages
    images = sum(len(page.images) for page in reader.pages)
    assert images >= 4


def test_images_are_resized_for_print(canary_public, canary_root):
    cached = list((canary_root / ".elenefolio-cache" / "passport" / "images").iterdir())
    assert cached
    for path in cached:
        with Image.open(path) as image:
            assert max(image.size) <= 1800


def test_private_passport_has_everything_but_drafts_and_a_banner(canary_root, canary_public):
    site = load_site(canary_root, private=True)
    result = make_passport(site)
    reader = PdfReader(result.path)
    text = pdf_text(reader)
    assert "CANARY-PRIVATE-ARTEFACT" in text and "CANARY-PRIVATE-ENTRY" in text
    assert "CANARY-UNLISTED-ENTRY" in text
    assert "CANARY-DRAFT-ENTRY" not in text
    for page in reader.pages:
        assert "private copy" in (page.extract_text() or "").lower()
    assert attachment(reader)["private_copy"] is True
    # the public passport in the cache was not replaced by the private one
    public = make_passport(load_site(canary_root))
    assert public.cached and "CANARY" not in pdf_text(PdfReader(public.path))


def test_command_reuses_an_unchanged_passport_and_remakes_a_changed_one(
    canary_root, canary_public, tmp_path, capsys
):
    out = tmp_path / "mine.pdf"
    assert main(["passport", str(canary_root), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "unchanged" in printed and re.search(r"\d+ pages in \d+\.\d\d s", printed)
    assert out.read_bytes() == canary_public[1].path.read_bytes()

    entry = canary_root / "journal" / "a.md"
    entry.write_text(entry.read_text().replace("I learnt to listen.", "I learnt to LISTEN-AGAIN."))
    assert main(["passport", str(canary_root), "-o", str(out), "--paper", "letter"]) == 0
    assert "passport made" in capsys.readouterr().out
    reader = PdfReader(out)
    assert "LISTEN-AGAIN" in pdf_text(reader)
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (612, 792)  # US Letter, in points


def test_command_reports_portfolio_errors_on_one_line(tmp_path, capsys):
    write(tmp_path / "portfolio.yaml", "title: x\nauthor: {name: A}\npassport: maybe\n")
    assert main(["passport", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert re.search(r"^portfolio\.yaml:3: .*'passport'", err, re.M)
    assert "Traceback" not in err


def test_passport_setting_accepts_a_paper_size(tmp_path):
    write(tmp_path / "portfolio.yaml", "title: x\nauthor: {name: A}\npassport:\n  paper: letter\n")
    problems = Problems(tmp_path)
    config = load_portfolio(tmp_path, problems).config
    assert (config.passport, config.passport_paper) == (True, "letter")
    write(tmp_path / "portfolio.yaml", "title: x\nauthor: {name: A}\npassport:\n  paper: a3\n")
    problems = Problems(tmp_path)
    load_portfolio(tmp_path, problems)
    assert any("passport.paper" in p.message for p in problems.errors)


def test_manifest_has_no_email_and_only_listed_items(canary_root):
    site = load_site(canary_root)
    data = build_manifest(site)
    dumped = json.dumps(data)
    for canary in CANARIES:
        assert canary not in dumped
    assert all(e["url"].startswith("https://ada.example.org/folio/") for e in data["evidence"])
    poster = next(e for e in data["evidence"] if e["title"] == "Poster about bridges")
    assert poster["skills"] == [{"id": "communication", "evidence": "I explained bridges to ten-year-olds."}]
    assert {m["url"] for m in poster["media"]} == {
        "https://ada.example.org/folio/artefacts/poster/shot.png",
        "https://ada.example.org/folio/artefacts/poster/clip.mp4",
    }


def small_portfolio(root: Path) -> Path:
    write(root / "portfolio.yaml", 'title: x\nauthor: {name: "Olga Override"}\ndefault_visibility: public\n')
    write(root / "about.md", "About me.\n")
    write(root / "journal" / "a.md", item("An entry", extra="skills: [teamwork]\n"))
    return root


def test_print_templates_can_be_overridden_by_the_portfolio(tmp_path):
    from elenefolio.passport import passport_html

    root = small_portfolio(tmp_path)
    write(
        root / "templates" / "print" / "sections" / "profile.html",
        '<section id="{{ section.id }}"><h2 class="section-title">Who I am</h2>'
        "<p>OVERRIDDEN-PROFILE</p>{{ section.data }}</section>\n",
    )
    html, css, _, manifest, _ = passport_html(load_site(root))
    soup = BeautifulSoup(html, "html.parser")
    profile = soup.select_one("section#profile")
    assert "OVERRIDDEN-PROFILE" in profile.text and "About me." in profile.text
    assert soup.select_one("section#evidence-map") is not None  # the others still come from the theme
    assert "@page" in css and manifest["profile"]["name"] == "Olga Override"


def test_a_broken_print_template_is_one_line_with_its_place(tmp_path, capsys):
    root = small_portfolio(tmp_path)
    write(root / "templates" / "print" / "sections" / "profile.html", "<section>\n{% if %}\n</section>\n")
    assert main(["passport", str(root)]) == 1
    err = capsys.readouterr().err
    assert re.search(r"templates/print/sections/profile\.html:2: template error", err), err
    assert "Traceback" not in err
    assert not (root / "passport.pdf").exists()


def test_skills_profile_and_agenda_appear_only_when_public(tmp_path):
    from elenefolio.passport import passport_html

    root = small_portfolio(tmp_path)

    def sections(root: Path) -> list[str]:
        html = passport_html(load_site(root))[0]
        return [s["id"] for s in BeautifulSoup(html, "html.parser").select("body > section")]

    plain = sections(root)
    assert "skills-profile" not in plain and "agenda" not in plain and "badges" not in plain
    write(
        root / "assessments" / "2026-01-10.yaml",
        "date: 2026-01-10\nframework: elene4work\nskills:\n  teamwork:\n    answers: [4, 3, 4, 3]\n"
        "    importance: 5\n",
    )
    write(
        root / "agenda.yaml",
        "goals:\n  - skill: teamwork\n    target: 4\n    why: Lead a lab group\n"
        "actions:\n  - title: A teamwork MOOC\n    type: mooc\n    status: done\n",
    )
    assert sections(root) == plain  # rounds and the agenda are private by default
    write(
        root / "portfolio.yaml",
        (root / "portfolio.yaml").read_text() + "self_assessment: {visibility: public}\n",
    )
    shown = sections(root)
    assert shown.index("skills-profile") == shown.index("profile") + 1
    assert "agenda" in shown and "badges" not in shown
    html = passport_html(load_site(root))[0]
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one("section#contents").select_one('a[href="#skills-profile"]') is not None
    profile = soup.select_one("section#skills-profile")
    assert profile.find("svg") is not None and "3.5" in profile.get_text()  # mean of 4, 3, 4, 3
    assert "A teamwork MOOC" in soup.select_one("section#agenda").get_text()


def test_unused_resized_images_are_pruned(canary_root, canary_public):
    from elenefolio.passport import _prune_images, cache_folder

    folder = cache_folder(canary_root)
    stale = folder / "images" / "0000stale.jpg"
    stale.write_bytes(b"old")
    used = json.loads((folder / "public-a4.json").read_text())["images"]
    assert used
    _prune_images(folder, folder / "images")
    assert not stale.exists()
    assert all((folder / "images" / name).exists() for name in used)


def test_a_static_file_cannot_take_the_passports_place(tmp_path, capsys):
    root = small_portfolio(tmp_path)
    write(root / "static" / "passport.pdf", "not a passport")
    assert main(["build", str(root), "--pdf", "-q"]) == 1
    err = capsys.readouterr().err
    assert re.search(r"^static/passport\.pdf:1: .*'passport\.pdf'", err, re.M), err
    assert main(["build", str(root), "-q"]) == 0  # without the passport, the file is fine


def test_an_unchanged_passport_does_not_even_load_weasyprint(example):
    import subprocess
    import sys

    root, _, first, _ = example
    script = (
        "import sys; from pathlib import Path; from elenefolio.load import load_portfolio;"
        "from elenefolio.problems import Problems; from elenefolio.site import build_site;"
        "from elenefolio.site.audience import Audience; from elenefolio.passport import make_passport;"
        f"root = Path({str(root)!r}); p = Problems(root);"
        "r = make_passport(build_site(load_portfolio(root, p), Audience(), p));"
        "print(r.cached, r.pages, sorted(m for m in ('weasyprint', 'segno', 'PIL') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.split(maxsplit=2) == ["True", str(first.pages), "[]\n"]


def embedded_fonts(reader: PdfReader) -> set[str]:
    """The names of the fonts embedded in the PDF, without their subset prefix."""
    names = set()
    for page in reader.pages:
        # ["/Font"], not .get("/Font"): pypdf before 7 returns the indirect object from .get()
        fonts = page["/Resources"]["/Font"] if "/Font" in page["/Resources"] else {}
        for font in fonts.values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            embedded = descriptor is not None and any(
                key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            if embedded:
                names.add(str(font["/BaseFont"]).split("+", 1)[-1])
    return names


def test_the_passport_is_set_in_the_themes_fonts_embedded(example):
    fonts = embedded_fonts(example[3])
    assert any(name.startswith("Source-Serif-4") for name in fonts), fonts
    assert any(name.startswith("Inter") for name in fonts), fonts
    # the text faces of the machine (DejaVu, Liberation, Noto) are never used for text
    assert not [
        name for name in fonts if name.startswith(("DejaVu-Serif", "DejaVu-Sans,", "Liberation", "Noto"))
    ], fonts


def part_ends(reader: PdfReader) -> set[int]:
    """The last page of each part: the page before each part's first page, and the last page."""
    starts = {reader.get_destination_page_number(e) for e in reader.outline if not isinstance(e, list)}
    return {start - 1 for start in starts if start > 0} | {len(reader.pages) - 1}


def page_fill(image) -> float:
    """How far down the text block of a page (a greyscale picture) something is drawn, 0 to 1."""
    width, height = image.size
    top, bottom = int(height * 24 / 297), int(height * (297 - 26) / 297)  # the page margins
    body = image.crop((0, top, width, bottom))
    rows = [y for y in range(body.height) if min(body.crop((0, y, width, y + 1)).getdata()) < 200]
    return (max(rows) + 1) / body.height if rows else 0.0


def test_no_page_is_more_than_half_empty_except_at_the_end_of_a_part(example):
    import pypdfium2 as pdfium

    _, _, result, reader = example
    ends = part_ends(reader)
    document = pdfium.PdfDocument(str(result.path))
    try:
        emptiest = {
            index: page_fill(document[index].render(scale=0.3).to_pil().convert("L"))
            for index in range(len(document))
            if index not in ends
        }
    finally:
        document.close()
    assert len(emptiest) > 5  # the example has parts of several pages
    half_empty = {index + 1: round(fill, 2) for index, fill in emptiest.items() if fill < 0.5}
    assert not half_empty, f"pages less than half filled: {half_empty}"


def page_with(reader: PdfReader, words: str) -> int:
    return next(i for i, page in enumerate(reader.pages) if words in flat(page.extract_text() or ""))


def test_checklist_ticks_are_drawn_not_black_squares(example):
    import pypdfium2 as pdfium

    _, _, result, reader = example
    index = page_with(reader, "Do the self-assessment and save the PDF")
    document = pdfium.PdfDocument(str(result.path))
    try:
        image = document[index].render(scale=2).to_pil().convert("RGB")
    finally:
        document.close()
    pixels = list(image.getdata())
    black = sum(1 for r, g, b in pixels if r < 20 and g < 20 and b < 20)
    accent = sum(1 for r, g, b in pixels if abs(r - 0x2F) < 12 and abs(g - 0x6A) < 12 and abs(b - 0x6E) < 12)
    assert black == 0  # WeasyPrint's own checked box is a black square
    assert accent > 100  # the ticked boxes, in the accent colour (with a white tick)


def test_badges_page_shows_each_badge_picture(example):
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    _, site, result, reader = example
    index = page_with(reader, "Open Badges I earned")
    document = pdfium.PdfDocument(str(result.path))
    try:
        page = document[index]
        pictures = list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=8))
        drawn = list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=8))
    finally:
        document.close()
    assert len(site.badges) == 2  # a PNG badge and an SVG one (drawn as shapes)
    assert pictures and drawn
