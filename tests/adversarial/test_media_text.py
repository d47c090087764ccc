"""Captions and transcripts of video and audio (``captions:``, ``transcript:``).

They become ``<track>`` elements and a transcript section; ``check`` warns about a public
video or audio with neither. A captions or transcript file is read only inside the
portfolio, and only when it belongs to a published artefact: a public artefact cannot
publish the transcript of a private one, nor a file outside the portfolio, nor a symbolic
link leading outside."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from attack_support import CANARY, cli, leaks, md, portfolio
from bs4 import BeautifulSoup

VTT = "WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nHello <c>there</c>.\n"


def artefact(media: str, slug: str = "film", visibility: str = "public", body: str = "A film.") -> dict:
    return {
        f"artefacts/{slug}/index.md": md(
            "Film", body, type="video", visibility=visibility, media="\n" + media
        ),
        f"artefacts/{slug}/film.mp4": b"\x00\x00\x00\x18ftypmp42",
    }


def page(root: Path, slug: str = "film") -> BeautifulSoup:
    return BeautifulSoup((root / "_site" / "artefacts" / slug / "index.html").read_text("utf-8"), "lxml")


def test_captions_become_tracks_and_the_transcript_a_section(tmp_path):
    files = artefact(
        "  - src: film.mp4\n    captions:\n      en: en.vtt\n      fr: fr.vtt\n    transcript: words.txt"
    )
    files.update(
        {
            "artefacts/film/en.vtt": VTT,
            "artefacts/film/fr.vtt": VTT,
            "artefacts/film/words.txt": "First <b>line</b>.\n\nSecond paragraph.",
        }
    )
    root = portfolio(tmp_path / "p", files)
    run = cli("build", root)
    assert run.code == 0, run.err
    soup = page(root)
    tracks = soup.select("video track[kind=captions]")
    assert [(t["srclang"], t["label"], t["src"]) for t in tracks] == [
        ("en", "English", "en.vtt"),
        ("fr", "French", "fr.vtt"),
    ]
    assert tracks[0].has_attr("default") and not tracks[1].has_attr("default")
    assert (root / "_site/artefacts/film/en.vtt").read_text("utf-8") == VTT
    section = soup.select_one("details.transcript")
    assert [p.get_text() for p in section.select("p")] == ["First <b>line</b>.", "Second paragraph."]
    assert section.find("b") is None  # the text is escaped, never markup
    assert not (root / "_site/artefacts/film/words.txt").exists()


@pytest.mark.slow  # a check and a build: seconds
def test_check_warns_about_public_video_and_audio_without_captions_or_transcript(tmp_path):
    files = artefact("  - src: film.mp4")
    files.update(artefact('  - src: talk.mp3\n    transcript: "Every word."', slug="talk"))
    files["artefacts/talk/talk.mp3"] = b"ID3"
    files.update(artefact("  - src: film.mp4", slug="hidden", visibility="private"))
    root = portfolio(tmp_path / "p", files)
    run = cli("check", root)
    warned = [line for line in (run.out + run.err).splitlines() if "no captions and no transcript" in line]
    assert len(warned) == 1 and warned[0].startswith("artefacts/film/index.md:7: warning: video"), run.out


def test_a_captions_file_must_be_webvtt_inside_the_portfolio(tmp_path):
    outside = tmp_path / "outside.vtt"
    outside.write_text(f"WEBVTT\n\n00:00.000 --> 00:01.000\n{CANARY}\n", "utf-8")
    files = artefact(
        "  - src: film.mp4\n    captions:\n      en: ../../../outside.vtt\n"
        "      de: fake.vtt\n      'x y': en.vtt\n    transcript: ../../../secret.md"
    )
    files.update({"artefacts/film/fake.vtt": "<script>alert(1)</script>", "artefacts/film/en.vtt": VTT})
    (tmp_path / "secret.md").write_text(CANARY, "utf-8")
    root = portfolio(tmp_path / "p", files)
    run = cli("build", root)
    assert run.code == 1
    errors = [line for line in run.lines if not line.startswith("build failed")]
    assert len(errors) == 4 and all(line.startswith("artefacts/film/index.md:") for line in errors)
    text = "\n".join(errors)
    assert text.count("points outside the portfolio folder") == 2  # captions and transcript
    assert "is not a WebVTT file" in text and "'x y' is not a language code" in text
    assert CANARY not in run.err + run.out


def test_a_link_to_a_file_outside_is_never_read(tmp_path):
    (tmp_path / "secret.md").write_text(CANARY, "utf-8")
    files = artefact("  - src: film.mp4\n    transcript: words.md")
    root = portfolio(tmp_path / "p", files)
    os.symlink(tmp_path / "secret.md", root / "artefacts/film/words.md")
    run = cli("build", root)
    assert run.code == 1 and CANARY not in run.err + run.out
    assert not (root / "_site").exists() or not leaks(root / "_site", CANARY)


def test_a_public_artefact_cannot_publish_a_private_ones_transcript_or_captions(tmp_path):
    files = artefact(
        "  - src: film.mp4\n    transcript: words.md\n    captions: en.vtt",
        slug="secret",
        visibility="private",
    )
    files.update({"artefacts/secret/words.md": CANARY, "artefacts/secret/en.vtt": VTT + CANARY})
    files.update(
        artefact("  - src: film.mp4\n    transcript: ../secret/words.md\n    captions: ../secret/en.vtt")
    )
    root = portfolio(tmp_path / "p", files)
    run = cli("build", root)
    assert not leaks(root / "_site", CANARY)
    assert CANARY not in run.err + run.out
