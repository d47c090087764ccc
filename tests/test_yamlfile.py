"""The YAML reader: safe loading, and the line of every key and list item."""

import datetime as dt

import pytest

from elenefolio.load.yamlfile import LineDict, LineList, YamlError, parse_yaml


def test_keys_and_list_items_remember_their_lines():
    data = parse_yaml("title: A\n\nskills:\n  - teamwork\n  - communication\nnested:\n  x: 1\n")
    assert isinstance(data, LineDict)
    assert data.line_of("title") == 1
    assert data.line_of("skills") == 3
    assert isinstance(data["skills"], LineList)
    assert [data["skills"].line_of(i) for i in range(2)] == [4, 5]
    assert data["nested"].line_of("x") == 7
    # an unknown key or index falls back to the container's own line
    assert data.line_of("missing") == data.line == 1
    assert data["skills"].line_of(9) == data["skills"].line


def test_first_line_shifts_every_line():
    # front matter starts on line 2 of a Markdown file, after '---'
    data = parse_yaml("title: A\ntags:\n  - a\n  - b\n", first_line=2)
    assert data.line == 2
    assert data.line_of("title") == 2
    assert data.line_of("tags") == 3
    assert data["tags"].item_lines == [4, 5]


def test_flow_list_items_have_the_line_of_the_list():
    data = parse_yaml("a: 1\nskills: [teamwork, leadership]\n", first_line=5)
    assert data["skills"].item_lines == [6, 6]


def test_syntax_error_reports_its_line():
    with pytest.raises(YamlError) as caught:
        parse_yaml("title: ok\ndate: 2026-01-01\ntags: [a, b\nkind: plan\n", first_line=2)
    assert caught.value.message.startswith("invalid YAML:")
    # the unclosed flow list opened on line 3 of the text (4 in the file) is
    # noticed where the parser gives up, never before the list starts
    assert caught.value.line in (4, 5)


def test_bad_indentation_error_line():
    with pytest.raises(YamlError) as caught:
        parse_yaml("title: ok\n  bad: indent\n")
    assert caught.value.line == 2


def test_duplicate_key_is_an_error_at_the_second_key():
    with pytest.raises(YamlError) as caught:
        parse_yaml("title: one\ndate: 2026-01-01\ntitle: two\n")
    assert caught.value.line == 3
    assert "duplicate key 'title'" in caught.value.message


def test_complex_key_is_refused():
    with pytest.raises(YamlError) as caught:
        parse_yaml("a: 1\n? [x, y]\n: 2\n")
    assert "a key must be a plain word" in caught.value.message
    assert caught.value.line == 2


def test_loading_is_safe():
    with pytest.raises(YamlError) as caught:
        parse_yaml("a: !!python/object/apply:os.system ['echo hacked']\n")
    assert "could not determine a constructor" in caught.value.message
    with pytest.raises(YamlError):
        parse_yaml("a: !custom x\n")


def test_dates_become_dates_and_impossible_dates_stay_text():
    data = parse_yaml("a: 2026-03-14\nb: 2026-02-30\nc: 2026-03-14 09:30:00\n")
    assert data["a"] == dt.date(2026, 3, 14)
    assert data["b"] == "2026-02-30"  # reported later by the 'date' field, not a crash
    assert data["c"] == dt.datetime(2026, 3, 14, 9, 30)


def test_empty_document_is_none():
    assert parse_yaml("") is None
    assert parse_yaml("# only a comment\n") is None


def test_a_list_reached_through_an_alias_is_shifted_once():
    data = parse_yaml("tags: &t\n  - a\n  - b\nkeywords: *t\n", first_line=2)
    assert data["keywords"] is data["tags"]
    assert data["tags"].item_lines == [3, 4]


def test_alias_limits():
    def uses(count: int) -> str:
        return "a: &a [1]\nb: [" + ", ".join(["*a"] * count) + "]\n"

    assert len(parse_yaml(uses(100))["b"]) == 100
    with pytest.raises(YamlError) as too_many:
        parse_yaml(uses(101), first_line=3)
    assert (too_many.value.line, too_many.value.message) == (4, "too many aliases")
    nested = "\n".join(
        ["l0: &l0 [" + ", ".join(["x"] * 100) + "]"]
        + [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 4)]
    )
    with pytest.raises(YamlError) as too_large:
        parse_yaml(nested)
    assert (too_large.value.line, too_large.value.message) == (4, "too many aliases")
