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

from elenefolio.assess.analysis import format_change

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
FONT = '"Inter", system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
# Calm, colour-blind-friendly series colours (Okabe–Ito): latest round first.
COLOURS = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00")
LABEL_SIZE = 15  # px, in the chart's own units: the radar's labels, levels and legend
LABEL_LINE = 18  # px between the lines of a label
LABEL_WRAP = 14  # characters: longer labels are set on two lines
CHAR_WIDTH = 8.5  # px, a generous average width of a character at LABEL_SIZE


def _style(colours: Sequence[str] = COLOURS):
    from pygal.style import Style

    return Style(
        background="transparent",
        plot_background="transparent",
        foreground="#333",
        foreground_strong="#222",
        foreground_subtle="#d9d4ca",
        guide_stroke_color="#d9d4ca",  # light, solid gridlines
        major_guide_stroke_color="#d9d4ca",
        guide_stroke_dasharray="none",
        major_guide_stroke_dasharray="none",
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
        label_font_size=LABEL_SIZE,
        major_label_font_size=LABEL_SIZE,
        legend_font_size=LABEL_SIZE,
        title_font_size=16,
        value_font_size=12,
        stroke_width="2",
    )


def _config(**extra):
    base = dict(
        js=[],
        disable_xml_declaration=True,
        style=_style(),
        explicit_size=False,
        show_title=False,
        legend_at_bottom=True,
        legend_at_bottom_columns=3,
        tooltip_border_radius=4,
        pretty_print=False,
        no_data_text="No data yet",
    )
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


def radar_svg(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    title: str,
    description: str,
    scale_min: float = 1,
    scale_max: float = 5,
) -> str:
    """A radar (spider) chart: one axis per label, one polygon per series.

    ``series`` is ``[(name, values)]`` with values in label order (None: not
    assessed). The first series is drawn on top, so pass the latest round first.
    """
    import pygal

    chart = pygal.Radar(
        **_config(
            range=(scale_min, scale_max),
            fill=True,
            dots_size=3,
            show_legend=len(series) > 1,
            margin=24,
            width=720,
            height=660,
            y_labels=list(range(int(scale_min), int(scale_max) + 1)),
            truncate_label=-1,
        )
    )
    # pygal goes round anticlockwise: keep the first label on top and read on clockwise
    order = [0, *range(len(labels) - 1, 0, -1)] if labels else []
    chart.x_labels = [labels[i] for i in order]
    for name, values in reversed(list(series)):  # pygal draws later series on top
        chart.add(name, [_value(values[i]) for i in order])
    # keep the colour of each series whatever the drawing order
    chart.config.style.colors = tuple(reversed(COLOURS[: len(series)]))
    return _finish(_level_labels(chart.render(is_unicode=True)), title, description, "radar")


def _level_labels(svg: str) -> str:
    """The radar's skill names set level (pygal turns each along its axis, so that long
    names run into each other): each name sits beyond the end of its axis, anchored on the
    side away from the centre, on two lines when it is long; the view box grows to hold
    them all."""
    import math

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
    if uy < -0.8:  # above the chart: the last line above the axis end, clear of its level
        first = y - block - 8
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


def _wrap(label: str, limit: int = 0) -> list[str]:
    """A label longer than ``limit`` characters on two lines, cut at the space nearest its
    middle."""
    if len(label) <= (limit or LABEL_WRAP) or " " not in label:
        return [label]
    spaces = [i for i, c in enumerate(label) if c == " "]
    cut = min(spaces, key=lambda i: abs(i - len(label) / 2))
    return [label[:cut], label[cut + 1 :]]


# The bar and line charts are drawn here, not by pygal: their axes fit the data, their
# gridlines sit at round steps and their value labels keep clear of the bars and dots. Each
# part has a class, so that a page's style sheet can colour it (its dark scheme does); the
# colours written on the elements are those of paper (the passport).
PLAIN_SIZE = 14  # px, in the chart's own units: a page draws the chart at least this large
PLAIN_CHAR = 8.0  # px, a generous average width of a character at PLAIN_SIZE
PLAIN_PAINT = {
    "grid": ("stroke", "#e2ddd3"),
    "zero": ("stroke", "#6b7078"),
    "tick": ("fill", "#585e67"),
    "label": ("fill", "#1d2125"),
    "value": ("fill", "#1d2125"),
    "up": ("fill", "#009e73"),
    "down": ("fill", "#d55e00"),
    "line": ("stroke", "#0072b2"),
    "dot": ("fill", "#0072b2"),
}
STEPS = (0.1, 0.25, 0.5, 1.0, 2.0, 5.0)


def _nice_range(low: float, high: float, ticks: int = 5) -> tuple[float, float, float]:
    """The axis for values from ``low`` to ``high``: (start, end, step), the ends on round
    steps and at most ``ticks`` steps between them."""
    import math

    span = (high - low) or 1.0
    step = next((s for s in STEPS if span / s <= ticks), STEPS[-1])
    start, end = math.floor(low / step + 1e-9) * step, math.ceil(high / step - 1e-9) * step
    if end - start < step:
        end = start + step
    return round(start, 6), round(end, 6), step


def _canvas(width: float, height: float):
    return ET.Element(
        f"{{{SVG_NS}}}svg",
        {"viewBox": f"0 0 {width:.0f} {height:.0f}", "font-family": FONT, "font-size": str(PLAIN_SIZE)},
    )


def _add(parent, tag: str, part: str = "", text: str | None = None, **attrs):
    """An SVG element of class ``part``, painted for paper."""
    attrs = {k.replace("_", "-"): (f"{v:.1f}" if isinstance(v, float) else str(v)) for k, v in attrs.items()}
    if part:
        attrs["class"] = part
        prop, colour = PLAIN_PAINT[part.split()[-1]]
        attrs.setdefault(prop, colour)
    el = ET.SubElement(parent, f"{{{SVG_NS}}}{tag}", attrs)
    if text is not None:
        el.text = text
    return el


def _plain_finish(root, title: str, description: str, kind: str) -> str:
    ET.register_namespace("", SVG_NS)
    return _finish(ET.tostring(root, encoding="unicode"), title, description, kind)


def change_bars_svg(
    labels: Sequence[str], changes: Sequence[float | None], *, title: str, description: str
) -> str:
    """Horizontal bars of the change of each skill, from a zero line (decreases to the left),
    over an axis that fits the changes: −0.3 to +1.3 gives −0.5 to 1.5 in steps of 0.5."""
    rows = [(label, float(v)) for label, v in zip(labels, changes) if v is not None]
    values = [v for _, v in rows] or [0.0]
    start, end, step = _nice_range(min(0.0, *values), max(0.0, *values))
    width, row, top = 640, 34, 6
    lines = [_wrap(label, 30) for label, _ in rows]
    label_width = min(250, max((len(x) for ls in lines for x in ls), default=4) * PLAIN_CHAR)
    room = 46  # beyond each end of the axis: a value label fits there
    left, right = label_width + 12 + room, width - room
    scale = (right - left) / (end - start)

    def x_of(v: float) -> float:
        return left + (v - start) * scale

    bottom = top + row * len(rows)
    root = _canvas(width, bottom + 28)
    grid = _add(root, "g")
    ticks = round((end - start) / step)
    for i in range(ticks + 1):
        v = round(start + i * step, 6) + 0.0  # never "−0.0"
        x = x_of(v)
        _add(grid, "line", "zero" if abs(v) < 1e-9 else "grid", x1=x, x2=x, y1=top - 4.0, y2=bottom + 4.0)
        digits = 0 if step >= 1 else 2 if step == 0.25 else 1
        _add(
            grid,
            "text",
            "tick",
            f"{v:.{digits}f}".replace("-", "\u2212"),
            x=x,
            y=bottom + 22.0,
            text_anchor="middle",
            font_size=13,
        )
    for i, ((label, v), label_lines) in enumerate(zip(rows, lines)):
        mid = top + row * i + row / 2
        first = mid + PLAIN_SIZE * 0.35 - 8 * (len(label_lines) - 1)
        text = _add(root, "text", "label", label_lines[0], x=label_width, y=first, text_anchor="end")
        for extra in label_lines[1:]:
            _add(text, "tspan", text=extra, x=label_width, dy=16)
        x0, x1 = sorted((x_of(0.0), x_of(v)))
        _add(
            root,
            "rect",
            "bar " + ("down" if v < 0 else "up"),
            x=x0,
            y=mid - 9,
            width=max(x1 - x0, 1.5),
            height=18,
            rx=2,
        )
        outside = x1 + 7 if v >= 0 else x0 - 7
        _add(
            root,
            "text",
            "value",
            format_change(v),
            x=outside,
            y=mid + PLAIN_SIZE * 0.35,
            text_anchor="start" if v >= 0 else "end",
            font_weight=600,
        )
    return _plain_finish(root, title, description, "change")


def history_svg(
    round_labels: Sequence[str],
    levels: Sequence[float | None],
    *,
    title: str,
    description: str,
    scale_min: float = 1,
    scale_max: float = 5,
) -> str:
    """A skill's self-assessed level across rounds, as a line over the whole scale (a
    gridline at each level), each level written above its dot."""
    width, top, bottom_room = 640, 30, 48
    left, right = 36, width - 36
    height = 250
    bottom = height - bottom_room
    count = len(round_labels)
    gap = (right - left) / max(count - 1, 1)

    def x_of(i: int) -> float:
        return left + gap * i if count > 1 else (left + right) / 2

    def y_of(v: float) -> float:
        return bottom - (v - scale_min) * (bottom - top) / ((scale_max - scale_min) or 1)

    root = _canvas(width, height)
    grid = _add(root, "g")
    for level in range(int(scale_min), int(scale_max) + 1):
        y = y_of(level)
        _add(grid, "line", "grid", x1=float(left - 12), x2=float(right + 12), y1=y, y2=y)
        _add(grid, "text", "tick", str(level), x=float(left - 18), y=y + 4.5, text_anchor="end", font_size=13)
    points = [(x_of(i), y_of(float(v)), float(v)) for i, v in enumerate(levels) if v is not None]
    # one line per unbroken run of rounds (a round without a level leaves a gap)
    runs: list[list[tuple[float, float]]] = [[]]
    for i, v in enumerate(levels):
        if v is None:
            runs.append([])
        else:
            runs[-1].append((x_of(i), y_of(float(v))))
    for run in runs:
        if len(run) > 1:
            _add(
                root,
                "polyline",
                "line",
                points=" ".join(f"{x:.1f},{y:.1f}" for x, y in run),
                fill="none",
                stroke_width=2.5,
                stroke_linejoin="round",
            )
    for x, y, v in points:
        _add(root, "circle", "dot", cx=x, cy=y, r=5.0)
        _add(root, "text", "value", f"{v:.1f}", x=x, y=y - 12, text_anchor="middle", font_weight=600)
    for i, label in enumerate(round_labels):
        anchor = "start" if i == 0 and count > 1 else ("end" if i == count - 1 and count > 1 else "middle")
        x = x_of(i) - (6 if anchor == "start" else -6 if anchor == "end" else 0)
        label_lines = _wrap(label, max(8, int(gap / PLAIN_CHAR)))
        text = _add(root, "text", "tick", label_lines[0], x=x, y=bottom + 24.0, text_anchor=anchor)
        for extra in label_lines[1:]:
            _add(text, "tspan", text=extra, x=x, dy=16)
    return _plain_finish(root, title, description, "history")
