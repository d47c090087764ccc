"""Write stage: outputs → the output folder, atomically.

Everything is written into a staging folder beside the output (``.NAME.new-*``);
only when the whole site is there does it take the place of the previous output,
in one atomic exchange of the two folders (``renameat2(RENAME_EXCHANGE)`` on
Linux; elsewhere two renames, the previous site kept until the new one is in
place). A build killed at any moment leaves the previous site or the new one,
never a mix; the next build removes what a killed build left beside the output.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from elenefolio.problems import BuildFailed, Problem

if sys.platform == "win32":  # no locks, leftovers are removed whatever their state
    fcntl = None
else:
    import fcntl

# Every output folder holds this small file: a folder that has it was written by
# elenefolio and may be replaced by a build (``-o DIR`` refuses any other non-empty folder).
STAMP = ".elenefolio-site"
STAMP_TEXT = b"This folder was written by elenefolio; every build replaces it as a whole.\n"
NEW, OLD = "new", "old"  # staging folders: .NAME.new-* (a site being written), .NAME.old-*


class UnsafeOutput(Exception):
    """The output folder would overwrite something that is not a site."""


class WriteFailed(BuildFailed):
    """The file system refused a write (full, read-only, ...): one problem line."""


def check_output_folder(dest: Path, root: Path, force: bool = False) -> None:
    """Refuse output folders that would destroy the portfolio or unrelated files."""
    dest, root = dest.resolve(), root.resolve()
    if dest == root or dest in root.parents:
        raise UnsafeOutput(
            f"the output folder {dest} contains the portfolio itself; "
            "choose another folder (the default is _site)"
        )
    for name in ("journal", "artefacts", "static", "assessments", "badges", "templates", "themes"):
        if dest == root / name:
            raise UnsafeOutput(f"the output folder cannot be the portfolio's {name}/ folder")
    if dest.exists() and not dest.is_dir():
        raise UnsafeOutput(f"{dest} exists and is not a folder")
    if not dest.is_dir() or not any(dest.iterdir()):
        return
    if (dest / "portfolio.yaml").exists():
        raise UnsafeOutput(f"{dest} holds a portfolio; choose an empty or new folder")
    if (dest / STAMP).is_file():
        return
    # sites built before the stamp existed: the default folders, when they look like a site
    default = dest.parent == root and dest.name in ("_site", "_private", "_offline", "_offline-private")
    if not force and not (default and (dest / "index.html").exists()):
        raise UnsafeOutput(
            f"{dest} is not empty and was not written by elenefolio (it has no "
            f"{STAMP}); choose an empty or new folder, or give --force to replace it"
        )


def staging_folder(dest: Path, kind: str) -> tuple[Path, int | None]:
    """A new staging folder beside ``dest`` and an open, locked descriptor on it: the lock
    tells the builds that clean up leftovers that this one is still running."""
    folder = Path(tempfile.mkdtemp(prefix=f".{dest.name}.{kind}-", dir=dest.parent))
    return folder, _lock(folder, block=True)


def _lock(folder: Path, block: bool) -> int | None:
    """A descriptor holding an exclusive lock on ``folder``; None when another process
    holds it (or without locks on this system)."""
    if fcntl is None:
        return None
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if block else fcntl.LOCK_NB))
    except OSError:
        os.close(fd)
        return None
    return fd


def unlock(fd: int | None) -> None:
    if fd is not None:
        os.close(fd)


def remove_leftovers(dest: Path) -> None:
    """Remove the staging folders that killed builds left beside ``dest`` (only ours, by
    name, and only when no running build holds them). When a build was killed between the
    two renames of ``swap`` (systems without an atomic exchange), the previous site is put
    back first."""
    dest = dest.resolve()
    try:
        names = os.listdir(dest.parent)
    except OSError:
        return
    for name in sorted(names, reverse=True):  # .NAME.old-* before .NAME.new-*
        if not (name.startswith(f".{dest.name}.{NEW}-") or name.startswith(f".{dest.name}.{OLD}-")):
            continue
        folder = dest.parent / name
        if folder.is_symlink() or not folder.is_dir():
            continue
        fd = _lock(folder, block=False)
        if fd is None and fcntl is not None:
            continue  # a running build holds it
        try:
            if name.startswith(f".{dest.name}.{OLD}-") and (folder / "site").is_dir() and not dest.exists():
                os.rename(folder / "site", dest)
            shutil.rmtree(folder, ignore_errors=True)
        finally:
            unlock(fd)


def _renameat2():
    """``renameat2(2)`` from the C library, or None where it does not exist."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        function = libc.renameat2
    except (OSError, AttributeError):  # a C library older than glibc 2.28
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return function


AT_FDCWD = -100
RENAME_EXCHANGE = 2


def exchange(a: Path, b: Path) -> bool:
    """Atomically exchange the folders ``a`` and ``b``; False when this system or file
    system cannot (the caller then renames)."""
    function = _renameat2()
    if function is None:
        return False
    if function(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    import ctypes

    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def swap(new: Path, dest: Path) -> Path | None:
    """Put the complete site folder ``new`` in place of ``dest``. Returns ``new``, which now
    holds the previous site for the caller to remove (None when there was none)."""
    os.chmod(new, 0o755)
    if not dest.exists():
        os.rename(new, dest)
        return None
    if exchange(new, dest):
        return new
    old, lock = staging_folder(dest, OLD)  # (killed in between: remove_leftovers puts it back)
    try:
        os.rename(dest, old / "site")
        os.rename(new, dest)
        os.rename(old / "site", new)
        os.rmdir(old)
    finally:
        unlock(lock)
    return new


def remove_later(folder: Path) -> None:
    """Remove ``folder`` (a previous site) in a process of its own, without waiting: on some
    file systems deleting thousands of folders takes seconds, and nothing needs to wait for
    it (if it is stopped, the next build removes what is left). The process inherits the
    folder's lock, so that the next build leaves it alone while it runs."""
    lock = _lock(folder, block=False)
    if lock is None and fcntl is not None:
        return  # another build is removing it
    try:
        subprocess.Popen(
            [sys.executable, "-c", "import shutil, sys; shutil.rmtree(sys.argv[1], True)", str(folder)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            pass_fds=() if lock is None else (lock,),
        )
    except (OSError, ValueError):  # no interpreter to start (an embedded Python)
        shutil.rmtree(folder, ignore_errors=True)
    finally:
        unlock(lock)


def link_or_copy(source: str | Path, target: str | Path) -> None:
    """``target`` becomes the same file as ``source``: a hard link (instant, no space), or a
    copy with the same time stamp where the file system has no hard links."""
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError as exc:
        if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP):
            raise
        shutil.copy2(source, target)


OUTPUT_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS}


def write_failure(exc: OSError, dest: Path, root: Path, written: bool = False) -> WriteFailed:
    """One problem line for a write the file system refused: about the output folder,
    unless the failing file lies elsewhere in the portfolio (the cache, say). (A full or
    read-only disk is the output's even when the error names the file being copied.)"""
    where = dest
    if exc.filename and (written or exc.errno not in OUTPUT_ERRORS):
        failing = Path(os.fsdecode(exc.filename)).absolute()
        beside = failing.parent == dest.parent and failing.name.startswith(f".{dest.name}.")
        if failing != dest and dest not in failing.parents and not beside:
            where = failing
    reason = (exc.strerror or str(exc)).rstrip(".")
    reason = reason[:1].lower() + reason[1:]
    reason += (
        "; the new site is in place but the build cache was not saved"
        if written
        else "; the previous site was left as it was"
    )
    problem = Problem(_shown(where, root), 1, reason)
    return WriteFailed([problem])


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)
