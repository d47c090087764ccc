"""Pictures for print: images sized with Pillow, QR codes drawn with segno.

Resized copies live in the portfolio's cache folder, named after the
source file's path, size and modification time, so an unchanged picture
is resized once and the passport's HTML stays the same between builds.
The names are keyed by this user's secret (``seal``): a copied portfolio
cannot bring a picture that takes the place of one of the learner's.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
from pathlib import Path

from elenefolio.incremental import seal
from elenefolio.util.images import HEIF_SUFFIXES, open_heif

# Longest side in pixels: about 300 dpi across the text block of an A4 page.
FULL_WIDTH = 1800
PHOTO_SIZE = 600
RASTER = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".bmp", ".tif", ".tiff", *HEIF_SUFFIXES}


def qr_data_uri(text: str) -> str:
    """A QR code of ``text`` as an SVG ``data:`` URI (sized by the style sheet)."""
    import segno

    return segno.make(text, error="m").svg_data_uri(scale=1, border=0, dark="#1d2b3a", omitsize=True)


class QrCache:
    """QR codes already drawn, kept in one sealed JSON file: drawing one takes tens of
    milliseconds. (Sealed, as a code from elsewhere could lead a reader anywhere, or name
    a file outside the portfolio for the PDF renderer to embed.)"""

    def __init__(self, path: Path):
        self.path = path
        self.codes: dict[str, str] = {}
        self.used: dict[str, str] = {}
        try:
            payload = seal.read(path, "qr")
            loaded = json.loads(bytes(payload)) if payload is not None else None
            if isinstance(loaded, dict):
                self.codes = {str(k): str(v) for k, v in loaded.items()}
        except (OSError, ValueError):
            pass

    def get(self, text: str) -> str:
        code = self.used.get(text) or self.codes.get(text) or qr_data_uri(text)
        self.used[text] = code
        return code

    def save(self) -> None:
        """Keep the codes of this passport (only those: the file never grows without bound)."""
        if self.used == self.codes:
            return
        seal.write(self.path, "qr", json.dumps(self.used).encode("utf-8"))


class FontCache:
    """The theme's WOFF2 fonts unpacked to TrueType, for print.

    WeasyPrint unpacks a WOFF2 file with fontTools at every render, about a tenth of a second
    each; the unpacked copy is made once. Copies are named by a MAC of the packed file's
    content (``seal``), so a copied portfolio cannot bring a font that takes the place of
    the theme's."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.used: set[str] = set()

    def get(self, path: Path) -> Path:
        """The TrueType copy of the WOFF2 file ``path`` (``path`` itself for another kind of
        font, or one that cannot be unpacked)."""
        if path.suffix.lower() != ".woff2":
            return path
        try:
            data = path.read_bytes()
        except OSError:
            return path
        name = seal.mac("font", hashlib.sha256(data).digest()).hex()[:32] + ".ttf"
        copy = self.folder / name
        if not copy.is_file():
            from fontTools.ttLib import woff2

            out = io.BytesIO()
            try:
                woff2.decompress(io.BytesIO(data), out)
            except Exception:  # fontTools raises many kinds of errors on a damaged file
                return path
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = self.folder / f".{name}.tmp"
            tmp.write_bytes(out.getvalue())
            tmp.replace(copy)
        self.used.add(name)
        return copy

    def prune(self) -> None:
        """Delete the copies of fonts this passport did not use (an older theme's)."""
        if self.folder.is_dir():
            for path in self.folder.iterdir():
                if path.name not in self.used:
                    path.unlink(missing_ok=True)


class ImageCache:
    """Resized copies of the portfolio's images, for the passport."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.used: set[str] = set()

    def _key(self, path: Path, box: int) -> str:
        stat = path.stat()
        raw = f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{box}"
        return seal.mac("image", raw.encode("utf-8", "surrogatepass")).hex()[:32]

    def get(self, path: Path, box: int = FULL_WIDTH) -> str:
        """The cached copy of ``path`` (relative to the cache folder), made when missing.

        Returns '' for a file that is not a readable image.
        """
        suffix = path.suffix.lower()
        try:
            key = self._key(path, box)
        except OSError:
            return ""
        self.folder.mkdir(parents=True, exist_ok=True)
        if suffix == ".svg":
            name = f"{key}.svg"
            if not (self.folder / name).exists():
                shutil.copyfile(path, self.folder / name)
            self.used.add(name)
            return name
        if suffix not in RASTER:
            return ""
        for ext in (".jpg", ".png"):
            if (self.folder / f"{key}{ext}").exists():
                self.used.add(key + ext)
                return key + ext
        name = self._resize(path, key, box)
        if name:
            self.used.add(name)
        return name

    def _resize(self, path: Path, key: str, box: int) -> str:
        from PIL import Image, ImageOps, UnidentifiedImageError

        open_heif()  # a HEIC photo is printed as JPEG, like the site publishes it
        try:
            with Image.open(path) as opened:
                image = ImageOps.exif_transpose(opened)
                image.thumbnail((box, box), Image.Resampling.LANCZOS, reducing_gap=3.0)
                alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
                if alpha:
                    name = f"{key}.png"
                    image.convert("RGBA").save(self.folder / name, optimize=True)
                else:
                    name = f"{key}.jpg"
                    image.convert("RGB").save(self.folder / name, quality=85, optimize=True)
                return name
        except (OSError, UnidentifiedImageError, ValueError):
            return ""
