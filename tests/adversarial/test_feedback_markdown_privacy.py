"""Feedback in Markdown (``feedback/*.md``) shown under an item: private feedback, and feedback
on a private or draft item (whatever its own ``visibility`` says), reaches no file of a public
build: no page, search index, feed, sitemap, passport, nor export."""

from __future__ import annotations

import pytest
from attack_support import CANARY, cli, leaks, md, portfolio, tree
from pypdf import PdfReader

ROUND = {
    "assessments/2026-02-01-start.yaml": "framework: elene4work\nvisibility: public\nskills:\n"
    "  communication: [3, 3, 3, 3]\n",
}


def feedback(on: str, giver: str, words: str, visibility: str = "") -> str:
    shown = f"visibility: {visibility}\n" if visibility else ""
    return (
        f"---\non: {on}\nfrom: {giver}\nrole: tutor\ndate: 2026-05-10\n{shown}"
        f"skills:\n  communication: 2\n---\n{words}\n"
    )


@pytest.mark.slow
def test_private_feedback_and_feedback_on_private_items_never_reach_public_output(tmp_path):
    root = portfolio(
        tmp_path / "p",
        {
            **ROUND,
            "journal/2026-03-02-secret.md": md("Secret", "Mine.", visibility="private"),
            "journal/2026-03-03-draft.md": md("Unfinished", "Mine.", draft="true"),
            "feedback/private.md": feedback(
                "journal/2026-03-01-first", f"{CANARY}A", f"{CANARY} private words", "private"
            ),
            "feedback/on-secret.md": feedback(
                "journal/2026-03-02-secret", f"{CANARY}B", f"{CANARY} on a private item", "public"
            ),
            "feedback/on-draft.md": feedback(
                "journal/2026-03-03-draft", f"{CANARY}C", f"{CANARY} on a draft", "public"
            ),
            "feedback/shown.md": feedback(
                "journal/2026-03-01-first", "Open Tutor", "Public words.", "public"
            ),
        },
        passport=True,
    )
    run = cli("build", root, "--pdf")
    assert run.code == 0, run.err
    assert leaks(root / "_site", CANARY) == []
    passport = PdfReader(root / "_site" / "passport.pdf")  # its text, not only its compressed bytes
    assert CANARY not in "\n".join(p.extract_text() or "" for p in passport.pages)
    # the public one is there, so the check above looked at real feedback output
    entry = (root / "_site" / "journal" / "2026-03-01-first" / "index.html").read_text("utf-8")
    assert "Open Tutor" in entry and "Public words." in entry
    overview = (root / "_site" / "self-assessment" / "index.html").read_text("utf-8")
    assert overview.count('<span class="sa-outside">') == 1  # only the public rating counts
    for fmt, name in (("json", "p.json"), ("leap2a", "p.zip"), ("json-resume", "r.json")):
        out = tmp_path / name
        assert cli("export", root, "--format", fmt, "-o", out).code == 0
        assert CANARY.encode() not in out.read_bytes(), fmt
    private = cli("build", root, "--private")
    assert private.code == 0, private.err
    mine = (root / "_private" / "journal" / "2026-03-02-secret" / "index.html").read_text("utf-8")
    assert f"{CANARY} on a private item" in mine and "badge-visibility" in mine


def test_with_only_private_markdown_feedback_the_public_site_is_byte_identical(tmp_path):
    plain = portfolio(tmp_path / "a", dict(ROUND))
    hidden = portfolio(
        tmp_path / "b",
        {
            **ROUND,
            "feedback/private.md": feedback(
                "journal/2026-03-01-first", f"{CANARY}A", f"{CANARY} private words", "private"
            ),
        },
    )
    for root in (plain, hidden):
        run = cli("build", root)
        assert run.code == 0, run.err
    assert tree(plain / "_site") == tree(hidden / "_site")
