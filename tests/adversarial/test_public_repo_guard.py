"""``elenefolio check --public-repo``: every file a public repository would show that the
public site does not is named, and the guard fails until there is none."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from attack_support import CANARY, cli, commit_all, md, portfolio

EXAMPLE = Path(__file__).resolve().parents[2] / "example-portfolio"
PDF = b"%PDF-1.4\n% " + CANARY.encode() + b"\n%%EOF\n"


def guard(root: Path):
    return cli("check", "--public-repo", root)


def flagged(run) -> dict[str, str]:
    """path -> why, from the guard's 'path:1: why' lines."""
    out = {}
    for line in (run.out + run.err).splitlines():
        if ":1: " in line:
            path, why = line.split(":1: ", 1)
            out[path] = why
    return out


def test_init_example_fails_on_its_private_entry_then_passes(tmp_path):
    root = tmp_path / "folio"
    assert cli("init", root).code == 0
    run = guard(root)
    assert run.code == 1
    files = flagged(run)
    assert len(files) == 1, run.err
    [(path, why)] = files.items()
    assert "experiment-that-failed" in path and why == "a private entry"
    assert "docs/publishing.md" in run.lines[-1] and "elenefolio deploy" in run.lines[-1]
    entry = root / path
    entry.write_text(entry.read_text().replace("visibility: private", "visibility: public"))
    run = guard(root)
    assert run.code == 0 and flagged(run) == {}, run.err


def _every_kind(tmp_path: Path) -> Path:
    root = portfolio(
        tmp_path / "folio",
        {
            "journal/2026-03-02-private.md": md("Private", CANARY, visibility="private"),
            "journal/2026-03-03-draft.md": md("Draft", CANARY, draft="true"),
            "journal/2026-03-04-unlisted.md": md("Unlisted", CANARY, visibility="unlisted"),
            "journal/2026-03-05-default.md": md("Default", CANARY),
            "journal/2026-03-06-broken.md": f"no front matter {CANARY}\n",
            "journal/2026-03-07-shared.md": md("Shared", "![a chart](shared.png)"),
            "journal/shared.png": b"\x89PNG shared",
            "artefacts/secret/index.md": md(
                "Secret work",
                "![slides](slides.pdf)\n\n![a chart](../../journal/shared.png)",
                type="document",
                visibility="private",
            ),
            "artefacts/secret/slides.pdf": PDF,
            "journal/notes.txt": CANARY,
            "agenda.yaml": (EXAMPLE / "agenda.yaml").read_text(encoding="utf-8"),
        },
        default_visibility="private",
    )
    first = root / "journal/2026-03-01-first.md"
    first.write_text(md("First entry", "A public entry.", visibility="public"))
    shared = root / "journal/2026-03-07-shared.md"
    shared.write_text(md("Shared", "![a chart](shared.png)", visibility="public"))
    shutil.copytree(EXAMPLE / "assessments", root / "assessments")
    shutil.copytree(EXAMPLE / "badges", root / "badges")
    return root


def test_every_kind_of_private_file_is_named(tmp_path):
    root = _every_kind(tmp_path)
    run = guard(root)
    assert run.code == 1
    files = flagged(run)
    assert files["journal/2026-03-02-private.md"] == "a private entry"
    assert files["journal/2026-03-03-draft.md"] == "a draft"
    assert "unlisted" in files["journal/2026-03-04-unlisted.md"]
    assert "default_visibility" in files["journal/2026-03-05-default.md"]
    assert "could not be read" in files["journal/2026-03-06-broken.md"]
    assert files["artefacts/secret/index.md"] == "a private artefact"
    assert "not public" in files["artefacts/secret/slides.pdf"]
    assert "journal/notes.txt" in files  # used by nothing on the site
    assert "agenda" in files["agenda.yaml"]
    rounds = [p for p in files if p.startswith("assessments/")]
    assert len(rounds) == len(list((root / "assessments").iterdir())) >= 1
    assert all(files[p] == "a private self-assessment round" for p in rounds)
    assert any(p.startswith("badges/") and p.endswith((".png", ".svg")) for p in files)
    # public things are not named: the public entries and the image a public entry shows too
    for public in (
        "journal/2026-03-01-first.md",
        "journal/2026-03-07-shared.md",
        "journal/shared.png",
        "portfolio.yaml",
    ):
        assert public not in files
    # every file holding the canary is named
    holding = {
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and CANARY.encode() in p.read_bytes()
    }
    assert holding <= set(files)


def test_public_rounds_and_agenda_are_not_named(tmp_path):
    root = _every_kind(tmp_path)
    config = yaml.safe_load((root / "portfolio.yaml").read_text())
    config["self_assessment"] = {"visibility": "public"}
    (root / "portfolio.yaml").write_text(yaml.safe_dump(config))
    files = flagged(guard(root))
    assert not any(p.startswith("assessments/") or p == "agenda.yaml" for p in files)


def test_only_what_git_would_commit_counts(tmp_path):
    root = portfolio(
        tmp_path / "folio",
        {
            "journal/2026-03-02-private.md": md("Private", CANARY, visibility="private"),
            ".gitignore": "journal/2026-03-02-private.md\n_private/\n",
            ".elenefolio-cache/items.pickle": CANARY,
            "_private/index.html": CANARY,
        },
    )
    commit_all(root, "Sources")
    files = flagged(guard(root))
    assert set(files) == {".elenefolio-cache/items.pickle"}, files
    assert "cache" in files[".elenefolio-cache/items.pickle"]


def test_public_sources_setting_turns_the_guard_off(tmp_path):
    root = portfolio(
        tmp_path / "folio",
        {"journal/2026-03-02-private.md": md("Private", CANARY, visibility="private")},
        public_sources=True,
    )
    run = guard(root)
    assert run.code == 0
    assert "journal/2026-03-02-private.md" in flagged(run)
    assert "public_sources: true" in run.out


def test_an_unreadable_portfolio_fails(tmp_path):
    root = tmp_path / "folio"
    root.mkdir()
    (root / "portfolio.yaml").write_text("title: [unclosed\n")
    run = guard(root)
    assert run.code == 1 and run.lines and all("portfolio.yaml" in line for line in run.lines)


def test_private_and_unlisted_collections_and_private_cvs_are_named(tmp_path):
    root = portfolio(
        tmp_path / "folio",
        {
            "artefacts/open.md": md("Open work", "Shown.", visibility="public"),
            "collections/shown.yaml": "title: Shown\nitems: [artefacts/open]\nvisibility: public\n",
            "collections/hidden.yaml": f"title: {CANARY}\nitems: [artefacts/open]\nvisibility: private\n",
            "collections/by-link.yaml": "title: By link\nitems: [artefacts/open]\nvisibility: unlisted\n",
            "cv-private.pdf": PDF,
            "passport-private-hidden.pdf": PDF,
        },
    )
    files = flagged(guard(root))
    assert files == {
        "collections/by-link.yaml": "an unlisted collection",
        "collections/hidden.yaml": "a private collection",
        "cv-private.pdf": "your private CV",
        "passport-private-hidden.pdf": "a private passport of a collection",
    }, files
