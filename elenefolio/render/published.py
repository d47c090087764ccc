"""Files copied into the site, made safe to publish.

Every copied file passes through ``published_bytes``, whatever brought it
(media, a Markdown image, ``static/``, ``author.photo``, a badge image, the
theme's assets):

- an SVG image is parsed (no entities expanded, nothing fetched) and written
  again with only the elements and attributes of an allow-list: no scripts,
  event handlers, ``<foreignObject>``, animations, or addresses other than
  ``#fragments`` (and raster ``data:`` images inside ``<image>``), so that
  opening it from the site runs nothing and loads nothing from elsewhere;
- a photo (JPEG, PNG, WebP, GIF) loses its EXIF (GPS position, maker notes,
  serial numbers), XMP and IPTC data: a phone's picture says where it was
  taken. Its EXIF orientation is applied to the pixels first, so it shows
  the right way up. A photo with nothing to remove is published as it is
  (byte for byte: no loss of quality). ``keep_metadata: true`` in
  portfolio.yaml publishes photos as they are;
- a HEIC or HEIF photo (from a phone) is published as a JPEG file instead
  (``util.images``): turned the right way up and, like the other photos,
  without its EXIF, XMP or GPS data unless ``keep_metadata`` is set. The
  HEIC file itself is never published.

Smaller copies of pictures (``site.pictures``: ``srcset`` widths, card thumbnails) are
made here too, as WebP files without any metadata (``resized``).

Cleaning a large photo takes a moment, so incremental builds keep the
cleaned copies and the smaller ones in the build cache, keyed by the source's content hash
(``Publisher``).
"""

from __future__ import annotations

import io
import json
import os
import re
import struct
import warnings
import zlib
from pathlib import Path
from typing import Callable

from elenefolio.util.images import DECODER_ERRORS, is_heif, open_heif

SVG_SUFFIXES = (".svg", ".svgz")
PHOTO_SUFFIXES = (".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".apng", ".webp", ".gif")
MAX_SVGZ_BYTES = 32 * 1024 * 1024  # an .svgz expanding past this is refused (a zip bomb)
INDEX = "published"  # the sealed index of cleaned copies in the store (and the MACs' purpose)


class Unpublishable(Exception):
    """The file cannot be published safely; the message says why."""

    def __init__(self, message: str, line: int = 1):
        super().__init__(message)
        self.message = message
        self.line = line


def cleaned(name: str) -> bool:
    """Whether files called ``name`` are cleaned before they are published."""
    return name.lower().endswith(SVG_SUFFIXES + PHOTO_SUFFIXES)


def published_bytes(name: str, data: bytes, keep_metadata: bool = False) -> bytes:
    """The bytes to publish for the file ``name`` holding ``data`` (``data`` itself when
    nothing needs removing). Raises ``Unpublishable``."""
    suffix = os.path.splitext(name.lower())[1]
    if suffix in (".jpg", ".jpeg") and is_heif(data):
        return heif_to_jpeg(data, keep_metadata)
    if suffix == ".svgz":
        return _gzip(sanitise_svg(_gunzip(data)))
    if suffix == ".svg":
        return sanitise_svg(data)
    if suffix in PHOTO_SUFFIXES and not keep_metadata:
        return strip_photo(data)
    return data


# --- SVG ---------------------------------------------------------------------------------

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
BADGE_NAMESPACES = ("http://openbadges.org", "https://purl.imsglobal.org/ob/v3p0")

SVG_ELEMENTS = frozenset(
    """
    svg g defs symbol use title desc switch view a
    path rect circle ellipse line polyline polygon text tspan textPath image
    linearGradient radialGradient stop pattern clipPath mask marker style
    filter feBlend feColorMatrix feComponentTransfer feComposite feConvolveMatrix
    feDiffuseLighting feDisplacementMap feDistantLight feDropShadow feFlood feFuncA feFuncB
    feFuncG feFuncR feGaussianBlur feImage feMerge feMergeNode feMorphology feOffset
    fePointLight feSpecularLighting feSpotLight feTile feTurbulence
""".split()
)

SVG_ATTRIBUTES = frozenset(
    """
    id class style lang tabindex role aria-label aria-labelledby aria-describedby aria-hidden
    version baseProfile viewBox preserveAspectRatio width height x y x1 y1 x2 y2 cx cy r rx ry
    fx fy fr d points pathLength transform gradientTransform gradientUnits patternUnits
    patternContentUnits patternTransform spreadMethod offset clipPathUnits maskUnits
    maskContentUnits markerUnits markerWidth markerHeight refX refY orient
    filterUnits primitiveUnits in in2 result mode type values tableValues slope intercept
    amplitude exponent operator k1 k2 k3 k4 order kernelMatrix divisor bias targetX targetY
    edgeMode kernelUnitLength preserveAlpha surfaceScale diffuseConstant specularConstant
    specularExponent scale xChannelSelector yChannelSelector stdDeviation dx dy radius
    azimuth elevation z pointsAtX pointsAtY pointsAtZ limitingConeAngle baseFrequency
    numOctaves seed stitchTiles rotate textLength lengthAdjust startOffset method spacing side
    requiredFeatures requiredExtensions systemLanguage media
    alignment-baseline baseline-shift clip clip-path clip-rule color color-interpolation
    color-interpolation-filters color-profile color-rendering cursor direction display
    dominant-baseline enable-background fill fill-opacity fill-rule filter flood-color
    flood-opacity font font-family font-size font-size-adjust font-stretch font-style
    font-variant font-weight glyph-orientation-horizontal glyph-orientation-vertical
    image-rendering kerning letter-spacing lighting-color marker marker-end marker-mid
    marker-start mask mask-type opacity overflow paint-order pointer-events shape-rendering
    stop-color stop-opacity stroke stroke-dasharray stroke-dashoffset stroke-linecap
    stroke-linejoin stroke-miterlimit stroke-opacity stroke-width text-anchor text-decoration
    text-rendering transform-origin unicode-bidi vector-effect visibility word-spacing
    writing-mode
""".split()
)
HREFS = ("href", f"{{{XLINK_NS}}}href")
XML_ATTRIBUTES = (f"{{{XML_NS}}}space", f"{{{XML_NS}}}lang")
BADGE_ATTRIBUTES = ("verify",)
# A raster picture inside <image> or <feImage>: loads nothing and runs nothing.
DATA_IMAGE = re.compile(r"^data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*$", re.I)
# CSS that loads or runs something: every url() that is not a #fragment, imports, old IE/Gecko
# hooks. The text is checked with comments and escapes removed, as a browser would read it.
_CSS_URL = re.compile(r"url\((?!\s*['\"]?\s*#)", re.I)
_CSS_DANGER = re.compile(
    r"@import|(image-set|src|expression)\s*\(|javascript:|-moz-binding|behavior\s*:", re.I
)
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6}\s?|.)", re.S)


def _svg_parser():
    from lxml import etree

    # Only entities declared in the file are expanded (drawing programs write attributes such
    # as style="&st0;"; libxml2 refuses a "billion laughs"), never external ones (no XXE); no
    # DTD loading, nothing from the network, no huge trees.
    return etree.XMLParser(
        resolve_entities="internal",  # type: ignore[arg-type]  # lxml-stubs: bool only
        load_dtd=False,
        no_network=True,
        huge_tree=False,
        remove_pis=True,
        remove_comments=True,
    )


def sanitise_svg(data: bytes) -> bytes:
    """The SVG ``data`` with only allow-listed elements and attributes."""
    from lxml import etree

    try:
        root = etree.fromstring(data, _svg_parser())
    except etree.XMLSyntaxError as exc:
        raise Unpublishable(f"this SVG image is not well-formed XML: {exc.msg}", exc.lineno or 1) from None
    if root is None or _local(root) != "svg" or _namespace(root) not in (SVG_NS, ""):
        raise Unpublishable("this file is not an SVG image (its first element is not <svg>)")
    _clean_element(root)
    etree.cleanup_namespaces(root)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def _namespace(element) -> str:
    tag = element.tag
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def _local(element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _clean_element(element) -> None:
    """Keep the allowed attributes and children of ``element``, recursively."""
    _clean_attributes(element)
    if _namespace(element) in BADGE_NAMESPACES:
        return
    for child in list(element):
        if not isinstance(child.tag, str) or not _allowed_element(child):
            _remove(child)  # unknown and dangerous elements (and any node that is no element)
            continue
        _clean_element(child)
        if _local(child) == "style" and not _safe_css("".join(child.itertext())):
            _remove(child)


def _allowed_element(element) -> bool:
    namespace = _namespace(element)
    if namespace in BADGE_NAMESPACES:  # a baked badge: its data stays readable
        return _local(element) in ("assertion", "credential") and len(element) == 0
    return namespace in (SVG_NS, "") and _local(element) in SVG_ELEMENTS


def _clean_attributes(element) -> None:
    badge = _namespace(element) in BADGE_NAMESPACES
    for name, value in list(element.attrib.items()):
        if badge:
            keep = name in BADGE_ATTRIBUTES
        elif name in HREFS:
            keep = value.strip().startswith("#") or (
                _local(element) in ("image", "feImage") and bool(DATA_IMAGE.match(value.strip()))
            )
        else:
            keep = (name in SVG_ATTRIBUTES or name in XML_ATTRIBUTES) and _safe_css(value)
        if not keep:
            del element.attrib[name]


def _safe_css(text: str) -> bool:
    """CSS (or an attribute value) that loads and runs nothing."""
    plain = _CSS_ESCAPE.sub(lambda m: _unescape(m.group(1)), _CSS_COMMENT.sub("", text))
    return not _CSS_URL.search(plain) and not _CSS_DANGER.search(plain)


def _unescape(escape: str) -> str:
    hexdigits = escape.strip()
    if re.fullmatch(r"[0-9a-fA-F]{1,6}", hexdigits):
        code = int(hexdigits, 16)
        return chr(code) if 0 < code < 0x110000 else "\ufffd"
    return escape


def _remove(node) -> None:
    """Remove ``node`` from its parent, keeping the text that follows it."""
    parent = node.getparent()
    if node.tail:
        previous = node.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + node.tail
        else:
            parent.text = (parent.text or "") + node.tail
    parent.remove(node)


def _gunzip(data: bytes) -> bytes:
    unzip = zlib.decompressobj(wbits=31)
    try:
        out = unzip.decompress(data, MAX_SVGZ_BYTES)
    except zlib.error:
        raise Unpublishable("this .svgz file is not a gzip-compressed SVG image") from None
    if unzip.unconsumed_tail:
        raise Unpublishable(f"this .svgz file expands to more than {MAX_SVGZ_BYTES // (1024 * 1024)} MB")
    return out


def _gzip(data: bytes) -> bytes:
    import gzip

    return gzip.compress(data, mtime=0)


# --- photos ------------------------------------------------------------------------------

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_METADATA = (b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME")
JPEG_METADATA = (0xE1, 0xED)  # APP1: EXIF and XMP; APP13: IPTC (Photoshop)
WEBP_METADATA = (b"EXIF", b"XMP ")
ORIENTATION = 0x0112


def strip_photo(data: bytes) -> bytes:
    """The photo ``data`` without EXIF, XMP and IPTC data, turned the way its EXIF said."""
    if data.startswith(PNG_SIGNATURE):
        return _strip_png(data)
    if data.startswith(b"\xff\xd8"):
        return _reencode(data) if _jpeg_has_metadata(data) else data
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _reencode(data) if _webp_has_metadata(data) else data
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return _reencode(data) if b"XMP DataXMP" in data else data
    raise Unpublishable("this file is not a JPEG, PNG, WebP or GIF image, as its name says")


def _png_chunks(data: bytes):
    """(type, start, end) of each chunk of a PNG file."""
    pos = len(PNG_SIGNATURE)
    while pos + 12 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, end = data[pos + 4 : pos + 8], pos + 12 + length
        if end > len(data):
            raise Unpublishable("this PNG image is truncated")
        yield kind, pos, end
        pos = end
        if kind == b"IEND":
            return


def _strip_png(data: bytes) -> bytes:
    """The PNG without its text and EXIF chunks (no re-encoding: the pixels stay as they are),
    or turned by Pillow when its EXIF orientation says so."""
    chunks = list(_png_chunks(data))
    if not any(kind in PNG_METADATA for kind, _start, _end in chunks):
        return data
    if any(kind == b"eXIf" for kind, _start, _end in chunks) and _orientation(data) not in (0, 1):
        return _reencode(data)
    return PNG_SIGNATURE + b"".join(
        data[start:end] for kind, start, end in chunks if kind not in PNG_METADATA
    )


def _jpeg_has_metadata(data: bytes) -> bool:
    """Whether the JPEG's header segments hold EXIF, XMP, IPTC or a second picture (MPF)."""
    pos = 2
    while pos + 2 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in (0xDA, 0xD9):  # start of the picture data, or its end
            return False
        if pos + 4 > len(data):
            break
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        body = data[pos + 4 : pos + 2 + length]
        if marker in JPEG_METADATA or (marker == 0xE2 and body.startswith(b"MPF\x00")):
            return True
        pos += 2 + length
    return True  # a header that cannot be followed: Pillow decides


def _webp_chunks(data: bytes):
    """The type of each chunk of a WebP file."""
    pos = 12
    while pos + 8 <= len(data):
        (length,) = struct.unpack("<I", data[pos + 4 : pos + 8])
        yield data[pos : pos + 4]
        pos += 8 + length + (length & 1)


def _webp_has_metadata(data: bytes) -> bool:
    return any(kind in WEBP_METADATA for kind in _webp_chunks(data))


def _orientation(data: bytes) -> int:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            return _exif_orientation(image)
    except (OSError, ValueError, SyntaxError, TypeError):
        return 1


def _exif_orientation(image) -> int:
    value = image.getexif().get(ORIENTATION, 1)
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _reencode(data: bytes) -> bytes:
    """The picture written again by Pillow, turned as its EXIF orientation said, with no
    metadata but its colour profile (only the first picture of a multi-picture JPEG)."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            animated = image.format != "MPO" and getattr(image, "n_frames", 1) > 1
            turned: Image.Image = image
            if not animated and _exif_orientation(image) != 1:
                turned = ImageOps.exif_transpose(image)
            return _save(image, turned, animated, data)
    except (OSError, ValueError, SyntaxError, UnidentifiedImageError, Image.DecompressionBombError) as exc:
        raise Unpublishable(
            f"this image cannot be read ({exc}), so its hidden data (such as "
            "where the photo was taken) cannot be removed"
        ) from None


def _save(original, image, animated: bool, data: bytes) -> bytes:
    """``image`` in the format of ``original``, without EXIF, XMP or comments."""
    fmt = "JPEG" if original.format in ("JPEG", "MPO") else original.format
    options: dict = {"exif": b"", "xmp": b""}
    if original.info.get("icc_profile"):
        options["icc_profile"] = original.info["icc_profile"]
    if fmt == "JPEG":
        options.update(_jpeg_options(original, image))
        if image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
    elif fmt == "WEBP":
        lossless = b"VP8L" in _webp_chunks(data)
        options.update(lossless=lossless, quality=100 if lossless else 92)
    if animated:
        options["save_all"] = True
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def _jpeg_options(original, image) -> dict:
    """The original's quantisation tables and subsampling: its quality, no worse."""
    from PIL import JpegImagePlugin

    if image is original:
        return {"quality": "keep"}
    options: dict = {"quality": 92}
    if getattr(original, "quantization", None):
        options = {"qtables": original.quantization}
    sampling = JpegImagePlugin.get_sampling(original)
    if sampling != -1:
        options["subsampling"] = sampling
    return options


def heif_to_jpeg(data: bytes, keep_metadata: bool = False) -> bytes:
    """The HEIC or HEIF photo ``data`` as a JPEG file, the right way up, with its colour
    profile and (only with ``keep_metadata``) its EXIF and XMP data. Raises ``Unpublishable``."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if not open_heif():  # pragma: no cover - pillow-heif is a dependency
        raise Unpublishable("HEIC photos cannot be read here: install pillow-heif")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow's notes on damaged EXIF data: it is dropped
            with Image.open(io.BytesIO(data), formats=["HEIF"]) as opened:
                opened.load()
                image: Image.Image = ImageOps.exif_transpose(opened)
                alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
                if alpha:  # a JPEG has no transparency: shown on white, as a browser would
                    flat = Image.new("RGB", image.size, "white")
                    flat.paste(image.convert("RGBA"), mask=image.convert("RGBA"))
                    image = flat
                options: dict = {"quality": 90, "exif": b"", "xmp": b""}
                if opened.info.get("icc_profile"):
                    options["icc_profile"] = opened.info["icc_profile"]
                if keep_metadata:
                    exif = image.getexif()
                    exif[ORIENTATION] = 1  # the pixels are turned already
                    options.update(exif=exif.tobytes(), xmp=opened.info.get("xmp") or b"")
                out = io.BytesIO()
                image.convert("RGB").save(out, "JPEG", **options)
                return out.getvalue()
    except UnidentifiedImageError:
        raise Unpublishable(
            "this HEIC photo cannot be read (it is damaged, or not a photo); export it from the "
            "phone or photo app as JPEG"
        ) from None
    except DECODER_ERRORS + (Image.DecompressionBombError,) as exc:
        raise Unpublishable(
            f"this HEIC photo cannot be read ({_reason(exc)}); export it from the phone or photo app as JPEG"
        ) from None


def heif_without_metadata(data: bytes) -> bytes:
    """The HEIC or HEIF photo ``data`` again as HEIF, the right way up, without its EXIF
    (place, time, camera) and XMP data: what a public export carries of a phone photo, which
    keeps its name and format there. Raises ``Unpublishable``."""
    from PIL import Image, UnidentifiedImageError

    if not open_heif():  # pragma: no cover - pillow-heif is a dependency
        raise Unpublishable("HEIC photos cannot be read here: install pillow-heif")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(data), formats=["HEIF"]) as opened:  # turned on opening
                opened.load()
                options: dict = {"quality": 90, "exif": None, "xmp": None}  # (None: none written)
                if opened.info.get("icc_profile"):
                    options["icc_profile"] = opened.info["icc_profile"]
                out = io.BytesIO()
                opened.save(out, "HEIF", **options)
                return out.getvalue()
    except UnidentifiedImageError:
        raise Unpublishable("this HEIC photo cannot be read (it is damaged, or not a photo)") from None
    except DECODER_ERRORS + (Image.DecompressionBombError,) as exc:
        raise Unpublishable(f"this HEIC photo cannot be read ({_reason(exc)})") from None


def _reason(exc: Exception) -> str:
    """The error's message on one line."""
    return " ".join(str(exc).split()) or type(exc).__name__


def resized(data: bytes, width: int) -> bytes:
    """The picture ``data`` made ``width`` pixels wide (never wider than it is), turned as its
    EXIF says, as a WebP file with no metadata. Raises ``Unpublishable``."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    open_heif()
    try:
        with Image.open(io.BytesIO(data)) as opened:
            image: Image.Image = ImageOps.exif_transpose(opened)
            if image.width > width:
                height = max(1, round(image.height * width / image.width))
                image = image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
            alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
            image = image.convert("RGBA" if alpha else "RGB")
            out = io.BytesIO()
            image.save(out, "WEBP", quality=82, method=4)
            return out.getvalue()
    except DECODER_ERRORS + (UnidentifiedImageError, Image.DecompressionBombError) as exc:
        raise Unpublishable(
            f"this image cannot be read ({_reason(exc)}), so no smaller copy of it can be made"
        ) from None


class Publisher:
    """Turns the files the render stage copies into outputs safe to publish.

    Without a ``store`` (a clean build) each file is cleaned in memory. With one
    (incremental builds), the cleaned copy is kept there under the hash of the
    source's content (``digest``) and of ``salt`` (the version of the code), so an
    unchanged photo is cleaned once, not at every build.
    """

    def __init__(
        self,
        problems,
        keep_metadata: bool = False,
        store: Path | None = None,
        digest: Callable[[Path], str] | None = None,
        salt: str = "",
        variants: bool = True,
    ):
        self.problems = problems
        self.variants = variants  # make smaller copies of pictures (``check`` makes none)
        self.keep_metadata = keep_metadata
        self.store = store
        self.digest = digest
        self.salt = salt
        self.used: set[str] = set()
        self.reported: set[tuple] = set()  # (file, origin): a picture that cannot be read is
        # reported once, not once more for each of its smaller copies
        # cleaned copy → (size, mtime, ctime, inode, MAC of its bytes), sealed: a copy is
        # published only while it is the one this user's elenefolio made
        self.index: dict[str, list] = {}
        if store is not None:
            from elenefolio.incremental import seal

            payload = seal.read(store / INDEX, INDEX)
            if payload is not None:
                try:
                    self.index = {str(k): list(v) for k, v in json.loads(bytes(payload)).items()}
                except (ValueError, TypeError, AttributeError):
                    self.index = {}

    def output(
        self,
        rel: str,
        source: Path | None = None,
        data: bytes | None = None,
        origin: tuple[Path, int, str] | None = None,
    ):
        """The ``Output`` of ``rel`` (from the file ``source`` or the bytes ``data``), or None
        when it cannot be published (reported at ``origin``: the file and line that refer
        to it, and what it is for them; else at the file itself)."""
        from elenefolio.render.output import Output

        if not cleaned(rel):
            return Output(rel, data=data, source=source)
        try:
            if data is not None:
                return Output(rel, data=published_bytes(rel, data, self.keep_metadata))
            assert source is not None  # either the file or its bytes are given
            if self.store is not None and self.digest is not None:
                return Output(rel, source=self._stored(rel, source, self.store, self.digest))
            raw = source.read_bytes()
            clean = published_bytes(rel, raw, self.keep_metadata)
            return Output(rel, source=source) if clean == raw else Output(rel, data=clean)
        except Unpublishable as exc:
            self._report(exc, source, origin)
        except OSError as exc:
            self._report(Unpublishable(f"cannot read this file: {exc.strerror}"), source, origin)
        return None

    def variant(self, variant):
        """The ``Output`` of a smaller copy of a picture (``site.pictures.Variant``), or None when
        it cannot be made (reported where the picture is named)."""
        from elenefolio.render.output import Output

        if not self.variants:
            return None
        try:
            if self.store is not None and self.digest is not None:
                return Output(
                    variant.url,
                    source=self._stored(
                        variant.url,
                        variant.source,
                        self.store,
                        self.digest,
                        lambda raw: resized(raw, variant.width),
                        f"{variant.width}w",
                    ),
                )
            return Output(variant.url, data=resized(variant.source.read_bytes(), variant.width))
        except Unpublishable as exc:
            self._report(exc, variant.source, variant.origin)
        except OSError as exc:
            self._report(
                Unpublishable(f"cannot read this file: {exc.strerror}"), variant.source, variant.origin
            )
        return None

    def _stored(
        self,
        rel: str,
        source: Path,
        store: Path,
        digest: Callable[[Path], str],
        make: Callable[[bytes], bytes] | None = None,
        kind: str = "",
    ) -> Path:
        """The cleaned copy of ``source`` in the store (``source`` itself when it needs no
        cleaning), made when missing or not as this build left it; with ``make``, the copy
        ``make`` makes of it (``kind`` tells copies of one source apart).

        Copies are named by a MAC of what they are made from, so a cache that came with a
        copied portfolio names nothing this build looks for; a copy changed in place no
        longer matches its MAC and is made again."""
        from elenefolio.incremental import seal, text_digest

        key = text_digest(
            digest(source),
            os.path.splitext(rel.lower())[1],
            self.keep_metadata,
            self.salt,
            *([kind] if kind else []),
        )
        name = seal.mac(INDEX, key.encode()).hex()[:40]
        copy, same = store / name, store / f"{name}.same"
        if same.name in self.index:
            self.used.add(same.name)
            return source
        if self._intact(name, copy):
            self.used.add(name)
            return copy
        raw = source.read_bytes()
        clean = make(raw) if make is not None else published_bytes(rel, raw, self.keep_metadata)
        store.mkdir(parents=True, exist_ok=True)
        if clean == raw:
            self.index[same.name] = []
            self.used.add(same.name)
            return source
        tmp = store / f".{name}.tmp"
        tmp.write_bytes(clean)
        os.replace(tmp, copy)
        self.index[name] = [*_stamp(copy), seal.mac(INDEX, clean).hex()]
        self.used.add(name)
        return copy

    def _intact(self, name: str, copy: Path) -> bool:
        """Whether ``copy`` holds the bytes this user's elenefolio wrote there."""
        from elenefolio.incremental import seal

        entry = self.index.get(name)
        if not entry:
            return False
        try:
            stamp = _stamp(copy)
        except OSError:
            return False
        if stamp == entry[:-1]:
            return True  # untouched since it was checked (no write or utime changes the ctime)
        try:
            same = seal.mac(INDEX, copy.read_bytes()).hex() == entry[-1]
        except OSError:
            same = False
        if same:
            self.index[name] = [*stamp, entry[-1]]
            return True
        seal.discard()
        copy.unlink(missing_ok=True)
        del self.index[name]
        return False

    def prune(self) -> None:
        """Remove the cleaned copies that this build did not use; keep the index of the rest."""
        if self.store is None or not self.store.is_dir():
            return
        from elenefolio.incremental import seal

        for path in self.store.iterdir():
            if path.name not in self.used and path.name != INDEX:
                path.unlink(missing_ok=True)
        self.index = {name: entry for name, entry in self.index.items() if name in self.used}
        seal.write(self.store / INDEX, INDEX, json.dumps(self.index, sort_keys=True).encode())

    def _report(self, exc: Unpublishable, source: Path | None, origin) -> None:
        if (source, origin) in self.reported:
            return
        self.reported.add((source, origin))
        if origin is None:
            self.problems.error(source, exc.line, exc.message)
        else:
            path, line, what = origin
            self.problems.error(path, line, f"{what}: {exc.message}")


def _stamp(path: Path) -> list[int]:
    """A regular file's size, time stamps and inode (never through a link)."""
    st = os.stat(path, follow_symlinks=False)
    if not os.path.isfile(path) or os.path.islink(path):
        raise OSError(f"{path} is not a regular file")
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
