"""Write tests/fixtures/golden-output/ again from tests/fixtures/golden-portfolio/ (`make regen-golden`).

Run it after a change that is meant to change the built site (a template, the theme, the
Markdown rendering), then read `git diff tests/fixtures/golden-output/` before committing."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from golden import regenerate  # noqa: E402

if __name__ == "__main__":
    folder = regenerate()
    print(f"wrote {folder}; review it with: git diff --stat -- {folder}")
