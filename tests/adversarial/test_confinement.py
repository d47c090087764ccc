"""Nothing from outside the portfolio gets in: a symbolic link whose target lies outside
the portfolio folder is an error at the link's own path, reported by ``check`` and
``build``, and its target is never read; ``theme:`` is a name, never a path.

Each case writes a secret (``CANARY``) outside the portfolio, links to it from inside,
and checks that the secret reaches neither the command's output, nor the site, nor the
build cache. Links that stay inside the portfolio keep working."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from attack_support import CANARY, cli, leaks, md, png, portfolio, settings

OUTSIDE = "symbolic link leads outside the portfolio"
LOOP = "symbolic link makes a loop: it leads to a folder that holds it"
POSTER = png((23, 17), (200, 90, 30))  # a real picture: published photos are read
SECRET_ENTRY = md("Secret", f"The secret is {CANARY}.")
SECRET_ROUND = f"date: 2026-01-01\nframework: elene4work\nnotes: {CANARY}\nskills: {{}}\n"
SECRET_PO = (
    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    f'msgid "Journal"\nmsgstr "{CANARY}"\n'
)
SECRET_SKILLS = (
    f"areas:\n  - id: secret\n    name: {CANARY}\nskills:\n  - id: hidden\n"
    f"    name: {CANARY}\n    area: secret\n"
)
SECRET_BADGE = json.dumps(
    {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "badge": {"name": CANARY},
        "issuedOn": "2026-01-01",
    }
)


def outside(tmp_path: Path, files: dict[str, str]) -> Path:
    """Files beside the portfolio, each holding the canary."""
    folder = tmp_path / "outside"
    for rel, text in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text, encoding="utf-8")
    return folder


def link(root: Path, rel: str, target: Path | str) -> None:
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, root / rel)


def refused(root: Path, *expected: str) -> None:
    """``check`` and ``build`` both fail with exactly the ``expected`` errors, and the
    canary is nowhere: not in what they print, the site or the build cache."""
    for command in ("check", "build"):
        run = cli(command, root, timeout=60)
        assert run.code == 1, (command, run.err)
        errors = [
            line
            for line in run.lines
            if ": warning: " not in line and not line.startswith(("check:", "build"))
        ]
        assert errors == list(expected), (command, run.err)
        assert CANARY not in run.out + run.err, command
    for folder in (root / ".elenefolio-cache", root / "_site"):
        if folder.exists():
            assert leaks(folder, CANARY) == []


@pytest.mark.slow  # a build of its own: seconds; the cheaper cases guard confinement in test-fast
def test_journal_entry_linked_outside(tmp_path):
    secret = outside(tmp_path, {"secret.md": SECRET_ENTRY})
    root = portfolio(tmp_path / "p")
    link(root, "journal/2026-03-02-borrowed.md", secret / "secret.md")
    refused(root, f"journal/2026-03-02-borrowed.md:1: {OUTSIDE}")


def test_journal_folder_linked_outside(tmp_path):
    secret = outside(tmp_path, {"entries/secret.md": SECRET_ENTRY})
    root = portfolio(tmp_path / "p")
    link(root, "journal/shared", secret / "entries")
    refused(root, f"journal/shared:1: {OUTSIDE}")


@pytest.mark.slow  # a build of its own: seconds; the cheaper cases guard confinement in test-fast
def test_artefact_folder_linked_outside(tmp_path):
    secret = outside(
        tmp_path,
        {"work/index.md": md("Work", f"![poster]({CANARY}.png) {CANARY}"), f"work/{CANARY}.png": CANARY},
    )
    root = portfolio(tmp_path / "p")
    link(root, "artefacts/work", secret / "work")
    refused(root, f"artefacts/work:1: {OUTSIDE}")


def test_artefact_file_linked_outside(tmp_path):
    secret = outside(tmp_path, {"secret.md": SECRET_ENTRY})
    root = portfolio(tmp_path / "p")
    link(root, "artefacts/poster.md", secret / "secret.md")
    refused(root, f"artefacts/poster.md:1: {OUTSIDE}")


@pytest.mark.slow  # a build of its own: seconds; the cheaper cases guard confinement in test-fast
def test_static_file_linked_outside(tmp_path):
    secret = outside(tmp_path, {"id_rsa": CANARY})
    root = portfolio(tmp_path / "p")
    link(root, "static/key.txt", secret / "id_rsa")
    refused(root, f"static/key.txt:1: {OUTSIDE}")


@pytest.mark.slow  # a build of its own: seconds; the cheaper cases guard confinement in test-fast
def test_static_folder_linked_outside(tmp_path):
    secret = outside(tmp_path, {"home/notes.txt": CANARY})
    root = portfolio(tmp_path / "p")
    link(root, "static/img", secret / "home")
    link(root, "static/etc", "/etc")
    refused(root, f"static/etc:1: {OUTSIDE}", f"static/img:1: {OUTSIDE}")


@pytest.mark.slow  # a build of its own: seconds; the cheaper cases guard confinement in test-fast
def test_whole_static_folder_linked_outside(tmp_path):
    secret = outside(tmp_path, {"home/notes.txt": CANARY})
    root = portfolio(tmp_path / "p")
    link(root, "static", secret / "home")
    refused(root, f"static:1: {OUTSIDE}")


def test_badge_file_linked_outside(tmp_path):
    secret = outside(tmp_path, {"badge.json": SECRET_BADGE, "badge.yaml": f"note: {CANARY}\n"})
    root = portfolio(tmp_path / "p")
    link(root, "badges/teamwork.json", secret / "badge.json")
    link(root, "badges/teamwork.yaml", secret / "badge.yaml")
    refused(root, f"badges/teamwork.json:1: {OUTSIDE}", f"badges/teamwork.yaml:1: {OUTSIDE}")


@pytest.mark.slow  # a build of its own: seconds; the cheaper cases guard confinement in test-fast
def test_template_linked_outside(tmp_path):
    secret = outside(tmp_path, {"base.html": f"{CANARY} {{% block content %}}{{% endblock %}}"})
    root = portfolio(tmp_path / "p")
    link(root, "templates/base.html", secret / "base.html")
    refused(root, f"templates/base.html:1: {OUTSIDE}")


@pytest.mark.slow  # a build of its own: seconds; the cheaper cases guard confinement in test-fast
def test_template_folder_linked_outside(tmp_path):
    secret = outside(tmp_path, {"partials/footer.html": CANARY})
    root = portfolio(tmp_path / "p")
    link(root, "templates/partials", secret / "partials")
    refused(root, f"templates/partials:1: {OUTSIDE}")


@pytest.mark.slow  # a build of its own: seconds; the cheaper cases guard confinement in test-fast
def test_own_theme_linked_outside(tmp_path):
    secret = outside(tmp_path, {"theme/templates/base.html": CANARY, "theme/static/x.css": CANARY})
    root = portfolio(tmp_path / "p", theme="mine")
    link(root, "themes/mine", secret / "theme")
    refused(root, f"themes/mine:1: {OUTSIDE}")


@pytest.mark.slow  # a build of its own: seconds; the cheaper cases guard confinement in test-fast
def test_own_theme_asset_linked_outside(tmp_path):
    secret = outside(tmp_path, {"x.css": CANARY})
    root = portfolio(tmp_path / "p", {"themes/mine/static/own.css": "body { color: black }"}, theme="mine")
    link(root, "themes/mine/static/x.css", secret / "x.css")
    refused(root, f"themes/mine/static/x.css:1: {OUTSIDE}")


@pytest.mark.slow  # a build of its own: seconds; the cheaper cases guard confinement in test-fast
def test_catalog_linked_outside(tmp_path):
    secret = outside(tmp_path, {"fr.po": SECRET_PO})
    root = portfolio(tmp_path / "p", language="fr")
    link(root, "locales/fr.po", secret / "fr.po")
    refused(root, f"locales/fr.po:1: {OUTSIDE}")


@pytest.mark.slow  # a build of its own: seconds; the cheaper cases guard confinement in test-fast
def test_locales_folder_linked_outside(tmp_path):
    secret = outside(tmp_path, {"locales/fr.po": SECRET_PO})
    root = portfolio(tmp_path / "p", language="fr")
    link(root, "locales", secret / "locales")
    refused(root, f"locales:1: {OUTSIDE}")


@pytest.mark.slow  # a build of its own: seconds; the cheaper cases guard confinement in test-fast
def test_skills_file_linked_outside(tmp_path):
    secret = outside(tmp_path, {"skills.yaml": SECRET_SKILLS})
    root = portfolio(tmp_path / "p")
    link(root, "skills.yaml", secret / "skills.yaml")
    refused(root, f"skills.yaml:1: {OUTSIDE}")


@pytest.mark.slow  # a build of its own: seconds; the cheaper cases guard confinement in test-fast
def test_framework_file_linked_outside(tmp_path):
    secret = outside(tmp_path, {"own.yaml": SECRET_SKILLS})
    root = portfolio(tmp_path / "p", framework="own.yaml")
    link(root, "own.yaml", secret / "own.yaml")
    line = (root / "portfolio.yaml").read_text().splitlines().index("framework: own.yaml") + 1
    refused(
        root, f"portfolio.yaml:{line}: the framework file must be inside the portfolio folder, not 'own.yaml'"
    )


def test_assessment_round_linked_outside(tmp_path):
    secret = outside(tmp_path, {"round.yaml": SECRET_ROUND})
    root = portfolio(tmp_path / "p")
    link(root, "assessments/2026-01-01.yaml", secret / "round.yaml")
    refused(root, f"assessments/2026-01-01.yaml:1: {OUTSIDE}")


@pytest.mark.slow  # a build of its own: seconds; the cheaper cases guard confinement in test-fast
def test_assessments_folder_linked_outside(tmp_path):
    secret = outside(tmp_path, {"rounds/2026-01-01.yaml": SECRET_ROUND})
    root = portfolio(tmp_path / "p")
    link(root, "assessments", secret / "rounds")
    refused(root, f"assessments:1: {OUTSIDE}")


def test_assess_command_refuses_an_outside_assessments_folder(tmp_path):
    secret = outside(tmp_path, {"rounds/.unfinished.yaml": CANARY})
    root = portfolio(tmp_path / "p")
    link(root, "assessments", secret / "rounds")
    answers = tmp_path / "answers.yaml"
    answers.write_text("skills:\n  communication: {answers: [3]}\n")
    run = cli("assess", root, "--answers", answers, "--date", "2026-03-01", timeout=60)
    assert run.code == 1
    assert run.lines == [f"assessments:1: {OUTSIDE}"]
    assert sorted(p.name for p in (secret / "rounds").iterdir()) == [".unfinished.yaml"]


@pytest.mark.slow  # a build of its own: seconds; the cheaper cases guard confinement in test-fast
def test_agenda_linked_outside(tmp_path):
    secret = outside(tmp_path, {"agenda.yaml": f"goals: []\nactions:\n  - title: {CANARY}\n"})
    root = portfolio(tmp_path / "p")
    link(root, "agenda.yaml", secret / "agenda.yaml")
    refused(root, f"agenda.yaml:1: {OUTSIDE}")


def test_about_page_linked_outside(tmp_path):
    secret = outside(tmp_path, {"about.md": f"# About\n\n{CANARY}\n"})
    root = portfolio(tmp_path / "p")
    link(root, "about.md", secret / "about.md")
    refused(root, f"about.md:1: {OUTSIDE}")


@pytest.mark.slow  # a build of its own: seconds; the cheaper cases guard confinement in test-fast
def test_settings_file_linked_outside(tmp_path):
    secret = outside(tmp_path, {"portfolio.yaml": settings(title=CANARY)})
    root = tmp_path / "p"
    root.mkdir()
    link(root, "portfolio.yaml", secret / "portfolio.yaml")
    refused(root, f"portfolio.yaml:1: {OUTSIDE}")


def test_author_photo_linked_outside(tmp_path):
    secret = outside(tmp_path, {"me.jpg": CANARY})
    root = portfolio(tmp_path / "p", author={"name": "Ada Tester", "photo": "me.jpg"})
    link(root, "me.jpg", secret / "me.jpg")
    line = (root / "portfolio.yaml").read_text().splitlines().index("  photo: me.jpg") + 1
    refused(
        root,
        f"portfolio.yaml:{line}: 'author.photo' must be a file inside the portfolio folder, not 'me.jpg'",
    )


def test_markdown_image_linked_outside(tmp_path):
    secret = outside(tmp_path, {"photo.png": CANARY})
    root = portfolio(tmp_path / "p", {"journal/2026-03-02-photo.md": md("Photo", "![a photo](photo.png)")})
    link(root, "journal/photo.png", secret / "photo.png")
    refused(root, "journal/2026-03-02-photo.md:6: image 'photo.png' points outside the portfolio folder")


# A build for each loop (seconds in all): two of the four are in the slow set.
@pytest.mark.parametrize(
    "rel, target",
    [
        pytest.param("journal/sub", "..", marks=pytest.mark.slow),
        ("journal/here", "."),
        ("static/all", ".."),
        pytest.param("templates/again", ".", marks=pytest.mark.slow),
    ],
)
def test_symlink_loop_is_refused_without_hanging(tmp_path, rel, target):
    root = portfolio(tmp_path / "p", {"static/logo.txt": "logo", "templates/.keep": ""})
    link(root, rel, target)
    refused(root, f"{rel}:1: {LOOP}")


def test_two_links_making_a_cycle_are_refused(tmp_path):
    root = portfolio(
        tmp_path / "p", {"journal/a/2026-03-02-a.md": md("A"), "journal/b/2026-03-03-b.md": md("B")}
    )
    link(root, "journal/a/to-b", "../b")
    link(root, "journal/b/to-a", "../a")
    run = cli("check", root, timeout=60)
    assert run.code == 1
    assert f"journal/a/to-b:1: {LOOP}" in run.lines  # reached through journal/b/to-a
    assert f"journal/b/to-a:1: {LOOP}" in run.lines


def test_link_to_an_endless_device_never_hangs(tmp_path):
    """Nothing reads through the links, not even the build cache's hashing of every file."""
    root = portfolio(tmp_path / "p")
    link(root, "journal/2026-03-02-zero.md", "/dev/zero")
    link(root, "static/zero.bin", "/dev/zero")
    link(root, "notes.txt", "/dev/zero")  # no reader's file: only hashed for the cache
    refused(root, f"journal/2026-03-02-zero.md:1: {OUTSIDE}", f"static/zero.bin:1: {OUTSIDE}")


def test_named_pipe_in_the_portfolio_never_hangs(tmp_path):
    root = portfolio(tmp_path / "p")
    os.mkfifo(root / "notes.pipe")
    assert cli("build", root, timeout=60).code == 0


def test_links_inside_the_portfolio_keep_working(tmp_path):
    root = portfolio(
        tmp_path / "p",
        {
            "artefacts/poster/index.md": md("Poster", "![the poster](poster.png)"),
            "artefacts/poster/poster.png": POSTER,
            "drafts/2026-03-05-kept.md": md("Kept elsewhere", "Written in drafts/."),
            "elsewhere/talk/index.md": md("Talk", "A talk."),
            "shared/pictures/cat.txt": "a cat",
            "shared/dogs/dog.txt": "a dog",
        },
    )
    link(root, "static/logo.png", "../artefacts/poster/poster.png")
    link(root, "static/pictures", "../shared/pictures")
    link(root, "journal/2026-03-05-kept.md", "../drafts/2026-03-05-kept.md")
    link(root, "artefacts/talk", "../elsewhere/talk")
    assert cli("check", root).code == 0
    run = cli("build", root)
    assert run.code == 0, run.err
    site = root / "_site"
    assert (site / "logo.png").read_bytes() == POSTER
    assert (site / "pictures" / "cat.txt").read_text() == "a cat"
    assert "Written in drafts/." in (site / "journal" / "2026-03-05-kept" / "index.html").read_text()
    assert "A talk." in (site / "artefacts" / "talk" / "index.html").read_text()
    (root / "static" / "pictures").unlink()
    link(root, "static/pictures", "../shared/dogs")  # the next build sees where it leads now
    assert cli("build", root).code == 0
    assert not (site / "pictures" / "cat.txt").exists()
    assert (site / "pictures" / "dog.txt").read_text() == "a dog"


def test_portfolio_opened_through_a_link(tmp_path):
    real = portfolio(tmp_path / "real", {"static/logo.txt": "logo"})
    link(tmp_path, "opened", real)
    run = cli("build", tmp_path / "opened")
    assert run.code == 0, run.err
    assert (real / "_site" / "logo.txt").read_text() == "logo"


# A build for each name (seconds in all): four of the five are in the slow set.
@pytest.mark.parametrize(
    "theme",
    [
        "../outside-theme",
        pytest.param("/etc", marks=pytest.mark.slow),
        pytest.param("themes/mine", marks=pytest.mark.slow),
        pytest.param("mine/", marks=pytest.mark.slow),
        pytest.param("..", marks=pytest.mark.slow),
    ],
)
def test_theme_is_a_name_not_a_path(tmp_path, theme):
    secret = outside(tmp_path, {"outside-theme/templates/base.html": CANARY})
    root = portfolio(tmp_path / "p", {"themes/mine/templates/.keep": ""}, theme=theme)
    lines = (root / "portfolio.yaml").read_text().splitlines()
    line = next(i for i, text in enumerate(lines, 1) if text.startswith("theme:"))
    hint = " (did you mean 'mine'?)" if "mine" in theme else ""
    assert secret.is_dir()
    refused(
        root,
        f"portfolio.yaml:{line}: 'theme' is the name of a folder in themes/ or of a "
        f"built-in theme, not a path: '{theme}'{hint}",
    )
