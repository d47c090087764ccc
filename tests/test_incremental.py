"""Incremental builds make exactly what a clean build makes.

Each test copies the example portfolio, applies a sequence of edits, and
after every step compares the incrementally built output folder with a
clean build of the same sources, file by file and byte by byte.
"""

from __future__ import annotations

import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import canary_hits, unsealed

from elenefolio.pipeline import BuildOptions, build
from elenefolio.problems import BuildFailed
from elenefolio.render.theme import builtin_themes_dir

EXAMPLE = Path(__file__).resolve().parent.parent / "example-portfolio"


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def assert_same_as_clean(root: Path, tmp: Path, **options) -> object:
    result = build(BuildOptions(root, **options))
    clean_dir = tmp / "clean"
    shutil.rmtree(clean_dir, ignore_errors=True)
    build(BuildOptions(root, output=clean_dir, incremental=False, **options))
    got, want = unsealed(tree(result.destination)), unsealed(tree(clean_dir))
    assert sorted(got) == sorted(want), set(got) ^ set(want)
    differing = [name for name in want if got[name] != want[name]]
    assert not differing, differing
    return result


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    root = tmp_path / "portfolio"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("_site", "_private", ".elenefolio-cache"))
    return root


def front(path: Path, key: str, value: str) -> None:
    """Set a front matter field."""
    text = path.read_text()
    head, body = text[4:].split("\n---\n", 1)
    lines = [line for line in head.split("\n") if not line.startswith(f"{key}:")]
    lines.append(f"{key}: {value}")
    path.write_text("---\n" + "\n".join(lines) + "\n---\n" + body)


def linked_to(root: Path) -> set[str]:
    """Names of Markdown files that another file links to (renaming them breaks links)."""
    names = set()
    for path in root.rglob("*.md"):
        names.update(Path(m).name for m in re.findall(r"\]\(([^)#]+\.md)", path.read_text()))
        names.update(Path(m).parent.name for m in re.findall(r"\]\(([^)#]+/index\.md)", path.read_text()))
    for listing in [*root.glob("collections/*.yaml"), *root.glob("feedback/*.md")]:
        # collections list their items, feedback names what it is on: journal/<slug>
        names.update(f"{slug}.md" for slug in re.findall(r"journal/([\w.-]+)", listing.read_text()))
    agenda = root / "agenda.yaml"  # the agenda's actions name journal entries by slug
    if agenda.exists():
        for listed in re.findall(r"^\s*journal:\s*\[([^\]]*)\]", agenda.read_text(), flags=re.M):
            names.update(f"{slug.strip()}.md" for slug in listed.split(","))
    return names


def journal(root: Path) -> list[Path]:
    return sorted((root / "journal").glob("*.md"))


# -- the edits ---------------------------------------------------------------------------


def edit_body(root: Path, rng: random.Random) -> str:
    path = rng.choice(journal(root))
    path.write_text(path.read_text() + f"\n\nA new paragraph {rng.randint(0, 10**6)}.\n")
    return f"edit body of {path.name}"


def edit_title(root: Path, rng: random.Random) -> str:
    path = rng.choice(journal(root))
    front(path, "title", f'"Retitled {rng.randint(0, 999)}"')
    return f"retitle {path.name}"


def edit_date(root: Path, rng: random.Random) -> str:
    path = rng.choice(journal(root))
    front(path, "date", f"2026-0{rng.randint(1, 9)}-{rng.randint(10, 28)}")
    return f"redate {path.name}"


def toggle_visibility(root: Path, rng: random.Random) -> str:
    path = rng.choice(journal(root))
    value = rng.choice(["private", "public", "unlisted"])
    front(path, "visibility", value)
    return f"{path.name} → {value}"


def edit_tags(root: Path, rng: random.Random) -> str:
    path = rng.choice(journal(root))
    front(path, "tags", f"[{rng.choice(['alpha', 'beta', 'film-project'])}, new-{rng.randint(0, 3)}]")
    return f"retag {path.name}"


def edit_skills(root: Path, rng: random.Random) -> str:
    path = rng.choice(journal(root))
    front(path, "skills", f"[{rng.choice(['teamwork', 'creativity', 'communication'])}]")
    return f"reskill {path.name}"


def rename(root: Path, rng: random.Random) -> str:
    keep = linked_to(root)
    candidates = [p for p in journal(root) if p.name not in keep]
    path = rng.choice(candidates)
    new = path.with_name(f"renamed-{rng.randint(0, 10**6)}.md")
    path.rename(new)
    return f"rename {path.name} → {new.name}"


def delete(root: Path, rng: random.Random) -> str:
    keep = linked_to(root)
    candidates = [p for p in journal(root) if p.name not in keep]
    path = rng.choice(candidates)
    path.unlink()
    return f"delete {path.name}"


def add_entry(root: Path, rng: random.Random) -> str:
    n = rng.randint(0, 10**6)
    (root / "journal" / f"added-{n}.md").write_text(
        f"---\ntitle: Added {n}\ndate: 2026-0{rng.randint(1, 9)}-15\nvisibility: public\n"
        f"skills: [teamwork]\ntags: [added]\n---\n\n## Heading\n\nText with a [link](https://example.org).\n"
    )
    return f"add added-{n}.md"


def edit_template(root: Path, rng: random.Random) -> str:
    name = rng.choice(["journal_entry.html", "tag.html", "base.html", "partials/macros.html"])
    override = root / "templates" / name
    if override.exists() and rng.random() < 0.4:
        override.unlink()
        return f"remove template override {name}"
    source = override if override.exists() else builtin_themes_dir() / "default" / "templates" / name
    text = source.read_text()
    marker = f"<!-- edit {rng.randint(0, 10**6)} -->"
    if name.startswith("partials/"):
        text = marker + "\n" + text
    else:
        text = (
            text.replace("</main>", f"{marker}</main>")
            if "</main>" in text
            else text.replace("{% endblock %}", f"{marker}{{% endblock %}}", 1)
        )
    override.parent.mkdir(parents=True, exist_ok=True)
    override.write_text(text)
    return f"edit template {name}"


def edit_static(root: Path, rng: random.Random) -> str:
    target = root / "static" / f"note-{rng.randint(0, 2)}.txt"
    if target.exists() and rng.random() < 0.5:
        target.unlink()
        return f"remove static {target.name}"
    target.write_text(f"static {rng.randint(0, 10**6)}\n")
    return f"write static {target.name}"


def edit_about(root: Path, rng: random.Random) -> str:
    about = root / "about.md"
    about.write_text(about.read_text() + f"\nMore about me {rng.randint(0, 999)}.\n")
    return "edit about.md"


def edit_config(root: Path, rng: random.Random) -> str:
    config = root / "portfolio.yaml"
    text = config.read_text()
    config.write_text(
        re.sub(r"^title: .*$", f'title: "Portfolio {rng.randint(0, 999)}"', text, count=1, flags=re.M)
    )
    return "retitle the portfolio"


EDITS = [
    edit_body,
    edit_title,
    edit_date,
    toggle_visibility,
    edit_tags,
    edit_skills,
    rename,
    delete,
    add_entry,
    edit_template,
    edit_static,
    edit_about,
    edit_config,
]


# -- the tests ---------------------------------------------------------------------------


@pytest.mark.slow  # a sequence of builds, each compared with a clean build
@pytest.mark.parametrize("seed", [1, 2])
def test_random_edit_sequences_match_clean_builds(portfolio: Path, tmp_path: Path, seed: int):
    rng = random.Random(seed)
    assert_same_as_clean(portfolio, tmp_path)
    steps = []
    for _ in range(6):
        edit = rng.choice(EDITS)
        steps.append(edit(portfolio, rng))
        try:
            assert_same_as_clean(portfolio, tmp_path)
        except AssertionError as exc:
            raise AssertionError(f"after {steps}: {exc}") from exc


@pytest.mark.slow  # a sequence of builds, each compared with a clean build
def test_every_kind_of_edit_once(portfolio: Path, tmp_path: Path):
    rng = random.Random(42)
    assert_same_as_clean(portfolio, tmp_path)
    for edit in EDITS:
        step = edit(portfolio, rng)
        try:
            assert_same_as_clean(portfolio, tmp_path)
        except AssertionError as exc:
            raise AssertionError(f"after {step}: {exc}") from exc


@pytest.mark.slow  # a sequence of builds, each compared with a clean build
def test_private_public_private_round_trip(portfolio: Path, tmp_path: Path):
    entry = portfolio / "journal" / "2026-02-26-am-i-slower-than-everyone.md"
    canary = "CANARY-incremental-4711"
    entry.write_text(entry.read_text() + f"\n{canary}\n")
    for visibility in ("private", "public", "private", "unlisted", "private"):
        front(entry, "visibility", visibility)
        assert_same_as_clean(portfolio, tmp_path)
        output = b"".join(tree(portfolio / "_site").values())
        assert (canary.encode() in output) == (visibility != "private")
    # the owner's private copy, built incrementally with drafts, matches too
    front(entry, "draft", "true")
    for drafts in (False, True, False):
        assert_same_as_clean(portfolio, tmp_path, private=True, drafts=drafts)
        output = b"".join(tree(portfolio / "_private").values())
        assert (canary.encode() in output) == drafts


def test_no_change_rebuild_renders_and_writes_nothing(portfolio: Path, tmp_path: Path):
    first = build(BuildOptions(portfolio))
    assert first.written == first.files and first.rendered == first.pages
    stamps = {p: p.stat().st_mtime_ns for p in (portfolio / "_site").rglob("*") if p.is_file()}
    again = build(BuildOptions(portfolio))
    assert (again.written, again.rendered, again.removed) == (0, 0, 0)
    assert again.unchanged == first.files
    assert stamps == {p: p.stat().st_mtime_ns for p in (portfolio / "_site").rglob("*") if p.is_file()}


def always_rendered(portfolio: Path) -> set[str]:
    """Pages rendered again whatever changed: those whose templates call methods with
    arguments (the self-assessment's charts and tables), which the recorder cannot replay.
    Found by a rebuild after a change that no page shows."""
    note = portfolio / "static" / "unrelated-note.txt"
    note.parent.mkdir(exist_ok=True)
    note.write_text(f"{note.read_text() if note.exists() else ''}+")
    volatile = set(build(BuildOptions(portfolio)).rendered_urls)
    assert volatile <= {u for u in volatile if u.startswith(("skills/", "self-assessment/"))}
    return volatile


def test_one_body_edit_renders_only_the_pages_that_show_it(portfolio: Path, tmp_path: Path):
    build(BuildOptions(portfolio))
    volatile = always_rendered(portfolio)
    # an old entry in the middle: not on the home page's latest list
    entry = portfolio / "journal" / "2026-03-19-defending-the-scenario.md"
    entry.write_text(entry.read_text() + "\n\nOne more sentence at the end.\n")
    result = assert_same_as_clean(portfolio, tmp_path)
    assert set(result.rendered_urls) - volatile == {"journal/2026-03-19-defending-the-scenario/"}
    # written: the page, the feed (it carries every body), the search index (made from the
    # page) and at most the always-rendered pages
    index_files = sum(1 for p in (portfolio / "_site" / "pagefind").rglob("*") if p.is_file())
    assert 2 <= result.written <= 2 + index_files + len(volatile)


@pytest.mark.slow  # a sequence of builds, each compared with a clean build
def test_a_rating_edit_draws_the_skill_chart_again(portfolio: Path, tmp_path: Path):
    """The render stage makes the charts (``render.assessment``) from what the page reads of
    the site: a skill's page is not always rendered, yet a new level in a round is seen. The
    page shows the chart alone (no table of the same levels), so that it is rendered again
    only if what the chart read was recorded."""
    (portfolio / "templates" / "partials").mkdir(parents=True)
    (portfolio / "templates" / "partials" / "skill_levels.html").write_text(
        "{% set sa = site.self_assessment %}"
        "{% if sa and sa.has_rounds %}{{ sa | history_chart(skill.id) }}{% endif %}\n"
    )
    build(BuildOptions(portfolio))
    volatile = always_rendered(portfolio)
    page = portfolio / "_site" / "skills" / "teamwork" / "index.html"
    before = BeautifulSoup(page.read_text(), "html.parser").select_one("svg.chart-history")
    assert before is not None and "skills/teamwork/" not in volatile
    replace_in(
        portfolio / "assessments" / "2026-05-27-end-of-semester.yaml",
        "  teamwork:\n    answers: [4, 4, 4, 4]",
        "  teamwork:\n    answers: [5, 5, 5, 5]",
    )
    result = assert_same_as_clean(portfolio, tmp_path)
    assert "skills/teamwork/" in result.rendered_urls
    after = BeautifulSoup(page.read_text(), "html.parser").select_one("svg.chart-history")
    values = [t.get_text() for t in after.select("text.value")]
    assert values[-1] == "5.0" and values != [t.get_text() for t in before.select("text.value")]


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1))


@pytest.mark.slow  # a sequence of builds, each compared with a clean build
def test_title_edit_renders_neighbours_lists_skills_and_tags(portfolio: Path, tmp_path: Path):
    build(BuildOptions(portfolio))
    entry = portfolio / "journal" / "2026-03-19-defending-the-scenario.md"
    front(entry, "title", '"A brand new title"')
    result = assert_same_as_clean(portfolio, tmp_path)
    rendered = set(result.rendered_urls)
    assert "journal/2026-03-19-defending-the-scenario/" in rendered
    assert "journal/" in rendered
    # its neighbours' previous/next links show its title; the private entry between is skipped
    assert {
        "journal/2026-03-12-lab-record-pendulum-with-a-sail/",
        "journal/2026-04-02-the-footage-that-disappeared/",
    } <= rendered
    assert "journal/2026-02-09-where-do-i-start/" not in rendered
    assert len(rendered) < result.pages / 2


@pytest.mark.slow  # a sequence of builds, each compared with a clean build
def test_template_edit_renders_the_pages_that_used_it(portfolio: Path, tmp_path: Path):
    first = build(BuildOptions(portfolio))
    volatile = always_rendered(portfolio)
    override = portfolio / "templates" / "artefact.html"
    override.parent.mkdir()
    text = (builtin_themes_dir() / "default" / "templates" / "artefact.html").read_text()
    override.write_text(text.replace("{% endblock %}", "<!-- changed -->{% endblock %}", 1))
    result = assert_same_as_clean(portfolio, tmp_path)
    artefact_pages = [
        u for u in (p.url for p in _pages(portfolio)) if u.startswith("artefacts/") and u != "artefacts/"
    ]
    assert set(result.rendered_urls) - volatile == set(artefact_pages)
    assert first.pages == result.pages


def _pages(root: Path):
    from elenefolio.load import load_portfolio
    from elenefolio.problems import Problems
    from elenefolio.site import build_site
    from elenefolio.site.audience import Audience

    problems = Problems(root)
    return build_site(load_portfolio(root, problems), Audience(), problems).pages


@pytest.mark.slow  # a sequence of builds, each compared with a clean build
def test_failed_build_leaves_previous_output_and_recovers(portfolio: Path, tmp_path: Path):
    build(BuildOptions(portfolio))
    before = tree(portfolio / "_site")
    entry = journal(portfolio)[3]
    good = entry.read_text()
    entry.write_text(good + "\n")
    front(entry, "date", "not a date")
    with pytest.raises(BuildFailed):
        build(BuildOptions(portfolio))
    assert tree(portfolio / "_site") == before
    assert not [p for p in portfolio.iterdir() if p.name.startswith("._site")]
    entry.write_text(good.replace("## ", "### ", 1) + "\nFixed.\n")
    assert_same_as_clean(portfolio, tmp_path)


@pytest.mark.slow  # a sequence of builds, each compared with a clean build
def test_hand_edited_or_deleted_output_is_repaired(portfolio: Path, tmp_path: Path):
    build(BuildOptions(portfolio))
    site = portfolio / "_site"
    (site / "index.html").write_text("vandalised")
    (site / "journal" / "2026-04-08-halfway-check" / "index.html").unlink()
    (site / "stray.html").write_text("not ours")
    result = assert_same_as_clean(portfolio, tmp_path)
    assert result.written == 2 and result.removed == 1


@pytest.mark.slow  # a sequence of builds, each compared with a clean build
def test_a_body_edit_rewrites_one_bucket_of_the_item_cache(portfolio: Path, tmp_path: Path):
    """Loaded items are kept in buckets: an edit rewrites the bucket of the edited item,
    not the whole cache (10,000 entries would make that 70 MB a save)."""
    build(BuildOptions(portfolio))
    buckets = sorted((portfolio / ".elenefolio-cache").rglob("items-*.cache"))
    assert len(buckets) > 10  # the example's 27 items spread over the buckets
    before = {path: path.read_bytes() for path in buckets}
    entry = portfolio / "journal" / "2026-03-19-defending-the-scenario.md"
    entry.write_text(entry.read_text() + "\n\nOne more sentence at the end.\n")
    assert_same_as_clean(portfolio, tmp_path)
    changed = [path.name for path in buckets if path.read_bytes() != before[path]]
    assert len(changed) == 1
    assert sorted((portfolio / ".elenefolio-cache").rglob("items-*.cache")) == buckets


@pytest.mark.slow  # a sequence of builds, each compared with a clean build
def test_corrupt_cache_means_a_clean_build(portfolio: Path, tmp_path: Path):
    build(BuildOptions(portfolio))
    for cache_file in (portfolio / ".elenefolio-cache").rglob("*.cache"):
        cache_file.write_bytes(b"garbage")
    edit_title(portfolio, random.Random(5))
    assert_same_as_clean(portfolio, tmp_path)


def test_cache_folder_is_ignored_by_git_and_never_published(portfolio: Path):
    build(BuildOptions(portfolio))
    cache = portfolio / ".elenefolio-cache"
    assert (cache / ".gitignore").read_text().strip().endswith("*")
    assert not any(".elenefolio-cache" in p.as_posix() for p in (portfolio / "_site").rglob("*"))
    from elenefolio.scaffolds.starter import GITIGNORE

    assert ".elenefolio-cache/" in GITIGNORE


@pytest.mark.slow  # a sequence of builds, each compared with a clean build
def test_theme_filter_reading_a_model_object_is_never_trusted(portfolio: Path, tmp_path: Path):
    """A Python filter that reads an item directly (unseen by the recorder) re-renders its pages."""
    from elenefolio.render import templates

    original = templates.make_environment

    def with_filter(*args, **kwargs):
        env = original(*args, **kwargs)
        env.filters["plain_words"] = lambda item: len(item.wrapped.body.plain.split())
        return env

    templates.make_environment = with_filter
    import elenefolio.render as render_module

    render_module.make_environment = with_filter
    try:
        override = portfolio / "templates" / "tag.html"  # tag pages do not show bodies
        override.parent.mkdir()
        text = (builtin_themes_dir() / "default" / "templates" / "tag.html").read_text()
        words = "{% for i in tag.items %}<p class='words'>{{ i|plain_words }}</p>{% endfor %}"
        override.write_text(text.replace("{% endblock %}", words + "{% endblock %}", 1))
        build(BuildOptions(portfolio))
        entry = portfolio / "journal" / "2026-03-19-defending-the-scenario.md"
        entry.write_text(entry.read_text() + "\n\nfour more words here\n")
        assert_same_as_clean(portfolio, tmp_path)
    finally:
        templates.make_environment = original
        render_module.make_environment = original


@pytest.mark.slow  # a sequence of builds, each compared with a clean build
def test_edit_of_a_symlinked_entry_is_seen(portfolio: Path, tmp_path: Path):
    shared = portfolio / "shared-entries"  # a link must stay inside the portfolio
    shared.mkdir()
    entry = shared / "linked.md"
    entry.write_text("---\ntitle: Linked entry\ndate: 2026-05-01\nvisibility: public\n---\n\nFirst.\n")
    (portfolio / "journal" / "linked.md").symlink_to(entry)
    assert_same_as_clean(portfolio, tmp_path)
    entry.write_text(entry.read_text().replace("First.", "Second version."))
    assert_same_as_clean(portfolio, tmp_path)
    assert b"Second version." in (portfolio / "_site" / "journal" / "linked" / "index.html").read_bytes()


# -- a long-running process (serve) keeps its last good site between builds ---------------


def edit_body_link(root: Path, rng: random.Random) -> str:
    """A body edit that adds a link to another entry: the edited item's links change."""
    path, other = rng.sample(journal(root), 2)
    path.write_text(path.read_text() + f"\n\nSee also [this entry]({other.name}).\n")
    return f"link {path.name} → {other.name}"


def break_and_fix(root: Path, rng: random.Random) -> str:
    """A save that fails the build, then the fix (the kept site must not survive the failure)."""
    from elenefolio.incremental.fastbuild import Warm  # noqa: F401 - the warm path is what this exercises

    path = rng.choice(journal(root))
    good = path.read_text()
    front(path, "date", "not a date")
    with pytest.raises(BuildFailed):
        build(BuildOptions(root, warm=WARM[root]))
    path.write_text(good + f"\nFixed {rng.randint(0, 999)}.\n")
    return f"break and fix {path.name}"


WARM: dict[Path, object] = {}


@pytest.mark.slow  # a sequence of builds, each compared with a clean build
@pytest.mark.parametrize("seed", [5, 6])
def test_builds_of_a_running_server_match_clean_builds(portfolio: Path, tmp_path: Path, seed: int):
    """Mostly body edits (what a learner writing does), mixed with every other kind of edit."""
    from elenefolio.incremental.fastbuild import Warm

    warm = WARM[portfolio] = Warm()
    rng = random.Random(seed)
    assert_same_as_clean(portfolio, tmp_path, warm=warm)
    edits = [edit_body] * 8 + [edit_body_link, break_and_fix] + EDITS
    steps = []
    for _ in range(10):
        edit = rng.choice(edits)
        steps.append(edit(portfolio, rng))
        try:
            assert_same_as_clean(portfolio, tmp_path, warm=warm)
        except AssertionError as exc:
            raise AssertionError(f"after {steps}: {exc}") from exc
    assert warm.reused >= 1  # some builds did use the kept site


@pytest.mark.slow  # a sequence of builds, each compared with a clean build
def test_body_edit_in_a_running_server_reloads_only_that_item(portfolio: Path, tmp_path: Path):
    from elenefolio.incremental.fastbuild import Warm

    build(BuildOptions(portfolio))
    volatile = always_rendered(portfolio)
    warm = Warm()
    build(BuildOptions(portfolio, warm=warm))  # what serve does when it starts
    kept = warm.site
    entry = portfolio / "journal" / "2026-03-19-defending-the-scenario.md"
    for n in range(2):
        before = warm.site
        shown = {view.url: (view, view.wrapped) for view in before.items}
        entry.write_text(entry.read_text() + f"\n\nA sentence written while serving {n}.\n")
        result = assert_same_as_clean(portfolio, tmp_path, warm=warm)
        assert warm.reused == n + 1
        # a new frozen site; the kept one is as it was, and what did not change is shared
        after = warm.site
        assert after is not before and after.frozen
        assert all(view.wrapped is shown[view.url][1] for view in before.items)
        edited = "journal/2026-03-19-defending-the-scenario/"
        for view in after.items:
            assert view is not shown[view.url][0]
            assert (view.wrapped is shown[view.url][1]) == (view.url != edited)
        new_entry = next(v for v in after.journal if v.url == edited)
        assert new_entry.next.previous is new_entry and new_entry in after.items
        assert f"serving {n}." in new_entry.body.plain
        assert f"serving {n}." not in next(v for v in before.items if v.url == edited).body.plain
        assert set(result.rendered_urls) - volatile == {"journal/2026-03-19-defending-the-scenario/"}
        page = portfolio / "_site" / "journal" / "2026-03-19-defending-the-scenario" / "index.html"
        assert f"A sentence written while serving {n}." in page.read_text()
    # a front matter edit is not a body edit: the whole portfolio is loaded again
    front(entry, "title", '"Retitled while serving"')
    assert_same_as_clean(portfolio, tmp_path, warm=warm)
    assert warm.site is not kept and warm.reused == 2


@pytest.mark.slow  # a sequence of builds, each compared with a clean build
def test_a_save_while_serving_reloads_first_then_updates_the_search_index(portfolio: Path, tmp_path: Path):
    from elenefolio.serve import LiveState, Rebuilder

    state = LiveState()
    rebuilder = Rebuilder(BuildOptions(portfolio), state, lambda *report: None)
    assert rebuilder.build()  # serve's first build: complete, search index included
    assert not rebuilder.search_behind

    def index() -> dict[str, bytes]:
        return {k: v for k, v in tree(portfolio / "_site").items() if k.startswith("pagefind/")}

    before = index()
    entry = portfolio / "journal" / "2026-03-19-defending-the-scenario.md"
    entry.write_text(entry.read_text() + "\n\nA word never written before: quokkaberry.\n")
    version = state.version
    assert rebuilder.build(first=False)
    # the open pages are told to reload as soon as the pages are written...
    assert state.version == version + 1
    page = portfolio / "_site" / "journal" / "2026-03-19-defending-the-scenario" / "index.html"
    assert "quokkaberry" in page.read_text()
    # ... while the search index is still the previous one
    assert rebuilder.search_behind and index() == before
    assert canary_hits(portfolio / "_site" / "pagefind", ["quokkaberry"]) == []
    assert rebuilder.catch_up() and not rebuilder.search_behind
    assert state.version == version + 1  # no second reload
    assert canary_hits(portfolio / "_site" / "pagefind", ["quokkaberry"])  # now searchable
    result = assert_same_as_clean(portfolio, tmp_path)  # what serve left equals a clean build
    assert result.written == 0
    # a page that leaves the index (made private) leaves it before the pages reload
    front(entry, "visibility", "private")
    assert rebuilder.build(first=False) and not rebuilder.search_behind
    assert canary_hits(portfolio / "_site" / "pagefind", ["quokkaberry"]) == []
    front(entry, "visibility", "public")
    assert rebuilder.build(first=False)
    assert rebuilder.catch_up()
    # a build from the command line after a save whose index was left behind completes it
    entry.write_text(entry.read_text() + "\n\nAnd another one: pangolinade.\n")
    assert rebuilder.build(first=False) and rebuilder.search_behind
    assert_same_as_clean(portfolio, tmp_path)


@pytest.mark.slow  # starts worker processes, then compares with a clean build
def test_a_cold_build_loads_items_in_several_processes(portfolio: Path, tmp_path: Path, monkeypatch):
    """Many items not in the cache are loaded by worker processes; the site is the same,
    and a broken item is reported exactly as a build in one process reports it."""
    import elenefolio.incremental as incremental

    monkeypatch.setattr(incremental, "PREFETCH_FROM", 5)  # the example has 27 items
    prefetched: list[int] = []
    real = incremental.ItemCache.prefetch

    def counting(self, work, *args, **kwargs):
        real(self, work, *args, **kwargs)
        prefetched.append(len(self.stored))

    monkeypatch.setattr(incremental.ItemCache, "prefetch", counting)
    assert_same_as_clean(portfolio, tmp_path, jobs=2)
    assert prefetched[-1] >= 20  # loaded ahead by the workers
    entry = journal(portfolio)[4]
    entry.write_text(entry.read_text() + "\n\nEdited after a prefetched build.\n")
    assert_same_as_clean(portfolio, tmp_path, jobs=2)

    shutil.rmtree(portfolio / ".elenefolio-cache")
    front(entry, "date", "not a date")
    with pytest.raises(BuildFailed) as parallel:
        build(BuildOptions(portfolio, jobs=2))
    shutil.rmtree(portfolio / ".elenefolio-cache", ignore_errors=True)
    with pytest.raises(BuildFailed) as serial:
        build(BuildOptions(portfolio, jobs=1))
    assert [str(p) for p in parallel.value.problems] == [str(p) for p in serial.value.problems]
    assert any(entry.name in str(p) for p in serial.value.problems)


# -- feedback files, through the command line ---------------------------------------------


def cli_build(root: Path, output: Path, *flags: str) -> dict[str, bytes]:
    run = subprocess.run(
        [sys.executable, "-m", "elenefolio", "build", str(root), "-o", str(output), "-q", *flags],
        capture_output=True,
        text=True,
        timeout=600,
        stdin=subprocess.DEVNULL,
    )
    assert run.returncode == 0, run.stderr
    return tree(output)


FEEDBACK = """\
from: Dr. Ana Ruiz
role: tutor
date: 2026-05-30
visibility: {visibility}
ratings:
  communication: {rating}
  teamwork: 3.5
comment: "{comment}"
"""


@pytest.mark.slow  # a sequence of builds, each compared with a clean build
@pytest.mark.parametrize("private", [False, True], ids=["public", "private"])
def test_feedback_edits_build_as_a_clean_build_does(portfolio: Path, tmp_path: Path, private: bool):
    """`elenefolio build` after each edit of feedback/*.yaml writes, byte for byte, what
    `elenefolio build --no-cache` writes."""
    flags = ("--private",) if private else ()
    incremental, clean = tmp_path / "incremental", tmp_path / "clean"

    def same_as_clean(step: str) -> bytes:
        got = unsealed(cli_build(portfolio, incremental, *flags))
        shutil.rmtree(clean, ignore_errors=True)
        want = unsealed(cli_build(portfolio, clean, "--no-cache", *flags))
        assert sorted(got) == sorted(want), (step, set(got) ^ set(want))
        assert [name for name in want if got[name] != want[name]] == [], step
        return b"".join(got.values())

    first = same_as_clean("before any feedback")
    assert b"Ana Ruiz" not in first
    tutor, peer = portfolio / "feedback" / "tutor.yaml", portfolio / "feedback" / "peer.yaml"
    tutor.parent.mkdir(exist_ok=True)
    steps = [
        ("a private feedback file", tutor, dict(visibility="private", rating=4, comment="CANARY-one")),
        (
            "its rating and comment edited",
            tutor,
            dict(visibility="private", rating=2.5, comment="CANARY-two"),
        ),
        ("made public", tutor, dict(visibility="public", rating=2.5, comment="CANARY-two")),
        ("a second, public one", peer, dict(visibility="public", rating=5, comment="CANARY-peer")),
        ("the first one deleted", tutor, None),
    ]
    for step, path, fields in steps:
        if fields is None:
            path.unlink()
        else:
            text = FEEDBACK.format(**fields)
            path.write_text(text.replace("Dr. Ana Ruiz", "Sam Peer") if path is peer else text)
        output = same_as_clean(step)
        shown = {canary for canary in (b"CANARY-one", b"CANARY-two", b"CANARY-peer") if canary in output}
        on_disk = {
            f"CANARY-{c}".encode()
            for p in tutor.parent.glob("*.yaml")
            for c in ("one", "two", "peer")
            if f"CANARY-{c}" in p.read_text() and (private or "visibility: public" in p.read_text())
        }
        assert shown == on_disk, step  # what the build may show, and only that
