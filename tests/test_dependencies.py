"""Every file a build reads is a dependency: after an edit of any kind of input, the
incremental build is byte for byte the clean one (``--no-cache`` is never needed).

Each test edits one kind of input the pipeline reads (see docs/architecture.md, "The
recorder"): the portfolio's and the package's translation catalogs, Markdown and YAML
sources, templates and static files of every theme layer, skills, agenda, rounds,
badges, collections, feedback, hook files.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import unsealed
from test_incremental import EXAMPLE, assert_same_as_clean, tree

from elenefolio.pipeline import BuildOptions, build

REPO = Path(__file__).resolve().parent.parent

FRENCH_JOURNAL = 'msgid "Journal"\nmsgstr "Carnet de bord"\n'


def set_config(root: Path, key: str, value: str) -> None:
    config = root / "portfolio.yaml"
    text = re.sub(rf"^{key}: .*\n", "", config.read_text(), flags=re.M)
    config.write_text(f"{key}: {value}\n" + text)


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    root = tmp_path / "portfolio"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("_site", "_private", ".elenefolio-cache"))
    set_config(root, "language", "fr")
    return root


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text() + text)


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1))


def add_portfolio_catalog(root: Path) -> None:
    (root / "locales").mkdir(exist_ok=True)
    (root / "locales" / "fr.po").write_text(FRENCH_JOURNAL)


def edit_portfolio_catalog(root: Path) -> None:
    replace(root / "locales" / "fr.po", "Carnet de bord", "Journal de bord")


def edit_about(root: Path) -> None:
    append(root / "about.md", "\nOne more line about me.\n")


def edit_entry(root: Path) -> None:
    append(sorted((root / "journal").glob("*.md"))[3], "\nA new paragraph.\n")


def add_skills_file(root: Path) -> None:
    (root / "skills.yaml").write_text(
        "areas:\n  - id: own\n    name: My own area\n"
        "skills:\n  - id: juggling\n    area: own\n    name: Juggling\n"
        "    description: Keeping three balls in the air.\n"
    )


def edit_skills_file(root: Path) -> None:
    replace(root / "skills.yaml", "Keeping three balls", "Keeping five balls")


def edit_agenda(root: Path) -> None:
    replace(root / "agenda.yaml", "My lowest score in February", "My lowest score in winter")


def edit_round(root: Path) -> None:
    replace(
        root / "assessments" / "2026-05-27-end-of-semester.yaml",
        "label: End of semester",
        "label: End of the semester",
    )


def edit_badge(root: Path) -> None:
    replace(
        root / "badges" / "teamwork-online.yaml", "The first badge I earned", "The very first badge I earned"
    )


def edit_collection(root: Path) -> None:
    path = root / "collections" / "lab-technician-internship.yaml"
    replace(path, "A short selection", "A short, chosen selection")
    replace(path, "  - artefacts/damping-infographic\n", "")


def edit_collection_item(root: Path) -> None:
    """An item of the collection: its card on the collection's page shows the new summary."""
    path = root / "journal" / "2026-04-22-a-week-as-lab-coordinator.md"
    replace(path, "Leading turned out to be", "Leading proved to be")


def add_feedback(root: Path) -> None:
    """A tutor's feedback on an entry: its page shows it, the self-assessment counts its rating."""
    (root / "feedback" / "2026-05-02-tutor-footage.md").write_text(
        "---\non: journal/2026-04-02-the-footage-that-disappeared\nfrom: Dr. Mira Sels\nrole: tutor\n"
        "date: 2026-05-02\nvisibility: public\nskills:\n  adaptability: 4\n---\nYou kept going.\n"
    )


def edit_feedback(root: Path) -> None:
    path = root / "feedback" / "2026-04-28-tutor-lab-coordinator.md"
    replace(path, "took the coordinator role seriously", "took the coordinator role very seriously")
    replace(path, "  teamwork: 4\n", "  teamwork: 5\n")


def add_theme_layer(root: Path) -> None:
    theme = root / "themes" / "mine"
    (theme / "templates").mkdir(parents=True)
    (theme / "static" / "css").mkdir(parents=True)
    (theme / "static" / "css" / "extra.css").write_text("body { color: navy; }\n")
    base = (REPO / "themes" / "default" / "templates" / "base.html").read_text()
    (theme / "templates" / "base.html").write_text(base.replace("</body>", "<!-- mine --></body>"))
    set_config(root, "theme", "mine")


def edit_theme_template(root: Path) -> None:
    replace(root / "themes" / "mine" / "templates" / "base.html", "<!-- mine -->", "<!-- mine, 2 -->")


def edit_theme_static(root: Path) -> None:
    replace(root / "themes" / "mine" / "static" / "css" / "extra.css", "navy", "teal")


def add_template_override(root: Path) -> None:
    (root / "templates").mkdir(exist_ok=True)
    text = (REPO / "themes" / "default" / "templates" / "tag.html").read_text()
    (root / "templates" / "tag.html").write_text(
        text.replace("{% endblock %}", "<!-- o -->{% endblock %}", 1)
    )


EDITS = [
    add_portfolio_catalog,
    edit_portfolio_catalog,
    edit_about,
    edit_entry,
    add_skills_file,
    edit_skills_file,
    edit_agenda,
    edit_round,
    edit_badge,
    edit_collection,
    edit_collection_item,
    add_feedback,
    edit_feedback,
    add_theme_layer,
    edit_theme_template,
    edit_theme_static,
    add_template_override,
]


@pytest.mark.slow  # two builds, compared with a clean build
def test_a_new_portfolio_catalog_changes_every_page(portfolio: Path, tmp_path: Path):
    build(BuildOptions(portfolio))
    add_portfolio_catalog(portfolio)
    result = assert_same_as_clean(portfolio, tmp_path)
    assert "Carnet de bord" in (result.destination / "journal" / "index.html").read_text()


@pytest.mark.slow  # a sequence of builds, each compared with a clean build
def test_each_kind_of_input_once(portfolio: Path, tmp_path: Path):
    assert_same_as_clean(portfolio, tmp_path)
    for edit in EDITS:
        edit(portfolio)
        try:
            assert_same_as_clean(portfolio, tmp_path)
        except AssertionError as exc:
            raise AssertionError(f"after {edit.__name__}: {exc}") from exc


def _run(package_parent: Path, *args: str) -> None:
    env = dict(os.environ, PYTHONPATH=str(package_parent))
    done = subprocess.run(
        [sys.executable, "-m", "elenefolio", *args, "-q"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=package_parent,
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.slow  # a sequence of builds, each compared with a clean build
def test_an_edited_package_catalog_is_seen(portfolio: Path, tmp_path: Path):
    """The package's own files (here a shipped .po) are part of what a build depends on."""
    install = tmp_path / "install"
    shutil.copytree(REPO / "elenefolio", install / "elenefolio", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "themes", install / "themes")
    _run(install, "build", str(portfolio))
    replace(
        install / "elenefolio" / "locales" / "fr" / "LC_MESSAGES" / "elenefolio.po",
        'msgid "Journal"\nmsgstr "Journal"',
        'msgid "Journal"\nmsgstr "Carnet"',
    )
    _run(install, "build", str(portfolio))
    _run(install, "build", str(portfolio), "--no-cache", "-o", str(tmp_path / "clean"))
    got, want = unsealed(tree(portfolio / "_site")), unsealed(tree(tmp_path / "clean"))
    assert sorted(got) == sorted(want)
    assert [name for name in want if got[name] != want[name]] == []
    assert "Carnet" in (portfolio / "_site" / "journal" / "index.html").read_text()
