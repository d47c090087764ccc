"""A passport that can be verified: a PAdES signature (pyHanko) and its check.

Signing certifies the PDF (no change allowed after it) with a key and certificate from a
PKCS#12 file: the learner's own, or an institution's. The signature's reason records, in
words a PDF reader shows, the SHA-256 of the attached ``portfolio.json`` and of the pages'
content; ``elenefolio verify`` checks the signature, that nothing was added after it, and
that the data and the pages are still those recorded, then says who signed and when.

pyHanko does the cryptography (CMS, PAdES byte ranges, certificate paths): a signature is
exactly what must not be written by hand.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from elenefolio.passport import ATTACHMENT

FIELD = "elenefolio-passport"
REASON = "Education passport; {attachment} SHA-256 {data}; pages SHA-256 {pages}"
RECORDED = re.compile(r"SHA-256 ([0-9a-f]{64}); pages SHA-256 ([0-9a-f]{64})")


class SigningFailed(Exception):
    """Signing or verifying cannot be done: one ``path:1: message`` line for the learner."""

    def __init__(self, message: str, path: Path | None = None):
        self.message, self.path = message, path
        super().__init__(f"{path}:1: {message}" if path is not None else message)

    def at(self, path: Path) -> "SigningFailed":
        """The same problem, located at ``path`` unless it already names a file."""
        return self if self.path is not None else SigningFailed(self.message, path)


def _quiet_logs() -> None:
    """pyHanko logs its own lines for what elenefolio reports as one line of its own."""
    import logging

    for name in ("pyhanko", "pyhanko_certvalidator"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def _walk_pages(node, seen: set[int], depth: int = 0):
    if depth > 64:
        raise SigningFailed("the page tree is nested too deeply")
    node = node.get_object()
    if id(node) in seen:
        raise SigningFailed("the page tree has a loop")
    seen.add(id(node))
    if node.get("/Type") == "/Pages" or "/Kids" in node:
        for kid in node.get("/Kids", []):
            yield from _walk_pages(kid, seen, depth + 1)
    else:
        yield node


def _attachment(root) -> bytes | None:
    """The bytes of the attached ``portfolio.json`` (None when there is none)."""
    names = root.get("/Names")
    tree = names.get_object().get("/EmbeddedFiles") if names is not None else None
    stack = [(tree, 0)] if tree is not None else []
    while stack:
        node, depth = stack.pop()
        node = node.get_object()
        if depth > 32:
            break
        pairs = node.get("/Names", [])
        for i in range(0, len(pairs) - 1, 2):
            if str(pairs[i]) == ATTACHMENT:
                spec = pairs[i + 1].get_object()
                return spec["/EF"]["/F"].get_object().data
        stack.extend((kid, depth + 1) for kid in node.get("/Kids", []))
    return None


def digests(reader) -> tuple[str, str]:
    """SHA-256 of the attached portfolio.json and of every page's content, in page order."""
    data = _attachment(reader.root)
    if data is None:
        raise SigningFailed(f"the PDF has no attached {ATTACHMENT}: it is not an elenefolio passport")
    pages = hashlib.sha256()
    for page in _walk_pages(reader.root["/Pages"], set()):
        contents = page.get("/Contents")
        if contents is None:
            continue
        contents = contents.get_object()
        streams = contents if isinstance(contents, list) else [contents]
        for stream in streams:
            body = stream.get_object().data
            pages.update(len(body).to_bytes(8, "big"))
            pages.update(body)
        pages.update(b"\x00page")
    return hashlib.sha256(data).hexdigest(), pages.hexdigest()


def load_signer(p12: Path, passphrase: bytes | None):
    with warnings.catch_warnings():  # its imports warn about algorithms elenefolio never uses
        warnings.simplefilter("ignore")
        from pyhanko.sign import signers
    if not p12.is_file():
        raise SigningFailed("no such certificate file (a PKCS#12 file, .p12 or .pfx)", p12)
    _quiet_logs()
    try:
        signer = signers.SimpleSigner.load_pkcs12(pfx_file=str(p12), passphrase=passphrase)
    except (ValueError, TypeError, OSError) as exc:
        raise SigningFailed(f"cannot be read as a PKCS#12 file: {exc}", p12) from None
    if signer is None:
        raise SigningFailed(
            "cannot be opened: wrong passphrase, or not a PKCS#12 file with a key and its certificate", p12
        )
    return signer


def sign_pdf(source: Path, target: Path, signer) -> None:
    """Certify ``source`` into ``target`` (no change allowed after the signature)."""
    with warnings.catch_warnings():  # its imports warn about algorithms elenefolio never uses
        warnings.simplefilter("ignore")
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers
    with source.open("rb") as stream:
        writer = IncrementalPdfFileWriter(stream)
        data, pages = digests(writer.prev)
        meta = signers.PdfSignatureMetadata(
            field_name=FIELD,
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
            reason=REASON.format(attachment=ATTACHMENT, data=data, pages=pages),
            certify=True,
            docmdp_permissions=fields.MDPPerm.NO_CHANGES,
        )
        with target.open("wb") as out:
            signers.sign_pdf(writer, meta, signer=signer, output=out)


def sign_file(source: Path, target: Path, signer, shown: Path) -> None:
    """``sign_pdf``, its problems located at ``shown`` (the file the learner asked for)."""
    try:
        sign_pdf(source, target, signer)
    except SigningFailed as exc:
        raise exc.at(shown) from None


@dataclass
class Verification:
    signed_by: str = ""
    organisation: str = ""
    signed_at: dt.datetime | None = None
    intact: bool = False  # the signed bytes are as they were signed
    trusted: bool | None = None  # None: no trusted authority was given
    whole_file: bool = False  # nothing was added after the signature
    content_matches: bool = False  # portfolio.json and the pages are those recorded
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _name(cert: Any, oid: str) -> str:
    try:
        return str(cert.subject.native.get(oid, "") or "")
    except (AttributeError, ValueError):
        return ""


def verify_pdf(path: Path, trust: list[Path] | None = None) -> Verification:
    """Check the passport at ``path``; raises SigningFailed when it cannot be read as a PDF."""
    with warnings.catch_warnings():  # its imports warn about algorithms elenefolio never uses
        warnings.simplefilter("ignore")
        from asn1crypto import pem, x509
        from pyhanko.pdf_utils.misc import PdfError
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign.general import SigningError
        from pyhanko.sign.validation import validate_pdf_signature
        from pyhanko_certvalidator import ValidationContext
    _quiet_logs()
    roots = []
    for file in trust or []:
        try:
            raw = file.read_bytes()
        except OSError as exc:
            raise SigningFailed(f"cannot be read: {exc.strerror or exc}", file) from None
        try:
            blobs = (
                [der for _kind, _headers, der in pem.unarmor(raw, multiple=True)]
                if pem.detect(raw)
                else [raw]
            )
            roots += [x509.Certificate.load(der) for der in blobs]
            for root in roots:
                root.native  # noqa: B018 - parse now, so a broken file is reported here
        except (ValueError, TypeError) as exc:
            raise SigningFailed(f"not a certificate (PEM or DER): {exc}", file) from None
    result = Verification()
    try:
        with path.open("rb") as stream:
            reader = PdfFileReader(stream, strict=False)
            signatures = reader.embedded_signatures
            if not signatures:
                result.problems.append("the PDF is not signed")
                return result
            signature = next((s for s in signatures if s.field_name == FIELD), signatures[0])
            context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
            status = validate_pdf_signature(signature, context)
            cert = status.signing_cert
            result.signed_by = _name(cert, "common_name")
            result.organisation = _name(cert, "organization_name")
            result.signed_at = status.signer_reported_dt
            result.intact = bool(status.intact and status.valid)
            result.trusted = bool(status.trusted) if roots else None
            from pyhanko.sign.validation.status import SignatureCoverageLevel

            result.whole_file = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
            reason = str(signature.sig_object.get("/Reason", ""))
            recorded = RECORDED.search(reason)
            now = digests(reader)
            result.content_matches = recorded is not None and recorded.groups() == now
    except SigningFailed as exc:
        raise exc.at(path) from None
    except (PdfError, SigningError, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        raise SigningFailed(f"cannot be read as a signed PDF: {type(exc).__name__}: {exc}", path) from None
    except OSError as exc:
        raise SigningFailed(f"cannot be read: {exc.strerror or exc}", path) from None
    if not result.intact:
        result.problems.append(
            "the signature does not match the document: it was changed after signing, or the signature is broken"
        )
    if not result.whole_file:
        result.problems.append("something was added to the PDF after it was signed")
    if recorded is None:
        result.problems.append(
            "the signature records no content hashes: it was not made by elenefolio passport --sign"
        )
    elif not result.content_matches:
        result.problems.append(
            f"the pages or the attached {ATTACHMENT} are not those recorded when it was signed"
        )
    if result.trusted is False:
        result.problems.append("the signer's certificate is not issued by an authority given with --trust")
    return result
