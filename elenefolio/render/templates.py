"""The Jinja2 environment: autoescaping, filters and interface strings."""

from __future__ import annotations

import datetime as dt

import jinja2
from markupsafe import Markup

from elenefolio.render.theme import Theme
from elenefolio.site import urls

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
KIND_LABELS = {
    "question": "Question", "plan": "Plan", "reflection": "Reflection", "evaluation": "Evaluation",
    "idea": "Idea", "disappointment": "Disappointment", "record": "Record",
}
TYPE_LABELS = {
    "video": "Video", "audio": "Audio", "image": "Image", "document": "Document",
    "blog-post": "Blog post", "infographic": "Infographic", "presentation": "Presentation",
    "code": "Code", "link": "Link", "other": "Other",
}
RESOURCE_LABELS = {"mooc": "MOOC", "oer": "Open educational resource", "course": "Course",
                   "book": "Book", "other": "Resource"}


def format_date(value, style: str = "long") -> str:
    """``14 March 2026`` (long), ``Mar 2026`` (month) or ``2026-03-14`` (iso)."""
    if value is None:
        return ""
    day = value.date() if isinstance(value, dt.datetime) else value
    if style == "iso":
        return day.isoformat()
    if style == "month":
        return f"{MONTHS[day.month - 1]} {day.year}"
    if style == "short":
        return f"{day.day} {MONTHS[day.month - 1][:3]}"
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


@jinja2.pass_context
def url_filter(context, target: str) -> str:
    """A link from the page being rendered to a site-root relative address."""
    page = context.get("page")
    if page is None or getattr(page, "absolute_links", False):
        return context["base_path"] + target
    return urls.relative(page.url, target)


def make_environment(theme: Theme, cls: type[jinja2.Environment] = jinja2.Environment) -> jinja2.Environment:
    env = cls(
        loader=jinja2.FileSystemLoader(theme.template_dirs),
        autoescape=jinja2.select_autoescape(("html", "xml", "svg"), default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(
        url=url_filter,
        date=format_date,
        kind_label=lambda k: KIND_LABELS.get(k, str(k).title()),
        type_label=lambda t: TYPE_LABELS.get(t, str(t).title()),
        resource_label=lambda t: RESOURCE_LABELS.get(t, str(t).title()),
        safe_html=Markup,
    )
    return env
