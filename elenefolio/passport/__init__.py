"""The education passport: the published portfolio as one tagged PDF/A-3a file.

``make_passport(site, ...)`` builds an HTML document from the site (the
same parsed bodies as the website), renders it with WeasyPrint and
embeds ``portfolio.json``. The finished PDF is kept in the portfolio's
``.elenefolio-cache/passport/`` with a hash of everything it was made
from: when nothing changed, the cached file is reused and WeasyPrint is
not even imported. The fonts installed on the machine are part of that hash,
and characters no font has are warned about (``fonts.py``). WeasyPrint reads
only files of the portfolio, of its theme and of elenefolio, and of the
portfolio only what the site publishes (``fetcher.py``); a refused address is
a warning.
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
from elenefolio.incremental import seal
from elenefolio.passport import fonts
from elenefolio.passport.document import PAPERS, PassportDocument, print_dirs
from elenefolio.passport.media import ImageCache, QrCache
from elenefolio.problems import BuildFailed, Problem, Problems
from elenefolio.render import _template_position
from elenefolio.render.theme import Theme, find_theme

PDF_VARIANT = "pdf/a-3a"
ATTACHMENT = "portfolio.json"
# What WeasyPrint may read: part of the cache key, so that a passport made under
# another rule is never reused.
FETCH_RULE = "published files, own pictures, theme and package files only; remote media on request"

__all__ = ["PAPERS", "PassportResult", "make_passport", "passport_html"]


@dataclass
class PassportResult:
    path: Path  # the PDF (in the cache folder)
    pages: int
    cached: bool  # reused from an earlier build, nothing changed
    timings: dict[str, float] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)  # addresses left out of the PDF

    @property
    def seconds(self) -> float:
        return sum(self.timings.values())


def cache_folder(root: Path) -> Path:
    from elenefolio.incremental import checked_cache_folder

    return checked_cache_folder(root) / "passport"


def passport_html(
    site,
    theme: Theme | None = None,
    paper: str = "a4",
    issued: dt.date | None = None,
    allow_remote: bool = False,
    collection=None,
) -> tuple[str, str, Path, dict, PassportDocument]:
    """The passport's HTML, style sheet, style sheet folder and manifest (of ``collection``,
    a site.views.CollectionView, alone when given)."""
    config = site.config
    if theme is None:
        theme = find_theme(config.root, config.theme, Problems(config.root), config.theme_line)
    folder = cache_folder(config.root)
    images = ImageCache(folder / "images")
    qr = QrCache(folder / "qr" / f"{'private' if site.audience.private else 'public'}.json")
    document = PassportDocument(site, theme, images, qr, paper, issued, allow_remote, collection)
    try:
        html = document.html()
        css, css_dir = document.stylesheet()
    except jinja2.TemplateError as exc:
        raise BuildFailed([_template_problem(exc, config.root)]) from None
    qr.save()
    manifest = build_manifest(site, document.issued, collection)
    return html, css, css_dir, manifest, document


def make_passport(
    site,
    paper: str = "a4",
    theme: Theme | None = None,
    issued: dt.date | None = None,
    use_cache: bool = True,
    allow_remote: bool = False,
    collection=None,
) -> PassportResult:
    """The passport of ``site`` (of ``collection`` alone, when given) as a PDF file in the
    cache folder.

    ``allow_remote``: fetch the artefacts' own pictures that are on other sites
    (otherwise the passport shows their address); nothing else is ever fetched.
    """
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    html, css, css_dir, manifest, document = passport_html(
        site, theme, paper, issued, allow_remote, collection
    )
    data = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
    installed = fonts.installed()  # the machine's fonts: installing one makes the passport again
    key = _key(html, css, data, paper, installed.identity)
    folder = cache_folder(site.config.root)
    variant = f"{'private' if site.audience.private else 'public'}-{paper}"
    if collection is not None:
        variant += f"-collection-{collection.name}"
    pdf_path, meta_path = folder / f"{variant}.pdf", folder / f"{variant}.json"
    timings["html"] = time.perf_counter() - clock
    if use_cache:
        cached = _cached(meta_path, pdf_path, key)
        if cached is not None:
            pages, warnings = cached
            return PassportResult(pdf_path, pages, True, timings, warnings)

    clock = time.perf_counter()
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # missing system libraries (Pango...)
        reason = (str(exc).splitlines() or [type(exc).__name__])[0]
        problems = Problems(site.config.root)
        problems.error(
            site.config.root / "portfolio.yaml",
            1,
            f"cannot make the passport: WeasyPrint does not work here ({reason}); see "
            "https://doc.courtbouillon.org/weasyprint/stable/first_steps.html",
        )
        raise BuildFailed(problems.items) from None

    from weasyprint.text.fonts import FontConfiguration

    from elenefolio.passport.fetcher import PassportFetcher

    # Resources it cannot or may not load are drawn as their alt text.
    logging.getLogger("weasyprint").setLevel(logging.CRITICAL)
    root = site.config.root
    made = {(document.images.folder / name).resolve() for name in document.images.used}
    made |= {(document.fonts.folder / name).resolve() for name in document.fonts.used}
    fetcher = PassportFetcher(
        root,
        allowed_folders(root, document.theme),
        site.published_files() | made,
        document.remote,
        allow_remote,
    )
    base = document.images.folder
    base.mkdir(parents=True, exist_ok=True)
    base_url = base.resolve().as_uri() + "/"
    pdf_html = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    font_config = FontConfiguration()  # the theme's @font-face rules apply only with one
    stylesheet = weasyprint.CSS(
        string=css, base_url=str(css_dir) + os.sep, url_fetcher=fetcher, font_config=font_config
    )
    attachment = weasyprint.Attachment(
        string=data,
        name=ATTACHMENT,
        url_fetcher=fetcher,
        description="The portfolio's data (elenefolio-portfolio)",
        relationship="Data",
    )
    timings["weasyprint-parse"] = time.perf_counter() - clock
    clock = time.perf_counter()
    rendered = pdf_html.render(stylesheets=[stylesheet], pdf_variant=PDF_VARIANT, font_config=font_config)
    timings["weasyprint-layout"] = time.perf_counter() - clock
    clock = time.perf_counter()
    pdf = rendered.write_pdf(pdf_variant=PDF_VARIANT, attachments=[attachment], uncompressed_pdf=False)
    timings["weasyprint-pdf"] = time.perf_counter() - clock
    clock = time.perf_counter()
    pages = len(rendered.pages)
    warnings = document.origins.warnings(fetcher.refused, base_url, site.config.root / "portfolio.yaml")
    warnings += fonts.warnings(
        fonts.missing(fonts.text_of(html), installed, document.font_files),
        document.sources,
        root,
        root / "portfolio.yaml",
    )
    _store(
        folder,
        pdf_path,
        pdf,
        meta_path,
        {
            "key": _sealed_key(key, pdf),
            "pages": pages,
            "images": sorted(document.images.used),
            "warnings": [[w.path, w.line, w.message] for w in warnings],
        },
    )
    _prune_images(folder, document.images.folder)
    document.fonts.prune()
    timings["store"] = time.perf_counter() - clock
    return PassportResult(pdf_path, pages, False, timings, warnings)


def allowed_folders(root: Path, theme: Theme) -> list[Path]:
    """The folders WeasyPrint may read all of: the theme layers in use (one of the portfolio
    only when inside its ``themes/`` folder), the print templates' folders and the package;
    never a folder that holds the whole portfolio."""
    root, themes = root.resolve(), (root / "themes").resolve()
    layers = [layer.resolve() for layer in theme.layers]
    folders = [
        layer
        for layer in layers
        if not layer.is_relative_to(root) or layer.is_relative_to(themes) and layer != themes
    ]
    folders += [folder.resolve() for folder in print_dirs(theme)]
    folders.append(Path(__file__).resolve().parent.parent)
    return [folder for folder in folders if not root.is_relative_to(folder)]


def _template_problem(exc: jinja2.TemplateError, root: Path):
    """A mistake in a print template, as one ``path:line: message`` problem."""
    problems = Problems(root)
    if isinstance(exc, jinja2.TemplateSyntaxError):
        problems.error(exc.filename or "print/passport.html", exc.lineno, f"template error: {exc.message}")
    elif isinstance(exc, jinja2.TemplateNotFound):
        problems.error("print/" + str(exc.name), 1, f"print template not found: {exc.name}")
    else:
        filename, line = _template_position(exc)
        problems.error(filename or "print/passport.html", line, f"template error: {exc.message}")
    return problems.items[0]


def _key(html: str, css: str, data: bytes, paper: str, installed_fonts: str = "") -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        weasy = version("weasyprint")
    except PackageNotFoundError:  # pragma: no cover - it is a dependency
        weasy = "?"
    digest = hashlib.sha256()
    for part in (__version__, weasy, PDF_VARIANT, FETCH_RULE, paper, installed_fonts, css, html):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    digest.update(data)
    return digest.hexdigest()


def _sealed_key(key: str, pdf: bytes) -> str:
    """What the PDF was made from and the PDF itself, sealed: a PDF brought by a copied
    portfolio (with a key computed from its known content) is never published as this
    learner's passport."""
    return seal.mac("passport", key.encode(), hashlib.sha256(pdf).digest()).hex()


def _cached(meta_path: Path, pdf_path: Path, key: str) -> tuple[int, list[Problem]] | None:
    """The page count and warnings of the stored passport made from ``key``, if any."""
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if (
            not isinstance(meta, dict)
            or not pdf_path.is_file()
            or meta.get("key") != _sealed_key(key, pdf_path.read_bytes())
        ):
            return None
        warnings = [
            Problem(str(path), int(line), str(message), "warning")
            for path, line, message in meta.get("warnings", [])
        ]
        return int(meta.get("pages", 0)), warnings
    except (OSError, ValueError, TypeError, AttributeError):
        return None


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
