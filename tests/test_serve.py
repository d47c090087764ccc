"""``elenefolio serve``: a real server on loopback, real HTTP requests, real file edits."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import canary_hits, default_sigint

EXAMPLE = Path(__file__).resolve().parent.parent / "example-portfolio"
ENTRY = "journal/2026-03-19-defending-the-scenario.md"
ENTRY_URL = "journal/2026-03-19-defending-the-scenario/"


class Served:
    def __init__(self, root: Path, *args: str):
        self.root = root
        self.process = subprocess.Popen(
            [sys.executable, "-m", "elenefolio", "serve", str(root), "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            bufsize=1,
            preexec_fn=default_sigint,
        )
        self.lines: list[str] = []
        self.errors: list[str] = []
        threading.Thread(target=self._read, args=(self.process.stdout, self.lines), daemon=True).start()
        threading.Thread(target=self._read, args=(self.process.stderr, self.errors), daemon=True).start()
        line = self.wait_for(lambda: next((x for x in self.lines if x.startswith("serving")), None), 60)
        self.base = re.search(r"(http://\S+)", line).group(1)
        self.port = int(re.search(r":(\d+)/", self.base).group(1))

    @staticmethod
    def _read(stream, into: list[str]) -> None:
        for line in stream:
            into.append(line.rstrip("\n"))

    def wait_for(self, condition, timeout: float = 20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = condition()
            if found:
                return found
            if self.process.poll() is not None:
                raise AssertionError(f"server exited: {self.lines} {self.errors}")
            time.sleep(0.05)
        raise AssertionError(f"timed out; output: {self.lines} {self.errors}")

    def get(self, path: str) -> tuple[int, bytes, dict]:
        request = urllib.request.Request(self.base + path)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read(), dict(error.headers)

    def raw(self, path: str) -> int:
        """A request with the path sent exactly as written (no normalisation)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.request("GET", path)
        status = connection.getresponse().status
        connection.close()
        return status

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=15)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("serve") / "portfolio"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("_site", "_private", ".elenefolio-cache"))
    server = Served(root)
    yield server
    server.stop()


def test_serves_under_the_base_url_path_with_the_reload_script(served: Served):
    assert served.base.endswith("/portfolio/")  # the example's base_url has this sub-path
    status, body, headers = served.get("")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    soup = BeautifulSoup(body, "html.parser")
    assert soup.title.string.startswith("Lucía")
    scripts = [s.string or "" for s in soup.find_all("script")]
    assert any("EventSource" in s and "/portfolio/__elenefolio__/events" in s for s in scripts)
    status, css, headers = served.get("assets/css/site.css")
    assert status == 200 and headers["Content-Type"].startswith("text/css") and b"EventSource" not in css


def test_reload_script_is_never_in_the_built_files(served: Served):
    for page in (served.root / "_site").rglob("*.html"):
        assert b"EventSource" not in page.read_bytes(), page


def test_root_redirects_and_missing_pages_get_the_404_page(served: Served):
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
    connection.request("GET", "/")
    response = connection.getresponse()
    assert response.status == 301 and response.getheader("Location") == "/portfolio/"
    connection.close()
    status, body, _ = served.get("no/such/page/")
    assert status == 404 and b"Page not found" in body


def test_path_traversal_is_refused(served: Served):
    secret = served.root / "portfolio.yaml"
    assert secret.is_file()
    for path in (
        "/portfolio/../portfolio.yaml",
        "/portfolio/%2e%2e/portfolio.yaml",
        "/portfolio/..%2fportfolio.yaml",
        "/portfolio/journal/../../portfolio.yaml",
        "/portfolio/%2e%2e%2f%2e%2e%2fetc/passwd",
        "/portfolio/..\\portfolio.yaml",
    ):
        assert served.raw(path) in (403, 404), path
    (served.root / "_site" / "escape").symlink_to(served.root)
    try:
        assert served.raw("/portfolio/escape/portfolio.yaml") in (403, 404)
    finally:
        (served.root / "_site" / "escape").unlink()


def _listen(served: Served, events: list[str], stop: threading.Event) -> threading.Thread:
    def listen():
        connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=30)
        connection.request("GET", "/portfolio/__elenefolio__/events")
        response = connection.getresponse()
        while not stop.is_set():
            line = response.fp.readline()
            if not line:
                break
            events.append(line.decode().rstrip("\n"))
        connection.close()

    thread = threading.Thread(target=listen, daemon=True)
    thread.start()
    return thread


def _versions(events: list[str]) -> list[int]:
    return [int(e[6:]) for e in events if e.startswith("data: ")]


def test_edit_rebuilds_and_sends_a_reload_event(served: Served):
    events: list[str] = []
    stop = threading.Event()
    _listen(served, events, stop)
    served.wait_for(lambda: _versions(events))
    first = _versions(events)[-1]
    entry = served.root / ENTRY
    entry.write_text(entry.read_text() + "\n\nLIVE-EDIT-MARKER paragraph.\n")
    served.wait_for(lambda: _versions(events) and _versions(events)[-1] > first)
    stop.set()
    status, body, _ = served.get(ENTRY_URL)
    assert status == 200 and b"LIVE-EDIT-MARKER" in body
    assert "event: build" in events


@pytest.mark.slow  # waits for the search index to catch up: seconds
def test_one_save_is_one_build_and_the_search_index_catches_up(served: Served):
    """A save starts one build (the build's own staging folder beside the output must not
    start another), the page reloads once, and the search index follows on its own."""

    def builds() -> int:
        return sum(1 for line in served.lines if line.startswith("built site"))

    served.wait_for(lambda: builds() >= 1)
    time.sleep(1.5)  # let anything started before this test settle
    before = builds()
    entry = served.root / ENTRY
    entry.write_text(entry.read_text() + "\n\nA word for the search index: wombatique.\n")
    served.wait_for(lambda: b"wombatique" in served.get(ENTRY_URL)[1])
    served.wait_for(lambda: canary_hits(served.root / "_site" / "pagefind", ["wombatique"]), 20)
    time.sleep(2)
    assert builds() == before + 1, served.lines[-5:]


def test_editor_save_through_a_temporary_file_and_rename(served: Served):
    entry = served.root / ENTRY
    temporary = entry.with_name("." + entry.name + ".swp.tmp")
    temporary.write_text(entry.read_text() + "\n\nSAVED-BY-RENAME marker.\n")
    os.replace(temporary, entry)
    served.wait_for(lambda: b"SAVED-BY-RENAME" in served.get(ENTRY_URL)[1])


def test_build_error_is_shown_while_the_last_good_site_stays(served: Served):
    entry = served.root / ENTRY
    good = entry.read_text()
    before = served.get(ENTRY_URL)[1]
    entry.write_text(good.replace("title:", "title: [unclosed", 1))
    try:
        served.wait_for(lambda: b"elenefolio-build-error" in served.get(ENTRY_URL)[1])
        status, body, _ = served.get(ENTRY_URL)
        soup = BeautifulSoup(body, "html.parser")
        panel = soup.find(id="elenefolio-build-error")
        assert ENTRY in panel.get_text()
        assert status == 200 and soup.find("main") is not None  # the last good page is still there
        assert BeautifulSoup(before, "html.parser").find("h1").get_text() == soup.find("h1").get_text()
        served.wait_for(lambda: any(ENTRY in line for line in served.errors))
        assert any("still serving the last good site" in line for line in served.errors)
        assert not (served.root / "_site" / ENTRY_URL / "index.html").read_bytes().count(b"build-error")
    finally:
        entry.write_text(good)
    served.wait_for(lambda: b"elenefolio-build-error" not in served.get(ENTRY_URL)[1])


@pytest.mark.slow  # starts and interrupts a server process: seconds
def test_ctrl_c_stops_cleanly(tmp_path: Path):
    root = tmp_path / "portfolio"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("_site", "_private", ".elenefolio-cache"))
    server = Served(root, "--private", "--drafts")
    assert server.get("")[0] == 200
    assert b"Private copy" in server.get("")[1]
    assert server.stop() == 0
    assert server.lines[-1] == "stopped"
    assert not any("Traceback" in line for line in server.errors)
    assert not [p for p in root.iterdir() if p.name.startswith("._private")]
