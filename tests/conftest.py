"""Shared helpers: writing portfolios into tmp folders, building them with the
real CLI, and checking the built site's internal links.

Builds are expensive compared with the rest of a test, so each module builds
its portfolios once (module-scoped fixtures) and its tests only read the output.
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import posixpath
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from elenefolio.cli import main as cli_main
from elenefolio.load import load_portfolio
from elenefolio.problems import Problem, Problems

# Builds seal their cache with a secret of the user's: the tests keep theirs in a temporary
# folder (inherited by the command lines they run), never in the real home.
os.environ.setdefault(
    "ELENEFOLIO_CACHE_KEY_FILE", os.path.join(tempfile.mkdtemp(prefix="elenefolio-test-key-"), "cache-key")
)

# The example portfolio's shared entry is for its "mentor" audience, whose passphrase is in this
# variable (the example's README and the Makefile's run target give the same one).
EXAMPLE_PASSPHRASE = "lucia-mentor-example"
os.environ.setdefault("EXAMPLE_MENTOR_PASSPHRASE", EXAMPLE_PASSPHRASE)


def unsealed(files: dict[str, bytes], passphrase: str = EXAMPLE_PASSPHRASE) -> dict[str, bytes]:
    """A site's files (path -> bytes) with each shared page's encrypted content replaced by
    what it decrypts to: a shared page is encrypted afresh (new salt and nonce) by each build
    that renders it, so two builds of the same portfolio compare equal only this way."""
    import json
    import re

    from elenefolio.util import sharing

    def opened(match) -> bytes:
        content = sharing.unseal(json.loads(match.group(1)), passphrase.encode())
        assert content is not None, "a shared page the passphrase does not open"
        return b"data-sealed='" + json.dumps(content, sort_keys=True).encode() + b"'"

    pattern = re.compile(rb"data-sealed='([^']*)'")
    return {rel: pattern.sub(opened, data) if rel.endswith(".html") else data for rel, data in files.items()}


pytest_plugins = ["browser_support"]  # Chromium, the served example site, screenshots of failures

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "example-portfolio"

# Attributes whose value is an address the browser loads or follows.
LINK_ATTRIBUTES = ("href", "src", "poster")

# Tiny but valid-looking media files: the build copies them as they are.
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" * 8
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def config_yaml(
    title: str = "Test portfolio",
    name: str = "Ada Tester",
    base_url: str = "https://example.org/",
    default_visibility: str = "private",
    extra: str = "",
) -> str:
    """A valid portfolio.yaml, with optional extra top-level lines."""
    text = textwrap.dedent(f"""\
        title: "{title}"
        base_url: "{base_url}"
        language: en
        framework: elene4work
        default_visibility: {default_visibility}
        author:
          name: "{name}"
          headline: "Student of testing"
          email: ada@example.org
          links:
            website: "https://ada.example.org/"
        """)
    return text + textwrap.dedent(extra)


def entry(title: str, date: str, body: str = "Some text.", **fields) -> str:
    """A Markdown file with front matter; ``fields`` values are written as YAML as given."""
    lines = ["---", f'title: "{title}"', f"date: {date}"]
    for key, value in fields.items():
        lines.append(f"{key}: {value}")
    lines.append("---")
    return "\n".join(lines) + "\n\n" + textwrap.dedent(body).strip("\n") + "\n"


def write_portfolio(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``{relative path: text or bytes}`` under ``root``; returns ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


@dataclass
class CliRun:
    code: int
    out: str
    err: str


def run_cli(*argv: str | Path) -> CliRun:
    """Run ``elenefolio ARGV`` in-process through the real CLI entry point.

    Used by module-scoped fixtures, where pytest's ``capsys`` is not available.
    """
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli_main([str(a) for a in argv])
        except SystemExit as exc:  # argparse's --help and usage errors
            code = exc.code if isinstance(exc.code, int) else 1
    return CliRun(code, out.getvalue(), err.getvalue())


def build_ok(*argv: str | Path) -> CliRun:
    """``elenefolio build ARGV``, which must succeed."""
    run = run_cli("build", *argv)
    assert run.code == 0, f"build failed:\n{run.err}"
    assert "Traceback" not in run.err
    return run


@dataclass
class Built:
    """A portfolio written to disk and built: where it is and what the CLI said."""

    root: Path
    site: Path
    run: CliRun


def write_and_build(
    root: Path, files: dict[str, str | bytes], *args: str | Path, output: Path | None = None
) -> Built:
    """Write a portfolio and build it with ``elenefolio build ROOT [-o OUTPUT] ARGS``."""
    write_portfolio(root, files)
    extra = ("-o", output) if output is not None else ()
    run = build_ok(root, *extra, *args)
    site = output if output is not None else root / ("_private" if "--private" in args else "_site")
    return Built(root, site, run)


@pytest.fixture
def build_portfolio(tmp_path):
    """``build_portfolio(files, *args)``: a fresh portfolio in tmp_path, built."""

    def _build(files: dict[str, str | bytes], *args: str | Path, output: Path | None = None) -> Built:
        return write_and_build(tmp_path / "portfolio", files, *args, output=output)

    return _build


def load_problems(root: Path) -> list[Problem]:
    """Every problem the load stage finds in the portfolio at ``root``."""
    problems = Problems(root)
    load_portfolio(root, problems)
    return problems.sorted()


# --- markers ----------------------------------------------------------------
# ``make test-fast`` runs everything but these; ``make test`` (and CI) runs all.
BROWSER_FIXTURES = {"browser", "page", "page_factory", "example_site", "private_example_site"}
# PDF rendering (a passport takes seconds where a page takes milliseconds), the Nu checker, kill loops
SLOW_MODULES = {
    "test_passport",
    "test_passport_fetcher",
    "test_passport_private_files",
    "test_feedback_privacy",
    "test_theme_fonts",
    "test_validity",
    "test_kill",
}


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives Chromium (Playwright)")
    config.addinivalue_line(
        "markers", "slow: makes PDFs, runs the HTML validator, loops over builds or takes seconds"
    )


def pytest_collection_modifyitems(config, items):
    for item in items:
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)
        if item.module is not None and item.module.__name__.rsplit(".", 1)[-1] in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)


# --- reading the output -----------------------------------------------------


def output_files(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*") if p.is_file())


def html_pages(site: Path) -> list[Path]:
    return [p for p in output_files(site) if p.suffix == ".html"]


def soup_of(path: Path) -> BeautifulSoup:
    """The parsed page (cached while the file is unchanged; do not modify the result)."""
    stat = path.stat()
    return _parse(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4096)
def _parse(path: str, _mtime_ns: int, _size: int) -> BeautifulSoup:
    return BeautifulSoup(Path(path).read_bytes(), "lxml")


def page_url(site: Path, page: Path) -> str:
    """The site-root relative address of an output file (``journal/x/`` for
    ``journal/x/index.html``)."""
    rel = page.relative_to(site).as_posix()
    if rel == "index.html":
        return ""
    if rel.endswith("/index.html"):
        return rel[: -len("index.html")]
    return rel


def is_internal(link: str) -> bool:
    """A link to a file of the site: no scheme, no host, not a fragment or mailto."""
    link = link.strip()
    if not link or link.startswith(("#", "//")) or link.lower().startswith("mailto:"):
        return False
    return not urlsplit(link).scheme


def resolve_link(page: str, link: str, base_path: str = "/") -> str:
    """The output file an internal ``link`` on the page at address ``page`` points to.

    Relative links are resolved against the page's own address; site-absolute
    links (``/sub/path/...``, used by 404.html) must start with ``base_path``,
    which is stripped. The result is unquoted, without query or fragment, and
    ``dir/`` means ``dir/index.html``. A link climbing above the site root
    keeps a leading ``../``.
    """
    if page == "" or page.endswith("/"):
        directory = page
    else:  # a file such as 404.html or dir/page.html
        directory = posixpath.dirname(page) + "/" if "/" in page else ""
    path = urlsplit(link).path
    if path.startswith("/"):
        assert path.startswith(base_path), f"{page or '/'}: {link} is outside the base path {base_path}"
        target = path[len(base_path) :]
    else:
        is_dir = path == "" or path.endswith("/") or path.rsplit("/", 1)[-1] in (".", "..")
        target = posixpath.normpath(posixpath.join(directory, path))
        target = "" if target == "." else target + ("/" if is_dir else "")
    target = unquote(target)
    return target + "index.html" if target == "" or target.endswith("/") else target


def collect_links(site: Path, base_url: str) -> list[tuple[str, str, str]]:
    """Every internal href/src/poster of every HTML page: (page, link, output file)."""
    found = []
    base_path = urlsplit(base_url).path or "/"
    for page in html_pages(site):
        url = page_url(site, page)
        for tag in soup_of(page).find_all(True):
            for attribute in LINK_ATTRIBUTES:
                link = tag.get(attribute)
                if isinstance(link, str) and is_internal(link):
                    found.append((url or "/", link, resolve_link(url, link, base_path)))
    return found


def assert_links_resolve(site: Path, base_url: str) -> int:
    """Every internal link of the site points to an existing file; returns how many."""
    links = collect_links(site, base_url)
    broken = [
        (page, link)
        for page, link, target in links
        if target.startswith("../") or not (site / target).is_file()
    ]
    assert not broken, "broken internal links (page, link):\n" + "\n".join(map(str, broken))
    return len(links)


def readable_bytes(path: Path) -> bytes:
    """A file's bytes, and for a gzip file (the search index's chunks) its content too,
    so that a canary cannot hide in compressed output."""
    import gzip
    import zlib

    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        try:
            data += gzip.decompress(data)
        except (OSError, EOFError, zlib.error):
            pass
    return data


def canary_hits(site: Path, canaries: list[str]) -> list[tuple[str, str]]:
    """(canary, where) for every canary found in an output file's path or bytes,
    case-insensitively. Canaries are lowercase ASCII letters and digits, so
    their slugified and URL-quoted forms are the canary itself."""
    hits = []
    lowered = [c.lower() for c in canaries]
    for path in site.rglob("*"):
        rel = path.relative_to(site).as_posix().lower()
        data = readable_bytes(path).lower() if path.is_file() else b""
        for canary in lowered:
            if canary in rel:
                hits.append((canary, f"path {rel}"))
            if canary.encode() in data:
                hits.append((canary, f"content of {rel}"))
    return hits


@pytest.fixture(scope="session")
def example_copy(tmp_path_factory) -> Path:
    """A copy of example-portfolio/ (without any built output), so tests never write into the repo."""
    import shutil

    if not (EXAMPLE / "portfolio.yaml").is_file():
        pytest.fail("example-portfolio/portfolio.yaml is missing")
    dest = tmp_path_factory.mktemp("example") / "example-portfolio"
    shutil.copytree(EXAMPLE, dest, ignore=shutil.ignore_patterns("_site", "_private", ".*"))
    return dest


@pytest.fixture(scope="session")
def example_build(example_copy) -> CliRun:
    """The example portfolio built once (into ``example_copy/_site``) for every test that only
    reads the public site: a build of the example takes seconds, reading it milliseconds."""
    return run_cli("build", example_copy)


def skill_table(soup) -> dict[str, dict[str, str]]:
    """The evidence map on /skills/: skill id → {column heading: cell text}."""
    rows = {}
    for table in soup.select("main table"):
        columns = [th.get_text(strip=True) for th in table.select("thead th")]
        for row in table.select("tbody tr"):
            cells = [row.th] + row.find_all("td")
            skill_id = row.th.a["href"].rstrip("/").rsplit("/", 1)[-1]
            rows[skill_id] = {column: cell.get_text(strip=True) for column, cell in zip(columns, cells)}
            rows[skill_id]["Skill"] = row.th.a.get_text(strip=True)
    return rows


def default_sigint() -> None:
    """For child processes that tests stop with Ctrl-C: a runner started in the background
    (where SIGINT is ignored, and children inherit that) must not make Ctrl-C a no-op."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)
