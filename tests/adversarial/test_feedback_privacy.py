"""Feedback from a tutor or a peer (``feedback/*.yaml``) is someone else's judgement of the
learner: private unless its file says ``visibility: public``. A public build, its feed, search
index, sitemap, passport and exports never hold private feedback; without feedback the output
does not change at all."""

from __future__ import annotations

from pathlib import Path

from attack_support import CANARY, cli, leaks, line_of, portfolio, tree

ROUNDS = {
    "assessments/2026-02-01-start.yaml": "framework: elene4work\nvisibility: public\nskills:\n"
    "  communication: [3, 3, 3, 3]\n",
    "assessments/2026-05-01-end.yaml": "framework: elene4work\nvisibility: public\nskills:\n"
    "  communication: [4, 4, 4, 3]\n",
}
PRIVATE_FEEDBACK = f"""\
from: {CANARY} Tutor
role: tutor
date: 2026-05-10
ratings:
  communication: 2
comment: "{CANARY} comment"
"""


def _case(tmp_path: Path, feedback: dict[str, str]) -> Path:
    return portfolio(tmp_path / "p", {**ROUNDS, **feedback}, passport=True)


def test_private_feedback_never_reaches_public_output(tmp_path):
    root = _case(tmp_path, {"feedback/tutor.yaml": PRIVATE_FEEDBACK})
    run = cli("build", root, "--pdf")
    assert run.code == 0, run.err
    assert leaks(root / "_site", CANARY) == []
    assert leaks(root / "_site", "2.0 (tutor") == []
    for fmt, name in (("json", "p.json"), ("leap2a", "p.zip"), ("json-resume", "r.json")):
        out = tmp_path / name
        assert cli("export", root, "--format", fmt, "-o", out).code == 0
        assert CANARY.encode() not in out.read_bytes(), fmt
    private = cli("build", root, "--private")
    assert private.code == 0, private.err
    page = (root / "_private" / "skills" / "communication" / "index.html").read_text("utf-8")
    assert f"{CANARY} Tutor" in page and "Outside view" in page  # the learner's own copy shows it


def test_without_feedback_or_with_only_private_feedback_the_public_site_is_byte_identical(tmp_path):
    plain = _case(tmp_path / "a", {})
    hidden = _case(tmp_path / "b", {"feedback/tutor.yaml": PRIVATE_FEEDBACK})
    for root in (plain, hidden):
        assert cli("build", root).code == 0
    sites = [tree(root / "_site") for root in (plain, hidden)]
    # the PDF carries its own making (ids, times): compare its text; every other file byte for byte
    texts = [_pdf_text(site.pop("passport.pdf")) for site in sites]
    assert sites[0] == sites[1] and texts[0] == texts[1]


def _pdf_text(data: bytes) -> str:
    import io

    from pypdf import PdfReader

    return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)


def test_public_feedback_is_shown_beside_the_self_rating(tmp_path):
    root = _case(
        tmp_path,
        {
            "feedback/peer.yaml": "from: Sam Peer\nrole: peer\ndate: 2026-05-10\n"
            "visibility: public\nratings:\n  communication: 3.5\n"
        },
    )
    assert cli("build", root).code == 0
    overview = (root / "_site" / "self-assessment" / "index.html").read_text("utf-8")
    assert "Outside view" in overview and '3.5 <span class="sa-outside">(peer' in overview
    skill = (root / "_site" / "skills" / "communication" / "index.html").read_text("utf-8")
    assert "Sam Peer" in skill and "3.5 — " in skill


def test_broken_feedback_files_are_reported_line_by_line(tmp_path):
    text = (
        "from: A Tutor\nrole: boss\ndate: someday\nvisibility: public\nratings:\n"
        "  communication: 9\n  comunication: 3\n"
    )
    root = _case(tmp_path, {"feedback/bad.yaml": text, "feedback/empty.yaml": ""})
    run = cli("build", root)
    assert run.code == 1
    bad = str(Path("feedback") / "bad.yaml")
    for needle in ("role:", "date:", "communication: 9", "comunication"):
        assert any(f"{bad}:{line_of(text, needle)}:" in line for line in run.lines), (needle, run.err)
    assert any("empty.yaml:1:" in line for line in run.lines)
    assert "Traceback" not in run.err
