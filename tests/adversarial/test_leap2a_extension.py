"""The elenefolio: extension of Leap2A exports.

Export: a public export carries the portfolio's own files (front matter, Markdown,
settings, agenda, rounds) so that it imports back; none of them may carry what the public
site does not show. Import: the extension says where to write each file; a crafted export
must not write outside the portfolio's own places (hidden files such as .git hooks,
templates, parent folders)."""

from __future__ import annotations

import zipfile

import pytest
from attack_support import CANARY, cli, md, portfolio, settings

EXT = "https://elenefolio.org/ns/leap2a-extension#"


def export_bytes(root, tmp_path, *extra) -> bytes:
    out = tmp_path / "export.zip"
    run = cli("export", root, "--format", "leap2a", "-o", out, *extra)
    assert run.code == 0, run.err
    with zipfile.ZipFile(out) as archive:
        return b"".join(
            archive.namelist()[i].encode() + archive.read(name) for i, name in enumerate(archive.namelist())
        )


def test_public_export_carries_no_private_slug_comment_email_round_or_agenda(tmp_path):
    root = portfolio(
        tmp_path / "folio",
        {
            "portfolio.yaml": settings(
                author={"name": "Ada Tester", "email": f"{CANARY}@example.org"},
                self_assessment={"visibility": "private"},
            ),
            # a public entry whose front matter has a comment and whose body links to a private entry
            "journal/2026-03-01-first.md": "---\ntitle: First\ndate: 2026-03-01\n"
            f"# note to self: {CANARY}-comment\n---\n\n"
            f"Read [my notes](2026-03-02-{CANARY}-slug.md) and "
            f"[again][ref].\n\n[ref]: 2026-03-02-{CANARY}-slug.md\n",
            f"journal/2026-03-02-{CANARY}-slug.md": md("Private", "Secret text.", visibility="private"),
            "about.md": f"About me. See [this]({'journal/2026-03-02-' + CANARY + '-slug.md'}).\n",
            "assessments/2026-03-01-start.yaml": f"notes: {CANARY}-round\nskills:\n  teamwork: [3, 3, 3]\n",
            "agenda.yaml": "goals:\n  - skill: teamwork\n    target: 4\n    by: 2026-06-30\n"
            f"    why: {CANARY}-agenda\n",
        },
    )
    data = export_bytes(root, tmp_path)
    assert EXT.encode() in data and b"First" in data
    assert CANARY.encode() not in data
    # the same export, private, carries them all: the scan is not blind
    private = export_bytes(root, tmp_path, "--private")
    for needle in ("-slug", "-round", "-agenda", "@example.org"):
        assert f"{CANARY}{needle}".encode() in private, needle


@pytest.mark.slow  # an export and an import: seconds
def test_public_agenda_loses_links_to_entries_it_does_not_carry(tmp_path):
    root = portfolio(
        tmp_path / "folio",
        {
            "portfolio.yaml": settings(self_assessment={"visibility": "public"}),
            f"journal/2026-03-02-{CANARY}.md": md("Private", visibility="private"),
            "agenda.yaml": "actions:\n  - title: A course\n    type: course\n    status: done\n"
            f"    journal: [2026-03-01-first, 2026-03-02-{CANARY}]\n",
        },
    )
    data = export_bytes(root, tmp_path)
    assert b"2026-03-01-first" in data and CANARY.encode() not in data
    back = tmp_path / "back"
    assert cli("import", "leap2a", tmp_path / "export.zip", back).code == 0
    assert cli("build", back, "-q").code == 0  # the agenda still names only entries that exist


def crafted(tmp_path, files: list[tuple[str, str | None, str]], items: list[str]) -> object:
    """A zip whose extension names ``files`` (path, href or None, text) and ``items`` (paths)."""
    parts = []
    for path, href, text in files:
        attr = f' href="{href}"' if href else ""
        parts.append(f'<e:file path="{path}"{attr}><![CDATA[{text}]]></e:file>')
    entries = "".join(
        f'<entry><id>x:{n}</id><title>T{n}</title><e:item path="{path}"><e:front-matter>'
        f"<![CDATA[title: T{n}\ndate: 2026-03-01\n]]></e:front-matter><e:markdown>Text.</e:markdown>"
        "</e:item></entry>"
        for n, path in enumerate(items)
    )
    xml = (
        f'<feed xmlns="http://www.w3.org/2005/Atom" xmlns:e="{EXT}"><title>x</title>'
        f'<e:portfolio version="1">{"".join(parts)}</e:portfolio>{entries}</feed>'
    )
    path = tmp_path / "crafted.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("leap2a.xml", xml)
        archive.writestr("files/hook", "#!/bin/sh\necho owned\n")
    return path


@pytest.mark.slow  # an export and an import: seconds
def test_import_writes_only_into_the_portfolio_places(tmp_path):
    zip_path = crafted(
        tmp_path,
        [
            ("portfolio.yaml", None, settings()),
            ("portfolio.yaml", None, settings(title="Second")),  # twice: the first stays
            (".git/hooks/post-checkout", "files/hook", ""),
            ("journal/.git/hooks/pre-commit", "files/hook", ""),
            ("../escape.yaml", None, "x: 1"),
            ("/tmp/absolute.yaml", None, "x: 1"),
            ("templates/base.html", "files/hook", ""),
            ("themes/evil/x.yaml", None, "x: 1"),
            ("static/page.html", None, "<script>alert(1)</script>"),  # text only for Markdown and YAML
            ("journal/a/../../../up.yaml", None, "x: 1"),
            ("static/ok.txt", "files/hook", ""),
            ("static/ok.txt/under-a-file.yaml", None, "x: 1"),  # a file where a folder would be
        ],
        ["journal/2026-03-01-ok.md", "../../outside.md", "static/item.md", "journal/.hidden.md"],
    )
    dest = tmp_path / "out" / "dest"
    run = cli("import", "leap2a", zip_path, dest)
    assert run.code == 0, run.err
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert written == [
        "crafted.zip",
        "out/dest/journal/2026-03-01-ok.md",
        "out/dest/portfolio.yaml",
        "out/dest/static/ok.txt",
    ]
    assert "Second" not in (dest / "portfolio.yaml").read_text()
    refused = [line for line in run.lines if "not restored" in line]
    assert len(refused) == 13, run.err
    assert all(line.startswith("leap2a.xml:") for line in refused)
    assert cli("build", dest, "-q").code == 0


def test_import_of_an_export_with_raw_html_says_so(tmp_path):
    zip_path = crafted(
        tmp_path, [("portfolio.yaml", None, settings(allow_html=True))], ["journal/2026-03-01-ok.md"]
    )
    run = cli("import", "leap2a", zip_path, tmp_path / "dest")
    assert run.code == 0
    assert any(line.startswith("portfolio.yaml:1: note: 'allow_html: true'") for line in run.lines)
