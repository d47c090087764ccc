"""The education passport: the published portfolio as one tagged PDF/A-3a file.

``make_passport(site, ...)`` builds an HTML document from the site (the
same parsed bodies as the website), renders it with WeasyPrint and
embeds ``portfolio.json``. The finished PDF is kept in the portfolio's
``.elenefolio-cache/passport/`` with a hash of everything it was made
from: when nothing changed, the cached file is reused and WeasyPrint is
not even imported.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from elenefolio import __version__
from elenefolio.export.manifest import build_manifest
from elenefolio.passport.document import PAPERS, PassportDocument
from elenefolio.passport.media import ImageCache, QrCache
from elenefolio.problems import BuildFailed, Problems
from elenefolio.render import _template_position
from elenefolio.render.theme import Theme, find_theme

CACHE_DIR = ".elenefolio-cache"
PASSPORT_FILE = "passport.pdf"
PDF_VARIANT = "pdf/a-3a"
ATTACHMENT = "portfolio.json"

__all__ = ["PAPERS", "PASSPORT_FILE", "PassportResult", "make_passport", "passport_html"]


@dataclass
class PassportResult:
    path: Path  # the PDF (in the cache folder)
    pages: int
    cached: bool  # reused from an earlier build, nothing changed
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def seconds(self) -> float:
        return sum(self.timings.values())

    @property
    def outside_weasyprint(self) -> float:
        """Time spent before handing the document to WeasyPrint."""
        return sum(v for k, v in self.timings.items() if not k.startswith("weasyprint"))


def cache_folder(root: Path) -> Path:
    return root / CACHE_DIR / "passport"


def passport_html(site, theme: Theme | None = None, paper: str = "a4",
                  issued: dt.date | None = None) -> tuple[str, str, Path, dict, PassportDocument]:
    """The passport's HTML, style sheet, style sheet folder and manifest."""
    config = site.config
    if theme is None:
        theme = find_theme(config.root, config.theme, Problems(config.root), config.theme_line)
    folder = cache_folder(config.root)
    images = ImageCache(folder / "images")
    qr = QrCache(folder / "qr" / f"{'private' if site.audience.private else 'public'}.json")
    document = PassportDocument(site, theme, images, qr, paper, issued)
    try:
        html = document.html()
        css, css_dir = document.stylesheet()
    except jinja2.TemplateError as exc:
        raise BuildFailed([_template_problem(exc, config.root)]) from None
    qr.save()
    manifest = build_manifest(site, document.issued)
    return html, css, css_dir, manifest, document


def make_passport(site, paper: str = "a4", theme: Theme | None = None,
                  issued: dt.date | None = None, use_cache: bool = True) -> PassportResult:
    """The passport of ``site`` as a PDF file in the cache folder."""
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    html, css, css_dir, manifest, document = passport_html(site, theme, paper, issued)
    data = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
    key = _key(html, css, data, paper)
    folder = cache_folder(site.config.root)
    variant = f"{'private' if site.audience.private else 'public'}-{paper}"
    pdf_path, meta_path = folder / f"{variant}.pdf", folder / f"{variant}.json"
    timings["html"] = time.perf_counter() - clock
    if use_cache:
        pages = _cached_pages(meta_path, pdf_path, key)
        if pages is not None:
            return PassportResult(pdf_path, pages, True, timings)

    clock = time.perf_counter()
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # missing system libraries (Pango...)
        reason = (str(exc).splitlines() or [type(exc).__name__])[0]
        problems = Problems(site.config.root)
        problems.error(site.config.root / "portfolio.yaml", 1,
                       f"cannot make the passport: WeasyPrint does not work here ({reason}); see "
                       "https://doc.courtbouillon.org/weasyprint/stable/first_steps.html")
        raise BuildFailed(problems.items) from None

    # Resources it cannot load (remote images: nothing is fetched) are drawn as their alt text.
    logging.getLogger("weasyprint").setLevel(logging.CRITICAL)
    fetcher = weasyprint.URLFetcher(allowed_protocols={"file", "data"})
    base = document.images.folder
    base.mkdir(parents=True, exist_ok=True)
    pdf_html = weasyprint.HTML(string=html, base_url=str(base) + os.sep, url_fetcher=fetcher)
    stylesheet = weasyprint.CSS(string=css, base_url=str(css_dir) + os.sep, url_fetcher=fetcher)
    attachment = weasyprint.Attachment(string=data, name=ATTACHMENT, url_fetcher=fetcher,
                                       description="The portfolio's data (elenefolio-portfolio)",
                                       relationship="Data")
    timings["weasyprint-parse"] = time.perf_counter() - clock
    clock = time.perf_counter()
    rendered = pdf_html.render(stylesheets=[stylesheet], pdf_variant=PDF_VARIANT)
    timings["weasyprint-layout"] = time.perf_counter() - clock
    clock = time.perf_counter()
    pdf = rendered.write_pdf(pdf_variant=PDF_VARIANT, attachments=[attachment],
                             uncompressed_pdf=False)
    timings["weasyprint-pdf"] = time.perf_counter() - clock
    clock = time.perf_counter()
    pages = len(rendered.pages)
    _store(folder, pdf_path, pdf, meta_path,
           {"key": key, "pages": pages, "images": sorted(document.images.used)})
    _prune_images(folder, document.images.folder)
    timings["store"] = time.perf_counter() - clock
    return PassportResult(pdf_path, pages, False, timings)


def _template_problem(exc: jinja2.TemplateError, root: Path):
    """A mistake in a print template, as one ``path:line: message`` problem."""
    problems = Problems(root)
    if isinstance(exc, jinja2.TemplateSyntaxError):
        problems.error(exc.filename or "print/passport.html", exc.lineno,
                       f"template error: {exc.message}")
    elif isinstance(exc, jinja2.TemplateNotFound):
        problems.error("print/" + str(exc.name), 1, f"print template not found: {exc.name}")
    else:
        filename, line = _template_position(exc)
        problems.error(filename or "print/passport.html", line, f"template error: {exc.message}")
    return problems.items[0]


def _key(html: str, css: str, data: bytes, paper: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        weasy = version("weasyprint")
    except PackageNotFoundError:  # pragma: no cover - it is a dependency
        weasy = "?"
    digest = hashlib.sha256()
    for part in (__version__, weasy, PDF_VARIANT, paper, css, html):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    digest.update(data)
    return digest.hexdigest()


def _cached_pages(meta_path: Path, pdf_path: Path, key: str) -> int | None:
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if meta.get("key") != key or not pdf_path.is_file():
        return None
    return int(meta.get("pages", 0))


def _prune_images(folder: Path, images: Path) -> None:
    """Delete resized copies that no stored passport uses any more."""
    keep: set[str] = set()
    for meta in folder.glob("*.json"):
        try:
            keep.update(json.loads(meta.read_text(encoding="utf-8")).get("images", []))
        except (OSError, ValueError, AttributeError):
            return  # unsure what is used: keep everything
    if images.is_dir():
        for path in images.iterdir():
            if path.is_file() and path.name not in keep:
                path.unlink(missing_ok=True)


def _store(folder: Path, pdf_path: Path, pdf: bytes, meta_path: Path, meta: dict) -> None:
    """Write the PDF and its key atomically (a crash never leaves a wrong pair)."""
    folder.mkdir(parents=True, exist_ok=True)
    meta_path.unlink(missing_ok=True)
    for path, content in ((pdf_path, pdf), (meta_path, json.dumps(meta).encode())):
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.")
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.replace(tmp, path)
