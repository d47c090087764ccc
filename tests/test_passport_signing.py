"""A signed passport: ``passport --sign CERT.p12`` (PAdES, pyHanko) and ``elenefolio verify``,
with a throw-away certificate authority made here."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from tests.adversarial.attack_support import cli, md, portfolio

pytestmark = pytest.mark.slow  # WeasyPrint makes the passport once for the module

PASSPHRASE = "correct horse 7731"


def _name(common: str, organisation: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
        ]
    )


def make_ca(folder: Path, label: str):
    now = dt.datetime.now(dt.timezone.utc)
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name(f"{label} Root CA", label)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    pem = folder / f"{label.lower().replace(' ', '-')}-ca.pem"
    pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key, cert, pem


def make_signer(folder: Path, ca_key, ca_cert, common: str, organisation: str) -> Path:
    now = dt.datetime.now(dt.timezone.utc)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common, organisation))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=90))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    p12 = folder / "signer.p12"
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"signer", key, cert, [ca_cert], serialization.BestAvailableEncryption(PASSPHRASE.encode())
        )
    )
    return p12


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    base = tmp_path_factory.mktemp("signing")
    root = portfolio(
        base / "portfolio",
        {"journal/2026-03-02-lab.md": md("Λab report — 实验", "Measured the pendulum; wrote it up.")},
    )
    made = cli("passport", root, "-o", base / "unsigned.pdf", timeout=600)
    assert made.code == 0, made.err
    ca_key, ca_cert, ca_pem = make_ca(base, "Test University")
    p12 = make_signer(base, ca_key, ca_cert, "Lucía Ortega Marín", "Test University")
    _other_key, _other_cert, other_pem = make_ca(base, "Other Authority")
    return {"base": base, "root": root, "p12": p12, "ca": ca_pem, "other": other_pem}


def sign(setup, output: Path, passphrase: str = PASSPHRASE):
    return cli(
        "passport",
        setup["root"],
        "-o",
        output,
        "--sign",
        setup["p12"],
        env={"ELENEFOLIO_SIGN_PASSPHRASE": passphrase},
    )


def test_a_signed_passport_verifies_and_says_who_signed(setup, tmp_path):
    output = tmp_path / "passport.pdf"
    run = sign(setup, output)
    assert run.code == 0, run.err
    assert "signed" in run.out
    checked = cli("verify", output, "--trust", setup["ca"])
    assert checked.code == 0, checked.err
    assert "signed by Lucía Ortega Marín (Test University) on " in checked.out
    assert "certificate from a trusted authority" in checked.out
    untrusted_check = cli("verify", output)
    assert untrusted_check.code == 0 and "certificate not checked" in untrusted_check.out
    # still the same document: its text, and the attached data, readable by any PDF library
    from pypdf import PdfReader

    reader = PdfReader(output)
    assert "portfolio.json" in reader.attachments
    assert any("Ada Tester" in (page.extract_text() or "") for page in reader.pages)
    # the passphrase is written nowhere
    for file in [output, *setup["root"].rglob("*")]:
        if file.is_file():
            assert PASSPHRASE.encode() not in file.read_bytes(), file


def test_another_authority_is_not_trusted(setup, tmp_path):
    output = tmp_path / "passport.pdf"
    assert sign(setup, output).code == 0
    run = cli("verify", output, "--trust", setup["other"])
    assert run.code == 1
    assert (
        f"{output}:1: the signer's certificate is not issued by an authority given with --trust" in run.lines
    )


def test_a_changed_byte_breaks_the_signature(setup, tmp_path):
    output = tmp_path / "passport.pdf"
    assert sign(setup, output).code == 0
    data = output.read_bytes()
    at = data.index(b"Education passport")  # the signature's reason: inside the signed bytes
    output.write_bytes(data[:at] + b"Education Passport" + data[at + len(b"Education passport") :])
    run = cli("verify", output, "--trust", setup["ca"])
    assert run.code == 1
    assert any("changed after signing, or the signature is broken" in line for line in run.lines), run.err
    assert "Traceback" not in run.err


def test_a_revision_added_after_signing_is_reported(setup, tmp_path):
    from pypdf import PdfWriter

    output = tmp_path / "passport.pdf"
    assert sign(setup, output).code == 0
    writer = PdfWriter(output, incremental=True)
    writer.add_metadata({"/Title": "Changed afterwards"})
    with (tmp_path / "changed.pdf").open("wb") as stream:
        writer.write(stream)
    run = cli("verify", tmp_path / "changed.pdf", "--trust", setup["ca"])
    assert run.code == 1
    assert any("added to the PDF after it was signed" in line for line in run.lines), run.err


def test_user_errors_are_one_line(setup, tmp_path):
    output = tmp_path / "passport.pdf"
    wrong = sign(setup, output, passphrase="not it")
    assert wrong.code == 1 and not output.exists()
    assert wrong.lines == [
        f"{setup['p12']}:1: cannot be opened: wrong passphrase, or not a PKCS#12 file with a key and its certificate"
    ]
    missing = cli("passport", setup["root"], "--sign", tmp_path / "nothing.p12")
    assert missing.code == 1 and len(missing.lines) == 1 and "no such certificate file" in missing.err
    unsigned = cli("verify", setup["base"] / "unsigned.pdf")
    assert (
        unsigned.code == 1 and f"{setup['base'] / 'unsigned.pdf'}:1: the PDF is not signed" in unsigned.lines
    )
    text = tmp_path / "notes.pdf"
    text.write_text("not a PDF at all")
    broken = cli("verify", text)
    assert broken.code == 1 and broken.lines[0].startswith(f"{text}:1: cannot be read as a signed PDF")
    assert "Traceback" not in broken.err
    truncated = tmp_path / "half.pdf"
    assert sign(setup, output).code == 0
    shutil.copyfile(output, truncated)
    truncated.write_bytes(output.read_bytes()[: output.stat().st_size // 2])
    half = cli("verify", truncated)
    assert half.code == 1 and len([line for line in half.lines if line.startswith(str(truncated))]) >= 1
    assert "Traceback" not in half.err
