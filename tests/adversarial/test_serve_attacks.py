"""``elenefolio serve`` under attack: many open live-reload streams and a burst of page
requests, idle and half-sent connections, DNS rebinding (a foreign ``Host``), hostile pages
opening event streams, malformed paths and clients that hang up mid-response. The real
command runs in a child process on 127.0.0.1; its terminal must stay free of tracebacks."""

from __future__ import annotations

import http.client
import re
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from attack_support import md, portfolio
from conftest import default_sigint

from elenefolio.serve import MAX_STREAMS

TITLE = "Attack test"
ENTRY = "journal/2026-03-01-first.md"
NEVER_HANGS = 10.0  # seconds: a generous bound that only proves nothing hangs


class Server:
    """``elenefolio serve`` on a free port, its terminal output collected line by line."""

    def __init__(self, root: Path, *args: str):
        self.root = root
        self.process = subprocess.Popen(
            [sys.executable, "-m", "elenefolio", "serve", str(root), "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            bufsize=1,
            stdin=subprocess.DEVNULL,
            preexec_fn=default_sigint,
        )
        self.out: list[str] = []
        self.err: list[str] = []
        for stream, into in ((self.process.stdout, self.out), (self.process.stderr, self.err)):
            threading.Thread(
                target=lambda s=stream, i=into: i.extend(x.rstrip("\n") for x in s), daemon=True
            ).start()
        deadline = time.monotonic() + 120
        while not any(line.startswith("serving") for line in self.out):
            assert self.process.poll() is None and time.monotonic() < deadline, (self.out, self.err)
            time.sleep(0.05)
        line = next(line for line in self.out if line.startswith("serving"))
        self.port = int(re.search(r"http://[^/]+:(\d+)/", line).group(1))

    def get(self, path: str = "/", host: str | None = None, headers: dict | None = None):
        """(status, body) of one request, the path sent exactly as written."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=NEVER_HANGS)
        try:
            connection.putrequest("GET", path, skip_host=True)
            connection.putheader("Host", f"127.0.0.1:{self.port}" if host is None else host)
            for name, value in (headers or {}).items():
                connection.putheader(name, value)
            connection.endheaders()
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def threads(self) -> int:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        return int(re.search(r"^Threads:\s+(\d+)", status, re.M).group(1))

    def assert_quiet(self) -> None:
        time.sleep(1.0)  # whatever the last attack made the server print has arrived
        noisy = [line for line in self.err if "Traceback" in line or "Exception" in line or "Error" in line]
        assert not noisy, "\n".join(self.err)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        self.process.wait(timeout=20)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = portfolio(tmp_path_factory.mktemp("serve") / "portfolio")
    running = Server(root)
    yield running
    running.stop()


def open_stream(port: int, origin: str | None = None) -> socket.socket:
    """A live-reload event stream, as an open page holds it."""
    stream = socket.create_connection(("127.0.0.1", port), timeout=NEVER_HANGS)
    extra = f"Origin: {origin}\r\n" if origin else ""
    stream.sendall(
        f"GET /__elenefolio__/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Accept: text/event-stream\r\n{extra}\r\n".encode()
    )
    return stream


def read_until(stream: socket.socket, done, seen: bytes = b"") -> bytes:
    deadline = time.monotonic() + 30
    while not done(seen):
        assert time.monotonic() < deadline, seen
        chunk = stream.recv(65536)
        if not chunk:
            return seen
        seen += chunk
    return seen


def read_all(connection: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    return read_until(connection, lambda data: False)


def status_of(reply: bytes) -> int:
    return int(reply.split(b" ")[1])


def versions(data: bytes) -> list[int]:
    return [int(v) for v in re.findall(rb"^data: (\d+)$", data, re.M)]


def hang_up(connection: socket.socket) -> None:
    """Close with a reset, as a crashed browser tab does."""
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    connection.close()


def burst(server: Server, count: int) -> list[tuple[int, float, bool]]:
    """``count`` page requests at once: (status, seconds, the page came) for each."""
    start = threading.Barrier(count)
    results: list[tuple[int, float, bool]] = []

    def one() -> None:
        start.wait()
        began = time.monotonic()
        try:
            status, body = server.get("/")
        except OSError as exc:
            status, body = -1, str(exc).encode()
        results.append((status, time.monotonic() - began, TITLE.encode() in body))

    workers = [threading.Thread(target=one) for _ in range(count)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    return results


@pytest.mark.slow  # holds streams open for seconds
@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="counts threads through /proc")
def test_open_event_streams_do_not_hold_the_threads_that_serve_pages(server: Server):
    streams = [open_stream(server.port) for _ in range(40)]
    first = [versions(read_until(s, versions))[-1] for s in streams]
    peak = [server.threads()]
    sampling = threading.Event()

    def sample() -> None:
        while not sampling.is_set():
            peak.append(server.threads())
            time.sleep(0.01)

    threading.Thread(target=sample, daemon=True).start()
    results = burst(server, 200)
    sampling.set()
    assert len(results) == 200
    assert not [r for r in results if r[0] != 200 or not r[2]]  # each answered, with the page
    assert max(seconds for _, seconds, _ in results) < NEVER_HANGS
    assert max(peak) < 64, peak  # a bounded pool: 200 requests do not make 200 threads
    # forty more open pages cost no thread each
    before = server.threads()
    streams += [open_stream(server.port) for _ in range(40)]
    for stream in streams[40:]:
        read_until(stream, versions)
    assert server.threads() - before < 10
    # and a save still reaches every open page
    entry = server.root / ENTRY
    entry.write_text(md("First entry", "An edited public entry."))
    for stream, seen in zip(streams, first):
        read_until(stream, lambda data, seen=seen: any(v > seen for v in versions(data)))
    for stream in streams:
        stream.close()
    server.assert_quiet()


@pytest.mark.slow  # opens streams up to the cap: seconds
def test_event_streams_are_capped_and_a_full_server_still_serves_pages(server: Server):
    streams = [open_stream(server.port) for _ in range(MAX_STREAMS)]
    for stream in streams:
        assert status_of(read_until(stream, versions)) == 200
    extra = open_stream(server.port)
    assert status_of(read_all(extra)) == 503
    extra.close()
    assert server.get("/")[0] == 200
    for stream in streams:
        stream.close()
    time.sleep(0.5)  # the closed streams are noticed and dropped
    again = open_stream(server.port)
    assert versions(read_until(again, versions))
    again.close()
    server.assert_quiet()


@pytest.mark.slow  # waits out the server's timeouts: seconds
def test_idle_and_half_sent_connections_do_not_starve_page_requests(server: Server):
    idle = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(60)]
    half = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(60)]
    for connection in half:
        connection.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
    time.sleep(0.3)
    results = burst(server, 40)
    assert not [r for r in results if r[0] != 200 or not r[2]]  # each answered, with the page
    assert max(seconds for _, seconds, _ in results) < NEVER_HANGS / 2
    # the server gives up on them after a while (it does not keep them open forever)
    for connection in idle + half:
        connection.settimeout(30)
        try:
            assert connection.recv(1) == b""
        except ConnectionResetError:
            pass
        connection.close()
    server.assert_quiet()


# Each case waits a second for the server's output (assert_quiet): four are in the slow set.
@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        f"evil.example:{0}",
        pytest.param("127.0.0.1.evil.example", marks=pytest.mark.slow),
        pytest.param("localhost.evil.example", marks=pytest.mark.slow),
        "",
        pytest.param("[::1", marks=pytest.mark.slow),
        pytest.param("a@localhost", marks=pytest.mark.slow),
    ],
)
def test_a_foreign_host_gets_no_page_dns_rebinding(server: Server, host: str):
    host = host.replace(":0", f":{server.port}")
    for path in ("/", "/journal/", "/__elenefolio__/events"):
        status, body = server.get(path, host=host)
        assert status == 421, (host, path, status)
        assert TITLE.encode() not in body and b"EventSource" not in body and len(body) < 300
    server.assert_quiet()


@pytest.mark.parametrize(
    "host", ["localhost:{port}", "127.0.0.1:{port}", "LOCALHOST", "[::1]:{port}", "127.0.0.1"]
)
def test_this_computer_names_are_served(server: Server, host: str):
    status, body = server.get("/", host=host.format(port=server.port))
    assert status == 200 and TITLE.encode() in body


@pytest.mark.slow  # starts a server on every address: seconds
def test_listening_on_every_address_answers_ip_addresses_but_not_names(tmp_path: Path):
    """``--host 0.0.0.0`` (a phone on the same network): any IP address of this computer
    is fine, a domain name still is not (that is how a rebinding page comes)."""
    running = Server(portfolio(tmp_path / "portfolio"), "--host", "0.0.0.0")
    try:
        for host in (f"192.168.1.20:{running.port}", "[fe80::1]", "localhost", "127.0.0.1"):
            assert running.get("/", host=host)[0] == 200, host
        for host in ("evil.example", "laptop.local", f"attacker.example:{running.port}"):
            assert running.get("/", host=host)[0] == 421, host
    finally:
        running.stop()
    running.assert_quiet()


def test_two_host_headers_are_refused(server: Server):
    connection = socket.create_connection(("127.0.0.1", server.port), timeout=NEVER_HANGS)
    connection.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\n\r\n")
    reply = read_all(connection)
    connection.close()
    assert status_of(reply) == 421 and TITLE.encode() not in reply


def test_a_request_without_host_is_served(server: Server):
    """Browsers always send Host (so a rebinding page cannot leave it out): a request
    without it comes from a program on this computer, as HTTP/1.0 allows."""
    connection = socket.create_connection(("127.0.0.1", server.port), timeout=NEVER_HANGS)
    connection.sendall(b"GET / HTTP/1.0\r\n\r\n")
    reply = read_all(connection)
    connection.close()
    assert status_of(reply) == 200 and TITLE.encode() in reply


@pytest.mark.parametrize("origin", ["https://evil.example", "http://evil.example:8000", "null"])
def test_a_foreign_page_cannot_open_an_event_stream(server: Server, origin: str):
    stream = open_stream(server.port, origin=origin)
    reply = read_all(stream)
    stream.close()
    assert status_of(reply) == 403 and b"data:" not in reply


def test_the_own_page_opens_its_event_stream_with_an_origin(server: Server):
    stream = open_stream(server.port, origin=f"http://localhost:{server.port}")
    assert versions(read_until(stream, versions))
    stream.close()


def test_malformed_and_escaping_paths_are_answered_quietly(server: Server):
    secret = server.root / "portfolio.yaml"
    assert secret.is_file()
    refused = {
        "/../portfolio.yaml": (403, 404),
        "/%2e%2e/portfolio.yaml": (403, 404),
        "/..%2fportfolio.yaml": (403, 404),
        "/journal/../../portfolio.yaml": (403, 404),
        "/%2e%2e%2f%2e%2e%2fetc/passwd": (403, 404),
        "/..\\portfolio.yaml": (403, 404),
        "/%5c..%5cportfolio.yaml": (403, 404),
        "/index.html%00.txt": (403, 404),
        "/" + "a" * 5000: (403, 404),
        "/" + "a/" * 3000: (403, 404),
        "http://[evil/x": (400, 403, 404),
        "/%ff%fe": (403, 404),
        "*": (400, 403, 404),
    }
    for path, expected in refused.items():
        status, body = server.get(path)
        assert status in expected, (path[:40], status)
        assert b"title:" not in body  # the portfolio.yaml never comes back
    (server.root / "_site" / "escape").symlink_to(server.root)
    try:
        assert server.get("/escape/portfolio.yaml")[0] in (403, 404)
    finally:
        (server.root / "_site" / "escape").unlink()
    server.assert_quiet()


def test_an_over_long_request_line_is_refused_quietly(server: Server):
    connection = socket.create_connection(("127.0.0.1", server.port), timeout=NEVER_HANGS)
    try:
        connection.sendall(b"GET /" + b"a" * 100_000 + b" HTTP/1.1\r\nHost: localhost\r\n\r\n")
        assert status_of(read_all(connection)) == 414
    except (ConnectionResetError, BrokenPipeError):
        pass  # the server may close before reading everything that was sent: also a refusal
    connection.close()
    assert server.get("/")[0] == 200
    server.assert_quiet()


def test_clients_hanging_up_mid_response_are_quiet(server: Server):
    big = server.root / "_site" / "big.bin"
    big.write_bytes(b"\0" * 32_000_000)
    try:
        for _ in range(5):
            connection = socket.create_connection(("127.0.0.1", server.port), timeout=NEVER_HANGS)
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            connection.sendall(f"GET /big.bin HTTP/1.1\r\nHost: localhost:{server.port}\r\n\r\n".encode())
            read_until(connection, lambda data: b"\r\n\r\n" in data)
            hang_up(connection)
        for _ in range(5):
            stream = open_stream(server.port)
            read_until(stream, versions)
            hang_up(stream)
        for _ in range(5):  # gone before the answer
            connection = socket.create_connection(("127.0.0.1", server.port), timeout=NEVER_HANGS)
            connection.sendall(f"GET / HTTP/1.1\r\nHost: localhost:{server.port}\r\n\r\n".encode())
            hang_up(connection)
        assert server.get("/")[0] == 200
        server.assert_quiet()
    finally:
        big.unlink()


@pytest.mark.slow  # starts and interrupts a server: seconds
def test_ctrl_c_stops_promptly_with_streams_open(tmp_path: Path):
    running = Server(portfolio(tmp_path / "portfolio"))
    streams = [open_stream(running.port) for _ in range(5)]
    for stream in streams:
        read_until(stream, versions)
    stalled = socket.create_connection(("127.0.0.1", running.port))
    stalled.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    began = time.monotonic()
    running.stop()
    assert time.monotonic() - began < NEVER_HANGS and running.process.returncode == 0
    assert running.out[-1] == "stopped"
    for stream in streams + [stalled]:
        stream.close()
    running.assert_quiet()
