"""Markdown: one configured parser shared by the load and render stages.

Loading parses each body once into a token stream; rendering turns the
same tokens into HTML with the links already resolved.
"""

from __future__ import annotations

import functools
import html as _html
import re

from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin
from slugify import slugify

from elenefolio.model import Reference


def heading_slug(text: str) -> str:
    return slugify(text, allow_unicode=True) or "section"


def _highlight(code: str, lang: str, _attrs) -> str:
    """Highlight fenced code with Pygments; unknown languages stay plain."""
    if not lang:
        return ""
    from pygments import highlight

    lexer = _lexer(lang)
    if lexer is None:
        return ""
    return highlight(code, lexer, _formatter())


@functools.lru_cache(maxsize=64)
def _lexer(lang: str):
    """The Pygments lexer of a language, looked up once per language."""
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        return get_lexer_by_name(lang)
    except ClassNotFound:
        return None


@functools.lru_cache(maxsize=1)
def _formatter():
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(nowrap=True)


@functools.lru_cache(maxsize=2)
def parser(allow_html: bool = False) -> MarkdownIt:
    """The Markdown parser: CommonMark, tables, footnotes, task lists, anchors."""
    md = MarkdownIt("commonmark", {"html": allow_html, "typographer": True,
                                   "highlight": _highlight})
    md.enable(["table", "strikethrough", "replacements", "smartquotes"])
    md.use(footnote_plugin)
    md.use(tasklists_plugin, label=True)  # each checkbox labelled by its text
    md.core.ruler.push("heading_levels", _below_the_page_title)
    md.use(anchors_plugin, min_level=2, max_level=4, slug_func=heading_slug)
    md.add_render_rule("link_open", _render_link_open)
    md.add_render_rule("link_close", _render_link_close)
    md.add_render_rule("image", _render_image)
    return md


def _below_the_page_title(state) -> None:
    """A body that uses level-one headings (``# ...``) has every heading moved one level
    down: the page's own title is its only ``h1``, and the outline stays as written."""
    headings = [t for t in state.tokens if t.type in ("heading_open", "heading_close")]
    if not any(t.tag == "h1" for t in headings):
        return
    for token in headings:
        token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"


def parse(text: str, allow_html: bool = False):
    """Parse Markdown text into tokens."""
    return parser(allow_html).parse(text)


def references(tokens, first_line: int) -> list[Reference]:
    """Every link and image target in the tokens, with its line in the file."""
    found: list[Reference] = []
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        line = (token.map[0] if token.map else 0) + first_line
        for child in token.children:
            if child.type == "link_open":
                found.append(Reference(str(child.attrGet("href") or ""), line, "link"))
            elif child.type == "image":
                alt = "".join(c.content for c in child.children or [])
                found.append(Reference(str(child.attrGet("src") or ""), line, "image", alt))
    return found


def plain_text(tokens) -> str:
    """The text of the paragraphs, without markup (for summaries and search)."""
    parts: list[str] = []
    in_paragraph = False
    for token in tokens:
        if token.type == "paragraph_open":
            in_paragraph = True
        elif token.type == "paragraph_close":
            in_paragraph = False
            parts.append("\n")
        elif token.type == "inline" and in_paragraph:
            parts.append("".join(c.content for c in token.children or []
                                 if c.type in ("text", "code_inline", "softbreak")
                                 ) if token.children else token.content)
    return re.sub(r"[ \t]+", " ", "".join(parts)).strip()


def summarise(text: str, limit: int = 220) -> str:
    """The first paragraph of ``text``, cut at a word boundary."""
    first = text.split("\n", 1)[0].strip()
    if len(first) <= limit:
        return first
    cut = first[:limit].rsplit(" ", 1)[0].rstrip(",;:.")
    return cut + "…"


def render(tokens, allow_html: bool, link_map: dict[str, str]) -> str:
    """Render tokens to HTML, replacing link and image targets by ``link_map``.

    A link whose target maps to an empty string becomes plain text (a link
    to something that is not published). The tokens are not modified, so
    the same parse can be rendered again for another output.
    """
    md = parser(allow_html)
    html = md.renderer.render(tokens, md.options, {"link_map": link_map, "dropped": []})
    if allow_html:
        html = sanitise(html)
    return html


def _render_link_open(self, tokens, idx, options, env):
    token = tokens[idx]
    href = str(token.attrGet("href") or "")
    mapped = env.get("link_map", {}).get(href, href)
    dropped = env.setdefault("dropped", [])
    if not mapped:
        dropped.append(True)
        return '<span class="unpublished-link">'
    dropped.append(False)
    attrs = dict(token.attrs)
    attrs["href"] = mapped
    return "<a" + "".join(f' {k}="{escape(str(v))}"' for k, v in attrs.items()) + ">"


def _render_link_close(self, tokens, idx, options, env):
    dropped = env.get("dropped") or [False]
    return "</span>" if dropped.pop() else "</a>"


def _render_image(self, tokens, idx, options, env):
    token = tokens[idx]
    src = str(token.attrGet("src") or "")
    alt = self.renderInlineAsText(token.children or [], options, env)
    mapped = env.get("link_map", {}).get(src) or src
    title = token.attrGet("title")
    title_attr = f' title="{escape(str(title))}"' if title else ""
    return f'<img src="{escape(mapped)}" alt="{escape(alt)}"{title_attr} loading="lazy">'


def sanitise(html: str) -> str:
    """Remove scripts, event handlers and dangerous URLs from allowed raw HTML."""
    import nh3

    attributes = {tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()}
    for tag in ("h2", "h3", "h4", "h5", "h6", "li", "sup", "section", "a", "span", "div",
                "input", "figure", "table", "td", "th", "code", "pre", "img"):
        attributes.setdefault(tag, set()).update({"id", "class"})
    attributes["input"].update({"type", "checked", "disabled"})
    attributes["img"].update({"loading"})
    tags = set(nh3.ALLOWED_TAGS) | {"section", "input", "figure", "figcaption", "video",
                                    "audio", "source", "details", "summary", "mark", "label"}
    for tag in ("video", "audio"):
        attributes.setdefault(tag, set()).update({"controls", "src", "poster", "preload"})
    attributes.setdefault("source", set()).update({"src", "type"})
    cleaned = nh3.clean(html, tags=tags, attributes=attributes, link_rel=None)
    # An image or source whose address was refused (data:, javascript:...) is left without
    # one, which is invalid HTML: drop it. nh3's output quotes every attribute.
    return _NO_SRC.sub("", cleaned)


_NO_SRC = re.compile(r'<(?:img|source)(?![^>]*\ssrc=")[^>]*>')


def escape(text: str) -> str:
    return _html.escape(text, quote=True)
