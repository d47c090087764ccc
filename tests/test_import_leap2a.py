"""Leap2A import: Mahara-shaped exports (2010-07, web-archive and 2009-03
namespace forms) and the round trip export → import."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import yaml
from interop_helpers import make_portfolio, png_bytes

from elenefolio.cli import main
from elenefolio.importers.leap2a import html_to_markdown, import_leap2a, normalise
from elenefolio.load import load_portfolio
from elenefolio.problems import Problems

FORMS = {
    "2010-07": dict(
        leap="http://terms.leapspecs.org/",
        types="http://terms.leapspecs.org/",
        cats="http://wiki.leapspecs.org/2A/categories/",
        lp="leap2",
        tp="leap2",
        version="<leap2:version>http://www.leapspecs.org/2010-07/2A/</leap2:version>",
    ),
    "web-archive": dict(
        leap="https://web.archive.org/web/20150901000000/http://terms.leapspecs.org/",
        types="https://web.archive.org/web/20150901000000/http://terms.leapspecs.org/",
        cats="https://web.archive.org/web/20150901000000/http://wiki.leapspecs.org/2A/categories/",
        lp="leap2",
        tp="leap2",
        version="<leap2:version>http://www.leapspecs.org/2010-07/2A/</leap2:version>",
    ),
    "2009-03": dict(
        leap="http://wiki.cetis.ac.uk/2009-03/LEAP2A_predicates#",
        types="http://wiki.cetis.ac.uk/2009-03/LEAP2A_types#",
        cats="http://wiki.cetis.ac.uk/2009-03/LEAP2A_categories/",
        lp="leap",
        tp="leaptype",
        version="",
    ),
}

MAHARA_XML = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"
    xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    xmlns:{lp}="{leap}"
    {types_decl}
    xmlns:categories="{cats}"
    xmlns:portfolio="https://mahara.example.org/export/leap/7/1718000000/"
    xmlns:mahara="http://wiki.mahara.org/Developer_Area/Import%2F%2FExport/LEAP_Extensions#"
>
    {version}
    <id>https://mahara.example.org/export/7/1718000000</id>
    <title>Mahara Leap2A Export for Maria Imported, 10/06/2026</title>
    <updated>2026-06-10T10:00:00+02:00</updated>
    <generator uri="http://mahara.org/" version="24.04">Mahara</generator>
    <author>
        <name>Maria Imported</name>
        <email>maria@example.org</email>
        <uri>portfolio:artefact1</uri>
    </author>
    <entry>
        <title>Maria Imported</title>
        <id>portfolio:artefact1</id>
        <updated>2026-06-10T10:00:00+02:00</updated>
        <content type="text">Nursing student</content>
        <rdf:type rdf:resource="{tp}:person"/>
    </entry>
    <entry>
        <title>My learning blog</title>
        <id>portfolio:artefact10</id>
        <updated>2026-06-01T08:00:00+02:00</updated>
        <published>2026-01-05T08:00:00+01:00</published>
        <content type="html">&lt;p&gt;Blog description&lt;/p&gt;</content>
        <rdf:type rdf:resource="{tp}:selection"/>
        <category term="Blog" scheme="categories:selection_type#"/>
        <mahara:artefactplugin mahara:type="blog" mahara:plugin="blog"/>
        <link rel="{lp}:has_part" href="portfolio:artefact11"/>
        <link rel="{lp}:has_part" href="portfolio:artefact12"/>
    </entry>
    <entry>
        <title>Working in a ward team</title>
        <id>portfolio:artefact11</id>
        <updated>2026-03-02T18:30:00+01:00</updated>
        <published>2026-03-02T18:30:00+01:00</published>
        <content type="html">&lt;p&gt;Today I &lt;strong&gt;led&lt;/strong&gt; the handover.&lt;/p&gt;&lt;script&gt;alert('x')&lt;/script&gt;&lt;p onclick="steal()"&gt;See &lt;a href="https://example.org/guide"&gt;the guide&lt;/a&gt; and my photo:&lt;/p&gt;&lt;p&gt;&lt;img src="portfolio:artefact20" alt="Ward photo"&gt;&lt;/p&gt;&lt;ul&gt;&lt;li&gt;one&lt;/li&gt;&lt;li&gt;two&lt;/li&gt;&lt;/ul&gt;</content>
        <rdf:type rdf:resource="{tp}:entry"/>
        <mahara:artefactplugin mahara:type="blogpost" mahara:plugin="blog"/>
        <link rel="{lp}:is_part_of" href="portfolio:artefact10"/>
        <link rel="{lp}:is_evidence_of" href="portfolio:artefact30"/>
        <category term="teamwork"/>
        <category term="placement"/>
    </entry>
    <entry>
        <title>An XHTML post</title>
        <id>portfolio:artefact12</id>
        <updated>2026-03-10T09:00:00Z</updated>
        <published>2026-03-10T09:00:00Z</published>
        <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Plain <em>xhtml</em> body.</p></div></content>
        <rdf:type rdf:resource="{tp}:entry"/>
        <mahara:artefactplugin mahara:type="blogpost" mahara:plugin="blog"/>
        <link rel="{lp}:is_part_of" href="portfolio:artefact10"/>
        <link rel="enclosure" href="portfolio:artefact22"/>
    </entry>
    <entry>
        <title>reading-notes.txt</title>
        <id>portfolio:artefact22</id>
        <updated>2026-03-10T08:00:00Z</updated>
        <content type="text">Notes</content>
        <rdf:type rdf:resource="{tp}:resource"/>
        <link rel="enclosure" href="files/22-reading-notes.txt" type="text/plain" length="5"/>
        <mahara:artefactplugin mahara:type="file" mahara:plugin="file"/>
    </entry>
    <entry>
        <title>ward-photo.png</title>
        <id>portfolio:artefact20</id>
        <updated>2026-03-02T18:00:00+01:00</updated>
        <published>2026-03-02T18:00:00+01:00</published>
        <content type="text">The ward at night</content>
        <rdf:type rdf:resource="{tp}:resource"/>
        <category term="Offline" scheme="categories:resource_type#"/>
        <link rel="enclosure" href="files/20-ward-photo.png" type="image/png" length="100"/>
        <mahara:artefactplugin mahara:type="image" mahara:plugin="file"/>
    </entry>
    <entry>
        <title>care-plan.pdf</title>
        <id>portfolio:artefact21</id>
        <updated>2026-04-12T12:00:00+02:00</updated>
        <published>2026-04-12T12:00:00+02:00</published>
        <content type="text">My care plan assignment</content>
        <rdf:type rdf:resource="{tp}:resource"/>
        <category term="Offline" scheme="categories:resource_type#"/>
        <category term="assignment"/>
        <link rel="enclosure" href="files/21-care-plan.pdf" type="application/pdf" length="9"/>
        <link rel="{lp}:is_evidence_of" href="portfolio:artefact30"/>
        <mahara:artefactplugin mahara:type="file" mahara:plugin="file"/>
    </entry>
    <entry>
        <title>Teamwork</title>
        <id>portfolio:artefact30</id>
        <updated>2026-03-02T18:00:00+01:00</updated>
        <content type="text">Working with others</content>
        <rdf:type rdf:resource="{tp}:ability"/>
    </entry>
    <entry>
        <title>Juggling</title>
        <id>portfolio:artefact31</id>
        <updated>2026-03-02T18:00:00+01:00</updated>
        <content type="text">Three balls</content>
        <rdf:type rdf:resource="{tp}:ability"/>
    </entry>
    <entry>
        <title>Semester plan</title>
        <id>portfolio:artefact40</id>
        <updated>2026-02-01T10:00:00+01:00</updated>
        <published>2026-02-01T10:00:00+01:00</published>
        <content type="text">What I want to do this term</content>
        <rdf:type rdf:resource="{tp}:plan"/>
        <mahara:artefactplugin mahara:type="plan" mahara:plugin="plans"/>
        <link rel="{lp}:has_part" href="portfolio:artefact41"/>
        <link rel="{lp}:has_part" href="portfolio:artefact42"/>
        <category term="planning"/>
    </entry>
    <entry>
        <title>Finish the first-aid course</title>
        <id>portfolio:artefact41</id>
        <updated>2026-02-01T10:00:00+01:00</updated>
        <content type="text">Red Cross course</content>
        <rdf:type rdf:resource="{tp}:plan"/>
        <link rel="{lp}:is_part_of" href="portfolio:artefact40"/>
        <{lp}:date {lp}:point="target">2026-04-30T00:00:00+02:00</{lp}:date>
        <category term="Completed" scheme="categories:completion#"/>
    </entry>
    <entry>
        <title>Read two articles on handovers</title>
        <id>portfolio:artefact42</id>
        <updated>2026-02-01T10:00:00+01:00</updated>
        <content type="text"></content>
        <rdf:type rdf:resource="{tp}:plan"/>
        <link rel="{lp}:is_part_of" href="portfolio:artefact40"/>
    </entry>
    <entry>
        <title>First aid certificate</title>
        <id>portfolio:artefact50</id>
        <updated>2026-04-30T10:00:00+02:00</updated>
        <content type="html">&lt;p&gt;Issued by the Red Cross&lt;/p&gt;</content>
        <rdf:type rdf:resource="{tp}:achievement"/>
        <{lp}:date {lp}:point="start">2026-04-30</{lp}:date>
        <mahara:artefactplugin mahara:type="certification" mahara:plugin="resume"/>
    </entry>
    <entry>
        <title>Care assistant</title>
        <id>portfolio:artefact51</id>
        <updated>2025-09-01T10:00:00+02:00</updated>
        <content type="text">Weekend shifts</content>
        <rdf:type rdf:resource="{tp}:activity"/>
        <{lp}:date {lp}:point="start">2025-09-01</{lp}:date>
        <category term="City Hospital" scheme="categories:organization#"/>
        <mahara:artefactplugin mahara:type="employmenthistory" mahara:plugin="resume"/>
    </entry>
    <entry>
        <title>My placement page</title>
        <id>portfolio:view5</id>
        <updated>2026-05-01T10:00:00+02:00</updated>
        <content type="html">&lt;p&gt;A page&lt;/p&gt;</content>
        <rdf:type rdf:resource="{tp}:selection"/>
        <category term="Webpage" scheme="categories:selection_type#"/>
    </entry>
</feed>
"""

PHOTO = png_bytes((10, 20, 30))
PDF = b"%PDF-1.4\n%%EOF\n"


def mahara_zip(tmp_path: Path, form: str) -> Path:
    values = dict(FORMS[form])
    values["types_decl"] = "" if values["tp"] == values["lp"] else f'xmlns:{values["tp"]}="{values["types"]}"'
    xml = MAHARA_XML.format(**values)
    path = tmp_path / f"mahara-{form}.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("leap2a.xml", xml)
        archive.writestr("files/20-ward-photo.png", PHOTO)
        archive.writestr("files/21-care-plan.pdf", PDF)
        archive.writestr("files/22-reading-notes.txt", "notes")
    return path


def front(path: Path) -> tuple[dict, str]:
    text = path.read_text()
    _, meta, body = text.split("---\n", 2)
    return yaml.safe_load(meta), body.strip()


def test_normalise_removes_web_archive_prefix():
    assert (
        normalise("https://web.archive.org/web/2015/http://terms.leapspecs.org/")
        == "http://terms.leapspecs.org/"
    )
    assert normalise("http://terms.leapspecs.org/") == "http://terms.leapspecs.org/"


def test_html_is_sanitised_and_converted():
    md = html_to_markdown(
        '<h2>Title</h2><p onclick="x()">A <b>bold</b> <a href="javascript:evil()">bad</a>'
        '</p><script>alert(1)</script><iframe src="https://x"></iframe>'
    )
    assert md.startswith("## Title") and "**bold**" in md
    assert "alert" not in md and "javascript" not in md and "onclick" not in md and "iframe" not in md


@pytest.mark.parametrize("form", list(FORMS))
def test_mahara_export_is_converted(tmp_path, form):
    dest = tmp_path / "imported"
    report = import_leap2a(mahara_zip(tmp_path, form), dest)
    assert (report.journal, report.plans, report.artefacts, report.files, report.resume) == (2, 1, 1, 3, 2)
    config = yaml.safe_load((dest / "portfolio.yaml").read_text())
    assert config["author"]["name"] == "Maria Imported" and config["default_visibility"] == "private"
    assert config["author"]["headline"] == "Nursing student"

    meta, body = front(dest / "journal/2026-03-02-working-in-a-ward-team.md")
    assert meta["title"] == "Working in a ward team" and meta["date"] == "2026-03-02 18:30"
    assert meta["course"] == "My learning blog"
    assert meta["tags"] == ["teamwork", "placement"] and meta["skills"] == ["teamwork"]
    assert "Today I **led** the handover." in body
    assert "[the guide](https://example.org/guide)" in body
    assert "alert" not in body and "steal" not in body
    assert "- one\n- two" in body
    assert "![Ward photo](ward-photo.png)" in body
    assert (dest / "journal/ward-photo.png").read_bytes() == PHOTO

    _, xhtml = front(dest / "journal/2026-03-10-an-xhtml-post.md")
    assert xhtml == "Plain *xhtml* body.\n\nAttachments:\n\n- [reading-notes.txt](reading-notes.txt)"
    assert (dest / "journal/reading-notes.txt").read_text() == "notes"

    plan_meta, plan = front(dest / "journal/2026-02-01-semester-plan.md")
    assert plan_meta["kind"] == "plan" and plan_meta["tags"] == ["planning"]
    assert "- [x] Finish the first-aid course (by 2026-04-30)" in plan
    assert "- [ ] Read two articles on handovers" in plan

    assert not (dest / "artefacts/ward-photo-png").exists()  # only used inside a post
    art_meta, art_body = front(dest / "artefacts/care-plan-pdf/index.md")
    assert art_meta["title"] == "care-plan.pdf" and art_meta["date"] == "2026-04-12"
    assert art_meta["type"] == "document" and art_meta["media"] == ["care-plan.pdf"]
    assert art_meta["tags"] == ["assignment"] and art_meta["skills"] == ["teamwork"]
    assert art_body == "My care plan assignment"
    assert (dest / "artefacts/care-plan-pdf/care-plan.pdf").read_bytes() == PDF
    about = (dest / "about.md").read_text()
    assert "**First aid certificate** (2026-04-30)" in about
    assert "**Care assistant**, City Hospital (2025-09-01)" in about

    skipped = "\n".join(report.skipped)
    assert "ability 'Juggling' not converted" in skipped
    assert "My placement page" not in skipped  # a page becomes an artefact
    assert all(line.startswith("leap2a.xml:") for line in report.skipped)
    page_meta, page = front(dest / "artefacts/my-placement-page/index.md")
    assert page_meta["type"] == "other" and page == "A page"

    problems = Problems()
    portfolio = load_portfolio(dest, problems)
    assert not problems.errors, [str(p) for p in problems.errors]
    assert len(portfolio.journal) == 3 and len(portfolio.artefacts) == 2


def test_import_command_reports_and_refuses_non_empty_folder(tmp_path, capsys):
    zip_path = mahara_zip(tmp_path, "web-archive")
    assert main(["import", "leap2a", str(zip_path), str(tmp_path / "new")]) == 0
    captured = capsys.readouterr()
    assert (
        "imported 2 journal entries, 1 plans, 1 artefacts (3 files), 1 pages, 2 résumé items" in captured.out
    )
    assert ": ability 'Juggling' not converted" in captured.err
    assert main(["import", "leap2a", str(zip_path), str(tmp_path / "new")]) == 1
    assert "the destination must be a new or empty folder" in capsys.readouterr().err


def test_broken_exports_are_one_line_errors(tmp_path, capsys):
    not_zip = tmp_path / "x.zip"
    not_zip.write_text("hello")
    assert main(["import", "leap2a", str(not_zip), str(tmp_path / "a")]) == 1
    assert "x.zip:1: not a readable zip file" in capsys.readouterr().err
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("leap2a.xml", "<feed xmlns='http://www.w3.org/2005/Atom'>\n<entry>\n</feed>")
    assert main(["import", "leap2a", str(bad), str(tmp_path / "b")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("leap2a.xml:3: not well-formed XML") and "Traceback" not in err


def test_zip_paths_cannot_escape(tmp_path):
    path = tmp_path / "evil.zip"
    xml = MAHARA_XML.format(**FORMS["2010-07"], types_decl="").replace(
        "files/20-ward-photo.png", "../../evil.png"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("leap2a.xml", xml)
        archive.writestr("../../evil.png", PHOTO)
    report = import_leap2a(path, tmp_path / "out" / "dest")
    assert not (tmp_path / "evil.png").exists() and not (tmp_path / "out" / "evil.png").exists()
    assert any("missing from the zip" in line for line in report.skipped)


def test_round_trip_export_then_import_keeps_content(tmp_path):
    source = make_portfolio(tmp_path / "folio", badges=False)
    zip_path = tmp_path / "export.zip"
    assert main(["export", str(source), "--format", "leap2a", "-o", str(zip_path)]) == 0
    dest = tmp_path / "back"
    import_leap2a(zip_path, dest)

    original_problems, back_problems = Problems(), Problems()
    original = load_portfolio(source, original_problems)
    back = load_portfolio(dest, back_problems)
    assert not back_problems.errors, [str(p) for p in back_problems.errors]

    public = [i for i in original.items if i.visibility == "public" and not i.draft]

    def key(item):
        return (item.section, item.slug)

    originals = {key(i): i for i in public}
    imported = {key(i): i for i in back.items}
    assert set(imported) == set(originals)
    for k, item in originals.items():
        copy = imported[k]
        assert copy.title == item.title
        assert copy.day == item.day
        assert copy.tags == item.tags
        assert copy.skill_ids == item.skill_ids
        assert [c.evidence for c in copy.skills] == [c.evidence for c in item.skills]
        assert " ".join(copy.body.plain.split()) == " ".join(item.body.plain.split())
        if item.section == "journal":
            assert copy.kind == item.kind
        else:
            assert copy.type == item.type
            assert [m.path.read_bytes() for m in copy.media] == [m.path.read_bytes() for m in item.media]


def test_reported_titles_are_on_one_line(tmp_path):
    path = tmp_path / "titles.zip"
    xml = MAHARA_XML.format(**FORMS["2010-07"], types_decl="").replace(
        "My placement page", "My&#10;placement&#x202E;page"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("leap2a.xml", xml)
    report = import_leap2a(path, tmp_path / "dest")
    assert any("selection 'My placement\\u202epage' → artefacts/" in line for line in report.converted)
    assert not any(char in line for line in report.skipped + report.converted for char in "\n\u202e")
