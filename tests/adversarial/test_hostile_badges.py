"""Hostile badges and hostile issuers: a bad file never stops the build, a bad server never
hangs 'badges verify', and nothing outside the portfolio is read or published."""

from __future__ import annotations

import json
import struct
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from attack_support import CANARY, cli, leaks, portfolio, settings
from bs4 import BeautifulSoup

EMAIL = "ada@example.org"


def _png_with_chunk(kind: bytes, body: bytes) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (1, 2, 3)).save(buffer, format="PNG")
    plain = buffer.getvalue()
    crc = zlib.crc32(kind + body) & 0xFFFFFFFF
    chunk = struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)
    return plain[:33] + chunk + plain[33:]


def _cards(out):
    soup = BeautifulSoup((out / "badges/index.html").read_text(encoding="utf-8"), "html.parser")
    return {c["id"]: c for c in soup.select(".badge-card")}


def _assertion(name: str, **extra) -> dict:
    doc = {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": "https://issuer.example.org/a/1",
        "recipient": {"type": "email", "hashed": False, "identity": EMAIL},
        "badge": {
            "type": "BadgeClass",
            "id": "https://issuer.example.org/b/1",
            "name": name,
            "description": "D.",
            "image": "https://issuer.example.org/b/1.png",
            "criteria": {"narrative": "C."},
            "issuer": {"id": "https://issuer.example.org/", "name": "Issuer"},
        },
        "issuedOn": "2026-03-01",
        "verification": {"type": "hosted"},
    }
    doc.update(extra)
    return doc


def test_unreadable_badges_are_warnings_and_shown_as_unreadable(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text(CANARY)
    xxe = (
        f'<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">\n'
        "<openbadges:assertion>&xxe;</openbadges:assertion>\n</svg>\n"
    )
    root = portfolio(
        tmp_path / "folio",
        {
            "badges/garbage.png": b"\x89PNG\r\n\x1a\n" + b"\xff" * 200,
            "badges/broken-itxt.png": _png_with_chunk(b"iTXt", b'openbadges\0\0\0\0\0{"recipient": oops'),
            "badges/xxe.svg": xxe,
            "badges/good.json": json.dumps(_assertion("Good badge")),
        },
        author={"name": "Ada", "email": EMAIL},
    )
    out = tmp_path / "out"
    run = cli("build", root, "-o", out)
    assert run.code == 0, run.err
    for name in ("garbage.png", "broken-itxt.png", "xxe.svg"):
        assert any(f"badges/{name}:" in line and "warning: unreadable badge" in line for line in run.lines), (
            name,
            run.err,
        )
    cards = _cards(out)
    for slug in ("garbage", "broken-itxt", "xxe"):
        assert cards[slug].select_one(".status-pill").get_text(strip=True) == "Unreadable"
        assert "could not be read" in cards[slug].select_one(".badge-summary").get_text()
    assert cards["good"].select_one(".status-pill").get_text(strip=True) == "Recipient confirmed"
    assert leaks(out, CANARY) == []


@pytest.mark.slow  # a build with badges: seconds
def test_json_badge_without_an_image_gets_the_default_image(tmp_path):
    root = portfolio(
        tmp_path / "folio",
        {"badges/plain.json": json.dumps(_assertion("No image"))},
        author={"name": "Ada", "email": EMAIL},
    )
    out = tmp_path / "out"
    assert cli("build", root, "-o", out).code == 0
    img = _cards(out)["plain"].select_one(".badge-image img")
    assert img["src"].endswith("assets/badge-default.svg")
    from lxml import etree

    assert (
        etree.fromstring((out / "assets/badge-default.svg").read_bytes()).tag
        == "{http://www.w3.org/2000/svg}svg"
    )


@pytest.mark.slow  # a build with badges: seconds
def test_a_damaged_verification_record_is_a_warning(tmp_path):
    root = portfolio(
        tmp_path / "folio",
        {
            "badges/plain.json": json.dumps(_assertion("Plain")),
            "badges/.verification.json": "[" * 100000,
        },
        author={"name": "Ada", "email": EMAIL},
    )
    run = cli("build", root, "-o", tmp_path / "out")
    assert run.code == 0
    assert any(
        "badges/.verification.json:1: warning: the verification record is not readable" in line
        for line in run.lines
    ), run.err


@pytest.mark.slow  # a build with badges: seconds
def test_a_record_for_other_bytes_does_not_make_a_badge_verified(tmp_path):
    record = {
        "version": 1,
        "badges": {
            "plain.json": {
                "sha256": "0" * 64,
                "date": "2026-12-01",
                "failure": "",
                "checks": {"signature": "ok"},
            }
        },
    }
    root = portfolio(
        tmp_path / "folio",
        {
            "badges/plain.json": json.dumps(_assertion("Plain")),
            "badges/.verification.json": json.dumps(record),
        },
        author={"name": "Ada", "email": EMAIL},
    )
    out = tmp_path / "out"
    assert cli("build", root, "-o", out).code == 0
    summary = _cards(out)["plain"].select_one(".badge-summary").get_text()
    assert "issuer not verified" in summary and "verified on" not in summary.replace("not verified", "")


class Hostile(BaseHTTPRequestHandler):
    """Answers that would hang, exhaust or mislead a careless client."""

    def do_GET(self):
        if self.path == "/huge":
            self.send_response(200)
            self.end_headers()
            chunk = b" " * 65536
            for _ in range(400):  # 25 MiB of whitespace, no Content-Length
                try:
                    self.wfile.write(chunk)
                except OSError:
                    return
        elif self.path == "/deep":
            body = b"[" * 500000 + b"]" * 500000
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path == "/nested":
            body = json.dumps(json.loads("[" * 200 + "]" * 200)).encode()
            self.send_response(200)
            self.end_headers()
            self.wfile.write(body)
        elif self.path == "/to-file":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()
        elif self.path == "/to-plain-http":
            self.send_response(302)
            self.send_header("Location", "http://issuer.example.org/a/1")
            self.end_headers()
        elif self.path == "/drip":
            self.send_response(200)
            self.end_headers()
            try:
                for _ in range(100):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.5)
            except OSError:
                return

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def hostile():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    "path,why",
    [
        ("/huge", "larger than"),
        ("/deep", "HTTP 200, no hosted assertion"),
        ("/nested", "nested too deeply"),
        ("/to-file", "redirects to file:///etc/passwd"),
        ("/to-plain-http", "plain http is not used"),
    ],
)
def test_hostile_issuer_answers_make_verification_inconclusive_not_stuck(tmp_path, hostile, path, why):
    doc = _assertion("Hosted", id=hostile + path)
    root = portfolio(
        tmp_path / "folio", {"badges/hosted.json": json.dumps(doc)}, author={"name": "Ada", "email": EMAIL}
    )
    started = time.monotonic()
    run = cli("badges", "verify", "--online", root, timeout=120)
    assert time.monotonic() - started < 90
    assert run.code == 0
    assert any(
        "hosted.json:1: warning: could not be verified" in line and why in line for line in run.lines
    ), run.err
    assert "root:" not in run.out + run.err  # /etc/passwd was not read
    assert not (root / "badges/.verification.json").exists()


@pytest.mark.slow  # waits out a two-second deadline
def test_a_server_dripping_bytes_is_given_up_on(tmp_path, hostile, monkeypatch):
    from elenefolio.badges import fetch

    monkeypatch.setattr(fetch, "DEADLINE", 2.0)  # (the real deadline is 30 seconds)
    started = time.monotonic()
    with pytest.raises(fetch.FetchError, match="too slow"):
        fetch.Fetcher().get(hostile + "/drip")
    assert time.monotonic() - started < 20


def test_verify_without_badges_says_so(tmp_path):
    root = portfolio(tmp_path / "folio", {"portfolio.yaml": settings()})
    run = cli("badges", "verify", "--online", root)
    assert run.code == 0 and "no badges to verify" in run.out
