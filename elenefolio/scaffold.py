"""``elenefolio init`` and ``elenefolio new``: starting files for the learner."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml

from elenefolio.load.items import make_slug
from elenefolio.model import ARTEFACT_TYPES, JOURNAL_KINDS

GITIGNORE = """\
# Built by elenefolio: rebuild them with 'elenefolio build'
_site/
_private/
.elenefolio-cache/
# folders of a build in progress (or killed)
._site.*/
._private.*/
# private: a self-assessment in progress, your private passport and exports
assessments/.unfinished.yaml
passport-private.pdf
portfolio-leap2a.zip
"""

# What the .gitignore must keep out of git (a path it must ignore -> the line to add): the
# private copy, build leftovers, private work in progress and exports. (_site/ may be published
# through git on purpose; the cache ignores itself.)
MUST_IGNORE = {"_private/index.html": "_private/", "._site.new-x/index.html": "._site.*/",
               "._private.new-x/index.html": "._private.*/",
               "assessments/.unfinished.yaml": "assessments/.unfinished.yaml",
               "passport-private.pdf": "passport-private.pdf",
               "portfolio-leap2a.zip": "portfolio-leap2a.zip"}


def gitignore_gaps(root: Path) -> list[str] | None:
    """The lines of ``GITIGNORE`` that the portfolio's .gitignore lacks; None when the
    portfolio is not under git (no .git, no .gitignore). A plain pattern check (a path
    and its parent folders against each line, as git matches them), not negations."""
    path = root / ".gitignore"
    if not path.is_file() and not (root / ".git").exists():
        return None
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        lines = []
    patterns = [line.strip() for line in lines if line.strip() and not line.startswith(("#", "!"))]
    return [line for sample, line in MUST_IGNORE.items() if not _ignored(sample, patterns)]


def _ignored(sample: str, patterns: list[str]) -> bool:
    from fnmatch import fnmatchcase

    parts = sample.split("/")
    for pattern in patterns:
        folder_only = pattern.endswith("/")
        pattern = pattern.strip("/")
        anchored = "/" in pattern
        for end in range(1, len(parts) + 1):
            if folder_only and end == len(parts):
                continue
            candidates = ["/".join(parts[:end])] if anchored else [parts[end - 1]]
            if any(fnmatchcase(candidate, pattern) for candidate in candidates):
                return True
    return False


GITHUB_WORKFLOW = """\
# Publishes the portfolio on GitHub Pages at every push to main.
# In the repository: Settings → Pages → Source: GitHub Actions.
name: Publish portfolio
on:
  push:
    branches: [main]
  workflow_dispatch:
permissions:
  contents: read
  pages: write
  id-token: write
concurrency:
  group: pages
  cancel-in-progress: false
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - id: pages
        uses: actions/configure-pages@v5
      - run: pip install elenefolio
      # The Pages address (with the repository's sub-path) replaces base_url.
      - run: elenefolio build --base-url "${{ steps.pages.outputs.base_url }}/"
      - uses: actions/upload-pages-artifact@v3
        with:
          path: _site
  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"""

GITLAB_CI = """\
# Publishes the portfolio on GitLab Pages at every push to the default branch.
pages:
  image: python:3.12-slim
  script:
    - pip install elenefolio
    # The Pages address (with the project's sub-path) replaces base_url.
    - elenefolio build --base-url "$CI_PAGES_URL/" -o public
  artifacts:
    paths:
      - public
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
"""


class ScaffoldError(Exception):
    """A problem with what the user asked to create."""


def _front_matter(fields: dict) -> str:
    text = yaml.safe_dump(fields, sort_keys=False, allow_unicode=True, width=100)
    return f"---\n{text}---\n"


def _starter_files(title: str, name: str, today: dt.date) -> dict[str, str]:
    d = lambda days: today - dt.timedelta(days=days)  # noqa: E731
    config = {
        "title": title,
        "base_url": "https://example.org/portfolio/",
        "language": "en",
        "framework": "elene4work",
        "default_visibility": "private",
        "author": {"name": name, "headline": "Student", "email": "you@example.org",
                   "links": {"website": "https://example.org/"}},
    }
    from elenefolio.i18n import shipped_languages

    settings = yaml.safe_dump(config, sort_keys=False, allow_unicode=True).replace(
        "\nlanguage: en\n",
        f"\nlanguage: en  # of the pages: {', '.join(sorted(shipped_languages()))}\n", 1)
    files = {
        "portfolio.yaml": "# Settings of your portfolio: see the elenefolio README for every key.\n"
                          + settings,
        ".gitignore": GITIGNORE,
        ".github/workflows/publish.yml": GITHUB_WORKFLOW,
        ".gitlab-ci.yml": GITLAB_CI,
        "about.md": f"Hello, I am {name}. This portfolio shows what I learn, the work I am proud "
                    "of and the skills it helped me build.\n",
    }
    prompts = {
        "question": ("What do I want to learn this term?", "Write the questions you want to pursue."),
        "plan": ("My first learning plan", "- [ ] Take the self-assessment\n- [ ] Choose two skills\n"
                                           "- [ ] Find a MOOC or an open resource"),
        "reflection": ("Looking back on my first group project", "What happened, what did I do, "
                                                                 "what did I learn?"),
        "evaluation": ("How did my presentation go?", "Judge your own work honestly: what went "
                                                      "well, what would you change?"),
        "idea": ("An idea for a podcast", "Keep a record of ideas and wishes here."),
        "disappointment": ("The experiment that failed", "Disappointments teach too. What would "
                                                         "you do differently?"),
        "record": ("Course notes: week 1", "A plain record of what you did."),
    }
    for days, kind in enumerate(JOURNAL_KINDS):
        title_, body = prompts[kind]
        fields = {"title": title_, "date": d(days * 3), "kind": kind,
                  "skills": ["learning-to-learn"], "tags": ["getting-started"],
                  "visibility": "public" if kind != "disappointment" else "private"}
        files[f"journal/{d(days * 3)}-{make_slug(title_)}.md"] = _front_matter(fields) + "\n" + body + "\n"
    artefact = {"title": "My first artefact", "date": d(1), "type": "blog-post",
                "media": ["https://example.org/my-blog-post"], "context": "A course or project",
                "role": "Author",
                "skills": [{"skill": "content-creation",
                            "evidence": "I wrote and published the post myself."}],
                "featured": True, "visibility": "public"}
    files["artefacts/my-first-artefact.md"] = _front_matter(artefact) + (
        "\nWhy did you choose to showcase this piece? Which skills did you develop while "
        "making it, and how?\n")
    files["static/.gitkeep"] = ""
    return files


def init_portfolio(folder: Path, title: str | None = None, name: str | None = None,
                   today: dt.date | None = None) -> list[Path]:
    """Create a starter portfolio in ``folder`` (new or empty)."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ScaffoldError("the folder exists and is not empty; choose a new folder")
    name = name or "Your Name"
    files = _starter_files(title or f"{name} — learning portfolio", name, today or dt.date.today())
    created = []
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        created.append(path)
    return created


def new_item(root: Path, what: str, title: str, skills: list[str] | None = None,
             date: str | None = None, kind: str | None = None, artefact_type: str | None = None,
             visibility: str | None = None) -> Path:
    """Write a new journal entry or artefact and return its path."""
    if not (root / "portfolio.yaml").is_file():
        raise ScaffoldError(f"{root / 'portfolio.yaml'}:1: not a portfolio folder (no portfolio.yaml)")
    when = date or dt.date.today().isoformat()
    if not re.match(r"^\d{4}-\d{2}-\d{2}$", when):
        raise ScaffoldError(f"--date must look like 2026-03-14, not '{when}'")
    try:
        dt.date.fromisoformat(when)
    except ValueError:
        raise ScaffoldError(f"--date '{when}' is not a real date") from None
    slug = make_slug(title)
    if not slug:
        raise ScaffoldError("the title needs some letters or digits")
    _check_skills(root, skills or [])
    fields: dict = {"title": title, "date": dt.date.fromisoformat(when)}
    if what == "journal":
        kind = kind or "reflection"
        if kind not in JOURNAL_KINDS:
            raise ScaffoldError(f"--kind must be one of {', '.join(JOURNAL_KINDS)}")
        fields["kind"] = kind
        fields["skills"] = list(skills or [])
        fields["tags"] = []
        path = root / "journal" / f"{when}-{slug}.md"
        body = "\nWrite your entry here.\n"
    else:
        artefact_type = artefact_type or "other"
        if artefact_type not in ARTEFACT_TYPES:
            raise ScaffoldError(f"--type must be one of {', '.join(ARTEFACT_TYPES)}")
        fields.update(type=artefact_type, media=[], context="", role="",
                      skills=[{"skill": s, "evidence": ""} for s in skills or []], featured=False)
        path = root / "artefacts" / slug / "index.md"
        body = "\nWhy do you showcase this artefact, and what did you learn making it?\n"
    if visibility:
        fields["visibility"] = visibility
    if path.exists():
        raise ScaffoldError(f"{path}:1: already exists; choose another title")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_front_matter(fields) + body, encoding="utf-8")
    return path


def _check_skills(root: Path, skills: list[str]) -> None:
    from elenefolio.load.config import load_config
    from elenefolio.load.framework import load_framework
    from elenefolio.problems import Problems, did_you_mean

    problems = Problems(root)
    config = load_config(root, problems)
    if config is None:
        return
    framework = load_framework(root, config.framework, 1, problems)
    known = [s.id for s in framework.skills]
    for skill in skills:
        if skill not in known:
            raise ScaffoldError(f"unknown skill '{skill}'{did_you_mean(skill, known)}")
