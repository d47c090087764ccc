"""Hooks: Python files a portfolio lists in portfolio.yaml take part in the build.

The examples of docs/extending.md are run as written; a hook that raises is one line at its
own file and line; a file is run only when portfolio.yaml lists it; an edited hook file is
seen by the next build (it is a dependency like any other input)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from attack_support import cli, md, portfolio, settings, tree

DOCS = Path(__file__).resolve().parents[2] / "docs" / "extending.md"

PAGE_TEMPLATE = (
    '{% extends "base.html" %}{% block main %}<h1>{{ page.title }}</h1>'
    '<p class="words">{{ page.title|words }}</p><p class="motto">{{ motto }}</p>'
    "{{ content }}{% endblock %}"
)


def doc_hooks() -> dict[str, str]:
    """The hook files of docs/extending.md: path (its first comment line) -> source."""
    blocks = re.findall(r"```python\n(.*?)```", DOCS.read_text(), flags=re.S)
    hooks = {}
    for block in blocks:
        first = block.splitlines()[0]
        assert first.startswith("# hooks/"), first
        hooks[first[2:].strip()] = block
    return hooks


@pytest.mark.slow  # a build for each example: seconds
def test_the_examples_of_the_documentation_run(tmp_path):
    hooks = doc_hooks()
    assert len(hooks) == 5
    root = portfolio(
        tmp_path / "p",
        {**hooks, "templates/page.html": PAGE_TEMPLATE},
        hooks=sorted(hooks),
        extra={"motto": "Try again"},
    )
    run = cli("build", root)
    assert run.code == 0, run.err
    for name in hooks:
        assert name in run.out  # the build says which hooks run
    now = (root / "_site" / "now" / "index.html").read_text()
    assert "Writing my thesis." in now  # on_site
    assert '<p class="words">5</p>' in now  # on_env: "What I am doing now"
    assert '<p class="motto">Learning by doing</p>' in now  # on_page_context
    pages = sum(1 for _ in (root / "_site").rglob("index.html"))
    assert (root / "pages.txt").read_text() == f"{pages}\n"  # on_post_build


def test_a_hook_that_raises_is_one_line_at_its_own_line(tmp_path):
    hook = "def on_site(site):\n    total = 0\n    return 1 / total\n"
    root = portfolio(tmp_path / "p", {"hooks/broken.py": hook}, hooks=["hooks/broken.py"])
    run = cli("build", root)
    assert run.code == 1
    assert any(
        line.startswith("hooks/broken.py:3: on_site failed: ZeroDivisionError") for line in run.lines
    ), run.err
    assert not (root / "_site").exists()


def test_a_hook_file_with_a_syntax_error_is_reported_by_check(tmp_path):
    root = portfolio(
        tmp_path / "p", {"hooks/typo.py": "def on_env(env)\n    pass\n"}, hooks=["hooks/typo.py"]
    )
    run = cli("check", root)
    assert run.code == 1
    assert any(line.startswith("hooks/typo.py:1: hook:") for line in run.lines), run.err


def test_an_unlisted_hook_file_never_runs(tmp_path):
    marker = tmp_path / "ran"
    hook = f"from pathlib import Path\nPath({str(marker)!r}).write_text('ran')\n"
    root = portfolio(tmp_path / "p", {"hooks/lurking.py": hook})
    assert cli("build", root).code == 0
    assert cli("check", root).code == 0
    assert not marker.exists()


def test_a_hook_outside_the_portfolio_is_refused(tmp_path):
    marker = tmp_path / "ran"
    (tmp_path / "outside.py").write_text(f"open({str(marker)!r}, 'w').write('ran')\n")
    root = portfolio(tmp_path / "p", hooks=["../outside.py"])
    (root / "hooks").mkdir()
    (root / "hooks" / "link.py").symlink_to(tmp_path / "outside.py")
    for listed in (["../outside.py"], ["hooks/link.py"]):
        (root / "portfolio.yaml").write_text(settings(hooks=listed))
        run = cli("build", root)
        assert run.code == 1
        assert run.lines and run.lines[0].startswith("portfolio.yaml:"), run.err
        assert not marker.exists()


@pytest.mark.slow  # a sequence of builds: seconds
def test_an_edited_hook_file_is_seen_by_the_next_build(tmp_path):
    hook = "def on_page_context(context, page):\n    return {**context, 'motto': 'one'}\n"
    template = '{% extends "base.html" %}{% block main %}<p class="motto">{{ motto }}</p>{% endblock %}'
    files = {
        "hooks/motto.py": hook,
        "templates/journal_entry.html": template,
        "journal/2026-03-02-second.md": md("Second entry"),
    }
    root = portfolio(tmp_path / "p", files, hooks=["hooks/motto.py"])
    assert cli("build", root).code == 0
    (root / "hooks" / "motto.py").write_text(hook.replace("'one'", "'two'"))
    assert cli("build", root).code == 0
    assert cli("build", root, "--no-cache", "-o", tmp_path / "clean").code == 0
    assert tree(root / "_site") == tree(tmp_path / "clean")
    assert (
        '<p class="motto">two</p>'
        in (root / "_site" / "journal" / "2026-03-02-second" / "index.html").read_text()
    )


@pytest.mark.parametrize("serving", [False, True])
def test_pages_a_hook_makes_from_the_bodies_follow_a_body_edit(tmp_path, serving):
    """A hook's on_site may make pages from what the entries say: a body-only edit then gets
    the whole site stage again (with build and with serve), and the output, sitemap included,
    is a clean build's."""
    from elenefolio.pipeline import BuildOptions, build
    from elenefolio.serve import LiveState, Rebuilder

    hook = (
        "from elenefolio.site.views import Page\n\n\n"
        "def on_site(site):\n"
        "    for view in site.journal:\n"
        "        if 'zqmark' in view.wrapped.body.plain:\n"
        "            site.pages.append(Page(view.url + 'marked/', 'page.html', 'Marked', {'content': 'zqpage'}))\n"
    )
    page = '{% extends "base.html" %}{% block main %}<h1>{{ page.title }}</h1>{{ content }}{% endblock %}'
    files = {"hooks/marked.py": hook, "templates/page.html": page}
    for i in range(3):
        files[f"journal/2026-03-0{i + 2}-entry.md"] = md(f"Entry {i}", date=f"2026-03-0{i + 2}")
    root = portfolio(tmp_path / "p", files, hooks=["hooks/marked.py"])
    rebuilder = None
    if serving:
        rebuilder = Rebuilder(BuildOptions(root), LiveState(), lambda *report: None)
        assert rebuilder.build()
        rebuilder.options.fork = False
        assert rebuilder.catch_up()
    else:
        assert cli("build", root).code == 0
    entry = root / "journal" / "2026-03-03-entry.md"
    entry.write_text(entry.read_text() + "\nNow marked: zqmark.\n")
    if rebuilder is not None:
        rebuilder.noticed([str(entry)])
        assert rebuilder.build(first=False)
    else:
        build(BuildOptions(root))
    assert cli("build", root, "--no-cache", "-o", tmp_path / "clean").code == 0
    got, want = tree(root / "_site"), tree(tmp_path / "clean")
    got = {k: v for k, v in got.items() if not k.startswith("pagefind/")}
    want = {k: v for k, v in want.items() if not k.startswith("pagefind/")}
    assert sorted(got) == sorted(want) and [k for k in want if got[k] != want[k]] == []
    assert "journal/2026-03-03-entry/marked/index.html" in got
    assert b"journal/2026-03-03-entry/marked/" in got["sitemap.xml"]
