"""A cached build never publishes what a clean build would not: an item loaded by an earlier
build is reloaded when something it was loaded with changed (here ``default_visibility``)."""

from __future__ import annotations

from attack_support import CANARY, cli, leaks, md, portfolio, settings


def test_default_visibility_made_private_unpublishes_cached_entries(tmp_path):
    root = portfolio(
        tmp_path / "p",
        {"journal/2026-03-02-diary.md": md("Diary", f"Private {CANARY}.")},
        default_visibility="public",
    )
    assert cli("build", root).code == 0
    assert leaks(root / "_site", CANARY)  # public while the default is public
    (root / "portfolio.yaml").write_text(settings(default_visibility="private"))
    assert cli("build", root).code == 0
    assert leaks(root / "_site", CANARY) == []
