"""Real-shaped test data for badges, exports and imports.

Badges are baked as the Open Badges baking specifications say: PNG with an
uncompressed iTXt chunk ('openbadges' for 2.0 through Pillow, and
'openbadgecredential' for 3.0 built by hand with zlib.crc32), SVG with an
<openbadges:assertion> / <openbadges:credential> element holding the JSON in
CDATA.
"""

from __future__ import annotations

import hashlib
import io
import json
import struct
import textwrap
import zlib
from pathlib import Path

EMAIL = "ada.secret@example.org"
NAME = "Ada Canary"
BASE_URL = "https://example.test/folio/"
PRIVATE_CANARIES = (
    "PRIVATE-CANARY-TITLE",
    "PRIVATE-CANARY-BODY",
    "UNLISTED-CANARY-BODY",
    "DRAFT-CANARY",
    "PRIVATE-BADGE-CANARY",
    "PRIVATE-ARTEFACT-CANARY",
)
ISSUER = {
    "id": "https://issuer.example.org/profile.json",
    "type": "Issuer",
    "name": "Example Open University",
    "url": "https://issuer.example.org/",
}


def sha256_identity(email: str, salt: str) -> str:
    return "sha256$" + hashlib.sha256((email + salt).encode()).hexdigest()


def md5_identity(email: str, salt: str) -> str:
    return "md5$" + hashlib.md5((email + salt).encode()).hexdigest()


def png_bytes(colour=(20, 110, 100), size=(64, 64)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def bake_png_pillow(assertion: dict, colour=(20, 110, 100)) -> bytes:
    """Open Badges 2.0 baking with Pillow: iTXt 'openbadges', uncompressed."""
    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_itxt("openbadges", json.dumps(assertion), lang="", tkey="", zip=False)
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), colour).save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue()


def itxt_chunk(keyword: str, text: str) -> bytes:
    """An iTXt chunk by hand: keyword, no compression, empty language and translated keyword."""
    body = keyword.encode("latin-1") + b"\x00" + b"\x00\x00" + b"\x00" + b"\x00" + text.encode("utf-8")
    return (
        struct.pack(">I", len(body))
        + b"iTXt"
        + body
        + struct.pack(">I", zlib.crc32(b"iTXt" + body) & 0xFFFFFFFF)
    )


def bake_png_by_hand(keyword: str, text: str, colour=(40, 80, 160)) -> bytes:
    """Insert the chunk right after IHDR, as the baking specification allows."""
    plain = png_bytes(colour)
    ihdr_end = 8 + 4 + 4 + 13 + 4
    return plain[:ihdr_end] + itxt_chunk(keyword, text) + plain[ihdr_end:]


def bake_svg(text: str, version: str = "2.0", verify: str = "") -> bytes:
    if version == "2.0":
        ns, element = "http://openbadges.org", "assertion"
    else:
        ns, element = "https://purl.imsglobal.org/ob/v3p0", "credential"
    verify_attr = f' verify="{verify}"' if verify else ""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="{ns}" viewBox="0 0 100 100" '
        'width="100" height="100">',
        f"<openbadges:{element}{verify_attr}><![CDATA[{text}]]></openbadges:{element}>",
        '<circle cx="50" cy="50" r="45" fill="#22599e"/>',
        "</svg>",
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def assertion_v2(
    name: str,
    identity: str,
    hashed: bool,
    salt: str = "",
    expires: str = "",
    issued: str = "2026-03-01T12:00:00Z",
) -> dict:
    recipient = {"type": "email", "hashed": hashed, "identity": identity}
    if salt:
        recipient["salt"] = salt
    doc = {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": f"https://issuer.example.org/assertions/{abs(hash(name)) % 10**6}",
        "recipient": recipient,
        "badge": {
            "type": "BadgeClass",
            "id": "https://issuer.example.org/badges/1",
            "name": name,
            "description": f"Description of {name}.",
            "image": "https://issuer.example.org/badges/1.png",
            "criteria": {"narrative": f"Criteria of {name}."},
            "issuer": ISSUER,
        },
        "issuedOn": issued,
        "verification": {"type": "hosted"},
    }
    if expires:
        doc["expires"] = expires
    return doc


def credential_v3(
    name: str, identity_hash: str, salt: str = "", valid_until: str = "", hashed: bool = True
) -> dict:
    identifier = {
        "type": "IdentityObject",
        "identityType": "emailAddress",
        "hashed": hashed,
        "identityHash": identity_hash,
    }
    if salt:
        identifier["salt"] = salt
    doc = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "urn:uuid:8d4f2c55-0e2b-4a1b-9a63-3c0c8fd5a2a1",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {
            "id": "https://issuer.example.org/profile",
            "type": ["Profile"],
            "name": "Example Open University",
        },
        "validFrom": "2026-04-02T09:00:00Z",
        "name": name,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [identifier],
            "achievement": {
                "id": "https://issuer.example.org/achievements/7",
                "type": ["Achievement"],
                "name": name,
                "description": f"Description of {name}.",
                "criteria": {"narrative": f"Criteria of {name}."},
            },
        },
    }
    if valid_until:
        doc["validUntil"] = valid_until
    return doc


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def make_portfolio(root: Path, badges: bool = True) -> Path:
    """A small portfolio with public, unlisted, private and draft items, and badges."""
    write(
        root / "portfolio.yaml",
        f"""
        title: "Ada's portfolio"
        base_url: "{BASE_URL}"
        default_visibility: public
        author:
          name: "{NAME}"
          headline: "Student of physics </script><b>not bold</b>"
          email: "{EMAIL}"
          links:
            github: "https://github.com/ada-canary"
        """,
    )
    write(root / "about.md", "I study physics and keep this portfolio.\n")
    write(
        root / "journal/2026-01-10-first-steps.md",
        """
        ---
        title: "First steps </script><script>alert(1)</script>"
        date: 2026-01-10
        kind: question
        tags: [alpha, group work]
        skills: [teamwork, communication]
        course: Teamwork MOOC
        resources:
          - {title: "Teamwork MOOC", url: "https://mooc.example.org/teamwork", type: mooc}
        ---
        Where do I **start**? A list:

        - one
        - two

        A [link](https://example.org/page) and *emphasis*.
        """,
    )
    write(
        root / "journal/2026-01-20-plan-for-spring.md",
        """
        ---
        title: Plan for spring
        date: 2026-01-20
        kind: plan
        tags: [planning]
        skills: [learning-to-learn]
        ---
        I will follow **two** MOOCs.
        """,
    )
    write(
        root / "journal/2026-01-12-secret.md",
        """
        ---
        title: PRIVATE-CANARY-TITLE
        date: 2026-01-12
        visibility: private
        skills: [teamwork]
        tags: [private-tag]
        ---
        PRIVATE-CANARY-BODY
        """,
    )
    write(
        root / "journal/2026-01-15-unlisted.md",
        """
        ---
        title: Unlisted note
        date: 2026-01-15
        visibility: unlisted
        ---
        UNLISTED-CANARY-BODY
        """,
    )
    write(
        root / "journal/2026-01-16-draft.md",
        """
        ---
        title: DRAFT-CANARY
        date: 2026-01-16
        draft: true
        ---
        DRAFT-CANARY
        """,
    )
    write(root / "artefacts/poster/poster.png", png_bytes((200, 120, 40)))
    write(
        root / "artefacts/poster/index.md",
        """
        ---
        title: Science poster
        date: 2026-02-01
        type: image
        role: designer
        context: First-year lab
        tags: [poster]
        skills:
          - {skill: communication, evidence: "I explained the result to visitors."}
          - content-creation
        media:
          - {src: poster.png, alt: "The poster", caption: "Final version"}
        ---
        How I made the **poster**.
        """,
    )
    write(
        root / "artefacts/hidden-work.md",
        """
        ---
        title: PRIVATE-ARTEFACT-CANARY
        date: 2026-02-03
        visibility: private
        ---
        Nothing to see.
        """,
    )
    if badges:
        add_badges(root)
    return root


def add_badges(root: Path) -> None:
    b = root / "badges"
    salt = "s4lt"
    write(
        b / "teamwork.png",
        bake_png_pillow(assertion_v2("Teamwork Badge", sha256_identity(EMAIL, salt), True, salt)),
    )
    write(
        b / "teamwork.yaml",
        """
        skills: [teamwork]
        evidence: [2026-01-10-first-steps, artefacts/poster, journal/2026-01-12-secret, 2026-01-15-unlisted]
        visibility: public
        note: Earned in the MOOC.
        """,
    )
    write(
        b / "plain-svg.svg",
        bake_svg(json.dumps(assertion_v2("Plain Recipient SVG Badge", EMAIL, False)), "2.0"),
    )
    write(b / "plain-svg.yaml", "visibility: public\nskills: [communication]\n")
    write(
        b / "credential.png",
        bake_png_by_hand(
            "openbadgecredential",
            json.dumps(credential_v3("Credential PNG Badge", sha256_identity(EMAIL, "pep"), "pep")),
        ),
    )
    write(b / "credential.yaml", "visibility: public\nskills: [content-creation]\n")
    write(
        b / "expired.svg",
        bake_svg(
            json.dumps(
                credential_v3(
                    "Expired SVG Credential", md5_identity(EMAIL, ""), valid_until="2026-01-31T00:00:00Z"
                )
            ),
            "3.0",
        ),
    )
    write(b / "expired.yaml", "visibility: public\n")
    write(
        b / "someone-else.json",
        json.dumps(
            assertion_v2("Someone Else's Badge", sha256_identity("other@example.org", "x"), True, "x"),
            indent=2,
        ),
    )
    write(b / "someone-else.yaml", "visibility: public\n")
    write(b / "secret.json", json.dumps(assertion_v2("PRIVATE-BADGE-CANARY", EMAIL, False), indent=2))
    write(b / "secret.yaml", "visibility: private\nskills: [teamwork]\n")


def all_output_bytes(folder: Path) -> list[tuple[Path, bytes]]:
    return [(p, p.read_bytes()) for p in sorted(folder.rglob("*")) if p.is_file()]
