"""Shared items (``visibility: shared``): a page encrypted for the audiences it names, and
nothing of it anywhere else."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import canary_hits

from elenefolio.util import sharing
from tests.adversarial.attack_support import cli, leaks, md, portfolio

CANARY = "canarysharedtitle4417"
BODY_CANARY = "canarysharedbody9921"
PASS = "correct horse battery staple"
AUDIENCES = {"mentors": {"passphrase_env": "EF_TEST_MENTORS"}, "jury": {"passphrase_env": "EF_TEST_JURY"}}
ENV = {"EF_TEST_MENTORS": PASS, "EF_TEST_JURY": "another passphrase"}


def shared_portfolio(root: Path, **fields) -> Path:
    fields = fields or {"visibility": "shared", "audience": "[mentors, jury]", "tags": "[secrettag]"}
    return portfolio(
        root,
        {
            "journal/2026-03-02-shared.md": md(
                f"{CANARY} خاص 共有 🔒",
                f"{BODY_CANARY}: what only my mentors read. Ελληνικά עברית.\n\n"
                "![a photo](photo.png)\n\n[First](2026-03-01-first.md)",
                date="2026-03-02",
                **fields,
            ),
            "journal/photo.png": _png(),
        },
        audiences=AUDIENCES,
    )


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 40, 40)).save(buffer, "PNG")
    return buffer.getvalue()


def sealed_of(page: Path) -> dict:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    form = soup.select_one("form.shared-form")
    assert form is not None
    return json.loads(form["data-sealed"])


def test_shared_entry_leaks_nowhere_and_opens_with_each_passphrase(tmp_path):
    root = shared_portfolio(tmp_path / "p")
    out = tmp_path / "site"
    run = cli("build", root, "--output", out, env=ENV)
    assert run.code == 0, run.err
    assert leaks(out, CANARY) == []
    assert leaks(out, BODY_CANARY) == []
    assert leaks(out, "secrettag") == []
    assert leaks(out, PASS) == []
    assert (out / "pagefind").is_dir()  # the search index, its compressed chunks read too:
    assert canary_hits(out, [CANARY, BODY_CANARY, "secrettag"]) == []
    assert "photo.png" in run.err and "shared item" in run.err  # its file is left out, said so
    assert not list(out.rglob("photo*"))
    page = out / "journal" / "2026-03-02-shared" / "index.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    assert soup.find("meta", attrs={"name": "robots"})["content"].startswith("noindex")
    assert soup.find("script", attrs={"type": "application/ld+json"}) is None
    sealed = sealed_of(page)
    assert sealed["iterations"] >= 600_000 and len(sealed["keys"]) == 2
    opened = sharing.unseal(sealed, PASS.encode())
    assert opened is not None and CANARY in opened["title"] and BODY_CANARY in opened["main"]
    assert sharing.unseal(sealed, b"another passphrase")["main"] == opened["main"]
    assert sharing.unseal(sealed, b"wrong") is None
    # listed nowhere: the journal, the home page, the feed, the sitemap, the previous entry
    for rel in (
        "index.html",
        "journal/index.html",
        "feed.xml",
        "sitemap.xml",
        "journal/2026-03-01-first/index.html",
    ):
        assert "2026-03-02-shared" not in (out / rel).read_text(encoding="utf-8"), rel


@pytest.mark.slow  # a sequence of builds: seconds
def test_each_build_encrypts_afresh(tmp_path):
    root = shared_portfolio(tmp_path / "p")
    pages = []
    for n in (1, 2):
        out = tmp_path / f"site{n}"
        assert cli("build", root, "--output", out, "--no-cache", env=ENV).code == 0
        pages.append(sealed_of(out / "journal" / "2026-03-02-shared" / "index.html"))
    assert pages[0]["data"] != pages[1]["data"]
    assert pages[0]["keys"][0]["salt"] != pages[1]["keys"][0]["salt"]


def test_missing_passphrase_is_an_error_naming_the_variable(tmp_path):
    root = shared_portfolio(tmp_path / "p")
    run = cli("build", root, "--output", tmp_path / "site", env={"EF_TEST_JURY": "x" * 12})
    assert run.code == 1
    assert any(line.startswith("portfolio.yaml:") and "EF_TEST_MENTORS" in line for line in run.lines), (
        run.err
    )
    assert not (tmp_path / "site" / "journal").exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"visibility": "shared"}, "needs 'audience: NAME'"),
        ({"visibility": "shared", "audience": "mentorz"}, "did you mean 'mentors'"),
        ({"visibility": "public", "audience": "mentors"}, "only for a shared item"),
    ],
)
def test_audience_mistakes_are_reported(tmp_path, fields, message):
    root = shared_portfolio(tmp_path / "p", **fields)
    run = cli("build", root, "--output", tmp_path / "site", env=ENV)
    assert run.code == 1
    assert any(line.startswith("journal/2026-03-02-shared.md:") and message in line for line in run.lines), (
        run.err
    )


@pytest.mark.slow  # a build of its own: seconds
def test_private_copy_shows_the_shared_entry_in_clear(tmp_path):
    root = shared_portfolio(tmp_path / "p")
    out = tmp_path / "site"
    assert cli("build", root, "--output", out, "--private", env=ENV).code == 0
    assert CANARY in (out / "journal" / "2026-03-02-shared" / "index.html").read_text(encoding="utf-8")


# --- in the browser ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def served_shared(tmp_path_factory):
    from browser_support import serve

    folder = tmp_path_factory.mktemp("shared")
    root = shared_portfolio(folder / "p")
    out = folder / "site"
    assert cli("build", root, "--output", out, env=ENV).code == 0
    server = serve(out)
    yield server.url + "journal/2026-03-02-shared/"
    server.stop()


@pytest.mark.browser
def test_the_right_passphrase_opens_the_page_in_the_browser(page, served_shared):
    page.goto(served_shared)
    assert BODY_CANARY not in page.content()
    page.get_by_label("Passphrase").fill("another passphrase")  # the jury's: any audience's opens it
    page.get_by_role("button", name="Open").click()
    main = page.locator("main")
    main.get_by_text(BODY_CANARY).wait_for(timeout=30_000)
    assert CANARY in main.locator("h1").inner_text()
    assert "خاص 共有 🔒" in main.locator("h1").inner_text()
    assert CANARY in page.title()
    assert main.locator("a", has_text="First").get_attribute("href") == "../2026-03-01-first/"
    assert page.locator("form.shared-form").count() == 0
    # the photo, not published, is the only failed load (an unpublished image keeps its address)
    assert page.watch.failed == [f"HTTP 404: {served_shared}photo.png"], page.watch.problems
    assert page.watch.errors == [] and all("404" in line for line in page.watch.console)


@pytest.mark.browser
def test_a_wrong_passphrase_says_so_and_shows_nothing(page, served_shared):
    page.goto(served_shared)
    page.get_by_label("Passphrase").fill("not the passphrase")
    page.get_by_role("button", name="Open").click()
    alert = page.get_by_role("alert")
    alert.filter(has_text="Wrong passphrase").wait_for(timeout=30_000)
    assert BODY_CANARY not in page.content() and CANARY not in page.content()
    assert page.title() == "Shared page · Ada Tester"
    assert page.locator("form.shared-form").count() == 1
    assert page.watch.problems == []


@pytest.mark.slow  # a sequence of builds: seconds
def test_incremental_build_keeps_an_unchanged_shared_page_and_reencrypts_on_a_new_passphrase(tmp_path):
    root = shared_portfolio(tmp_path / "p")
    out = tmp_path / "site"
    page = out / "journal" / "2026-03-02-shared" / "index.html"
    assert cli("build", root, "--output", out, env=ENV).code == 0
    first = page.read_bytes()
    assert cli("build", root, "--output", out, env=ENV).code == 0
    assert page.read_bytes() == first  # not encrypted again: the same bytes
    cache = b"".join(
        p.read_bytes() for p in root.rglob("*") if ".elenefolio-cache" in p.parts and p.is_file()
    )
    assert cache and PASS.encode() not in cache and b"another passphrase" not in cache
    changed = dict(ENV, EF_TEST_MENTORS="a new passphrase for mentors")
    assert cli("build", root, "--output", out, env=changed).code == 0
    sealed = sealed_of(page)
    assert sharing.unseal(sealed, b"a new passphrase for mentors") is not None
    assert sharing.unseal(sealed, PASS.encode()) is None


def test_exports_and_the_public_repository_check_leave_the_shared_entry_out(tmp_path):
    import zipfile

    root = shared_portfolio(tmp_path / "p")
    for fmt in ("json-resume", "json", "leap2a"):
        target = tmp_path / f"export-{fmt}"
        run = cli("export", root, "--format", fmt, "-o", target, env=ENV)
        assert run.code == 0, run.err
        data = target.read_bytes()
        if fmt == "leap2a":
            with zipfile.ZipFile(target) as archive:
                data = b"".join(archive.read(name) for name in archive.namelist())
        for canary in (CANARY, BODY_CANARY, "2026-03-02-shared"):
            assert canary.encode() not in data, (fmt, canary)


@pytest.mark.slow  # a build of its own: seconds
def test_a_shared_artefact_is_encrypted_and_its_media_are_not_published(tmp_path):
    root = portfolio(
        tmp_path / "p",
        {
            "artefacts/secret-poster/index.md": md(
                f"Poster {CANARY}",
                f"About the poster: {BODY_CANARY}.",
                type="image",
                visibility="shared",
                audience="mentors",
                media="[{src: poster.png, alt: 'The poster'}]",
            ),
            "artefacts/secret-poster/poster.png": _png(),
        },
        audiences=AUDIENCES,
    )
    out = tmp_path / "site"
    run = cli("build", root, "--output", out, env=ENV)
    assert run.code == 0, run.err
    assert "poster.png" in run.err and "shared item" in run.err
    assert leaks(out, CANARY) == [] and leaks(out, BODY_CANARY) == []
    assert sorted(p.name for p in (out / "artefacts" / "secret-poster").iterdir()) == ["index.html"]
    opened = sharing.unseal(sealed_of(out / "artefacts" / "secret-poster" / "index.html"), PASS.encode())
    assert opened is not None and BODY_CANARY in opened["main"]
    # only the mentors' passphrase opens it: the jury's is not among its keys
    assert (
        sharing.unseal(sealed_of(out / "artefacts" / "secret-poster" / "index.html"), b"another passphrase")
        is None
    )


@pytest.mark.slow  # a build of its own: seconds
def test_a_shared_collection_is_encrypted_listed_nowhere_and_has_no_passport(tmp_path):
    root = shared_portfolio(tmp_path / "p")
    (root / "collections").mkdir()
    (root / "collections" / "for-my-mentors.yaml").write_text(
        f"title: 'Work for my mentors {CANARY}'\n"
        "visibility: shared\naudience: mentors\n"
        f"intro: 'Why these: {BODY_CANARY}. ![chart](chart.png)'\n"
        "items:\n  - journal/2026-03-01-first\n  - journal/2026-03-02-shared\n",
        encoding="utf-8",
    )
    (root / "collections" / "chart.png").write_bytes(_png())
    out = tmp_path / "site"
    run = cli("build", root, "--output", out, env=ENV)
    assert run.code == 0, run.err
    assert "chart.png" in run.err and "shared item" in run.err
    assert leaks(out, CANARY) == [] and leaks(out, BODY_CANARY) == [] and not list(out.rglob("chart*"))
    page = out / "collections" / "for-my-mentors" / "index.html"
    opened = sharing.unseal(sealed_of(page), PASS.encode())
    assert opened is not None and CANARY in opened["title"] and BODY_CANARY in opened["main"]
    assert "First entry" in opened["main"]
    assert sharing.unseal(sealed_of(page), b"another passphrase") is None  # the jury is not its audience
    for rel in ("index.html", "sitemap.xml"):
        assert "for-my-mentors" not in (out / rel).read_text(encoding="utf-8"), rel
    passport = cli("passport", root, "--collection", "for-my-mentors", "-o", tmp_path / "p.pdf", env=ENV)
    assert passport.code == 1 and "this collection is shared" in passport.err
    assert not (tmp_path / "p.pdf").exists()


def test_a_public_collection_cannot_hold_a_shared_item(tmp_path):
    root = shared_portfolio(tmp_path / "p")
    (root / "collections").mkdir()
    (root / "collections" / "show.yaml").write_text(
        "title: Show\nvisibility: public\nitems:\n  - journal/2026-03-02-shared\n", encoding="utf-8"
    )
    run = cli("build", root, "--output", tmp_path / "site", env=ENV)
    assert run.code == 1
    assert any(line.startswith("collections/show.yaml:") and "is shared" in line for line in run.lines), (
        run.err
    )
