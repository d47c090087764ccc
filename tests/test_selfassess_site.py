"""Self-assessment pages of the example portfolio: numbers agree with the journal, charts, agenda,
evidence map, skill pages and the in-browser questionnaire."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import skill_table

from elenefolio.pipeline import BuildOptions, build

EXAMPLE = Path(__file__).resolve().parent.parent / "example-portfolio"


@pytest.fixture(scope="module")
def site(example_copy, example_build):
    assert example_build.code == 0, example_build.err
    return example_copy / "_site"


def page(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "lxml")


def journal_table() -> dict[str, tuple[int, int]]:
    """The February and May percentages as Lucía wrote them in her journal."""
    text = (EXAMPLE / "journal/2026-05-27-second-self-assessment.md").read_text(encoding="utf-8")
    rows = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[2].isdigit():
            rows[cells[1]] = (int(cells[2]), int(cells[3]))
    assert len(rows) == 15
    return rows


def percent_column(soup: BeautifulSoup) -> dict[str, int]:
    table = soup.select_one("table.sa-table")
    heads = [th.get_text(" ", strip=True) for th in table.select("thead th")]
    col = heads.index("%")
    out = {}
    for row in table.select("tbody tr"):
        name = row.select_one("th[scope=row]")
        if name is not None:
            cells = row.find_all(["th", "td"])
            out[name.a.get_text(strip=True)] = int(cells[col].get_text(strip=True))
    return out


def test_round_pages_agree_with_what_the_learner_wrote(site):
    written = journal_table()
    index = page(site, "self-assessment")
    round_links = [a["href"] for a in index.select(".sa-rounds a")]
    assert len(round_links) == 2
    feb = page(site, "self-assessment/2026-02-11-start-of-semester")
    may = page(site, "self-assessment/2026-05-27-end-of-semester")
    assert percent_column(feb) == {name: pair[0] for name, pair in written.items()}
    assert percent_column(may) == {name: pair[1] for name, pair in written.items()}
    assert percent_column(index) == percent_column(may)  # the overview shows the latest round


def test_overview_has_accessible_charts_with_data_tables(site):
    soup = page(site, "self-assessment")
    svgs = soup.select("figure.chart-figure svg")
    assert len(svgs) == 3  # latest radar, overlay, change bars
    for svg in svgs:
        assert svg["role"] == "img"
        title_id, desc_id = svg["aria-labelledby"].split()
        assert svg.find("title", id=title_id).get_text() and svg.find("desc", id=desc_id).get_text()
    assert not soup.select("main script")  # readable without JavaScript
    captions = [c.get_text(" ", strip=True) for c in soup.select("table.sa-table caption")]
    assert any("Level, importance and priority" in c for c in captions)
    assert any("Change of each skill" in c for c in captions)


def test_strengths_improvements_and_changes(site):
    soup = page(site, "self-assessment")
    strengths = [li.contents[0].strip() for li in soup.select(".sa-strengths li")]
    improve = [li.contents[0].strip() for li in soup.select(".sa-improve li")]
    assert strengths[:2] == ["Analytical skills", "Problem solving"]
    assert improve[0] == "Negotiation" and "Communication" in improve
    changes = soup.select_one("table.sa-changes")
    row = next(
        r
        for r in changes.select("tbody tr")
        if r.select_one("th a") and r.select_one("th a").get_text() == "Digital content creation"
    )
    # 2.25 → 3.5 is shown as 2.3 → 3.5: the change shown is their difference, +1.2
    assert [td.get_text(" ", strip=True) for td in row.select("td.num")] == ["2.3", "3.5", "+1.2"]
    selfeval = next(
        r
        for r in changes.select("tbody tr")
        if r.select_one("th a") and r.select_one("th a").get_text() == "Self-evaluation"
    )
    assert selfeval.select_one(".change-down") is not None
    negotiation = next(
        r
        for r in changes.select("tbody tr")
        if r.select_one("th a") and r.select_one("th a").get_text() == "Negotiation"
    )
    titles = [a.get_text() for a in negotiation.select(".evidence-cell a")]
    assert "Defending the scenario (without winning or losing)" in titles
    assert not soup.select("tr.flagged")  # every rise in the example has evidence in between


def test_private_entries_are_not_evidence_in_the_public_build(site):
    soup = page(site, "self-assessment")
    text = soup.get_text(" ")
    assert "After the tutorial" not in text  # a private entry tagged communication, between the rounds


def test_evidence_map_on_the_skills_index(site):
    soup = page(site, "skills")
    heads = [th.get_text(strip=True) for th in soup.select("table.skill-table")[0].select("thead th")]
    assert heads[-2:] == ["Latest level", "Status"]
    rows = skill_table(soup)
    assert len(rows) == 15
    assert rows["negotiation"]["Latest level"] == "3.0" and rows["negotiation"]["Status"] == "evidenced"
    assert (
        rows["learning-to-learn"]["Artefacts"] == "0" and rows["learning-to-learn"]["Status"] == "in progress"
    )
    esco = {a.find_previous("a").get_text(): a["href"] for a in soup.select("a.esco-link")}
    assert esco["Teamwork"] == "http://data.europa.eu/esco/skill/T4.3" and "Communication" not in esco


def test_skill_page_shows_levels_next_to_evidence(site):
    soup = page(site, "skills/negotiation")
    section = soup.select_one("section.skill-levels")
    assert section.select_one("svg[role=img]") is not None
    rows = section.select("tbody tr")
    # the level, then the learner's confidence in it (the example rounds record one for negotiation)
    assert [r.select("td")[0].get_text(" ", strip=True) for r in rows] == [
        "2.0 confidence 2 of 3",
        "3.0 confidence 1 of 3",
    ]
    assert "Defending the scenario" in rows[1].get_text()
    assert soup.select_one("#skill-journal") is not None  # the evidence stays on the page


def test_agenda_page(site):
    soup = page(site, "agenda")
    goals = soup.select("table.sa-goals tbody tr")
    assert len(goals) == 6
    states = {
        (g.select_one("th a").get_text(), g.select("td")[0].get_text()): g.select("td")[4]
        .select_one(".goal-state")
        .get_text()
        for g in goals
    }
    assert states[("Negotiation", "3.0")] == "reached"  # 3.0 in May, and the film shows it
    assert states[("Digital problem solving", "3.5")] == "reached by self-rating, no evidence yet"
    assert states[("Learning to learn", "4.0")] == "closed"  # not reached, closed with a reflection
    assert states[("Communication", "4.0")] == (
        "overdue" if dt.date.today() > dt.date(2027, 1, 31) else "open"
    )
    moocs = [
        a for a in soup.select(".sa-actions .action") if "MOOC" in a.select_one(".action-type").get_text()
    ]
    oers = [
        a
        for a in soup.select(".sa-actions .action")
        if "Open educational resource" in a.select_one(".action-type").get_text()
    ]
    assert len(moocs) >= 3 and len(oers) >= 2
    nav = [a.get_text() for a in soup.select("nav.site-nav .nav-row a")]
    assert nav.index("Skills") < nav.index("Self-assessment") < nav.index("Agenda") < nav.index("Tags")


def test_questionnaire_page_carries_no_answers_of_the_owner(site):
    html = (site / "self-assessment/questionnaire/index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "lxml")
    form = soup.select_one("form#questionnaire")
    assert form["data-framework"] == "elene4work"
    radios = form.select("input[type=radio]")
    assert radios and not [r for r in radios if r.has_attr("checked")]
    assert not [t for t in form.select("textarea") if t.get_text().strip()]
    assert not [t for t in form.select("input[type=text]") if t.get("value")]
    groups = {r["name"] for r in radios}
    assert len(groups) == 69 + 15 * 2  # every statement, and the importance and confidence of every skill
    owner_notes = [
        s["notes"]
        for f in sorted((EXAMPLE / "assessments").glob("*.yaml"))
        for s in yaml.safe_load(f.read_text())["skills"].values()
        if "notes" in s
    ]
    assert owner_notes and not [n for n in owner_notes if n in html]
    script = soup.select_one("main script")
    assert script is not None and not script.has_attr("src")  # works offline: nothing to fetch
    assert "Blob" in script.get_text() and "download" in script.get_text()


def test_questionnaire_script_writes_a_round_the_loader_accepts(site, tmp_path):
    """Run the page's script in a real browser when one is installed; otherwise skip."""
    import shutil
    import subprocess

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("no Chromium to run the page's script")
    page_file = site / "self-assessment/questionnaire/index.html"
    html = page_file.read_text(encoding="utf-8")
    # tick the first answer of two skills and one importance, then dump the preview into the title
    probe = """<script>
    document.querySelector('input[name="communication--0"][value="4"]').checked = true;
    document.querySelector('input[name="communication--1"][value="dk"]').checked = true;
    document.querySelector('input[name="communication--importance"][value="5"]').checked = true;
    document.getElementById('q-label').value = 'from the browser';
    document.getElementById('questionnaire').dispatchEvent(new Event('change'));
    document.title = 'YAML:' + document.getElementById('q-yaml').textContent;
    </script></body>"""
    probe_file = page_file.with_name("probe.html")
    probe_file.write_text(html.replace("</body>", probe), encoding="utf-8")
    result = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--dump-dom",
            f"--user-data-dir={tmp_path / 'profile'}",
            probe_file.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    probe_file.unlink()
    title = BeautifulSoup(result.stdout, "lxml").title.get_text()
    assert title.startswith("YAML:"), result.stderr[-500:]
    from elenefolio.load.assessments import parse_round
    from elenefolio.load.framework import _read_builtin
    from elenefolio.load.yamlfile import parse_yaml
    from elenefolio.problems import Problems

    problems = Problems()
    fw = _read_builtin("elene4work", problems)
    data = parse_yaml(title[5:])
    r = parse_round(data, "browser", "x.yaml", data["date"], "", fw, problems)
    assert problems.items == []
    assert r.label == "from the browser"
    assert r.skills["communication"].answers == [4, "dk", None, None, None]
    assert r.skills["communication"].importance == 5 and list(r.skills) == ["communication"]


def test_a_digcomp_portfolio_rated_on_eight_levels(tmp_path):
    from selfassess_helpers import portfolio, write

    root = portfolio(
        tmp_path / "dc",
        "framework: digcomp\nself_assessment:\n  visibility: public\n  questionnaire_page: true\n",
    )
    write(
        root,
        "assessments/2026-01-15.yaml",
        "skills:\n  netiquette: {answers: [6], importance: 2}\n  programming: [dk]\n",
    )
    out = tmp_path / "out"
    build(BuildOptions(root, output=out))
    soup = page(out, "self-assessment")
    assert "1–8" in soup.select_one("table.sa-table thead").get_text()
    row = next(
        r
        for r in soup.select("table.sa-table tbody tr")
        if r.select_one("th a") and r.select_one("th a").get_text() == "2.5 Netiquette"
    )
    assert [td.get_text(" ", strip=True).split()[0] for td in row.select("td")][:4] == [
        "6.0",
        "75",
        "2",
        "2.3",
    ]  # 2 x (8 - 6) x 4/7
    missing = [li.get_text() for li in soup.select(".sa-missing li")]
    assert "3.4 Programming" in missing and len(missing) == 20
    form = page(out, "self-assessment/questionnaire").select_one("form#questionnaire")
    assert form["data-top"] == "8"
    names = {r["name"] for r in form.select("input[type=radio]")}
    assert len(names) == 21 * 3  # the statement, the importance and the confidence of every skill
    assert len(form.select('input[name="netiquette--0"]')) == 9  # 8 levels and don't know
