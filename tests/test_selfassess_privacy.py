"""Privacy of self-assessment: rounds and the agenda are private unless made public.

Canary strings in private rounds and a private agenda must not appear in any
byte of the public build, and nothing derived from them (levels, charts,
priorities, statuses, pages, navigation) either; the --private build has them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from selfassess_helpers import entry, portfolio, write

from elenefolio.pipeline import BuildOptions, build

CANARIES = (
    "CANARY-ROUND-NOTE",
    "CANARY-SKILL-NOTE",
    "CANARY-LABEL",
    "CANARY-AGENDA-WHY",
    "CANARY-ACTION-TITLE",
    "CANARY-ACTION-NOTE",
)


def all_bytes(folder: Path) -> bytes:
    return b"\n".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def make(root: Path, config: str = "", round_visibility: str = "") -> Path:
    portfolio(root, config)
    entry(root, "2026-02-01-practice", "2026-02-01", ["teamwork"])
    entry(root, "2026-02-02-secret", "2026-02-02", ["teamwork"], visibility="private")
    write(
        root,
        "assessments/2026-01-10-canary-label.yaml",
        f"""\
        label: CANARY-LABEL
        notes: CANARY-ROUND-NOTE
        {round_visibility}
        skills:
          teamwork: {{answers: [2, 2, 2, 2], importance: 5, notes: CANARY-SKILL-NOTE}}
          leadership: [1, 1, 1, 1]
    """,
    )
    write(
        root,
        "assessments/2026-03-10.yaml",
        f"""\
        {round_visibility}
        skills:
          teamwork: [4, 4, 4, 4]
          leadership: [1, 1, 1, 1]
    """,
    )
    write(
        root,
        "agenda.yaml",
        """\
        goals:
          - {skill: negotiation, target: 4, by: 2026-06-01, why: CANARY-AGENDA-WHY}
        actions:
          - title: CANARY-ACTION-TITLE
            type: oer
            notes: CANARY-ACTION-NOTE
            skills: [creativity]
            journal: [2026-02-02-secret]
    """,
    )
    return root


def built(root: Path, private: bool) -> Path:
    out = root.parent / f"{root.name}-{'private' if private else 'public'}"
    build(BuildOptions(root, output=out, private=private))
    return out


@pytest.fixture(scope="module")
def private_by_default(tmp_path_factory):
    root = make(tmp_path_factory.mktemp("p") / "portfolio")
    return built(root, False), built(root, True)


def test_no_canary_and_nothing_derived_in_the_public_build(private_by_default):
    public, _ = private_by_default
    data = all_bytes(public)
    for canary in CANARIES:
        assert canary.encode() not in data, canary
    assert not (public / "self-assessment").exists() and not (public / "agenda").exists()
    pages = b"".join(p.read_bytes() for p in public.rglob("*.html"))
    assert b"<svg" not in pages and b"chart-" not in pages and b"sa-table" not in pages
    skills = BeautifulSoup((public / "skills/index.html").read_text(), "lxml")
    heads = [th.get_text(strip=True) for th in skills.select("thead th")]
    assert "Latest level" not in heads
    rows = {
        r.select_one("th a").get_text(): r.select_one(".map-status").get_text()
        for r in skills.select("tbody tr")
    }
    # planned only in the private agenda: the public map must not say "in progress"
    assert rows["Negotiation"] == "not started" and rows["Creativity and innovation"] == "not started"
    assert rows["Teamwork"] == "in progress"
    team = (public / "skills/teamwork/index.html").read_text()
    assert "skill-levels" not in team and "Self-assessed level" not in team
    nav = [a.get_text() for a in skills.select("nav.site-nav .nav-row a")]
    assert "Self-assessment" not in nav and "Agenda" not in nav
    assert b"self-assessment/" not in (public / "sitemap.xml").read_bytes()


def test_the_private_build_has_everything(private_by_default):
    _, private = private_by_default
    data = all_bytes(private)
    for canary in CANARIES:
        assert canary.encode() in data, canary
    soup = BeautifulSoup((private / "self-assessment/index.html").read_text(), "lxml")
    assert soup.select("svg[role=img]")
    agenda = (private / "agenda/index.html").read_text()
    assert "2026-02-02-secret" in agenda  # the private journal entry is linked in the owner's copy


def test_public_setting_in_portfolio_yaml_publishes_rounds_and_agenda(tmp_path):
    root = make(tmp_path / "portfolio", "self_assessment:\n  visibility: public\n")
    public = built(root, False)
    assert (public / "self-assessment/2026-01-10-canary-label/index.html").is_file()
    agenda = (public / "agenda/index.html").read_text()
    assert "CANARY-AGENDA-WHY" in agenda
    assert "2026-02-02-secret" not in agenda and "Secret" not in agenda  # a private entry stays private
    overview = BeautifulSoup((public / "self-assessment/index.html").read_text(), "lxml")
    assert "Secret" not in overview.get_text()  # private entries are no evidence in public


def test_a_round_file_overrides_the_portfolio_setting(tmp_path):
    # public portfolio setting, but both rounds say private
    root = make(tmp_path / "a", "self_assessment:\n  visibility: public\n", "visibility: private")
    public = built(root, False)
    assert not (public / "self-assessment").exists()
    assert b"CANARY-LABEL" not in all_bytes(public)
    assert (public / "agenda/index.html").is_file()  # the agenda follows the portfolio setting


def test_only_the_rounds_marked_public_are_analysed(tmp_path):
    root = make(tmp_path / "b")
    (root / "assessments/2026-03-10.yaml").write_text(
        "visibility: public\nskills:\n  teamwork: [4, 4, 4, 4]\n  leadership: [1, 1, 1, 1]\n"
    )
    public = built(root, False)
    data = all_bytes(public)
    for canary in CANARIES:
        assert canary.encode() not in data, canary
    assert not (public / "self-assessment/2026-01-10-canary-label").exists()
    overview = BeautifulSoup((public / "self-assessment/index.html").read_text(), "lxml")
    assert overview.select_one("#comparison") is None  # one visible round: nothing to compare with
    assert "2.0" not in [td.get_text(strip=True) for td in overview.select("table.sa-table td")]


def test_questionnaire_page_is_published_even_when_rounds_are_private(tmp_path):
    root = make(tmp_path / "c", "self_assessment:\n  questionnaire_page: true\n")
    public = built(root, False)
    page = public / "self-assessment/questionnaire/index.html"
    assert page.is_file()
    assert not (public / "self-assessment/index.html").exists()
    for canary in CANARIES:
        assert canary.encode() not in all_bytes(public)


def test_a_rise_with_no_public_evidence_is_flagged_on_the_pages(tmp_path):
    root = make(tmp_path / "d", "self_assessment:\n  visibility: public\n")
    (root / "assessments/2026-03-10.yaml").write_text(
        "skills:\n  teamwork: [4, 4, 4, 4]\n  leadership: [3, 3, 3, 3]\n"
    )
    public = built(root, False)
    overview = BeautifulSoup((public / "self-assessment/index.html").read_text(), "lxml")
    flagged = [r.select_one("th a").get_text() for r in overview.select("table.sa-changes tr.flagged")]
    assert flagged == ["Leadership"]  # teamwork rose too, but a public entry shows it
    assert "Leadership" in overview.select_one(".sa-flag-note").get_text()
    skill = BeautifulSoup((public / "skills/leadership/index.html").read_text(), "lxml")
    assert skill.select_one(".skill-levels tr.flagged .flag").get_text() == "rose with no evidence"
    # the private entry about teamwork is evidence only in the owner's copy
    team = BeautifulSoup((public / "skills/teamwork/index.html").read_text(), "lxml")
    assert "Secret" not in team.select_one(".skill-levels").get_text()
    private = built(root, True)
    team = BeautifulSoup((private / "skills/teamwork/index.html").read_text(), "lxml")
    assert "Secret" in team.select_one(".skill-levels").get_text()
