"""Shared helpers of the adversarial suite: one small portfolio per attack, written by
the test, and the real command line run in a child process (so that a traceback, a hang
or a kill shows exactly as a learner would see it)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import yaml

CANARY = "canarysecret7731"  # text that must never reach any output


def settings(**extra) -> str:
    data = {
        "title": "Attack test",
        "base_url": "https://example.org/",
        "language": "en",
        "default_visibility": "public",
        "author": {"name": "Ada Tester"},
    }
    data.update(extra)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def md(title: str, body: str = "Some text.", date: str = "2026-03-01", **fields) -> str:
    lines = ["---", f"title: {title!r}", f"date: {date}"]
    lines += [f"{key}: {value}" for key, value in fields.items()]
    return "\n".join([*lines, "---", "", textwrap.dedent(body).strip("\n"), ""])


def portfolio(root: Path, files: dict[str, str | bytes] | None = None, **config) -> Path:
    """A minimal valid portfolio at ``root`` with one public entry, plus ``files``
    (relative path -> text or bytes; ``portfolio.yaml`` may be replaced)."""
    base = {
        "portfolio.yaml": settings(**config),
        "journal/2026-03-01-first.md": md("First entry", "A public entry."),
    }
    base.update(files or {})
    root.mkdir(parents=True, exist_ok=True)
    for rel, content in base.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.strip()]


def cli(
    *argv: str | Path, cwd: Path | None = None, timeout: float = 120, env: dict[str, str] | None = None
) -> Run:
    """``elenefolio ARGV`` in a child process; never a traceback."""
    full_env = dict(os.environ, PYTHONUNBUFFERED="1", **(env or {}))
    proc = subprocess.run(
        [sys.executable, "-m", "elenefolio", *map(str, argv)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        env=full_env,
    )
    run = Run(proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in run.err + run.out, run.err
    return run


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder``: relative path -> bytes (for comparing whole sites)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def leaks(folder: Path, needle: str | bytes) -> list[str]:
    """Files below ``folder`` whose path or bytes hold ``needle``."""
    needle_b = needle.encode() if isinstance(needle, str) else needle
    return [
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if needle_b.decode(errors="ignore") in p.as_posix() or (p.is_file() and needle_b in p.read_bytes())
    ]


GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Ada Tester",
    "GIT_AUTHOR_EMAIL": "ada@example.org",
    "GIT_COMMITTER_NAME": "Ada Tester",
    "GIT_COMMITTER_EMAIL": "ada@example.org",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}


def git(repo: Path, *args: str, date: str | None = None) -> str:
    """Real git in ``repo`` with a fixed identity (and commit dates when ``date`` is given)."""
    env = dict(os.environ, **GIT_IDENTITY)
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    proc = subprocess.run(
        ["git", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def commit_all(repo: Path, message: str = "Update", date: str | None = None) -> str:
    """``git add -A`` and commit everything in ``repo`` (made a repository first if need be);
    the new commit's id."""
    if not (repo / ".git").exists():
        git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message, date=date)
    return git(repo, "rev-parse", "HEAD")


def png(size: tuple[int, int], colour: tuple[int, int, int]) -> bytes:
    """A plain PNG picture; give each test picture a size no other picture has."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def image_sizes(pdf: Path) -> set[tuple[int, int]]:
    """The size of every picture in a PDF (also those of backgrounds, not only of pages)."""
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    sizes = set()
    for number in range(1, reader.trailer["/Size"]):
        obj = reader.get_object(number)
        if hasattr(obj, "get") and obj.get("/Subtype") == "/Image":
            sizes.add((int(obj["/Width"]), int(obj["/Height"])))
    return sizes


def line_of(text: str, needle: str) -> int:
    """The first line of ``text`` that holds ``needle``."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)
