"""The fonts the passport can use, as inputs of the passport.

WeasyPrint sets the passport in the theme's own fonts (``static/css/fonts.css``) and takes
any character they lack from the fonts installed on the machine, found by fontconfig. A
character no font has is printed as an empty box, silently. So, before a passport is
rendered:

- ``installed()`` lists the machine's fonts with fontconfig's ``fc-list`` (one call: each
  font's file and the characters it has); the list and the files' sizes and times are part
  of the passport's cache key, so installing a font makes the next passport again;
- ``missing(...)`` takes the distinct characters of the passport's text once, and keeps
  those neither the theme's fonts nor the installed ones have; ``warnings(...)`` reports
  them at the first line of each source file that holds some, naming a package that has
  them (Debian and Ubuntu names: Noto fonts).

Without ``fc-list`` (fontconfig's tools not installed) nothing can be checked: the key then
holds no list and no warning is given.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import os
import subprocess
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from elenefolio.problems import Problem

FC_LIST = ("fc-list", "--format", "%{file}\t%{index}\t%{charset}\n")
SHOWN = 16  # characters named in one warning, at most

CJK = "fonts-noto-cjk"
EMOJI = "fonts-noto-color-emoji"
CORE = "fonts-noto-core"
PACKAGES = {
    CJK: "Chinese, Japanese, Korean",
    EMOJI: "emoji",
    CORE: "Arabic, Hebrew, Indic, Thai and most other scripts",
}
CJK_RANGES = (
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x2E80, 0x2FDF),  # CJK radicals
    (0x2FF0, 0x31FF),  # CJK symbols and punctuation, Hiragana, Katakana, Bopomofo, Hangul compatibility
    (0x3200, 0x9FFF),  # enclosed CJK, CJK compatibility, Han
    (0xA960, 0xA97F),  # Hangul Jamo extended
    (0xAC00, 0xD7FF),  # Hangul syllables
    (0xF900, 0xFAFF),  # Han compatibility
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # full-width forms
    (0x20000, 0x3FFFF),  # Han extensions
)
EMOJI_RANGES = (
    (0x2600, 0x27BF),  # miscellaneous symbols, dingbats
    (0x1F000, 0x1FAFF),  # cards, enclosed, pictographs, emoticons, transport, flags
    (0xE0020, 0xE007F),  # tags (flags of regions)
)
# Characters that need no glyph of their own: controls, formatting (joiners, direction
# marks), spaces, private use, and variation selectors.
NO_GLYPH = frozenset(("Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"))


@dataclass
class Installed:
    """The fonts fontconfig finds on this machine."""

    identity: str  # what the passport's cache key holds of them
    lines: list[str] = field(default_factory=list)  # "file<TAB>index<TAB>charset", sorted
    listed: bool = False  # fc-list ran

    @functools.cached_property
    def ranges(self) -> tuple[list[int], list[int]]:
        """The characters of all the fonts, as sorted, merged (starts, ends)."""
        spans = []
        for line in self.lines:
            for part in line.rsplit("\t", 1)[-1].split():
                first, _, last = part.partition("-")
                try:
                    spans.append((int(first, 16), int(last or first, 16)))
                except ValueError:
                    continue
        return _merged(spans)

    def has(self, code: int) -> bool:
        starts, ends = self.ranges
        at = bisect.bisect_right(starts, code) - 1
        return at >= 0 and code <= ends[at]


def installed() -> Installed:
    """The machine's fonts, listed by ``fc-list`` (with ``FONTCONFIG_FILE`` and the rest of
    fontconfig's settings, as WeasyPrint sees them)."""
    try:
        done = subprocess.run(
            FC_LIST, capture_output=True, timeout=120, stdin=subprocess.DEVNULL, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return Installed("fonts not listed: no fc-list")
    if done.returncode != 0:
        return Installed("fonts not listed: fc-list failed")
    lines = sorted(set(done.stdout.decode("utf-8", "surrogateescape").splitlines()))
    digest = hashlib.sha256()
    for line in lines:
        name = line.split("\t", 1)[0]
        try:
            st = os.stat(name)
            stamp = f"{st.st_size}:{st.st_mtime_ns}"
        except OSError:
            stamp = "-"
        digest.update(f"{line}\t{stamp}\n".encode("utf-8", "surrogateescape"))
    return Installed(digest.hexdigest(), lines, True)


def _merged(spans: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    starts: list[int] = []
    ends: list[int] = []
    for first, last in sorted(spans):
        if ends and first <= ends[-1] + 1:
            ends[-1] = max(ends[-1], last)
        else:
            starts.append(first)
            ends.append(last)
    return starts, ends


@functools.lru_cache(maxsize=64)
def _font_characters(path: str, _size: int, _mtime: int) -> frozenset[int]:
    """The characters of the font file at ``path`` (keyed by its stamp)."""
    from fontTools.ttLib import TTFont

    try:
        with TTFont(path, lazy=True, fontNumber=0) as font:
            return frozenset(font.getBestCmap() or ())
    except Exception:  # fontTools raises many kinds of errors on a damaged file
        return frozenset()


def theme_characters(fonts: list[Path]) -> frozenset[int]:
    """The characters of the theme's fonts (the files the passport's ``@font-face`` rules name)."""
    found: set[int] = set()
    for path in fonts:
        try:
            st = path.stat()
        except OSError:
            continue
        found |= _font_characters(str(path), st.st_size, st.st_mtime_ns)
    return frozenset(found)


def text_of(html: str) -> str:
    """The text the passport prints (no style sheets, scripts or attributes)."""
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return html
    etree.strip_elements(root, "style", "script", etree.Comment, with_tail=False)
    return "".join(str(part) for part in root.itertext())


def needs_glyph(char: str) -> bool:
    code = ord(char)
    if code < 0x80 or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF:
        return False
    return unicodedata.category(char) not in NO_GLYPH


def missing(text: str, fonts: Installed, theme_fonts: list[Path]) -> set[str]:
    """The characters of ``text`` that no font has (none when the fonts could not be listed)."""
    if not fonts.listed:
        return set()
    wanted = {c for c in set(text) if needs_glyph(c) and not fonts.has(ord(c))}
    if not wanted:
        return set()  # (the theme's fonts are read only when the installed ones lack something)
    own = theme_characters(theme_fonts)
    return {c for c in wanted if ord(c) not in own}


def package(char: str) -> str:
    """A Debian package with a font that has ``char``."""
    code = ord(char)
    if any(first <= code <= last for first, last in CJK_RANGES):
        return CJK
    if any(first <= code <= last for first, last in EMOJI_RANGES):
        return EMOJI
    return CORE


def advice(chars) -> str:
    """What to install for ``chars``."""
    needed = sorted({package(c) for c in chars}, key=list(PACKAGES).index)
    named = [f"{name} ({PACKAGES[name]})" for name in needed]
    joined = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]
    return f"install {joined}, or on a system other than Debian or Ubuntu a font that has them"


def warnings(gone: set[str], sources: list[Path], root: Path, fallback: Path) -> list[Problem]:
    """One warning per source file holding characters of ``gone``, at the first line that
    holds one; those found in no source file are reported at ``fallback``."""
    from elenefolio.incremental import reads
    from elenefolio.problems import Problems

    problems = Problems(root)
    left = set(gone)
    for source in dict.fromkeys(sources) if gone else ():
        try:
            text = reads.read_bytes(source, root).decode("utf-8", "replace")
        except OSError:
            continue
        found: dict[str, None] = {}
        first = 0
        for number, line in enumerate(text.splitlines(), 1):
            here = [c for c in line if c in gone]
            if here and not first:
                first = number
            found.update(dict.fromkeys(here))
        if found:
            left -= set(found)
            problems.warning(source, first, _message(list(found)))
    if left:
        problems.warning(fallback, 1, _message(sorted(left)))
    return problems.sorted()


def _message(chars: list[str]) -> str:
    shown = " ".join(chars[:SHOWN]) + (" …" if len(chars) > SHOWN else "")
    return f"the passport prints empty boxes: no installed font has these characters: {shown}; " + advice(
        chars
    )
