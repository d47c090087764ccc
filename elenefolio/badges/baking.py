"""Baked badges: the assertion or credential hidden inside a badge image.

PNG (Open Badges baking specification): an ``iTXt`` chunk whose keyword is
``openbadges`` (2.0) or ``openbadgecredential`` (3.0), uncompressed, with an
empty language tag and translated keyword. Older bakers wrote a ``tEXt``
chunk with the keyword ``openbadges``; it is read too.

SVG: an ``<openbadges:assertion>`` element (namespace ``http://openbadges.org``,
2.0) or ``<openbadges:credential>`` (namespace
``https://purl.imsglobal.org/ob/v3p0``, 3.0), the JSON inside CDATA and the
verification address or the signed JWS in its ``verify`` attribute.

The baked data may name the recipient's email address in plain text, so the
image published on the site is always a copy with the baked data removed.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_KEYWORDS = {b"openbadges": "2.0", b"openbadgecredential": "3.0"}
SVG_NAMESPACES = {"http://openbadges.org": "2.0", "https://purl.imsglobal.org/ob/v3p0": "3.0"}
SVG_ELEMENTS = ("assertion", "credential")


class BakingError(Exception):
    """The file is not a readable baked badge; the message says why."""

    def __init__(self, message: str, line: int = 1):
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class Baked:
    """What a baked image holds: JSON text or a JWS, and the spec version it claims."""

    text: str  # the JSON document, or a compact JWS, or a verification address
    version: str  # "2.0" or "3.0", from the chunk keyword or the SVG namespace
    verify: str = ""  # SVG only: the verify attribute
    line: int = 1  # SVG: line of the element


def _png_chunks(data: bytes):
    """(type, body, start, end) of every chunk, checking lengths and CRCs."""
    if not data.startswith(PNG_SIGNATURE):
        raise BakingError("not a PNG file (the PNG signature is missing)")
    pos = len(PNG_SIGNATURE)
    while pos < len(data):
        if pos + 8 > len(data):
            raise BakingError("the PNG file is truncated (incomplete chunk header)")
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        end = pos + 12 + length
        if end > len(data):
            raise BakingError(
                f"the PNG file is truncated (chunk {kind.decode('latin-1')!r} runs past the end of the file)"
            )
        body = data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[end - 4 : end])
        if zlib.crc32(kind + body) & 0xFFFFFFFF != crc:
            raise BakingError(f"the PNG file is damaged (checksum error in chunk {kind.decode('latin-1')!r})")
        yield kind, body, pos, end
        pos = end
        if kind == b"IEND":
            break


def _itxt(body: bytes) -> tuple[bytes, str]:
    keyword, sep, rest = body.partition(b"\x00")
    if not sep or len(rest) < 2:
        raise BakingError("the PNG iTXt chunk is malformed")
    compressed, rest = rest[0], rest[2:]  # then the compression method byte
    _language, _, rest = rest.partition(b"\x00")
    _translated, _, text = rest.partition(b"\x00")
    if compressed:
        try:
            text = zlib.decompress(text)
        except zlib.error:
            raise BakingError("the PNG iTXt chunk's compressed text is damaged") from None
    try:
        return keyword, text.decode("utf-8")
    except UnicodeDecodeError:
        raise BakingError("the baked badge data is not UTF-8 text") from None


def _badge_chunk(kind: bytes, body: bytes) -> tuple[str, str] | None:
    if kind == b"iTXt":
        keyword = body.partition(b"\x00")[0]
        if keyword in PNG_KEYWORDS:
            return PNG_KEYWORDS[keyword], _itxt(body)[1]
    elif kind == b"tEXt":
        keyword, _, text = body.partition(b"\x00")
        if keyword == b"openbadges":
            return "2.0", text.decode("latin-1")
    return None


def extract_png(data: bytes) -> Baked:
    """The baked assertion or credential of a PNG badge."""
    found = None
    for kind, body, _start, _end in _png_chunks(data):
        baked = _badge_chunk(kind, body)
        if baked is not None and found is None:
            found = Baked(baked[1].strip(), baked[0])
    if found is None:
        raise BakingError(
            "this PNG holds no baked badge (no 'openbadges' or 'openbadgecredential' iTXt chunk)"
        )
    return found


def strip_png(data: bytes) -> bytes:
    """The same PNG without its baked badge data (safe to publish)."""
    out = [PNG_SIGNATURE]
    for kind, body, start, end in _png_chunks(data):
        if _badge_chunk(kind, body) is None:
            out.append(data[start:end])
    return b"".join(out)


def _parse_svg(data: bytes):
    from lxml import etree

    # internal entities only (as render.published reads SVG images), never external ones
    parser = etree.XMLParser(
        resolve_entities="internal",  # type: ignore[arg-type]  # lxml-stubs: bool only
        no_network=True,
        huge_tree=False,
        remove_blank_text=False,
    )
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 1
        raise BakingError(f"the SVG file is not well-formed XML: {exc.msg}", line) from None


def _svg_badge_element(root):
    for element in root.iter():
        tag = element.tag
        if not isinstance(tag, str) or not tag.startswith("{"):
            continue
        namespace, local = tag[1:].split("}", 1)
        if namespace in SVG_NAMESPACES and local in SVG_ELEMENTS:
            return element, SVG_NAMESPACES[namespace]
    return None, ""


def extract_svg(data: bytes) -> Baked:
    """The baked assertion or credential of an SVG badge."""
    root = _parse_svg(data)
    element, version = _svg_badge_element(root)
    if element is None:
        raise BakingError(
            "this SVG holds no baked badge (no <openbadges:assertion> or <openbadges:credential> element)"
        )
    text = (element.text or "").strip()
    verify = element.get("verify", "").strip()
    return Baked(text or verify, version, verify, element.sourceline or 1)


def strip_svg(data: bytes) -> bytes:
    """The same SVG without its baked badge element (safe to publish)."""
    from lxml import etree

    root = _parse_svg(data)
    while True:
        element, _ = _svg_badge_element(root)
        if element is None:
            break
        element.getparent().remove(element)
    etree.cleanup_namespaces(root)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")
