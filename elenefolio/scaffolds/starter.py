"""``elenefolio init`` and ``elenefolio new``: starting files for the learner."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from elenefolio import __version__
from elenefolio.load.items import make_slug
from elenefolio.model import ARTEFACT_TYPES, JOURNAL_KINDS
from elenefolio.problems import did_you_mean, shown
from elenefolio.scaffolds import artefact_questions, artefact_scaffold, journal_scaffold, starter_text

GITIGNORE = """\
# Built by elenefolio: rebuild them with 'elenefolio build'
_site/
_private/
_offline/
_offline-private/
.elenefolio-cache/
# folders of a build in progress (or killed)
._site.*/
._private.*/
._offline*.*/
# private: a self-assessment in progress, your private passport and exports
assessments/.unfinished.yaml
passport-private*.pdf
cv-private*
portfolio-leap2a.zip
"""

# What the .gitignore must keep out of git (a path it must ignore -> the line to add): the
# private copy, build leftovers, private work in progress and exports. (_site/ may be published
# through git on purpose; the cache ignores itself.)
MUST_IGNORE = {
    "_private/index.html": "_private/",
    "._site.new-x/index.html": "._site.*/",
    "._private.new-x/index.html": "._private.*/",
    "assessments/.unfinished.yaml": "assessments/.unfinished.yaml",
    "passport-private.pdf": "passport-private.pdf",
    "portfolio-leap2a.zip": "portfolio-leap2a.zip",
}


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
# Publishes the portfolio's public site at every push to main. docs/publishing.md names
# every setting; keep this repository private: its files hold your private entries.
#
# Two ways, chosen by the repository variable SITE_REPOSITORY
# (Settings → Secrets and variables → Actions → Variables):
# - not set: GitHub Pages of this repository (Settings → Pages → Source: GitHub Actions);
#   a private repository needs a plan that allows Pages from private repositories.
# - set to OWNER/NAME (e.g. you/you.github.io): only the built site is pushed to that public
#   repository (branch SITE_BRANCH, default main) with the deploy key stored in the secret
#   SITE_DEPLOY_KEY; set base_url in portfolio.yaml to that site's address.
# If this repository is public, the build stops first when it holds any private file.
name: Publish portfolio
on:
  push:
    branches: [main]
  workflow_dispatch:
permissions:
  contents: read
concurrency:
  group: pages
  cancel-in-progress: false
env:
  SITE_REPOSITORY: ${{ vars.SITE_REPOSITORY }}
  SITE_BRANCH: ${{ vars.SITE_BRANCH || 'main' }}
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0  # the whole history: each entry's "updated" date is its last commit
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      # The elenefolio that wrote this file; for a newer one, change the version. To install
      # it from its source repository instead (a fork, or a commit not yet released):
      #   pip install "elenefolio @ git+https://github.com/OWNER/elenefolio@v@VERSION@"
      # ('elenefolio init --install-from SPEC' writes SPEC here; see docs/publishing.md.)
      - run: @INSTALL@
      - name: Stop if this public repository shows private files
        if: ${{ !github.event.repository.private }}
        run: elenefolio check --public-repo
      - name: Push only the built site to the public site repository
        if: ${{ env.SITE_REPOSITORY != '' }}
        env:
          SITE_DEPLOY_KEY: ${{ secrets.SITE_DEPLOY_KEY }}
        run: |
          key="$RUNNER_TEMP/site_deploy_key"
          (umask 077 && printf '%s\\n' "$SITE_DEPLOY_KEY" > "$key")
          export GIT_SSH_COMMAND="ssh -i $key -o IdentitiesOnly=yes -o StrictHostKeyChecking=accept-new"
          git config --global user.name "${{ github.actor }}"
          git config --global user.email "${{ github.actor_id }}+${{ github.actor }}@users.noreply.github.com"
          elenefolio deploy --remote "git@github.com:$SITE_REPOSITORY.git" --branch "$SITE_BRANCH"
          rm -f "$key"
      - id: pages
        if: ${{ env.SITE_REPOSITORY == '' }}
        uses: actions/configure-pages@v5
      # The Pages address (with the repository's sub-path) replaces base_url.
      - if: ${{ env.SITE_REPOSITORY == '' }}
        run: elenefolio build --base-url "${{ steps.pages.outputs.base_url }}/"
      - if: ${{ env.SITE_REPOSITORY == '' }}
        uses: actions/upload-pages-artifact@v3
        with:
          path: _site
  deploy:
    needs: build
    if: ${{ vars.SITE_REPOSITORY == '' }}
    runs-on: ubuntu-latest
    permissions:
      pages: write
      id-token: write
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"""

GITLAB_CI = """\
# Publishes the portfolio on GitLab Pages at every push to the default branch.
# Keep the project private and its Pages public: Settings → General → Visibility →
# Project visibility: Private, Pages: Everyone (see docs/publishing.md).
# If the project is public, the job stops first when it holds any private file.
pages:
  image: python:3.12  # with git, for each entry's "updated" date
  variables:
    GIT_DEPTH: "0"  # the whole history: each entry's "updated" date is its last commit
  script:
    # The elenefolio that wrote this file; for a newer one, change the version. To install
    # it from its source repository instead (a fork, or a commit not yet released):
    #   pip install "elenefolio @ git+https://github.com/OWNER/elenefolio@v@VERSION@"
    # ('elenefolio init --install-from SPEC' writes SPEC here; see docs/publishing.md.)
    - @INSTALL@
    - if [ "$CI_PROJECT_VISIBILITY" = "public" ]; then elenefolio check --public-repo; fi
    # The Pages address (with the project's sub-path) replaces base_url.
    - elenefolio build --base-url "$CI_PAGES_URL/" -o public
  artifacts:
    paths:
      - public
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
"""

# A pip requirement (a name with extras and versions, a URL, a path) uses only these characters.
# The workflows hold it as 'pip install "SPEC"' in a single-quoted YAML string: none of them
# ends the quotes or means anything there, to YAML or to the shell (no $, `, \, quote, ; or |).
_SPEC_CHARACTERS = re.compile(r"[A-Za-z0-9._+\-=!<>~,@:/#%?&*\[\] ]+")


def install_command(spec: str | None = None) -> str:
    """The workflows' command that installs elenefolio: ``spec`` (``init --install-from``),
    or this very version, so that a portfolio keeps building as it did when it was made."""
    if spec is None:
        return f'pip install "elenefolio=={__version__}"'
    if (
        spec != spec.strip()
        or spec.startswith("-")
        or len(spec) > 500
        or not _SPEC_CHARACTERS.fullmatch(spec)
    ):
        raise ScaffoldError(
            f"--install-from '{shown(spec)}' is not a pip requirement the workflows can hold: one "
            "line of letters, digits, spaces and . _ - + = ! < > ~ , @ : / # % ? & * [ ], not "
            "starting with - or a space, e.g. "
            f'"elenefolio @ git+https://github.com/OWNER/elenefolio@v{__version__}"'
        )
    return f'pip install "{spec}"'


def ci_files(spec: str | None = None) -> dict[str, str]:
    """The publishing workflows ``init`` writes, by path, installing elenefolio with
    ``install_command(spec)``."""
    install = "'" + install_command(spec) + "'"
    return {
        path: text.replace("@INSTALL@", install).replace("@VERSION@", __version__)
        for path, text in zip(CI_FILES, (GITHUB_WORKFLOW, GITLAB_CI), strict=True)
    }


PRIVACY_NOTE = (
    "private entries stay in this folder's files: keep its git repository private "
    "(README → Publishing, docs/publishing.md)"
)
CI_FILES = (".github/workflows/publish.yml", ".gitlab-ci.yml")


class ScaffoldError(Exception):
    """A problem with what the user asked to create."""


PLACEHOLDER_BASE_URL = "https://example.org/portfolio/"  # `check` warns until it is replaced


def _front_matter(fields: dict) -> str:
    text = yaml.safe_dump(fields, sort_keys=False, allow_unicode=True, width=100)
    return f"---\n{text}---\n"


def _artefact_front_matter(fields: dict, language: str) -> str:
    """The artefact's front matter, its empty fields followed by the question they answer
    (as YAML comments, in the portfolio's language)."""
    questions = artefact_questions(language)
    text = _front_matter(fields)
    for key in ("context", "role", "evidence"):
        text = re.sub(rf"(?m)^(\s*(?:- )?{key}: '')$", lambda m: f"{m.group(1)}  # {questions[key]}", text)
    return re.sub(r"(?m)^skills: \[\]$", f"skills: []  # {questions['skills']}", text)


def _starter_files(
    title: str | None,
    name: str,
    today: dt.date,
    base_url: str | None = None,
    install_from: str | None = None,
    language: str = "en",
) -> dict[str, str]:
    d = lambda days: today - dt.timedelta(days=days)  # noqa: E731
    starter = starter_text(language)
    config: dict[str, Any] = {
        "title": title or starter["title"].format(name=name),
        "base_url": base_url or PLACEHOLDER_BASE_URL,
        "language": language,
        "framework": "elene4work",
        "default_visibility": "private",
        "author": {
            "name": name,
            "headline": starter["headline"],
            "email": "you@example.org",
            "links": {"website": "https://example.org/"},
        },
    }
    from elenefolio.util.i18n import shipped_languages

    settings = yaml.safe_dump(config, sort_keys=False, allow_unicode=True).replace(
        f"\nlanguage: {language}\n",
        f"\nlanguage: {language}  # of the pages: {', '.join(sorted(shipped_languages()))}\n",
        1,
    )
    files = {
        "portfolio.yaml": "# Settings of your portfolio: see the elenefolio README for every key.\n"
        + settings,
        ".gitignore": GITIGNORE,
        **ci_files(install_from),
        "about.md": starter["about"].format(name=name) + "\n",
    }
    titles = starter["journal"]
    for days, kind in enumerate(JOURNAL_KINDS):
        title_ = titles[kind]
        fields = {
            "title": title_,
            "date": d(days * 3),
            "kind": kind,
            "skills": ["learning-to-learn"],
            "tags": ["getting-started"],
            "visibility": "public" if kind != "disappointment" else "private",
        }
        body = journal_scaffold(kind, language).markdown()
        files[f"journal/{d(days * 3)}-{make_slug(title_)}.md"] = _front_matter(fields) + "\n" + body
    artefact = {
        "title": starter["artefact"],
        "date": d(1),
        "type": "blog-post",
        "media": ["https://example.org/my-blog-post"],
        "context": "",
        "role": "",
        "skills": [{"skill": "content-creation", "evidence": ""}],
        "featured": True,
        "visibility": "public",
    }
    files["artefacts/my-first-artefact.md"] = (
        _artefact_front_matter(artefact, language) + "\n" + artefact_scaffold(language).markdown()
    )
    files["static/.gitkeep"] = ""
    return files


@dataclass
class Scaffolded:
    """What ``init`` did."""

    created: list[Path]
    kept: list[Path]  # starter files that already existed: left as they were
    no_ci: bool = False  # inside a repository, not at its top: CI files would not run there


def init_portfolio(
    folder: Path,
    title: str | None = None,
    name: str | None = None,
    today: dt.date | None = None,
    base_url: str | None = None,
    install_from: str | None = None,
    language: str = "en",
) -> Scaffolded:
    """Create a starter portfolio in ``folder``: new, empty, or the top of an existing git
    repository, whose files are left as they are. ``base_url``: where the site will live; the
    workflows install elenefolio with ``install_from`` (a pip requirement), or this version;
    ``language``: the language of the pages and of the starter text."""
    from elenefolio.util.i18n import shipped_languages

    if base_url is not None and not re.match(r"^https?://[^/\s]+(/\S*)?$", base_url):
        raise ScaffoldError(f"--base-url must start with http:// or https://, not '{shown(base_url)}'")
    languages = sorted(shipped_languages())
    if language not in languages:
        raise ScaffoldError(
            f"--language is one of {', '.join(languages)}, not '{shown(language)}'"
            f"{did_you_mean(language, languages)}"
        )
    existing = folder.exists() and (not folder.is_dir() or any(folder.iterdir()))
    if existing and not (folder / ".git").exists():
        raise ScaffoldError(
            "the folder exists and is not empty; choose a new folder (or the top folder of a git repository)"
        )
    if (folder / "portfolio.yaml").exists():
        raise ScaffoldError("the folder already holds a portfolio (portfolio.yaml)")
    name = name or "Your Name"
    files = _starter_files(
        title,
        name,
        today or dt.date.today(),
        base_url and base_url.rstrip("/") + "/",
        install_from,
        language,
    )
    done = Scaffolded([], [], no_ci=_below_repository_top(folder))
    for rel, text in files.items():
        path = folder / rel
        if done.no_ci and rel in CI_FILES:
            continue
        if path.exists() or path.is_symlink():
            done.kept.append(path)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        done.created.append(path)
    return done


def _below_repository_top(folder: Path) -> bool:
    """``folder`` is inside a git work tree but is not its top (CI reads only the top)."""
    folder = folder.resolve()
    return not (folder / ".git").exists() and any((p / ".git").exists() for p in folder.parents)


def new_item(
    root: Path,
    what: str,
    title: str,
    skills: list[str] | None = None,
    date: str | None = None,
    kind: str | None = None,
    artefact_type: str | None = None,
    visibility: str | None = None,
) -> Path:
    """Write a new journal entry or artefact and return its path."""
    language = _check_settings(root)
    when = date or dt.date.today().isoformat()
    if not re.match(r"^\d{4}-\d{2}-\d{2}$", when):
        raise ScaffoldError(f"--date must look like 2026-03-14, not '{shown(when)}'")
    try:
        dt.date.fromisoformat(when)
    except ValueError:
        raise ScaffoldError(f"--date '{shown(when)}' is not a real date") from None
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
        body = journal_scaffold(kind, language).markdown()
    else:
        artefact_type = artefact_type or "other"
        if artefact_type not in ARTEFACT_TYPES:
            raise ScaffoldError(f"--type must be one of {', '.join(ARTEFACT_TYPES)}")
        fields.update(
            type=artefact_type,
            media=[],
            context="",
            role="",
            skills=[{"skill": s, "evidence": ""} for s in skills or []],
            featured=False,
        )
        path = root / "artefacts" / slug / "index.md"
        body = artefact_scaffold(language).markdown()
    if visibility:
        fields["visibility"] = visibility
    if path.exists():
        raise ScaffoldError(f"{path}:1: already exists; choose another title")
    path.parent.mkdir(parents=True, exist_ok=True)
    front = _front_matter(fields) if what == "journal" else _artefact_front_matter(fields, language)
    path.write_text(front + "\n" + body, encoding="utf-8")
    return path


def _check_settings(root: Path) -> str:
    """A new file goes only into a portfolio whose portfolio.yaml can be read: its language."""
    from elenefolio.load.config import load_config
    from elenefolio.problems import Problems

    problems = Problems(root)
    config = load_config(root, problems)
    if config is None:
        raise ScaffoldError("\n".join(map(str, problems.errors)))
    return config.language


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
            raise ScaffoldError(f"unknown skill '{shown(skill)}'{did_you_mean(skill, known)}")
