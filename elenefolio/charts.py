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
FONT = '"Inter", system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
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
    numbers = [i + 1 for i in order]  # each axis's place in ``labels``, in drawing order
    return _finish(_level_labels(chart.render(is_unicode=True), numbers), title, description, "radar")


LABEL_SIZE = 13  # px, the style's label_font_size
LABEL_LINE = 16  # px between the lines of a label
LABEL_WRAP = 14  # characters: longer labels are set on two lines
CHAR_WIDTH = 7.4  # px, a generous average width of a character at LABEL_SIZE
NUMBER_SIZE = 26  # px: an axis's number, shown instead of its name where the chart is small


def _level_labels(svg: str, numbers: Sequence[int] = ()) -> str:
    """The radar's skill names set level (pygal turns each along its axis, so that long
    names run into each other): each name sits beyond the end of its axis, anchored on the
    side away from the centre, on two lines when it is long; the view box grows to hold
    them all. Each axis also gets its number (``numbers``, in drawing order) in large type,
    hidden: a page shows the numbers instead of the names where the chart is drawn small
    (on a phone), and numbers the rows of its table the same way."""
    import math

    numbered = iter(numbers)
    root = ET.fromstring(svg)
    boxes: list[tuple[float, float, float, float]] = []
    for plot in root.iter(f"{{{SVG_NS}}}g"):
        if "plot" not in (plot.get("class") or "").split():
            continue
        shift = re.fullmatch(r"translate\((-?[0-9.]+),? *(-?[0-9.]+)\)", plot.get("transform", ""))
        sx, sy = (float(shift.group(1)), float(shift.group(2))) if shift else (0.0, 0.0)
        for guide in plot.iter(f"{{{SVG_NS}}}g"):
            if "x" not in (guide.get("class") or "").split():
                continue
            for axis in guide.findall(f"{{{SVG_NS}}}g"):
                line, text = axis.find(f"{{{SVG_NS}}}path"), axis.find(f"{{{SVG_NS}}}text")
                points = re.findall(r"-?[0-9.]+", line.get("d", "")) if line is not None else []
                if text is None or len(points) != 4 or not (text.text or "").strip():
                    continue
                cx, cy, ex, ey = map(float, points)
                length = math.hypot(ex - cx, ey - cy) or 1.0
                ux, uy = (ex - cx) / length, (ey - cy) / length  # the axis's direction
                left, top, right, bottom = _place_label(text, ex, ey, ux, uy)
                boxes.append((left + sx, top + sy, right + sx, bottom + sy))
                number = next(numbered, None)
                if number is not None:
                    _add_number(axis, number, ex, ey, ux, uy)
    if boxes:
        x0, y0, width, height = map(float, root.get("viewBox", "0 0 720 660").split())
        left = min(x0, min(b[0] for b in boxes) - 8)
        top = min(y0, min(b[1] for b in boxes) - 8)
        right = max(x0 + width, max(b[2] for b in boxes) + 8)
        bottom = max(y0 + height, max(b[3] for b in boxes) + 8)
        root.set("viewBox", f"{left:.1f} {top:.1f} {right - left:.1f} {bottom - top:.1f}")
    ET.register_namespace("", SVG_NS)  # as pygal wrote it: _finish reads it the same way
    ET.register_namespace("xlink", XLINK_NS)
    return ET.tostring(root, encoding="unicode")


def _place_label(text, ex: float, ey: float, ux: float, uy: float) -> tuple[float, float, float, float]:
    """Put one axis label beyond the end (ex, ey) of an axis going in direction (ux, uy);
    returns the box it takes (left, top, right, bottom), estimated."""
    label = " ".join((text.text or "").split())
    lines = _wrap(label)
    x, y = ex + ux * 10, ey + uy * 10
    anchor = "middle" if abs(ux) < 0.2 else ("start" if ux > 0 else "end")
    block = LABEL_LINE * (len(lines) - 1)
    if uy < -0.8:  # above the chart: the last line just above the axis end
        first = y - block - 2
    elif uy > 0.8:  # below: the first line just below
        first = y + LABEL_SIZE
    else:  # at the side: the lines centred on the axis end
        first = y - block / 2 + LABEL_SIZE * 0.35
    for name in ("transform", "class"):
        text.attrib.pop(name, None)
    text.set("x", f"{x:.1f}")
    text.set("y", f"{first:.1f}")
    text.set("style", f"text-anchor:{anchor}")  # pygal's style sheet centres axis labels
    text.set("class", "axis-label")
    text.text = lines[0]
    for child in list(text):
        text.remove(child)
    for line in lines[1:]:
        span = ET.SubElement(text, f"{{{SVG_NS}}}tspan", x=f"{x:.1f}", dy=str(LABEL_LINE))
        span.text = line
    width = max(len(line) for line in lines) * CHAR_WIDTH
    left = {"start": x, "end": x - width}.get(anchor, x - width / 2)
    return left, first - LABEL_SIZE, left + width, first + block + 4


def _add_number(axis, number: int, ex: float, ey: float, ux: float, uy: float) -> None:
    """The axis's number just beyond its end, centred, hidden until a page shows it."""
    x = ex + ux * NUMBER_SIZE * 0.8
    y = ey + uy * NUMBER_SIZE * 0.8 + NUMBER_SIZE * 0.35
    text = ET.SubElement(axis, f"{{{SVG_NS}}}text", {
        "x": f"{x:.1f}", "y": f"{y:.1f}", "class": "axis-number", "display": "none",
        "style": f"text-anchor:middle;font-size:{NUMBER_SIZE}px;font-weight:600"})
    text.text = str(number)


def _wrap(label: str) -> list[str]:
    """A long label on two lines, cut at the space nearest its middle."""
    if len(label) <= LABEL_WRAP or " " not in label:
        return [label]
    spaces = [i for i, c in enumerate(label) if c == " "]
    cut = min(spaces, key=lambda i: abs(i - len(label) / 2))
    return [label[:cut], label[cut + 1:]]


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
