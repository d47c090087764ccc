"""A generated portfolio with a long journal, to look at and test long lists on a phone.

    python bench/long_journal.py OUT                  # 400 entries in OUT/
    python bench/long_journal.py OUT --entries 1000   # more
    python -m elenefolio build OUT                    # then build it

The journal covers three years (2023 to 2025) with every kind of entry, so it fills several
pages of the journal and of each kind; one skill (communication) and one tag (long-journal)
are on every entry, so their pages are paginated too. The content is written to break
narrow layouts: titles with long compound words and URLs without spaces, Greek, Arabic
(right to left), Chinese and Hebrew titles and bodies, long tags, wide tables, long code
lines and a wide formula. A few entries are private or drafts: a public build must show
and count none of them.

The browser test (tests/test_long_journal_browser.py) builds it and checks at 390 px that no
page is wider than the screen and that the boxes that scroll can be reached by keyboard.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

SKILLS = [
    "teamwork",
    "conflict-management",
    "negotiation",
    "leadership",
    "self-evaluation",
    "adaptability",
    "learning-to-learn",
    "analytical-skills",
    "creativity",
    "problem-solving",
]  # the eLene4work framework's skills, besides communication (on every entry)
KINDS = ["question", "plan", "reflection", "evaluation", "idea", "disappointment", "record"]
LONG_WORDS = [
    "Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherung",
    "pneumonoultramicroscopicsilicovolcanoconiosis",
    "epäjärjestelmällistyttämättömyydelläänsäkäänköhän",
    "anticonstitutionnellement-et-intergouvernementalisation",
    "Rindfleischetikettierungsüberwachungsaufgabenübertragungsgesetz",
]
URLS = [
    "https://example.org/a/very/long/path/that/never/breaks/on/its/own/because/it/has/no/spaces/index.html",
    "https://learning.example.net/courses/communication-in-groups/module-03/session-12?ref=portfolio&utm=none",
]
SCRIPTS = [
    ("el", "Αναστοχασμός για την ομαδική εργασία και την επικοινωνία", "Η ομάδα συναντήθηκε τρεις φορές."),
    ("ar", "تأملات في العمل الجماعي والتواصل مع الزملاء", "اجتمع الفريق ثلاث مرات هذا الأسبوع."),
    ("zh", "关于团队合作与沟通的反思以及下一步的学习计划", "小组这周开了三次会，我们讨论了分工。"),
    ("he", "מחשבות על עבודת צוות ותקשורת בקבוצה", "הקבוצה נפגשה שלוש פעמים השבוע."),
]
WORDS = (
    "group project measurement feedback interview mentor tutorial week plan lesson question "
    "idea deadline presentation experiment report agreement draft result colleague practice"
).split()


def sentence(rng: random.Random, n: int = 10) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def title_for(rng: random.Random, i: int) -> tuple[str, str]:
    """A title and the entry's language ("" for English)."""
    shape = i % 6
    if shape == 1:
        return f"{LONG_WORDS[i % len(LONG_WORDS)]} {i}", ""
    if shape == 3:
        return f"Notes on {URLS[i % len(URLS)]}", ""
    if shape == 5:
        lang, title, _ = SCRIPTS[(i // 6) % len(SCRIPTS)]
        return f"{title} {i}", lang
    return f"{sentence(rng, 5)[:-1]} {i}", ""


def body(rng: random.Random, i: int, lang: str) -> str:
    if lang:
        text = next(t for code, _title, t in SCRIPTS if code == lang)
        return f"{text} {text}\n\n{text}\n"
    parts = [
        " ".join(sentence(rng) for _ in range(3)),
        f"Read {URLS[i % len(URLS)]} and {LONG_WORDS[i % len(LONG_WORDS)]}.",
    ]
    if i % 4 == 0:
        columns = " | ".join(f"Measurement {c} ({LONG_WORDS[c % len(LONG_WORDS)][:20]})" for c in range(8))
        parts.append(f"| {columns} |\n|{'---|' * 8}\n| " + " | ".join(str(c * i) for c in range(8)) + " |")
    if i % 4 == 2:
        parts.append(
            "```python\nresult = compute_the_period_of_the_pendulum(length_in_metres=0.5, "
            "gravity=9.81, damping=None, sail_area_in_square_centimetres=12.5)  # a long line\n```"
        )
    return "\n\n".join(parts) + "\n"


def generate(root: Path, entries: int = 400, seed: int = 21) -> Path:
    """Write the portfolio in ``root`` (replaced); return ``root``."""
    rng = random.Random(seed)
    shutil.rmtree(root, ignore_errors=True)
    (root / "journal").mkdir(parents=True)
    (root / "artefacts").mkdir()
    (root / "portfolio.yaml").write_text(
        'title: "A long journal"\nbase_url: "https://example.org/long/"\n'
        "default_visibility: public\nauthor:\n  name: Lena Long\n  headline: Three years of notes\n",
        encoding="utf-8",
    )
    (root / "about.md").write_text("A generated portfolio with a long journal.\n", encoding="utf-8")
    for i in range(entries):
        day_number = i * (3 * 365) // entries  # spread over 2023, 2024 and 2025
        year = 2023 + day_number // 365
        month = 1 + (day_number % 365) // 31
        day = 1 + (day_number % 365) % 31 % 28
        title, lang = title_for(rng, i)
        skills = ["communication", *rng.sample(SKILLS, rng.randint(0, 2))]
        tags = ["long-journal", f"week-{i % 20}"]
        if i % 7 == 0:
            tags.append(LONG_WORDS[i % len(LONG_WORDS)].lower())
        extra = ""
        if i % 50 == 7:
            extra = "visibility: private\n"
            title = f"PRIVATE-CANARY {i}"
        elif i % 50 == 23:
            extra = "draft: true\n"
            title = f"DRAFT-CANARY {i}"
        meta = (
            f"title: {title!r}\ndate: {year}-{month:02d}-{day:02d}\nkind: {KINDS[i % len(KINDS)]}\n"
            f"skills: [{', '.join(skills)}]\ntags: [{', '.join(tags)}]\n{extra}"
        )
        if lang:
            meta += f"lang: {lang}\n"
        (root / "journal" / f"entry-{i:04d}.md").write_text(
            f"---\n{meta}---\n\n{body(rng, i, lang)}", encoding="utf-8"
        )
    for i in range(entries // 8):
        claims = "".join(
            f"  - skill: {s}\n    evidence: {sentence(rng, 8)}\n" for s in ("communication", "teamwork")
        )
        title = f"Artefact {LONG_WORDS[i % len(LONG_WORDS)]} {i}" if i % 2 else f"Artefact {i}: {URLS[0]}"
        (root / "artefacts" / f"artefact-{i:03d}.md").write_text(
            f"---\ntitle: {title!r}\ndate: {2023 + i % 3}-{1 + i % 12:02d}-{1 + i % 28:02d}\ntype: document\n"
            f"skills:\n{claims}tags: [long-journal]\n---\n\n{sentence(rng)} {URLS[1]}\n",
            encoding="utf-8",
        )
    return root


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="the folder to write (replaced)")
    parser.add_argument("--entries", type=int, default=400)
    args = parser.parse_args()
    generate(args.out, args.entries)
    print(f"{args.entries} journal entries written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
