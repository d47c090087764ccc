"""What an ``eddsa-rdfc-2022`` Data Integrity proof signs (W3C Data Integrity EdDSA Cryptosuites).

The credential and the proof options are expanded as JSON-LD and canonicalised as RDF
(RDFC-1.0, N-Quads); the signature is over SHA-256(proof options) + SHA-256(credential).

JSON-LD contexts are never fetched: the ones Open Badges 3.0 credentials use are shipped in
``contexts/`` (see its README) and the document loader answers only from them. A credential
naming any other context cannot be verified, and says which one. Expansion must not drop a
property (a dropped property would not be covered by the signature), and canonicalisation
is bounded: a graph built to make it run for ever (a "poison graph") is refused.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import cache
from pathlib import Path

CONTEXTS_DIR = Path(__file__).parent / "contexts"
CONTEXTS = {
    "https://www.w3.org/2018/credentials/v1": "credentials-v1.jsonld",
    "https://www.w3.org/ns/credentials/v2": "credentials-v2.jsonld",
    "https://w3id.org/security/data-integrity/v1": "data-integrity-v1.jsonld",
    "https://w3id.org/security/data-integrity/v2": "data-integrity-v2.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context.json": "ob-v3p0-context.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json": "ob-v3p0-context-3.0.1.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json": "ob-v3p0-context-3.0.2.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-v3p0-context-3.0.3.json",
}
# Canonicalisation work allowed: calls of "Hash N-Degree Quads", and blank nodes that only a
# search through their permutations can tell apart. A badge needs a handful of each.
MAX_DEEP_HASHES = 1000
MAX_PERMUTED = 6

Loader = Callable[..., dict]


class Uncheckable(ValueError):
    """The document cannot be canonicalised safely: the message says why (one line)."""


class UnknownContext(Uncheckable):
    """A JSON-LD context that is not shipped with elenefolio (and is never fetched)."""

    def __init__(self, url: str):
        super().__init__(
            f"the credential uses the JSON-LD context {url}, which elenefolio does not "
            "ship (contexts are never fetched from the network)"
        )
        self.url = url


@cache
def _context(name: str) -> dict:
    return json.loads((CONTEXTS_DIR / name).read_text(encoding="utf-8"))


def load_context(url: str, options: dict | None = None) -> dict:
    """The pyld document loader: a shipped context, or UnknownContext; never the network."""
    name = CONTEXTS.get(url)
    if name is None:
        raise UnknownContext(url)
    return {"contextUrl": None, "documentUrl": url, "document": _context(name)}


def hash_data(unsecured: dict, options: dict, loader: Loader = load_context) -> bytes:
    """SHA-256 of the canonical proof options, then of the canonical credential."""
    return (
        hashlib.sha256(canonical_nquads(options, loader).encode()).digest()
        + hashlib.sha256(canonical_nquads(unsecured, loader).encode()).digest()
    )


def canonical_nquads(doc: dict, loader: Loader = load_context) -> str:
    """The RDFC-1.0 canonical N-Quads of a JSON-LD document. Uncheckable when it cannot be
    had safely (a context that is not shipped, a dropped property, too much work), ValueError
    when it is not valid JSON-LD."""
    from pyld import jsonld
    from pyld.context_resolver import ContextResolver

    dropped: list[str] = []
    processor = jsonld.JsonLdProcessor(on_property_dropped=dropped.append)
    # a resolver of our own: pyld's shared cache could hold contexts another loader fetched
    resolver = ContextResolver({}, loader)
    try:
        dataset = processor.to_rdf(
            doc,
            {
                "documentLoader": loader,
                "contextResolver": resolver,
                "base": "",
                "produceGeneralizedRdf": False,
            },
        )
    except jsonld.JsonLdError as exc:
        unknown = _unknown_context(exc)
        if unknown:
            raise unknown from None
        raise ValueError(f"not valid JSON-LD ({_reason(exc)})") from None
    if dropped:
        raise Uncheckable(
            f"the property {dropped[0]!r} is not defined by the credential's "
            "@context, so no signature covers it"
        )
    return _bounded_canonicaliser()().main(dataset, {"format": "application/n-quads"})


def _unknown_context(exc: BaseException | None) -> UnknownContext | None:
    """The refusal of the document loader behind pyld's errors, if that is the cause."""
    while exc is not None and not isinstance(exc, UnknownContext):
        exc = exc.__cause__ or exc.__context__
    return exc


def _reason(exc) -> str:
    code = getattr(exc, "code", None) or getattr(exc, "type", "")
    return str(code or exc).splitlines()[0]


@cache
def _bounded_canonicaliser() -> type:
    from pyld.canon import URDNA2015

    class Bounded(URDNA2015):
        """RDFC-1.0 (URDNA2015) with a limit on the work a hostile graph can demand."""

        def __init__(self):
            super().__init__()
            self.deep_hashes = 0

        def hash_n_degree_quads(self, id_, issuer):
            self.deep_hashes += 1
            if self.deep_hashes > MAX_DEEP_HASHES:
                raise Uncheckable("the credential's graph is too costly to canonicalise")
            return super().hash_n_degree_quads(id_, issuer)

        def create_hash_to_related(self, id_, issuer):
            related = super().create_hash_to_related(id_, issuer)
            if any(len(nodes) > MAX_PERMUTED for nodes in related.values()):
                raise Uncheckable("the credential's graph is too costly to canonicalise")
            return related

    return Bounded
