"""Markdown: one configured parser, used once per body.

Loading parses each body and renders it to HTML right away, with each link
and image left as a numbered slot (``prepare``); rendering a page fills the
slots with the addresses as seen from that page (``render``), a cheap string
substitution. The Markdown is never parsed twice, and what an item keeps in
memory and in the build cache is a string, not a token stream.
"""

from __future__ import annotations

import functools
import html as _html
import re
from typing import Callable

from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
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


@functools.lru_cache(maxsize=4)
def parser(allow_html: bool = False, math: bool = False) -> MarkdownIt:
    """The Markdown parser: CommonMark, tables, footnotes, task lists, anchors; and with
    ``math``, formulas between dollar signs (``$E=mc^2$``, ``$$...$$`` on lines of their own)."""
    md = MarkdownIt("commonmark", {"html": allow_html, "typographer": True, "highlight": _highlight})
    if math:
        # no digit right after the opening dollar nor space inside it: "$5 and $ 10" stays text
        md.use(
            dollarmath_plugin, allow_labels=False, allow_digits=False, allow_space=False, double_inline=True
        )
        for name, display, element in (
            ("math_inline", False, "span"),
            ("math_inline_double", True, "span"),
            ("math_block", True, "div"),
        ):
            md.add_render_rule(name, _math_renderer(display, element))
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


def parse(text: str, allow_html: bool = False, math: bool = False):
    """Parse Markdown text into tokens."""
    return parser(allow_html, math).parse(text)


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
            parts.append(
                "".join(
                    _SOFT_BREAK if c.type in ("softbreak", "hardbreak") else c.content
                    for c in token.children or []
                    if c.type in _PLAIN
                )
                if token.children
                else token.content
            )
    text = _SOFT_BREAKS.sub(_soft_break, "".join(parts))
    return re.sub(r"[ \t]+", " ", text.replace(_SOFT_BREAK, " ")).strip()


_PLAIN = ("text", "code_inline", "softbreak", "hardbreak", "math_inline", "math_inline_double")
# A line break inside a paragraph, resolved once its neighbours are known.
_SOFT_BREAK = "\x01"
_SOFT_BREAKS = re.compile(f"(.)[ \t]*{_SOFT_BREAK}[ \t]*(?=(.))")


def _soft_break(match) -> str:
    """A line break inside a paragraph is a space, as a browser shows it, except between two
    wide East Asian characters (Chinese, Japanese), which are written without spaces (CSS Text's
    segment break transformation)."""
    before, after = match.group(1), match.group(2)
    return before + ("" if _wide(before) and _wide(after) else " ")


def _wide(char: str) -> bool:
    import unicodedata

    return unicodedata.east_asian_width(char) in ("W", "F", "H") and not unicodedata.name(
        char, ""
    ).startswith("HANGUL")


def summarise(text: str, limit: int = 220) -> str:
    """The first paragraph of ``text``, cut at a word boundary."""
    first = text.split("\n", 1)[0].strip()
    if len(first) <= limit:
        return first
    cut = first[:limit].rsplit(" ", 1)[0].rstrip(",;:.")
    return cut + "…"


# Where a link or image goes in prepared HTML: NUL then the slot's number (or "/" for the
# end of a link) then NUL. Markdown never outputs NUL (the parser replaces it in the text),
# so a slot cannot be forged by the body's own words.
_SLOT = re.compile("\x00([0-9]+|/)\x00")


def prepare(tokens, allow_html: bool = False, math: bool = False) -> tuple[str, tuple]:
    """Tokens rendered to HTML in which every link and image is a slot; and the slots:
    ``("a", attributes)`` or ``("img", src, alt, title)``."""
    md = parser(allow_html, math)
    slots: list[tuple] = []
    html = md.renderer.render(tokens, md.options, {"slots": slots})
    return html, tuple(slots)


def render(
    body, allow_html: bool, link_map: dict[str, str], scope: str = "", pictures: dict[str, str] | None = None
) -> str:
    """The HTML of a prepared ``body`` (``html`` and ``slots``), with link and image
    targets replaced by ``link_map``; ``pictures`` gives an image target more attributes of
    its ``<img>`` (``srcset``, written escaped by the caller), left out with raw HTML allowed
    (the sanitiser keeps no ``srcset``).

    A link whose target maps to an empty string becomes plain text (a link
    to something that is not published). ``scope`` is given when the body is one of several
    in a document (the passport): its footnotes, headings and the links to them get ids of
    their own ("scope-fn1"), so that the second body's note [1] does not lead to the first's.
    """
    slots = body.slots
    extra = {} if allow_html or not pictures else pictures
    html = _SLOT.sub(_filler(slots, link_map, extra), body.html) if slots else body.html
    if allow_html:
        html = sanitise(html)
    if scope:
        html = _IDS.sub(lambda m: f'{m.group(1)}{scope}-{m.group(2)}"', html)
    return html


# Ids, and the links inside the body that lead to them (every attribute is quoted: markdown-it
# writes them so, and so does the sanitiser).
_IDS = re.compile(r'(\sid="|\shref="#)([^"#]+)"')


def _filler(slots: tuple, link_map: dict[str, str], pictures: dict[str, str]) -> Callable:
    dropped: list[bool] = []  # for each open link, whether it became plain text

    def fill(match) -> str:
        number = match.group(1)
        if number == "/":
            return "</span>" if dropped.pop() else "</a>"
        slot = slots[int(number)]
        if slot[0] == "img":
            _, src, alt, title = slot
            mapped = link_map.get(src) or src
            title_attr = f' title="{escape(title)}"' if title else ""
            more = pictures.get(src, "") if mapped else ""
            return f'<img src="{escape(mapped)}"{more} alt="{escape(alt)}"{title_attr} loading="lazy">'
        attrs = slot[1]
        mapped = link_map.get(attrs.get("href", ""), attrs.get("href", ""))
        dropped.append(not mapped)
        if not mapped:
            return '<span class="unpublished-link">'
        return (
            "<a" + "".join(f' {k}="{escape(mapped if k == "href" else v)}"' for k, v in attrs.items()) + ">"
        )

    return fill


def _render_link_open(self, tokens, idx, options, env):
    slots = env["slots"]
    slots.append(("a", {str(k): str(v) for k, v in tokens[idx].attrs.items()}))
    return f"\x00{len(slots) - 1}\x00"


def _render_link_close(self, tokens, idx, options, env):
    return "\x00/\x00"


def _render_image(self, tokens, idx, options, env):
    token = tokens[idx]
    slots = env["slots"]
    title = token.attrGet("title")
    slots.append(
        (
            "img",
            str(token.attrGet("src") or ""),
            self.renderInlineAsText(token.children or [], options, env),
            str(title) if title else "",
        )
    )
    return f"\x00{len(slots) - 1}\x00"


@functools.lru_cache(maxsize=1)
def _description_parser() -> MarkdownIt:
    """Markdown for a framework's descriptions: paragraphs, lists, emphasis, links; no raw HTML,
    no images (nothing loaded from another site), no headings (the page has its own)."""
    md = MarkdownIt("commonmark", {"html": False})
    md.disable(["image", "heading", "lheading", "html_block", "html_inline"])
    return md


@functools.lru_cache(maxsize=1024)
def description_html(text: str) -> str:
    """A skill's, area's or framework's description as sanitised HTML when it uses Markdown (as
    one converted from a SmartEvidence file does), or "" when it is one paragraph of plain text,
    which the templates show as text, as they always did."""
    from markdown_it.common.utils import escapeHtml

    text = (text or "").strip()
    html = _description_parser().render(text)
    if not text or html == f"<p>{escapeHtml(text)}</p>\n":
        return ""
    return sanitise(html)


# -- formulas ---------------------------------------------------------------------------------


def _math_renderer(display: bool, element: str) -> Callable:
    """A formula shown in the text, or on a line of its own (``display``), as MathML in a
    ``span`` (inside a paragraph) or a ``div``."""
    kind = "math block" if display else "math"
    end = "\n" if element == "div" else ""

    def render_math(self, tokens, idx, options, env) -> str:
        return f'<{element} class="{kind}">{formula(tokens[idx].content, display)[0]}</{element}>{end}'

    return render_math


def formulas(tokens, first_line: int) -> list[tuple[str, int, bool]]:
    """Every formula of the body: its LaTeX, line and whether it is shown as a block."""
    found = []
    for token in tokens:
        line = (token.map[0] if token.map else 0) + first_line
        if token.type == "math_block":
            found.append((token.content, line, True))
        for child in token.children or []:
            if child.type in ("math_inline", "math_inline_double"):
                found.append((child.content, line, child.type == "math_inline_double"))
    return found


_UNKNOWN_COMMAND = re.compile(r">(\\[A-Za-z]+)<")


@functools.lru_cache(maxsize=4096)
def formula(latex: str, display: bool) -> tuple[str, str]:
    """A LaTeX formula as sanitised MathML, and "" ; or when it cannot be read, the formula as
    code and why. Browsers show MathML themselves: no script and no web font is needed."""
    import latex2mathml.converter

    try:
        mathml = latex2mathml.converter.convert(latex.strip(), display="block" if display else "inline")
    except Exception as exc:  # the library's errors say little; a formula must never stop a build
        return f'<code class="math-error">{escape(latex)}</code>', _why(exc)
    braces = re.sub(r"\\.", "", latex)  # without escaped characters (\{ is a brace shown)
    if braces.count("{") != braces.count("}"):
        return f'<code class="math-error">{escape(latex)}</code>', "its '{' and '}' do not pair up"
    if unknown := _UNKNOWN_COMMAND.search(mathml):
        return f'<code class="math-error">{escape(latex)}</code>', f"unknown command {unknown.group(1)}"
    return sanitise(mathml), ""


def _why(exc: Exception) -> str:
    """What is wrong with a formula, in words (the library's messages are often empty)."""
    names = {
        "NoAvailableTokensError": "it ends too early (a '{' or an argument is missing?)",
        "MissingSuperScriptOrSubscriptError": "'^' or '_' has nothing before it",
        "DoubleSuperscriptsError": "two '^' in a row",
        "DoubleSubscriptsError": "two '_' in a row",
        "RecursionError": "it is nested too deeply",
        "ExtraLeftOrMissingRightError": "a \\left has no \\right",
        "MissingEndError": "a \\begin has no \\end",
    }
    return names.get(type(exc).__name__) or str(exc) or type(exc).__name__


_MATH = re.compile(r"<math\b[^>]*>.*?</math>", re.DOTALL)
_VIEW = re.compile(r'width="([0-9.]+)" height="([0-9.]+)" viewBox="[-0-9.]+ ([-0-9.]+) ')


def math_as_svg(html: str) -> str:
    """The formulas of sanitised HTML drawn as SVG, for print: the PDF renderer does not lay
    out MathML. ziamath draws them with its own font (STIX Two Math), as paths: the same on
    every computer, sharp at any zoom, and nothing to embed or fetch."""
    return _MATH.sub(lambda m: _svg(m.group(0)), html) if "<math" in html else html


@functools.lru_cache(maxsize=1024)
def _svg(mathml: str) -> str:
    import ziamath

    text = escape(_html.unescape(re.sub(r"<[^>]+>", "", mathml)))
    ziamath.config.svg2 = False  # paths only: no <symbol> ids that two formulas would share
    size = 20.0  # in px; the drawing is then scaled to the text around it (em)
    try:
        svg = ziamath.Math(mathml, size=size).svg()
    except Exception:  # MathML written by hand under allow_html that ziamath cannot draw
        return f'<span class="math-text">{text}</span>'
    view = _VIEW.search(svg)
    if view is None:
        return f'<span class="math-text">{text}</span>'
    width, height, top = (float(v) / size for v in view.groups())
    style = f"width: {width:.3f}em; height: {height:.3f}em; vertical-align: {-(height + top):.3f}em"
    sized = view.group(0).replace(
        f'width="{view.group(1)}" height="{view.group(2)}"', f'role="img" aria-label="{text}" style="{style}"'
    )
    return svg.replace(view.group(0), sized, 1)


# The MathML that bodies may hold (formulas, and raw <math> under allow_html): presentation
# elements and their layout attributes only. No href, no xlink, no style, no <annotation-xml>
# (which can hold HTML), no <maction>.
MATHML_TAGS = frozenset(
    {
        "math",
        "mrow",
        "mi",
        "mn",
        "mo",
        "ms",
        "mtext",
        "mspace",
        "msup",
        "msub",
        "msubsup",
        "mfrac",
        "msqrt",
        "mroot",
        "munder",
        "mover",
        "munderover",
        "mtable",
        "mtr",
        "mtd",
        "mstyle",
        "mpadded",
        "mphantom",
        "menclose",
        "merror",
        "mmultiscripts",
        "mprescripts",
        "none",
        "semantics",
        "annotation",
    }
)
MATHML_ATTRIBUTES = frozenset(
    {
        "display",
        "displaystyle",
        "scriptlevel",
        "mathvariant",
        "stretchy",
        "fence",
        "separator",
        "lspace",
        "rspace",
        "accent",
        "accentunder",
        "largeop",
        "movablelimits",
        "symmetric",
        "form",
        "minsize",
        "maxsize",
        "width",
        "height",
        "depth",
        "linethickness",
        "columnalign",
        "rowalign",
        "columnspacing",
        "rowspacing",
        "columnlines",
        "rowlines",
        "frame",
        "notation",
        "xmlns",
        "encoding",
        "voffset",
    }
)


@functools.lru_cache(maxsize=1)
def _allowed() -> tuple[frozenset[str], dict[str, set[str]]]:
    """The elements raw HTML may use, and their attributes."""
    import nh3

    attributes = {tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()}
    for tag in (
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "sup",
        "section",
        "a",
        "span",
        "div",
        "input",
        "figure",
        "table",
        "td",
        "th",
        "code",
        "pre",
        "img",
    ):
        attributes.setdefault(tag, set()).update({"id", "class"})
    attributes["input"].update({"type", "checked", "disabled"})
    attributes["img"].update({"loading"})
    tags = set(nh3.ALLOWED_TAGS) | {
        "section",
        "input",
        "figure",
        "figcaption",
        "video",
        "audio",
        "source",
        "details",
        "summary",
        "mark",
        "label",
    }
    for tag in ("video", "audio"):
        attributes.setdefault(tag, set()).update({"controls", "src", "poster", "preload"})
    attributes.setdefault("source", set()).update({"src", "type"})
    tags |= MATHML_TAGS
    for tag in MATHML_TAGS:
        attributes.setdefault(tag, set()).update(MATHML_ATTRIBUTES)
    return frozenset(tags), attributes


def sanitise(html: str) -> str:
    """Remove scripts, event handlers and dangerous URLs from allowed raw HTML."""
    import nh3

    tags, attributes = _allowed()
    cleaned = nh3.clean(html, tags=set(tags), attributes=attributes, link_rel=None)
    # An image or source whose address was refused (data:, javascript:...) is left without
    # one, which is invalid HTML: drop it. nh3's output quotes every attribute.
    return _NO_SRC.sub("", cleaned)


_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)")


def removed_elements(tokens, first_line: int) -> list[tuple[str, int]]:
    """The elements of the body's raw HTML that the sanitiser removes, with their lines: a
    body must not lose an embedded player or a form without a word."""
    allowed = _allowed()[0]
    found: list[tuple[str, int]] = []
    for token in tokens:
        line = (token.map[0] if token.map else 0) + first_line
        pieces = (
            [token]
            if token.type == "html_block"
            else [c for c in token.children or [] if c.type == "html_inline"]
        )
        for piece in pieces:
            found += [
                (name.lower(), line) for name in _TAG.findall(piece.content) if name.lower() not in allowed
            ]
    return found


_NO_SRC = re.compile(r'<(?:img|source)(?![^>]*\ssrc=")[^>]*>')


def escape(text: str) -> str:
    return _html.escape(text, quote=True)
