"""The search index of an offline site (``build --offline``): plain JavaScript files.

A site opened from the file system (``file://``) cannot use Pagefind: its client
fetches the index, and browsers refuse ``fetch`` of ``file://`` addresses (and
module scripts too). So an offline build ships no Pagefind at all: the search
page loads ``search-index.js`` with a plain ``<script>``; it defines one global,
``ELENEFOLIO_SEARCH``, with, for each searchable page: its address (site-root
relative, naming its ``index.html``), title, type, date, tags, language and the
words of its searchable part — the same part, and the same pages, as Pagefind
indexes online (``write.search``): a page the render stage does not mark as
searchable is never in it. The theme's ``assets/js/search-offline.js`` searches it
in the browser (``docs/publishing.md`` tells how words are matched).
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

import lxml.html

from elenefolio.write.search import EXCLUDED, searchable_part

INDEX_FILE = "search-index.js"
GLOBAL = "ELENEFOLIO_SEARCH"
_SPACE = re.compile(r"\s+")
# Elements whose text is apart from what follows them (a space is put after each)
_BLOCKS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure h1 h2 h3 h4 h5 h6 "
    "header hr li ol p pre section table td th tr ul caption summary details".split()
)


def _xpath(selector: str) -> str:
    """The XPath of one of ``EXCLUDED``'s simple selectors (``tag``, ``.class``,
    ``tag.class``, joined by spaces or ``>``), from the searchable element."""
    steps = []
    axis = ".//"
    for token in selector.replace(">", " > ").split():
        if token == ">":
            axis = "/"
            continue
        tag, _, klass = token.partition(".")
        test = tag or "*"
        if klass:
            test += f"[contains(concat(' ', normalize-space(@class), ' '), ' {klass} ')]"
        steps.append(axis + test)
        axis = "//"
    return "".join(steps)


_EXCLUDED = [_xpath(selector) for selector in (*EXCLUDED, "footer")]


def _nodes(element: Any, path: str) -> list[Any]:
    return list(element.xpath(path))


def _text(element) -> str:
    return _SPACE.sub(" ", element.text_content()).strip()


def page_record(url: str, html: bytes) -> dict[str, str] | None:
    """What the offline search knows of the page at ``url`` (its HTML): None when the
    page has no searchable element."""
    document: Any = lxml.html.fromstring(searchable_part(html).decode("utf-8", "replace"))
    found = _nodes(document, "//main[@data-pagefind-body]")
    if not found:
        return None
    main = found[0]
    heading = _nodes(main, ".//h1")
    title = _text(heading[0]) if heading else ""
    if heading:  # (searched as the title; the excerpts are of the text under it)
        heading[0].drop_tree()
    if not title:
        titles = _nodes(document, "//title")
        title = _text(titles[0]) if titles else url
    for path in _EXCLUDED:
        for element in _nodes(main, path):
            if element.getparent() is not None:
                element.drop_tree()
    for element in _nodes(main, ".//*[@data-pagefind-ignore]"):
        element.drop_tree()
    for element in main.iter():
        if element.tag in _BLOCKS:
            element.tail = " " + (element.tail or "")
    language = main.get("data-index-lang") or document.get("lang") or ""
    record = {
        "url": url,
        "title": title,
        "type": main.get("data-type", ""),
        "date": main.get("data-date", ""),
        "tags": main.get("data-tags", ""),
        "lang": language,
        "text": _text(main),
    }
    return {key: unicodedata.normalize("NFC", value) for key, value in record.items()}


def index_script(records: list[dict[str, str]]) -> bytes:
    """``search-index.js``: the records, sorted by address, as a JavaScript global."""
    ordered = sorted(records, key=lambda record: record["url"])
    data = json.dumps(ordered, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    # (inside a <script> file, "</" cannot end anything, but keep the text plain JSON anyway)
    return f"window.{GLOBAL} = {data};\n".encode()


class OfflineSearchCollector:
    """The searchable pages of an offline build, as they are written; then ``search-index.js``.
    (The same interface as ``pipeline.SearchCollector``; the index is small and made again
    at every build.)"""

    digest = None
    deferred = False

    def __init__(self, destination) -> None:
        self.destination = destination  # the output folder (of the previous build, while it is made)
        self.records: list[dict[str, str]] = []
        self.pending: list[tuple[str, str]] = []  # (address, output file) of unchanged pages

    def watch(self, outputs):
        from elenefolio.site.urls import output_file

        for output in outputs:
            if output.searchable:
                url = output_file(output.path.removesuffix("index.html"))
                if output.data is not None:
                    record = page_record(url, output.data)
                    if record is not None:
                        self.records.append(record)
                else:
                    self.pending.append((url, output.path))
            yield output

    def write(self, writer, problems, root, defer: bool = False) -> None:
        from elenefolio.render.output import Output

        for url, path in self.pending:
            record = page_record(url, (self.destination / path).read_bytes())
            if record is not None:
                self.records.append(record)
        writer.add(Output(INDEX_FILE, index_script(self.records)))
