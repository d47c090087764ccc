"""The README's pictures: the example's home page and the cover of its education passport.

    python bench/screenshots.py [--chromium /usr/bin/chromium]

Builds example-portfolio/ (with its passport) in a temporary folder, serves the site on
127.0.0.1, photographs the home page at 1280 pixels wide in Chromium (Playwright), renders the
passport's first page with pdfium, and writes both as small palette PNG files to docs/images/.
Run it again after changing the theme or the example.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import io
import os
import shutil
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "images"
WIDTH = 1280
MAX_BYTES = 300 * 1024


def build_example(folder: Path) -> tuple[Path, Path]:
    """The built site and the passport of a copy of the example in ``folder``."""
    from elenefolio.pipeline import BuildOptions, build

    portfolio = folder / "portfolio"
    shutil.copytree(
        ROOT / "example-portfolio",
        portfolio,
        ignore=shutil.ignore_patterns("_site", "_private", ".elenefolio-cache"),
    )
    # the passphrase of the example's shared entry (public: see the README)
    os.environ.setdefault("EXAMPLE_MENTOR_PASSPHRASE", "lucia-mentor-example")
    build(BuildOptions(portfolio, output=folder / "site", pdf=True))
    return folder / "site", folder / "site" / "passport.pdf"


def small_png(image, path: Path, colours: int = 128) -> None:
    """``image`` as a quantised PNG, halving the palette until it is under MAX_BYTES."""
    rgb = image.convert("RGB")
    while True:
        out = io.BytesIO()
        rgb.quantize(colors=colours, dither=0).save(out, "PNG", optimize=True)
        if out.tell() <= MAX_BYTES or colours <= 16:
            break
        colours //= 2
    path.write_bytes(out.getvalue())
    print(f"{path.relative_to(ROOT)}: {image.width}×{image.height}, {out.tell() // 1024} KB")


def home_page(site: Path, chromium: str):
    """A picture of the top of the home page, 1280 pixels wide."""
    from PIL import Image
    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium)
            page = browser.new_page(
                viewport={"width": WIDTH, "height": 900}, color_scheme="light", reduced_motion="reduce"
            )
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/", wait_until="networkidle")
            page.evaluate("document.fonts.ready")
            shot = page.screenshot(full_page=False)
            browser.close()
    finally:
        server.shutdown()
    return Image.open(io.BytesIO(shot))


def passport_cover(pdf: Path):
    """The first page of the passport, about 900 pixels high."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        page = document[0]
        return page.render(scale=900 / page.get_height()).to_pil()
    finally:
        document.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default="/usr/bin/chromium", help="the browser to use")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        site, pdf = build_example(Path(tmp))
        small_png(home_page(site, args.chromium), OUT / "home.png")
        small_png(passport_cover(pdf), OUT / "passport-cover.png")


if __name__ == "__main__":
    main()
