"""Artefacts: ``artefacts/<slug>.md`` or ``artefacts/<slug>/index.md``."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlparse

from elenefolio.load.fields import Fields
from elenefolio.load.items import COMMON_KEYS, load_item
from elenefolio.load.paths import check_size, is_url, refused_scheme
from elenefolio.load.yamlfile import LineDict
from elenefolio.model import ARTEFACT_TYPES, Artefact, Config, Framework, Media
from elenefolio.problems import Problems, shown
from elenefolio.util.confine import inside
from elenefolio.util.images import HEIF_SUFFIXES, unshown

ARTEFACT_KEYS = COMMON_KEYS + ("type", "media", "context", "role", "featured")
MEDIA_KEYS = ("src", "alt", "caption", "poster", "captions", "transcript", "fit", "focus")
FOCUS = re.compile(r"(left|center|right|top|bottom|\d{1,3}%)( (left|center|right|top|bottom|\d{1,3}%))?")
TRANSCRIPT_SUFFIXES = (".md", ".markdown", ".txt")
MAX_TRANSCRIPT_BYTES = 1024 * 1024
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")
MEDIA_KINDS = {
    "video": {".mp4", ".webm", ".ogv", ".mov", ".m4v"},
    "audio": {".mp3", ".ogg", ".oga", ".opus", ".wav", ".m4a", ".flac", ".aac"},
    "image": {".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".avif", *HEIF_SUFFIXES},
    "pdf": {".pdf"},
}


def media_kind(name: str) -> str:
    suffix = Path(urlparse(name).path).suffix.lower()
    for kind, suffixes in MEDIA_KINDS.items():
        if suffix in suffixes:
            return kind
    return "file"


def load_artefact(
    path: Path, root: Path, config: Config, framework: Framework, problems: Problems
) -> Artefact | None:
    """Read one artefact; None when it is too broken to use."""
    return load_item(
        path,
        root,
        config,
        framework,
        problems,
        Artefact,
        ARTEFACT_KEYS,
        True,
        lambda f: dict(
            type=f.choice("type", ARTEFACT_TYPES, "other"),
            media=_media(f, path, root, config, problems),
            context=f.text("context"),
            role=f.text("role"),
            featured=f.flag("featured", False),
        ),
    )


def _local_file(src: str, path: Path, root: Path, line: int, problems: Problems, what: str) -> Path | None:
    resolved = inside(root, path.parent / unquote(src))
    if resolved is None:
        problems.error(path, line, f"{what} '{shown(src)}' points outside the portfolio folder")
    elif what in ("media", "poster") and (why := unshown(resolved.name)):
        problems.error(path, line, f"{what} '{shown(src)}' {why}")
        resolved = None
    elif not resolved.is_file():
        problems.error(path, line, f"{what} file not found: {src}")
        resolved = None
    else:
        check_size(resolved, problems, path, line, what)
    return resolved


def _media(f: Fields, path: Path, root: Path, config: Config, problems: Problems) -> list[Media]:
    out: list[Media] = []
    raw = f.raw("media")
    entries = [(raw, f.line("media"))] if isinstance(raw, str) else f.items("media")
    for item, line in entries:
        if isinstance(item, LineDict):
            mf = Fields(item, path, problems, MEDIA_KEYS, where="media.")
            src, alt = mf.text("src", required=True), mf.text("alt")
            caption, poster = mf.text("caption"), mf.text("poster")
        elif isinstance(item, str):
            src, alt, caption, poster = item.strip(), "", "", ""
        else:
            problems.error(
                path, line, "each media item must be a file path, an address, or {src, alt, caption, poster}"
            )
            continue
        if not src:
            continue
        if scheme := refused_scheme(src) or refused_scheme(poster):
            problems.error(path, line, f"{scheme}: addresses are not allowed")
            continue
        media = Media(
            src=src,
            kind="link" if is_url(src) else media_kind(src),
            alt=alt,
            caption=caption,
            poster=poster,
            line=line,
        )
        if not is_url(src):
            media.path = _local_file(src, path, root, line, problems, "media")
            if media.path is None:
                continue
            if media.kind == "image" and not alt:
                problems.warning(
                    path,
                    line,
                    f"image '{shown(src)}' has no alt text: add "
                    f"'alt: a short description' to this media item",
                )
        if poster and is_url(poster):
            problems.error(
                path,
                line,
                "'poster' must be an image file of the portfolio, "
                "not an address (pages make no requests to other sites)",
            )
        elif poster:
            media.poster_path = _local_file(poster, path, root, line, problems, "poster")
        if isinstance(item, LineDict):
            media.captions = _captions(mf, path, root, config.language, problems)
            _transcript(mf, media, path, root, problems)
            media.fit = mf.choice("fit", ("cover", "contain"), "cover").replace("cover", "")
            media.focus = " ".join(mf.text("focus").lower().split())
            if media.focus and not FOCUS.fullmatch(media.focus):
                mf.error(
                    "focus",
                    f"'focus' is where a card centres the picture: one or two of left, "
                    f"center, right, top, bottom or a percentage (such as 'top' or "
                    f"'50% 20%'), not '{shown(media.focus)}'",
                )
                media.focus = ""
        out.append(media)
    return out


def _captions(
    mf: Fields, path: Path, root: Path, language: str, problems: Problems
) -> list[tuple[str, Path]]:
    """``captions:`` as (language, WebVTT file): one file (in the portfolio's language), or a
    mapping of languages to files."""
    raw, line = mf.raw("captions"), mf.line("captions") if "captions" in mf.data else 1
    if raw is None:
        return []
    if isinstance(raw, str):
        pairs = [(language, raw, line)]
    elif isinstance(raw, LineDict):
        pairs = [(str(lang), value, raw.line_of(lang)) for lang, value in raw.items()]
    else:
        problems.error(
            path,
            line,
            "'captions' is a .vtt file, or languages with their .vtt file (such as 'en: captions-en.vtt')",
        )
        return []
    out = []
    for lang, value, at in pairs:
        if not LANGUAGE_TAG.fullmatch(lang):
            problems.error(path, at, f"'{shown(lang)}' is not a language code (such as en, fr or pt-BR)")
        elif not isinstance(value, str) or not value.strip().lower().endswith(".vtt") or is_url(value):
            problems.error(path, at, "captions must be a WebVTT file of the portfolio (ending in .vtt)")
        else:
            vtt = _local_file(value.strip(), path, root, at, problems, "captions")
            if vtt is not None and _is_webvtt(vtt):
                out.append((lang, vtt))
            elif vtt is not None:
                problems.error(
                    path, at, f"captions '{shown(value)}' is not a WebVTT file: its first line must be WEBVTT"
                )
    return out


def _is_webvtt(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            head = handle.read(16)
    except OSError:
        return False
    return head.removeprefix(b"\xef\xbb\xbf").startswith(b"WEBVTT")


def _transcript(mf: Fields, media: Media, path: Path, root: Path, problems: Problems) -> None:
    """``transcript:`` as the name of a text or Markdown file beside the artefact, or the text
    itself."""
    text = mf.text("transcript")
    if not text:
        return
    line = mf.line("transcript")
    name = text.strip()
    if "\n" in name or not name.lower().endswith(TRANSCRIPT_SUFFIXES):
        media.transcript = text.strip()
        return
    found = _local_file(name, path, root, line, problems, "transcript")
    if found is None:
        return
    if found.stat().st_size > MAX_TRANSCRIPT_BYTES:
        problems.error(path, line, f"transcript '{shown(name)}' is over 1 MB of text")
        return
    try:
        media.transcript = found.read_text(encoding="utf-8-sig").strip()
        media.transcript_path = found
    except (OSError, UnicodeDecodeError):
        problems.error(path, line, f"transcript '{shown(name)}' is not UTF-8 text")
