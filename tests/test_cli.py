"""The command line: help, init, new, build; messages, exit codes and the
safety of the output folder."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import JPEG, REPO, config_yaml, entry, load_problems, write_portfolio

from elenefolio.cli import main
from elenefolio.commands import COMMANDS
from elenefolio.load import load_portfolio
from elenefolio.model import JOURNAL_KINDS
from elenefolio.problems import Problems

PROBLEM_LINE = re.compile(r"^(?P<path>[^\s:][^:]*):(?P<line>\d+): (?P<message>.+)$")
SUMMARY = "the previous site was left as it was"


def cli(capsys, *argv) -> tuple[int, str, str]:
    """Run the real CLI; returns (exit code, stdout, stderr)."""
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def good_portfolio(root: Path) -> Path:
    return write_portfolio(
        root,
        {
            "portfolio.yaml": config_yaml(),
            "journal/2024-01-01-hello.md": entry(
                "Hello",
                "2024-01-01",
                "Hello world.",
                visibility="public",
                skills="[teamwork]",
                tags="[start]",
            ),
            "artefacts/thing.md": entry("A thing", "2024-01-02", "Why.", visibility="public"),
        },
    )


def problem_lines(err: str) -> list[re.Match]:
    """The ``path:line: message`` lines of stderr; every other line must be the summary."""
    lines = err.strip().splitlines()
    assert lines, "nothing on stderr"
    assert "Traceback" not in err
    matches = []
    for line in lines:
        match = PROBLEM_LINE.match(line)
        if match:
            matches.append(match)
        else:
            assert line.startswith("build failed:") and SUMMARY in line, line
    return matches


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


# --- help ---------------------------------------------------------------------------------


@pytest.mark.parametrize("argv", [["--help"]] + [[command, "--help"] for command in COMMANDS])
def test_help_exits_0(capsys, argv):
    code, out, err = cli(capsys, *argv)
    assert code == 0
    assert out.startswith("usage: elenefolio")
    assert err == ""


def test_help_lists_every_command_and_build_options(capsys):
    _, out, _ = cli(capsys, "--help")
    assert {"init", "build", "new"} <= set(COMMANDS)
    for command in COMMANDS:
        assert re.search(rf"^\s+{command}\s", out, re.MULTILINE), command
    _, out, _ = cli(capsys, "build", "--help")
    for option in ("--output", "--drafts", "--private", "--base-url", "--strict", "--quiet"):
        assert option in out


def test_no_command_prints_help(capsys):
    code, out, _ = cli(capsys)
    assert code == 0 and out.startswith("usage: elenefolio")


def test_version(capsys):
    from elenefolio import __version__

    code, out, _ = cli(capsys, "--version")
    assert code == 0 and out.strip() == f"elenefolio {__version__}"


def test_unknown_command_is_a_usage_error(capsys):
    code, _, err = cli(capsys, "publish")
    assert code == 2 and "invalid choice" in err


# --- init ---------------------------------------------------------------------------------


def test_init_creates_a_portfolio_that_builds_cleanly(tmp_path, capsys):
    folder = tmp_path / "mine"
    code, out, err = cli(capsys, "init", folder, "--name", "Zoë Example", "--title", "Zoë's portfolio")
    assert code == 0 and err == ""
    assert "created a new portfolio" in out
    for name in ("portfolio.yaml", ".gitignore", "about.md", "artefacts/my-first-artefact.md"):
        assert (folder / name).is_file(), name
    assert len(list((folder / "journal").glob("*.md"))) == len(JOURNAL_KINDS)  # one entry of each kind
    assert load_problems(folder) == []
    code, out, err = cli(capsys, "build", folder)
    assert code == 0
    assert err == ""  # no errors and no warnings
    assert (folder / "_site/index.html").is_file()
    assert "Zoë Example" in (folder / "_site/index.html").read_text(encoding="utf-8")
    assert "_site/" in (folder / ".gitignore").read_text()
    # the language line says which languages the pages can be in
    from elenefolio.util.i18n import shipped_languages

    line = next(x for x in (folder / "portfolio.yaml").read_text().splitlines() if x.startswith("language:"))
    assert all(code in line.split("#", 1)[1] for code in shipped_languages())


def test_init_refuses_a_non_empty_folder(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("mine")
    code, out, err = cli(capsys, "init", tmp_path)
    assert code == 1
    assert PROBLEM_LINE.match(err.strip()) and "not empty" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


# --- new ----------------------------------------------------------------------------------


def test_new_journal_entry_loads(tmp_path, capsys):
    root = good_portfolio(tmp_path / "p")
    code, out, err = cli(
        capsys,
        "new",
        "journal",
        "Talking in groups: part 2",
        "--skills",
        "teamwork",
        "communication",
        "--path",
        root,
        "--date",
        "2024-03-14",
        "--kind",
        "question",
    )
    assert code == 0 and err == ""
    path = Path(out.strip())
    assert path == root / "journal" / "2024-03-14-talking-in-groups-part-2.md"
    problems = Problems(root)
    portfolio = load_portfolio(root, problems)
    assert problems.sorted() == []
    new = next(e for e in portfolio.journal if e.path == path.resolve())
    assert new.title == "Talking in groups: part 2"
    assert new.skill_ids == ["teamwork", "communication"]
    assert new.kind == "question"
    assert new.visibility == "private"  # the portfolio's default_visibility


def test_new_artefact_loads(tmp_path, capsys):
    root = good_portfolio(tmp_path / "p")
    code, out, err = cli(
        capsys,
        "new",
        "artefact",
        "Lab poster",
        "--skills",
        "creativity",
        "--type",
        "image",
        "--path",
        root,
        "--visibility",
        "public",
    )
    assert code == 0, err
    path = Path(out.strip())
    assert path == root / "artefacts" / "lab-poster" / "index.md"
    problems = Problems(root)
    portfolio = load_portfolio(root, problems)
    assert problems.sorted() == []
    art = next(a for a in portfolio.artefacts if a.slug == "lab-poster")
    assert (art.type, art.visibility, art.skill_ids) == ("image", "public", ["creativity"])


def test_new_twice_refuses_to_overwrite(tmp_path, capsys):
    root = good_portfolio(tmp_path / "p")
    args = ("new", "journal", "Same", "--path", root, "--date", "2024-03-14")
    assert cli(capsys, *args)[0] == 0
    before = (root / "journal/2024-03-14-same.md").read_bytes()
    code, _, err = cli(capsys, *args)
    assert code == 1 and "already exists" in err
    assert (root / "journal/2024-03-14-same.md").read_bytes() == before


def test_new_with_unknown_skill_fails_with_did_you_mean(tmp_path, capsys):
    root = good_portfolio(tmp_path / "p")
    before = snapshot(root)
    code, out, err = cli(capsys, "new", "journal", "Oops", "--skills", "teamwrok", "--path", root)
    assert code == 1 and out == ""
    assert "unknown skill 'teamwrok' (did you mean 'teamwork'?)" in err
    assert "Traceback" not in err
    assert snapshot(root) == before  # nothing written


@pytest.mark.parametrize(
    "args, message",
    [
        (["--date", "14/03/2026"], "--date must look like 2026-03-14"),
        (["--date", "2024-02-30"], "is not a real date"),
        (["--kind", "reflexion"], "--kind must be one of"),
    ],
)
def test_new_with_bad_options_fails(tmp_path, capsys, args, message):
    root = good_portfolio(tmp_path / "p")
    code, _, err = cli(capsys, "new", "journal", "Oops", "--path", root, *args)
    assert code == 1 and message in err


def test_new_outside_a_portfolio_fails(tmp_path, capsys):
    code, _, err = cli(capsys, "new", "journal", "Oops", "--path", tmp_path)
    assert code == 1 and "no portfolio.yaml here" in err


# --- build: messages and exit codes ---------------------------------------------------------------

# case: (files, the file with the mistake, the text on the mistaken line, the message)
BROKEN = {
    "missing title": (
        {"journal/a.md": "---\ndate: 2024-01-02\n---\nBody.\n"},
        "journal/a.md",
        "date:",
        "missing required field 'title'",
    ),
    "bad kind": (
        {"journal/a.md": entry("A", "2024-01-02", kind="reflexion")},
        "journal/a.md",
        "kind:",
        "(did you mean 'reflection'?)",
    ),
    "unknown skill": (
        {"journal/a.md": "---\ntitle: A\ndate: 2024-01-02\nskills:\n  - teamwrok\n---\n"},
        "journal/a.md",
        "- teamwrok",
        "unknown skill 'teamwrok' (did you mean 'teamwork'?)",
    ),
    "invalid yaml": (
        {"journal/a.md": "---\ntitle: A\n  date: x\n---\n"},
        "journal/a.md",
        "  date:",
        "invalid YAML",
    ),
    "missing media": (
        {"artefacts/a.md": "---\ntitle: A\ndate: 2024-01-02\nmedia:\n  - gone.mp4\n---\n"},
        "artefacts/a.md",
        "- gone.mp4",
        "media file not found: gone.mp4",
    ),
    "outside link": (
        {"journal/a.md": entry("A", "2024-01-02", "[x](../../etc/passwd)")},
        "journal/a.md",
        "[x]",
        "points outside the portfolio folder",
    ),
    "bad config": (
        {"portfolio.yaml": config_yaml(default_visibility="publik")},
        "portfolio.yaml",
        "default_visibility:",
        "(did you mean 'public'?)",
    ),
    "binary": ({"journal/a.md": b"\x00\x01\x02"}, "journal/a.md", None, "this is a binary file"),
    "link to a non-item": (
        {"journal/a.md": entry("A", "2024-01-02", "See [me](../about.md).", visibility="public")},
        "journal/a.md",
        "See [me]",
        "which is not a journal entry or an artefact",
    ),
}


def line_of(content, needle) -> int:
    if needle is None:
        return 1
    text = content.decode() if isinstance(content, bytes) else content
    return text.count("\n", 0, text.index(needle)) + 1


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_bad_input_gives_path_line_message_and_exit_1(tmp_path, capsys, case):
    files, path, needle, message = BROKEN[case]
    line = line_of(files[path], needle)
    root = good_portfolio(tmp_path / "p")
    write_portfolio(root, {"about.md": "About me.\n", **files})
    code, out, err = cli(capsys, "build", root)
    assert code == 1
    assert out == ""
    problems = problem_lines(err)
    assert any(m["path"] == path and int(m["line"]) == line and message in m["message"] for m in problems), (
        err
    )
    assert "build failed: 1 error(s)" in err
    assert not (root / "_site").exists()


def test_every_problem_is_listed_once_sorted(tmp_path, capsys):
    root = good_portfolio(tmp_path / "p")
    write_portfolio(
        root,
        {
            "journal/b.md": entry("B", "not a date"),
            "journal/a.md": entry("A", "2024-01-02", kind="reflexion", skils="[x]"),
        },
    )
    code, _, err = cli(capsys, "build", root)
    assert code == 1
    found = [(m["path"], int(m["line"])) for m in problem_lines(err)]
    assert found == sorted(found) and len(found) == len(set(found)) == 3
    assert "3 error(s)" in err


def test_not_a_portfolio(tmp_path, capsys):
    code, _, err = cli(capsys, "build", tmp_path)
    assert code == 1
    [problem] = problem_lines(err)
    assert problem["path"].endswith("portfolio.yaml") and "no portfolio.yaml here" in problem["message"]


def test_bad_base_url_option(tmp_path, capsys):
    root = good_portfolio(tmp_path / "p")
    code, _, err = cli(capsys, "build", root, "--base-url", "example.org/x")
    assert code == 1 and "--base-url must start with http:// or https://" in err


def test_build_defaults_to_the_current_folder(tmp_path, capsys, monkeypatch):
    root = good_portfolio(tmp_path / "p")
    monkeypatch.chdir(root)
    code, out, err = cli(capsys, "build")
    assert code == 0, err
    assert (root / "_site/index.html").is_file()
    assert "built site in " in out and "_site/" in out


def test_quiet_build_prints_nothing(tmp_path, capsys):
    root = good_portfolio(tmp_path / "p")
    assert cli(capsys, "build", root, "-q") == (0, "", "")


# --- strict -------------------------------------------------------------------------------------


def test_strict_turns_a_warning_into_a_failure(tmp_path, capsys):
    root = good_portfolio(tmp_path / "p")
    text = "---\ntitle: Photo\ndate: 2024-01-03\nvisibility: public\nmedia:\n  - photo.jpg\n---\n"
    write_portfolio(root, {"artefacts/photo/index.md": text, "artefacts/photo/photo.jpg": JPEG})
    code, out, err = cli(capsys, "build", root)
    assert code == 0
    [warning] = [PROBLEM_LINE.match(line) for line in err.strip().splitlines()]
    assert warning["path"] == "artefacts/photo/index.md" and warning["line"] == "6"
    assert warning["message"].startswith("warning: image 'photo.jpg' has no alt text")
    before = snapshot(root / "_site")

    code, out, err = cli(capsys, "build", root, "--strict")
    assert code == 1
    [problem] = problem_lines(err)
    assert "has no alt text" in problem["message"]
    assert "(--strict)" in err
    assert snapshot(root / "_site") == before


# --- a failed build keeps the previous output --------------------------------------------------------


def leftovers(folder: Path) -> list[str]:
    """Temporary folders the writer may leave beside the output."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("._site"))


def test_failed_build_keeps_the_previous_output(tmp_path, capsys):
    root = good_portfolio(tmp_path / "p")
    assert cli(capsys, "build", root)[0] == 0
    before = snapshot(root / "_site")
    assert "journal/2024-01-01-hello/index.html" in before
    # break a file that was fine: the new build fails at the load stage
    (root / "journal/2024-01-01-hello.md").write_text("---\ntitle: Hello\ndate: nope\n---\n")
    code, _, err = cli(capsys, "build", root)
    assert code == 1 and SUMMARY in err
    assert snapshot(root / "_site") == before
    assert leftovers(root) == []


def test_failed_render_keeps_the_previous_output(tmp_path, capsys):
    root = good_portfolio(tmp_path / "p")
    assert cli(capsys, "build", root)[0] == 0
    before = snapshot(root / "_site")
    # a broken template override fails the build while pages are being written
    write_portfolio(
        root,
        {
            "templates/tag.html": '{% extends "base.html" %}\n'
            "{% block main %}\n{{ no_such_thing.x }}\n{% endblock %}\n"
        },
    )
    code, _, err = cli(capsys, "build", root)
    assert code == 1
    [problem] = problem_lines(err)
    assert problem["path"] == "templates/tag.html" and problem["line"] == "3"
    assert "template error" in problem["message"]
    assert snapshot(root / "_site") == before
    assert leftovers(root) == []


def test_successful_rebuild_replaces_the_output(tmp_path, capsys):
    root = good_portfolio(tmp_path / "p")
    assert cli(capsys, "build", root)[0] == 0
    (root / "journal/2024-01-01-hello.md").rename(root / "journal/2024-01-01-renamed.md")
    assert cli(capsys, "build", root)[0] == 0
    assert (root / "_site/journal/2024-01-01-renamed/index.html").is_file()
    assert not (root / "_site/journal/2024-01-01-hello").exists()  # no stale pages
    deadline = time.monotonic() + 30  # the previous site is removed by a process of its own
    while leftovers(root) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert leftovers(root) == []


# --- the output folder ----------------------------------------------------------------------------------


@pytest.mark.parametrize("output", [".", "..", "journal", "static"])
def test_refuses_an_output_folder_that_holds_or_is_the_portfolio(tmp_path, capsys, output):
    root = good_portfolio(tmp_path / "p")
    (root / "static").mkdir(exist_ok=True)
    before = snapshot(tmp_path)
    code, _, err = cli(capsys, "build", root, "-o", root / output)
    assert code == 1
    [problem] = problem_lines(err)
    assert "output folder" in problem["message"]
    assert snapshot(tmp_path) == before


def test_refuses_a_non_empty_folder_that_is_not_a_site(tmp_path, capsys):
    root = good_portfolio(tmp_path / "p")
    other = write_portfolio(tmp_path / "documents", {"thesis.docx": b"PK\x03\x04", "notes/a.txt": "x"})
    code, _, err = cli(capsys, "build", root, "-o", other)
    assert code == 1
    [problem] = problem_lines(err)
    assert "is not empty and was not written by elenefolio" in problem["message"]
    assert "--force" in problem["message"]
    assert snapshot(other) == {"thesis.docx": b"PK\x03\x04", "notes/a.txt": b"x"}


def test_refuses_another_portfolio_as_output(tmp_path, capsys):
    root = good_portfolio(tmp_path / "p")
    other = good_portfolio(tmp_path / "q")
    write_portfolio(other, {"index.html": "<p>not a site</p>"})
    before = snapshot(other)
    assert cli(capsys, "build", root, "-o", other)[0] == 1
    assert snapshot(other) == before


def test_accepts_an_empty_or_previous_output_folder(tmp_path, capsys):
    root = good_portfolio(tmp_path / "p")
    out = tmp_path / "out"
    out.mkdir()
    assert cli(capsys, "build", root, "-o", out)[0] == 0
    assert cli(capsys, "build", root, "-o", out)[0] == 0  # a site built before is replaced
    assert (out / "index.html").is_file()


# --- end to end through python -m elenefolio -------------------------------------------------------------


def run_module(*args, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "elenefolio", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_python_m_elenefolio_end_to_end(tmp_path):
    run = run_module("init", "portfolio", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    root = tmp_path / "portfolio"
    run = run_module(
        "new", "journal", "From the command line", "--skills", "teamwork", "--visibility", "public", cwd=root
    )
    assert run.returncode == 0, run.stderr
    new = Path(root / run.stdout.strip())
    assert new.is_file()
    run = run_module("build", cwd=root)
    assert run.returncode == 0 and run.stderr == "", run.stderr
    assert "From the command line" in (root / "_site/journal" / new.stem / "index.html").read_text()


def test_python_m_elenefolio_bad_input(tmp_path):
    root = good_portfolio(tmp_path / "p")
    write_portfolio(root, {"journal/bad.md": "---\ntitle: Bad\ndate: 2024-01-02\nskils: [x]\n---\n"})
    run = run_module("build", root, cwd=tmp_path)
    assert run.returncode == 1
    assert run.stdout == ""
    [problem] = problem_lines(run.stderr)
    assert (problem["path"], problem["line"]) == ("journal/bad.md", "4")
    assert problem["message"] == "unknown field 'skils' (did you mean 'skills'?)"
