"""Small portfolios for the self-assessment tests."""

from __future__ import annotations

import textwrap
from pathlib import Path

CONFIG = """\
title: Test portfolio
base_url: https://example.org/p/
author:
  name: Ada Tester
default_visibility: public
"""


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def portfolio(root: Path, extra_config: str = "", skills_yaml: str | None = None) -> Path:
    write(root, "portfolio.yaml", CONFIG + textwrap.dedent(extra_config))
    if skills_yaml is not None:
        write(root, "skills.yaml", skills_yaml)
    return root


def entry(
    root: Path, slug: str, date: str, skills: list[str], visibility: str = "public", body: str = "Some words."
) -> Path:
    return write(
        root,
        f"journal/{slug}.md",
        f"""\
---
title: "{slug.replace("-", " ").title()}"
date: {date}
skills: [{", ".join(skills)}]
visibility: {visibility}
---

{body}
""",
    )


SMALL_FRAMEWORK = """\
mode: replace
id: small
name: A small framework
areas:
  - id: people
    name: People
  - id: things
    name: Things
skills:
  - id: listening
    area: people
    name: Listening
    statements:
      - I listen to the end.
      - I check that I understood.
  - id: fixing
    area: things
    name: Fixing
    statements:
      - I can repair a bike.
      - I can repair a laptop.
"""
