"""Picture formats: the phone photos that are converted, and those no browser shows.

A HEIC or HEIF photo (what iPhones and many Android phones write) is shown by no browser but
Safari, and WeasyPrint cannot read it. It is published as a JPEG file of the same name
(``IMG_0042.HEIC`` → ``IMG_0042.jpg``), made like every photo: turned the right way up,
without its EXIF, XMP or GPS data; the HEIC file itself is never published.

The formats of ``UNSHOWN`` are refused where a picture, video or sound is shown (an artefact's
``media:``, a poster, a Markdown image): no common browser shows them, and converting
them would guess at what the learner meant (a RAW photo needs developing, a layered
Photoshop or TIFF file choosing a layer or page). The learner exports the file instead.
"""

from __future__ import annotations

import functools

# What Pillow and libheif (pillow-heif) raise on a damaged or hostile file.
DECODER_ERRORS: tuple[type[Exception], ...] = (
    OSError,
    ValueError,
    SyntaxError,
    RuntimeError,
    EOFError,
    IndexError,
    TypeError,
)
HEIF_SUFFIXES = (".heic", ".heif", ".hif")
# The ISO base media file brands of HEIF still pictures and sequences (AVIF is left to Pillow).
HEIF_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs", b"mif1", b"msf1")

_PHOTO = "export it as JPEG, PNG or WebP"
_VIDEO = "export it as MP4 (H.264) or WebM"
_SOUND = "export it as MP3, M4A or Ogg"
# suffix -> (the format, with its article; what to do); every one is shown by no common browser
# (Chrome, Firefox, Safari) or only by one of them.
UNSHOWN: dict[str, tuple[str, str]] = {
    **dict.fromkeys((".tif", ".tiff"), ("a TIFF", _PHOTO)),
    **dict.fromkeys(
        (".dng", ".cr2", ".cr3", ".crw", ".nef", ".nrw", ".arw", ".srf", ".sr2", ".orf", ".rw2")
        + (".raf", ".pef", ".srw", ".x3f", ".3fr", ".erf", ".kdc", ".mrw", ".raw", ".rwl", ".iiq"),
        ("a camera RAW", "develop and export it as JPEG"),
    ),
    ".psd": ("a Photoshop", _PHOTO),
    ".psb": ("a Photoshop", _PHOTO),
    ".xcf": ("a GIMP", _PHOTO),
    ".ai": ("an Illustrator", "export it as SVG, PNG or PDF"),
    ".eps": ("an EPS", "export it as SVG, PNG or PDF"),
    # uncompressed, many times larger than the same picture as PNG, no smaller copies made
    ".bmp": ("a BMP", "export it as PNG"),
    ".jxl": ("a JPEG XL", _PHOTO),
    ".jp2": ("a JPEG 2000", _PHOTO),
    ".j2k": ("a JPEG 2000", _PHOTO),
    ".jpf": ("a JPEG 2000", _PHOTO),
    ".jpx": ("a JPEG 2000", _PHOTO),
    ".avi": ("an AVI", _VIDEO),
    ".wmv": ("a Windows Media", _VIDEO),
    ".flv": ("a Flash video", _VIDEO),
    ".mkv": ("a Matroska", _VIDEO),
    ".3gp": ("a 3GP", _VIDEO),
    ".3g2": ("a 3GP", _VIDEO),
    ".mts": ("an AVCHD", _VIDEO),
    ".m2ts": ("an AVCHD", _VIDEO),
    ".mpg": ("an MPEG-1/2", _VIDEO),
    ".mpeg": ("an MPEG-1/2", _VIDEO),
    ".vob": ("a DVD video", _VIDEO),
    ".wma": ("a Windows Media audio", _SOUND),
    ".aif": ("an AIFF", _SOUND),
    ".aiff": ("an AIFF", _SOUND),
    ".amr": ("an AMR (voice recording)", _SOUND),
    ".mid": ("a MIDI", _SOUND),
    ".midi": ("a MIDI", _SOUND),
}


def is_heif_name(name: str) -> bool:
    """Whether the file called ``name`` is a HEIC or HEIF photo (by its name)."""
    return name.lower().endswith(HEIF_SUFFIXES)


def is_heif(data: bytes) -> bool:
    """Whether ``data`` is a HEIF file (by its content)."""
    return data[4:8] == b"ftyp" and (
        data[8:12] in HEIF_BRANDS
        or any(data[i : i + 4] in HEIF_BRANDS for i in range(16, min(len(data), int.from_bytes(data[:4])), 4))
    )


def published_name(rel: str) -> str:
    """The name a file is published under: a HEIC or HEIF photo's JPEG copy ends in
    ``.jpg``; every other file keeps its name."""
    if is_heif_name(rel):
        return rel[: rel.rfind(".")] + ".jpg"
    return rel


def unshown(name: str) -> str:
    """Why the file called ``name`` cannot be shown on a page ('' when it can)."""
    dot = name.rfind(".")
    found = UNSHOWN.get(name[dot:].lower()) if dot >= 0 else None
    if found is None:
        return ""
    kind, advice = found
    return f"is {kind} file, which browsers do not show: {advice}"


@functools.cache
def open_heif() -> bool:
    """Let Pillow open HEIC and HEIF files (once per process); False when pillow-heif is
    missing."""
    try:
        import pillow_heif
    except ImportError:  # pragma: no cover - a dependency
        return False
    pillow_heif.register_heif_opener(thumbnails=False, depth_images=False, aux_images=False)
    return True
