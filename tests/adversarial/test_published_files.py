"""What published files carry: photos without their location, SVG images that run and load
nothing, no ``data:`` media.

Photos are real JPEG, PNG and WebP files made with Pillow, as a phone writes them: GPS
position and a maker note in EXIF, the position again in XMP, and an EXIF orientation that
says "turn me". SVG images are hostile: scripts, event handlers, ``javascript:`` and outside
addresses, ``<foreignObject>``, an external entity that reads a local file, "billion laughs".
"""

from __future__ import annotations

import gzip
import io
import json

import pytest
from attack_support import CANARY, cli, leaks, md, portfolio, settings, tree
from lxml import etree
from PIL import Image, PngImagePlugin

GPS_IFD, EXIF_IFD, MAKER_NOTE, ORIENTATION = 0x8825, 0x8769, 0x927C, 0x0112
MAKER_SECRET = b"MAKERNOTE-SERIAL-0042"
XMP = (
    '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    'xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="48,51.4940N" '
    'exif:GPSLongitude="2,17.6700E"/></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
)
LOCATION_STRINGS = (b"GPSLatitude", b"GPSLongitude", MAKER_SECRET, b"xpacket", b"PhoneMaker")


def phone_photo(fmt: str) -> bytes:
    """A 40x20 picture (red left half, blue right half) with the location and camera data a
    phone writes, and orientation 6 (to be turned 90 degrees clockwise: 20x40)."""
    image = Image.new("RGB", (40, 20), (200, 30, 30))
    image.paste((30, 30, 200), (20, 0, 40, 20))
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (48.0, 51.0, 29.6), 3: "E", 4: (2.0, 17.0, 40.2)})
    exif.get_ifd(EXIF_IFD)[MAKER_NOTE] = MAKER_SECRET
    out = io.BytesIO()
    if fmt == "PNG":
        info = PngImagePlugin.PngInfo()
        info.add_itxt("XML:com.adobe.xmp", XMP)
        image.save(out, fmt, exif=exif, pnginfo=info)
    else:
        image.save(out, fmt, exif=exif, xmp=XMP.encode())
    data = out.getvalue()
    assert all(s in data for s in LOCATION_STRINGS)
    return data


def errors(run) -> list[str]:
    """The problems a failed build reported, without its closing summary line."""
    return [line for line in run.lines if not line.startswith("build failed")]


def assert_clean_photo(data: bytes, where: str) -> None:
    for secret in LOCATION_STRINGS:
        assert secret not in data, (where, secret)
    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        assert not exif.get_ifd(GPS_IFD) and not exif.get_ifd(EXIF_IFD), where
        assert "xmp" not in image.info and "XML:com.adobe.xmp" not in image.info, where
        assert image.size == (20, 40), where  # turned as the orientation said
        assert exif.get(ORIENTATION, 1) == 1, where
        rgb = image.convert("RGB")
        red, blue = rgb.getpixel((10, 5)), rgb.getpixel((10, 35))
        assert red[0] > 150 > red[2] and blue[2] > 150 > blue[0], where  # red on top


def badge_json(name: str) -> str:
    return json.dumps(
        {
            "@context": "https://w3id.org/openbadges/v2",
            "type": "Assertion",
            "id": "https://issuer.example.org/assertions/7",
            "recipient": {"type": "email", "hashed": False, "identity": "ada@example.org"},
            "badge": {
                "type": "BadgeClass",
                "id": "https://issuer.example.org/badges/1",
                "name": name,
                "description": "A badge.",
                "criteria": {"narrative": "Did it."},
                "issuer": {
                    "id": "https://issuer.example.org/",
                    "type": "Issuer",
                    "name": "Example Issuer",
                    "url": "https://issuer.example.org/",
                },
            },
            "issuedOn": "2026-03-01T12:00:00Z",
            "verification": {"type": "hosted"},
        }
    )


def photo_portfolio(root, **config):
    return portfolio(
        root,
        {
            "portfolio.yaml": settings(
                author={"name": "Ada Tester", "photo": "me.webp", "email": "ada@example.org"}, **config
            ),
            "me.webp": phone_photo("WEBP"),
            "artefacts/trip/index.md": md(
                "Field trip", "![The lake](lake.png)", media="[{src: photo.jpg, alt: The shore}]"
            ),
            "artefacts/trip/photo.jpg": phone_photo("JPEG"),
            "artefacts/trip/lake.png": phone_photo("PNG"),
            "static/banner.jpg": phone_photo("JPEG"),
            "badges/field.json": badge_json("Field Work"),
            "badges/field.yaml": "image: field.jpg\nvisibility: public\n",
            "badges/field.jpg": phone_photo("JPEG"),
        },
    )


PUBLISHED_PHOTOS = (
    "artefacts/trip/photo.jpg",
    "artefacts/trip/lake.png",
    "banner.jpg",
    "profile/me.webp",
    "badges/field.jpg",
)


def test_photos_lose_location_and_camera_data_and_are_turned_upright(tmp_path):
    root = photo_portfolio(tmp_path / "p")
    run = cli("build", root)
    assert run.code == 0, run.err
    site = root / "_site"
    for rel in PUBLISHED_PHOTOS:
        assert_clean_photo((site / rel).read_bytes(), rel)
    clean = cli("build", "--no-cache", "-o", tmp_path / "clean", root)
    assert clean.code == 0, clean.err
    assert tree(tmp_path / "clean") == tree(site)  # the same with and without the cache


@pytest.mark.slow  # a build with photos: seconds
def test_keep_metadata_publishes_photos_as_they_are(tmp_path):
    root = photo_portfolio(tmp_path / "p", keep_metadata=True)
    assert cli("build", root).code == 0
    for rel in PUBLISHED_PHOTOS:
        data = (root / "_site" / rel).read_bytes()
        with Image.open(io.BytesIO(data)) as image:
            assert image.getexif().get_ifd(GPS_IFD), rel


@pytest.mark.slow  # a sequence of builds with photos: seconds
def test_changing_keep_metadata_changes_an_incremental_build(tmp_path):
    root = photo_portfolio(tmp_path / "p")
    (root / "static/banner.jpg").write_bytes(phone_photo("JPEG").replace(b"PhoneMaker", b"PhoneMakeS"))
    assert cli("build", root).code == 0
    config = root / "portfolio.yaml"
    config.write_text(config.read_text() + "keep_metadata: true\n")
    assert cli("build", root).code == 0
    assert MAKER_SECRET in (root / "_site/banner.jpg").read_bytes()
    config.write_text(config.read_text().replace("keep_metadata: true\n", ""))
    assert cli("build", root).code == 0
    assert_clean_photo((root / "_site/banner.jpg").read_bytes(), "banner.jpg")
    # an edited photo is cleaned again, and the copy of the old one is not kept
    before = {p.name for p in (root / ".elenefolio-cache").rglob("published/*")}
    (root / "static/banner.jpg").write_bytes(phone_photo("JPEG").replace(b"PhoneMaker", b"PhoneMakeR"))
    assert cli("build", root).code == 0
    assert_clean_photo((root / "_site/banner.jpg").read_bytes(), "banner.jpg")
    after = {p.name for p in (root / ".elenefolio-cache").rglob("published/*")}
    assert len(before - after) == len(after - before) == 1


@pytest.mark.slow  # a build with photos: seconds
def test_a_photo_without_metadata_is_published_unchanged(tmp_path):
    out = io.BytesIO()
    Image.new("RGB", (30, 10), (10, 120, 60)).save(out, "JPEG", quality=70)
    root = portfolio(tmp_path / "p", {"static/plain.jpg": out.getvalue()})
    assert cli("build", root).code == 0
    assert (root / "_site/plain.jpg").read_bytes() == out.getvalue()


def test_a_damaged_photo_with_metadata_is_an_error_not_published(tmp_path):
    damaged = phone_photo("JPEG")[:400]  # the EXIF is there, the picture is not
    root = portfolio(
        tmp_path / "p",
        {
            "artefacts/a.md": md("Broken photo", media="[{src: broken.jpg, alt: A photo}]"),
            "artefacts/broken.jpg": damaged,
        },
    )
    run = cli("build", root)
    assert run.code == 1
    assert len(errors(run)) == 1
    assert errors(run)[0].startswith("artefacts/a.md:4: media 'broken.jpg': this image cannot be read")
    assert not (root / "_site").exists()


HOSTILE_SVG = """<?xml version="1.0"?>
<!DOCTYPE svg [
  <!ENTITY secret SYSTEM "file://{canary}">
  <!ENTITY lol "lol">
]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     viewBox="0 0 100 100" onload="alert(1)">
  <script>alert(2)</script>
  <script xlink:href="https://evil.example/x.js"/>
  <title>&lol;</title>
  <style>@import url(https://evil.example/a.css); rect { fill: red }</style>
  <linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient>
  <rect id="box" width="10" height="10" fill="url(#g)" onclick="alert(3)"
        style="background: url(https://evil.example/track.png)"/>
  <a href="javascript:alert(4)"><circle cx="50" cy="50" r="40" fill="#22599e"/></a>
  <a xlink:href="https://evil.example/"><text x="5" y="20">away</text></a>
  <use href="https://evil.example/sprite.svg#icon"/>
  <use xlink:href="#box" x="20"/>
  <image href="https://evil.example/pixel.png" width="1" height="1"/>
  <image href="data:image/svg+xml;base64,PHN2Zy8+" width="1" height="1"/>
  <foreignObject width="100" height="100"><body xmlns="http://www.w3.org/1999/xhtml">
    <iframe src="https://evil.example/"></iframe><script>alert(5)</script></body></foreignObject>
  <set attributeName="href" to="javascript:alert(6)"/>
  <animate attributeName="onload" values="alert(7)"/>
  <?xml-stylesheet href="https://evil.example/s.css"?>
  <path d="M10 10h80" stroke="#000" stroke-width="2"/>
</svg>
"""


def hostile_svg(canary_file) -> str:
    return HOSTILE_SVG.replace("{canary}", str(canary_file))


def baked_hostile_svg(canary_file) -> str:
    return hostile_svg(canary_file).replace(
        "<title>",
        '<openbadges:assertion xmlns:openbadges="http://openbadges.org" '
        f'verify="https://issuer.example.org/assertions/7"><![CDATA[{badge_json("Hostile")}]]>'
        "</openbadges:assertion>\n  <title>",
    )


def assert_harmless_svg(data: bytes, where: str) -> None:
    assert CANARY.encode() not in data and b"lollol" not in data, where
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    names = {etree.QName(e).localname for e in root.iter() if isinstance(e.tag, str)}
    assert not names & {"script", "foreignObject", "iframe", "body", "set", "animate"}, where
    for element in root.iter():
        if not isinstance(element.tag, str):
            assert False, (where, element)  # no entity reference, comment or instruction
        for name, value in element.attrib.items():
            assert not etree.QName(name).localname.lower().startswith("on"), (where, name)
            if etree.QName(name).localname == "href":
                assert value.startswith("#"), (where, value)
            assert "evil.example" not in value and "javascript" not in value.lower(), (where, value)
    text = data.decode()
    assert "evil.example" not in text and "javascript:" not in text and "@import" not in text, where
    # what is harmless stays: shapes, the gradient and the reference to it
    assert {"rect", "circle", "path", "linearGradient", "use"} <= names, where
    assert root.find("{http://www.w3.org/2000/svg}rect").get("fill") == "url(#g)", where


def test_hostile_svg_is_published_harmless_wherever_it_comes_from(tmp_path):
    canary_file = tmp_path / "secret.txt"
    canary_file.write_text(CANARY)
    root = portfolio(
        tmp_path / "p",
        {
            "artefacts/chart/index.md": md(
                "Chart", "![A chart](inline.svg)", media="[{src: chart.svg, alt: A chart}]"
            ),
            "artefacts/chart/chart.svg": hostile_svg(canary_file),
            "artefacts/chart/inline.svg": hostile_svg(canary_file),
            "static/logo.svg": hostile_svg(canary_file),
            "badges/hostile.svg": baked_hostile_svg(canary_file),
            "badges/hostile.yaml": "visibility: public\n",
        },
        author={"name": "Ada Tester", "email": "ada@example.org"},
    )
    run = cli("build", root, timeout=60)
    assert run.code == 0, run.err
    site = root / "_site"
    published = ["artefacts/chart/chart.svg", "artefacts/chart/inline.svg", "logo.svg", "badges/hostile.svg"]
    for rel in published:
        assert_harmless_svg((site / rel).read_bytes(), rel)
    assert not leaks(site, CANARY)


@pytest.mark.slow  # a build of its own: seconds
def test_compressed_svgz_is_sanitised_too(tmp_path):
    canary_file = tmp_path / "secret.txt"
    canary_file.write_text(CANARY)
    root = portfolio(
        tmp_path / "p",
        {
            "static/logo.svgz": gzip.compress(hostile_svg(canary_file).encode()),
            "static/bomb.svgz": gzip.compress(b"<svg>" + b" " * (40 << 20)),
        },
    )
    run = cli("build", root, timeout=60)
    assert errors(run) == ["static/bomb.svgz:1: this .svgz file expands to more than 32 MB"], run.err
    (root / "static/bomb.svgz").unlink()
    assert cli("build", root).code == 0
    assert_harmless_svg(gzip.decompress((root / "_site/logo.svgz").read_bytes()), "logo.svgz")


def test_baked_svg_badge_keeps_its_assertion_but_loses_its_script(tmp_path):
    from elenefolio.badges.baking import extract_svg
    from elenefolio.render.published import sanitise_svg

    canary_file = tmp_path / "secret.txt"
    canary_file.write_text(CANARY)
    cleaned = sanitise_svg(baked_hostile_svg(canary_file).encode())
    assert_harmless_svg(cleaned, "badge")
    baked = extract_svg(cleaned)
    assert json.loads(baked.text)["badge"]["name"] == "Hostile"
    assert baked.verify == "https://issuer.example.org/assertions/7"


LAUGHS = "\n".join(
    ['<?xml version="1.0"?>', "<!DOCTYPE svg [", '<!ENTITY lol0 "lol">']
    + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    + ["]>", '<svg xmlns="http://www.w3.org/2000/svg"><text>&lol9;</text></svg>', ""]
)


def test_svg_reading_a_local_file_through_an_entity_is_refused(tmp_path):
    canary_file = tmp_path / "secret.txt"
    canary_file.write_text(CANARY)
    xxe = hostile_svg(canary_file).replace("<title>", "<title>&secret;")
    root = portfolio(
        tmp_path / "p",
        {"static/xxe.svg": xxe, "artefacts/a.md": md("XXE", "![XXE](xxe.svg)"), "artefacts/xxe.svg": xxe},
    )
    run = cli("build", root, timeout=60)
    assert run.code == 1 and CANARY not in run.err
    assert errors(run) == [
        "artefacts/a.md:6: image 'xxe.svg': this SVG image is not well-formed XML: "
        "Entity 'secret' not defined, line 10, column 18",
        "static/xxe.svg:10: this SVG image is not well-formed XML: Entity 'secret' not defined, "
        "line 10, column 18",
    ]
    assert not (root / "_site").exists()


def test_billion_laughs_svg_is_refused_at_once(tmp_path):
    root = portfolio(
        tmp_path / "p",
        {
            "static/laughs.svg": LAUGHS,
            "artefacts/a.md": md("Laughs", "![Laughs](laughs.svg)"),
            "artefacts/laughs.svg": LAUGHS,
        },
    )
    run = cli("build", root, timeout=60)
    assert run.code == 1
    assert [line.split(":")[0] for line in errors(run)] == ["artefacts/a.md", "static/laughs.svg"]
    assert not (root / "_site").exists()


@pytest.mark.parametrize(
    "rel, where",
    [
        ("static/broken.svg", "static/broken.svg:3: this SVG image is not well-formed XML"),
        (
            "artefacts/broken.svg",
            "artefacts/a.md:4: media 'broken.svg': this SVG image is not well-formed XML",
        ),
    ],
)
@pytest.mark.parametrize("command", ["build", "check"])
def test_svg_that_does_not_parse_is_an_error_where_it_is_used(tmp_path, rel, where, command):
    root = portfolio(
        tmp_path / "p",
        {
            "artefacts/a.md": md("Uses it", media="[{src: broken.svg, alt: A chart}]")
            if rel.startswith("artefacts")
            else md("Plain"),
            rel: "<svg xmlns='http://www.w3.org/2000/svg'>\n<g>\n</svg>\n",
        },
    )
    run = cli(command, root)
    assert run.code == 1
    found = [line for line in errors(run) if "well-formed" in line]
    assert len(found) == 1 and found[0].startswith(where), run.err


@pytest.mark.parametrize(
    "body, fields, line",
    [
        ("Text.", {"media": "['data:image/png;base64,iVBORw0KGgo=']"}, 4),
        ("Text.", {"media": "[{src: 'data:text/html;base64,PHNjcmlwdD4=', alt: x}]"}, 4),
        ("![A dot](data:image/png;base64,iVBORw0KGgo=)", {}, 6),
        ("Text.", {"media": "[{src: a.png, alt: x, poster: 'DATA:image/png;base64,AA=='}]"}, 4),
    ],
)
def test_data_address_as_media_is_an_error(tmp_path, body, fields, line):
    root = portfolio(
        tmp_path / "p", {"artefacts/a.md": md("Data", body, **fields), "artefacts/a.png": phone_photo("PNG")}
    )
    run = cli("build", root)
    assert run.code == 1
    assert errors(run) == [f"artefacts/a.md:{line}: data: addresses are not allowed"], run.err


ILLUSTRATOR_SVG = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd" [
  <!ENTITY ns_svg "http://www.w3.org/2000/svg">
  <!ENTITY st0 "fill:#FF0000;">
  <!ENTITY st1 "fill:url(https://evil.example/track.png);">
]>
<svg version="1.1" xmlns="&ns_svg;" width="10" height="10">
  <rect style="&st0;" width="5" height="5"/><rect style="&st1;" width="5" height="5"/>
</svg>
"""


def test_svg_from_a_drawing_program_keeps_its_declared_styles(tmp_path):
    root = portfolio(tmp_path / "p", {"static/drawing.svg": ILLUSTRATOR_SVG})
    assert cli("build", root).code == 0
    published = etree.fromstring((root / "_site/drawing.svg").read_bytes())  # well-formed
    styles = [rect.get("style") for rect in published.iter("{http://www.w3.org/2000/svg}rect")]
    assert styles == ["fill:#FF0000;", None]
