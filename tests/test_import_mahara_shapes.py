"""Leap2A import of files in the shapes real systems write: Mahara 24.04's namespaces
(web-archive addresses without a trailing '/', ':80' in the categories address), every other
namespace form in use, a bare leap2a.xml, posts not ready, XHTML with embedded players and
images, pages (views), and a PebblePad-style feed."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import yaml
from interop_helpers import png_bytes

from elenefolio.cli import main
from elenefolio.importers.leap2a import ImportFailed, import_leap2a, ns_key
from elenefolio.load import load_portfolio
from elenefolio.problems import Problems

DATA = Path(__file__).parent / "data" / "leap2a"
MAHARA_24 = dict(
    leap="https://web.archive.org/web/20100503000634/http://terms.leapspecs.org",
    cats="https://web.archive.org/web/20120819100914/http://wiki.leapspecs.org:80/2A/categories",
)
# (predicates and types, categories): every form seen in exports
FORMS = {
    "mahara-24": (MAHARA_24["leap"], MAHARA_24["cats"]),
    "mahara-18": ("http://terms.leapspecs.org/", "http://wiki.leapspecs.org/2A/categories/"),
    "no-trailing-slash": ("http://terms.leapspecs.org", "http://wiki.leapspecs.org/2A/categories"),
    "archive-with-slash": (
        "https://web.archive.org/web/2015/http://terms.leapspecs.org/",
        "https://web.archive.org/web/2015/http://wiki.leapspecs.org/2A/categories/",
    ),
    "archive-port-80-slash": (
        "http://web.archive.org/web/20100503000634/http://terms.leapspecs.org/",
        "https://web.archive.org/web/20120819100914/http://wiki.leapspecs.org:80/2A/categories/",
    ),
    "https-and-hash": ("https://terms.leapspecs.org/", "http://wiki.leapspecs.org/2A/categories#"),
}
BENCH = png_bytes((200, 30, 30), (40, 30))
SHEET = b"%PDF-1.4\n%%EOF\n"


def mahara_xml(form: str = "mahara-24") -> str:
    leap, cats = FORMS[form]
    return (
        (DATA / "mahara-24.xml").read_text(encoding="utf-8").replace("{leap}", leap).replace("{cats}", cats)
    )


def mahara_zip(folder: Path, form: str = "mahara-24", files: bool = True) -> Path:
    path = folder / f"mahara-{form}.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("leap2a.xml", mahara_xml(form))
        if files:
            archive.writestr("files/21-bench.png", BENCH)
            archive.writestr("files/22-safety-sheet.pdf", SHEET)
    return path


def front(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    _, meta, body = text.split("---\n", 2)
    return yaml.safe_load(meta), body.strip()


@pytest.mark.parametrize("form", list(FORMS))
def test_every_namespace_form_imports_the_posts(tmp_path, form):
    report = import_leap2a(mahara_zip(tmp_path, form), tmp_path / "out")
    assert report.journal == 2 and report.drafts == 1 and report.pages == 1
    meta, _ = front(tmp_path / "out/journal/2025-10-03-first-week-in-the-lab.md")
    assert meta["tags"] == ["LabWork", "placement"]


def test_namespace_keys_ignore_archive_scheme_port_and_trailing_marks():
    keys = {ns_key(a) for a, _ in FORMS.values()}
    assert keys == {"terms.leapspecs.org"}
    assert {ns_key(c) for _, c in FORMS.values()} == {"wiki.leapspecs.org/2A/categories"}


def test_mahara_24_post_keeps_blog_time_tags_and_text_after_embeds(tmp_path):
    dest = tmp_path / "out"
    import_leap2a(mahara_zip(tmp_path), dest)
    meta, body = front(dest / "journal/2025-10-03-first-week-in-the-lab.md")
    assert meta["date"] == "2025-10-03 17:42" and meta["course"] == "Lab placement blog"
    assert "I learnt to **plate** cultures." in body
    # the player became a link to the video's page, and the text after it is kept
    assert (
        "[www.youtube.com](https://www.youtube.com/watch?v=dQw4w9WgXcQ) and the words after the video stay"
        in body
    )
    assert "[vimeo.com](https://vimeo.com/76979871)" in body or "(https://vimeo.com/76979871)" in body
    assert "text after the form stays too" in body and "Last paragraph." in body
    # Mahara's embedded image: the local copy with its alt text
    assert "![The bench where I work](bench.png)" in body
    assert (dest / "journal/bench.png").read_bytes() == BENCH
    # download.php link: the local copy of that file; a remote picture is a link, never an image
    assert "[safety sheet](safety-sheet.pdf)" in body
    assert "[tracker](https://tracker.example.net/pixel.png)" in body and "![tracker]" not in body


def test_post_not_ready_is_a_draft_and_never_published(tmp_path):
    dest = tmp_path / "out"
    import_leap2a(mahara_zip(tmp_path), dest)
    meta, body = front(dest / "journal/2025-11-30-notes-i-never-finished.md")
    assert meta["draft"] is True and "UNREADYCANARY" in body
    text = (dest / "portfolio.yaml").read_text()
    (dest / "portfolio.yaml").write_text(
        text.replace("default_visibility: private", "default_visibility: public")
    )
    assert main(["build", str(dest), "-q"]) == 0
    site = dest / "_site"
    assert any(site.rglob("*.html"))
    assert not [p for p in site.rglob("*") if p.is_file() and b"unreadycanary" in p.read_bytes().lower()]


def test_page_becomes_an_artefact_with_its_text_and_links(tmp_path):
    dest = tmp_path / "out"
    report = import_leap2a(mahara_zip(tmp_path), dest)
    meta, body = front(dest / "artefacts/my-placement-showcase/index.md")
    assert meta["type"] == "other" and meta["tags"] == ["showcase"]
    assert body.startswith("What I did during my *placement*.")
    assert "Text block: the three things I am proudest of." in body
    assert "- [First week in the lab](../../journal/2025-10-03-first-week-in-the-lab.md)" in body
    problems = Problems()
    portfolio = load_portfolio(dest, problems)
    assert not problems.errors, [str(p) for p in problems.errors]
    assert {a.slug for a in portfolio.artefacts} >= {"my-placement-showcase"}
    assert any("→ artefacts/my-placement-showcase/index.md" in line for line in report.converted)


def test_email_only_in_author_email(tmp_path):
    dest = tmp_path / "out"
    import_leap2a(mahara_zip(tmp_path), dest)
    config = yaml.safe_load((dest / "portfolio.yaml").read_text())
    assert config["author"] == {
        "name": "Sofia Mahara",
        "headline": "Biomedical science student",
        "email": "sofia.private@example.ac.uk",
    }
    holding = [p for p in dest.rglob("*") if p.is_file() and b"sofia.private" in p.read_bytes()]
    assert holding == [dest / "portfolio.yaml"]


def test_bare_leap2a_xml_with_its_files_beside_it(tmp_path):
    folder = tmp_path / "export"
    (folder / "files").mkdir(parents=True)
    (folder / "leap2a.xml").write_text(mahara_xml(), encoding="utf-8")
    (folder / "files/21-bench.png").write_bytes(BENCH)
    report = import_leap2a(folder / "leap2a.xml", tmp_path / "out")
    assert report.journal == 2 and (tmp_path / "out/journal/bench.png").read_bytes() == BENCH
    missing = [line for line in report.skipped if "22-safety-sheet.pdf" in line]
    assert len(missing) == 1 and "not beside leap2a.xml" in missing[0]


def test_bare_xml_cannot_reach_outside_its_folder(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    secret = tmp_path / "secret.png"
    secret.write_bytes(BENCH)
    (folder / "files").mkdir()
    (folder / "files/21-bench.png").symlink_to(secret)
    xml = mahara_xml().replace("files/22-safety-sheet.pdf", "../secret.png")
    (folder / "leap2a.xml").write_text(xml, encoding="utf-8")
    dest = tmp_path / "out"
    report = import_leap2a(folder / "leap2a.xml", dest)
    assert not [p for p in dest.rglob("*") if p.is_file() and p.read_bytes() == BENCH]
    assert len([line for line in report.skipped if "not beside" in line]) == 2


def test_an_export_with_nothing_known_is_an_error(tmp_path, capsys):
    xml = tmp_path / "leap2a.xml"
    xml.write_text(
        '<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom" '
        'xmlns:x="http://example.org/other#">\n<title>t</title>\n'
        "<entry><title>A</title><id>a</id></entry>\n</feed>\n"
    )
    with pytest.raises(
        ImportFailed,
        match=r"no entries of a known type: is this a Leap2A file\? "
        r"\(namespaces seen: .*http://example.org/other#",
    ):
        import_leap2a(xml, tmp_path / "out")
    assert main(["import", "leap2a", str(xml), str(tmp_path / "out2")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("leap2a.xml:1: no entries of a known type") and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out2").exists()


def test_import_prints_what_each_entry_became(tmp_path, capsys):
    assert main(["import", "leap2a", str(mahara_zip(tmp_path)), str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert (
        "post 'First week in the lab' → journal/2025-10-03-first-week-in-the-lab.md" in out
        or "entry 'First week in the lab' → journal/2025-10-03-first-week-in-the-lab.md" in out
    )
    assert "(a draft: it was not published in Mahara)" in out
    assert "blog 'Lab placement blog' → the 'course' of its posts" in out


PEBBLEPAD = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
      xmlns:leap2="http://terms.leapspecs.org/" xmlns:categories="http://wiki.leapspecs.org/2A/categories/">
  <leap2:version>http://www.leapspecs.org/2010-07/2A/</leap2:version>
  <id>urn:pebblepad:export:9f1c</id>
  <title>PebblePad export</title>
  <updated>2025-06-01T12:00:00Z</updated>
  <author><name>Jonas Pebble</name></author>
  <entry>
    <id>urn:pebblepad:asset:1</id>
    <title>Reflection on teamwork</title>
    <updated>2025-05-20T09:15:00Z</updated>
    <published>2025-05-20T09:15:00Z</published>
    <rdf:type rdf:resource="leap2:entry"/>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><h2>What happened</h2><p>We split the tasks.</p></div></content>
    <category term="teamwork"/>
    <leap2:date leap2:point="start">2025-05-18</leap2:date>
  </entry>
  <entry>
    <id>urn:pebblepad:asset:2</id>
    <title>Action plan</title>
    <updated>2025-05-21T10:00:00Z</updated>
    <rdf:type rdf:resource="leap2:plan"/>
    <content type="text">Improve my time keeping.</content>
  </entry>
</feed>
"""


def test_pebblepad_style_feed(tmp_path):
    xml = tmp_path / "leap2a.xml"
    xml.write_text(PEBBLEPAD, encoding="utf-8")
    report = import_leap2a(xml, tmp_path / "out")
    assert (report.journal, report.plans) == (1, 1)
    meta, body = front(tmp_path / "out/journal/2025-05-20-reflection-on-teamwork.md")
    assert meta["date"] == "2025-05-20 09:15" and meta["tags"] == ["teamwork"]
    assert body.startswith("## What happened")
