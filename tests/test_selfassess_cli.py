"""``elenefolio assess`` through a pseudo-terminal (pexpect) and through standard input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
from conftest import default_sigint
from selfassess_helpers import SMALL_FRAMEWORK, portfolio, write

from elenefolio.load import load_portfolio
from elenefolio.problems import Problems

STATEMENT = r"1-5, \? don't know, Enter skip.*> "
IMPORTANCE = r"How important is this skill for you now\?.*> "
CONFIDENCE = (
    r"How sure are you of these answers\? 1 = not sure, 2 = fairly sure, 3 = sure \(Enter to skip\).*> "
)
EXAMPLE = r"When did you last do this\? One example \(Enter to skip\).*> "


def spawn(root: Path, *args: str) -> pexpect.spawn:
    child = pexpect.spawn(
        sys.executable,
        ["-m", "elenefolio", "assess", str(root), *args],
        cwd=str(root),
        encoding="utf-8",
        timeout=20,
        dimensions=(40, 200),
        preexec_fn=default_sigint,
    )
    return child


def rounds(root: Path):
    problems = Problems(root)
    pf = load_portfolio(root, problems)
    assert problems.errors == []
    return pf.assessments


@pytest.fixture
def small(tmp_path):
    return portfolio(tmp_path, skills_yaml=SMALL_FRAMEWORK)


def skip_confidence_and_example(child: pexpect.spawn) -> None:
    child.expect(CONFIDENCE)
    child.sendline("")
    child.expect(EXAMPLE)
    child.sendline("")


def test_interactive_round_with_back_skip_dont_know_and_importance(small):
    child = spawn(small, "--date", "2026-03-01")
    child.expect("A label for this round")
    child.sendline("mid term")
    child.expect(r"\[1/2\] People › Listening")
    child.expect(r"\(1/2, 0 answered\) I listen to the end\." + r".*" + STATEMENT)
    child.sendline("4")
    child.expect(r"\(2/2, 1 answered\) I check that I understood\..*" + STATEMENT)
    child.sendline("?")
    child.expect(IMPORTANCE)
    child.sendline("b")  # back to the statement: the previous answer is shown
    child.expect(r"I check that I understood\..*\[was \?\] > ")
    child.sendline("3")
    child.expect(IMPORTANCE)
    child.sendline("5")
    skip_confidence_and_example(child)
    child.expect(r"\[2/2\] Things › Fixing")
    child.expect(r"I can repair a bike\..*" + STATEMENT)
    child.sendline("n only bikes so far")
    child.expect("Note kept for Fixing")
    child.expect(r"I can repair a bike\..*" + STATEMENT)  # the same question again
    child.sendline("")  # skip
    child.expect(r"I can repair a laptop\..*" + STATEMENT)
    child.sendline("9")
    child.expect("Please type a number from 1 to 5")
    child.expect(STATEMENT)
    child.sendline("2")
    child.expect(IMPORTANCE)
    child.sendline("")
    skip_confidence_and_example(child)
    child.expect("Notes for this round")
    child.sendline("after the first project")
    child.expect(r"Written: assessments/2026-03-01-mid-term\.yaml")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    (r,) = rounds(small)
    assert r.label == "mid term" and r.notes == "after the first project"
    assert r.skills["listening"].answers == [4, 3] and r.skills["listening"].importance == 5
    assert r.skills["fixing"].answers == [None, 2] and r.skills["fixing"].importance is None
    assert r.skills["fixing"].notes == "only bikes so far" and r.skills["listening"].notes == ""
    assert not (small / "assessments" / ".unfinished.yaml").exists()


@pytest.mark.slow  # interrupts and resumes the questionnaire: seconds
def test_ctrl_c_writes_no_round_and_the_round_can_be_resumed(small):
    child = spawn(small, "--date", "2026-04-01", "--label", "spring")
    child.expect(STATEMENT)
    child.sendline("5")
    child.expect(STATEMENT)
    child.sendline("dk")
    child.expect(IMPORTANCE)
    child.sendintr()  # Ctrl-C in the middle of a question
    child.expect("Interrupted. No round file was written")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    folder = small / "assessments"
    assert sorted(p.name for p in folder.iterdir()) == [".unfinished.yaml"]  # no half round, no temp file
    assert rounds(small) == []

    child = spawn(small)
    child.expect(r"An unfinished round of 2026-04-01 is waiting \(2 answers\)\. Resume it\? \[Y/n\] ")
    child.sendline("")
    child.expect(IMPORTANCE)  # straight back where it stopped
    child.sendline("4")
    skip_confidence_and_example(child)
    child.expect(STATEMENT)
    child.sendline("q")  # stop on purpose: progress kept again
    child.expect("Stopped. Your answers are kept")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0 and rounds(small) == []

    child = spawn(small)
    child.expect("Resume it")
    child.sendline("y")
    child.expect(r"I can repair a bike\..*" + STATEMENT)
    for reply in ("3", "3", "2", "", ""):
        child.sendline(reply)
    child.expect("Notes for this round")
    child.sendline("")
    child.expect(r"Written: assessments/2026-04-01-spring\.yaml")
    child.expect(pexpect.EOF)
    (r,) = rounds(small)
    assert r.skills["listening"].answers == [5, "dk"] and r.skills["listening"].importance == 4
    assert r.skills["fixing"].answers == [3, 3] and r.skills["fixing"].importance == 2
    assert sorted(p.name for p in (small / "assessments").iterdir()) == ["2026-04-01-spring.yaml"]


@pytest.mark.slow  # quits and resumes the questionnaire: seconds
def test_confidence_and_example_per_skill_survive_quit_and_resume(small):
    child = spawn(small, "--date", "2026-04-05", "--label", "sure")
    for reply in ("4", "3", "5"):  # listening: two statements and the importance
        child.expect(STATEMENT if reply != "5" else IMPORTANCE)
        child.sendline(reply)
    child.expect(CONFIDENCE)
    child.sendline("4")
    child.expect("Please type 1, 2 or 3, Enter to skip, b to go back or q to stop.")
    child.expect(CONFIDENCE)
    child.sendline("2")
    child.expect(EXAMPLE)
    child.sendline("?")
    child.expect("Please type one example in a few words")
    child.expect(EXAMPLE)
    child.sendline("n the team meeting")  # an example, not a note: the whole line is the example
    child.expect(r"I can repair a bike\..*" + STATEMENT)
    child.sendline("b")
    child.expect(EXAMPLE.replace(r".*> ", r" \[was n the team meeting\] > "))
    child.sendline("b")
    child.expect(CONFIDENCE.replace(r".*> ", r" \[was 2\] > "))
    child.sendline("2")
    child.expect(EXAMPLE)
    child.sendline('  Note taking at the “Tuesday” meeting, 3 May: "minutes" \\ all  ')
    child.expect(r"I can repair a bike\..*" + STATEMENT)
    child.sendline("q")
    child.expect("Stopped. Your answers are kept")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0 and rounds(small) == []

    child = spawn(small)
    child.expect(r"\(2 answers\)\. Resume it")
    child.sendline("")
    child.expect(r"I can repair a bike\..*" + STATEMENT)
    for reply in ("3", "2", "1"):  # fixing: two statements and the importance
        child.sendline(reply)
    skip_confidence_and_example(child)
    child.expect("Notes for this round")
    child.sendline("")
    child.expect(r"Written: assessments/2026-04-05-sure\.yaml")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    (r,) = rounds(small)
    listening, fixing = r.skills["listening"], r.skills["fixing"]
    assert (listening.answers, listening.importance, listening.confidence) == ([4, 3], 5, 2)
    assert listening.example == 'Note taking at the “Tuesday” meeting, 3 May: "minutes" \\ all'
    assert listening.notes == ""
    assert (fixing.answers, fixing.importance, fixing.confidence, fixing.example) == ([3, 2], 1, None, "")
    text = (small / "assessments" / "2026-04-05-sure.yaml").read_text(encoding="utf-8")
    assert text.count("\n    confidence: ") == 1 and text.count("\n    example: ") == 1
    assert not (small / "assessments" / ".unfinished.yaml").exists()


@pytest.mark.slow  # quits and starts the questionnaire again: seconds
def test_declining_to_resume_starts_afresh(small):
    child = spawn(small, "--date", "2026-04-01", "--label", "x")
    child.expect(STATEMENT)
    child.sendline("q")
    child.expect(pexpect.EOF)
    child = spawn(small, "--label", "y", "--date", "2026-04-02")
    child.expect("Resume it")
    child.sendline("n")
    child.expect(r"\(1/2, 0 answered\) I listen to the end")
    child.sendintr()
    child.expect(pexpect.EOF)
    assert not any(
        p.suffix == ".yaml" and not p.name.startswith(".") for p in (small / "assessments").iterdir()
    )


def run_stdin(root: Path, text: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "elenefolio", "assess", str(root), *args],
        input=text,
        capture_output=True,
        text=True,
        cwd=root,
        timeout=30,
    )


@pytest.mark.slow  # runs the questionnaire: seconds
def test_answers_from_standard_input(small):
    result = run_stdin(
        small,
        "label: by script\nskills:\n  listening: {answers: [2, dk], importance: 4}\n  fixing: [5, 4]\n",
        "--date",
        "2026-05-01",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "assessments/2026-05-01-by-script.yaml"
    (r,) = rounds(small)
    assert r.skills["listening"].answers == [2, "dk"] and r.skills["fixing"].answers == [5, 4]
    again = run_stdin(small, "label: by script\nskills: {fixing: [1, 1]}\n", "--date", "2026-05-01")
    assert again.returncode == 1 and "exists; use --force" in again.stderr
    forced = run_stdin(
        small, "label: by script\nskills: {fixing: [1, 1]}\n", "--date", "2026-05-01", "--force"
    )
    assert forced.returncode == 0
    assert rounds(small)[0].skills["fixing"].answers == [1, 1]


def test_bad_answers_are_reported_at_their_line_and_nothing_is_written(small):
    result = run_stdin(small, "skills:\n  listening: [2, 7]\n  fxing: [1]\n", "--date", "2026-05-01")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "<stdin>:2: answer 2 of 'listening' must be a number from 1 to 5, 'dk' (don't know) or empty, not '7'",
        "<stdin>:3: unknown skill 'fxing' (did you mean 'fixing'?)",
    ]
    assert not (small / "assessments").exists()


def test_answers_file_with_its_own_date(small, tmp_path_factory):
    answers = write(
        tmp_path_factory.mktemp("in"), "answers.yaml", "date: 2026-06-01\nskills:\n  fixing: [4, 4]\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "elenefolio", "assess", str(small), "--answers", str(answers)],
        capture_output=True,
        text=True,
        timeout=30,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr
    assert (small / "assessments" / "2026-06-01.yaml").is_file()


def test_help_lists_the_options():
    out = subprocess.run(
        [sys.executable, "-m", "elenefolio", "assess", "--help"], capture_output=True, text=True
    ).stdout
    for word in ("--answers", "--date", "--label", "--force", "resume"):
        assert word in out
