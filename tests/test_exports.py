"""Exports: JSON Resume (against the official schema), portfolio.json and Leap2A."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from interop_helpers import BASE_URL, EMAIL, NAME, PRIVATE_CANARIES, make_portfolio
from lxml import etree

from elenefolio.cli import main

SCHEMA = json.loads((Path(__file__).parent / "data/jsonresume-schema.json").read_text())
EXAMPLE = Path(__file__).resolve().parent.parent / "example-portfolio"
NS = {
    "a": "http://www.w3.org/2005/Atom",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "leap2": "http://terms.leapspecs.org/",
}


def validate_resume(data: dict) -> None:
    import jsonschema

    validator = jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory):
    return make_portfolio(tmp_path_factory.mktemp("exports") / "folio")


def export(tmp_path, root, fmt, *extra) -> Path:
    out = tmp_path / {"json-resume": "resume.json", "json": "portfolio.json", "leap2a": "export.zip"}[fmt]
    assert main(["export", str(root), "--format", fmt, "-o", str(out), *extra]) == 0
    return out


def assert_no_secrets(data: bytes, where: str, allow_private: bool = False) -> None:
    assert EMAIL.encode() not in data, where
    assert b"ada.secret" not in data, where
    if not allow_private:
        for canary in PRIVATE_CANARIES:
            assert canary.encode() not in data, (canary, where)


def test_schema_rejects_what_it_should():
    """The vendored schema is the real one: unknown top-level keys are refused."""
    import jsonschema

    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"basics": {"name": "x"}, "x-extra": 1}, SCHEMA)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"projects": [{"startDate": "March 2026"}]}, SCHEMA)


def test_json_resume_is_valid_and_public_only(portfolio, tmp_path):
    path = export(tmp_path, portfolio, "json-resume")
    raw = path.read_bytes()
    assert_no_secrets(raw, "resume.json")
    data = json.loads(raw)
    validate_resume(data)
    assert data["basics"]["name"] == NAME and "email" not in data["basics"]
    assert data["basics"]["url"] == BASE_URL
    assert data["basics"]["profiles"] == [
        {"network": "Github", "url": "https://github.com/ada-canary", "username": "ada-canary"}
    ]
    project = data["projects"][0]
    assert project["name"] == "Science poster" and project["roles"] == ["designer"]
    assert project["url"] == BASE_URL + "artefacts/poster/"
    assert project["highlights"] == ["I explained the result to visitors."]
    assert {k for s in data["skills"] for k in s["keywords"]} >= {"Teamwork", "Communication"}
    awards = {a["title"]: a for a in data["awards"]}
    assert set(awards) == {
        "Teamwork Badge",
        "Plain Recipient SVG Badge",
        "Credential PNG Badge",
        "Expired SVG Credential",
        "Someone Else's Badge",
    }
    assert awards["Teamwork Badge"]["awarder"] == "Example Open University"
    assert "Expired on 2026-01-31" in awards["Expired SVG Credential"]["summary"]
    assert "education" not in data  # the course is a MOOC: a certificate, once
    assert data["certificates"] == [
        {
            "name": "Teamwork MOOC",
            "date": "2026-01-10",
            "issuer": "mooc.example.org",
            "url": "https://mooc.example.org/teamwork",
        }
    ]
    extension = data["meta"]["elenefolio"]
    titles = [e["title"] for e in extension["evidence"]]
    assert "Science poster" in titles and "Plan for spring" in titles
    assert "Unlisted note" not in titles
    assert "selfAssessment" not in extension  # only when the portfolio has assessment rounds


def test_json_resume_private_includes_private_items(portfolio, tmp_path):
    data = json.loads(export(tmp_path, portfolio, "json-resume", "--private").read_text())
    validate_resume(data)
    titles = [e["title"] for e in data["meta"]["elenefolio"]["evidence"]]
    assert "PRIVATE-CANARY-TITLE" in titles and "Unlisted note" in titles
    assert "PRIVATE-BADGE-CANARY" in [a["title"] for a in data["awards"]]
    assert EMAIL not in json.dumps(data)


def test_example_portfolio_json_resume_is_valid(tmp_path):
    data = json.loads(export(tmp_path, EXAMPLE, "json-resume").read_text())
    validate_resume(data)
    assert data["awards"] and all(a.get("date") for a in data["awards"])
    assert "lucia.ortega@example.org" not in json.dumps(data)


def test_json_resume_courses_location_and_keywords(tmp_path):
    """Only completed courses and MOOCs, each once; planned ones and those only a plan names are
    left out; an empty location object; skills' keywords are the framework's names, or with
    --keywords evidence, the titles of each skill's evidence."""
    import shutil

    root = tmp_path / "example"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("_site", "_private", ".*"))
    with (root / "agenda.yaml").open("a") as agenda:
        agenda.write(
            "  - title: Planned Course On Rhetoric\n    type: course\n    status: planned\n"
            "  - title: Half-done MOOC\n    type: mooc\n    status: in-progress\n"
        )
    (root / "journal/2026-03-30-plans.md").write_text(
        "---\ntitle: Plans\ndate: 2026-03-30\nkind: plan\nvisibility: public\n"
        "course: A Course I Only Plan\nresources:\n  - {title: Half-done MOOC (FutureLearn), "
        "url: https://example.org/m, type: mooc}\n---\nLater.\n"
    )
    data = json.loads(export(tmp_path, root, "json-resume").read_text())
    validate_resume(data)
    assert data["basics"]["location"] == {}
    names = [e["area"] for e in data.get("education", [])] + [c["name"] for c in data["certificates"]]
    assert len(names) == len({n.lower() for n in names})
    assert "Teamwork Skills: Communicating Effectively in Groups" in names
    assert not {"Planned Course On Rhetoric", "Half-done MOOC", "A Course I Only Plan"} & set(names)
    assert not [n for n in names if "(Coursera)" in n]  # the journal's name of an agenda MOOC: once
    keywords = {k for s in data["skills"] for k in s["keywords"]}
    assert "Teamwork" in keywords and "Why does the pendulum forget? Our group film" not in keywords
    by_evidence = json.loads(export(tmp_path, root, "json-resume", "--keywords", "evidence").read_text())
    validate_resume(by_evidence)
    teamwork = next(s for s in by_evidence["skills"] if s["name"] == "Teamwork")
    assert "Why does the pendulum forget? Our group film" in teamwork["keywords"]
    assert len(teamwork["keywords"]) == len(set(teamwork["keywords"]))


def test_manifest_json(portfolio, tmp_path, capsys):
    assert main(["export", str(portfolio), "--format", "json"]) == 0
    raw = capsys.readouterr().out.encode()
    assert_no_secrets(raw, "portfolio.json")
    data = json.loads(raw)
    assert data["profile"]["name"] == NAME
    badges = {b["name"]: b for b in data["badges"]}
    teamwork = badges["Teamwork Badge"]
    assert teamwork["status"] == "confirmed" and teamwork["skills"] == ["teamwork"]
    assert teamwork["image"] == BASE_URL + "badges/teamwork.png"
    assert teamwork["evidence"] == [
        BASE_URL + "journal/2026-01-10-first-steps/",
        BASE_URL + "artefacts/poster/",
    ]
    assert badges["Someone Else's Badge"]["status"] == "not-matched"
    skills = {s["id"]: s for s in data["skills"]}
    assert skills["teamwork"]["badges"] == ["teamwork"]
    assert skills["teamwork"]["esco"] == "http://data.europa.eu/esco/skill/T4.3"
    assert all(e["url"].startswith(BASE_URL) for e in data["evidence"])


def _leap(zip_path: Path):
    with zipfile.ZipFile(zip_path) as archive:
        names = archive.namelist()
        members = {n: archive.read(n) for n in names}
    return etree.fromstring(members["leap2a.xml"]), members


def _types(root) -> dict[str, list]:
    out: dict[str, list] = {}
    for entry in root.findall("a:entry", NS):
        kind = entry.find("rdf:type", NS).get(f"{{{NS['rdf']}}}resource")
        out.setdefault(kind, []).append(entry)
    return out


def test_leap2a_zip_is_shaped_like_mahara_and_public_only(portfolio, tmp_path):
    root, members = _leap(export(tmp_path, portfolio, "leap2a"))
    for name, data in members.items():
        assert_no_secrets(data, name)
    assert root.find("leap2:version", NS).text == "http://www.leapspecs.org/2010-07/2A/"
    assert root.nsmap["leap2"] == "http://terms.leapspecs.org/"
    assert root.nsmap["categories"] == "http://wiki.leapspecs.org/2A/categories/"
    types = _types(root)
    posts = {e.find("a:title", NS).text: e for e in types["leap2:entry"]}
    assert set(posts) == {"First steps </script><script>alert(1)</script>", "Plan for spring"}
    first = posts["First steps </script><script>alert(1)</script>"]
    assert first.find("a:published", NS).text == "2026-01-10T00:00:00Z"
    assert [c.get("term") for c in first.findall("a:category", NS) if c.get("scheme") is None] == [
        "alpha",
        "group work",
    ]
    content = first.find("a:content", NS)
    assert content.get("type") == "xhtml"
    div = content.find("{http://www.w3.org/1999/xhtml}div")
    html = etree.tostring(div, encoding="unicode")
    assert "<strong>start</strong>" in html and 'href="https://example.org/page"' in html
    evidence_of = [
        l.get("href") for l in first.findall("a:link", NS) if l.get("rel") == "leap2:is_evidence_of"
    ]
    assert evidence_of == ["portfolio:skill/teamwork", "portfolio:skill/communication"]
    selection = types["leap2:selection"][0]
    assert [l.get("href") for l in selection.findall("a:link", NS)] == [
        "portfolio:journal/2026-01-10-first-steps",
        "portfolio:journal/2026-01-20-plan-for-spring",
    ]
    resources = {e.find("a:title", NS).text: e for e in types["leap2:resource"]}
    poster_file = resources["poster.png"]
    enclosure = poster_file.find("a:link[@rel='enclosure']", NS)
    assert enclosure.get("href") == "files/poster/poster.png" and enclosure.get("type") == "image/png"
    assert members["files/poster/poster.png"] == (portfolio / "artefacts/poster/poster.png").read_bytes()
    abilities = {e.find("a:title", NS).text: e for e in types["leap2:ability"]}
    teamwork = abilities["Teamwork"]
    assert "portfolio:journal/2026-01-10-first-steps" in [
        l.get("href") for l in teamwork.findall("a:link", NS) if l.get("rel") == "leap2:has_evidence"
    ]
    assert {e.find("a:title", NS).text for e in types["leap2:achievement"]} >= {"Teamwork Badge"}


def test_leap2a_private_export_includes_private_items(portfolio, tmp_path):
    root, _ = _leap(export(tmp_path, portfolio, "leap2a", "--private"))
    titles = {e.find("a:title", NS).text for e in root.findall("a:entry", NS)}
    assert "PRIVATE-CANARY-TITLE" in titles and "PRIVATE-ARTEFACT-CANARY" in titles


def test_export_of_a_broken_portfolio_reports_problems(tmp_path, capsys):
    root = make_portfolio(tmp_path / "folio", badges=False)
    (root / "journal/2026-01-10-first-steps.md").write_text("no front matter\n")
    assert main(["export", str(root), "--format", "json"]) == 1
    err = capsys.readouterr().err
    assert "journal/2026-01-10-first-steps.md:1: missing front matter" in err
    assert "Traceback" not in err


def test_agenda_and_assessment_history_are_exported(tmp_path):
    """The example's public agenda becomes a Leap2A plan with one task per action, and its
    public self-assessment rounds go to the JSON Resume extension and portfolio.json."""
    import shutil

    import yaml

    from elenefolio.export.jsonresume import build_resume
    from elenefolio.export.leap2a import build_leap2a
    from elenefolio.export.manifest import build_manifest
    from elenefolio.pipeline import load_site

    root = tmp_path / "example"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("_site", "_private", ".elenefolio-cache"))
    site, _ = load_site(root)
    agenda = yaml.safe_load((root / "agenda.yaml").read_text())
    xml, _ = build_leap2a(site)
    tree = etree.fromstring(xml)
    plans = {
        e.find("a:title", NS).text: e
        for e in tree.findall("a:entry", NS)
        if e.find("rdf:type", NS).get(f"{{{NS['rdf']}}}resource") == "leap2:plan"
    }
    assert set(plans) == {"Learning agenda"} | {a["title"] for a in agenda["actions"]}
    parts = [l.get("href") for l in plans["Learning agenda"].findall("a:link", NS)]
    assert parts == [f"portfolio:agenda/{n}" for n in range(1, len(agenda["actions"]) + 1)]

    rounds = sorted(p.stem for p in (root / "assessments").glob("*.yaml"))
    resume = build_resume(site)
    validate_resume(resume)
    history = resume["meta"]["elenefolio"]["selfAssessment"]
    assert [h["date"] for h in history] == [r[:10] for r in rounds]
    assert all(
        h["levels"] and h["url"].startswith(site.config.base_url + "self-assessment/") for h in history
    )
    assert build_manifest(site)["assessments"] == history

    private_rounds = root / "assessments"
    for path in private_rounds.glob("*.yaml"):  # rounds made private leave every export
        path.write_text(
            path.read_text().replace("visibility: public", "visibility: private")
            + ("" if "visibility:" in path.read_text() else "visibility: private\n")
        )
    (root / "portfolio.yaml").write_text(
        (root / "portfolio.yaml").read_text().replace("visibility: public", "visibility: private")
    )
    site, _ = load_site(root)
    assert "selfAssessment" not in build_resume(site)["meta"]["elenefolio"]
    assert build_manifest(site)["assessments"] == []
