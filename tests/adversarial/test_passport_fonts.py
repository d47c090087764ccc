"""Fonts are inputs of the passport.

A character no font has is printed as an empty box: before rendering, the passport's text is
checked against the theme's fonts and the fonts fontconfig lists, and each source file holding
such characters gets one warning at the first line that holds one, naming a package to
install (an error with ``--strict``). The installed fonts are part of the passport's cache
key: installing a font makes the next passport again instead of reusing the boxed one.

Each test gives fontconfig a configuration of its own (``FONTCONFIG_FILE``) whose only font
folder is a temporary one; a font of this machine is copied there to "install" it."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from attack_support import cli, line_of, md, portfolio

from elenefolio.passport import fonts

pytestmark = pytest.mark.skipif(
    shutil.which("fc-list") is None, reason="fontconfig's tools are not installed"
)

CHINESE = "学习日志：团队合作"
ARABIC = "مرحبا بالعالم"
GREEK = "Καλημέρα κόσμε"
EMOJI = "🎉"


def machine_font(charset: str) -> Path:
    """A font file of this machine that has the character ``charset`` (hexadecimal)."""
    env = {k: v for k, v in os.environ.items() if k != "FONTCONFIG_FILE"}  # the machine's own
    listed = subprocess.run(
        ["fc-list", f":charset={charset}", "--format", "%{file}\n"], capture_output=True, text=True, env=env
    ).stdout.split()
    found = sorted(p for p in listed if p.endswith(".ttf"))
    if not found:
        pytest.skip(f"no font of this machine has U+{charset}")
    return Path(found[0])


@pytest.fixture
def fontconfig(tmp_path, monkeypatch) -> tuple[Path, dict[str, str]]:
    """An empty font folder, the only one fontconfig looks in; and the environment that says so."""
    folder, cache = tmp_path / "fonts", tmp_path / "fontcache"
    folder.mkdir()
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        f"<fontconfig><dir>{folder}</dir><cachedir>{cache}</cachedir></fontconfig>\n",
        encoding="utf-8",
    )
    env = {"FONTCONFIG_FILE": str(conf)}
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    return folder, env


def test_the_installed_fonts_identity_changes_when_a_font_is_installed(fontconfig):
    folder, _env = fontconfig
    before = fonts.installed()
    assert before.listed and before.lines == []
    assert not before.has(ord("م"))
    shutil.copy(machine_font("627"), folder)
    after = fonts.installed()
    assert after.identity != before.identity and len(after.lines) == 1
    assert after.has(ord("م")) and not after.has(ord("学"))
    assert fonts.missing(f"{ARABIC} {CHINESE} {GREEK} {EMOJI}", after, []) == set("学习日志：团队合作") | {
        EMOJI
    }


def test_packages_named_for_each_script():
    assert fonts.package("学") == fonts.package("か") == fonts.package("한") == "fonts-noto-cjk"
    assert fonts.package("🎉") == fonts.package("😀") == "fonts-noto-color-emoji"
    assert fonts.package("م") == fonts.package("ש") == fonts.package("क") == "fonts-noto-core"
    # joiners, direction marks and variation selectors need no glyph of their own
    assert not any(map(fonts.needs_glyph, "\u200d\u200f\ufe0f\u00a0 a"))


def files() -> dict:
    return {
        "artefacts/zh.md": md(CHINESE, "今天我们一起完成了项目。", type="document"),
        "artefacts/ar.md": md("Arabic greeting", f"A greeting.\n\n{ARABIC}\n", type="document"),
        "artefacts/el.md": md("Greek greeting", f"A greeting.\n\nIn Greek: {GREEK}.\n", type="document"),
        "artefacts/party.md": md("Party", f"We celebrated {EMOJI} together.", type="document"),
    }


def warnings_by_file(run) -> dict[str, str]:
    found = {}
    for line in run.lines:
        if "no installed font has these characters" in line:
            found[line.split(":", 1)[0]] = line
    return found


@pytest.mark.slow
def test_missing_characters_are_warned_about_and_installing_a_font_makes_the_passport_again(
    tmp_path, fontconfig
):
    folder, env = fontconfig
    root = portfolio(tmp_path / "p", files())
    first = cli("passport", root, env=env)
    assert first.code == 0, first.err
    assert "passport made" in first.out
    warned = warnings_by_file(first)
    assert set(warned) == {"artefacts/zh.md", "artefacts/ar.md", "artefacts/el.md", "artefacts/party.md"}
    zh = warned["artefacts/zh.md"]
    assert zh.startswith("artefacts/zh.md:2: warning: ") and "学 习 日 志" in zh
    assert zh.endswith(
        "install fonts-noto-cjk (Chinese, Japanese, Korean), or on a system other than Debian or Ubuntu a font that has them"
    )
    ar_line = line_of((root / "artefacts/ar.md").read_text("utf-8"), ARABIC)
    assert warned["artefacts/ar.md"].startswith(f"artefacts/ar.md:{ar_line}: ")
    assert "م" in warned["artefacts/ar.md"] and "install fonts-noto-core" in warned["artefacts/ar.md"]
    assert "λ" in warned["artefacts/el.md"]
    assert EMOJI in warned["artefacts/party.md"] and "fonts-noto-color-emoji" in warned["artefacts/party.md"]

    reused = cli("passport", root, env=env)  # nothing changed: reused, and the warnings stay
    assert "unchanged, reused" in reused.out and warnings_by_file(reused) == warned

    strict = cli("passport", "--strict", root, env=env)
    assert strict.code == 1 and "warning(s) (--strict)" in strict.err

    shutil.copy(machine_font("627"), folder)  # a font with Arabic and Greek is installed
    again = cli("passport", root, env=env)
    assert again.code == 0, again.err
    assert "passport made" in again.out, "a new font makes the passport again"
    assert set(warnings_by_file(again)) == {"artefacts/zh.md", "artefacts/party.md"}
    from pypdf import PdfReader

    names = {
        str(font.get_object()["/BaseFont"])
        for page in PdfReader(root / "passport.pdf").pages
        for font in (page["/Resources"].get("/Font") or {}).values()
    }
    assert any("DejaVu" in name for name in names), names


@pytest.mark.slow
def test_a_strict_build_with_the_passport_fails_on_missing_characters(tmp_path, fontconfig):
    _folder, env = fontconfig
    root = portfolio(
        tmp_path / "p", {"artefacts/zh.md": md(CHINESE, "今天我们一起完成了项目。", type="document")}
    )
    run = cli("build", "--pdf", "--strict", root, env=env)
    assert run.code == 1
    assert any(line.startswith("artefacts/zh.md:2: ") and "fonts-noto-cjk" in line for line in run.lines), (
        run.err
    )
