"""``elenefolio deploy``: push only the built public site to a branch of a remote.

The commit is made in a throwaway repository that holds nothing but the target branch and
the site's files, so no object of the portfolio's own history can be reachable from what is
pushed. The new commit's only parent is the branch's previous commit: the branch keeps its
history, and a push that is not a fast-forward (someone else deployed meanwhile) is refused
by git instead of overwriting it.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

SOURCE_MARKER = "portfolio.yaml"  # a branch holding this file holds a portfolio's sources
NOJEKYLL = ".nojekyll"  # GitHub Pages: serve the files as they are (folders starting with _)
KEEP_FROM_PREVIOUS = ("CNAME",)  # a custom domain set on the branch survives a deploy
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://|^[^/\\]+@[^/\\]+:")  # scheme:// or user@host:path


class DeployError(Exception):
    """A reason not to deploy, as one line for the learner."""


@dataclass
class Target:
    """Where the site goes."""

    remote: str  # as the learner wrote it, for messages
    url: str  # what git fetches from and pushes to
    branch: str
    own: bool  # the remote is the portfolio's own repository or one of its configured remotes

    def __str__(self) -> str:
        return f"branch '{self.branch}' of {self.remote}"


@dataclass
class Plan:
    """The commit to push, made but not yet pushed."""

    target: Target
    commit: str
    previous: str | None
    files: int
    message: str
    changed: bool  # False when the branch already holds exactly this site


def git(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None, input: bytes | None = None
) -> str:
    """Run git; its last line of error becomes a DeployError."""
    full_env = dict(os.environ, GIT_TERMINAL_PROMPT="0", LC_ALL="C", **(env or {}))
    try:
        proc = subprocess.run(
            ["git", *args],
            cwd=cwd,
            env=full_env,
            input=input,
            capture_output=True,
            stdin=None if input is not None else subprocess.DEVNULL,
        )
    except FileNotFoundError:
        raise DeployError("git is not installed: install git to deploy") from None
    if proc.returncode != 0:
        lines = [line for line in proc.stderr.decode(errors="replace").splitlines() if line.strip()]
        raise DeployError(f"git {args[0]} failed: {lines[-1].strip() if lines else 'no message'}")
    return proc.stdout.decode(errors="replace").strip()


def _try_git(*args: str, cwd: Path) -> str | None:
    try:
        return git(*args, cwd=cwd)
    except DeployError:
        return None


@dataclass
class SourceRepo:
    """The git repository the portfolio lives in, if any."""

    top: Path | None
    head: str | None  # commit of HEAD
    branch: str | None  # current branch name
    dirty: bool
    remotes: dict[str, str]  # name -> URL

    @classmethod
    def of(cls, root: Path) -> "SourceRepo":
        top = _try_git("rev-parse", "--show-toplevel", cwd=root)
        if not top:
            return cls(None, None, None, False, {})
        head = _try_git("rev-parse", "-q", "--verify", "HEAD^{commit}", cwd=root)
        branch = _try_git("symbolic-ref", "-q", "--short", "HEAD", cwd=root)
        status = _try_git("status", "--porcelain", "--untracked-files=no", "--", ".", cwd=root)
        names = (_try_git("remote", cwd=root) or "").split()
        remotes = {name: _try_git("remote", "get-url", name, cwd=root) or "" for name in names}
        return cls(Path(top).resolve(), head, branch, bool(status), remotes)

    def describe(self) -> str:
        """The source commit, as the deploy commit's message names it."""
        if self.top is None:
            return "a folder that is not under git"
        if self.head is None:
            return "a repository with no commit yet"
        return f"source commit {self.head}" + (" with uncommitted changes" if self.dirty else "")


def _same_place(url: str, folder: Path) -> bool:
    if _URL.match(url) and not url.startswith("file://"):
        return False
    path = Path(url.removeprefix("file://")).expanduser()
    try:
        path = path.resolve()
    except OSError:
        return False
    return path in (folder, folder / ".git")


def resolve_target(remote: str, branch: str, source: SourceRepo, cwd: Path) -> Target:
    """A configured remote's name, a URL or a folder → where git pushes."""
    if (
        not branch
        or branch.startswith("-")
        or _try_git("check-ref-format", "--branch", branch, cwd=cwd) is None
    ):
        raise DeployError(f"'{branch}' is not a valid branch name")
    if remote.startswith("-"):
        raise DeployError(f"'{remote}' is not a remote: a URL, a folder or a remote's name")
    if remote in source.remotes:
        url, own = source.remotes[remote], True
    elif _URL.match(remote):
        url = remote
        own = remote in source.remotes.values()
    else:
        folder = (cwd / Path(remote).expanduser()).resolve()
        if not folder.is_dir():
            known = ", ".join(sorted(source.remotes)) or "none"
            raise DeployError(
                f"remote '{remote}' is not a URL, an existing folder or a remote of the "
                f"portfolio's repository (its remotes: {known})"
            )
        url = str(folder)
        own = (
            source.top is not None
            and _same_place(url, source.top)
            or any(_same_place(u, folder) for u in source.remotes.values())
        )
    if url.startswith("-"):  # a configured remote's address that git would read as an option
        raise DeployError(f"remote '{remote}' has the address '{url}', which is not one")
    if own and branch == source.branch:
        raise DeployError(
            f"refusing to deploy to {Target(remote, url, branch, own)}: it is the branch "
            "that holds your portfolio's sources; deploy to another branch "
            "(--branch gh-pages) or another repository"
        )
    return Target(remote, url, branch, own)


def plan(
    site: Path,
    target: Target,
    source: SourceRepo,
    work: Path,
    message: str | None = None,
    identity: dict[str, str] | None = None,
) -> Plan:
    """Fetch the target branch into a fresh repository at ``work`` and commit ``site`` on it."""
    repo = work / "repo.git"
    git("init", "-q", "--bare", str(repo))
    env = {"GIT_DIR": str(repo)}
    ref = f"refs/heads/{target.branch}"
    if git("ls-remote", "--heads", target.url, ref, env=env):
        git("fetch", "-q", "--no-tags", target.url, f"+{ref}:refs/deploy/previous", env=env)
        previous = git("rev-parse", "refs/deploy/previous^{commit}", env=env)
        names = git("ls-tree", "-r", "-z", "--name-only", previous, env=env).split("\0")
        if any(Path(name).name == SOURCE_MARKER for name in names if name):
            raise DeployError(
                f"refusing to deploy to {target}: it holds {SOURCE_MARKER}, so it holds "
                "a portfolio's sources, not a built site; choose another branch"
            )
    else:
        previous = None
    index = {**env, "GIT_INDEX_FILE": str(work / "index"), "GIT_WORK_TREE": str(site)}
    plain = ("-c", "core.autocrlf=false", "-c", "core.safecrlf=false", "-c", "core.symlinks=false")
    git(*plain, "add", "-A", "-f", "--", ".", cwd=site, env=index)
    files = len([n for n in git("ls-files", "-z", cwd=site, env=index).split("\0") if n])
    if not (site / NOJEKYLL).exists():
        empty = git("hash-object", "-w", "--stdin", env=env, input=b"")
        git("update-index", "--add", "--cacheinfo", f"100644,{empty},{NOJEKYLL}", env=index)
    for name in KEEP_FROM_PREVIOUS:
        kept = previous and not (site / name).exists() and git("ls-tree", previous, "--", name, env=env)
        if kept:
            mode, _kind, rest = kept.split(" ", 2)
            git("update-index", "--add", "--cacheinfo", f"{mode},{rest.split()[0]},{name}", env=index)
    tree = git("write-tree", env=index)
    note = f"Built by elenefolio from {source.describe()}."
    text = f"{message.strip()}\n\n{note}\n" if message and message.strip() else f"Deploy the site\n\n{note}\n"
    if previous is not None and git("rev-parse", f"{previous}^{{tree}}", env=env) == tree:
        return Plan(target, previous, previous, files, text, changed=False)
    parents = ("-p", previous) if previous else ()
    commit = git("commit-tree", tree, *parents, env={**env, **(identity or {})}, input=text.encode())
    return Plan(target, commit, previous, files, text, changed=True)


def push(planned: Plan, work: Path) -> None:
    """Push the planned commit; git refuses a branch that moved since it was fetched."""
    git(
        "push",
        "-q",
        planned.target.url,
        f"{planned.commit}:refs/heads/{planned.target.branch}",
        env={"GIT_DIR": str(work / "repo.git")},
    )


def identity(source: SourceRepo) -> dict[str, str]:
    """The learner's name and e-mail from the portfolio's repository, when it sets them."""
    if source.top is None:
        return {}
    out = {}
    for key, names in (
        ("user.name", ("GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME")),
        ("user.email", ("GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL")),
    ):
        value = _try_git("config", "--get", key, cwd=source.top)
        if value:
            out.update({name: os.environ.get(name, value) for name in names})
    return out


def temporary_folder() -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix="elenefolio-deploy-")
