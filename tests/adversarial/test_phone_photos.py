"""Phone photos and formats no browser shows.

A HEIC photo (what iPhones write) is published as a JPEG file of the same name: turned the
right way up, without its EXIF or GPS data, with its smaller WebP copies, and printed in the
passport; the HEIC file itself never reaches the site. A TIFF, RAW or Photoshop file shown as
a picture is refused with one line saying what to do. Real HEIC files are written here with
pillow-heif (an HEVC encoder is part of its wheel)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from attack_support import cli, image_sizes, md, portfolio
from bs4 import BeautifulSoup
from PIL import Image

pillow_heif = pytest.importorskip("pillow_heif")

RED, BLUE, WHITE = (255, 0, 0), (0, 0, 255), (255, 255, 255)
GPS_IFD = 0x8825


def heic(size: tuple[int, int] = (1200, 600), left=RED, orientation: int = 6) -> bytes:
    """A HEIC photo as a phone writes it: the left half ``left``, the right half white, with
    a GPS position and the camera's make in its EXIF, shown turned by ``orientation``."""
    pillow_heif.register_heif_opener()
    image = Image.new("RGB", size, WHITE)
    image.paste(left, (0, 0, size[0] // 2, size[1]))
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "Apple"
    exif[GPS_IFD] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)}
    out = io.BytesIO()
    image.save(out, "HEIF", exif=exif.tobytes(), quality=90)
    return out.getvalue()


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "lxml")


def files(photo: bytes) -> dict:
    return {
        "artefacts/board/index.md": md(
            "Whiteboard",
            "The plan we drew together.",
            type="image",
            media="\n  - src: IMG_0042.HEIC\n    alt: The whiteboard after the workshop",
        ),
        "artefacts/board/IMG_0042.HEIC": photo,
        "journal/2026-03-02-photo.md": md(
            "Photo from the meeting", "Our plan:\n\n![The plan on the wall](wall.heic)\n", date="2026-03-02"
        ),
        "journal/wall.heic": photo,
    }


def assert_clean_upright_jpeg(path: Path, size=(600, 1200), top=RED) -> None:
    """``path`` is a JPEG file of ``size`` without EXIF, whose top is ``top`` and bottom white
    (the HEIC's left half, once turned as its orientation says)."""
    data = path.read_bytes()
    assert data.startswith(b"\xff\xd8")
    assert b"Exif" not in data and b"Apple" not in data
    with Image.open(path) as image:
        assert image.format == "JPEG" and image.size == size
        assert not image.getexif() and not image.getexif().get_ifd(GPS_IFD)
        rgb = image.convert("RGB")
        width, height = size
        near = lambda a, b: all(abs(x - y) < 40 for x, y in zip(a, b))  # noqa: E731
        assert near(rgb.getpixel((width // 2, height // 10)), top)
        assert near(rgb.getpixel((width // 2, height - height // 10)), WHITE)


def no_heif_in(site: Path) -> None:
    for path in site.rglob("*"):
        assert path.suffix.lower() not in (".heic", ".heif"), path
        if path.is_file():
            head = path.read_bytes()[:12]
            assert not (head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"mif1", b"heix")), path


def test_a_heic_photo_is_published_as_an_upright_jpeg_without_its_gps(tmp_path):
    root = portfolio(tmp_path / "p", files(heic()))
    run = cli("build", root)
    assert run.code == 0, run.err
    site = root / "_site"
    no_heif_in(site)
    assert_clean_upright_jpeg(site / "artefacts/board/IMG_0042.jpg")
    assert_clean_upright_jpeg(site / "journal/2026-03-02-photo/wall.jpg")

    page = soup(site / "artefacts/board/index.html")
    img = page.select_one("figure img")
    assert img["src"] == "IMG_0042.jpg" and (img["width"], img["height"]) == ("600", "1200")
    srcset = dict(reversed(c.split()) for c in img["srcset"].split(", "))
    assert srcset["600w"] == "IMG_0042.jpg"
    copy = (site / "artefacts/board" / srcset["480w"]).resolve()
    with Image.open(copy) as small:  # the smaller copy: upright, WebP, no metadata
        assert small.format == "WEBP" and small.size == (480, 960) and not small.getexif()
    hrefs = [a["href"] for a in page.select("a[href]")]
    assert not any(".heic" in h.lower() for h in hrefs)
    assert not any(".heic" in str(tag).lower() for tag in page.select("img, source, a"))
    entry = soup(site / "journal/2026-03-02-photo/index.html")
    body_img = entry.select_one("main img[alt='The plan on the wall']")
    assert body_img["src"].endswith("wall.jpg")
    assert (site / "journal/2026-03-02-photo" / body_img["src"]).resolve().is_file()


@pytest.mark.slow  # converts HEIC photos: seconds
def test_keep_metadata_still_converts_but_keeps_the_exif(tmp_path):
    root = portfolio(tmp_path / "p", files(heic()), keep_metadata=True)
    assert cli("build", root).code == 0
    site = root / "_site"
    no_heif_in(site)
    with Image.open(site / "artefacts/board/IMG_0042.jpg") as image:
        assert image.format == "JPEG" and image.size == (600, 1200)
        exif = image.getexif()
        assert exif.get(0x010F) == "Apple" and exif.get_ifd(GPS_IFD)
        assert exif.get(0x0112, 1) == 1  # turned already: no browser turns it again


@pytest.mark.slow  # converts HEIC photos in two builds: seconds
def test_an_edited_heic_photo_is_converted_again_by_the_next_build(tmp_path):
    root = portfolio(tmp_path / "p", files(heic()))
    assert cli("build", root).code == 0
    published = root / "_site/artefacts/board/IMG_0042.jpg"
    assert_clean_upright_jpeg(published)
    (root / "artefacts/board/IMG_0042.HEIC").write_bytes(heic(left=BLUE))
    run = cli("build", root)
    assert run.code == 0, run.err
    assert_clean_upright_jpeg(published, top=BLUE)
    assert cli("build", root).code == 0  # and a third build reuses the cached copy
    assert_clean_upright_jpeg(published, top=BLUE)


@pytest.mark.slow
def test_the_passport_prints_the_heic_photo(tmp_path):
    root = portfolio(tmp_path / "p", files(heic()))
    run = cli("passport", root)
    assert run.code == 0, run.err
    assert (600, 1200) in image_sizes(root / "passport.pdf")


@pytest.mark.slow  # converts HEIC photos: seconds
@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # cut short
        lambda data: data[:32] + b"\0" * 200,  # a HEIC header and nothing after it
    ],
)
def test_a_broken_heic_photo_is_one_line_without_a_traceback(tmp_path, damage):
    root = portfolio(tmp_path / "p", {**files(heic()), "journal/wall.heic": damage(heic())})
    run = cli("build", root)
    assert run.code == 1
    errors = [line for line in run.lines if not line.startswith("build failed")]
    assert len(errors) == 1, run.err  # not once more for each smaller copy
    assert errors[0].startswith(
        "journal/2026-03-02-photo.md:8: image 'wall.heic': this HEIC photo cannot be read"
    )
    assert errors[0].endswith("export it from the phone or photo app as JPEG")


def test_a_heic_and_a_jpeg_of_the_same_name_are_refused(tmp_path):
    files = {
        "artefacts/board/index.md": md(
            "Whiteboard",
            type="image",
            media="\n  - src: photo.jpg\n    alt: One\n  - src: photo.heic\n    alt: Two",
        ),
        "artefacts/board/photo.heic": heic(),
        "artefacts/board/photo.jpg": heic(),  # the content does not matter here
    }
    run = cli("build", portfolio(tmp_path / "p", files))
    assert run.code == 1
    assert any(
        line.startswith("artefacts/board/index.md:") and "would both be published as 'photo.jpg'" in line
        for line in run.lines
    ), run.err


def test_formats_no_browser_shows_are_refused_with_what_to_do(tmp_path):
    body = "Scan:\n\n![The scan](scan.TIF)\n\nThe [layered file](design.psd) to download.\n"
    files = {
        "artefacts/raw/index.md": md(
            "Raw work",
            body,
            type="image",
            media="\n  - src: photo.dng\n    alt: A RAW photo\n  - src: talk.avi\n    alt: A talk",
        ),
        "artefacts/raw/scan.TIF": b"II*\0" + b"\0" * 64,
        "artefacts/raw/photo.dng": b"II*\0" + b"\0" * 64,
        "artefacts/raw/talk.avi": b"RIFF\0\0\0\0AVI " + b"\0" * 64,
        "artefacts/raw/design.psd": b"8BPS" + b"\0" * 64,
    }
    run = cli("build", portfolio(tmp_path / "p", files))
    assert run.code == 1
    errors = [line for line in run.lines if line.startswith("artefacts/raw/index.md:")]
    assert any("'scan.TIF' is a TIFF file" in e and "export it as JPEG, PNG or WebP" in e for e in errors)
    assert any("'photo.dng' is a camera RAW file" in e and "export it as JPEG" in e for e in errors)
    assert any("'talk.avi' is an AVI file" in e and "MP4" in e for e in errors)
    assert not any("design.psd" in e for e in errors), "a link to a file is a download, not a picture"


def test_a_heic_photo_in_static_and_as_the_profile_photo_is_published_as_jpeg(tmp_path):
    files = {
        "static/photos/team.heic": heic(),
        "me.heic": heic(size=(400, 200)),
        "journal/2026-03-02-team.md": md("Team", "![The team](/photos/team.heic)\n", date="2026-03-02"),
    }
    root = portfolio(tmp_path / "p", files, author={"name": "Ada Tester", "photo": "me.heic"})
    run = cli("build", root)
    assert run.code == 0, run.err
    site = root / "_site"
    no_heif_in(site)
    assert_clean_upright_jpeg(site / "photos/team.jpg")
    entry = soup(site / "journal/2026-03-02-team/index.html")
    assert entry.select_one("main img[alt='The team']")["src"].endswith("photos/team.jpg")
    photos = list(site.rglob("me.jpg"))
    assert photos, sorted(p.name for p in site.rglob("*.jpg"))
    assert_clean_upright_jpeg(photos[0], size=(200, 400))


@pytest.mark.slow  # converts HEIC photos: seconds
def test_a_heic_and_a_jpeg_of_the_same_name_in_static_are_refused(tmp_path):
    files = {"static/photos/team.heic": heic(), "static/photos/team.jpg": heic()}
    run = cli("build", portfolio(tmp_path / "p", files))
    assert run.code == 1
    assert any(
        line.startswith("static/photos/") and "would both be published as 'photos/team.jpg'" in line
        for line in run.lines
    ), run.err


@pytest.mark.slow  # converts HEIC photos and exports: seconds
def test_a_public_leap2a_export_carries_photos_without_their_gps(tmp_path):
    import zipfile

    jpeg = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "Apple"
    exif[GPS_IFD] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)}
    Image.new("RGB", (40, 30), RED).save(jpeg, "JPEG", exif=exif.tobytes())
    root = portfolio(
        tmp_path / "p",
        {
            **files(heic()),
            "journal/snap.jpg": jpeg.getvalue(),
            "journal/2026-03-03-snap.md": md("Snap", "![A red card](snap.jpg)", date="2026-03-03"),
        },
    )
    for private in (False, True):
        out = tmp_path / f"export-{private}.zip"
        run = cli("export", root, "--format", "leap2a", "-o", out, *(["--private"] if private else []))
        assert run.code == 0, run.err
        with zipfile.ZipFile(out) as archive:
            names = archive.namelist()
            heics = [n for n in names if n.lower().endswith(".heic")]
            jpgs = [n for n in names if n.endswith("snap.jpg")]
            assert len(heics) == 2 and jpgs, names
            for name in heics + jpgs:
                with Image.open(io.BytesIO(archive.read(name))) as image:
                    gps = image.getexif().get_ifd(GPS_IFD)
                    if private:  # the learner's own copy keeps the files as they are
                        assert gps, name
                    else:
                        assert not gps and image.getexif().get(0x010F) is None, name
                        if name in heics:
                            assert image.size == (600, 1200)  # turned the right way up
