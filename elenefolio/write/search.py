"""The search index: a static full-text index of the public pages, built with Pagefind.

Pagefind (its PyPI package ships the binary) writes a compressed, chunked
index and a small WebAssembly search client: the ``/search/`` page loads
only the chunks a query needs, so search works on any static host, with no
server code and no request to another site.

Only the pages the render stage marks as searchable are given to Pagefind,
one by one, with their final address: a page that is not handed over cannot
be indexed, whatever its templates contain. Of each page, Pagefind gets what
it indexes: the language, the title and the ``data-pagefind-body`` element
(``searchable_part``); the index is the same as from the whole page, made in
less time. The site stage marks listed
journal entries, artefacts and skill pages, and the home page — never an
unlisted page, the 404 page, nor anything private or draft (those have no
page in a public build at all).

**Shards.** The searchable pages are split into shards by a stable hash of
their address; each shard is a complete Pagefind index of its own in
``pagefind/<n>/``, and ``pagefind/shards.json`` lists them. The search page
loads the first shard's client and merges the others into it (Pagefind's
``mergeIndex``), so a query searches all of them as one index. The number of
shards depends only, and coarsely, on how many pages are searchable, so it
stays the same while a portfolio grows: an edit changes one page, hence one
shard, and an incremental build indexes that shard again and keeps the
others as they are. A cold build indexes the shards side by side, one
Pagefind process each, as many at a time as there are processors.

Pages go to Pagefind through its service mode (``pagefind --service``, the
same stdin/stdout protocol its official Python and Node.js wrappers speak),
and the index comes back the same way: no staging copy of the pages and no
index files written and read back. The wrappers themselves are not used
because the Python one polls for each answer every 0.1 s, which makes adding
a thousand pages take minutes.

The index is added to the new output before it is put in place, so a failed
indexing fails the build and leaves the previous site in place.

**Languages.** Pagefind's *extended* binary (``pagefind[extended]``) splits Chinese,
Japanese and Thai text into words, which are written without spaces between them;
without it a whole sentence is one "word" and a word in its middle is never found.
It does so for a page whose ``<html lang>`` is one of those languages, and it keeps
one index per language of the pages (in each shard). So each page goes to Pagefind
with the language of its index (``index_language``): the item's own ``lang:`` when
Pagefind segments that language (a Chinese entry of an English site is indexed as
Chinese), else the site's language (an English entry of a Chinese site, a French
entry of an English site: one index, searched with the same stemming as the
query). The search page loads every language index of every shard
(``pagefind-entry.json`` names them) and searches them as one.

**Tags.** An item's tags are metadata of its page (``data-pagefind-meta``,
``tags``), which Pagefind indexes with its text: a query matching a tag finds the
items carrying it, and their results show their tags. (The list of tags in the
page's footer is not indexed: Pagefind leaves out ``<footer>`` elements.)
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import subprocess
import tempfile
import threading
import zlib
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import Any, Iterable, Iterator

INDEX_FOLDER = "pagefind"
SHARDS_FILE = "shards.json"  # in INDEX_FOLDER: the shard folders, the first one's client loads the others
# Within a searchable page's <main data-pagefind-body>, what is not the page's own words:
# navigation, dates and kinds, download labels of players, lists of tags and skills and the
# theme's headings and labels around the author's text (a result's excerpt comes from that
# text), the home page's buttons and numbers, and on skill pages the levels and the lists of
# evidence (each item is found on its own page). A page's type, date and tags reach the
# results as metadata (data-pagefind-meta on <main>), which Pagefind indexes too.
EXCLUDED = (
    ".site-nav",
    ".pager",
    ".breadcrumb",
    ".meta",
    ".home-section",
    ".skip-link",
    "nav",
    "video",
    "audio",
    ".media-fallback",
    ".skill-summary",
    ".skill-section",
    ".chips",
    ".profile-links",
    ".passport-link",
    ".stats",
    ".skill-levels",
    ".facts dt",
    ".reflection > h2",
    ".evidence > h2",
    ".evidence-item h3",
    ".evidence-item .area-name",
    ".resources > h2",
    ".resource-type",
)
# Files of Pagefind's bundle that the theme's own search page does not use (its ready-made UIs).
UNUSED = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)
# The languages whose words Pagefind's extended binary finds in text written without spaces.
SEGMENTED = ("zh", "ja", "th")
# On a searchable page's <main>: the language of the item's own text, when it sets ``lang:``.
ITEM_LANGUAGE = re.compile(rb'\sdata-index-lang="([A-Za-z0-9-]+)"')
HTML_LANGUAGE = re.compile(rb'\slang="([A-Za-z0-9-]*)"')
# A merged shard needs only its index: the first shard's client and WebAssembly search it.
CLIENT = ("pagefind.js", "pagefind-worker.js")
ENTRY = "pagefind-entry.json"  # in each shard: its language indexes
# Up to this many searchable pages make one index; above it, a power of two of shards of at
# most this many pages each (for 1,000 pages, 8 shards of about 125), never more than MAX_SHARDS.
# Pagefind takes about 1.2 ms a page and 20 ms a shard: an edit indexes one shard again
# (about 0.15 s), a cold build pays the fixed cost of every shard.
SHARD_PAGES = 128
LISTED = "listed"  # in ``SearchIndex.digest``, beside the shard folders: which pages it holds
MAX_SHARDS = 16
TIMEOUT = 300  # seconds for one shard


class SearchIndexError(Exception):
    """Pagefind is missing or failed; the message is one line."""


def shard_count(pages: int) -> int:
    """How many shards ``pages`` searchable pages are split into."""
    count = 1
    while count < MAX_SHARDS and pages > SHARD_PAGES * count:
        count *= 2
    return count


def shard_of(url: str, count: int) -> int:
    """The shard of the page at site-root relative ``url``: the same in every build."""
    if count == 1:
        return 0
    digest = hashlib.blake2b(url.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % count


def shard_folder(shard: int) -> str:
    """The folder of a shard, relative to the output folder (with a trailing slash)."""
    return f"{INDEX_FOLDER}/{shard}/"


def shards_file(folders: list[str]) -> bytes:
    """``pagefind/shards.json``: the shard folders relative to ``pagefind/``, the first one
    being the one whose client the search page loads."""
    names = [folder.removeprefix(INDEX_FOLDER + "/") for folder in folders]
    return (json.dumps({"shards": names}, indent=1) + "\n").encode("utf-8")


def recipe() -> str:
    """What besides the pages shapes an index: the Pagefind binary (its path, size and time
    stamp: a new version is a new file) and how it is run (this module's code)."""
    from pathlib import Path

    from elenefolio.incremental import file_stamp

    try:
        program = executable()
        binary = [program, file_stamp(program)]
    except SearchIndexError:
        binary = None  # indexing will say what is wrong
    code = hashlib.blake2b(Path(__file__).read_bytes(), digest_size=16).hexdigest()
    return json.dumps([binary, code])


def executable() -> str:
    """Pagefind's binary, found as ``pagefind.service.get_executable`` finds it (the
    ``PAGEFIND_BINARY_PATH`` variable, then the binary packages, then the ``PATH``)
    without importing that module and the asyncio it needs, which slowed every build."""
    import shutil

    found = os.environ.get("PAGEFIND_BINARY_PATH")
    for package in ("pagefind_bin_extended", "pagefind_bin"):
        if found:
            break
        try:
            found = str(__import__(package).get_executable())
        except ImportError:
            continue
    found = found or shutil.which("pagefind_extended") or shutil.which("pagefind")
    if not found:
        raise SearchIndexError("the search index needs Pagefind's binary: pip install 'pagefind[extended]'")
    return found


class SearchIndex:
    """The searchable pages of one build, split into shards; indexes the shards that changed.

    ``previous`` is the ``digest`` of the previous build whose output is being updated
    (None for a build from scratch): a shard whose digest is the same, and whose files
    the previous output still holds intact, is kept as it is.
    """

    def __init__(self, previous: object = None):
        self.pages: list[tuple[str, str, bytes | None]] = []  # (address, output file, HTML or None)
        self.previous: dict[str, str] = previous if isinstance(previous, dict) else {}
        self.digest: dict[str, str] | None = None  # shard folder -> digest of its pages, once written
        self.deferred = False  # some shards were left out of date (``write(defer=True)``)

    def add(self, url: str, path: str, html: bytes | None) -> None:
        """A searchable page at ``url``, written to ``path``; its HTML, or None when the
        output already holds it unchanged. (Kept compressed until it is indexed: a cold
        build of 10,000 entries would otherwise hold 100 MB of pages.)"""
        if html is not None:
            html = zlib.compress(searchable_part(html), 1)
        self.pages.append((url, path, html))

    def shards(self) -> dict[str, list[tuple[str, str, bytes | None]]]:
        """The non-empty shards, by folder, in order; each one's pages sorted by address."""
        count = shard_count(len(self.pages))
        split: dict[int, list] = {}
        for page in sorted(self.pages, key=lambda page: page[0]):
            split.setdefault(shard_of(page[0], count), []).append(page)
        return {shard_folder(shard): split[shard] for shard in sorted(split)}

    def write(
        self,
        add,
        hash_of=None,
        intact=None,
        read=None,
        old: Iterable[str] = (),
        jobs: int | None = None,
        defer: bool = False,
    ) -> list[str]:
        """Decide which shards to index and index them: ``add(path, data)`` is called for
        each new file as soon as its shard is indexed (so the files of one shard are written
        while the next is indexed). Returns the files of the previous output to keep. Paths
        are relative to the output folder.

        ``hash_of(path)`` is the content hash of an output file of this build (None: no
        hashes, every shard is indexed and ``digest`` stays None); ``intact(path)``
        whether the previous output still holds ``path`` as it was written; ``read(path)``
        the bytes of an output file this build left unchanged; ``old`` the files of the
        previous output.

        With ``defer``, a changed shard whose previous files are intact is kept as it
        was (out of date) and keeps its previous digest, so that the next build indexes
        it again; ``deferred`` then tells that the index is behind the pages. (``serve``
        reloads the browser first and brings the index up to date right after.)
        """
        shards = self.shards()
        folders = list(shards)
        previous_files: dict[str, list[str]] = {}
        for path in old:
            if path.startswith(INDEX_FOLDER + "/"):
                folder = path[: path.find("/", len(INDEX_FOLDER) + 1) + 1]
                previous_files.setdefault(folder, []).append(path)
        digests: dict[str, str] = {}
        if hash_of is not None:
            common = recipe()
            for number, (folder, pages) in enumerate(shards.items()):
                digest = hashlib.blake2b(digest_size=16)
                digest.update(f"{common}\0{len(folders)}\0{folder}\0{number == 0}\0".encode())
                for url, path, _ in pages:
                    digest.update(f"{url}\0{hash_of(path)}\0".encode())
                digests[folder] = digest.hexdigest()
            self.digest = digests
        # Which pages are searchable at all: an index left behind may still show a page's
        # previous words, but never a page that left the index (made private, unlisted or
        # a draft, or deleted), so such a build indexes every changed shard at once.
        listed = hashlib.blake2b(
            "\0".join(url for url, _, _ in self.pages).encode(), digest_size=16
        ).hexdigest()
        if self.digest is not None:
            self.digest[LISTED] = listed
        # (only while the shards are the same ones: never a mix of two ways of splitting the pages)
        defer = defer and set(folders) == set(previous_files) - {""} and self.previous.get(LISTED) == listed
        keep: list[str] = []
        todo: list[str] = []
        for folder in folders:
            files = previous_files.get(folder, [])
            whole = files and intact is not None and all(intact(path) for path in files)
            if whole and folder in digests and self.previous.get(folder) == digests[folder]:
                keep.extend(files)
            elif whole and defer and folder in self.previous:
                keep.extend(files)
                digests[folder] = self.previous[folder]
                self.deferred = True
            else:
                todo.append(folder)
        work = [
            (
                [
                    (url, zlib.decompress(html) if html is not None else searchable_part(read(path)))
                    for url, path, html in shards[folder]
                ],
                folder == folders[0],
            )
            for folder in todo
        ]
        for number, written in index_shards(work, jobs):
            for name, data in sorted(written.items()):
                add(todo[number] + name, data)
        add(f"{INDEX_FOLDER}/{SHARDS_FILE}", shards_file(folders))
        return keep


def segmented(language: str) -> bool:
    """Whether Pagefind splits text in ``language`` (a BCP 47 tag) into words itself."""
    return language.split("-")[0].lower() in SEGMENTED


def index_language(site: str, item: str | None) -> str:
    """The language a page is indexed in: the item's own (``lang:``) when Pagefind
    segments it and the site's does not share it, else the site's."""
    if item and segmented(item) and item.split("-")[0].lower() != site.split("-")[0].lower():
        return item
    return site


def searchable_part(html: bytes) -> bytes:
    """What Pagefind indexes of a page: its ``<html>`` tag (the language, that of its
    index: ``index_language``), its title and its ``<main data-pagefind-body>``
    element; the whole page when its theme marks anything else for Pagefind or puts
    the searchable part elsewhere."""
    start = html.find(b"<main")
    end = html.rfind(b"</main>")
    opening = html.find(b">", start)
    title_start, title_end = html.find(b"<title>"), html.find(b"</title>")
    page_start = html.find(b"<html")
    if (
        min(start, end, opening, title_start, title_end, page_start) < 0
        or b"data-pagefind-body" not in html[start:opening]
        or html.count(b"data-pagefind-") != html.count(b"data-pagefind-", start, end)
    ):
        return html
    page_tag = html[page_start : html.find(b">", page_start) + 1]
    item = ITEM_LANGUAGE.search(html, start, opening)
    site = HTML_LANGUAGE.search(page_tag)
    if item and site:
        language = index_language(site[1].decode(), item[1].decode())
        if language != site[1].decode():
            page_tag = b'<html lang="%s">' % language.encode()
    return b"".join(
        (
            page_tag,
            b"<head>",
            html[title_start:title_end],
            b"</title></head><body>",
            html[start:end],
            b"</main></body></html>",
        )
    )


def index_shards(
    shards: list[tuple[list[tuple[str, bytes]], bool]], jobs: int | None = None
) -> Iterator[tuple[int, dict[str, bytes]]]:
    """Index each shard — its (site-root relative address, HTML) pages and whether it is
    the primary one — in a Pagefind process of its own, ``jobs`` at a time (default: one
    per processor). Yields (number of the shard, its files relative to its folder) as each
    shard is done."""
    if not shards:
        return
    program = executable()
    jobs = max(1, min(len(shards), jobs or os.cpu_count() or 1))
    if jobs == 1:
        for number, (pages, primary) in enumerate(shards):
            yield number, index_pages(program, pages, primary)
        return
    pool = ThreadPoolExecutor(jobs)
    try:
        futures = {
            pool.submit(index_pages, program, pages, primary): number
            for number, (pages, primary) in enumerate(shards)
        }
        for future in as_completed(futures):
            yield futures[future], future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def index_pages(program: str, pages: list[tuple[str, bytes]], primary: bool) -> dict[str, bytes]:
    """One Pagefind index of ``pages``; the files a merged (not primary) shard does not
    need and Pagefind's ready-made UIs are left out."""
    files = PagefindService(program).index(pages)

    def used(path: str) -> bool:
        if path in UNUSED:
            return False
        return primary or not (path in CLIENT or path.startswith("wasm."))

    files = {path: data for path, data in files.items() if used(path)}
    if ENTRY in files:
        files[ENTRY] = stable_entry(files[ENTRY])
    return files


def stable_entry(data: bytes) -> bytes:
    """``pagefind-entry.json`` with its language indexes in the order of their names:
    Pagefind lists them in no fixed order, so that two builds of the same pages would
    differ. (Its search client looks a language up by name; with no index in the page's
    language it takes the one with the most pages, then the first listed.)"""
    entry = json.loads(data)
    languages = entry.get("languages")
    if not isinstance(languages, dict) or list(languages) == sorted(languages):
        return data
    entry["languages"] = dict(sorted(languages.items()))
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class PagefindService:
    """One ``pagefind --service`` process: pages in, index files out.

    Requests are base64-encoded JSON messages ended by a comma on its standard input;
    it answers each, in the order they were sent, on its standard output. The requests
    are written by a thread of their own while the answers are read, so neither pipe
    can fill up and stop the other.
    """

    def __init__(self, program: str):
        self.program = program

    def index(self, pages: list[tuple[str, bytes]]) -> dict[str, bytes]:
        requests: list[dict[str, Any]] = [
            {"type": "NewIndex", "config": {"exclude_selectors": list(EXCLUDED)}}
        ]
        for url, html in pages:
            requests.append(
                {
                    "type": "AddFile",
                    "index_id": 0,
                    "url": "/" + url,
                    "file_path": None,
                    "file_contents": html.decode("utf-8", "replace"),
                }
            )
        requests.append({"type": "GetFiles", "index_id": 0})
        with tempfile.TemporaryFile() as errors:
            try:
                process = subprocess.Popen(
                    [self.program, "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors
                )
            except OSError as exc:
                raise SearchIndexError(f"could not run Pagefind for the search index: {exc}") from exc
            timer = threading.Timer(TIMEOUT, process.kill)
            timer.start()
            writer = threading.Thread(target=self._send, args=(process, requests), daemon=True)
            writer.start()
            try:
                answers = list(self._answers(process.stdout, len(requests)))
            except (OSError, ValueError) as exc:
                process.kill()
                process.wait()
                errors.seek(0)
                detail = " ".join(errors.read().decode("utf-8", "replace").split())[:300]
                raise SearchIndexError(
                    f"building the search index failed: {detail or exc or f'exit code {process.returncode}'}"
                ) from exc
            finally:
                timer.cancel()
                writer.join()
                if process.stdin:
                    try:
                        process.stdin.close()  # Pagefind stops at the end of its input
                    except OSError:
                        pass
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:  # pragma: no cover
                    process.kill()
                    process.wait()
                if process.stdout:
                    process.stdout.close()
        for answer in answers:
            if answer.get("type") == "Error":
                raise SearchIndexError(
                    "building the search index failed: "
                    + " ".join(str(answer.get("message", "")).split())[:300]
                )
        last = answers[-1]
        if last.get("type") != "GetFiles":
            raise SearchIndexError(
                f"building the search index failed: unexpected answer {last.get('type')!r}"
            )
        return {file["path"]: base64.b64decode(file["content"]) for file in last["files"]}

    @staticmethod
    def _send(process, requests: list[dict]) -> None:
        try:
            for number, payload in enumerate(requests, 1):
                message = json.dumps({"message_id": number, "payload": payload}).encode("utf-8")
                process.stdin.write(base64.b64encode(message) + b",")
            process.stdin.flush()
        except OSError:  # it stopped; the reader reports why
            pass

    @staticmethod
    def _answers(stream, count: int) -> Iterable[dict]:
        buffer = bytearray()
        for _ in range(count):
            while (end := buffer.find(b",")) < 0:
                chunk = stream.read1(1 << 20)
                if not chunk:
                    raise ValueError("Pagefind stopped before it answered")
                buffer += chunk
            answer = json.loads(base64.b64decode(bytes(buffer[:end])))
            del buffer[: end + 1]
            yield answer.get("payload") or {}
