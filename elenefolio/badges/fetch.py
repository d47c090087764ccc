"""Reading issuers' JSON documents over the network, carefully.

Used only by ``elenefolio badges verify --online``. Every request has a
timeout and a size limit, follows at most a few redirects and only to
``https:`` addresses (``http:`` only to this computer's loopback addresses, as
a test server runs, or when the learner allows it explicitly), and the JSON
is refused when it is nested deeper than any issuer document needs: a hostile
or broken server can make a check fail, never hang the command or exhaust the
memory.
"""

from __future__ import annotations

import ipaddress
import json
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

TIMEOUT = 10.0  # seconds, for each read from the server
DEADLINE = 30.0  # seconds, for a whole document
MAX_BYTES = 1024 * 1024
MAX_DEPTH = 64
MAX_REDIRECTS = 3
USER_AGENT = "elenefolio-badge-verifier"


class FetchError(Exception):
    """The document could not be fetched or read; the message says why (one line)."""


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host.lower() == "localhost"


def allowed(url: str, allow_http: bool) -> str:
    """Why ``url`` may not be fetched, or '' when it may."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return ""
    if parts.scheme == "http" and parts.hostname and (allow_http or is_loopback(parts.hostname)):
        return ""
    if parts.scheme == "http":
        return "plain http is not used (only https, or http to this computer)"
    return "not an https address"


def depth(doc) -> int:
    """How deeply ``doc`` nests lists and objects (without recursion)."""
    deepest, stack = 0, [(doc, 1)]
    while stack:
        value, level = stack.pop()
        if isinstance(value, dict):
            value = list(value.values())
        if isinstance(value, list):
            deepest = max(deepest, level)
            if level > MAX_DEPTH:
                return level
            stack.extend((v, level + 1) for v in value if isinstance(v, (dict, list)))
    return deepest


class _Redirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS

    def __init__(self, allow_http: bool):
        super().__init__()
        self.allow_http = allow_http

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        why = allowed(newurl, self.allow_http)
        if why:
            raise FetchError(f"{req.full_url} redirects to {newurl}: {why}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class Fetcher:
    """GETs JSON documents; remembers them so each address is read once per run."""

    def __init__(self, allow_http: bool = False, timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES):
        self.allow_http = allow_http
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.seen: dict[str, tuple[int, object]] = {}
        redirects = _Redirects(allow_http)
        self.opener = urllib.request.build_opener(redirects)
        # a loopback address is never sent to a proxy
        self.direct = urllib.request.build_opener(urllib.request.ProxyHandler({}), _Redirects(allow_http))

    def get(self, url: str) -> tuple[int, object]:
        """(HTTP status, parsed JSON or None) of ``url`` (its fragment removed)."""
        url = url.split("#", 1)[0]
        if url not in self.seen:
            self.seen[url] = self._get(url)
        return self.seen[url]

    def json(self, url: str) -> dict:
        """The JSON object at ``url``; FetchError when it is missing or not an object."""
        status, doc = self.get(url)
        if not isinstance(doc, dict):
            raise FetchError(f"{url}: HTTP {status}, not a JSON object")
        return doc

    def _read(self, url: str, response) -> bytes:
        """The body, at most ``max_bytes`` + 1, within a deadline (a server dripping bytes
        one by one would otherwise keep each read under the timeout forever)."""
        deadline = time.monotonic() + DEADLINE
        chunks, size = [], 0
        while size <= self.max_bytes:
            if time.monotonic() > deadline:
                raise FetchError(f"{url}: the server is too slow (more than {DEADLINE:.0f} seconds)")
            chunk = response.read1(65536)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)

    def _get(self, url: str) -> tuple[int, object]:
        why = allowed(url, self.allow_http)
        if why:
            raise FetchError(f"{url}: {why}")
        request = urllib.request.Request(
            url, headers={"Accept": "application/ld+json, application/json", "User-Agent": USER_AGENT}
        )
        opener = self.direct if is_loopback(urlsplit(url).hostname or "") else self.opener
        try:
            with opener.open(request, timeout=self.timeout) as response:
                length = response.headers.get("Content-Length", "")
                if length.isdigit() and int(length) > self.max_bytes:
                    raise FetchError(f"{url}: the document is larger than {self.max_bytes // 1024} KiB")
                body = self._read(url, response)
                status = response.status
        except urllib.error.HTTPError as exc:
            if 300 <= exc.code < 400:  # urllib follows no redirect to other schemes
                raise FetchError(f"{url} redirects to {exc.headers.get('Location')}: not followed") from None
            return exc.code, None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            raise FetchError(f"{url}: cannot be fetched ({reason})") from None
        if len(body) > self.max_bytes:
            raise FetchError(f"{url}: the document is larger than {self.max_bytes // 1024} KiB")
        try:
            doc = json.loads(body)
        except (ValueError, RecursionError):
            return status, None
        if depth(doc) > MAX_DEPTH:
            raise FetchError(f"{url}: the document is nested too deeply")
        return status, doc
