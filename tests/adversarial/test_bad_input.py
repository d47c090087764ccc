"""Bad input: an empty settings file, YAML alias and nesting bombs, and values that would
print more than one line or send escape sequences to the terminal. Each ends with one
clear ``path:line: message`` line and exit 1 — never a traceback, a hang or a raw value."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from attack_support import cli, md, portfolio, settings

EMPTY = "portfolio.yaml:1: empty settings file: 'title' and 'author.name' are required"
HANG = 30  # seconds: far beyond any honest run of these small portfolios
ONE_LINE = re.compile(r"^[^\n]+:\d+: [^\x00-\x1f\x7f-\x9f]*$")

EMPTY_SETTINGS = {
    "zero bytes": b"",
    "whitespace": b"  \n\t\n   \n",
    "comments": b"# my settings\n# title: not yet\n",
    "tilde": b"~\n",
    "null": b"null\n",
    "empty string": b'""\n',
    "byte order mark": b"\xef\xbb\xbf",
    "byte order mark and comment": b"\xef\xbb\xbf# nothing yet\r\n",
}
COMMANDS = {
    "check": ["check"],
    "build": ["build"],
    "passport": ["passport"],
    "export": ["export", "--format", "json"],
    "assess": ["assess", "--answers", "-"],
}


@pytest.mark.parametrize("content", EMPTY_SETTINGS.values(), ids=EMPTY_SETTINGS.keys())
def test_empty_settings_file_in_check(tmp_path, content):
    root = portfolio(tmp_path / "p", {"portfolio.yaml": content})
    run = cli("check", root, timeout=HANG)
    assert run.code == 1
    assert run.lines[0] == EMPTY


@pytest.mark.parametrize("argv", COMMANDS.values(), ids=COMMANDS.keys())
def test_empty_settings_file_in_every_command(tmp_path, argv):
    root = portfolio(tmp_path / "p", {"portfolio.yaml": ""})
    run = cli(*argv, root, cwd=tmp_path, timeout=HANG)
    assert run.code == 1
    assert EMPTY in run.lines


def test_empty_settings_file_in_new(tmp_path):
    root = portfolio(tmp_path / "p", {"portfolio.yaml": "# nothing yet\n"})
    run = cli("new", "journal", "My entry", "--path", root, timeout=HANG)
    assert (run.code, run.lines) == (1, [EMPTY])
    assert not (root / "journal" / "my-entry.md").exists()
    assert len(list((root / "journal").iterdir())) == 1


def test_empty_settings_file_in_serve_exits_instead_of_serving(tmp_path):
    root = portfolio(tmp_path / "p", {"portfolio.yaml": "~\n"})
    run = cli("serve", root, "--port", "0", timeout=HANG)
    assert (run.code, run.lines) == (1, [EMPTY])


@pytest.mark.parametrize(
    "content, what",
    [("- title: A\n- author: B\n", "a list"), ("just some words\n", "text"), ("42\n", "a number")],
)
def test_settings_that_are_not_fields(tmp_path, content, what):
    root = portfolio(tmp_path / "p", {"portfolio.yaml": content})
    run = cli("check", root, timeout=HANG)
    assert run.code == 1
    assert (
        run.lines[0]
        == f"portfolio.yaml:1: portfolio.yaml must hold settings such as 'title: ...', not {what}"
    )


def alias_bomb(levels: int = 9) -> list[str]:
    """The "billion laughs": each line holds nine aliases of the line above (9**9 values)."""
    lines = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, levels)]
    return lines


# (file, its text with the bomb, the line where the expansion grows too large: the fifth bomb line)
BOMBS = {
    "settings": ("portfolio.yaml", "\n".join(alias_bomb()) + "\n", 5),
    "front matter": (
        "journal/2026-03-01-first.md",
        "---\ntitle: Bomb\ndate: 2026-03-01\n" + "\n".join(alias_bomb()) + "\n---\nText.\n",
        8,
    ),
    "agenda": ("agenda.yaml", "\n".join(alias_bomb()) + "\ngoals: []\n", 5),
    "assessment round": ("assessments/2026-03-01.yaml", "\n".join(alias_bomb()) + "\n", 5),
    "skills": ("skills.yaml", "mode: extend\n" + "\n".join(alias_bomb()) + "\n", 6),
    "badge sidecar": ("badges/bomb.yaml", "\n".join(alias_bomb()) + "\n", 5),
}


@pytest.mark.parametrize("rel, text, line", BOMBS.values(), ids=BOMBS.keys())
def test_alias_bomb_stops_at_once(tmp_path, rel, text, line):
    root = portfolio(tmp_path / "p", {rel: text})
    run = cli("check", root, timeout=HANG)
    assert run.code == 1
    assert f"{rel}:{line}: too many aliases" in run.lines


def test_alias_bomb_is_stopped_when_parsed():
    """The bomb is refused by the reader itself, before anything walks the data."""
    code = (
        "import sys, time; from elenefolio.load.yamlfile import YamlError, parse_yaml\n"
        "t = time.perf_counter()\n"
        "try:\n    parse_yaml(sys.stdin.read(), first_line=2)\n"
        "except YamlError as exc:\n    print(exc.line, exc.message, time.perf_counter() - t < 1.0)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        input="\n".join(alias_bomb(12)),
        text=True,
        capture_output=True,
        timeout=HANG,
    ).stdout
    assert out.split() == ["6", "too", "many", "aliases", "True"]


def test_many_small_aliases_are_too_many(tmp_path):
    text = (
        "---\ntitle: Aliases\ndate: 2026-03-01\nextra: &x 1\ntags: [" + ", ".join(["*x"] * 101) + "]\n---\n"
    )
    root = portfolio(tmp_path / "p", {"journal/2026-03-01-first.md": text})
    run = cli("check", root, timeout=HANG)
    assert "journal/2026-03-01-first.md:5: too many aliases" in run.lines


def test_a_few_aliases_still_work(tmp_path):
    text = "---\ntitle: Aliases\ndate: 2026-03-01\ntags: &t [one, two]\nkeywords: *t\n---\n"
    root = portfolio(
        tmp_path / "p",
        {
            "journal/2026-03-01-first.md": text.replace("keywords: *t\n", ""),
            "agenda.yaml": "goals: &g []\nactions: *g\n",
        },
    )
    run = cli("check", root, timeout=HANG)
    assert run.code == 0, run.err


def test_alias_inside_itself(tmp_path):
    text = "---\ntitle: Loop\ndate: 2026-03-01\ntags: &t [a, *t]\n---\n"
    root = portfolio(tmp_path / "p", {"journal/2026-03-01-first.md": text})
    run = cli("check", root, timeout=HANG)
    assert run.code == 1
    assert "journal/2026-03-01-first.md:4: an alias refers to the list or mapping it is in" in run.lines


@pytest.mark.parametrize(
    "rel, template",
    [
        ("portfolio.yaml", "title: [{}]\n"),
        ("journal/2026-03-01-first.md", "---\ndate: 2026-03-01\ntitle: [{}]\n---\n"),
        ("agenda.yaml", "goals: [{}]\n"),
    ],
)
# A build for each depth (seconds in all): the deeper two are in the slow set.
@pytest.mark.parametrize(
    "depth", [150, pytest.param(950, marks=pytest.mark.slow), pytest.param(10_000, marks=pytest.mark.slow)]
)
def test_deep_nesting(tmp_path, rel, template, depth):
    nested = "[" * depth + "]" * depth
    root = portfolio(tmp_path / "p", {rel: template.replace("{}", nested)})
    run = cli("check", root, timeout=HANG)
    assert run.code == 1
    line = 3 if rel.endswith(".md") else 1
    assert any(
        re.fullmatch(
            rf"{re.escape(rel)}:{line}: (invalid YAML: exceeded maximum nesting depth|"
            r"too deeply nested \(more than 100 levels of lists and mappings\))",
            out,
        )
        for out in run.lines
    ), run.lines


ATTACKS = {
    "newline and escape": "bad\n\x1b[2J\x1b[31mred",
    "bell and backspace": "x\x07\x08\x08\x08ok",
    "carriage return": "real\roverwritten",
    "bidi override": "abc\u202edcba",
    "line separator": "one\u2028two",
    "very long": "y" * 1000,
}


@pytest.mark.parametrize("value", ATTACKS.values(), ids=ATTACKS.keys())
def test_values_are_shown_on_one_line_and_escaped(tmp_path, value):
    """Values in messages arrive from double-quoted YAML, where \\e and \\n are allowed."""
    quoted = json.dumps(value)  # a JSON string is a double-quoted YAML string
    root = portfolio(
        tmp_path / "p",
        {
            "portfolio.yaml": settings(language=value, base_url=value),
            "journal/2026-03-01-first.md": md(
                "Attack",
                visibility=quoted,
                draft=quoted,
                skills=f"[{quoted}]",
                tags=f"[{quoted}]",
                **{quoted: "1"},
            ),
        },
    )
    run = cli("check", root, timeout=HANG)
    assert run.code == 1
    problems = [line for line in run.err.split("\n") if line and not line.startswith("check:")]
    assert len(problems) >= 6, run.err
    for line in problems:
        assert ONE_LINE.match(line), repr(line)
        assert "\u202e" not in line and "\u2028" not in line
        assert len(line) < 400, line


def test_yaml_parser_text_is_one_line(tmp_path):
    root = portfolio(
        tmp_path / "p",
        {"journal/2026-03-01-first.md": '---\ntitle: "a\\qb"\ndate: 2026-03-01\n---\n'},
        base_url="https://ada-tester.eu/",
    )  # not a placeholder: no warning about it
    run = cli("check", root, timeout=HANG)
    assert run.code == 1
    assert [line for line in run.lines if not line.startswith("check:")] == [
        "journal/2026-03-01-first.md:2: invalid YAML: found unknown escape character"
    ]


def test_file_name_with_control_characters(tmp_path):
    name = "journal/2026-03-01-\x1b[31mred\nline.md"
    root = portfolio(tmp_path / "p", {name: "no front matter\n"})
    run = cli("check", root, timeout=HANG)
    assert run.code == 1
    assert (
        "journal/2026-03-01-\\x1b[31mred\\nline.md:1: missing front matter: start the file with a "
        "line '---', the fields (title: ..., date: ...), then another '---'"
    ) in run.lines
    assert "\x1b" not in run.err


def test_answers_file_path_and_values_are_escaped(tmp_path):
    root = portfolio(tmp_path / "p")
    answers = tmp_path / "a\x1b[2Jb.yaml"
    answers.write_text('date: "2026-13-\\e[2J"\nskills: {}\n', encoding="utf-8")
    run = cli("assess", root, "--answers", answers.name, cwd=tmp_path, timeout=HANG)
    assert run.code == 1
    assert run.lines == [
        "a\\x1b[2Jb.yaml:1: 'date' must be a date such as 2026-03-14, not '2026-13-\\x1b[2J'"
    ]


def test_answers_with_an_alias_bomb(tmp_path):
    root = portfolio(tmp_path / "p")
    (tmp_path / "answers.yaml").write_text("\n".join(alias_bomb()) + "\n", encoding="utf-8")
    run = cli("assess", root, "--answers", "answers.yaml", cwd=tmp_path, timeout=HANG)
    assert (run.code, run.lines) == (1, ["answers.yaml:5: too many aliases"])


def test_long_values_are_shortened(tmp_path):
    root = portfolio(tmp_path / "p", {"journal/2026-03-01-first.md": md("Long", visibility="z" * 3000)})
    run = cli("check", root, timeout=HANG)
    assert run.code == 1
    assert (
        "journal/2026-03-01-first.md:4: 'visibility' must be one of public, unlisted, shared, private, not '"
        + "z" * 79
        + "…'"
    ) in run.lines


def test_bom_only_agenda_is_no_agenda(tmp_path):
    root = portfolio(tmp_path / "p", {"agenda.yaml": b"\xef\xbb\xbf"})
    assert cli("check", root, timeout=HANG).code == 0


def test_check_json_keeps_one_line_messages(tmp_path):
    root = portfolio(tmp_path / "p", {"journal/2026-03-01-first.md": md("J", visibility='"pub\\nlic"')})
    run = cli("check", root, "--format", "json", timeout=HANG)
    assert run.code == 1
    assert (
        "\"message\": \"'visibility' must be one of public, unlisted, shared, private, not 'pub\\\\nlic'"
        in run.out
    )


def test_unfinished_round_nested_too_deeply_is_no_round():
    """The questionnaire's own progress file, edited by hand: a nesting bomb is no
    unfinished round, not a crash."""
    from elenefolio.assess.questionnaire import Progress

    assert Progress.from_yaml("date: 2026-03-01\nanswers: " + "[" * 5000 + "]" * 5000 + "\n") is None


def test_unfinished_round_with_a_confidence_off_the_scale_keeps_the_rest():
    """A progress file edited by hand: a confidence that is no 1-3 or an example that is no text is
    dropped, so the round written at the end still reads back without a problem."""
    from elenefolio.assess.questionnaire import Progress

    progress = Progress.from_yaml(
        "date: 2026-03-01\nconfidence: {a: 9, b: true, c: '2', d: 3}\n"
        "examples: {a: [x], b: '  ', d: ' in May '}\n"
    )
    assert (progress.confidence, progress.examples) == ({"d": 3}, {"d": "in May"})


def test_framework_import_of_a_nesting_bomb(tmp_path):
    (tmp_path / "deep.matrix").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    run = cli("framework", "import", "deep.matrix", cwd=tmp_path, timeout=HANG)
    assert (run.code, run.lines) == (1, ["deep.matrix:1: invalid JSON: too deeply nested"])
    assert not (tmp_path / "deep.yaml").exists()
