"""Learners' portfolios kept in git: a shallow clone in the cohort's cache, pulled again
before each build.

Only the transports a roster may name are allowed (never ``ext::``, which runs commands),
git never asks for a password (a private repository needs a credential helper or an SSH
key set up beforehand), and a clone that takes longer than ``GIT_TIMEOUT`` is stopped.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

GIT_TIMEOUT = 600  # seconds for one clone or pull
ALLOWED_PROTOCOLS = "https:http:ssh:git:file"


class SourceFailed(Exception):
    """The learner's repository could not be cloned or pulled (one line)."""


def default_cache(roster: Path) -> Path:
    """Where a roster's clones live unless told: the user's cache, one folder per roster."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    key = hashlib.sha256(str(roster.resolve()).encode()).hexdigest()[:16]
    return base / "elenefolio" / "cohort" / key


def _git(args: list[str], cwd: Path | None = None) -> str:
    env = {
        **os.environ,
        "GIT_TERMINAL_PROMPT": "0",  # never wait for a password nobody will type
        "GIT_ALLOW_PROTOCOL": ALLOWED_PROTOCOLS,
        "GIT_CONFIG_NOSYSTEM": "1",
        "LC_ALL": "C",
    }
    env.pop("GIT_DIR", None)
    env.pop("GIT_WORK_TREE", None)
    try:
        done = subprocess.run(
            ["git", "-c", "advice.detachedHead=false", *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT,
            stdin=subprocess.DEVNULL,
        )
    except FileNotFoundError:
        raise SourceFailed("git is not installed; install it to build learners listed with 'git'") from None
    except subprocess.TimeoutExpired:
        raise SourceFailed(f"git took more than {GIT_TIMEOUT} s and was stopped") from None
    if done.returncode != 0:
        lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
        told = [line for line in lines if line.startswith(("fatal:", "error:"))] or lines
        raise SourceFailed(told[0] if told else f"git exited with {done.returncode}")
    return done.stdout


def fetch(url: str, ref: str, folder: Path) -> str:
    """Clone ``url`` (``ref``, or the default branch) into ``folder`` with a depth of one,
    or bring an earlier clone up to date; returns the commit built."""
    if (folder / ".git").is_dir():
        try:
            remote = _git(["config", "--get", "remote.origin.url"], folder).strip()
        except SourceFailed:
            remote = ""
        if remote == url:
            _git(["fetch", "--quiet", "--depth", "1", "origin", ref or "HEAD"], folder)
            _git(["reset", "--quiet", "--hard", "FETCH_HEAD"], folder)
            return _git(["rev-parse", "HEAD"], folder).strip()
        shutil.rmtree(folder)  # the roster now names another repository
    elif folder.exists():
        shutil.rmtree(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    branch = ["--branch", ref] if ref else []
    _git(["clone", "--quiet", "--depth", "1", "--no-recurse-submodules", *branch, "--", url, str(folder)])
    return _git(["rev-parse", "HEAD"], folder).strip()
