"""Open Badges: baked PNG/SVG (2.0 and 3.0), JSON, offline checks, pages, privacy."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil

import pytest
from bs4 import BeautifulSoup
from interop_helpers import (
    EMAIL,
    PRIVATE_CANARIES,
    all_output_bytes,
    assertion_v2,
    bake_png_by_hand,
    bake_png_pillow,
    bake_svg,
    credential_v3,
    make_portfolio,
    md5_identity,
    png_bytes,
    sha256_identity,
    write,
)

from elenefolio.badges import extract_png, extract_svg, read_badge_document, strip_png, strip_svg
from elenefolio.badges.baking import BakingError
from elenefolio.pipeline import BuildOptions, build
from elenefolio.problems import BuildFailed

TODAY = dt.date(2026, 6, 1)


# --- baking: extraction and stripping ----------------------------------------------------------


def test_png_baked_with_pillow_itxt_is_extracted_and_stripped():
    doc = assertion_v2("A", sha256_identity(EMAIL, "x"), True, "x")
    data = bake_png_pillow(doc)
    baked = extract_png(data)
    assert baked.version == "2.0"
    assert json.loads(baked.text)["badge"]["name"] == "A"
    clean = strip_png(data)
    assert b"openbadges" not in clean and b"iTXt" not in clean
    with pytest.raises(BakingError):
        extract_png(clean)
    import io

    from PIL import Image

    assert Image.open(io.BytesIO(clean)).size == (64, 64)  # still a valid image


def test_png_with_hand_built_credential_chunk_is_version_3():
    text = json.dumps(credential_v3("C", sha256_identity(EMAIL, "s"), "s"))
    baked = extract_png(bake_png_by_hand("openbadgecredential", text))
    assert baked.version == "3.0" and json.loads(baked.text)["name"] == "C"


def test_png_with_bad_checksum_is_a_clear_error():
    data = bytearray(bake_png_pillow(assertion_v2("A", EMAIL, False)))
    position = data.find(b"openbadges") + 20
    data[position] ^= 0xFF
    with pytest.raises(BakingError, match="checksum"):
        extract_png(bytes(data))


@pytest.mark.parametrize(
    "version,ns", [("2.0", "http://openbadges.org"), ("3.0", "https://purl.imsglobal.org/ob/v3p0")]
)
def test_svg_baked_element_is_extracted_and_removed(version, ns):
    text = json.dumps({"hello": "world"})
    data = bake_svg(text, version, verify="https://issuer.example.org/a/1")
    baked = extract_svg(data)
    assert baked.version == version and json.loads(baked.text) == {"hello": "world"}
    assert baked.verify == "https://issuer.example.org/a/1"
    clean = strip_svg(data)
    assert ns.encode() not in clean and b"hello" not in clean and b"<circle" in clean


# --- reading and checking assertions ------------------------------------------------------------


@pytest.mark.parametrize(
    "identity,hashed,salt",
    [
        (sha256_identity(EMAIL, "pepper"), True, "pepper"),
        (md5_identity(EMAIL, "pepper"), True, "pepper"),
        (sha256_identity(EMAIL, ""), True, ""),
        (EMAIL, False, ""),
        (EMAIL.upper(), False, ""),
    ],
)
def test_recipient_is_confirmed_for_hashed_and_plain_identities(identity, hashed, salt):
    data = read_badge_document(json.dumps(assertion_v2("B", identity, hashed, salt)), [EMAIL], TODAY)
    assert data.recipient == "confirmed"
    assert data.status(TODAY) == ("confirmed", "Recipient confirmed")
    assert data.name == "B" and data.issuer == "Example Open University"
    assert data.issued == dt.date(2026, 3, 1) and data.criteria == "Criteria of B."


def test_wrong_salt_or_other_email_is_not_matched():
    doc = assertion_v2("B", sha256_identity(EMAIL, "pepper"), True, "salt")
    data = read_badge_document(json.dumps(doc), [EMAIL], TODAY)
    assert data.recipient == "not-matched" and data.status(TODAY)[0] == "not-matched"
    other = read_badge_document(json.dumps(assertion_v2("B", "x@example.org", False)), [EMAIL], TODAY)
    assert other.recipient == "not-matched"


def test_no_email_in_config_means_not_verifiable_offline():
    doc = assertion_v2("B", sha256_identity(EMAIL, "s"), True, "s")
    data = read_badge_document(json.dumps(doc), [], TODAY)
    assert data.recipient == "unknown"
    assert data.status(TODAY) == ("unverifiable", "Not verifiable offline")


def test_expiry_in_2_0_and_3_0():
    old = assertion_v2("B", EMAIL, False, expires="2026-05-31T23:00:00Z")
    data = read_badge_document(json.dumps(old), [EMAIL], TODAY)
    assert data.expires == dt.date(2026, 5, 31) and data.status(TODAY)[0] == "expired"
    fresh = read_badge_document(
        json.dumps(assertion_v2("B", EMAIL, False, expires="2027-01-01")), [EMAIL], TODAY
    )
    assert fresh.status(TODAY)[0] == "confirmed"
    cred = credential_v3("C", sha256_identity(EMAIL, ""), valid_until="2026-01-01T00:00:00Z")
    data3 = read_badge_document(json.dumps(cred), [EMAIL], TODAY)
    assert data3.version == "3.0" and data3.recipient == "confirmed"
    assert data3.status(TODAY) == ("expired", "Expired on 2026-01-01")


def test_missing_required_fields_are_listed():
    doc = assertion_v2("B", EMAIL, False)
    del doc["badge"]["criteria"], doc["issuedOn"]
    data = read_badge_document(json.dumps(doc), [EMAIL], TODAY)
    assert "badge.criteria" in data.missing and "issuedOn" in data.missing
    assert data.status(TODAY)[0] == "incomplete"
    cred = credential_v3("C", sha256_identity(EMAIL, ""))
    del cred["credentialSubject"]["achievement"]["criteria"]
    data3 = read_badge_document(json.dumps(cred), [EMAIL], TODAY)
    assert "credentialSubject.achievement.criteria" in data3.missing


def test_signed_jws_payload_is_read_and_signature_reported_unchecked():
    import base64

    def part(obj):
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    token = f"{part({'alg': 'RS256'})}.{part(assertion_v2('Signed', EMAIL, False))}.c2lnbmF0dXJl"
    data = read_badge_document(token, [EMAIL], TODAY)
    assert data.name == "Signed" and data.signed
    assert any(c.name == "issuer" and "not checked" in c.text for c in data.checks)
    jwt = f"{part({'alg': 'RS256'})}.{part({'vc': credential_v3('VC', sha256_identity(EMAIL, ''))})}.eA"
    assert read_badge_document(jwt, [EMAIL], TODAY).name == "VC"


# --- the build ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory):
    return make_portfolio(tmp_path_factory.mktemp("badges") / "folio")


@pytest.fixture(scope="module")
def public_site(portfolio, tmp_path_factory):
    out = tmp_path_factory.mktemp("public") / "site"
    result = build(BuildOptions(root=portfolio, output=out))
    return out, result


@pytest.fixture(scope="module")
def private_site(portfolio, tmp_path_factory):
    out = tmp_path_factory.mktemp("private") / "site"
    build(BuildOptions(root=portfolio, output=out, private=True))
    return out


def _cards(site_dir):
    soup = BeautifulSoup((site_dir / "badges/index.html").read_text(), "lxml")
    return {card.select_one(".badge-name").get_text(strip=True): card for card in soup.select(".badge-card")}


def test_badges_page_shows_each_public_badge_with_an_honest_status(public_site):
    site_dir, _ = public_site
    cards = _cards(site_dir)
    assert set(cards) == {
        "Teamwork Badge",
        "Plain Recipient SVG Badge",
        "Credential PNG Badge",
        "Expired SVG Credential",
        "Someone Else's Badge",
    }

    def status(name):
        return cards[name].select_one(".status-pill").get_text(strip=True)

    assert status("Teamwork Badge") == "Recipient confirmed"
    assert status("Plain Recipient SVG Badge") == "Recipient confirmed"
    assert status("Credential PNG Badge") == "Recipient confirmed"
    assert status("Expired SVG Credential") == "Expired on 31 January 2026"  # a date for people
    assert status("Someone Else's Badge") == "Recipient not confirmed"
    teamwork = cards["Teamwork Badge"]
    assert "Example Open University" in teamwork.get_text()
    assert [a.get_text() for a in teamwork.select(".badge-evidence a")] == [
        "First steps </script><script>alert(1)</script>",
        "Science poster",
    ]
    assert teamwork.select_one("img")["src"] == "teamwork.png"


def test_what_was_checked_is_written_in_the_language_of_the_site(public_site, portfolio, tmp_path):
    """The offline checks of a badge: sentences of the interface language, with the expiry
    date written for people as in the badge's status (not in ISO form)."""
    site_dir, _ = public_site
    checks = [
        li.get_text(strip=True)
        for li in _cards(site_dir)["Expired SVG Credential"].select(".badge-checks li")
    ]
    assert "Expired on 31 January 2026." in checks and "All required fields are present." in checks
    french = tmp_path / "folio"
    shutil.copytree(portfolio, french, ignore=shutil.ignore_patterns("_site", ".elenefolio-cache"))
    config = french / "portfolio.yaml"
    config.write_text(config.read_text() + "language: fr\n")
    build(BuildOptions(root=french, output=tmp_path / "site"))
    card = _cards(tmp_path / "site")["Expired SVG Credential"]
    checks = [li.get_text(strip=True) for li in card.select(".badge-checks li")]
    assert card.select_one(".status-pill").get_text(strip=True) == "Expiré le 31 janvier 2026"
    assert "Expiré le 31 janvier 2026." in checks
    assert "Toutes les données obligatoires sont présentes." in checks
    assert not any(re.search(r"\d{4}-\d{2}-\d{2}", check) for check in checks)


def test_badge_recipient_mismatch_is_a_warning(public_site):
    _, result = public_site
    messages = [str(w) for w in result.warnings]
    assert any(m.startswith("badges/someone-else.json:1: warning: this badge's recipient") for m in messages)


def test_published_badge_images_carry_no_baked_data(public_site):
    site_dir, _ = public_site
    png = (site_dir / "badges/teamwork.png").read_bytes()
    with pytest.raises(BakingError):
        extract_png(png)
    svg = (site_dir / "badges/plain-svg.svg").read_bytes()
    with pytest.raises(BakingError):
        extract_svg(svg)
    assert not (site_dir / "badges/someone-else.png").exists()  # JSON badge without an image


def test_skill_pages_and_index_show_badges(public_site):
    site_dir, _ = public_site
    soup = BeautifulSoup((site_dir / "skills/teamwork/index.html").read_text(), "lxml")
    names = [a.get_text() for a in soup.select(".skill-badges a")]
    assert names == ["Teamwork Badge"]  # the private badge of this skill is not shown
    index = BeautifulSoup((site_dir / "skills/index.html").read_text(), "lxml")
    header = next(th for th in index.select("th[scope=row]") if th.a.get_text() == "Teamwork")
    columns = [th.get_text(strip=True) for th in header.find_parent("table").select("thead th")]
    cells = [header] + header.find_next_siblings("td")
    assert cells[columns.index("Badges")].get_text(strip=True) == "1"  # the evidence map counts badges


def test_email_and_private_badge_never_published(public_site):
    site_dir, _ = public_site
    needles = [EMAIL.encode(), EMAIL.upper().encode(), b"ada.secret", *[c.encode() for c in PRIVATE_CANARIES]]
    for path, data in all_output_bytes(site_dir):
        for needle in needles:
            if needle == b"UNLISTED-CANARY-BODY" and path.parent.name == "2026-01-15-unlisted":
                continue  # an unlisted item has its own page, and nothing else
            assert needle not in data, f"{needle!r} found in {path}"


def test_private_build_shows_private_badge_but_never_the_email(private_site):
    cards = _cards(private_site)
    assert "PRIVATE-BADGE-CANARY" in cards
    for path, data in all_output_bytes(private_site):
        assert EMAIL.encode() not in data, path


# --- problems: one line each, no traceback -----------------------------------------------------


def _problems(root, tmp_path):
    with pytest.raises(BuildFailed) as failed:
        build(BuildOptions(root=root, output=tmp_path / "out"))
    return [str(p) for p in failed.value.problems]


def test_corrupt_and_broken_badges_are_clear_problems(tmp_path):
    root = make_portfolio(tmp_path / "folio", badges=False)
    write(root / "badges/truncated.png", bake_png_pillow(assertion_v2("T", EMAIL, False))[:120])
    write(root / "badges/not-baked.png", png_bytes())
    write(root / "badges/broken.json", '{\n  "recipient": {"identity": "x"},\n  "badge": oops\n}\n')
    write(root / "badges/broken-xml.svg", b"<svg xmlns='http://www.w3.org/2000/svg'>\n<g>\n</svg>\n")
    write(root / "badges/link-only.svg", bake_svg("", "2.0", verify="https://issuer.example.org/a/9"))
    write(root / "badges/orphan.yaml", "skills: [teamwork]\n")
    write(root / "badges/bad-sidecar.json", json.dumps(assertion_v2("S", EMAIL, False)))
    write(root / "badges/bad-sidecar.yaml", "skills: [teamwrk]\nevidence: [no-such-entry]\ncolour: red\n")
    problems = _problems(root, tmp_path)
    expected = [  # an unreadable badge is a warning; the sidecar's mistakes are errors
        "badges/truncated.png:1: warning: unreadable badge: the PNG file is truncated",
        "badges/not-baked.png:1: warning: unreadable badge: this PNG holds no baked badge",
        "badges/broken.json:3: warning: unreadable badge: the badge data is not valid JSON",
        "badges/broken-xml.svg:3: warning: unreadable badge: the SVG file is not well-formed XML",
        "badges/link-only.svg:3: warning: unreadable badge: the baked badge holds only the address",
        "badges/orphan.yaml:1: this sidecar belongs to no badge",
        "badges/bad-sidecar.yaml:1: unknown skill 'teamwrk' (did you mean 'teamwork'?)",
        "badges/bad-sidecar.yaml:2: evidence 'no-such-entry' is not a journal entry or an artefact",
        "badges/bad-sidecar.yaml:3: unknown field 'colour'",
    ]
    for start in expected:
        assert any(p.startswith(start) for p in problems), (start, problems)


def test_corrupt_badge_from_the_command_line_is_a_warning_without_traceback(tmp_path, capsys):
    from elenefolio.cli import main

    root = make_portfolio(tmp_path / "folio", badges=False)
    write(root / "badges/corrupt.png", b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\x0dIHDR" + b"garbage")
    code = main(["build", str(root), "-o", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 0
    assert "badges/corrupt.png:1: warning: unreadable badge: the PNG file is truncated" in err
    assert (tmp_path / "out/badges/index.html").is_file()
    assert "Traceback" not in err


def test_example_portfolio_badges_are_confirmed(tmp_path):
    from pathlib import Path

    example = Path(__file__).resolve().parent.parent / "example-portfolio"
    root = tmp_path / "example"
    shutil.copytree(example, root, ignore=shutil.ignore_patterns("_site", "_private"))
    build(BuildOptions(root=root, output=tmp_path / "out"))
    cards = _cards(tmp_path / "out")
    assert len(cards) == 2
    assert {c.select_one(".status-pill").get_text(strip=True) for c in cards.values()} == {
        "Recipient confirmed"
    }
    versions = sorted(
        c.select_one(".meta").get_text(" ", strip=True).split("Open Badges ")[1][:3] for c in cards.values()
    )
    assert versions == ["2.0", "3.0"]


def test_json_badge_images_from_data_uri_or_sidecar_are_published_clean(tmp_path):
    import base64

    root = make_portfolio(tmp_path / "folio", badges=False)
    baked = bake_png_pillow(assertion_v2("Inner", EMAIL, False))  # an image that is itself baked
    doc = assertion_v2("Data URI Badge", EMAIL, False)
    doc["badge"]["image"] = "data:image/png;base64," + base64.b64encode(baked).decode()
    write(root / "badges/data-uri.json", json.dumps(doc))
    write(root / "badges/data-uri.yaml", "visibility: public\n")
    write(root / "badges/with-image.json", json.dumps(assertion_v2("Sidecar Image Badge", EMAIL, False)))
    write(root / "badges/with-image-art.png", png_bytes((1, 2, 3)))
    write(root / "badges/with-image.yaml", "visibility: public\nimage: with-image-art.png\n")
    out = tmp_path / "out"
    result = build(BuildOptions(root=root, output=out))
    assert not [w for w in result.warnings if "badges/" in w.path]  # the image is not "not a badge"
    cards = _cards(out)
    assert cards["Data URI Badge"].img["src"] == "data-uri.png"
    assert cards["Sidecar Image Badge"].img["src"] == "with-image.png"
    published = (out / "badges/data-uri.png").read_bytes()
    assert EMAIL.encode() not in published
    with pytest.raises(BakingError):
        extract_png(published)
    assert (out / "badges/with-image.png").read_bytes() == png_bytes((1, 2, 3))


def test_bad_json_inside_an_svg_is_reported_at_its_line(tmp_path):
    root = make_portfolio(tmp_path / "folio", badges=False)
    write(root / "badges/bad-json.svg", bake_svg('{\n  "recipient": {},\n  oops\n}', "2.0"))
    result = build(BuildOptions(root=root, output=tmp_path / "out"))
    problems = [str(p) for p in result.warnings]
    assert any(
        p.startswith("badges/bad-json.svg:5: warning: unreadable badge: the badge data is not valid JSON")
        for p in problems
    ), problems
