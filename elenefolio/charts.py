"""Charts as inline, accessible SVG, made at build time with pygal.

Every function returns an SVG string ready to be placed in an HTML page
(or a PDF made from HTML): no JavaScript, no external file, a ``<title>``
and a ``<desc>`` referenced by ``aria-labelledby``, ``role="img"``, and a
stable ``id`` (the same data always gives the same bytes). Pages put a
data table next to each chart for screen readers and for print.

pygal is imported lazily: a portfolio without self-assessment never
loads it.
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from typing import Sequence

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
# Calm, colour-blind-friendly series colours (Okabe–Ito): latest round first.
COLOURS = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00")



def _style(colours: Sequence[str] = COLOURS):
    from pygal.style import Style

    return Style(
        background="transparent",
        plot_background="transparent",
        foreground="#333",
        foreground_strong="#222",
        foreground_subtle="#bbb",
        opacity=".25",
        opacity_hover=".4",
        colors=tuple(colours),
        font_family=FONT,
        label_font_family=FONT,
        major_label_font_family=FONT,
        value_font_family=FONT,
        legend_font_family=FONT,
        title_font_family=FONT,
        tooltip_font_family=FONT,
        label_font_size=13,
        major_label_font_size=13,
        legend_font_size=14,
        title_font_size=16,
        value_font_size=12,
        stroke_width="2",
    )


def _config(**extra):
    base = dict(js=[], disable_xml_declaration=True, style=_style(), explicit_size=False,
                show_title=False, legend_at_bottom=True, legend_at_bottom_columns=3,
                tooltip_border_radius=4, pretty_print=False, no_data_text="No data yet")
    base.update(extra)
    return base


def _finish(svg: str, title: str, description: str, kind: str) -> str:
    """Make pygal's SVG accessible, static and reproducible."""
    old = ET.fromstring(svg).get("id", "").removeprefix("chart-")
    svg = re.sub(r"<script.*?</script>|<!--.*?-->", "", svg, flags=re.S)
    if old:
        svg = svg.replace(f"chart-{old}", "CHART-ID").replace(old, "CHART-ID")
    digest = hashlib.sha1(f"{kind}\0{title}\0{description}\0{svg}".encode(), usedforsecurity=False)
    uid = f"chart-{kind}-{digest.hexdigest()[:10]}"
    root = ET.fromstring(svg.replace("CHART-ID", uid))
    # no scripts: the chart is read without JavaScript
    for parent in root.iter():
        for child in list(parent):
            if child.tag in (f"{{{SVG_NS}}}script", "script"):
                parent.remove(child)
    for old_title in root.findall(f"{{{SVG_NS}}}title"):
        root.remove(old_title)
    title_el = ET.Element(f"{{{SVG_NS}}}title", id=f"{uid}-title")
    title_el.text = title
    desc_el = ET.Element(f"{{{SVG_NS}}}desc", id=f"{uid}-desc")
    desc_el.text = description
    root.insert(0, desc_el)
    root.insert(0, title_el)
    root.set("role", "img")
    root.set("aria-labelledby", f"{uid}-title {uid}-desc")
    root.set("class", f"pygal-chart chart chart-{kind}")
    root.set("id", uid)
    # SVG knows start/middle/end, not pygal's left/right: keep the page valid HTML
    for el in root.iter():
        anchor = el.get("text-anchor")
        if anchor in ("left", "right"):
            el.set("text-anchor", "start" if anchor == "left" else "end")
        if el.tag == f"{{{SVG_NS}}}rect":  # a bar of length zero comes without its width
            el.attrib.setdefault("width", "0")
            el.attrib.setdefault("height", "0")
    # other code registers its own default namespace (the Atom feed does): set ours each time
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    return ET.tostring(root, encoding="unicode")


def _value(v):
    return None if v is None else float(v)


def radar_svg(labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], *,
              title: str, description: str, scale_min: float = 1, scale_max: float = 5) -> str:
    """A radar (spider) chart: one axis per label, one polygon per series.

    ``series`` is ``[(name, values)]`` with values in label order (None: not
    assessed). The first series is drawn on top, so pass the latest round first.
    """
    import pygal

    chart = pygal.Radar(**_config(range=(scale_min, scale_max), fill=True, dots_size=3,
                                  show_legend=len(series) > 1, margin=24, width=720, height=660,
                                  y_labels=list(range(int(scale_min), int(scale_max) + 1)),
                                  truncate_label=-1))
    # pygal goes round anticlockwise: keep the first label on top and read on clockwise
    order = [0, *range(len(labels) - 1, 0, -1)] if labels else []
    chart.x_labels = [labels[i] for i in order]
    for name, values in reversed(list(series)):  # pygal draws later series on top
        chart.add(name, [_value(values[i]) for i in order])
    # keep the colour of each series whatever the drawing order
    chart.config.style.colors = tuple(reversed(COLOURS[: len(series)]))
    return _finish(chart.render(is_unicode=True), title, description, "radar")


def change_bars_svg(labels: Sequence[str], changes: Sequence[float | None], *, title: str,
                    description: str) -> str:
    """Horizontal bars of the change of each skill (negative to the left)."""
    import pygal

    values = [_value(v) for v in changes]
    finite = [abs(v) for v in values if v is not None] or [1.0]
    bound = max(1.0, max(finite))
    chart = pygal.HorizontalBar(**_config(show_legend=False, range=(-bound, bound), margin=8,
                                          print_values=True, print_values_position="top",
                                          formatter=lambda v: f"{v:+.1f}", truncate_label=-1,
                                          width=900, height=max(200, 30 * len(labels) + 60),
                                          style=_style(("#009e73",))))
    # pygal stacks horizontal bars from the bottom: reverse, so that the first label is on top
    chart.x_labels = list(reversed(labels))
    chart.add(title, [{"value": v, "color": "#d55e00" if (v or 0) < 0 else "#009e73"}
                      for v in reversed(values)])
    return _finish(chart.render(is_unicode=True), title, description, "change")


def history_svg(round_labels: Sequence[str], levels: Sequence[float | None], *, title: str,
                description: str, scale_min: float = 1, scale_max: float = 5) -> str:
    """A skill's self-assessed level across rounds, as a line."""
    import pygal

    chart = pygal.Line(**_config(show_legend=False, range=(scale_min, scale_max), margin=12,
                                 margin_left=24, margin_right=72, width=720, height=260,
                                 dots_size=5, print_values=True,
                                 formatter=lambda v: f"{v:.1f}", allow_interruptions=True,
                                 y_labels=list(range(int(scale_min), int(scale_max) + 1))))
    chart.x_labels = list(round_labels)
    chart.add(title, [_value(v) for v in levels])
    return _finish(chart.render(is_unicode=True), title, description, "history")
