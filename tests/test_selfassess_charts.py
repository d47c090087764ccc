"""Charts: well-formed, accessible, static SVG (elenefolio.render.charts)."""

from __future__ import annotations

import pytest
from lxml import etree

from elenefolio.render import charts

SVG = "{http://www.w3.org/2000/svg}"


def make_all():
    return {
        "radar": charts.radar_svg(
            ["Communication", "Teamwork", "Négociation <&>", "Leadership"],
            [("May", [3.5, 4.0, None, 3.0]), ("Feb", [2.8, 3.3, 2.0, 2.5])],
            title="Levels: May & Feb",
            description="Radar of four skills",
        ),
        "change": charts.change_bars_svg(
            ["Communication", "Self-evaluation"],
            [0.8, -0.3],
            title="Change",
            description="Bars of the change",
        ),
        "history": charts.history_svg(
            ["Feb", "May"], [2.0, 3.0], title="Negotiation", description="Line of the level per round"
        ),
    }


@pytest.fixture(scope="module")
def svgs():
    return make_all()


@pytest.mark.parametrize("kind", ["radar", "change", "history"])
def test_chart_is_well_formed_accessible_and_static(svgs, kind):
    svg = svgs[kind]
    root = etree.fromstring(svg.encode())  # raises if not well-formed XML
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title.get("id") == title_id and desc.get("id") == desc_id
    assert title.text and desc.text
    assert not list(root.iter(f"{SVG}script"))
    assert "<script" not in svg and "javascript:" not in svg
    assert 'href="http' not in svg  # nothing loaded from elsewhere: works offline and in a PDF


def test_text_is_escaped_and_kept(svgs):
    root = etree.fromstring(svgs["radar"].encode())
    assert root.find(f"{SVG}title").text == "Levels: May & Feb"
    texts = " ".join(t for t in root.itertext())
    assert "Négociation <&>" in texts and "Teamwork" in texts
    assert "May" in texts and "Feb" in texts  # the legend names the rounds


def test_same_data_same_bytes_and_unique_ids_for_different_charts(svgs):
    again = make_all()
    assert again == svgs  # reproducible builds: no random ids, no dates
    ids = {etree.fromstring(s.encode()).get("id") for s in svgs.values()}
    assert len(ids) == 3


def test_svg_keeps_its_namespace_when_other_code_registers_a_default_one():
    import xml.etree.ElementTree as ET

    ET.register_namespace("", "http://www.w3.org/2005/Atom")  # as an Atom writer may do
    svg = charts.history_svg(["a", "b"], [1, 2], title="t", description="d")
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert "ns0:" not in svg and "<svg:" not in svg


def test_change_values_are_printed(svgs):
    texts = " ".join(etree.fromstring(svgs["change"].encode()).itertext())
    assert "+0.8" in texts and "\u22120.3" in texts  # a real minus sign


def test_the_first_chart_of_a_process_is_the_same_as_the_next_ones():
    """Reproducible in a fresh process too, where no namespace is registered yet (each
    build runs in one): a passport made again from the same data is then reused."""
    import subprocess
    import sys

    code = (
        "from elenefolio.render import charts\n"
        "make = lambda: charts.radar_svg(['Communication', 'Information and data processing'],"
        " [('May', [3.5, 4.0])], title='t', description='d')\n"
        "first = make()\n"
        "print(first == make(), first.startswith('<svg xmlns=\"http://www.w3.org/2000/svg\"'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True"]


def test_radar_labels_are_level_and_long_ones_on_two_lines():
    svg = charts.radar_svg(
        ["Communication", "Information and data processing", "Teamwork"],
        [("May", [3.5, 4.0, 3.0])],
        title="t",
        description="d",
    )
    labels = etree.fromstring(svg.encode()).findall(f".//{SVG}text[@class='axis-label']")
    assert [" ".join(t.itertext()) for t in labels] == [
        "Communication",
        "Teamwork",
        "Information and data processing",
    ]
    assert all(t.get("transform") is None for t in labels)
    assert [len(t.findall(f"{SVG}tspan")) for t in labels] == [0, 0, 1]
    # clockwise from the top: Communication, Information... on the right, Teamwork on the left
    assert [t.get("style") for t in labels] == ["text-anchor:middle", "text-anchor:end", "text-anchor:start"]


def _texts(svg: str, cls: str) -> list:
    return etree.fromstring(svg.encode()).findall(f".//{SVG}text[@class='{cls}']")


def test_the_change_axis_fits_the_changes_with_gridlines_at_round_steps():
    """−0.3 … +1.3 is drawn from −0.5 to 1.5 in steps of 0.5, not over a symmetric ±1.3."""
    svg = charts.change_bars_svg(["A", "B"], [-0.3, 1.3], title="t", description="d")
    assert [t.text for t in _texts(svg, "tick")] == ["\u22120.5", "0.0", "0.5", "1.0", "1.5"]
    root = etree.fromstring(svg.encode())
    lines = root.findall(f".//{SVG}line")
    assert [line.get("class") for line in lines] == ["grid", "zero", "grid", "grid", "grid"]
    assert all(line.get("stroke-dasharray") is None for line in lines)  # solid
    only_up = charts.change_bars_svg(["A"], [0.3], title="t", description="d")
    assert [t.text for t in _texts(only_up, "tick")][0] == "0.0"  # nothing drawn below zero


def test_change_values_keep_clear_of_their_bars():
    svg = charts.change_bars_svg(["A", "B", "C"], [0.8, -0.3, 0.0], title="t", description="d")
    root = etree.fromstring(svg.encode())
    bars = root.findall(f".//{SVG}rect")
    values = _texts(svg, "value")
    for bar, value in zip(bars, values):
        x, width = float(bar.get("x")), float(bar.get("width"))
        if value.get("text-anchor") == "start":
            assert float(value.get("x")) >= x + width + 5
        else:
            assert float(value.get("x")) <= x - 5
    assert [v.text for v in values] == ["+0.8", "\u22120.3", "0.0"]


def test_history_writes_each_level_above_its_dot_over_the_whole_scale():
    svg = charts.history_svg(["February", "May", "June"], [2.0, None, 3.5], title="t", description="d")
    root = etree.fromstring(svg.encode())
    dots = root.findall(f".//{SVG}circle")
    values = _texts(svg, "value")
    assert [v.text for v in values] == ["2.0", "3.5"]
    for dot, value in zip(dots, values):
        assert float(value.get("y")) <= float(dot.get("cy")) - float(dot.get("r")) - 5
    assert [t.text for t in _texts(svg, "tick")][:5] == ["1", "2", "3", "4", "5"]
    assert not root.findall(f".//{SVG}polyline")  # a round without a level breaks the line
