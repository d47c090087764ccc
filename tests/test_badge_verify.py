"""``elenefolio badges verify``: real issuers on 127.0.0.1 (profiles, keys, hosted assertions,
revocation lists), real signatures (RSA for Open Badges 2.0, Ed25519 for 3.0), and the build
showing what was recorded."""

from __future__ import annotations

import base64
import copy
import datetime as dt
import hashlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import rfc8785
from bs4 import BeautifulSoup
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from interop_helpers import EMAIL, bake_png_by_hand, bake_png_pillow, write
from joserfc import jwk, jws
from pyld import jsonld

from elenefolio.badges import rdfc
from elenefolio.badges.fetch import Fetcher
from elenefolio.badges.verify import Unverifiable, multikey_ed25519, verify_badge
from elenefolio.cli import main
from elenefolio.pipeline import BuildOptions, build

# the issuers of these tests sign with "EdDSA", as Open Badges 3.0 issuers do
pytestmark = pytest.mark.filterwarnings("ignore:EdDSA is deprecated")

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58(data: bytes) -> str:
    number, out = int.from_bytes(data, "big"), ""
    while number:
        number, rest = divmod(number, 58)
        out = B58[rest] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def private_pem(key) -> bytes:
    """The private key as PEM, which every joserfc version imports (older ones take no key object)."""
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


class Issuer:
    """An issuer served over real HTTP on 127.0.0.1: profile, keys, assertions, revocations."""

    def __init__(self):
        self.routes: dict[str, tuple[int, bytes]] = {}
        self.requests: list[str] = []
        routes, requests = self.routes, self.requests

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                requests.append(self.path)
                status, body = routes.get(self.path, (404, b"{}"))
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.id = self.url("/issuer")
        self.rsa = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.ed = ed25519.Ed25519PrivateKey.generate()
        self.rogue_rsa = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.rogue_ed = ed25519.Ed25519PrivateKey.generate()
        self.revoked: list[str] = []
        self.serve(
            "/issuer",
            {
                "@context": "https://w3id.org/openbadges/v2",
                "type": ["Issuer", "Profile"],
                "id": self.id,
                "name": "Loopback University",
                "url": self.base + "/",
                "publicKey": self.url("/keys/rsa"),
                "revocationList": self.url("/revocations"),
                "verificationMethod": [self.url("/keys/ed")],
            },
        )
        self.serve("/keys/rsa", self.rsa_key_doc(self.rsa, self.id))
        self.serve("/keys/rogue-rsa", self.rsa_key_doc(self.rogue_rsa, "https://elsewhere.example/"))
        self.serve("/keys/ed", self.ed_key_doc("/keys/ed", self.ed, self.id))
        self.serve(
            "/keys/rogue-ed", self.ed_key_doc("/keys/rogue-ed", self.rogue_ed, "https://elsewhere.example/")
        )
        self.serve(
            "/badge-class",
            {"type": "BadgeClass", "id": self.url("/badge-class"), "name": "Loop", "issuer": self.id},
        )
        self.serve_revocations()

    def url(self, path: str) -> str:
        return self.base + path

    def serve(self, path: str, doc, status: int = 200) -> None:
        self.routes[path] = (status, json.dumps(doc).encode())

    def serve_revocations(self) -> None:
        self.serve(
            "/revocations",
            {
                "type": "RevocationList",
                "id": self.url("/revocations"),
                "issuer": self.id,
                "revokedAssertions": [{"id": i, "revocationReason": "error"} for i in self.revoked],
            },
        )

    def rsa_key_doc(self, key, owner: str) -> dict:
        pem = (
            key.public_key()
            .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
            .decode()
        )
        path = "/keys/rsa" if key is self.rsa else "/keys/rogue-rsa"
        return {"type": "CryptographicKey", "id": self.url(path), "owner": owner, "publicKeyPem": pem}

    def ed_key_doc(self, path: str, key, controller: str) -> dict:
        raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return {
            "id": self.url(path),
            "type": "Multikey",
            "controller": controller,
            "publicKeyMultibase": "z" + b58(b"\xed\x01" + raw),
            "publicKeyJwk": {
                "kty": "OKP",
                "crv": "Ed25519",
                "x": base64.urlsafe_b64encode(raw).rstrip(b"=").decode(),
            },
        }

    # --- Open Badges 2.0 ---------------------------------------------------------------------
    def assertion(self, path: str, kind: str = "hosted", expires: str = "") -> dict:
        doc = {
            "@context": "https://w3id.org/openbadges/v2",
            "type": "Assertion",
            "id": self.url(path)
            if kind == "hosted"
            else f"urn:uuid:{hashlib.md5(path.encode()).hexdigest()}",
            "recipient": {"type": "email", "hashed": False, "identity": EMAIL},
            "badge": {
                "type": "BadgeClass",
                "id": self.url("/badge-class"),
                "name": f"Badge {path}",
                "description": "A badge.",
                "image": "https://issuer.example/b.png",
                "criteria": {"narrative": "Done."},
                "issuer": self.id,
            },
            "issuedOn": "2026-03-01T12:00:00Z",
            "verification": {"type": "hosted"}
            if kind == "hosted"
            else {"type": "SignedBadge", "creator": self.url("/keys/rsa")},
        }
        if expires:
            doc["expires"] = expires
        return doc

    def host(self, doc: dict) -> None:
        self.serve(doc["id"][len(self.base) :], doc)

    def sign_rs256(self, doc: dict, key=None) -> str:
        return jws.serialize_compact(
            {"alg": "RS256"}, json.dumps(doc).encode(), jwk.RSAKey.import_key(private_pem(key or self.rsa))
        )

    # --- Open Badges 3.0 ---------------------------------------------------------------------
    def credential(self, name: str, valid_until: str = "", valid_from: str = "2026-04-02T09:00:00Z") -> dict:
        doc = {
            "@context": [
                "https://www.w3.org/ns/credentials/v2",
                "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
            ],
            "id": f"urn:uuid:{hashlib.md5(name.encode()).hexdigest()}",
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": {"id": self.id, "type": ["Profile"], "name": "Loopback University"},
            "validFrom": valid_from,
            "name": name,
            "credentialSubject": {
                "type": ["AchievementSubject"],
                "identifier": [
                    {
                        "type": "IdentityObject",
                        "identityType": "emailAddress",
                        "hashed": False,
                        "identityHash": EMAIL,
                    }
                ],
                "achievement": {
                    "id": self.url("/achievements/1"),
                    "type": ["Achievement"],
                    "name": name,
                    "description": "A credential.",
                    "criteria": {"narrative": "Done."},
                },
            },
        }
        if valid_until:
            doc["validUntil"] = valid_until
        return doc

    def vc_jwt(self, credential: dict, key=None, kid: str = "/keys/ed", header_jwk: bool = False) -> str:
        key = key or self.ed
        header = {"alg": "EdDSA", "typ": "JWT"}
        if header_jwk:
            raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
            header["jwk"] = {
                "kty": "OKP",
                "crv": "Ed25519",
                "x": base64.urlsafe_b64encode(raw).rstrip(b"=").decode(),
            }
        else:
            header["kid"] = self.url(kid)
        payload = {"vc": credential, "iss": self.id, "jti": credential["id"]}
        return jws.serialize_compact(
            header,
            json.dumps(payload).encode(),
            jwk.OKPKey.import_key(private_pem(key)),
            algorithms=["EdDSA"],
        )

    def jcs_proof(self, credential: dict, key=None, method: str = "/keys/ed") -> dict:
        """An eddsa-jcs-2022 Data Integrity proof, made as the specification says."""
        proof = {
            "type": "DataIntegrityProof",
            "cryptosuite": "eddsa-jcs-2022",
            "created": "2026-04-02T09:00:00Z",
            "verificationMethod": self.url(method),
            "proofPurpose": "assertionMethod",
        }
        data = (
            hashlib.sha256(rfc8785.dumps(proof)).digest() + hashlib.sha256(rfc8785.dumps(credential)).digest()
        )
        signature = (key or self.ed).sign(data)
        return {**credential, "proof": {**proof, "proofValue": "z" + b58(signature)}}

    def rdfc_proof(
        self, credential: dict, key=None, method: str = "/keys/ed", extra: dict | None = None
    ) -> dict:
        """An eddsa-rdfc-2022 Data Integrity proof, made as the specification says, with pyld and
        the contexts shipped in the package (and ``extra`` ones)."""
        proof = {
            "type": "DataIntegrityProof",
            "cryptosuite": "eddsa-rdfc-2022",
            "created": "2026-04-02T09:00:00Z",
            "verificationMethod": self.url(method),
            "proofPurpose": "assertionMethod",
        }
        config = {**proof, "@context": credential["@context"]}
        data = (
            hashlib.sha256(_urdna2015(config, extra)).digest()
            + hashlib.sha256(_urdna2015(credential, extra)).digest()
        )
        signature = (key or self.ed).sign(data)
        return {**credential, "proof": {**proof, "proofValue": "z" + b58(signature)}}


def _urdna2015(doc: dict, extra: dict | None = None) -> bytes:
    def loader(url, options=None):
        document = (extra or {}).get(url)
        if document is None:
            document = json.loads((rdfc.CONTEXTS_DIR / rdfc.CONTEXTS[url]).read_text())
        return {"contextUrl": None, "documentUrl": url, "document": document}

    return jsonld.normalize(
        doc, {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": loader}
    ).encode()


@pytest.fixture(scope="module")
def issuer():
    server = Issuer()
    yield server
    server.server.shutdown()
    server.server.server_close()


def _verify(text: str):
    return verify_badge(text, Fetcher())


def _tamper_jws(token: str, change) -> str:
    header, payload, signature = token.split(".")
    doc = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    change(doc)
    payload = base64.urlsafe_b64encode(json.dumps(doc).encode()).rstrip(b"=").decode()
    return f"{header}.{payload}.{signature}"


# --- Open Badges 2.0, hosted -------------------------------------------------------------------


def test_hosted_assertion_valid_tampered_revoked(issuer):
    valid = issuer.assertion("/assertions/valid")
    issuer.host(valid)
    outcome = _verify(json.dumps(valid))
    assert outcome.checks == {"hosted": "ok", "revocation": "ok", "issuer": "ok"} and not outcome.failure

    tampered = copy.deepcopy(valid)
    tampered["issuedOn"] = "2025-01-01T00:00:00Z"  # the learner's copy says something else
    assert _verify(json.dumps(tampered)).failure == "tampered"

    gone = issuer.assertion("/assertions/gone")
    issuer.serve("/assertions/gone", {}, status=410)
    assert _verify(json.dumps(gone)).failure == "revoked"

    flagged = issuer.assertion("/assertions/flagged")
    issuer.serve("/assertions/flagged", {"id": flagged["id"], "revoked": True})
    assert _verify(json.dumps(flagged)).failure == "revoked"


def test_hosted_assertion_on_another_origin_than_the_issuer_is_not_trusted(issuer):
    doc = issuer.assertion("/assertions/elsewhere")
    doc["id"] = doc["id"].replace("127.0.0.1", "localhost")  # same server, another origin
    issuer.serve("/assertions/elsewhere", doc)
    outcome = _verify(json.dumps(doc))
    assert outcome.checks["hosted"] == "ok" and outcome.failure == "untrusted"


def test_hosted_assertion_that_cannot_be_reached_is_inconclusive(issuer):
    doc = issuer.assertion("/assertions/missing")
    outcome = _verify(json.dumps(doc))
    assert not outcome.conclusive and not outcome.failure


# --- Open Badges 2.0, signed -------------------------------------------------------------------


def test_signed_assertion_valid_tampered_revoked_wrong_key(issuer):
    valid = issuer.assertion("/signed/valid", kind="signed")
    outcome = _verify(issuer.sign_rs256(valid))
    assert outcome.checks == {"signature": "ok", "issuer": "ok", "revocation": "ok"}, outcome.notes

    token = _tamper_jws(issuer.sign_rs256(valid), lambda d: d["badge"].update(name="A badge I did not earn"))
    assert _verify(token).failure == "tampered"

    # signed with another key than the one it names
    assert _verify(issuer.sign_rs256(valid, issuer.rogue_rsa)).failure == "tampered"

    # signed with a key that is not the issuer's, and naming it
    rogue = copy.deepcopy(valid)
    rogue["verification"]["creator"] = issuer.url("/keys/rogue-rsa")
    outcome = _verify(issuer.sign_rs256(rogue, issuer.rogue_rsa))
    assert outcome.checks["signature"] == "ok" and outcome.failure == "untrusted"

    revoked = issuer.assertion("/signed/revoked", kind="signed")
    issuer.revoked.append(revoked["id"])
    issuer.serve_revocations()
    assert _verify(issuer.sign_rs256(revoked)).failure == "revoked"


def test_unsigned_json_assertion_without_hosting_is_not_verifiable(issuer):
    doc = issuer.assertion("/x", kind="signed")
    with pytest.raises(Unverifiable):
        _verify(json.dumps(doc))


# --- Open Badges 3.0, VC-JWT -------------------------------------------------------------------


def test_vc_jwt_valid_tampered_wrong_key_unlisted_jwk(issuer):
    credential = issuer.credential("JWT badge")
    outcome = _verify(issuer.vc_jwt(credential))
    assert outcome.checks == {"signature": "ok", "issuer": "ok"}, outcome.notes

    token = _tamper_jws(issuer.vc_jwt(credential), lambda d: d["vc"].update(name="Forged"))
    assert _verify(token).failure == "tampered"

    assert _verify(issuer.vc_jwt(credential, issuer.rogue_ed)).failure == "tampered"
    # a key of someone else, named by the token
    outcome = _verify(issuer.vc_jwt(credential, issuer.rogue_ed, kid="/keys/rogue-ed"))
    assert outcome.checks["signature"] == "ok" and outcome.failure == "untrusted"
    # a key carried in the token itself proves nothing unless the issuer lists it
    assert _verify(issuer.vc_jwt(credential, issuer.rogue_ed, header_jwk=True)).failure == "untrusted"


# --- Open Badges 3.0, Data Integrity eddsa-jcs-2022 --------------------------------------------


def test_multikey_decoding_matches_the_open_badges_test_vector():
    # the key pair of the Open Badges 3.0 implementation guide's proof example
    assert (
        multikey_ed25519("z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi").hex()
        == "4bdeafde2ea8beefadd8c699b5c7e0704cf51154d52e17b20b71337ca04cc5a5"
    )


def test_data_integrity_jcs_valid_tampered_wrong_key(issuer):
    credential = issuer.credential("JCS badge")
    signed = issuer.jcs_proof(credential)
    outcome = _verify(json.dumps(signed))
    assert outcome.checks == {"issuer": "ok", "signature": "ok"}, outcome.notes

    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["achievement"]["name"] = "Forged"
    assert _verify(json.dumps(tampered)).failure == "tampered"

    tampered_proof = copy.deepcopy(signed)
    tampered_proof["proof"]["created"] = "2020-01-01T00:00:00Z"
    assert _verify(json.dumps(tampered_proof)).failure == "tampered"

    assert _verify(json.dumps(issuer.jcs_proof(credential, issuer.rogue_ed))).failure == "tampered"
    outcome = _verify(json.dumps(issuer.jcs_proof(credential, issuer.rogue_ed, "/keys/rogue-ed")))
    assert outcome.checks["signature"] == "ok" and outcome.failure == "untrusted"


# --- Open Badges 3.0, Data Integrity eddsa-rdfc-2022 -------------------------------------------


def test_data_integrity_rdfc_valid_tampered_wrong_key(issuer):
    credential = issuer.credential("RDFC badge")
    signed = issuer.rdfc_proof(credential)
    outcome = _verify(json.dumps(signed))
    assert outcome.checks == {"issuer": "ok", "signature": "ok"}, outcome.notes

    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["achievement"]["name"] = "Forged"
    assert _verify(json.dumps(tampered)).failure == "tampered"

    tampered_proof = copy.deepcopy(signed)
    tampered_proof["proof"]["created"] = "2020-01-01T00:00:00Z"
    assert _verify(json.dumps(tampered_proof)).failure == "tampered"

    # the same proof checked as JCS, and a JCS proof checked as RDF, do not match
    as_jcs = copy.deepcopy(signed)
    as_jcs["proof"]["cryptosuite"] = "eddsa-jcs-2022"
    assert _verify(json.dumps(as_jcs)).failure == "tampered"

    assert _verify(json.dumps(issuer.rdfc_proof(credential, issuer.rogue_ed))).failure == "tampered"
    outcome = _verify(json.dumps(issuer.rdfc_proof(credential, issuer.rogue_ed, "/keys/rogue-ed")))
    assert outcome.checks["signature"] == "ok" and outcome.failure == "untrusted"


def test_rdfc_credential_with_an_unknown_context_is_refused_without_fetching_it(issuer):
    evil = {"@context": {"evilName": "https://schema.org/name"}}
    issuer.serve("/contexts/evil.json", evil)
    credential = issuer.credential("Unknown context")
    credential["@context"] = [*credential["@context"], issuer.url("/contexts/evil.json")]
    signed = issuer.rdfc_proof(credential, extra={issuer.url("/contexts/evil.json"): evil})
    with pytest.raises(Unverifiable, match="JSON-LD context .*/contexts/evil.json.* never fetched"):
        _verify(json.dumps(signed))
    assert "/contexts/evil.json" not in issuer.requests
    # a context of another site: refused the same way, and no request leaves this computer
    credential["@context"][-1] = "https://contexts.example.org/badge.jsonld"
    with pytest.raises(Unverifiable, match="contexts.example.org/badge.jsonld"):
        _verify(json.dumps(issuer.rdfc_proof(credential, extra={credential["@context"][-1]: evil})))


def test_rdfc_credential_with_a_poison_graph_is_refused_quickly(issuer):
    # blank nodes that all know each other: canonicalising them naively takes factorial time
    nodes = [f"_:n{i}" for i in range(9)]
    credential = issuer.credential("Poison")
    knows = "https://example.org/knows"
    credential[knows] = [{"id": n, knows: [{"id": m} for m in nodes if m != n]} for n in nodes]
    proof = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "verificationMethod": issuer.url("/keys/ed"),
        "proofPurpose": "assertionMethod",
        "proofValue": "z" + b58(b"\0" * 64),
    }
    with pytest.raises(Unverifiable, match="too costly"):
        _verify(json.dumps({**credential, "proof": proof}))


def test_rdfc_credential_with_a_property_no_context_defines_is_not_verifiable(issuer):
    # expansion drops such a property: no signature would cover what the page shows
    credential = issuer.credential("Undefined property")
    signed = issuer.rdfc_proof(credential)
    signed["knows"] = "an added claim"
    with pytest.raises(Unverifiable, match="'knows' is not defined"):
        _verify(json.dumps(signed))


# The W3C test vector of eddsa-rdfc-2022 ("Data Integrity EdDSA Cryptosuites v1.0",
# github.com/w3c/vc-di-eddsa, TestVectors/eddsa-rdfc-2022/ and TestVectors/keyPair.json; W3C
# Software and Document License): a credential signed by another implementation.
W3C_VECTOR = {
    "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
    "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
    "type": ["VerifiableCredential", "AlumniCredential"],
    "name": "Alumni Credential",
    "description": "A minimum viable example of an Alumni Credential.",
    "issuer": "https://vc.example/issuers/5678",
    "validFrom": "2023-01-01T00:00:00Z",
    "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"},
    "proof": {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": "2023-02-24T23:36:38Z",
        "verificationMethod": "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#"
        "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
        "proofPurpose": "assertionMethod",
        "proofValue": "z2YwC8z3ap7yx1nZYCg4L3j3ApHsF8kgPdSb5xoS1VR7vPG3F561B52hYnQF9iseabecm3ijx4K1FBTQsCZahKZme",
    },
}
W3C_PUBLIC_KEY = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
W3C_HASH_DATA = (
    "bea7b7acfbad0126b135104024a5f1733e705108f42d59668b05c0c50004c6b0"
    "517744132ae165a5349155bef0bb0cf2258fff99dfe1dbd914b938d775a36017"
)
# the W3C examples context (https://www.w3.org/ns/credentials/examples/v2): a vocabulary only
EXAMPLES_CONTEXT = {"@context": {"@vocab": "https://www.w3.org/ns/credentials/examples#"}}


def _with_examples(url, options=None):
    if url == "https://www.w3.org/ns/credentials/examples/v2":
        return {"contextUrl": None, "documentUrl": url, "document": EXAMPLES_CONTEXT}
    return rdfc.load_context(url, options)


def test_rdfc_matches_the_w3c_test_vector():
    from cryptography.exceptions import InvalidSignature

    from elenefolio.badges.verify import base58_decode

    unsecured = {k: v for k, v in W3C_VECTOR.items() if k != "proof"}
    options = {k: v for k, v in W3C_VECTOR["proof"].items() if k != "proofValue"}
    data = rdfc.hash_data(unsecured, {**options, "@context": unsecured["@context"]}, _with_examples)
    assert data.hex() == W3C_HASH_DATA
    public = ed25519.Ed25519PublicKey.from_public_bytes(multikey_ed25519(W3C_PUBLIC_KEY))
    public.verify(base58_decode(W3C_VECTOR["proof"]["proofValue"][1:]), data)
    changed = rdfc.hash_data(
        {**unsecured, "name": "Alumna Credential"},
        {**options, "@context": unsecured["@context"]},
        _with_examples,
    )
    with pytest.raises(InvalidSignature):
        public.verify(base58_decode(W3C_VECTOR["proof"]["proofValue"][1:]), changed)
    # the examples context is not shipped: the real loader refuses it
    with pytest.raises(rdfc.UnknownContext):
        rdfc.canonical_nquads(unsecured)


def _unsigned_token(header: dict, payload: dict) -> str:
    def part(doc):
        return base64.urlsafe_b64encode(json.dumps(doc).encode()).rstrip(b"=").decode()

    return f"{part(header)}.{part(payload)}.{part({'not': 'a signature'})}"


def test_malformed_badges_and_keys_are_verification_results_not_crashes(issuer):
    credential = issuer.credential("Malformed")
    with pytest.raises(Unverifiable):
        _verify(json.dumps({**issuer.assertion("/m1"), "verification": "hosted"}))
    with pytest.raises(Unverifiable):
        _verify(json.dumps({**credential, "proof": [1, "x", None]}))
    outcome = _verify(_unsigned_token({"alg": "EdDSA", "jwk": {"kty": 5}}, {"vc": credential}))
    assert outcome.failure == "tampered" and outcome.checks["issuer"] == "failed"
    # an Ed25519 token checked against the issuer's RSA key
    assert _verify(issuer.vc_jwt(credential, kid="/keys/rsa")).failure == "tampered"
    issuer.serve(
        "/keys/garbage",
        {
            "id": issuer.url("/keys/garbage"),
            "controller": issuer.id,
            "publicKeyJwk": {"kty": "OKP", "crv": "Ed25519", "x": 12},
        },
    )
    assert _verify(issuer.vc_jwt(credential, kid="/keys/garbage")).failure == "tampered"
    proof = issuer.jcs_proof(credential, method="/keys/garbage")
    assert _verify(json.dumps(proof)).failure == "tampered"
    assert (
        _verify(_unsigned_token({"alg": "none", "kid": issuer.url("/keys/ed")}, {"vc": credential})).failure
        == "tampered"
    )


# --- the command and the build -----------------------------------------------------------------


def _portfolio(root, issuer, language="fr"):
    write(
        root / "portfolio.yaml",
        f"""
        title: Portfolio
        base_url: https://example.test/
        language: {language}
        default_visibility: public
        author:
          name: Ada
          email: {EMAIL}
        """,
    )
    write(root / "journal/2026-01-10-first.md", "---\ntitle: First\ndate: 2026-01-10\n---\nHello.\n")
    hosted = issuer.assertion("/assertions/portfolio")
    issuer.host(hosted)
    write(root / "badges/hosted.png", bake_png_pillow(hosted))
    write(root / "badges/signed.jws", issuer.sign_rs256(issuer.assertion("/signed/p", kind="signed")))
    write(root / "badges/jwt.jwt", issuer.vc_jwt(issuer.credential("JWT in portfolio")))
    jcs = json.dumps(issuer.jcs_proof(issuer.credential("JCS in portfolio")))
    write(root / "badges/jcs.png", bake_png_by_hand("openbadgecredential", jcs))
    forged = _tamper_jws(
        issuer.vc_jwt(issuer.credential("Forged in portfolio")),
        lambda d: d["vc"].update(name="Forged in portfolio!"),
    )
    write(root / "badges/forged.jwt", forged)
    expired = issuer.jcs_proof(issuer.credential("Expired in portfolio", valid_until="2026-05-01T00:00:00Z"))
    write(root / "badges/expired.json", json.dumps(expired))
    return root


def _cards(out):
    soup = BeautifulSoup((out / "badges/index.html").read_text(encoding="utf-8"), "html.parser")
    return {c.select_one(".badge-name").get_text(strip=True): c for c in soup.select(".badge-card")}


def test_verify_records_results_and_the_build_shows_them(issuer, tmp_path, capsys):
    from babel.dates import format_date

    root = _portfolio(tmp_path / "folio", issuer)
    out = tmp_path / "out"
    build(BuildOptions(root=root, output=out, incremental=False))
    before = _cards(out)
    assert "émetteur non vérifié" in before["JWT in portfolio"].select_one(".badge-summary").get_text()

    assert main(["badges", "verify", str(root)]) == 0  # offline: reports, writes nothing
    assert "not verified" in capsys.readouterr().out
    assert not (root / "badges/.verification.json").exists()

    assert main(["badges", "verify", "--online", str(root)]) == 1  # one badge is forged
    captured = capsys.readouterr()
    assert "forged.jwt:1: tampered" in captured.err
    record = json.loads((root / "badges/.verification.json").read_text())["badges"]
    assert set(record) == {"hosted.png", "signed.jws", "jwt.jwt", "jcs.png", "forged.jwt", "expired.json"}
    assert record["forged.jwt"]["failure"] == "tampered"
    assert record["signed.jws"]["checks"] == {"signature": "ok", "issuer": "ok", "revocation": "ok"}

    build(BuildOptions(root=root, output=out, incremental=False))
    cards = _cards(out)
    today = format_date(dt.date.today(), format="long", locale="fr")
    for name in ("Badge /assertions/portfolio", "Badge /signed/p", "JWT in portfolio", "JCS in portfolio"):
        summary = cards[name].select_one(".badge-summary").get_text(" ", strip=True)
        assert f"vérifié le {today}" in summary, (name, summary)
        assert "Signature valide" in cards[name].get_text() or name.startswith("Badge /assertions")
    assert "ne correspond pas" in cards["Forged in portfolio"].select_one(".status-pill").get_text()
    # verified, and expired all the same: dates are checked by every build
    assert cards["Expired in portfolio"].select_one(".status-pill").get_text(strip=True).startswith("Expiré")

    # an edited badge is no longer "verified"
    edited = issuer.credential("JWT in portfolio", valid_until="2030-01-01")
    write(root / "badges/jwt.jwt", issuer.vc_jwt(edited))
    build(BuildOptions(root=root, output=out, incremental=False))
    summary = _cards(out)["JWT in portfolio"].select_one(".badge-summary").get_text()
    assert "émetteur non vérifié" in summary and "vérifié le" not in summary


def test_a_changed_record_rebuilds_the_badges_page_incrementally(issuer, tmp_path):
    root = _portfolio(tmp_path / "folio", issuer, language="en")
    out, clean = tmp_path / "out", tmp_path / "clean"
    build(BuildOptions(root=root, output=out))
    assert main(["badges", "verify", "--online", str(root)]) == 1
    result = build(BuildOptions(root=root, output=out))
    assert "badges/" in result.rendered_urls
    build(BuildOptions(root=root, output=clean, incremental=False))
    assert (out / "badges/index.html").read_bytes() == (clean / "badges/index.html").read_bytes()
    assert "verified on" in (out / "badges/index.html").read_text()


def test_serve_rebuilds_when_the_record_changes(tmp_path):
    from elenefolio.serve import LiveState, Rebuilder

    root = tmp_path / "folio"
    (root / "badges").mkdir(parents=True)
    rebuilder = Rebuilder(BuildOptions(root), LiveState(), lambda *report: None)
    assert rebuilder.relevant(str(root.resolve() / "badges/.verification.json"))
    assert not rebuilder.relevant(str(root.resolve() / "badges/.other.json"))


def test_online_verification_refuses_plain_http_to_other_hosts(tmp_path):
    from elenefolio.badges.fetch import FetchError

    with pytest.raises(FetchError, match="plain http"):
        Fetcher().get("http://issuer.example.org/profile")
    with pytest.raises(FetchError, match="not an https address"):
        Fetcher().get("file:///etc/passwd")
