"""Smaller copies of pictures (``srcset``, card thumbnails) and how cards show them.

Copies are WebP files at 480, 960 and 1600 pixels wide, only narrower than the original (a
picture is never enlarged), made at build time and kept in the build cache; they carry no
metadata (a phone's photo says where it was taken). A changed picture gets new copies. A card
keeps a picture that holds text whole (``fit: contain``) and crops at ``focus:``."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from attack_support import cli, md, portfolio
from bs4 import BeautifulSoup
from PIL import Image


def photo(size: tuple[int, int], colour=(40, 120, 160), gps: bool = False) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, colour)
    exif = Image.Exif()
    if gps:
        exif[0x8825] = {1: "N", 2: (52.0, 10.0, 0.0)}  # a GPS position
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def artefact(media: str, files: dict[str, bytes], slug: str = "work") -> dict:
    return {
        f"artefacts/{slug}/index.md": md("Work", "My work.", type="image", media="\n" + media),
        **{f"artefacts/{slug}/{name}": data for name, data in files.items()},
    }


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "lxml")


def candidates(img) -> dict[int, str]:
    return {int(w.rstrip("w")): url for url, w in (c.split() for c in img["srcset"].split(", "))}


def test_copies_are_narrower_webp_without_metadata_and_cards_use_the_smallest(tmp_path):
    root = portfolio(
        tmp_path / "p",
        artefact("  - src: big.jpg\n    alt: A wide photo", {"big.jpg": photo((1200, 800), gps=True)}),
    )
    run = cli("build", root)
    assert run.code == 0, run.err
    site = root / "_site"
    img = soup(site / "artefacts/work/index.html").select_one("figure img")
    found = candidates(img)
    assert sorted(found) == [480, 960, 1200] and found[1200] == "big.jpg"  # no 1600: never enlarged
    assert (img["width"], img["height"]) == ("1200", "800")
    for width in (480, 960):
        copy = (site / "artefacts/work" / found[width]).resolve()
        with Image.open(copy) as image:
            assert image.format == "WEBP" and image.size == (width, round(800 * width / 1200))
            assert not image.getexif() and "exif" not in image.info
    card = soup(site / "artefacts/index.html").select_one("img.card-thumb")
    assert card["src"].endswith(found[480].rsplit("/", 1)[-1])
    assert sorted(candidates(card)) == [480, 960]


@pytest.mark.slow  # a build with pictures: seconds
def test_a_small_picture_has_no_copies_and_is_never_enlarged_on_a_card(tmp_path):
    root = portfolio(
        tmp_path / "p",
        artefact("  - src: small.jpg\n    alt: A small photo", {"small.jpg": photo((300, 200))}),
    )
    assert cli("build", root).code == 0
    site = root / "_site"
    assert not (site / "assets/sizes").exists()
    card = soup(site / "artefacts/index.html").select_one("img.card-thumb")
    assert "small" in card["class"] and card["srcset"] == "work/small.jpg 300w"


@pytest.mark.slow  # two builds with pictures: seconds
def test_fit_and_focus_reach_the_card_and_a_bad_focus_is_one_line(tmp_path):
    files = artefact(
        "  - src: poster.jpg\n    alt: A poster\n    fit: contain", {"poster.jpg": photo((900, 600))}
    )
    files.update(
        artefact(
            "  - src: crop.jpg\n    alt: A crop\n    focus: 50% 20%",
            {"crop.jpg": photo((901, 600))},
            slug="crop",
        )
    )
    root = portfolio(tmp_path / "p", files)
    assert cli("build", root).code == 0
    cards = {
        img["src"].rsplit("/", 1)[-1]: img
        for img in soup(root / "_site/artefacts/index.html").select("img.card-thumb")
    }
    assert len(cards) == 2
    contained = next(img for img in cards.values() if "fit-contain" in img["class"])
    cropped = next(img for img in cards.values() if img is not contained)
    assert cropped["style"] == "object-position: 50% 20%" and not contained.get("style")

    bad = artefact(
        '  - src: crop.jpg\n    alt: A crop\n    focus: "top; background: url(x)"',
        {"crop.jpg": photo((901, 600))},
    )
    root = portfolio(tmp_path / "bad", bad)
    run = cli("build", root)
    assert run.code == 1 and len(run.lines) == 2, run.err
    assert run.lines[0].startswith("artefacts/work/index.md:8: 'focus' is where a card centres")


@pytest.mark.slow  # a sequence of builds with pictures: seconds
def test_a_changed_picture_gets_new_copies_in_an_incremental_build(tmp_path):
    root = portfolio(
        tmp_path / "p",
        artefact("  - src: big.jpg\n    alt: A photo", {"big.jpg": photo((1000, 500), (200, 30, 30))}),
    )
    assert cli("build", root).code == 0
    page = root / "_site/artefacts/work/index.html"
    before = candidates(soup(page).select_one("figure img"))
    (root / "artefacts/work/big.jpg").write_bytes(photo((2000, 500), (30, 200, 30)))
    assert cli("build", root).code == 0
    after = candidates(soup(page).select_one("figure img"))
    assert sorted(before) == [480, 960, 1000] and sorted(after) == [480, 960, 1600, 2000]
    copy = (page.parent / after[480]).resolve()
    with Image.open(copy) as image:
        assert image.size == (480, 120) and image.convert("RGB").getpixel((5, 5))[1] > 150


@pytest.mark.slow  # a sequence of builds with pictures: seconds
def test_a_picture_in_a_body_gets_a_srcset_kept_up_to_date(tmp_path):
    entry = md("Notes", "Look:\n\n![A chart](chart.jpg)\n")
    root = portfolio(
        tmp_path / "p",
        {
            "journal/2026-03-02-notes/index.md": entry,
            "journal/2026-03-02-notes/chart.jpg": photo((1000, 600)),
        },
    )
    assert cli("build", root).code == 0, "first build"
    page = next((root / "_site/journal").glob("*notes*/index.html"))
    img = soup(page).select_one("main img[alt='A chart']")
    assert sorted(candidates(img)) == [480, 960, 1000] and img["width"] == "1000"
    (root / "journal/2026-03-02-notes/chart.jpg").write_bytes(photo((700, 600)))
    assert cli("build", root).code == 0
    img = soup(page).select_one("main img[alt='A chart']")
    assert sorted(candidates(img)) == [480, 700] and img["width"] == "700"
    for url in candidates(img).values():
        assert (page.parent / url).resolve().is_file()


@pytest.mark.slow  # a build with pictures: seconds
def test_raw_html_bodies_get_no_srcset(tmp_path):
    entry = md("Notes", "![A chart](chart.jpg)\n")
    root = portfolio(
        tmp_path / "p",
        {
            "journal/2026-03-02-notes/index.md": entry,
            "journal/2026-03-02-notes/chart.jpg": photo((1000, 600)),
        },
        allow_html=True,
    )
    assert cli("build", root).code == 0
    page = next((root / "_site/journal").glob("*notes*/index.html"))
    img = soup(page).select_one("main img[alt='A chart']")
    assert img["src"].endswith("chart.jpg") and not img.get("srcset")
