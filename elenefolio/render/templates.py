"""The Jinja2 environment: autoescaping, filters and interface strings."""

from __future__ import annotations

import functools
import gettext
from collections.abc import Mapping

import jinja2
from markupsafe import Markup

from elenefolio.assess.analysis import format_change, format_number
from elenefolio.load import markup
from elenefolio.render import assessment
from elenefolio.site import urls
from elenefolio.util import i18n
from elenefolio.util.i18n import N_, DateFormatter

# Labels of values written in front matter. Marked with N_() for extraction;
# the filters translate them when a page is rendered.
KIND_LABELS = {
    "question": N_("Question"),
    "plan": N_("Plan"),
    "reflection": N_("Reflection"),
    "evaluation": N_("Evaluation"),
    "idea": N_("Idea"),
    "disappointment": N_("Disappointment"),
    "record": N_("Record"),
}
KIND_PLURALS = {  # the title of the page listing the entries of one kind
    "question": N_("Questions"),
    "plan": N_("Plans"),
    "reflection": N_("Reflections"),
    "evaluation": N_("Evaluations"),
    "idea": N_("Ideas"),
    "disappointment": N_("Disappointments"),
    "record": N_("Records"),
}
TYPE_LABELS = {
    "video": N_("Video"),
    "audio": N_("Audio"),
    "image": N_("Image"),
    "document": N_("Document"),
    "blog-post": N_("Blog post"),
    "infographic": N_("Infographic"),
    "presentation": N_("Presentation"),
    "code": N_("Code"),
    "link": N_("Link"),
    "other": N_("Other"),
}
RESOURCE_LABELS = {
    "mooc": N_("MOOC"),
    "oer": N_("Open educational resource"),
    "course": N_("Course"),
    "book": N_("Book"),
    "other": N_("Resource"),
}


# Lower-case words that join a surname to its name ("van der Berg", "García de la Torre").
NAME_PARTICLES = frozenset(
    {
        "al",
        "bin",
        "da",
        "das",
        "de",
        "degli",
        "dei",
        "del",
        "della",
        "der",
        "di",
        "do",
        "dos",
        "du",
        "e",
        "el",
        "la",
        "le",
        "van",
        "von",
        "y",
        "zu",
        "ten",
        "ter",
    }
)


def initials(name: str) -> str:
    """The two letters of a monogram: the first name's and the first surname's.

    Which words are surnames cannot be known, so the rule follows the common shapes: the
    joining particles (``van der``, ``de la``) are left out; of two or three words, the
    first and the second are taken ("Ana Silva" → AS, "Lucía Ortega Marín" → LO, where the
    Spanish first surname is the second word); of four or more, the first and the third
    ("Ana María Silva Pérez" → AS: two given names, two surnames). One word gives one
    letter. Words that do not start with a letter (a title in brackets, an emoji) are
    skipped."""
    words = [w for w in name.split() if w[:1].isalpha() and w not in NAME_PARTICLES]
    if not words:
        return ""
    if len(words) == 1:
        return words[0][0].upper()
    surname = words[1] if len(words) <= 3 else words[2]
    return (words[0][0] + surname[0]).upper()


@functools.lru_cache(maxsize=8)
def _date_formatter(language: str) -> DateFormatter:
    return DateFormatter(language)


def format_date(value, style: str = "long", language: str = "en") -> str:
    """A date as the ``date`` filter shows it, for code outside templates:
    ``long``, ``month``, ``short``, ``medium`` or ``iso``, in ``language``."""
    return _date_formatter(language)(value, style)


@functools.lru_cache(maxsize=64)
def language_name(code: str, language: str = "en") -> str:
    """The name of the language ``code`` (``fr``, ``pt-BR``) in ``language``, for the menu of
    captions; the code itself when Babel does not know it."""
    from babel import Locale, UnknownLocaleError

    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(Locale.parse(language))
    except (UnknownLocaleError, ValueError, TypeError):
        return code
    return name[:1].upper() + name[1:] if name else code


def paragraphs(text: str) -> Markup:
    """Plain text as HTML paragraphs (a blank line between two), line breaks kept, escaped."""
    from markupsafe import escape

    blocks = [b.strip() for b in str(text).replace("\r\n", "\n").split("\n\n") if b.strip()]
    return Markup("\n").join(
        Markup("<p>{}</p>").format(Markup("<br>\n").join(escape(line) for line in block.split("\n")))
        for block in blocks
    )


@jinja2.pass_context
def url_filter(context, target: str) -> str:
    """A link from the page being rendered to a site-root relative address."""
    page = context.get("page")
    offline = context.get("offline", False)  # (a site opened from file://: no server, no base path)
    if page is None or (getattr(page, "absolute_links", False) and not offline):
        return context["base_path"] + target
    return urls.relative(page.url, target, offline)


def make_environment(
    template_dirs: list[str],
    translations: gettext.NullTranslations | None = None,
    language: str = "en",
    cls: type[jinja2.Environment] = jinja2.Environment,
) -> jinja2.Environment:
    """The environment for one build: the templates are found in ``template_dirs`` (the
    first that has one wins), ``translations`` give the interface strings
    (English when None), ``language`` the date conventions; ``cls`` may be a subclass
    that records what each page reads (incremental builds)."""
    env = cls(
        loader=jinja2.FileSystemLoader(template_dirs),
        autoescape=jinja2.select_autoescape(("html", "xml", "svg"), default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
        auto_reload=False,  # one build: a template loaded once is not checked again on disk
    )
    translations = translations or gettext.NullTranslations()
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]

    def label(labels: Mapping[str, str]):
        def translate(value) -> str:
            text = labels.get(value)
            return translations.gettext(text) if text else str(value).replace("-", " ").capitalize()

        return translate

    env.filters.update(
        url=url_filter,
        date=DateFormatter(language),
        kind_label=label(KIND_LABELS),
        kind_plural=label(KIND_PLURALS),
        type_label=label(TYPE_LABELS),
        resource_label=label(RESOURCE_LABELS),
        safe_html=Markup,
        number=format_number,  # levels, priorities, weights: one decimal everywhere
        change=format_change,
        direction=i18n.direction,
        initials=initials,
        language_name=lambda code: language_name(code, language),
        paragraphs=paragraphs,
        description_html=lambda text: Markup(markup.description_html(str(text or ""))),
    )
    # self-assessment: charts and status labels made from the site's data
    env.filters.update(assessment.filters(translations.gettext))
    return env
