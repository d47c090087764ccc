"""Benchmark of the education passport on a synthetic portfolio.

Generates a portfolio with 500 journal entries and 50 artefacts (with
images) in a temporary folder, renders its passport and reports the
total time and the time spent outside WeasyPrint's own parsing, layout
and PDF writing. Then renders again to show the cache at work.

    python bench/passport_bench.py [--entries 500] [--artefacts 50] [--keep]

Not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import time
from pathlib import Path

SKILLS = [
    "communication",
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
    "information-processing",
    "digital-communication",
    "content-creation",
    "digital-problem-solving",
]
KINDS = ["question", "plan", "reflection", "evaluation", "idea", "disappointment", "record"]
WORDS = (
    "the group we lab pendulum damping question plan film data report listen "
    "explain choose decide learn try again why because measure write talk share "
    "result error model curve friction air swing energy time week meeting"
).split()


def sentence(rng: random.Random, n: int = 14) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random, sentences: int = 5) -> str:
    return " ".join(sentence(rng) for _ in range(sentences))


def make_portfolio(root: Path, entries: int, artefacts: int, seed: int = 4) -> None:
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    (root / "journal").mkdir(parents=True)
    (root / "artefacts").mkdir()
    (root / "static").mkdir()
    Image.new("RGB", (800, 800), (127, 169, 171)).save(root / "static" / "me.jpg")
    (root / "portfolio.yaml").write_text(
        'title: "Synthetic portfolio"\nbase_url: "https://bench.example.org/"\n'
        'default_visibility: public\nauthor:\n  name: "Bench Marker"\n'
        '  headline: "A portfolio made of random words"\n  photo: static/me.jpg\n',
        encoding="utf-8",
    )
    (root / "about.md").write_text("\n\n".join(paragraph(rng) for _ in range(3)), encoding="utf-8")
    for i in range(entries):
        day = f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}"
        skills = ", ".join(rng.sample(SKILLS, 2))
        body = "\n\n".join(paragraph(rng, rng.randint(2, 6)) for _ in range(rng.randint(1, 4)))
        (root / "journal" / f"entry-{i:03d}.md").write_text(
            f'---\ntitle: "Entry {i}: {sentence(rng, 5)[:-1]}"\ndate: {day}\n'
            f"kind: {rng.choice(KINDS)}\nskills: [{skills}]\n"
            f"passport: {'true' if i % 25 == 0 else 'false'}\n---\n\n{body}\n",
            encoding="utf-8",
        )
    for i in range(artefacts):
        folder = root / "artefacts" / f"artefact-{i:02d}"
        folder.mkdir()
        image = Image.new("RGB", (2400, 1600), (240, 236, 228))
        draw = ImageDraw.Draw(image)
        for _ in range(40):
            x, y = rng.randrange(2400), rng.randrange(1600)
            draw.ellipse((x, y, x + 200, y + 200), fill=(rng.randrange(256), 110, 120))
        image.save(folder / "figure.jpg", quality=92)
        claims = "".join(
            f'  - skill: {s}\n    evidence: "{sentence(rng, 18)}"\n' for s in rng.sample(SKILLS, 3)
        )
        body = "\n\n".join(paragraph(rng) for _ in range(4))
        (folder / "index.md").write_text(
            f'---\ntitle: "Artefact {i}: {sentence(rng, 6)[:-1]}"\ndate: 2026-{1 + i % 12:02d}-15\n'
            f"type: image\nfeatured: {'true' if i % 4 == 0 else 'false'}\n"
            f'media:\n  - src: figure.jpg\n    alt: "Circles"\ncontext: "{sentence(rng, 8)}"\n'
            f'role: "Author"\nskills:\n{claims}---\n\n{body}\n',
            encoding="utf-8",
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=500)
    parser.add_argument("--artefacts", type=int, default=50)
    parser.add_argument("--keep", action="store_true", help="keep the generated portfolio")
    args = parser.parse_args()

    from elenefolio.load import load_portfolio
    from elenefolio.passport import make_passport
    from elenefolio.problems import Problems
    from elenefolio.site import build_site
    from elenefolio.site.audience import Audience

    folder = Path(tempfile.mkdtemp(prefix="passport-bench-"))
    root = folder / "portfolio"
    try:
        start = time.perf_counter()
        make_portfolio(root, args.entries, args.artefacts)
        print(
            f"generated {args.entries} entries and {args.artefacts} artefacts "
            f"in {time.perf_counter() - start:.2f} s"
        )

        def site():
            clock = time.perf_counter()
            problems = Problems(root)
            portfolio = load_portfolio(root, problems)
            built = build_site(portfolio, Audience(), problems)
            if problems.errors:
                raise SystemExit("\n".join(map(str, problems.errors)))
            return built, time.perf_counter() - clock

        def render(label: str) -> None:
            built, load_seconds = site()
            clock = time.perf_counter()
            result = make_passport(built)
            total = time.perf_counter() - clock
            print(f"\n{label}")
            print(f"  load + site (shared with the website build): {load_seconds:.2f} s")
            if result.cached:
                print(f"  passport reused from the cache in {total:.2f} s ({result.pages} pages)")
                return
            weasy = sum(v for k, v in result.timings.items() if k.startswith("weasyprint"))
            print(
                f"  passport: {result.pages} pages, {result.path.stat().st_size / 1e6:.1f} MB, "
                f"{total:.2f} s in total"
            )
            for stage, seconds in result.timings.items():
                print(f"    {stage:<18} {seconds:7.2f} s")
            print(
                f"  outside WeasyPrint: {total - weasy:.2f} s ({(total - weasy) / total:.0%}); "
                f"WeasyPrint parse + layout + PDF: {weasy:.2f} s"
            )

        render("first passport (images resized, QR codes drawn):")
        render("nothing changed:")
        entry = root / "journal" / "entry-000.md"
        entry.write_text(entry.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
        render("one journal entry changed (images and QR codes from the cache):")
    finally:
        if args.keep:
            print(f"portfolio kept in {root}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
