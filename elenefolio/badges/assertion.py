"""Open Badges 2.0 assertions and 3.0 credentials, read into one shape.

Only what can be checked offline is checked: that the recipient identity
matches one of the author's email addresses (plain, or hashed with sha256
or md5 and an optional salt), the expiry date, and the presence of the
fields the specifications require. The issuer's hosted assertion and any
signature are *not* checked here: the status says so.

The recipient's identity is never kept in the result; only whether it
matched.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
from dataclasses import dataclass, field

from elenefolio.util import clock
from elenefolio.util.i18n import N_


class BadgeError(Exception):
    """The document is not an Open Badge that can be read."""

    def __init__(self, message: str, line: int = 1):
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class Check:
    """One offline check and its honest result.

    ``text`` is an interface string (``N_``), translated when a page shows it, with
    ``%(name)s`` places filled from ``values`` (a date under ``date``, written for
    people by the page); ``message`` is the English sentence, dates in ISO form."""

    name: str  # "recipient", "expiry", "fields", "issuer"
    state: str  # "ok", "failed", "unknown"
    text: str
    values: dict[str, object] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return self.text % self.values


@dataclass
class BadgeData:
    """What a badge says, without the recipient's identity."""

    version: str  # "2.0" or "3.0"
    name: str = ""
    description: str = ""
    criteria: str = ""  # narrative text
    criteria_url: str = ""
    issuer: str = ""
    issuer_url: str = ""
    issued: dt.date | None = None
    expires: dt.date | None = None
    image: str = ""  # the badge class image as given: an address or a data: URI
    alignments: list[tuple[str, str]] = field(default_factory=list)  # (name, url)
    evidence_urls: list[str] = field(default_factory=list)
    id: str = ""
    signed: bool = False  # a JWS / proof is present (not checked offline)
    verification: str = ""  # "hosted", "signed" or ""
    recipient: str = "unknown"  # "confirmed", "not-matched", "unknown"
    recipient_hashed: bool = False
    missing: list[str] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    unreadable: bool = False  # the file could not be read: shown as such, never fatal
    verified: "Verification | None" = None  # the result of ``badges verify``, when current

    def expired(self, today: dt.date) -> bool:
        return self.expires is not None and self.expires < today

    def status(self, today: dt.date) -> tuple[str, str]:
        """(key, English label) of the overall status, the least favourable first."""
        key = self.status_key(today)
        return key, status_label(key, self.expires)

    def status_key(self, today: dt.date) -> str:
        """The overall status (a key of :data:`STATUS_LABELS`, or ``expired``), the least
        favourable first."""
        if self.unreadable:
            return "unreadable"
        if self.verified is not None and self.verified.failure:
            return self.verified.failure
        if self.recipient == "not-matched":
            return "not-matched"
        if self.expires is not None and self.expired(today):
            return "expired"
        if self.issued is not None and self.issued > today and self.version == "3.0":
            return "not-yet-valid"
        if self.missing:
            return "incomplete"
        if self.recipient == "confirmed":
            return "confirmed"
        return "unverifiable"

    def summary(self) -> list[tuple[str, dict]]:
        """What was and was not checked, in a few words each: (interface string, values).

        Shown on the badge itself, so that a reader need not open the details to see that
        the issuer was (or was not) verified."""
        if self.unreadable:
            return [(N_("The badge file could not be read"), {})]
        recipient = {
            "confirmed": N_("Recipient matches the owner's e-mail"),
            "not-matched": N_("Recipient does not match the owner's e-mail"),
        }.get(self.recipient, N_("Recipient not checked"))
        if self.verified is None:
            return [(recipient, {}), (N_("issuer not verified"), {})]
        if self.verified.failure:
            return [(recipient, {}), (N_("verification failed on %(date)s"), {"date": self.verified.date})]
        return [(recipient, {}), (N_("verified on %(date)s"), {"date": self.verified.date})]


# The failures of ``badges verify``, least favourable first: (status key, label)
VERIFY_FAILURES = {
    "revoked": N_("Revoked by the issuer"),
    "tampered": N_("Signature or hosted copy does not match"),
    "untrusted": N_("Not confirmed by the issuer"),
}
# The label of each status but ``expired`` (whose label says the date): interface strings,
# translated where a page shows them, English in the exports.
STATUS_LABELS = {
    "unreadable": N_("Unreadable"),
    **VERIFY_FAILURES,
    "not-matched": N_("Recipient not confirmed"),
    "not-yet-valid": N_("Not yet valid"),
    "incomplete": N_("Incomplete badge data"),
    "confirmed": N_("Recipient confirmed"),
    "unverifiable": N_("Not verifiable offline"),
}


def status_label(status: str, expires: dt.date | None) -> str:
    """The English label of a badge's status, a date in ISO form (for the exports)."""
    if status == "expired" and expires is not None:
        return f"Expired on {expires.isoformat()}"
    return str(STATUS_LABELS.get(status, status))


@dataclass
class Verification:
    """What ``badges verify`` found for a badge file, read back from ``badges/.verification.json``.

    ``checks`` are (name, state) pairs; their sentences are interface strings
    (``verify.CHECK_TEXTS``), so the page shows them in its language."""

    date: dt.date
    failure: str = ""  # "" when verified, else a key of VERIFY_FAILURES
    checks: list[tuple[str, str]] = field(default_factory=list)


# --- reading documents -----------------------------------------------------------------------


def _b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def decode_jws(token: str) -> dict:
    """The payload of a compact JWS/JWT (the signature is not checked)."""
    parts = token.strip().split(".")
    if len(parts) != 3:
        raise BadgeError("not a signed badge (a JWS has three parts separated by dots)")
    try:
        payload = json.loads(_b64url(parts[1]))
    except (ValueError, UnicodeDecodeError):
        raise BadgeError("the signed badge's payload is not readable JSON") from None
    if not isinstance(payload, dict):
        raise BadgeError("the signed badge's payload is not a JSON object")
    return payload


def _load_json(text: str) -> dict:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadgeError(f"the badge data is not valid JSON: {exc.msg}", exc.lineno) from None
    if not isinstance(doc, dict):
        raise BadgeError("the badge data must be a JSON object")
    return doc


def read_badge_document(
    text: str, emails: list[str], today: dt.date | None = None, version_hint: str = ""
) -> BadgeData:
    """Read a badge from JSON text or a compact JWS, and check it offline."""
    text = text.strip()
    signed = False
    if not text:
        raise BadgeError("the badge data is empty")
    if text.startswith("{"):
        doc = _load_json(text)
    elif text.startswith(("http://", "https://")):
        raise BadgeError(
            f"the baked badge holds only the address of its assertion ({text}); "
            "its content cannot be read offline: bake the full assertion, or save "
            "the assertion JSON next to the image"
        )
    else:
        doc = decode_jws(text)
        signed = True
        if isinstance(doc.get("vc"), dict):  # a VC-JWT: the credential is the "vc" claim
            doc = doc["vc"]
    types = _as_list(doc.get("type"))
    if (
        "OpenBadgeCredential" in types
        or "AchievementCredential" in types
        or "VerifiableCredential" in types
        or version_hint == "3.0"
        and "credentialSubject" in doc
    ):
        data = _read_v3(doc)
    elif "recipient" in doc or "badge" in doc or version_hint == "2.0":
        data = _read_v2(doc)
    else:
        raise BadgeError(
            "not an Open Badge: neither an assertion (with 'recipient' and "
            "'badge') nor an OpenBadgeCredential"
        )
    data.signed = data.signed or signed
    if data.signed:
        data.verification = "signed"
    _check(data, doc, emails, today or clock.today())
    return data


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(value) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict):  # language maps and the like
        for key in ("@value", "en", "name"):
            if isinstance(value.get(key), str):
                return value[key].strip()
    return ""


def _image(value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return _text(value.get("id")) or _text(value.get("@id"))
    return ""


def parse_date(value) -> dt.date | None:
    """ISO 8601 dates and date-times (with Z or an offset), or Unix timestamps."""
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return dt.datetime.fromtimestamp(value, dt.timezone.utc).date()
    if isinstance(value, str):
        text = value.strip()
        if text.isdigit():
            return dt.datetime.fromtimestamp(int(text), dt.timezone.utc).date()
        try:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            try:
                return dt.date.fromisoformat(text[:10])
            except ValueError:
                return None
        if moment.tzinfo is not None:
            moment = moment.astimezone(dt.timezone.utc)
        return moment.date()
    return None


def _issuer(data: BadgeData, issuer) -> None:
    if isinstance(issuer, dict):
        data.issuer = _text(issuer.get("name"))
        data.issuer_url = _text(issuer.get("url")) or _text(issuer.get("id"))
    elif isinstance(issuer, str):
        data.issuer_url = issuer
        data.missing.append("issuer name (the issuer is only an address)")


def _alignments(data: BadgeData, value) -> None:
    for item in _as_list(value):
        if isinstance(item, dict):
            name = _text(item.get("targetName"))
            url = _text(item.get("targetUrl"))
            if name or url:
                data.alignments.append((name or url, url))


def _evidence(data: BadgeData, value) -> None:
    for item in _as_list(value):
        if isinstance(item, str) and item.startswith(("http://", "https://")):
            data.evidence_urls.append(item)
        elif isinstance(item, dict):
            url = _text(item.get("id"))
            if url.startswith(("http://", "https://")):
                data.evidence_urls.append(url)


def _read_v2(doc: dict) -> BadgeData:
    data = BadgeData("2.0", id=_text(doc.get("id")))
    badge = doc.get("badge")
    if isinstance(badge, dict):
        data.name = _text(badge.get("name"))
        data.description = _text(badge.get("description"))
        criteria = badge.get("criteria")
        if isinstance(criteria, dict):
            data.criteria = _text(criteria.get("narrative"))
            data.criteria_url = _text(criteria.get("id"))
        elif isinstance(criteria, str):
            data.criteria_url = criteria
        data.image = _image(badge.get("image"))
        _issuer(data, badge.get("issuer"))
        _alignments(data, badge.get("alignment"))
        for key in ("name", "description", "criteria", "issuer", "image"):
            if not badge.get(key):
                data.missing.append(f"badge.{key}")
    elif isinstance(badge, str):
        data.missing.append(
            "badge class (the badge is only an address: its name, "
            "description and criteria cannot be read offline)"
        )
    else:
        data.missing.append("badge")
    if not data.image:
        data.image = _image(doc.get("image"))
    data.issued = parse_date(doc.get("issuedOn"))
    data.expires = parse_date(doc.get("expires"))
    _evidence(data, doc.get("evidence"))
    verification = doc.get("verification") or doc.get("verify")
    if isinstance(verification, dict):
        kind = _text(verification.get("type")).lower()
        data.verification = (
            "signed" if kind.startswith("signed") else ("hosted" if kind.startswith("hosted") else kind)
        )
    for key in ("recipient", "issuedOn", "verification"):
        if not doc.get(key) and not (key == "verification" and doc.get("verify")):
            data.missing.append(key)
    return data


def _read_v3(doc: dict) -> BadgeData:
    data = BadgeData("3.0", id=_text(doc.get("id")))
    subject = doc.get("credentialSubject")
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    if isinstance(achievement, dict):
        data.name = _text(achievement.get("name"))
        data.description = _text(achievement.get("description"))
        criteria = achievement.get("criteria")
        if isinstance(criteria, dict):
            data.criteria = _text(criteria.get("narrative"))
            data.criteria_url = _text(criteria.get("id"))
        data.image = _image(achievement.get("image"))
        _alignments(data, achievement.get("alignment"))
        for key in ("name", "description", "criteria"):
            if not achievement.get(key):
                data.missing.append(f"credentialSubject.achievement.{key}")
    else:
        data.missing.append("credentialSubject.achievement")
    if not data.name:
        data.name = _text(doc.get("name"))
    if not data.image:
        data.image = _image(doc.get("image"))
    _issuer(data, doc.get("issuer"))
    data.issued = parse_date(doc.get("validFrom") or doc.get("issuanceDate"))
    data.expires = parse_date(doc.get("validUntil") or doc.get("expirationDate"))
    _evidence(data, doc.get("evidence"))
    if doc.get("proof"):
        data.signed = True
    for key in ("@context", "type", "issuer", "credentialSubject"):
        if not doc.get(key):
            data.missing.append(key)
    if not (doc.get("validFrom") or doc.get("issuanceDate")):
        data.missing.append("validFrom")
    return data


# --- offline checks --------------------------------------------------------------------------


def identity_matches(identity: str, salt: str, hashed: bool, emails: list[str]) -> bool | None:
    """Whether ``identity`` (plain or ``alg$hex``) is one of ``emails``; None when unknown."""
    identity = identity.strip()
    if not hashed:
        return identity.lower() in {e.strip().lower() for e in emails}
    algorithm, sep, digest = identity.partition("$")
    algorithm = algorithm.lower()
    if not sep or algorithm not in ("sha256", "md5"):
        return None
    for email in emails:
        # the specification hashes the identity as given; try it as written and lower-cased
        for candidate in dict.fromkeys((email.strip(), email.strip().lower())):
            computed = hashlib.new(algorithm, (candidate + (salt or "")).encode("utf-8")).hexdigest()
            if hmac.compare_digest(computed, digest.strip().lower()):
                return True
    return False


def _recipients(doc: dict, version: str) -> list[dict]:
    """The recipient identity objects of the document (type, identity, hashed, salt)."""
    if version == "2.0":
        recipient = doc.get("recipient")
        if not isinstance(recipient, dict):
            return []
        return [
            {
                "type": _text(recipient.get("type")).lower() or "email",
                "identity": _text(recipient.get("identity")),
                "hashed": bool(recipient.get("hashed")),
                "salt": _text(recipient.get("salt")),
            }
        ]
    subject = doc.get("credentialSubject")
    if not isinstance(subject, dict):
        return []
    found = []
    for item in _as_list(subject.get("identifier")):
        if isinstance(item, dict):
            kind = _text(item.get("identityType")).lower()
            found.append(
                {
                    "type": "email" if kind in ("emailaddress", "email") else kind,
                    "identity": _text(item.get("identityHash")),
                    "hashed": bool(item.get("hashed")),
                    "salt": _text(item.get("salt")),
                }
            )
    subject_id = _text(subject.get("id"))
    if subject_id.lower().startswith("mailto:"):
        found.append({"type": "email", "identity": subject_id[7:], "hashed": False, "salt": ""})
    return found


def _check(data: BadgeData, doc: dict, emails: list[str], today: dt.date) -> None:
    recipients = _recipients(doc, data.version)
    email_ids = [r for r in recipients if r["type"] == "email" and r["identity"]]
    data.recipient_hashed = any(r["hashed"] for r in email_ids)
    if not email_ids:
        if recipients or isinstance(doc.get("credentialSubject"), dict):
            text = N_(
                "The recipient is a decentralised identifier or another kind of identity: "
                "it cannot be checked offline."
            )
        else:
            text = N_("The badge names no recipient: it cannot be checked offline.")
        data.checks.append(Check("recipient", "unknown", text))
    elif not emails:
        data.checks.append(
            Check(
                "recipient",
                "unknown",
                N_("No email address in portfolio.yaml (author.email) to check the recipient against."),
            )
        )
    else:
        results = [identity_matches(r["identity"], r["salt"], r["hashed"], emails) for r in email_ids]
        if any(r is True for r in results):
            data.recipient = "confirmed"
            data.checks.append(
                Check(
                    "recipient",
                    "ok",
                    N_("Issued to the owner of this portfolio (the hashed email address matches).")
                    if data.recipient_hashed
                    else N_("Issued to the owner of this portfolio (the email address matches)."),
                )
            )
        elif all(r is None for r in results):
            data.checks.append(
                Check(
                    "recipient",
                    "unknown",
                    N_("The recipient is hashed with an algorithm that cannot be checked here."),
                )
            )
        else:
            data.recipient = "not-matched"
            data.checks.append(
                Check(
                    "recipient",
                    "failed",
                    N_("The recipient does not match the email addresses of this portfolio."),
                )
            )
    if data.expires is None:
        data.checks.append(Check("expiry", "ok", N_("Does not expire.")))
    elif data.expires < today:
        data.checks.append(Check("expiry", "failed", N_("Expired on %(date)s."), {"date": data.expires}))
    else:
        data.checks.append(Check("expiry", "ok", N_("Valid until %(date)s."), {"date": data.expires}))
    if data.version == "3.0" and data.issued is not None and data.issued > today:
        data.checks.append(Check("expiry", "failed", N_("Not valid before %(date)s."), {"date": data.issued}))
    if data.missing:
        data.checks.append(
            Check(
                "fields",
                "failed",
                N_("Missing required data: %(fields)s."),
                {"fields": ", ".join(data.missing)},
            )
        )
    else:
        data.checks.append(Check("fields", "ok", N_("All required fields are present.")))
    if data.signed:
        data.checks.append(
            Check("issuer", "unknown", N_("Signed by the issuer; the signature is not checked offline."))
        )
    else:
        data.checks.append(Check("issuer", "unknown", N_("The issuer's hosted copy is not checked offline.")))
