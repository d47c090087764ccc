"""Leap2A round trip: export → import gives back the same portfolio.

The example portfolio is exported privately (everything, drafts too), imported into A,
A is exported and imported into B: A and B are the same files, and the sites built from
the example and from A are the same bytes, public and private."""

from __future__ import annotations

import zipfile

import pytest
from lxml import etree

from elenefolio.cli import main

EXT = "https://elenefolio.org/ns/leap2a-extension#"
ATOM, LEAP2 = "{http://www.w3.org/2005/Atom}", "{http://terms.leapspecs.org/}"


def tree(folder):
    """The portfolio's own files (not what builds leave in it: the cache, the outputs)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.relative_to(folder).parts[0] not in (".elenefolio-cache", "_site", "_private")
    }


def export(root, out, *extra):
    assert main(["export", str(root), "--format", "leap2a", "-o", str(out), *extra]) == 0
    return out


def build(root, out, *extra):
    """The built site's files, shared pages decrypted (each build encrypts them afresh)."""
    from conftest import unsealed

    assert main(["build", str(root), "-o", str(out), "--no-cache", "-q", *extra]) == 0
    return unsealed(tree(out))


@pytest.fixture(scope="module")
def trip(example_copy, tmp_path_factory):
    work = tmp_path_factory.mktemp("trip")
    first = export(example_copy, work / "example.zip", "--private")
    a = work / "A"
    assert main(["import", "leap2a", str(first), str(a)]) == 0
    second = export(a, work / "a.zip", "--private")
    b = work / "B"
    assert main(["import", "leap2a", str(second), str(b)]) == 0
    return example_copy, a, b, work


def test_export_of_the_import_imports_to_the_same_files(trip):
    _, a, b, _ = trip
    files_a, files_b = tree(a), tree(b)
    assert sorted(files_a) == sorted(files_b)
    assert [name for name in files_a if files_a[name] != files_b[name]] == []


def test_import_restores_every_source_file(trip):
    """The same files as the example (YAML written again as data: comments are not kept)."""
    example, a, _, _ = trip
    assert sorted(tree(example)) == sorted(tree(a))
    for name, data in tree(example).items():
        if not name.endswith((".yaml", ".md")):
            assert (a / name).read_bytes() == data, name


@pytest.mark.slow  # two builds of the example for each audience: seconds
@pytest.mark.parametrize("audience", [(), ("--private",), ("--private", "--drafts")])
def test_sites_of_the_example_and_of_its_import_are_the_same_bytes(trip, audience):
    example, a, _, work = trip
    name = "-".join(audience) or "public"
    original = build(example, work / f"site-example{name}", *audience)
    imported = build(a, work / f"site-a{name}", *audience)
    assert sorted(original) == sorted(imported)
    assert [path for path in original if original[path] != imported[path]] == []


def test_private_export_carries_drafts_and_the_extension(trip):
    _, _, _, work = trip
    with zipfile.ZipFile(work / "example.zip") as archive:
        root = etree.fromstring(archive.read("leap2a.xml"))
    assert root.nsmap["elenefolio"] == EXT
    paths = [f.get("path") for f in root.iter(f"{{{EXT}}}file")]
    assert {
        "portfolio.yaml",
        "about.md",
        "agenda.yaml",
        "static/images/portrait.png",
        "artefacts/physics-group-video/poster.jpg",
        "badges/teamwork-online.png",
    } <= set(paths)
    assert any(p.startswith("assessments/") for p in paths)
    items = {i.get("path"): i for i in root.iter(f"{{{EXT}}}item")}
    draft = items["journal/2026-06-24-a-portfolio-for-internship-applications.md"]
    entry = draft.getparent()
    assert ("Unready", "categories:readiness#") in [
        (c.get("term"), c.get("scheme")) for c in entry.findall(f"{ATOM}category")
    ]


def test_public_export_of_the_example_has_no_email_badge_file_or_draft(trip):
    example, _, _, work = trip
    public = export(example, work / "public.zip")
    with zipfile.ZipFile(public) as archive:
        names = archive.namelist()
        data = b"".join(archive.read(name) for name in names)
    assert b"lucia.ortega@example.org" not in data
    assert not [name for name in names if "badges/" in name]
    assert b"a-portfolio-for-internship-applications" not in data  # the draft
    root = etree.fromstring(data[: data.index(b"</feed>") + 7])
    person = next(e for e in root.iter(f"{ATOM}entry") if e.findtext(f"{ATOM}id") == "portfolio:person")
    fields = [p.get(f"{LEAP2}field") for p in person.iter(f"{LEAP2}persondata")]
    assert fields == ["full_name", "other", "website", "website"]
    assert ("Self", "categories:person_type#") in [
        (c.get("term"), c.get("scheme")) for c in person.findall(f"{ATOM}category")
    ]
