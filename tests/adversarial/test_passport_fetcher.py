"""The passport reads only files of the portfolio, its theme and elenefolio itself.

WeasyPrint loads every image, style sheet and picture inside an SVG file the passport's
HTML names. Raw HTML in an entry, a theme's style sheet or an SVG file can name any file
of the computer or any address on the network: each attack here must leave the outside
file out of the PDF, request nothing, and name the entry (file and line) in a warning.
"""

from __future__ import annotations

import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from attack_support import cli, image_sizes, line_of, md, png, portfolio

ENTRY = "journal/2026-03-02-attack.md"
SECRET_SIZE = (37, 23)  # sizes no other picture of the passport has
LOCAL_SIZE = (53, 31)
OWN_SIZE = (41, 19)
CACHE_IMAGES = ".elenefolio-cache/passport/images"  # the base address of the passport's HTML


@pytest.fixture
def secret(tmp_path) -> Path:
    """A picture outside the portfolio, which must never reach the passport."""
    path = tmp_path / "outside" / "secret.png"
    path.parent.mkdir()
    path.write_bytes(png(SECRET_SIZE, (250, 10, 200)))
    return path


def entry(body: str) -> str:
    """A journal entry chosen for the passport, with a picture of the portfolio."""
    return md("Attack", f"![a picture of mine](local.png)\n\n{body}", date="2026-03-02", passport="true")


def attack(root: Path, body: str, *args: str, **files) -> tuple[Path, str, object]:
    """The passport of a portfolio whose entry holds ``body``; (pdf, entry text, run)."""
    text = entry(body)
    portfolio(
        root, {ENTRY: text, "journal/local.png": png(LOCAL_SIZE, (20, 120, 40)), **files}, allow_html=True
    )
    run = cli("passport", root, *args)
    assert run.code == 0, run.err
    return root / "passport.pdf", text, run


def refused(run, path: str, line: int, shown: str, reason: str = "it is outside the portfolio") -> None:
    expected = f"{path}:{line}: warning: the passport does not include '{shown}': {reason}"
    assert expected in run.lines, run.err


def test_absolute_path_in_raw_html(tmp_path, secret):
    body = f'<img src="{secret}" alt="a secret">'
    pdf, text, run = attack(tmp_path / "p", body)
    assert SECRET_SIZE not in image_sizes(pdf)
    assert LOCAL_SIZE in image_sizes(pdf)  # the portfolio's own picture is still there
    refused(run, ENTRY, line_of(text, str(secret)), str(secret))
    again = cli("passport", tmp_path / "p")  # reused from the cache: the warning stays
    assert "unchanged, reused" in again.out
    refused(again, ENTRY, line_of(text, str(secret)), str(secret))


def test_file_url_in_an_svg_media_file(tmp_path, secret):
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="200" height="100">\n<rect width="10" height="10"/>\n'
        f'<image x="0" y="0" width="37" height="23" href="file://{secret}"/>\n</svg>\n'
    )
    artefact = md(
        "Drawing", "My drawing.", featured="true", media="\n  - src: drawing.svg\n    alt: a drawing"
    )
    root = tmp_path / "p"
    portfolio(root, {"artefacts/drawing/index.md": artefact, "artefacts/drawing/drawing.svg": svg})
    run = cli("passport", root)
    assert run.code == 0, run.err
    assert SECRET_SIZE not in image_sizes(root / "passport.pdf")
    refused(run, "artefacts/drawing/drawing.svg", 3, str(secret))


def test_css_url_and_import_in_a_theme_of_the_portfolio(tmp_path, secret):
    outside_css = secret.parent / "evil.css"
    outside_css.write_text(f'body {{ background: url("{secret}"); }}', encoding="utf-8")
    css = (
        f'@import url("file://{outside_css}");\n@page {{ margin: 20mm; }}\n'
        f'.cover {{ background: url("{secret}"); }}\n'
    )
    root = tmp_path / "p"
    portfolio(root, {"themes/mine/print/passport.css": css}, theme="mine")
    run = cli("passport", root)
    assert run.code == 0, run.err
    assert SECRET_SIZE not in image_sizes(root / "passport.pdf")
    refused(run, "themes/mine/print/passport.css", 1, str(outside_css))
    refused(run, "themes/mine/print/passport.css", 3, str(secret))


def test_dot_dot_escape(tmp_path, secret):
    root = tmp_path / "p"
    escape = os.path.relpath(secret, root / CACHE_IMAGES)
    assert escape.startswith("../")
    pdf, text, run = attack(root, f'<img src="{escape}" alt="a secret">')
    assert SECRET_SIZE not in image_sizes(pdf)
    refused(run, ENTRY, line_of(text, escape), escape)


def test_symbolic_link_inside_the_portfolio_to_outside(tmp_path, secret):
    root = tmp_path / "p"
    (root / "journal").mkdir(parents=True)
    (root / "journal" / "innocent.png").symlink_to(secret)
    link = "../../../journal/innocent.png"  # from the base address, inside the portfolio
    pdf, text, run = attack(root, f'<img src="{link}" alt="innocent">')
    assert SECRET_SIZE not in image_sizes(pdf)
    refused(run, ENTRY, line_of(text, link), link)


class Server:
    """A real HTTP server on 127.0.0.1 that records every request it receives."""

    def __init__(self):
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append(self.path)
                if self.path == "/moved.png":
                    self.send_response(302)
                    self.send_header("Location", f"{server.url}/elsewhere.png")
                    self.end_headers()
                elif self.path == "/own.png":
                    data = png(OWN_SIZE, (10, 40, 250))
                    self.send_response(200)
                    self.send_header("Content-Type", "image/png")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                else:
                    data = png(SECRET_SIZE, (250, 10, 200))
                    self.send_response(200)
                    self.send_header("Content-Type", "image/png")
                    self.end_headers()
                    self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    running = Server()
    yield running
    running.close()


@pytest.mark.parametrize("flag", [(), ("--allow-remote",)], ids=["default", "allow-remote"])
def test_local_network_address_is_never_requested(tmp_path, server, flag):
    raw, markdown = f"{server.url}/raw.png", f"{server.url}/markdown.png"
    body = f'<img src="{raw}" alt="raw">\n\n![markdown]({markdown})'
    pdf, text, run = attack(tmp_path / "p", body, *flag)
    assert server.requests == []
    assert SECRET_SIZE not in image_sizes(pdf)
    reason = (
        "only an artefact's own media is fetched from the network"
        if flag
        else "the passport fetches nothing from the network (--allow-remote lets an artefact's own media in)"
    )
    refused(run, ENTRY, line_of(text, raw), raw, reason)
    refused(run, ENTRY, line_of(text, markdown), markdown, reason)


def remote_media_portfolio(root: Path, server: Server) -> str:
    artefact = md(
        "Poster",
        f'My poster.\n\n<img src="{server.url}/other.png" alt="other">',
        featured="true",
        media=f"\n  - src: {server.url}/own.png\n    alt: my poster",
    )
    portfolio(root, {"artefacts/poster.md": artefact}, allow_html=True)
    return artefact


@pytest.mark.parametrize("command", [("passport",), ("build", "--pdf")])
def test_allow_remote_lets_only_an_artefacts_own_media_in(tmp_path, server, command):
    root = tmp_path / "p"
    artefact = remote_media_portfolio(root, server)
    run = cli(*command, root, "--allow-remote")
    assert run.code == 0, run.err
    pdf = root / ("passport.pdf" if command == ("passport",) else "_site/passport.pdf")
    assert server.requests == ["/own.png"]
    sizes = image_sizes(pdf)
    assert OWN_SIZE in sizes and SECRET_SIZE not in sizes
    other = f"{server.url}/other.png"
    refused(
        run,
        "artefacts/poster.md",
        line_of(artefact, other),
        other,
        "only an artefact's own media is fetched from the network",
    )


def test_allow_remote_follows_no_redirect(tmp_path, server):
    artefact = md(
        "Poster",
        "My poster.",
        featured="true",
        media=f"\n  - src: {server.url}/moved.png\n    alt: my poster",
    )
    root = portfolio(tmp_path / "p", {"artefacts/poster.md": artefact})
    run = cli("passport", root, "--allow-remote")
    assert run.code == 0, run.err
    assert server.requests == ["/moved.png"]
    assert SECRET_SIZE not in image_sizes(root / "passport.pdf")


def test_without_allow_remote_an_artefacts_remote_media_is_a_link(tmp_path, server):
    root = tmp_path / "p"
    remote_media_portfolio(root, server)
    run = cli("passport", root)
    assert run.code == 0, run.err
    assert server.requests == []
    assert OWN_SIZE not in image_sizes(root / "passport.pdf")


def test_print_template_of_the_portfolio(tmp_path, secret):
    template = f'<section class="cover">\n  <img src="{secret}" alt="a secret">\n</section>\n'
    root = tmp_path / "p"
    portfolio(root, {"templates/print/sections/cover.html": template})
    run = cli("passport", root)
    assert run.code == 0, run.err
    assert SECRET_SIZE not in image_sizes(root / "passport.pdf")
    refused(run, "templates/print/sections/cover.html", 2, str(secret))
