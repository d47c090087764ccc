"""Verifying badges with their issuers (``elenefolio badges verify --online``).

What is checked, by kind of badge:

- Open Badges 2.0, hosted: the assertion at its ``id`` is fetched and must say the
  same (recipient, badge, dates); HTTP 410 or ``"revoked": true`` means revoked;
  the assertion's address must be on the issuer's origin (or one it allows).
- Open Badges 2.0, signed (a JWS): the signature with the public key named by
  ``verification.creator``, which must belong to the issuer (``owner``); the
  issuer's revocation list.
- Open Badges 3.0 as a VC-JWT: the signature with the key named by ``kid`` (or the
  ``jwk`` header, which must be one of the issuer's keys); ``iss`` must be the issuer.
- Open Badges 3.0 with a Data Integrity proof: the Ed25519 signature over the proof
  options and credential, canonicalised with JCS (``eddsa-jcs-2022``) or as RDF
  (``eddsa-rdfc-2022``, with the JSON-LD contexts shipped in ``contexts/``, never fetched:
  a credential naming another context cannot be verified).

A key counts as the issuer's when its ``controller``/``owner`` is the issuer's id, or
when the issuer's profile lists it. Dates (``validFrom``, ``validUntil``, ``expires``)
are checked by every build, against the day of the build.
"""

from __future__ import annotations

import base64
import hashlib
import json
import warnings
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit

from elenefolio.badges import rdfc
from elenefolio.badges.fetch import Fetcher, FetchError

SIGNATURE_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "EdDSA", "Ed25519"]
DATA_INTEGRITY_SUITES = ("eddsa-jcs-2022", "eddsa-rdfc-2022")
V3_TYPES = {"OpenBadgeCredential", "AchievementCredential", "VerifiableCredential"}
# what a failed check means for the badge, the least favourable first
FAILURES = (
    ("revocation", "revoked"),
    ("signature", "tampered"),
    ("hosted", "tampered"),
    ("issuer", "untrusted"),
)


@dataclass
class Outcome:
    """The checks made (name -> "ok", "failed" or "unknown") and why, in plain words."""

    checks: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def set(self, name: str, ok: bool, note: str = "") -> None:
        # a check never turns from failed back to ok
        if self.checks.get(name) != "failed":
            self.checks[name] = "ok" if ok else "failed"
        if note:
            self.notes.append(note)

    def unknown(self, name: str, note: str) -> None:
        self.checks.setdefault(name, "unknown")
        self.notes.append(note)

    @property
    def failure(self) -> str:
        return next((key for name, key in FAILURES if self.checks.get(name) == "failed"), "")

    @property
    def conclusive(self) -> bool:
        """Every check made has a result (none stopped by the network)."""
        return bool(self.checks) and "unknown" not in self.checks.values()


class Unverifiable(Exception):
    """The badge carries nothing that can be verified with its issuer."""


def verify_badge(text: str, fetcher: Fetcher) -> Outcome:
    """Verify a badge (JSON or compact JWS, as read from its file) with its issuer."""
    text = text.strip()
    outcome = Outcome()
    try:
        if text.startswith("{"):
            doc = json.loads(text)
            if not isinstance(doc, dict):
                raise Unverifiable("the badge is not a JSON object")
            if _is_v3(doc):
                _verify_v3_proof(doc, fetcher, outcome)
            else:
                _verify_v2_hosted(doc, fetcher, outcome)
        else:
            header, payload = _jws_parts(text)
            if isinstance(payload.get("vc"), dict) or _is_v3(payload):
                _verify_vc_jwt(text, header, payload, fetcher, outcome)
            else:
                _verify_v2_signed(text, payload, fetcher, outcome)
    except FetchError as exc:
        outcome.unknown("issuer", str(exc))
    except (ValueError, RecursionError) as exc:
        raise Unverifiable(f"the badge cannot be read: {exc}") from None
    return outcome


# --- helpers ---------------------------------------------------------------------------------


def _is_v3(doc: dict) -> bool:
    types = doc.get("type")
    types = types if isinstance(types, list) else [types]
    return bool(V3_TYPES & {t for t in types if isinstance(t, str)}) or "credentialSubject" in doc


def _b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _jws_parts(token: str) -> tuple[dict, dict]:
    parts = token.split(".")
    if len(parts) != 3:
        raise Unverifiable("not a signed badge (a JWS has three parts)")
    try:
        header, payload = json.loads(_b64url(parts[0])), json.loads(_b64url(parts[1]))
    except (ValueError, UnicodeDecodeError):
        raise Unverifiable("the signed badge's header or payload is not readable JSON") from None
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise Unverifiable("the signed badge's header or payload is not a JSON object")
    return header, payload


def _id(value) -> str:
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) else ""


def _web(url: str) -> bool:
    return url.startswith(("https://", "http://"))


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _signature_ok(token: str, key) -> bool:
    from joserfc import jws
    from joserfc.errors import JoseError

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "EdDSA" is the name Open Badges 3.0 issuers use
        try:
            jws.deserialize_compact(token, key, algorithms=SIGNATURE_ALGORITHMS)
        except (JoseError, ValueError, TypeError):  # (a key of another type than the algorithm's)
            return False
    return True


B58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def base58_decode(text: str) -> bytes:
    if len(text) > 200:
        raise ValueError("base58 text too long for a key or a signature")
    number = 0
    for char in text:
        index = B58_ALPHABET.find(char)
        if index < 0:
            raise ValueError(f"not base58: {char!r}")
        number = number * 58 + index
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\x00" * (len(text) - len(text.lstrip("1"))) + body


def multikey_ed25519(value: object) -> bytes:
    """The raw Ed25519 public key of a ``publicKeyMultibase`` (z, base58btc, 0xed01 prefix)."""
    if not isinstance(value, str) or not value.startswith("z"):
        raise ValueError("publicKeyMultibase must be base58btc ('z...')")
    raw = base58_decode(value[1:])
    if raw[:2] != b"\xed\x01" or len(raw) != 34:
        raise ValueError("publicKeyMultibase is not an Ed25519 public key")
    return raw[2:]


def _jwk_of(method: dict):
    """A joserfc public key from a key document (JWK, Multikey or PEM), or ValueError."""
    from joserfc.errors import JoseError

    try:
        return _import_key(method)
    except (JoseError, KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"not a usable public key ({exc.__class__.__name__})") from None


def _import_key(method: dict):
    from joserfc import jwk

    if isinstance(method.get("publicKeyJwk"), dict):
        data = method["publicKeyJwk"]
    elif "kty" in method:
        data = method
    elif isinstance(method.get("publicKeyMultibase"), str):
        raw = multikey_ed25519(method["publicKeyMultibase"])
        data = {"kty": "OKP", "crv": "Ed25519", "x": base64.urlsafe_b64encode(raw).rstrip(b"=").decode()}
    elif isinstance(method.get("publicKeyPem"), str):
        return _pem_key(method["publicKeyPem"])
    else:
        raise ValueError("the key document holds no public key")
    public = {k: v for k, v in data.items() if k not in ("d", "p", "q", "dp", "dq", "qi", "k")}
    return jwk.import_key(public)


def _pem_key(pem: str):
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
    from cryptography.hazmat.primitives.serialization import load_pem_public_key
    from joserfc import jwk

    try:
        public = load_pem_public_key(pem.encode())
    except (ValueError, TypeError):
        raise ValueError("publicKeyPem is not a PEM public key") from None
    kinds: tuple[tuple[type, Literal["RSA", "EC", "OKP"]], ...] = (
        (rsa.RSAPublicKey, "RSA"),
        (ec.EllipticCurvePublicKey, "EC"),
        (ed25519.Ed25519PublicKey, "OKP"),
    )
    kind = next((name for cls, name in kinds if isinstance(public, cls)), None)
    if kind is None:
        raise ValueError("publicKeyPem is not an RSA, EC or Ed25519 key")
    return jwk.import_key(pem.encode(), kind)


def _key_document(url: str, fetcher: Fetcher) -> dict:
    """The key named by ``url`` (a fragment picks one of a document's verification methods)."""
    if not _web(url):
        raise FetchError(f"the key {url!r} is not a web address (decentralised identifiers are not resolved)")
    doc = fetcher.json(url)
    if "#" in url and doc.get("id") != url:
        for method in _listed_keys(doc):
            if isinstance(method, dict) and method.get("id") == url:
                return method
    return doc


def _listed_keys(profile: dict) -> list:
    found = []
    for name in ("verificationMethod", "assertionMethod", "publicKey"):
        value = profile.get(name)
        found.extend(value if isinstance(value, list) else [value] if value else [])
    return found


def _issuer_profile(issuer_id: str, fetcher: Fetcher, outcome: Outcome) -> dict | None:
    if not _web(issuer_id):
        outcome.unknown("issuer", f"the issuer {issuer_id or '(none)'} has no web address to check")
        return None
    profile = fetcher.json(issuer_id)
    if profile.get("id") != issuer_id:
        outcome.set(
            "issuer", False, f"the issuer's profile at {issuer_id} has another id ({profile.get('id')!r})"
        )
        return None
    return profile


def _key_belongs(key_doc: dict, key_url: str, issuer_id: str, profile: dict | None) -> bool:
    owner = key_doc.get("controller") or key_doc.get("owner")
    listed = {_id(k) for k in _listed_keys(profile or {})}
    return owner == issuer_id or key_url in listed or key_url.split("#")[0] in listed


# --- Open Badges 2.0 -------------------------------------------------------------------------


def _badge_issuer_v2(assertion: dict, fetcher: Fetcher) -> str:
    badge = assertion.get("badge")
    if isinstance(badge, str) and _web(badge):
        badge = fetcher.json(badge)
    return _id(badge.get("issuer")) if isinstance(badge, dict) else ""


def _revocation_v2(assertion_id: str, profile: dict, fetcher: Fetcher, outcome: Outcome) -> None:
    url = _id(profile.get("revocationList"))
    if not url:
        outcome.set("revocation", True, "the issuer publishes no revocation list")
        return
    revoked = fetcher.json(url).get("revokedAssertions") or []
    ids = {_id(entry) for entry in revoked} if isinstance(revoked, list) else set()
    outcome.set(
        "revocation",
        assertion_id not in ids,
        "" if assertion_id not in ids else f"revoked in the issuer's list {url}",
    )


def _verify_v2_hosted(assertion: dict, fetcher: Fetcher, outcome: Outcome) -> None:
    verification = assertion.get("verification") or assertion.get("verify")
    kind = str(verification.get("type", "")).lower() if isinstance(verification, dict) else ""
    url = _id(assertion)
    if not kind.startswith("hosted") or not _web(url):
        raise Unverifiable(
            "the assertion is neither hosted by its issuer (verification type "
            "'hosted' and a web address as id) nor signed"
        )
    status, hosted = fetcher.get(url)
    if status == 410 or (isinstance(hosted, dict) and hosted.get("revoked") is True):
        outcome.set("revocation", False, f"the issuer marks the assertion {url} as revoked")
        return
    if not isinstance(hosted, dict):
        raise FetchError(f"{url}: HTTP {status}, no hosted assertion")
    same = all(
        _same(assertion.get(k), hosted.get(k)) for k in ("id", "recipient", "issuedOn", "expires", "badge")
    )
    outcome.set("hosted", same, "" if same else f"the hosted assertion at {url} differs from this file")
    outcome.set("revocation", True)
    issuer_id = _badge_issuer_v2(hosted, fetcher)
    profile = _issuer_profile(issuer_id, fetcher, outcome)
    if profile is not None:
        origins = (
            (profile.get("verification") or {}).get("allowedOrigins")
            if isinstance(profile.get("verification"), dict)
            else None
        )
        origins = origins if isinstance(origins, list) else [urlsplit(issuer_id).netloc]
        ok = urlsplit(url).netloc in origins
        outcome.set(
            "issuer",
            ok,
            "" if ok else f"the assertion is hosted at {_origin(url)}, not on the issuer's origin",
        )


def _same(local, hosted) -> bool:
    """Equal, a badge class given inline on one side and by its address on the other counting
    as the same when the addresses are."""
    if (
        isinstance(local, dict) != isinstance(hosted, dict)
        and isinstance(local, (dict, str))
        and isinstance(hosted, (dict, str))
    ):
        return _id(local) == _id(hosted)
    return local == hosted


def _verify_v2_signed(token: str, assertion: dict, fetcher: Fetcher, outcome: Outcome) -> None:
    verification = assertion.get("verification") or {}
    creator = _id(verification.get("creator")) if isinstance(verification, dict) else ""
    issuer_id = _badge_issuer_v2(assertion, fetcher)
    profile = _issuer_profile(issuer_id, fetcher, outcome)
    if not creator and profile is not None:
        keys = [_id(k) for k in _listed_keys(profile)]
        creator = keys[0] if len(keys) == 1 else ""
    if not creator:
        raise Unverifiable("the signed assertion names no key (verification.creator)")
    key_doc = _key_document(creator, fetcher)
    _check_signature(token, key_doc, creator, issuer_id, profile, outcome)
    if profile is not None:
        _revocation_v2(_id(assertion), profile, fetcher, outcome)


def _check_signature(
    token: str, key_doc: dict, key_url: str, issuer_id: str, profile: dict | None, outcome: Outcome
) -> None:
    try:
        key = _jwk_of(key_doc)
    except ValueError as exc:
        outcome.set("signature", False, f"the key {key_url} cannot be used: {exc}")
        return
    ok = _signature_ok(token, key)
    outcome.set("signature", ok, "" if ok else "the signature does not match the issuer's key")
    belongs = _key_belongs(key_doc, key_url, issuer_id, profile)
    outcome.set("issuer", belongs, "" if belongs else f"the key {key_url} is not the issuer's")


# --- Open Badges 3.0 -------------------------------------------------------------------------


def _verify_vc_jwt(token: str, header: dict, payload: dict, fetcher: Fetcher, outcome: Outcome) -> None:
    credential = payload["vc"] if isinstance(payload.get("vc"), dict) else payload
    issuer_id = _id(credential.get("issuer"))
    if payload.get("iss") not in (None, issuer_id):
        outcome.set("issuer", False, "the token's 'iss' is not the credential's issuer")
    profile = _issuer_profile(issuer_id, fetcher, outcome)
    kid = header.get("kid") if isinstance(header.get("kid"), str) else ""
    if kid:
        _check_signature(token, _key_document(kid, fetcher), kid, issuer_id, profile, outcome)
    elif isinstance(header.get("jwk"), dict):
        # a key carried by the token itself proves nothing unless the issuer lists it
        jwk_header = header["jwk"]
        listed = [k for k in _listed_keys(profile or {}) if isinstance(k, dict)]
        match = next((k for k in listed if _same_jwk(k.get("publicKeyJwk", k), jwk_header)), None)
        if match is None:
            outcome.set("issuer", False, "the token carries a key that the issuer's profile does not list")
            try:
                outcome.set("signature", _signature_ok(token, _jwk_of(jwk_header)))
            except ValueError as exc:
                outcome.set("signature", False, f"the token's own key cannot be used: {exc}")
        else:
            _check_signature(token, match, _id(match), issuer_id, profile, outcome)
    else:
        raise Unverifiable("the VC-JWT names no key ('kid' or 'jwk' header)")


def _same_jwk(a, b) -> bool:
    fields = ("kty", "crv", "x", "y", "n", "e")
    return (
        isinstance(a, dict)
        and isinstance(b, dict)
        and all(a.get(f) == b.get(f) for f in fields)
        and any(a.get(f) for f in ("x", "n"))
    )


def _verify_v3_proof(credential: dict, fetcher: Fetcher, outcome: Outcome) -> None:
    proofs = credential.get("proof")
    proofs = proofs if isinstance(proofs, list) else [proofs] if isinstance(proofs, dict) else []
    if not proofs:
        raise Unverifiable("the credential has no proof (it is neither signed nor a VC-JWT)")
    issuer_id = _id(credential.get("issuer"))
    profile = _issuer_profile(issuer_id, fetcher, outcome)
    unsecured = {k: v for k, v in credential.items() if k != "proof"}
    for proof in proofs:
        if not isinstance(proof, dict):
            continue
        suite = proof.get("cryptosuite")
        if proof.get("type") != "DataIntegrityProof" or suite not in DATA_INTEGRITY_SUITES:
            outcome.notes.append(f"a proof of type {proof.get('type')!r} ({suite}) is not checked")
            continue
        method_url = _id(proof.get("verificationMethod"))
        key_doc = _key_document(method_url, fetcher)
        belongs = _key_belongs(key_doc, method_url, issuer_id, profile)
        outcome.set("issuer", belongs, "" if belongs else f"the key {method_url} is not the issuer's")
        try:
            public = multikey_ed25519(key_doc.get("publicKeyMultibase"))
            signature = base58_decode(str(proof.get("proofValue", "z"))[1:])
            data = _hash_data(unsecured, proof)
        except rdfc.Uncheckable as exc:
            raise Unverifiable(str(exc)) from None
        except ValueError as exc:
            outcome.set("signature", False, f"the proof cannot be checked: {exc}")
            continue
        ok = _ed25519_ok(public, signature, data)
        outcome.set("signature", ok, "" if ok else "the proof does not match the credential")
    if not outcome.checks.get("signature"):
        raise Unverifiable(
            "the credential has no proof that can be checked (Data Integrity proofs "
            "eddsa-jcs-2022 and eddsa-rdfc-2022, and VC-JWTs, are)"
        )


def _hash_data(unsecured: dict, proof: dict) -> bytes:
    """What an eddsa-jcs-2022 proof signs, hash(JCS(proof options)) + hash(JCS(document)), or an
    eddsa-rdfc-2022 proof, the same with RDF canonicalisation."""
    import rfc8785

    options = {k: v for k, v in proof.items() if k != "proofValue"}
    if "@context" in options:
        context = unsecured.get("@context")
        wanted = options["@context"] if isinstance(options["@context"], list) else [options["@context"]]
        if not isinstance(context, list) or context[: len(wanted)] != wanted:
            raise ValueError("the proof's @context does not match the credential's")
        unsecured = {**unsecured, "@context": options["@context"]}
    if proof.get("cryptosuite") == "eddsa-rdfc-2022":
        # the proof options are read with the credential's contexts
        if "@context" in unsecured:
            options["@context"] = unsecured["@context"]
        return rdfc.hash_data(unsecured, options)
    try:
        return (
            hashlib.sha256(rfc8785.dumps(options)).digest()
            + hashlib.sha256(rfc8785.dumps(unsecured)).digest()
        )
    except (rfc8785.CanonicalizationError, TypeError) as exc:
        raise ValueError(f"the credential cannot be canonicalised: {exc}") from None


def _ed25519_ok(public: bytes, signature: bytes, data: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, data)
    except (InvalidSignature, ValueError):
        return False
    return True
