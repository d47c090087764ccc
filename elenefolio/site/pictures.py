"""Smaller copies of the portfolio's pictures, for ``srcset`` and cards.

The site stage names the pictures that get them: each published JPEG, PNG or WebP picture
(or HEIC photo, published as a JPEG file)
shown by a page (an artefact's image, a video's poster, a card's thumbnail, a picture in a
Markdown body). The first time the render stage asks for one, its header is read (Pillow) and
its copies decided: a WebP copy at each width of ``WIDTHS`` narrower than the original (a
picture is never enlarged). The render stage makes them (``render.published.Publisher.variant``,
cached like cleaned photos). A passport that is reused unchanged never reads a picture.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from elenefolio.site.views import _ShortRepr
from elenefolio.util.images import DECODER_ERRORS, HEIF_SUFFIXES, open_heif

WIDTHS = (480, 960, 1600)
RESIZED = (".jpg", ".jpeg", ".png", ".webp", *HEIF_SUFFIXES)
FOLDER = "assets/sizes/"


@dataclass(eq=False, repr=False)
class Picture(_ShortRepr):
    """A published picture, its size and its smaller copies (all plain values, so that
    incremental builds see a change)."""

    url: str
    width: int
    height: int
    variants: tuple[tuple[int, str], ...] = ()  # (width, site address), narrowest first
    candidates: tuple[tuple[int, str], ...] = field(default=())  # variants and the original

    def at_most(self, width: int) -> str:
        """The address of the widest copy no wider than ``width`` (the narrowest copy, or
        the original, when none is)."""
        fitting = [url for w, url in self.candidates if w <= width]
        return fitting[-1] if fitting else self.candidates[0][1]

    def up_to(self, width: int) -> tuple[tuple[int, str], ...]:
        """The candidates no wider than ``width`` (at least one)."""
        return tuple(c for c in self.candidates if c[0] <= width) or self.candidates[:1]


@dataclass
class Variant:
    """A smaller copy to make: from ``source``, ``width`` pixels wide, at ``url``."""

    source: Path
    url: str
    width: int
    origin: tuple[Path, int, str] | None = None


def picture_size(path: Path) -> tuple[int, int] | None:
    """Width and height of the picture as shown (EXIF orientation applied), from its header."""
    from PIL import Image, UnidentifiedImageError

    open_heif()
    try:
        with Image.open(path) as image:
            width, height = image.size
            orientation = image.getexif().get(0x0112, 1)
    except DECODER_ERRORS + (UnidentifiedImageError, Image.DecompressionBombError):
        return None
    return (height, width) if orientation in (5, 6, 7, 8) else (width, height)


class Pictures:
    """The pictures of one site, read when first asked for, and the copies they need."""

    def __init__(self):
        self.named: dict[str, tuple[Path, tuple | None]] = {}  # site address -> (file, origin)
        self.known: dict[str, Picture | None] = {}
        self._variants: dict[str, Variant] = {}

    def add(self, path: Path, url: str, origin: tuple[Path, int, str] | None = None) -> None:
        """Name the published file ``path`` at ``url`` as a picture that may get copies
        (only JPEG, PNG and WebP files do)."""
        if url and path.suffix.lower() in RESIZED:
            self.named.setdefault(url, (path, origin))

    def get(self, url: str) -> Picture | None:
        """The ``Picture`` at ``url``; None for an address not named, or a picture that
        cannot be read (publishing it reports why)."""
        if url not in self.known:
            self.known[url] = self._read(url) if url in self.named else None
        return self.known[url]

    def _read(self, url: str) -> Picture | None:
        path, origin = self.named[url]
        size = picture_size(path)
        if size is None:
            return None
        width, height = size
        digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:12]
        variants = tuple((w, f"{FOLDER}{digest}-{w}.webp") for w in WIDTHS if w < width)
        for w, address in variants:
            self._variants[address] = Variant(path, address, w, origin)
        return Picture(url, width, height, variants, variants + ((width, url),))

    def variants(self) -> list[Variant]:
        """Every copy the named pictures need."""
        for url in self.named:
            self.get(url)
        return list(self._variants.values())
