"""A crafted build cache: a copied portfolio (a classmate's, a template, a tutor's starter)
may come with a ``.elenefolio-cache/`` made to run code when it is loaded, to put content
of its own in the learner's site or passport, or to lead the build outside the portfolio.
Loading it must never run code; it is discarded (one warning) and the site is rebuilt."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import stat
from pathlib import Path

import jinja2.bccache
import pytest
from attack_support import CANARY, cli, md, portfolio, tree
from pypdf import PdfReader

WARNING = (
    ".elenefolio-cache:1: warning: the build cache was not written by this user's "
    "elenefolio and was discarded"
)


class RunsCode:
    """Unpickling this writes the marker file."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return exec, (f"open({str(self.marker)!r}, 'w').write('ran')",)


@pytest.fixture
def key_env(tmp_path: Path) -> dict[str, str]:
    return {"ELENEFOLIO_CACHE_KEY_FILE": str(tmp_path / "home" / "cache-key")}


def built(root: Path, env: dict[str, str], *extra: str):
    run = cli("build", root, *extra, env=env)
    assert run.code == 0, run.err
    return run


def cache_files(root: Path) -> list[Path]:
    return [p for p in (root / ".elenefolio-cache").rglob("*") if p.is_file() and p.name != ".gitignore"]


def edit(root: Path) -> None:
    """Change an entry so that the next build loads and renders again."""
    (root / "journal/2026-03-01-first.md").write_text(md("First entry", "An edited public entry."))


def clean_output(root: Path, env: dict[str, str]) -> dict[str, bytes]:
    built(root, env, "--no-cache", "-o", root.parent / "clean")
    return tree(root.parent / "clean")


def assert_discarded_once(run, root: Path, env: dict[str, str]) -> None:
    assert [line for line in run.lines if "warning" in line] == [WARNING], run.err
    assert tree(root / "_site") == clean_output(root, env)


def test_malicious_pickle_in_every_cache_file_never_runs(tmp_path, key_env):
    root = portfolio(tmp_path / "p")
    built(root, key_env)
    marker = tmp_path / "MARKER"
    for path in cache_files(root):
        path.write_bytes(pickle.dumps(RunsCode(marker)))
    edit(root)
    run = built(root, key_env)
    assert not marker.exists()
    assert_discarded_once(run, root, key_env)
    assert not any(line for line in built(root, key_env).lines)  # discarded once, then clean


@pytest.mark.slow  # a sequence of builds, each compared with a clean build
def test_crafted_compiled_template_never_runs(tmp_path, key_env):
    """Jinja's file cache unpickles a checksum from any file with the right name and header."""
    root = portfolio(tmp_path / "p")
    built(root, key_env)
    marker = tmp_path / "MARKER"
    folders = [p for p in (root / ".elenefolio-cache").glob("*/templates") if p.is_dir()]
    assert folders
    poison = jinja2.bccache.bc_magic + pickle.dumps(RunsCode(marker))
    for folder in folders:
        for path in list(folder.iterdir()):
            key = path.name.removeprefix("__jinja2_").removesuffix(".cache")
            for name in (f"__jinja2_{key}.cache", f"{key}.cache"):  # Jinja's naming, and any other
                (folder / name).write_bytes(poison)
    edit(root)
    run = built(root, key_env)
    assert not marker.exists()
    assert_discarded_once(run, root, key_env)


@pytest.mark.slow  # a sequence of builds, each compared with a clean build
@pytest.mark.parametrize("damage", ["truncated", "random"])
def test_damaged_cache_files_are_rebuilt(tmp_path, key_env, damage):
    root = portfolio(tmp_path / "p")
    built(root, key_env)
    for path in cache_files(root):
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2] if damage == "truncated" else os.urandom(len(data)))
    edit(root)
    run = built(root, key_env)
    assert_discarded_once(run, root, key_env)


@pytest.mark.slow  # a sequence of builds, each compared with a clean build
def test_cache_sealed_with_another_key_is_discarded(tmp_path, key_env):
    """A cache built on another machine (another user's key) is not trusted."""
    root = portfolio(tmp_path / "p")
    built(root, {"ELENEFOLIO_CACHE_KEY_FILE": str(tmp_path / "other" / "cache-key")})
    edit(root)
    run = built(root, key_env)
    assert_discarded_once(run, root, key_env)
    edit_again = root / "journal/2026-03-02-second.md"
    edit_again.write_text(md("Second entry", "Another public entry.", date="2026-03-02"))
    assert not built(root, key_env).lines  # this user's own cache: no warning


def test_key_file_is_private_to_its_owner(tmp_path, key_env):
    root = portfolio(tmp_path / "p")
    built(root, key_env)
    key = Path(key_env["ELENEFOLIO_CACHE_KEY_FILE"])
    assert len(key.read_bytes()) == 32
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    before = key.read_bytes()
    built(root, key_env)
    assert key.read_bytes() == before  # created once


@pytest.mark.slow  # a sequence of builds: seconds
def test_no_place_for_the_key_builds_without_a_lasting_cache(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    env = {"ELENEFOLIO_CACHE_KEY_FILE": str(blocker / "cache-key")}  # fails even for root
    root = portfolio(tmp_path / "p")
    first = built(root, env)
    edit(root)
    second = built(root, env)
    assert not first.lines and not second.lines
    assert tree(root / "_site") == clean_output(root, env)


def test_linked_cache_folder_is_never_followed(tmp_path, key_env):
    """A link in the cache could lead the build's writes and deletions anywhere."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.txt").write_text(CANARY)
    root = portfolio(tmp_path / "p")
    (root / ".elenefolio-cache").symlink_to(outside, target_is_directory=True)
    run = built(root, key_env)
    assert [p.name for p in outside.iterdir()] == ["precious.txt"]
    assert (outside / "precious.txt").read_text() == CANARY
    assert [line for line in run.lines if "warning" in line] == [WARNING]
    assert not (root / ".elenefolio-cache").is_symlink()


@pytest.mark.slow  # makes a passport (PDF)
def test_linked_picture_cache_is_never_pruned(tmp_path, key_env):
    """The passport deletes the resized pictures it no longer uses: never through a link."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.txt").write_text("the learner's own file")
    root = portfolio(tmp_path / "p")
    passport = root / ".elenefolio-cache" / "passport"
    passport.mkdir(parents=True)
    (passport / "images").symlink_to(outside, target_is_directory=True)
    run = built(root, key_env, "--pdf")
    assert (outside / "precious.txt").exists()
    assert [line for line in run.lines if "warning" in line] == [WARNING]


@pytest.mark.slow  # makes a passport (PDF)
def test_qr_cache_naming_an_outside_file_is_not_embedded(tmp_path, key_env):
    """A cached QR code is an address the PDF renderer loads: it could name any file."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="60">'
        f'<text x="0" y="40" font-size="30">{CANARY}</text></svg>'
    )
    root = portfolio(tmp_path / "p")
    qr = root / ".elenefolio-cache" / "passport" / "qr"
    qr.mkdir(parents=True)
    (qr / "public.json").write_text(json.dumps({"https://example.org/": (outside / "secret.svg").as_uri()}))
    run = built(root, key_env, "--pdf")
    text = "".join(page.extract_text() or "" for page in PdfReader(root / "_site/passport.pdf").pages)
    assert "Ada Tester" in text and CANARY not in text
    assert [line for line in run.lines if "warning" in line] == [WARNING]


@pytest.mark.slow  # makes a passport (PDF)
def test_passport_pdf_from_a_copied_cache_is_not_published(tmp_path, key_env):
    """A cached PDF with the key its known content gives is not this learner's passport."""
    root = portfolio(tmp_path / "p")
    built(root, {"ELENEFOLIO_CACHE_KEY_FILE": str(tmp_path / "other" / "cache-key")}, "--pdf")
    shutil.rmtree(root / "_site")
    for pdf in (root / ".elenefolio-cache" / "passport").glob("*.pdf"):
        pdf.write_bytes(pdf.read_bytes().replace(b"%%EOF", b"%%EOF\n%" + CANARY.encode()))
    built(root, key_env, "--pdf")
    assert CANARY.encode() not in (root / "_site/passport.pdf").read_bytes()


@pytest.mark.slow  # makes a passport (PDF)
def test_a_build_without_the_cache_makes_the_passport_again(tmp_path):
    """``build --no-cache --pdf`` reuses nothing from the cache, not even a stored passport
    that matches the portfolio: it is what a learner runs when they doubt what is stored."""
    root = portfolio(tmp_path / "p")
    first = cli("build", root, "--pdf", timeout=300)
    assert first.code == 0 and "passport made" in first.out, first.err
    assert list((root / ".elenefolio-cache" / "passport").glob("*.pdf"))  # stored, to be reused
    clean = cli("build", root, "--pdf", "--no-cache", timeout=300)
    assert clean.code == 0, clean.err
    assert "passport made" in clean.out and "reused" not in clean.out
    assert PdfReader(root / "_site" / "passport.pdf").pages
