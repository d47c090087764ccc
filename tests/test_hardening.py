"""Hostile or random input never escapes the portfolio and never ends in a traceback."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
import yaml
from conftest import write_portfolio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from elenefolio.pipeline import BuildOptions, build, check
from elenefolio.problems import BuildFailed

CONFIG = {
    "title": "T",
    "base_url": "https://example.org/",
    "default_visibility": "public",
    "author": {"name": "A"},
}


def make(root: Path, files: dict[str, str | bytes]) -> Path:
    return write_portfolio(root, {"portfolio.yaml": yaml.safe_dump(CONFIG), **files})


def problems_of(root: Path) -> list[str]:
    with pytest.raises(BuildFailed) as failed:
        build(BuildOptions(root))
    return [str(p) for p in failed.value.problems]


def test_symlink_to_outside_is_refused(tmp_path):
    outside = tmp_path / "secret.png"
    outside.write_bytes(b"\x89PNG not really")
    root = make(
        tmp_path / "p",
        {
            "journal/a.md": "---\ntitle: A\ndate: 2026-01-01\n---\n\n![x](link.png)\n",
        },
    )
    os.symlink(outside, root / "journal" / "link.png")
    assert problems_of(root) == ["journal/a.md:6: image 'link.png' points outside the portfolio folder"]


def test_absolute_and_parent_paths_are_refused(tmp_path):
    root = make(
        tmp_path,
        {
            "artefacts/a.md": "---\ntitle: A\ndate: 2026-01-01\nmedia:\n  - /etc/passwd\n  - ../../../etc/hostname\n---\nx\n",
        },
    )
    found = problems_of(root)
    assert "artefacts/a.md:5: media '/etc/passwd' points outside the portfolio folder" in found
    assert "artefacts/a.md:6: media '../../../etc/hostname' points outside the portfolio folder" in found


def test_scripts_never_reach_the_output_even_with_allow_html(tmp_path):
    config = dict(CONFIG, allow_html=True)
    root = make(
        tmp_path / "p",
        {
            "journal/a.md": "---\ntitle: A\ndate: 2026-01-01\n---\n\n"
            "<script>alert('x')</script>\n\n<img src=x onerror=\"alert(1)\">\n\n"
            '<a href="javascript:alert(2)">click</a> <b>bold</b>\n',
        },
    )
    (root / "portfolio.yaml").write_text(yaml.safe_dump(config))
    build(BuildOptions(root))
    html = (root / "_site/journal/a/index.html").read_text()
    assert "<b>bold</b>" in html
    for bad in ("<script>alert", "onerror", "javascript:"):
        assert bad not in html


@pytest.mark.parametrize("allow_html", [False, True])
def test_a_body_cannot_forge_the_slots_of_its_links(allow_html):
    """Bodies are rendered once with numbered slots for links (NUL, number, NUL). A file
    with NUL characters is refused as binary; and should one reach the Markdown parser,
    it becomes U+FFFD there, so the body's own text never becomes a link."""
    from types import SimpleNamespace

    from elenefolio.load import markup

    text = (
        "Before \x000\x00 middle \x00/\x00 after [B](b.md) and `code \x000\x00`.\n\n"
        "```\n\x000\x00\n```\n\n<span>\x000\x00</span>\n"
    )
    html, slots = markup.prepare(markup.parse(text, allow_html), allow_html)
    assert len(slots) == 1 and html.count("\x00") == 4  # the link to B: its start and end
    body = SimpleNamespace(html=html, slots=slots)
    out = markup.render(body, allow_html, {"b.md": "../b/"})
    assert "\x00" not in out and out.count("<a ") == 1 and out.count("</a>") == 1
    assert '<a href="../b/">B</a>' in out and "\ufffd0\ufffd middle" in out


def test_a_file_with_nul_characters_is_refused(tmp_path):
    root = make(
        tmp_path / "p",
        {
            "journal/a.md": "---\ntitle: A\ndate: 2026-01-01\n---\n\nBefore \x000\x00 after.\n",
        },
    )
    assert problems_of(root) == ["journal/a.md:1: this is a binary file, not Markdown or YAML text"]


def test_yaml_tags_are_not_executed(tmp_path):
    root = make(
        tmp_path,
        {
            "journal/a.md": "---\ntitle: !!python/object/apply:os.system ['echo hacked']\ndate: 2026-01-01\n---\nx\n",
        },
    )
    found = problems_of(root)
    assert len(found) == 1 and found[0].startswith("journal/a.md:2: invalid YAML")


keys = st.sampled_from(
    [
        "title",
        "date",
        "kind",
        "skills",
        "tags",
        "visibility",
        "draft",
        "media",
        "type",
        "resources",
        "summary",
        "slug",
        "featured",
        "extra",
        "course",
        "titel",
        "skils",
        "x",
    ]
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 3000),
    st.text(max_size=20),
    st.dates(dt.date(1900, 1, 1), dt.date(2030, 1, 1)),
    st.sampled_from(["public", "private", "unlisted", "teamwork", "video", "idea"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(keys, inner, max_size=3)),
    max_leaves=6,
)
markdown = st.lists(
    st.one_of(
        st.text(max_size=40),
        st.sampled_from(
            [
                "# H",
                "## Sub",
                "- [ ] task",
                "| a | b |\n|---|---|\n| 1 | 2 |",
                "[^1]\n\n[^1]: n",
                "```python\nx = 1\n```",
                "[l](other.md)",
                "![i](missing.png)",
                "<b>x</b>",
                "[x](../../../etc/passwd)",
                "[j](javascript:alert(1))",
                "\x00",
                "---",
            ]
        ),
    ),
    max_size=6,
).map("\n\n".join)


@pytest.mark.slow  # a loop of generated portfolios, each built: seconds
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    front=st.dictionaries(keys, values, max_size=8),
    body=markdown,
    where=st.sampled_from(["journal/e.md", "artefacts/a.md", "artefacts/b/index.md"]),
)
def test_random_front_matter_and_markdown_never_crash(tmp_path_factory, front, body, where):
    root = tmp_path_factory.mktemp("p")
    try:
        text = "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n" + body
    except yaml.YAMLError:
        return
    make(root, {where: text})
    try:
        build(BuildOptions(root))
    except BuildFailed as failed:
        for problem in failed.problems:
            assert problem.line >= 1 and problem.message
            assert ONE_LINE.match(str(problem)), repr(str(problem))


# a problem as printed: one line, ``path:line: message``, nothing a terminal would act on
ONE_LINE = re.compile(r"^[^\n]+:\d+: [^\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]+$")
nasty = st.text(
    st.one_of(
        st.characters(blacklist_categories=("Cs",)),
        st.sampled_from(list("\n\r\t\x1b\x00\x07\x08\x85\u2028\u202e")),
    ),
    max_size=30,
)
nasty_values = st.one_of(nasty, st.lists(nasty, max_size=3), st.dictionaries(nasty, nasty, max_size=2))
settings_keys = st.sampled_from(
    [
        "title",
        "language",
        "base_url",
        "theme",
        "framework",
        "default_visibility",
        "allow_html",
        "passport",
        "self_assessment",
        "extra",
        "titel",
    ]
)


@pytest.mark.slow  # a loop of generated portfolios: seconds
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    front=st.dictionaries(st.one_of(keys, nasty), nasty_values, max_size=5),
    config=st.dictionaries(st.one_of(settings_keys, nasty), nasty_values, max_size=4),
    author=st.dictionaries(
        st.sampled_from(["name", "email", "photo", "links", "headline", "nmae"]), nasty_values, max_size=3
    ),
)
def test_random_values_give_one_line_problems(tmp_path_factory, front, config, author):
    """Newlines, terminal escapes and other control characters in any value or key of the
    front matter or the settings never break the one-line rule of problems."""
    root = tmp_path_factory.mktemp("p")
    settings_data = {**CONFIG, **config, "author": {"name": "A", **author}}
    entry = {"title": "T", "date": dt.date(2026, 1, 1), **front}
    write_portfolio(
        root,
        {
            "portfolio.yaml": yaml.safe_dump(settings_data, allow_unicode=True),
            "journal/e.md": "---\n" + yaml.safe_dump(entry, allow_unicode=True) + "---\nx\n",
        },
    )
    for problem in check(root):
        assert ONE_LINE.match(str(problem)), repr(str(problem))
