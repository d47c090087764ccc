"""Browser fixtures: Debian's Chromium driven by Playwright, sites served on loopback.

Loaded by conftest.py (``pytest_plugins``). Playwright only drives the browser
that the test set-up installs with apt (/usr/bin/chromium); it never downloads
one. Each served site runs in a small threaded ``http.server`` on 127.0.0.1,
on a free port. When a test that uses ``page`` fails, a full-page screenshot
of where the page was is saved under ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import REPO, build_ok

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
# The example is published under a sub-path (its base_url ends in /portfolio/): serve it there too.
EXAMPLE_PATH = "/portfolio/"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@dataclass
class Served:
    """A folder served over HTTP on loopback."""

    root: Path
    url: str  # http://127.0.0.1:PORT/
    server: http.server.ThreadingHTTPServer = field(repr=False)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def serve(folder: Path) -> Served:
    """Serve ``folder`` on 127.0.0.1, on a free port, in a background thread."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return Served(folder, f"http://127.0.0.1:{server.server_address[1]}/", server)


@dataclass
class ExampleSite:
    """The example portfolio built once, on disk and served at http://127.0.0.1:PORT/portfolio/."""

    site: Path  # the output folder
    url: str  # the address of its home page

    def address(self, page: str) -> str:
        """The served address of a site-root relative page (``journal/``)."""
        return self.url + page


@pytest.fixture(scope="session")
def example_site(example_copy, tmp_path_factory):
    www = tmp_path_factory.mktemp("www")
    site = www / EXAMPLE_PATH.strip("/")
    build_ok(example_copy, "-o", site, "-q")
    served = serve(www)
    yield ExampleSite(site, served.url.rstrip("/") + EXAMPLE_PATH)
    served.stop()


@pytest.fixture(scope="session")
def private_example_site(example_copy, tmp_path_factory):
    """The owner's copy of the example (``--private --drafts``): banner, badges, every item."""
    www = tmp_path_factory.mktemp("www-private")
    site = www / EXAMPLE_PATH.strip("/")
    build_ok(example_copy, "--private", "--drafts", "-o", site, "-q")
    served = serve(www)
    yield ExampleSite(site, served.url.rstrip("/") + EXAMPLE_PATH)
    served.stop()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.is_file():
        pytest.fail("Chromium is missing: `make test` installs it (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Watch:
    """What went wrong while a page was open: console errors, script errors, failed loads."""

    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        return self.console + self.errors + self.failed


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def save_screenshot(page, name: str) -> Path | None:
    """A full-page screenshot of the open page in test-artifacts/screenshots/NAME.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / (re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_") + ".png")
    try:
        page.screenshot(path=str(path), full_page=True)
    except Exception:  # the screenshot is a help, never the failure
        return None
    return path


def make_page(browser, request, color_scheme: str = "light"):
    """A fresh page (own context) that records problems and is screenshotted if the test fails."""
    context = browser.new_context(
        color_scheme=color_scheme, viewport={"width": 1280, "height": 900}, service_workers="block"
    )
    page = context.new_page()
    watch = Watch()
    page.on(
        "console",
        lambda m: (
            watch.console.append(f"console {m.type}: {m.text} ({page.url})") if m.type == "error" else None
        ),
    )
    page.on("pageerror", lambda e: watch.errors.append(f"script error: {e} ({page.url})"))
    # A media download cut short by leaving the page (net::ERR_ABORTED) is not a failure.
    page.on(
        "requestfailed",
        lambda r: (
            watch.failed.append(f"failed request: {r.url} ({r.failure})")
            if "ERR_ABORTED" not in (r.failure or "")
            else None
        ),
    )
    page.on(
        "response", lambda r: watch.failed.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None
    )
    page.watch = watch

    def finish():
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed and page.url.startswith("http"):
            save_screenshot(page, f"{request.node.nodeid.split('::', 1)[-1]}-{color_scheme}")
        context.close()

    request.addfinalizer(finish)
    return page


@pytest.fixture
def page(browser, request):
    """A light-scheme page; ``page.watch`` lists console errors and failed loads."""
    return make_page(browser, request)


@pytest.fixture
def page_factory(browser, request):
    """``page_factory("dark")``: a page in the given colour scheme."""
    return lambda color_scheme="light": make_page(browser, request, color_scheme)


def show_every_result(page, total: int) -> int:
    """Press "Show more results" from the keyboard until every one of ``total`` results is
    shown (search.html, online and offline: search-results.js); after each press the first
    new result has the focus and the count says how many are shown. Returns the presses."""
    button = page.get_by_role("button", name="Show more results")
    shown = page.locator("#search-shown")
    results = page.locator(".search-result")
    presses = 0
    while button.is_visible():
        before = results.count()
        button.focus()
        page.keyboard.press("Enter")
        page.wait_for_function(f"document.querySelectorAll('.search-result').length > {before}")
        presses += 1
        assert results.nth(before).locator("h2 a").evaluate("a => a === document.activeElement")
        assert shown.inner_text() == f"{results.count()} of {total} results shown."
    return presses
