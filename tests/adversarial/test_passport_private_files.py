"""A public passport or site holds only what the public site publishes, never another file
of the portfolio.

Raw HTML in a public entry, a Markdown image or a theme's style sheet can name any file
inside the portfolio: a private artefact's photo, the self-assessment answers, the private
build in ``_private/``, a picture a private passport left in the cache, ``.git/config``.
Each attack must leave that file out of the public passport (with a warning at the file
and line that names it) and out of the public site, while the private passport, whose
audience may see the private artefact, still shows its photo.
"""

from __future__ import annotations

import pytest
from attack_support import CANARY, cli, image_sizes, leaks, line_of, md, png, portfolio

ENTRY = "journal/2026-03-02-attack.md"
PHOTO = "artefacts/private-thing/photo.png"
SECRET_SIZE = (43, 29)  # the private artefact's photo: no other picture has this size
SECRET = png(SECRET_SIZE, (240, 20, 190))
OTHER_SIZE = (47, 13)  # another private picture, in a folder that is never published
SECRET_TEXT = f"skills: {{}}\n# {CANARY}\n"  # valid as a self-assessment round too
NOT_PUBLISHED = "it is not published"
BODY_LINE = 7  # of the entry's body, below its front matter
FROM_BASE = "../../../"  # from the passport's base address (its cache of pictures) to the portfolio


def files(body: str = "Nothing yet.", **extra) -> dict[str, str | bytes]:
    """A public artefact (featured, so that a private copy shows no other artefact in full),
    a private artefact with a photo, and a public entry for the passport holding ``body``."""
    return {
        "artefacts/shown.md": md("Shown", "A public artefact.", featured="true"),
        "artefacts/private-thing/index.md": md(
            "Private thing",
            "Mine only.",
            visibility="private",
            media="\n  - src: photo.png\n    alt: my face",
        ),
        PHOTO: SECRET,
        ENTRY: attack_entry(body),
        **extra,
    }


def attack_entry(body: str) -> str:
    return md("Attack", body, date="2026-03-02", passport="true")


def passport(root, *args):
    run = cli("passport", root, *args)
    assert run.code == 0, run.err
    name = "passport-private.pdf" if "--private" in args else "passport.pdf"
    return image_sizes(root / name), run


def refused(run, path: str, line: int, shown: str) -> None:
    expected = f"{path}:{line}: warning: the passport does not include '{shown}': {NOT_PUBLISHED}"
    assert expected in run.lines, run.err


def site_leaks(root, *args) -> list[str]:
    run = cli("build", root, *args)
    assert run.code == 0, run.err
    return leaks(root / ("_private" if "--private" in args else "_site"), SECRET)


@pytest.mark.parametrize("how", ["relative", "absolute"])  # the sanitiser drops file: addresses
def test_raw_html_image_of_a_private_artefact(tmp_path, how):
    root = tmp_path / "p"
    src = {"relative": FROM_BASE + PHOTO, "absolute": str(root / PHOTO)}[how]
    body = f'Me:\n\n<img src="{src}" alt="a private photo">'
    portfolio(root, files(body), allow_html=True)
    sizes, run = passport(root)
    assert SECRET_SIZE not in sizes
    refused(run, ENTRY, line_of(attack_entry(body), src), src)
    assert site_leaks(root) == []
    sizes, run = passport(root, "--private")  # its owner may see the private artefact
    assert SECRET_SIZE in sizes
    assert NOT_PUBLISHED not in run.err
    assert site_leaks(root, "--private") != []


@pytest.mark.parametrize(
    "target",
    [
        "assessments/2026-01-01.yaml",
        ".git/config",
        "_private/index.html",
        "portfolio.yaml",
        "journal/2026-03-01-first.md",
    ],
)
def test_raw_html_image_of_a_file_that_is_never_published(tmp_path, target):
    root = tmp_path / "p"
    src = FROM_BASE + target
    body = f'<img src="{src}" alt="not a picture">'
    extra = {} if target in ("portfolio.yaml", "journal/2026-03-01-first.md") else {target: SECRET_TEXT}
    portfolio(root, files(body, **extra), allow_html=True)
    sizes, run = passport(root)
    refused(run, ENTRY, BODY_LINE, src)
    sizes, run = passport(root, "--private")  # not published in any passport either
    refused(run, ENTRY, BODY_LINE, src)


def test_raw_html_image_of_the_private_build(tmp_path):
    root = tmp_path / "p"
    portfolio(root, files(), allow_html=True)
    assert cli("build", root, "--private").code == 0
    copy = "_private/artefacts/private-thing/photo.png"
    assert (root / copy).read_bytes() == SECRET
    body = f'<img src="{FROM_BASE + copy}" alt="a private photo">'
    (root / ENTRY).write_text(attack_entry(body), encoding="utf-8")
    sizes, run = passport(root)
    assert SECRET_SIZE not in sizes
    refused(run, ENTRY, BODY_LINE, FROM_BASE + copy)
    assert site_leaks(root) == []


def test_raw_html_image_of_a_picture_a_private_passport_left_in_the_cache(tmp_path):
    root = tmp_path / "p"
    shown = md("Shown", "A public artefact.")  # not featured: the private copy shows all in full
    portfolio(root, files(**{"artefacts/shown.md": shown}), allow_html=True)
    sizes, _ = passport(root, "--private")
    assert SECRET_SIZE in sizes
    cached = [
        p.name
        for p in (root / ".elenefolio-cache/passport/images").iterdir()
        if image_sizes_of(p) == SECRET_SIZE
    ]
    assert cached
    body = f'<img src="{cached[0]}" alt="a private photo">'
    (root / ENTRY).write_text(attack_entry(body), encoding="utf-8")
    sizes, run = passport(root)
    assert SECRET_SIZE not in sizes
    refused(run, ENTRY, BODY_LINE, cached[0])


def image_sizes_of(path) -> tuple[int, int]:
    from PIL import Image

    with Image.open(path) as image:
        return image.size


def test_markdown_image_into_a_private_artefacts_folder(tmp_path):
    root = tmp_path / "p"
    shown = md("Shown", "A public artefact.\n\n![a photo](private-thing/photo.png)", featured="true")
    portfolio(root, files(**{"artefacts/shown.md": shown}))
    sizes, run = passport(root)
    assert SECRET_SIZE not in sizes
    warning = (
        f"artefacts/shown.md:{line_of(shown, 'private-thing/photo.png')}: warning: image "
        f"'{PHOTO}' belongs to 'artefacts/private-thing/index.md', which is "
        "not published: it is left out"
    )
    assert warning in run.lines, run.err
    assert site_leaks(root) == []
    sizes, run = passport(root, "--private")
    assert SECRET_SIZE in sizes
    assert site_leaks(root, "--private") != []


def test_markdown_image_in_a_journal_entry_into_a_private_artefacts_folder_is_an_error(tmp_path):
    root = tmp_path / "p"
    portfolio(root, files("![a photo](../artefacts/private-thing/photo.png)"))
    run = cli("passport", root)
    assert run.code == 1
    assert f"{ENTRY}:{BODY_LINE}: image 'photo.png' must be in the same folder" in run.err
    assert not (root / "passport.pdf").exists()


def test_style_sheet_of_a_portfolio_theme(tmp_path):
    root = tmp_path / "p"
    css = f'@page {{ margin: 20mm; }}\n.cover {{ background: url("{(root / PHOTO).as_uri()}"); }}\n'
    portfolio(root, files(**{"themes/mine/print/passport.css": css}), theme="mine")
    sizes, run = passport(root)
    assert SECRET_SIZE not in sizes
    refused(run, "themes/mine/print/passport.css", 2, str(root / PHOTO))
    sizes, run = passport(root, "--private")
    assert SECRET_SIZE in sizes


def test_published_files_are_still_included(tmp_path):
    """A public artefact's picture named in raw HTML is published anyway: it may be printed."""
    root = tmp_path / "p"
    public = "artefacts/open/photo.png"
    body = f'<img src="{FROM_BASE + public}" alt="a public photo">'
    portfolio(
        root,
        files(
            body,
            **{
                "artefacts/open/index.md": md("Open", "Public.", media="\n  - src: photo.png\n    alt: a"),
                public: png(OTHER_SIZE, (10, 10, 10)),
            },
        ),
        allow_html=True,
    )
    sizes, run = passport(root)
    assert OTHER_SIZE in sizes
    assert NOT_PUBLISHED not in run.err


@pytest.mark.parametrize(
    "target",
    [
        "_private/index.html",
        ".elenefolio-cache/passport/private-a4.pdf",
        ".git/config",
        "assessments/2026-01-01.yaml",
    ],
)
def test_about_page_links_to_a_file_that_is_never_published(tmp_path, target):
    root = tmp_path / "p"
    portfolio(root, files(**{target: SECRET_TEXT, "about.md": f"# About\n\nSee [my notes]({target}).\n"}))
    run = cli("build", root)
    assert run.code == 0, run.err
    assert f"about.md:3: warning: file '{target}' is never published: it is left out" in run.lines
    assert leaks(root / "_site", CANARY) == []
