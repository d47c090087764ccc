"""The built site of a small fixture portfolio is exactly the committed one (tests/golden.py).

A change that alters the output fails here with a diff of every changed file; if the change is
intended, `make regen-golden` writes the new expected site, to review and commit with it."""

from __future__ import annotations

import os
import subprocess
import sys

import golden
import pytest


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return golden.snapshot(golden.build(tmp_path_factory.mktemp("golden")))


def test_the_built_site_is_the_expected_one(built):
    report = golden.differences(built, golden.expected())
    assert not report, (
        "the golden portfolio's site changed; if this is intended, run "
        "`make regen-golden` and commit tests/fixtures/golden-output/\n" + report
    )


def test_the_private_entry_is_nowhere(built):
    lines, texts = built
    assert not [line for line in lines if "private-worry" in line]
    assert not [name for name, text in texts.items() if "CANARY" in text or "canary" in text]


def test_a_comparison_reports_a_changed_page_and_a_missing_file(built):
    lines, texts = built
    changed = dict(texts, **{"index.html": texts["index.html"].replace("Gold Tester", "Someone Else")})
    report = golden.differences((lines[1:], changed), (lines, texts))
    assert f"-{lines[0]}" in report
    assert "expected index.html" in report and '+<span class="monogram"' not in report
    assert "Someone Else" in report


def test_a_malformed_source_date_epoch_fails_in_one_line(tmp_path):
    portfolio = tmp_path / "portfolio"
    portfolio.mkdir()
    (portfolio / "portfolio.yaml").write_text((golden.PORTFOLIO / "portfolio.yaml").read_text())
    done = subprocess.run(
        [sys.executable, "-m", "elenefolio", "build", str(portfolio)],
        env=dict(os.environ, SOURCE_DATE_EPOCH="yesterday"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines()[0] == (
        "SOURCE_DATE_EPOCH:1: the environment variable SOURCE_DATE_EPOCH "
        "must be a whole number of seconds since 1970-01-01 (it is "
        "'yesterday')"
    )
    assert not (portfolio / "_site").exists()
