"""Cache files sealed with a secret of this user's, kept outside the portfolio.

The build cache (``.elenefolio-cache/``) holds pickled objects and compiled
templates: loading them can run code. A portfolio is often someone else's
folder (a classmate's, a template, a tutor's starter) and may come with a
crafted cache. So every cache file carries an HMAC-SHA256 of its content,
keyed by a secret that only this user's elenefolio knows, and the MAC is
checked before anything is unpickled: a file this user's elenefolio did not
write is discarded (and the build warns once), never loaded.

The secret is 32 random bytes in ``$XDG_CACHE_HOME/elenefolio/cache-key``
(``~/.cache/elenefolio/cache-key`` without that variable), or in the file
named by ``ELENEFOLIO_CACHE_KEY_FILE``; it is created once, readable by its
owner only. Where it cannot be created (a read-only home), a secret of this
process is used: the cache then lasts as long as the process.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
import tempfile
from pathlib import Path

KEY_ENV = "ELENEFOLIO_CACHE_KEY_FILE"
KEY_BYTES = 32
MAGIC = b"elenefolio-sealed-1\n"
MAC_BYTES = hashlib.sha256().digest_size
DISCARDED_MESSAGE = "the build cache was not written by this user's elenefolio and was discarded"

_keys: dict[str, tuple[bytes, bool]] = {}  # key file -> (secret, kept in that file)
_discarded = False  # a sealed file failed its check since the last take_discarded()


def key_file() -> Path:
    """Where this user's secret is kept."""
    named = os.environ.get(KEY_ENV)
    if named:
        return Path(named).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base, "elenefolio", "cache-key")


def _secret() -> tuple[bytes, bool]:
    """This user's secret, and whether it outlives the process."""
    path = key_file()
    known = _keys.get(str(path))
    if known is None:
        try:
            known = (_read_or_create(path), True)
        except OSError:  # no writable place for it: a secret of this process only
            known = (secrets.token_bytes(KEY_BYTES), False)
        _keys[str(path)] = known
    return known


def _read_or_create(path: Path) -> bytes:
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".cache-key.")  # mode 0600
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_bytes(KEY_BYTES))
        try:
            os.link(tmp, path)  # never replaces the secret another process just made
        except FileExistsError:
            pass
    finally:
        os.unlink(tmp)
    return _read_key(path)


def _read_key(path: Path) -> bytes:
    data = path.read_bytes()
    if len(data) < KEY_BYTES:
        raise OSError(f"{path}: too short to be a cache key")
    return data


def mac(purpose: str, *parts: bytes | memoryview) -> bytes:
    """The MAC of ``parts`` (for ``purpose``: a file's role, so files cannot be swapped)."""
    digest = hmac.new(_secret()[0], purpose.encode("utf-8", "surrogatepass") + b"\0", hashlib.sha256)
    for part in parts:
        digest.update(part)
    return digest.digest()


def seal(purpose: str, payload: bytes) -> bytes:
    return MAGIC + mac(purpose, payload) + payload


def unseal(purpose: str, data: bytes) -> memoryview | None:
    """The payload of sealed ``data``, or None when this user's elenefolio did not seal it."""
    view = memoryview(data)
    start = len(MAGIC) + MAC_BYTES
    if (
        view[: len(MAGIC)] == MAGIC
        and len(view) >= start
        and hmac.compare_digest(view[len(MAGIC) : start], mac(purpose, view[start:]))
    ):
        return view[start:]
    return None


def discard() -> None:
    """Note that a cache file was found that this user's elenefolio did not write."""
    global _discarded
    if _secret()[1]:  # (with a secret of this process only, no earlier file can pass)
        _discarded = True


def take_discarded() -> bool:
    """Whether a cache file was discarded since the last call."""
    global _discarded
    found, _discarded = _discarded, False
    return found


def read(path: Path, purpose: str) -> memoryview | None:
    """The payload of the sealed file at ``path``; None when it is missing, or is not a
    regular file sealed by this user's elenefolio (then it is deleted)."""
    flags = (
        os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    )
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return None
    except OSError:  # a link (or something else that is not ours)
        fd = None
    payload = None
    if fd is not None:
        with os.fdopen(fd, "rb") as handle:
            if stat.S_ISREG(os.fstat(handle.fileno()).st_mode):  # never a device or a pipe
                payload = unseal(purpose, handle.read())
    if payload is None:
        discard()
        try:
            os.unlink(path)
        except OSError:
            pass
    return payload


def write(path: Path, purpose: str, payload: bytes) -> None:
    """Write ``payload`` sealed, atomically, as a new file (never through a link)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(seal(purpose, payload))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
