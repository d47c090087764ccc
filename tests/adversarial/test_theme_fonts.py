"""The passport's fonts come from the theme only.

The passport reads the theme's ``static/css/fonts.css``; a portfolio's own theme may bring
one. A font it names outside the theme (``../../../``, or through a symbolic link) is never
read, unpacked or embedded: the passport is made without it and warns at the style sheet."""

from __future__ import annotations

import os
from pathlib import Path

from attack_support import cli, md, portfolio

FONTS = Path(__file__).resolve().parents[2] / "themes/default/static/fonts/inter"
FACE = '@font-face {{ font-family: "Stolen"; src: url("{url}") format("woff2"); }}\n'
NAME = "Secretfontname"


def font_named(path: Path, name: str = NAME) -> Path:
    """A WOFF2 font whose family is called ``name`` (so that its copies can be recognised)."""
    from fontTools.ttLib import TTFont

    font = TTFont(FONTS / "inter-latin-400-normal.woff2")
    for record in font["name"].names:
        if record.nameID in (1, 4, 6, 16):
            record.string = name
    font.flavor = "woff2"
    path.parent.mkdir(parents=True, exist_ok=True)
    font.save(path)
    return path


def holds_name(folder: Path) -> list[str]:
    """Files below ``folder`` holding the font's name (as ASCII or UTF-16)."""
    needles = (NAME.encode(), NAME.encode("utf-16-be"))
    return [p.name for p in folder.rglob("*") if p.is_file() and any(n in p.read_bytes() for n in needles)]


def pdf_fonts(pdf: Path) -> set[str]:
    from pypdf import PdfReader

    return {
        str(font.get_object()["/BaseFont"])
        for page in PdfReader(pdf).pages
        # ["/Font"], not .get("/Font"): pypdf before 7 returns the indirect object from .get()
        for font in (page["/Resources"]["/Font"] if "/Font" in page["/Resources"] else {}).values()
    }


def theme_portfolio(root: Path, url: str) -> Path:
    css = FACE.format(url=url) + 'body { font-family: "Stolen", serif; }\n'
    return portfolio(
        root,
        {
            "themes/mine/static/css/fonts.css": css,
            "journal/2026-03-02-entry.md": md("Entry", "Words.", passport="true"),
        },
        theme="mine",
    )


def test_a_font_outside_the_theme_is_never_read(tmp_path):
    font_named(tmp_path / "outside" / "stolen.woff2")
    root = theme_portfolio(tmp_path / "p", "../../../../../outside/stolen.woff2")
    run = cli("passport", root)
    assert run.code == 0, run.err
    assert any(
        line.startswith("themes/mine/static/css/fonts.css:1: warning: the passport does not include")
        and "outside the portfolio" in line
        for line in run.lines
    ), run.err
    assert holds_name(root) == [] and not any("Stolen" in name for name in pdf_fonts(root / "passport.pdf"))


def test_a_link_in_the_theme_to_a_font_outside_is_never_read(tmp_path):
    secret = font_named(tmp_path / "outside" / "stolen.woff2")
    root = theme_portfolio(tmp_path / "p", "../fonts/linked.woff2")
    (root / "themes/mine/static/fonts").mkdir(parents=True)
    os.symlink(secret, root / "themes/mine/static/fonts/linked.woff2")
    cli("passport", root)  # the link is reported; the theme is not used
    assert holds_name(root) == []


def test_a_font_of_the_theme_is_used(tmp_path):
    root = theme_portfolio(tmp_path / "p", "../fonts/own.woff2")
    font_named(root / "themes/mine/static/fonts/own.woff2")
    run = cli("passport", root)
    assert run.code == 0 and not [line for line in run.lines if "warning" in line], run.err
    assert len(list((root / ".elenefolio-cache/passport").glob("fonts/*.ttf"))) == 1
    assert any("Stolen" in name for name in pdf_fonts(root / "passport.pdf"))  # embedded
