"""Attacks through a framework: a hostile SmartEvidence .matrix file, and a framework file whose
descriptions carry script, event handlers, dangerous links or remote images."""

from __future__ import annotations

import json

from attack_support import cli, leaks, md, portfolio
from bs4 import BeautifulSoup

HOSTILE = (
    '<p onclick="steal()">Intro</p><script>steal()</script><img src="https://tracker.example/p.gif">'
    '<a href="javascript:steal()">click</a><iframe src="https://evil.example/frame"></iframe>'
    "<style>body{display:none}</style>"
)


def test_hostile_matrix_description_cannot_script_or_track_the_built_site(tmp_path):
    matrix = {
        "framework": {
            "name": "Hostile",
            "description": HOSTILE,
            "standards": [{"shortname": "S1", "name": "S", "description": HOSTILE, "standardid": 1}],
            "standardelements": [
                {"shortname": "E1", "name": "E", "description": HOSTILE, "standardid": 1, "elementid": "1.1"}
            ],
        }
    }
    source = tmp_path / "hostile.matrix"
    source.write_text(json.dumps(matrix), encoding="utf-8")
    root = portfolio(
        tmp_path / "p",
        framework="hostile.yaml",
        files={"artefacts/a/index.md": md("A", type="document", skills="[e1]")},
    )
    run = cli("framework", "import", source, "-o", root / "hostile.yaml")
    assert run.code == 0, run.err
    converted = (root / "hostile.yaml").read_text(encoding="utf-8")
    for needle in ("steal()", "<script", "onclick", "display:none", "javascript:"):
        assert needle not in converted
    build = cli("build", root, "-o", tmp_path / "site", "--no-cache")
    assert build.code == 0, build.err
    site = tmp_path / "site"
    assert leaks(site, "steal()") == [] and leaks(site, "javascript:") == []
    for name in ("skills/index.html", "skills/e1/index.html"):
        soup = BeautifulSoup((site / name).read_text(encoding="utf-8"), "lxml")
        assert not soup.select(
            "iframe, [onclick], img[src*='tracker'], script:not([src]):not([type='application/ld+json'])"
        )


def test_markdown_framework_description_is_sanitised_like_entry_bodies(tmp_path):
    framework = """\
id: own
name: Own
areas:
  - {id: a, name: A}
skills:
  - id: s
    area: a
    name: S
    description: |
      Intro <script>steal()</script> <img src=x onerror=steal()>

      - [link](javascript:steal())
      - ![pixel](https://tracker.example/p.gif)
"""
    root = portfolio(tmp_path / "p", framework="own.yaml", files={"own.yaml": framework})
    build = cli("build", root, "-o", tmp_path / "site", "--no-cache")
    assert build.code == 0, build.err
    for name in ("skills/index.html", "skills/s/index.html"):
        soup = BeautifulSoup((tmp_path / "site" / name).read_text(encoding="utf-8"), "lxml")
        description = soup.select_one(".skill-description, .lead")
        assert description.select("li")  # rendered as Markdown
        assert not description.select("script, img, [onerror], a[href^='javascript']")
