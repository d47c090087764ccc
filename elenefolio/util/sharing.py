"""Shared pages: an item's page encrypted for the audiences it names (used by the render
stage; here, apart from it, so that a build that finds nothing changed checks the passphrases
without loading the renderer).

The page's ``<title>`` and the content of its ``<main>`` are encrypted with a random content
key (AES-256-GCM, random nonce); the content key is wrapped once per audience with a key
derived from that audience's passphrase (PBKDF2-SHA256, ``ITERATIONS`` rounds, random salt),
so that any one of the passphrases opens the page. ``shared.js`` does the same in the browser
with WebCrypto. Nothing else of the page is published: its wrapper has a neutral title and no
description.

The passphrases are read from the environment (``audiences:`` in portfolio.yaml names each
variable) when a page is encrypted, and never written anywhere. Incremental builds tell that a
passphrase changed by a ``lock``: a digest of a key derived with as many PBKDF2 rounds as the
pages use, so the build cache gives an attacker nothing faster to try passphrases on than the
published pages themselves.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import os
import re

ITERATIONS = 600_000
VERSION = 1

_MAIN = re.compile(r"<main\b[^>]*>(.*)</main>", re.S)
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def passphrase(variable: str) -> bytes:
    """The passphrase in ``variable`` (the load stage checked that it is set)."""
    return os.environ.get(variable, "").encode("utf-8")


def derive(secret: bytes, salt: bytes) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", secret, salt, ITERATIONS, 32)


def lock(audiences: dict[str, str]) -> str:
    """What an incremental build compares to know whether a passphrase changed (all pages are
    made again when one did): see the module's documentation, never the passphrase, nor a
    fast digest of it. ``audiences``: each audience's name → its variable."""
    if not audiences:
        return ""
    parts = [(name, _lock(name, passphrase(variable))) for name, variable in sorted(audiences.items())]
    return hashlib.blake2b(repr((VERSION, ITERATIONS, parts)).encode(), digest_size=16).hexdigest()


@functools.lru_cache(maxsize=64)
def _lock(name: str, secret: bytes) -> str:
    """(Remembered: a long-running ``serve`` derives it once.)"""
    return hashlib.blake2b(derive(secret, b"elenefolio cache lock " + name.encode())).hexdigest()


def parts(html: str) -> tuple[str, str] | None:
    """The text of a rendered page's ``<title>`` and the HTML inside its ``<main>``."""
    main = _MAIN.search(html)
    title = _TITLE.search(html)
    if main is None:
        return None
    return (title.group(1).strip() if title else ""), main.group(1)


def seal(title: str, main: str, secrets: list[bytes]) -> dict[str, object]:
    """The encrypted page, as the attributes ``shared.js`` reads."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    plaintext = json.dumps({"title": title, "main": main}, ensure_ascii=False).encode("utf-8")
    key = AESGCM.generate_key(bit_length=256)
    nonce = os.urandom(12)
    keys = []
    for secret in secrets:
        salt, wrap_nonce = os.urandom(16), os.urandom(12)
        wrapped = AESGCM(derive(secret, salt)).encrypt(wrap_nonce, key, None)
        keys.append({"salt": _b64(salt), "nonce": _b64(wrap_nonce), "key": _b64(wrapped)})
    return {
        "version": VERSION,
        "iterations": ITERATIONS,
        "nonce": _b64(nonce),
        "data": _b64(AESGCM(key).encrypt(nonce, plaintext, None)),
        "keys": keys,
    }


def unseal(sealed: dict, secret: bytes) -> dict | None:
    """The title and content of a sealed page, or None for a wrong passphrase (for tests and
    for anyone checking a page without a browser)."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    for slot in sealed["keys"]:
        kek = hashlib.pbkdf2_hmac(
            "sha256", secret, base64.b64decode(slot["salt"]), int(sealed["iterations"]), 32
        )
        try:
            key = AESGCM(kek).decrypt(base64.b64decode(slot["nonce"]), base64.b64decode(slot["key"]), None)
        except InvalidTag:
            continue
        data = AESGCM(key).decrypt(base64.b64decode(sealed["nonce"]), base64.b64decode(sealed["data"]), None)
        return json.loads(data)
    return None
