"""Badges: ``badges/`` holds earned Open Badges, each with an optional sidecar.

A badge is a baked PNG, a baked SVG, an assertion or credential as JSON, or
a signed badge (compact JWS/JWT, ``.jws`` or ``.jwt``). A sidecar YAML with
the same name (``teamwork.png`` + ``teamwork.yaml``) links it to skills and
evidence and sets its visibility::

    skills: [teamwork, communication]
    evidence: [group-retrospective, journal/after-the-tutorial]
    visibility: public
    note: What this badge meant to me.
    image: teamwork-image.png   # for JSON badges whose image is not embedded

``badges/.verification.json`` (written by ``elenefolio badges verify``) records
which badge files were verified with their issuers, and when.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from elenefolio.badges.assertion import BadgeData, BadgeError, Check, read_badge_document
from elenefolio.badges.baking import BakingError, extract_png, extract_svg, strip_png, strip_svg
from elenefolio.badges.record import (
    RECORD_NAME,
    content_hash,
    read_records,
    verification_checks,
    verification_for,
)
from elenefolio.incremental.reads import read_bytes
from elenefolio.load.fields import Fields
from elenefolio.load.items import make_slug, read_skills
from elenefolio.load.source import read_text, read_yaml_mapping
from elenefolio.model import VISIBILITIES, Config, Framework, Item, SkillClaim, Source
from elenefolio.problems import Problems, did_you_mean, shown
from elenefolio.util import clock
from elenefolio.util.confine import confined, inside
from elenefolio.util.i18n import N_

BADGE_DIR = "badges"
BADGE_SUFFIXES = {".png": "png", ".svg": "svg", ".json": "json", ".jws": "jws", ".jwt": "jws"}
SIDECAR_SUFFIXES = (".yaml", ".yml")
SIDECAR_KEYS = ("skills", "evidence", "visibility", "note", "image", "slug")
MAX_BADGE_BYTES = 5 * 1024 * 1024
IMAGE_TYPES = {
    "image/png": ".png",
    "image/svg+xml": ".svg",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
}


@dataclass
class EvidenceRef:
    """A link from a badge's sidecar to a journal entry or an artefact."""

    slug: str
    section: str = ""  # "journal", "artefacts" or "" (either)
    line: int = 1


@dataclass
class Badge:
    """An earned badge: what it says (``data``) and how the learner presents it."""

    slug: str
    path: Path  # the badge file, absolute
    source: Source
    format: str  # png, svg, json, jws
    data: BadgeData
    visibility: str
    image: bytes = b""  # the image to publish, with any baked data removed
    image_suffix: str = ""
    skills: list[SkillClaim] = field(default_factory=list)
    evidence: list[EvidenceRef] = field(default_factory=list)
    note: str = ""
    sidecar: Path | None = None

    @property
    def title(self) -> str:
        return self.data.name or self.path.stem

    @property
    def date(self) -> dt.date | None:
        return self.data.issued

    @property
    def skill_ids(self) -> list[str]:
        return [c.skill for c in self.skills]


def badge_files(root: Path, problems: Problems | None = None) -> list[Path]:
    folder = root / BADGE_DIR
    if not folder.is_dir() or not confined(root, folder, problems):
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if not p.name.startswith(".")
        and not p.name.endswith("~")
        and confined(root, p, problems)
        and p.is_file()
    )


def load_badges(
    root: Path,
    config: Config,
    framework: Framework,
    items: list[Item],
    problems: Problems,
    today: dt.date | None = None,
) -> list[Badge]:
    """Read every badge of ``badges/`` with its sidecar; problems are collected."""
    files = badge_files(root, problems)
    if not files:
        return []
    today = today or clock.today()
    records, unusable = read_records(root / BADGE_DIR)
    if unusable:
        problems.warning(root / BADGE_DIR / RECORD_NAME, 1, unusable)
    sidecars = {p.stem: p for p in files if p.suffix.lower() in SIDECAR_SUFFIXES}
    meta = {stem: _read_sidecar(path, root, framework, items, problems) for stem, path in sidecars.items()}
    images = {m["image_path"] for m in meta.values() if m and m.get("image_path")}
    candidates = [p for p in files if p.suffix.lower() in BADGE_SUFFIXES and p.resolve() not in images]
    by_stem: dict[str, Path] = {}
    badges: list[Badge] = []
    for path in candidates:
        if path.stem in by_stem:
            problems.error(
                path,
                1,
                f"two badges are named '{shown(path.stem)}' ({by_stem[path.stem].name} "
                f"and {path.name}): rename one so that its sidecar is not shared",
            )
            continue
        by_stem[path.stem] = path
        badge = _read_badge(path, root, config, problems, today, meta.get(path.stem) or {}, records)
        if badge is not None:
            badge.sidecar = sidecars.get(path.stem)
            badges.append(badge)
    for stem, path in sidecars.items():
        if stem not in by_stem:
            problems.error(
                path,
                1,
                f"this sidecar belongs to no badge: add a badge file named "
                f"'{stem}.png', '{stem}.svg' or '{stem}.json'"
                f"{did_you_mean(stem, [p.stem for p in candidates])}",
            )
    for path in files:
        if (
            path.suffix.lower() not in BADGE_SUFFIXES
            and path.suffix.lower() not in SIDECAR_SUFFIXES
            and path.resolve() not in images
        ):
            problems.warning(
                path,
                1,
                "not a badge: badges/ holds .png, .svg, .json or .jws badges and their .yaml sidecars",
            )
    seen: dict[str, Badge] = {}
    for badge in badges:
        if badge.slug in seen:
            problems.error(
                badge.path,
                1,
                f"two badges would have the same address '{shown(badge.slug)}' "
                f"(the other is {seen[badge.slug].path.name}); set "
                "'slug:' in a sidecar",
            )
        seen[badge.slug] = badge
    return sorted(badges, key=lambda b: (b.date or dt.date.min, b.slug), reverse=True)


def read_baked(path: Path, raw: bytes, problems: Problems) -> tuple[str, str, int, bytes, str] | None:
    """(badge text, claimed version, line of the text, clean image, image suffix) of a badge file.

    Raises ``BakingError`` when the image holds no readable badge; None when the file is not
    text (reported)."""
    fmt = BADGE_SUFFIXES[path.suffix.lower()]
    if fmt == "png":
        baked = extract_png(raw)
        return baked.text, baked.version, 1, strip_png(raw), ".png"
    if fmt == "svg":
        baked = extract_svg(raw)
        return baked.text, baked.version, baked.line, strip_svg(raw), ".svg"
    decoded = read_text(path, problems, MAX_BADGE_BYTES)
    return None if decoded is None else (decoded, "", 1, b"", "")


def read_badge_bytes(path: Path, problems: Problems) -> bytes | None:
    try:
        size = path.stat().st_size
        if size > MAX_BADGE_BYTES:
            problems.error(
                path,
                1,
                f"badge file is too large ({size // 1024} KiB; the limit is {MAX_BADGE_BYTES // 1024} KiB)",
            )
            return None
        raw = read_bytes(path)
    except OSError as exc:
        problems.error(path, 1, f"cannot read the badge: {exc.strerror}")
        return None
    return raw


def _read_badge(
    path: Path,
    root: Path,
    config: Config,
    problems: Problems,
    today: dt.date,
    meta: dict,
    records: dict[str, dict],
) -> Badge | None:
    fmt = BADGE_SUFFIXES[path.suffix.lower()]
    raw = read_badge_bytes(path, problems)
    if raw is None:
        return None
    line = 1
    try:
        read = read_baked(path, raw, problems)
        if read is None:
            return None
        text, version, line, image, suffix = read
        data = read_badge_document(text, config.author.email, today, version)
    except (BakingError, BadgeError) as exc:
        if fmt in ("json", "jws"):
            where = exc.line
        elif fmt == "svg" and isinstance(exc, BadgeError):
            where = line + exc.line - 1  # the JSON starts on the element's line
        else:
            where = exc.line if fmt == "svg" else 1
        # one bad file must not stop the portfolio from being published: it is shown as such
        problems.warning(path, where, f"unreadable badge: {exc.message}; it is shown as 'unreadable'")
        data = BadgeData(
            "",
            unreadable=True,
            checks=[
                Check(
                    "file",
                    "failed",
                    N_("The badge file could not be read: it is damaged or not an Open Badge."),
                )
            ],
        )
        image, suffix = b"", ""
    if not image:
        image, suffix = _embedded_image(data.image)
    if meta.get("image_bytes"):
        image, suffix = meta["image_bytes"], meta["image_suffix"]
    if data.recipient == "not-matched":
        problems.warning(
            path,
            1,
            "this badge's recipient does not match author.email in "
            "portfolio.yaml: it is shown as 'recipient not confirmed'",
        )
    elif data.missing:
        problems.warning(path, 1, "this badge lacks required data: " + ", ".join(data.missing))
    if not data.unreadable:
        _attach_verification(data, records.get(path.name), content_hash(raw))
    slug = meta.get("slug") or make_slug(path.stem) or "badge"
    return Badge(
        slug=slug,
        path=path,
        source=Source(path.relative_to(root).as_posix(), 1),
        format=fmt,
        data=data,
        visibility=meta.get("visibility") or config.default_visibility,
        image=image,
        image_suffix=suffix,
        skills=meta.get("skills", []),
        evidence=meta.get("evidence", []),
        note=meta.get("note", ""),
    )


def _attach_verification(data: BadgeData, record: dict | None, digest: str) -> None:
    """Replace the "not checked offline" issuer check by what ``badges verify`` recorded."""
    verification = verification_for(record, digest)
    if verification is None:
        return
    data.verified = verification
    data.checks = [c for c in data.checks if c.name != "issuer"] + verification_checks(verification)


def _embedded_image(value: str) -> tuple[bytes, str]:
    """A ``data:`` URI image of a JSON badge; addresses on other sites are not fetched."""
    if not value.startswith("data:") or "," not in value:
        return b"", ""
    header, payload = value[5:].split(",", 1)
    mime = header.split(";")[0].strip().lower()
    if mime not in IMAGE_TYPES or ";base64" not in header:
        return b"", ""
    try:
        data = base64.b64decode(payload, validate=False)
    except (binascii.Error, ValueError):
        return b"", ""
    if mime == "image/png":
        try:
            data = strip_png(data)
        except BakingError:
            return b"", ""
    elif mime == "image/svg+xml":
        try:
            data = strip_svg(data)
        except BakingError:
            return b"", ""
    return data, IMAGE_TYPES[mime]


def _read_sidecar(
    path: Path, root: Path, framework: Framework, items: list[Item], problems: Problems
) -> dict | None:
    data = read_yaml_mapping(path, problems, "a badge sidecar holds fields such as 'skills: [teamwork]'")
    if data is None:
        return None
    f = Fields(data, path, problems, SIDECAR_KEYS)
    out: dict = {
        "skills": read_skills(f, framework, allow_evidence=False),
        "visibility": f.choice("visibility", VISIBILITIES, "") or None,
        "note": f.text("note"),
        "evidence": _evidence(f, items),
    }
    slug_text = f.text("slug")
    if slug_text:
        out["slug"] = make_slug(slug_text)
        if not out["slug"]:
            f.error("slug", "cannot make a web address from this slug")
    image_text = f.text("image")
    if image_text:
        image = inside(root, path.parent / image_text)
        if image is None:
            f.error("image", f"'image' must be a file inside the portfolio folder, not '{shown(image_text)}'")
        elif not image.is_file():
            f.error("image", f"image file not found: {image_text}")
        elif image.suffix.lower() not in (".png", ".svg", ".jpg", ".jpeg", ".gif", ".webp"):
            f.error("image", "'image' must be a .png, .svg, .jpg, .gif or .webp file")
        else:
            raw = read_bytes(image)
            try:
                raw = (
                    strip_png(raw)
                    if image.suffix.lower() == ".png"
                    else strip_svg(raw)
                    if image.suffix.lower() == ".svg"
                    else raw
                )
            except BakingError as exc:
                f.error("image", f"image '{shown(image_text)}': {exc.message}")
                raw = b""
            out.update(image_path=image, image_bytes=raw, image_suffix=image.suffix.lower())
    return out


def _evidence(f: Fields, items: list[Item]) -> list[EvidenceRef]:
    journal = {i.slug for i in items if i.section == "journal"}
    artefacts = {i.slug for i in items if i.section == "artefacts"}
    refs: list[EvidenceRef] = []
    for text, line in f.text_list("evidence"):
        section, sep, slug = text.strip().strip("/").partition("/")
        if not sep:
            section, slug = "", section
        if section not in ("", "journal", "artefacts"):
            f.problems.error(
                f.path,
                line,
                f"evidence '{shown(text)}': write a slug, 'journal/<slug>' or 'artefacts/<slug>'",
            )
            continue
        pool = (
            journal if section == "journal" else artefacts if section == "artefacts" else journal | artefacts
        )
        if slug not in pool:
            f.problems.error(
                f.path,
                line,
                f"evidence '{shown(text)}' is not a journal entry or an "
                f"artefact{did_you_mean(slug, sorted(pool))}",
            )
            continue
        refs.append(EvidenceRef(slug, section, line))
    return refs
