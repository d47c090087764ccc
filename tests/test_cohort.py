"""``elenefolio cohort``: a roster of folders and git repositories, built in one pool (or on a
Dask cluster), one broken portfolio never stopping the others, and the tutor's overview made
from public data only."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.adversarial.attack_support import CANARY, cli, commit_all, git, md, portfolio, settings

ROUND = """\
date: {date}
label: {label}
framework: elene4work
visibility: {visibility}
notes: "{notes}"
skills:
  communication:
    answers: [{a}, {a}, {a}, {a}]
    importance: 4
  teamwork:
    answers: [4, 4, 4, 4]
    importance: 3
"""


def learner(root: Path, name: str, entry_date: str = "2026-11-20", **files: str) -> Path:
    return portfolio(
        root,
        {
            "portfolio.yaml": settings(author={"name": name}),
            "journal/2026-03-01-first.md": md(
                "First entry", "I practised **communication**.", date=entry_date, skills="[communication]"
            ),
            **files,
        },
    )


def roster(folder: Path, learners: list[dict], **extra) -> Path:
    import yaml

    data = {
        "title": "Soft skills, group B",
        "base_url": "https://tutor.example.org/b/",
        **extra,
        "learners": learners,
    }
    path = folder / "roster.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def overview(out: Path) -> tuple[dict, BeautifulSoup]:
    data = json.loads((out / "cohort.json").read_text(encoding="utf-8"))
    return data, BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")


def cached(tmp_path: Path) -> dict[str, str]:
    return {"XDG_CACHE_HOME": str(tmp_path / "cache"), "SOURCE_DATE_EPOCH": "1796601600"}  # 2026-12-07


def test_a_class_is_built_in_one_pool_with_addresses_under_the_cohort(tmp_path):
    for i, name in enumerate(["Amina Haddad", "Björn Åkesson", "李 明"], start=1):
        learner(tmp_path / f"students/s{i}", name, entry_date=f"2025-11-0{i}")
    path = roster(tmp_path, [{"id": f"s0{i}", "path": f"students/s{i}"} for i in (1, 2, 3)])
    out = tmp_path / "out"
    run = cli("cohort", "build", path, "-o", out, "--jobs", "2", env=cached(tmp_path))
    assert run.code == 0, run.err
    assert "3 of 3 portfolio(s) built" in run.out
    for i in (1, 2, 3):
        page = BeautifulSoup((out / f"s0{i}/index.html").read_text(encoding="utf-8"), "html.parser")
        assert page.find("link", rel="canonical")["href"] == f"https://tutor.example.org/b/s0{i}/"
        assert f"[{i}/3]" in run.err or "/3] s0" in run.err
    data, html = overview(out)
    assert [item["id"] for item in data["learners"]] == ["s01", "s02", "s03"]
    assert [item["summary"]["name"] for item in data["learners"]] == [
        "Amina Haddad",
        "Björn Åkesson",
        "李 明",
    ]
    assert all(item["summary"]["entries"] == 1 for item in data["learners"])
    skill = next(s for s in data["skills"] if s["id"] == "communication")
    assert skill["learners_with_evidence"] == 3
    rows = html.select("table.cohort-table")[0].select("tbody tr")
    assert [row.th.a["href"] for row in rows] == ["s01/", "s02/", "s03/"]
    assert rows[2].th.a.get_text() == "李 明"
    # a second run with nothing changed reuses every site and keeps the same overview
    again = cli("cohort", "build", path, "-o", out, env=cached(tmp_path))
    assert again.code == 0 and again.err.count("up to date") == 3, again.err
    assert overview(out)[0] == data


@pytest.mark.slow  # builds a class twice: seconds
def test_levels_quiet_learners_and_the_overview_in_french(tmp_path):
    learner(
        tmp_path / "a",
        "Amina",
        entry_date="2026-11-30",
        **{
            "assessments/2025-10-01-start.yaml": ROUND.format(
                date="2025-10-01", label="Start", visibility="public", notes="n", a=2
            ),
            "assessments/2025-11-01-mid.yaml": ROUND.format(
                date="2025-11-01", label="Mid", visibility="public", notes="n", a=5
            ),
        },
    )
    learner(
        tmp_path / "b",
        "Bruno",
        entry_date="2026-09-01",  # more than four weeks before the build date
        **{
            "assessments/2025-10-01-start.yaml": ROUND.format(
                date="2025-10-01", label="Start", visibility="public", notes="n", a=5
            )
        },
    )
    path = roster(tmp_path, [{"id": "amina", "path": "a"}, {"id": "bruno", "path": "b"}], language="fr")
    out = tmp_path / "out"
    run = cli("cohort", "build", path, "-o", out, env=cached(tmp_path))
    assert run.code == 0, run.err
    data, html = overview(out)
    assert data["inactive"] == ["bruno"]
    amina = data["learners"][0]["summary"]["latest_assessment"]
    assert amina["date"].startswith("2025-11-01")  # the latest round, not the first
    levels = next(s for s in data["skills"] if s["id"] == "communication")["levels"]
    assert levels == {"1": 0, "2": 0, "3": 0, "4": 0, "5": 2}
    assert html.html["lang"] == "fr"
    assert html.h1.get_text() == "Vue d’ensemble de la promotion"
    quiet = html.find(id="quiet-title").find_parent("section")
    assert [a.get_text() for a in quiet.select("a")] == ["Bruno"]


def test_only_public_data_reaches_the_overview(tmp_path):
    learner(
        tmp_path / "a",
        "Amina",
        **{
            "journal/2026-03-02-private.md": md(
                f"Private {CANARY}", f"Body {CANARY}", visibility="private", skills="[teamwork]"
            ),
            "journal/2026-03-03-unlisted.md": md(
                "Unlisted unlistedcanary", "x", visibility="unlisted", skills="[teamwork]"
            ),
            "journal/2026-03-04-draft.md": md(f"Draft {CANARY}", CANARY, draft="true", skills="[teamwork]"),
            "journal/2026-12-01-late-private.md": md("Late", "x", date="2026-12-01", visibility="private"),
            "assessments/2026-02-01-private.yaml": ROUND.format(
                date="2026-02-01", label=CANARY, visibility="private", notes=CANARY, a=1
            ),
        },
    )
    path = roster(tmp_path, [{"id": "amina", "path": "a"}])
    out = tmp_path / "out"
    run = cli("cohort", "build", path, "-o", out, env=cached(tmp_path))
    assert run.code == 0, run.err
    for file in out.rglob("*"):
        if file.is_file():
            assert CANARY.encode() not in file.read_bytes(), file
    # an unlisted entry is published at its address, but counted and listed nowhere
    assert (out / "amina/journal/2026-03-03-unlisted/index.html").is_file()
    for file in ("cohort.json", "index.html"):
        assert "unlistedcanary" not in (out / file).read_text(encoding="utf-8")
    data, _html = overview(out)
    summary = data["learners"][0]["summary"]
    assert summary["entries"] == 1
    assert summary["latest_assessment"] is None  # the only round is private
    assert summary["last_entry"] == "2026-11-20"  # not the later private entry's date
    assert [s["id"] for s in summary["skills"]] == ["communication"]  # not teamwork (private evidence)


@pytest.mark.slow  # builds a class twice: seconds
def test_one_broken_portfolio_never_stops_the_others(tmp_path):
    learner(tmp_path / "a", "Amina")
    learner(tmp_path / "b", "Bruno")
    path = roster(tmp_path, [{"id": "s01", "path": "a"}, {"id": "s02", "path": "b"}])
    out = tmp_path / "out"
    assert cli("cohort", "build", path, "-o", out, env=cached(tmp_path)).code == 0
    before = (out / "s02/index.html").read_bytes()
    (tmp_path / "b/journal/2026-03-05-broken.md").write_text(
        "---\ntitle: Broken\ndate: 2026-13-45\n---\n\nText.\n"
    )
    (tmp_path / "a/journal/2026-03-06-new.md").write_text(md("A new entry", "New."), encoding="utf-8")
    run = cli("cohort", "build", path, "-o", out, "--jobs", "2", env=cached(tmp_path))
    assert run.code == 1
    assert any(line.startswith("s02/journal/2026-03-05-broken.md:3: ") for line in run.lines), run.err
    assert "failed: s02" in run.err and "1 of 2 portfolio(s) built" in run.err
    assert "Traceback" not in run.err
    assert (out / "s02/index.html").read_bytes() == before  # the previous site is left as it was
    assert (
        "A new entry" in (out / "s01/index.html").read_text(encoding="utf-8")
        or (out / "s01/journal/2026-03-06-new/index.html").is_file()
    )
    data, html = overview(out)
    bruno = data["learners"][1]
    assert bruno["status"] == "failed" and bruno["summary"]["name"] == "Bruno"  # last known public data
    assert html.select("tr.is-failed")


def test_roster_problems_are_all_reported_at_their_lines(tmp_path):
    learner(tmp_path / "a", "Amina")
    path = tmp_path / "roster.yaml"
    path.write_text(
        "title: Group\n"
        "base_url: https://t.example/\n"
        "langage: fr\n"
        "learners:\n"
        "  - {id: s01, path: a}\n"
        "  - {id: s01, path: a}\n"
        "  - {id: ../evil, path: a}\n"
        "  - {id: s04, path: missing}\n"
        "  - {id: s05, git: 'ext::sh -c touch% /tmp/pwned'}\n"
        "  - {id: s06, path: a, git: https://example.org/x.git}\n"
        "  - {id: s07, git: https://example.org/x.git, ref: --upload-pack=evil}\n"
        "  - {id: s08}\n",
        encoding="utf-8",
    )
    run = cli("cohort", "build", path, "-o", tmp_path / "out")
    assert run.code == 1
    lines = {int(line.split(":")[1]) for line in run.lines if line.startswith(str(path))}
    assert lines == {3, 6, 7, 8, 9, 10, 11, 12}, run.err
    assert "did you mean 'language'" in run.err
    assert "used twice (first on line 5)" in run.err
    assert not (tmp_path / "out").exists()
    assert "Traceback" not in run.err
    empty = tmp_path / "empty.yaml"
    empty.write_text("")
    run = cli("cohort", "check", empty)
    assert run.code == 1 and run.lines == [
        f"{empty}:1: the roster is empty: it holds 'title', 'base_url' and a list of 'learners'"
    ]


def test_the_output_never_replaces_a_portfolio_or_unrelated_files(tmp_path):
    learner(tmp_path / "s01", "Amina")
    path = roster(tmp_path, [{"id": "s01", "path": "s01"}])
    run = cli("cohort", "build", path, "-o", tmp_path)
    assert run.code == 1 and "would replace learner 's01'" in run.err
    (tmp_path / "other").mkdir()
    (tmp_path / "other/notes.txt").write_text("mine")
    run = cli("cohort", "build", path, "-o", tmp_path / "other")
    assert run.code == 1 and "holds no cohort.json" in run.err
    assert (tmp_path / "other/notes.txt").read_text() == "mine"


@pytest.mark.slow  # clones, pulls and builds a class twice: seconds
def test_learners_in_git_are_cloned_then_pulled(tmp_path):
    remote = tmp_path / "remote"
    learner(remote, "Gitta")
    git(remote, "init", "-q", "-b", "main")
    commit_all(remote, "First")
    path = roster(
        tmp_path,
        [
            {"id": "g1", "git": remote.as_uri(), "ref": "main"},
            {"id": "g2", "git": (tmp_path / "nowhere").as_uri()},
        ],
    )
    out = tmp_path / "out"
    env = cached(tmp_path)
    run = cli("cohort", "build", path, "-o", out, env=env)
    assert run.code == 1
    assert any(
        line.startswith(f"g2: cannot fetch {(tmp_path / 'nowhere').as_uri()}: ") for line in run.lines
    ), run.err
    assert (out / "g1/index.html").is_file()
    (remote / "journal/2026-03-09-second.md").write_text(md("Pulled entry", "New."), encoding="utf-8")
    commit_all(remote, "Second")
    run = cli("cohort", "build", path, "-o", out, env=env)
    data, _html = overview(out)
    assert data["learners"][0]["summary"]["entries"] == 2
    assert (out / "g1/journal/2026-03-09-second/index.html").is_file() or "Pulled entry" in (
        out / "g1/journal/index.html"
    ).read_text(encoding="utf-8")
    clones = list((tmp_path / "cache/elenefolio/cohort").glob("*/g1/.git"))
    assert len(clones) == 1
    assert git(clones[0].parent, "rev-parse", "--is-shallow-repository").strip() == "true"


@pytest.mark.slow  # checks a class of portfolios: seconds
def test_cohort_check_is_one_report(tmp_path):
    learner(tmp_path / "a", "Amina")
    learner(tmp_path / "b", "Bruno", **{"journal/2026-03-05-x.md": md("X", "Text", skills="[comunication]")})
    path = roster(tmp_path, [{"id": "s01", "path": "a"}, {"id": "s02", "path": "b"}])
    run = cli("cohort", "check", path, env=cached(tmp_path))
    assert run.code == 1
    bad = [line for line in run.lines if line.startswith("s02/journal/2026-03-05-x.md:4: ")]
    assert bad and "did you mean 'communication'" in bad[0], run.err
    assert not [line for line in run.lines if "in the future" in line]
    assert "1 of 2 portfolio(s) checked; failed: s02" in run.err
    assert not (tmp_path / "a/_site").exists()  # checking writes nothing


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow  # waits out the Dask client's 30-second connection timeout
def test_an_unreachable_scheduler_is_one_line(tmp_path):
    pytest.importorskip("distributed")
    learner(tmp_path / "a", "Amina")
    path = roster(tmp_path, [{"id": "s01", "path": "a"}])
    address = f"tcp://127.0.0.1:{_free_port()}"
    run = cli("cohort", "build", path, "-o", tmp_path / "out", "--scheduler", address, timeout=90)
    assert run.code == 1
    assert run.lines[-1].startswith(f"cohort: cannot reach the Dask scheduler at {address}"), run.err
    assert "Traceback" not in run.err


@pytest.mark.slow
def test_the_same_tasks_run_on_a_dask_cluster(tmp_path):
    pytest.importorskip("distributed")
    for i in (1, 2, 3):
        learner(tmp_path / f"s{i}", f"Learner {i}")
    learner(tmp_path / "broken", "Broken", **{"journal/2026-03-05-b.md": "---\ntitle: [\n---\n"})
    path = roster(
        tmp_path, [*({"id": f"s0{i}", "path": f"s{i}"} for i in (1, 2, 3)), {"id": "s04", "path": "broken"}]
    )
    port = _free_port()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(Path(__file__).parent.parent), os.environ.get("PYTHONPATH")])
        ),
    }
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "distributed.cli.dask_scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--no-dashboard",
            ],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ),
    ]
    try:
        for _ in range(2):
            procs.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "distributed.cli.dask_worker",
                        f"tcp://127.0.0.1:{port}",
                        "--nthreads",
                        "1",
                        "--no-dashboard",
                        "--nworkers",
                        "1",
                    ],
                    env=env,
                    cwd=tmp_path,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        out = tmp_path / "out"
        run = cli(
            "cohort",
            "build",
            path,
            "-o",
            out,
            "--scheduler",
            f"tcp://127.0.0.1:{port}",
            env=cached(tmp_path),
            timeout=300,
        )
        assert run.code == 1, run.err
        assert any(line.startswith("s04/journal/2026-03-05-b.md:") for line in run.lines), run.err
        assert "3 of 4 portfolio(s) built; failed: s04" in run.err
        data, _html = overview(out)
        assert [item["status"] for item in data["learners"]] == ["built", "built", "built", "failed"]
        for i in (1, 2, 3):
            assert (out / f"s0{i}/index.html").is_file()
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
