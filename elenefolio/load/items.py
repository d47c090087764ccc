"""Fields shared by journal entries and artefacts, and their Markdown bodies."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from urllib.parse import unquote

from slugify import slugify

from elenefolio.load import markup
from elenefolio.load.fields import Fields
from elenefolio.load.paths import check_size, is_url, refused_scheme
from elenefolio.load.source import SourceText, read_markdown
from elenefolio.load.yamlfile import LineDict
from elenefolio.model import ITEM_VISIBILITIES, Body, Config, Framework, SkillClaim, Source
from elenefolio.problems import Problems, did_you_mean, shown
from elenefolio.util import clock, i18n
from elenefolio.util.confine import inside
from elenefolio.util.images import unshown

COMMON_KEYS = (
    "title",
    "date",
    "updated",
    "skills",
    "tags",
    "visibility",
    "draft",
    "summary",
    "slug",
    "extra",
    "lang",
    "audience",
)


@functools.lru_cache(maxsize=4096)
def make_slug(text: str) -> str:
    """A stable, ASCII, URL-safe slug (accents and other scripts transliterated).
    Remembered: the same tags and names are slugged again and again."""
    return slugify(text, lowercase=True, max_length=80, word_boundary=True)


def read_skills(f: Fields, framework: Framework, allow_evidence: bool) -> list[SkillClaim]:
    """``skills``: skill ids, or (for artefacts) mappings {skill, evidence, status}; ``status``
    names one of the framework's evidence statuses (a SmartEvidence framework has them)."""
    claims: list[SkillClaim] = []
    known = [s.id for s in framework.skills]
    seen: set[str] = set()
    raw = f.raw("skills")
    entries = [(raw, f.line("skills"))] if isinstance(raw, str) else f.items("skills")
    for item, line in entries:
        evidence = status = ""
        if isinstance(item, LineDict) and allow_evidence:
            sf = Fields(item, f.path, f.problems, ("skill", "evidence", "status"), where="skills.")
            skill_id = sf.text("skill", required=True)
            evidence = sf.text("evidence")
            status = _status(sf, framework)
        elif isinstance(item, (str, int)) and not isinstance(item, bool):
            skill_id = str(item).strip()
        else:
            form = "a skill id or {skill: id, evidence: text}" if allow_evidence else "a skill id"
            f.problems.error(f.path, line, f"each item of 'skills' must be {form}")
            continue
        if not skill_id:
            continue
        if framework.skill(skill_id) is None:
            f.problems.error(
                f.path, line, f"unknown skill '{shown(skill_id)}'{did_you_mean(skill_id, known)}"
            )
            continue
        if skill_id in seen:
            f.problems.warning(f.path, line, f"skill '{shown(skill_id)}' is listed twice")
            continue
        seen.add(skill_id)
        claims.append(SkillClaim(skill_id, evidence, line, status))
    return claims


def _status(sf: Fields, framework: Framework) -> str:
    """``status`` of a skill claim: the id of one of the framework's evidence statuses."""
    status = sf.text("status")
    known = [s.id for s in framework.evidence_statuses]
    if not status or status in known:
        return status
    if not known:
        sf.error(
            "status",
            f"the framework '{shown(framework.name)}' has no evidence statuses, so "
            f"'status: {shown(status)}' cannot be used",
        )
    else:
        sf.error(
            "status",
            f"unknown evidence status '{shown(status)}'{did_you_mean(status, known)}; "
            f"the framework's statuses: {', '.join(known)}",
        )
    return ""


def read_common(f: Fields, path: Path, config: Config, framework: Framework, allow_evidence: bool) -> dict:
    """The fields every item has, as keyword arguments for the model class."""
    title = f.text("title", required=True)
    date = f.date("date", required=True)
    if date is not None:
        day = date.date() if isinstance(date, dt.datetime) else date
        if day > clock.today():
            f.warning("date", f"the date {day.isoformat()} is in the future")
    slug_text = f.text("slug")
    stem = path.parent.name if path.name == "index.md" else path.stem
    slug = make_slug(slug_text or stem)
    if not slug:
        f.problems.error(
            path,
            f.line("slug") if slug_text else 1,
            "cannot make a web address from this name; add 'slug: some-words'",
        )
    tags: dict[str, int] = {}
    for tag, line in f.text_list("tags"):
        if not make_slug(tag):
            f.problems.error(path, line, f"tag '{shown(tag)}' has no letters or digits")
        else:
            tags.setdefault(tag, line)
    extra = f.mapping("extra")
    visibility = f.choice("visibility", ITEM_VISIBILITIES, config.default_visibility)
    return dict(
        slug=slug,
        title=title,
        date=date,
        skills=read_skills(f, framework, allow_evidence),
        tags=list(tags),
        tag_lines=tags,
        lang=_lang(f),
        visibility=visibility,
        audience=read_audience(f, visibility, config),
        draft=f.flag("draft", False),
        summary=f.text("summary"),
        extra=dict(extra) if extra else {},
        updated_set=f.date("updated"),
    )


def read_audience(f: Fields, visibility: str, config: Config) -> tuple[str, ...]:
    """``audience``: who a shared item (or collection) is for, one name or a list of the
    audiences portfolio.yaml declares; a shared item needs one, and only a shared item has one."""
    names = f.text_list("audience")
    if visibility != "shared":
        if names:
            f.error("audience", "'audience' is only for a shared item: add 'visibility: shared'")
        return ()
    if not names:
        f.problems.error(
            f.path,
            f.line("visibility"),
            "a shared item needs 'audience: NAME', one of the audiences of portfolio.yaml",
        )
        return ()
    known = list(config.audiences)
    chosen: list[str] = []
    for name, line in names:
        if name not in config.audiences:
            hint = did_you_mean(name, known) if known else " (portfolio.yaml declares no 'audiences:')"
            f.problems.error(f.path, line, f"unknown audience '{shown(name)}'{hint}")
        elif name not in chosen:
            chosen.append(name)
    return tuple(chosen)


def _lang(f: Fields) -> str:
    """``lang``: the language the item is written in, as a BCP 47 tag."""
    lang = f.text("lang")
    if lang and not i18n.is_language_tag(lang):
        f.error(
            "lang",
            f"'lang' must be a language tag such as el, pl, ar, he, zh-Hans or ja, not '{shown(lang)}'",
        )
        return ""
    return i18n.canonical_tag(lang) if lang else ""


def load_item(
    path: Path,
    root: Path,
    config: Config,
    framework: Framework,
    problems: Problems,
    cls,
    keys: tuple[str, ...],
    allow_evidence: bool,
    own_fields,
):
    """Read one Markdown item of class ``cls``; None when it is too broken to use.

    ``own_fields(f)`` returns the keyword arguments of the fields only ``cls`` has.
    """
    source = read_markdown(path, problems)
    if source is None:
        return None
    f = Fields(source.meta, path, problems, keys)
    common = read_common(f, path, config, framework, allow_evidence)
    item = cls(
        **common,
        body=read_body(source, path, root, config, problems),
        source=Source(path.relative_to(root).as_posix(), 1),
        path=path,
        **own_fields(f),
    )
    return item if common["title"] and common["date"] and common["slug"] else None


def read_body(source: SourceText, path: Path, root: Path, config: Config, problems: Problems) -> Body:
    """Parse the Markdown body and check the local files it refers to."""
    tokens = markup.parse(source.body, config.allow_html, config.math)
    refs = markup.references(tokens, source.body_line)
    for ref in refs:
        resolve_reference(ref, path, root, problems)
    if config.allow_html:
        for name, line in markup.removed_elements(tokens, source.body_line):
            problems.warning(path, line, f"<{name}> is removed from the page: {_REMOVED.get(name, _KEPT)}")
    if config.math:
        for latex, line, display in markup.formulas(tokens, source.body_line):
            if why := markup.formula(latex, display)[1]:
                problems.error(path, line, f"the formula '{shown(latex.strip())}' cannot be read: {why}")
    html, slots = markup.prepare(tokens, config.allow_html, config.math)
    return Body(html, slots, refs, markup.plain_text(tokens), source.body_line)


_KEPT = "raw HTML keeps text, tables, images, video and audio of the portfolio, and links"
_REMOVED = {
    "iframe": "pages load nothing from other sites; link to the video or page instead, or add "
    "the link to the artefact's 'media:' (it is shown as a link, with a poster if you "
    "give one)",
    "script": "pages run no scripts from the portfolio",
}


def resolve_reference(ref, path: Path, root: Path, problems: Problems) -> None:
    """Point a relative link or image at the file it names, or report it."""
    target = ref.target.strip()
    if not target or target.startswith(("#", "?")) or is_url(target):
        if scheme := refused_scheme(target):
            problems.error(path, ref.line, f"{scheme}: addresses are not allowed")
        return
    if target.startswith("/"):  # a site-absolute address, kept as written
        return
    plain, _, fragment = target.partition("#")
    plain = plain.split("?", 1)[0]
    ref.fragment = fragment
    candidate = path.parent / unquote(plain)
    resolved = inside(root, candidate)
    what = "image" if ref.kind == "image" else "link"
    if resolved is None:
        problems.error(path, ref.line, f"{what} '{shown(target)}' points outside the portfolio folder")
        return
    if not resolved.exists():
        problems.error(path, ref.line, f"{what} target not found: {plain}")
        return
    if resolved.is_dir():
        index = resolved / "index.md"
        if index.is_file():
            resolved = index
        else:
            problems.error(path, ref.line, f"{what} '{shown(target)}' points to a folder, not a file")
            return
    if ref.kind == "image" and (why := unshown(resolved.name)):
        problems.error(path, ref.line, f"image '{shown(plain)}' {why}")
        return
    if ref.kind == "image" and not ref.text.strip():
        problems.warning(
            path,
            ref.line,
            f"image '{shown(plain)}' has no alt text: describe it in the brackets, ![like this](photo.jpg)",
        )
    if resolved.suffix.lower() != ".md":
        check_size(resolved, problems, path, ref.line, what)
    ref.path = resolved
