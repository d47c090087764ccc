"""``portfolio.yaml``: the schema of the portfolio's settings."""

from __future__ import annotations

import os
import re
from pathlib import Path

from elenefolio.load.fields import Fields
from elenefolio.load.source import read_yaml_mapping
from elenefolio.load.yamlfile import LineDict, LineList
from elenefolio.model import VISIBILITIES, Author, Config, Link, SelfAssessmentSettings, Source
from elenefolio.problems import Problems, shown
from elenefolio.util import i18n
from elenefolio.util.confine import confined, inside

CONFIG_FILE = "portfolio.yaml"
CONFIG_KEYS = (
    "title",
    "author",
    "base_url",
    "language",
    "theme",
    "framework",
    "default_visibility",
    "allow_html",
    "math",
    "extra",
    "self_assessment",
    "passport",
    "public_sources",
    "keep_metadata",
    "hooks",
    "audiences",
)
AUTHOR_KEYS = ("name", "headline", "email", "photo", "links")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}([-_][A-Za-z0-9]{2,8})?$")


def load_config(root: Path, problems: Problems, base_url: str | None = None) -> Config | None:
    """Read and validate ``portfolio.yaml``."""
    path = root / CONFIG_FILE
    if not confined(root, path, problems):
        return None
    if not path.is_file():
        problems.error(
            path,
            1,
            "no portfolio.yaml here: is this a portfolio folder? ('elenefolio init DIR' makes a new one)",
        )
        return None
    data = read_yaml_mapping(
        path,
        problems,
        "portfolio.yaml must hold settings such as 'title: ...'",
        empty="empty settings file: 'title' and 'author.name' are required",
    )
    if data is None:
        return None
    f = Fields(data, path, problems, CONFIG_KEYS)
    title = f.text("title", required=True)
    author_data = f.mapping("author", required=True)
    author = _author(author_data, root, path, problems) if author_data is not None else Author("")
    url = base_url if base_url is not None else f.text("base_url")
    if not url:
        problems.warning(
            path, 1, "no base_url: the feed, sitemap and links to share use http://localhost:8000/"
        )
        url = "http://localhost:8000/"
    elif not re.match(r"^https?://[^/\s]+(/\S*)?$", url):
        if base_url is not None:
            problems.error(path, 1, f"--base-url must start with http:// or https://, not '{shown(url)}'")
        else:
            f.error("base_url", f"'base_url' must start with http:// or https://, not '{shown(url)}'")
    url = url.rstrip("/") + "/"
    language = f.text("language", default="en")
    if not _LANGUAGE.match(language):
        f.error(
            "language", f"'language' must be a language code such as en, fr or de, not '{shown(language)}'"
        )
        language = "en"
    else:
        language = i18n.normalise(language)
        if (note := i18n.unknown_language(language, root)) is not None:
            f.warning("language", note)
    extra: dict = f.mapping("extra") or {}
    passport, paper = _passport(f, path, problems)
    config = Config(
        root=root,
        title=title,
        author=author,
        base_url=url,
        language=language,
        theme=f.text("theme", default="default"),
        theme_line=f.line("theme"),
        framework=f.text("framework", default="elene4work"),
        framework_line=f.line("framework"),
        default_visibility=f.choice("default_visibility", VISIBILITIES, "private"),
        allow_html=f.flag("allow_html", False),
        math=f.flag("math", False),
        keep_metadata=f.flag("keep_metadata", False),
        extra=dict(extra),
        passport=passport,
        passport_paper=paper,
        public_sources=f.flag("public_sources", False),
        hooks=tuple(f.text_list("hooks")),
        audiences=_audiences(f.mapping("audiences"), path, problems),
        source=Source(CONFIG_FILE, 1),
        self_assessment=_self_assessment(f.mapping("self_assessment"), path, problems),
    )
    return config


_AUDIENCE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _audiences(data: LineDict | None, path: Path, problems: Problems) -> dict[str, str]:
    """``audiences: {NAME: {passphrase_env: VARIABLE}}``: who shared items are for, and the
    environment variable holding each one's passphrase. A variable that is not set (or empty)
    is an error: a shared page is never published without its lock. The passphrase itself is
    not kept here: the render stage reads it from the environment when it encrypts."""
    if data is None:
        return {}
    audiences: dict[str, str] = {}
    for name, value in data.items():
        line = data.line_of(name)
        if not isinstance(name, str) or not _AUDIENCE_NAME.match(name):
            problems.error(
                path, line, f"audience name '{shown(str(name))}' must be letters, digits, '-' or '_'"
            )
            continue
        if not isinstance(value, LineDict):
            problems.error(
                path, line, f"audiences.{name} must be a mapping such as {{passphrase_env: VARIABLE}}"
            )
            continue
        af = Fields(value, path, problems, ("passphrase_env",), where=f"audiences.{name}.")
        variable = af.text("passphrase_env", required=True)
        if not variable:
            continue
        if not _ENV_NAME.match(variable):
            af.error("passphrase_env", f"'{shown(variable)}' is not an environment variable name")
            continue
        if not os.environ.get(variable):  # (declared all the same: its items name it rightly)
            af.error(
                "passphrase_env",
                f"the passphrase of audience '{name}' is missing: set the environment variable "
                f"{variable} (shared pages are never published without it)",
            )
        audiences[name] = variable
    return audiences


def _self_assessment(data: LineDict | None, path: Path, problems: Problems) -> SelfAssessmentSettings:
    """``self_assessment:``: who may see the rounds, and the in-browser questionnaire."""
    if data is None:
        return SelfAssessmentSettings()
    f = Fields(data, path, problems, ("visibility", "questionnaire_page"), where="self_assessment.")
    return SelfAssessmentSettings(
        visibility=f.choice("visibility", ("public", "private"), "private"),
        questionnaire_page=f.flag("questionnaire_page", False),
    )


def _passport(f: Fields, path: Path, problems: Problems) -> tuple[bool, str]:
    """``passport: true`` or ``passport: {paper: letter}``: also build passport.pdf."""
    raw = f.raw("passport")
    if raw is None or isinstance(raw, bool):
        return bool(raw), "a4"
    if isinstance(raw, LineDict):
        pf = Fields(raw, path, problems, ("paper",), where="passport.")
        return True, pf.choice("paper", ("a4", "letter"), "a4")
    f.error("passport", "'passport' must be true, false or settings such as 'paper: letter'")
    return False, "a4"


def _author(data: LineDict, root: Path, path: Path, problems: Problems) -> Author:
    f = Fields(data, path, problems, AUTHOR_KEYS, where="author.")
    name = f.text("name", required=True)
    emails = [(e, line) for e, line in f.text_list("email")]
    for email, line in emails:
        if not _EMAIL.match(email):
            problems.error(path, line, f"'author.email' is not an email address: '{shown(email)}'")
    photo = None
    photo_text = f.text("photo")
    if photo_text:
        photo = inside(root, root / photo_text)
        if photo is None:
            f.error(
                "photo",
                f"'author.photo' must be a file inside the portfolio folder, not '{shown(photo_text)}'",
            )
        elif not photo.is_file():
            f.error("photo", f"'author.photo': file not found: {photo_text}")
            photo = None
    return Author(
        name=name,
        headline=f.text("headline"),
        email=[e for e, _ in emails],
        photo=photo,
        links=_links(f, path, problems),
    )


def _links(f: Fields, path: Path, problems: Problems) -> list[Link]:
    raw = f.raw("links")
    if raw is None:
        return []
    pairs: list[tuple[str, object, int]] = []
    if isinstance(raw, LineDict):
        pairs = [(str(k), v, raw.line_of(k)) for k, v in raw.items()]
    elif isinstance(raw, LineList):
        for i, item in enumerate(raw):
            line = raw.line_of(i)
            if isinstance(item, LineDict) and "url" in item:
                pairs.append((str(item.get("label") or item["url"]), item["url"], line))
            else:
                problems.error(path, line, "each item of 'author.links' needs 'label' and 'url'")
    else:
        f.error("links", "'author.links' must map labels to addresses, e.g. 'website: https://...'")
    links = []
    for label, url, line in pairs:
        url = str(url or "").strip()
        if url.lower().startswith("mailto:") or _EMAIL.match(url):
            problems.error(
                path,
                line,
                f"'author.links.{shown(label)}': email addresses are never "
                "published; keep them in 'author.email'",
            )
        elif not re.match(r"^https?://\S+$", url):
            problems.error(
                path,
                line,
                f"'author.links.{shown(label)}' must be a web address "
                f"starting with https://, not '{shown(url)}'",
            )
        else:
            links.append(Link(label, url))
    return links
