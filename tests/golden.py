"""Golden output: the site built from tests/fixtures/golden-portfolio/, as it is expected.

The expected site is committed in tests/fixtures/golden-output/:

- ``site/``: every page, feed and other text file of the output, normalised (see ``normalised``);
- ``MANIFEST``: one line per output file: ``text`` (compared with ``site/``), ``sha256 <hash>``
  (images and the theme's assets, compared by hash) or, for the search index, one line per kind
  of Pagefind file with its number of files (Pagefind's own file names are hashes of its output,
  which changes with its version; what matters here is which pages are indexed, and how many).

tests/test_golden.py builds the fixture and compares; ``make regen-golden``
(``python tests/regen_golden.py``) writes the expected site again after an intended change.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PORTFOLIO = FIXTURES / "golden-portfolio"
EXPECTED = FIXTURES / "golden-output"
# The build's date (2026-01-01 UTC): the footer's year and everything else dated "today".
SOURCE_DATE_EPOCH = "1767225600"
TEXT_SUFFIXES = (".html", ".xml", ".txt", ".json")
GENERATOR = re.compile(r"elenefolio \d[\w.+-]*")
PAGEFIND_HASH = re.compile(r"(?<=[_.])[0-9a-f]{7,}(?=\.)")


def build(workdir: Path) -> Path:
    """Build a copy of the golden portfolio in ``workdir`` and return its output folder.

    The copy is built outside any git work tree (dates from git would depend on when the
    fixture was committed), with a fixed build date, in a process of its own as a user runs it."""
    portfolio = workdir / "portfolio"
    shutil.copytree(PORTFOLIO, portfolio)
    env = dict(os.environ, SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH)
    env.setdefault("ELENEFOLIO_CACHE_KEY_FILE", str(workdir / "cache-key"))
    done = subprocess.run(
        [sys.executable, "-m", "elenefolio", "build", str(portfolio), "-q"],
        env=env,
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode != 0:
        raise AssertionError(f"the golden portfolio did not build:\n{done.stdout}{done.stderr}")
    return portfolio / "_site"


def normalised(text: str) -> str:
    """A text output without what may change from build to build or only in layout: the
    version in the generator name, each line's leading and trailing spaces, blank lines."""
    text = GENERATOR.sub("elenefolio VERSION", text)
    return "".join(line.strip() + "\n" for line in text.splitlines() if line.strip())


def snapshot(site: Path) -> tuple[list[str], dict[str, str]]:
    """The manifest lines of the output folder ``site`` and its normalised text files."""
    lines, texts = [], {}
    search = Counter()
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        name = path.relative_to(site).as_posix()
        if name.startswith("pagefind/") and name != "pagefind/shards.json":
            search[PAGEFIND_HASH.sub("*", name)] += 1
        elif name.endswith(TEXT_SUFFIXES) and not name.startswith("assets/"):
            texts[name] = normalised(path.read_text(encoding="utf-8"))
            lines.append(f"{name} text")
        else:
            lines.append(f"{name} sha256 {hashlib.sha256(path.read_bytes()).hexdigest()}")
    lines += [f"{name} search-index {count} file(s)" for name, count in sorted(search.items())]
    return sorted(lines), texts


def expected() -> tuple[list[str], dict[str, str]]:
    """The committed manifest and normalised text files."""
    lines = (EXPECTED / "MANIFEST").read_text(encoding="utf-8").splitlines()
    site = EXPECTED / "site"
    texts = {
        p.relative_to(site).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }
    return lines, texts


def differences(actual: tuple[list[str], dict[str, str]], wanted: tuple[list[str], dict[str, str]]) -> str:
    """A readable report of every difference (unified diffs), or an empty string."""
    report = []
    manifest = list(
        difflib.unified_diff(wanted[0], actual[0], "expected MANIFEST", "built MANIFEST", lineterm="", n=1)
    )
    if manifest:
        report.append("\n".join(manifest))
    for name in sorted(set(actual[1]) & set(wanted[1])):
        if actual[1][name] != wanted[1][name]:
            report.append(
                "".join(
                    difflib.unified_diff(
                        wanted[1][name].splitlines(keepends=True),
                        actual[1][name].splitlines(keepends=True),
                        f"expected {name}",
                        f"built {name}",
                        n=2,
                    )
                )
            )
    return "\n".join(report)


def regenerate() -> Path:
    """Build the golden portfolio and write its output as the expected one."""
    with tempfile.TemporaryDirectory(prefix="elenefolio-golden-") as work:
        lines, texts = snapshot(build(Path(work)))
    shutil.rmtree(EXPECTED, ignore_errors=True)
    for name, text in texts.items():
        target = EXPECTED / "site" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    (EXPECTED / "MANIFEST").write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return EXPECTED
