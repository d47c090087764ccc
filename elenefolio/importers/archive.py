"""Reading a Leap2A export: the zip (or the folder beside a bare ``leap2a.xml``), read
safely, and the XML namespaces it uses, matched by their key whatever their spelling.
Both the conversion (``leap2a``) and the restoring of an elenefolio export (``restore``)
read through it."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path, PurePosixPath

ATOM = "http://www.w3.org/2005/Atom"
XML_NAMES = ("leap2a.xml", "leap2.xml", "leap.xml")
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024
MAX_FILES = 20000
_ARCHIVE = re.compile(r"^https?://web\.archive\.org/web/[^/]*/", re.IGNORECASE)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_DEFAULT_PORT = re.compile(r":(?:80|443)$")


class ImportFailed(Exception):
    """The export cannot be imported at all (one line, ``path:line: message``)."""


def normalise(uri: str) -> str:
    """A namespace or type address without any web-archive prefix."""
    uri = (uri or "").strip()
    return _ARCHIVE.sub("", uri)


def _address_key(uri: str) -> str:
    """An address without web-archive prefix, scheme or default port: host (lower case) and path."""
    rest = _SCHEME.sub("", normalise(uri))
    host, sep, path = rest.partition("/")
    return _DEFAULT_PORT.sub("", host.lower()) + sep + path


def ns_key(uri: str) -> str:
    """What identifies a namespace, however it is written: ``http://terms.leapspecs.org/``,
    ``https://web.archive.org/web/2010.../http://terms.leapspecs.org`` and
    ``http://wiki.leapspecs.org:80/2A/categories#`` give ``terms.leapspecs.org`` and
    ``wiki.leapspecs.org/2A/categories``."""
    return _address_key(uri).rstrip("/#")


def _local(tag) -> tuple[str, str]:
    """(namespace key, local name) of an element's tag."""
    if not isinstance(tag, str) or not tag.startswith("{"):
        return "", str(tag)
    ns, local = tag[1:].split("}", 1)
    return ns_key(ns), local


def _is(element, key: str, local: str) -> bool:
    ns, name = _local(element.tag)
    return name == local and ns == key


class _Archive:
    """The zip, read safely: no path may leave the folder, sizes are bounded."""

    missing_what = "missing from the zip"

    def __init__(self, path: Path):
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise ImportFailed(f"{path}:1: not a readable zip file ({exc})") from None
        self.path = path
        infos = self.zip.infolist()
        if len(infos) > MAX_FILES or sum(i.file_size for i in infos) > MAX_TOTAL_BYTES:
            raise ImportFailed(f"{path}:1: the export is too large to import")
        self.names = {self._clean(i.filename): i for i in infos if not i.is_dir()}
        self.names.pop("", None)

    @staticmethod
    def _clean(name: str) -> str:
        parts = [p for p in PurePosixPath(name.replace("\\", "/")).parts if p not in ("", ".", "/")]
        if ".." in parts:
            return ""
        return "/".join(parts)

    def xml(self) -> bytes:
        for candidate in XML_NAMES:
            if candidate in self.names:
                return self.zip.read(self.names[candidate])
        found = [n for n in self.names if n.rsplit("/", 1)[-1] in XML_NAMES]
        if found:
            return self.zip.read(self.names[found[0]])
        raise ImportFailed(f"{self.path}:1: no leap2a.xml in this zip: is it a Leap2A export?")

    def find(self, href: str) -> str | None:
        href = self._clean(href.split("#")[0].split("?")[0])
        if href in self.names:
            return href
        return None

    def read(self, name: str) -> bytes:
        return self.zip.read(self.names[name])


class _Folder:
    """A bare ``leap2a.xml``: the files it refers to are looked for beside it (as an
    unzipped export has them), never outside that folder."""

    missing_what = "not beside leap2a.xml"

    def __init__(self, path: Path):
        self.path = path
        self.folder = path.parent.resolve()

    def xml(self) -> bytes:
        try:
            return self.path.read_bytes()
        except OSError as exc:
            raise ImportFailed(f"{self.path}:1: cannot read the file: {exc.strerror}") from None

    def find(self, href: str) -> str | None:
        name = _Archive._clean(href.split("#")[0].split("?")[0])
        if not name or _is_address(href):
            return None
        candidate = self.folder / name
        try:
            resolved = candidate.resolve(strict=True)
            resolved.relative_to(self.folder)
        except (OSError, ValueError, RuntimeError):
            return None
        return name if resolved.is_file() and resolved.stat().st_size <= MAX_TOTAL_BYTES else None

    def read(self, name: str) -> bytes:
        return (self.folder / name).read_bytes()


def _is_address(href: str) -> bool:
    return bool(re.match(r"^[a-z][a-z0-9+.-]*:", href, re.IGNORECASE))
