"""Make the example portfolio's badges: a baked PNG (Open Badges 2.0) and a
baked SVG (Open Badges 3.0), each issued to the example author's email
address as a salted sha256 hash, with sidecars linking skills and evidence.

    .venv/bin/python bench/make_example_badges.py [PORTFOLIO]

Baking follows the Open Badges baking specifications: an uncompressed iTXt
chunk 'openbadges' (2.0) written with Pillow, and an <openbadges:credential>
element whose JSON sits in CDATA (3.0).
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

EMAIL = "lucia.ortega@example.org"
ISSUER = {
    "id": "https://openlearning.example.org/issuer.json",
    "type": "Profile",
    "name": "Leuven Open Learning Lab",
    "url": "https://openlearning.example.org/",
}


def hashed(email: str, salt: str) -> str:
    return "sha256$" + hashlib.sha256((email + salt).encode()).hexdigest()


def badge_png(path: Path, text: str, colour: tuple[int, int, int], assertion: dict) -> None:
    from PIL import Image, ImageDraw, ImageFont
    from PIL.PngImagePlugin import PngInfo

    size = 400
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, size - 8, size - 8), fill=colour + (255,))
    draw.ellipse((36, 36, size - 36, size - 36), outline=(255, 255, 255, 220), width=6)
    try:
        font = ImageFont.truetype("DejaVuSans-Bold.ttf", 46)
        small = ImageFont.truetype("DejaVuSans.ttf", 26)
    except OSError:
        font = small = ImageFont.load_default()
    for i, line in enumerate(text.split("\n")):
        draw.text((size / 2, 160 + i * 58), line, fill="white", font=font, anchor="mm")
    draw.text((size / 2, 300), "MOOC · 2026", fill=(255, 255, 255, 230), font=small, anchor="mm")
    info = PngInfo()
    info.add_itxt("openbadges", json.dumps(assertion, indent=2), lang="", tkey="", zip=False)
    image.save(path, pnginfo=info)


def teamwork_assertion() -> dict:
    salt = "deadsea"
    return {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": "https://openlearning.example.org/assertions/8c1f2a.json",
        "recipient": {"type": "email", "hashed": True, "salt": salt, "identity": hashed(EMAIL, salt)},
        "badge": {
            "type": "BadgeClass",
            "id": "https://openlearning.example.org/badges/teamwork-online.json",
            "name": "Teamwork in Online Groups",
            "description": "Completed the six-week MOOC on working in distributed student teams, "
            "with a peer-reviewed team retrospective.",
            "image": "https://openlearning.example.org/badges/teamwork-online.png",
            "criteria": {
                "narrative": "Finish all six weekly activities, take part in a team "
                "project and submit a retrospective reviewed by two peers."
            },
            "issuer": ISSUER,
            "alignment": [
                {
                    "targetName": "collaborating in teams and networks",
                    "targetUrl": "http://data.europa.eu/esco/skill/T4.3",
                }
            ],
        },
        "issuedOn": "2026-03-28T10:00:00Z",
        "verification": {"type": "hosted"},
    }


def content_credential() -> dict:
    salt = "7f3b1e"
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "https://openlearning.example.org/credentials/5d20e4",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": ISSUER,
        "validFrom": "2026-05-20T09:00:00Z",
        "name": "Explaining Science with Digital Media",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "emailAddress",
                    "hashed": True,
                    "salt": salt,
                    "identityHash": hashed(EMAIL, salt),
                }
            ],
            "achievement": {
                "id": "https://openlearning.example.org/achievements/science-media",
                "type": ["Achievement"],
                "name": "Explaining Science with Digital Media",
                "description": "Produced an infographic and a short analysis notebook that explain "
                "a physics result to a general audience.",
                "criteria": {
                    "narrative": "Publish two pieces of digital content about your own "
                    "experiment, with sources and a licence, and revise them "
                    "after feedback."
                },
            },
        },
    }


SVG = """<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0" viewBox="0 0 200 200" width="200" height="200">
<openbadges:credential><![CDATA[{data}]]></openbadges:credential>
<title>Explaining Science with Digital Media</title>
<circle cx="100" cy="100" r="96" fill="#22599e"/>
<circle cx="100" cy="100" r="82" fill="none" stroke="#ffffff" stroke-opacity=".85" stroke-width="3"/>
<path d="M58 112 q21 -36 42 0 t42 0" fill="none" stroke="#ffffff" stroke-width="6" stroke-linecap="round"/>
<text x="100" y="76" text-anchor="middle" font-family="DejaVu Sans, sans-serif" font-weight="bold" font-size="19" fill="#ffffff">Science</text>
<text x="100" y="156" text-anchor="middle" font-family="DejaVu Sans, sans-serif" font-size="14" fill="#ffffff">digital media</text>
</svg>
"""


def main(root: Path) -> None:
    folder = root / "badges"
    folder.mkdir(exist_ok=True)
    badge_png(folder / "teamwork-online.png", "Teamwork\nonline", (11, 100, 98), teamwork_assertion())
    (folder / "teamwork-online.yaml").write_text(
        "skills: [teamwork, communication]\n"
        "evidence:\n"
        "  - journal/2026-02-24-week-one-of-the-teamwork-mooc\n"
        "  - journal/2026-03-19-defending-the-scenario\n"
        "  - physics-group-video\n"
        "visibility: public\n"
        "note: The first badge I earned; the retrospective was harder than the quizzes.\n",
        encoding="utf-8",
    )
    (folder / "science-media.svg").write_text(
        SVG.replace("{data}", json.dumps(content_credential(), indent=2)), encoding="utf-8"
    )
    (folder / "science-media.yaml").write_text(
        "skills: [content-creation, digital-communication]\n"
        "evidence: [damping-infographic, pendulum-analysis-code]\n"
        "visibility: public\n",
        encoding="utf-8",
    )
    print(f"wrote 2 badges and their sidecars in {folder}")


if __name__ == "__main__":
    main(
        Path(
            sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "example-portfolio"
        )
    )
