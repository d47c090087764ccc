"""Stages do not reach back: the site stage gives plain data, and what a reader sees (charts,
labels, translated interface text) is made in the render stage, which leaves the site as it
found it.

The site model is walked as data (every field of its objects, lists, dictionaries), with each
object that is reached again written as the place where it was first reached, so that two
sites compare equal only when they have the same shape and the same values.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path
from typing import Any, Iterator

import pytest
from markupsafe import Markup

from elenefolio.pipeline import Builder
from elenefolio.problems import Problems
from elenefolio.render import Renderer
from elenefolio.site.pictures import Pictures

EXAMPLE = Path(__file__).resolve().parent.parent / "example-portfolio"
LEAVES = (str, bytes, int, float, bool, type(None), dt.date, dt.time, dt.timedelta, Path)


def described(value: Any) -> Any:
    """The site (or any part of it) as nested tuples of plain values."""
    seen: dict[int, str] = {}
    keep: list[Any] = []  # objects stay alive while they are walked: ids are not reused

    def walk(value: Any, place: str) -> Any:
        if isinstance(value, LEAVES):
            return (type(value).__name__, value)
        if id(value) in seen:
            return ("seen", seen[id(value)])
        seen[id(value)] = place
        keep.append(value)
        if isinstance(value, (list, tuple)):
            return (type(value).__name__, tuple(walk(v, f"{place}[{i}]") for i, v in enumerate(value)))
        if isinstance(value, dict):
            return ("dict", tuple((repr(k), walk(v, f"{place}[{k!r}]")) for k, v in value.items()))
        if isinstance(value, (set, frozenset)):
            return ("set", tuple(sorted(repr(walk(v, place)) for v in value)))
        fields = getattr(value, "__dict__", None)
        if fields is None:  # an object of the standard library: a fraction, a pattern...
            return (type(value).__qualname__, repr(value))
        if isinstance(value, Pictures):  # what the site stage decided; the rest reads the files once
            fields = {"named": value.named}
        return (
            type(value).__qualname__,
            tuple((name, walk(v, f"{place}.{name}")) for name, v in sorted(fields.items())),
        )

    return walk(value, "site")


def strings(value: Any) -> Iterator[tuple[str, str]]:
    """Every text the site holds, with where it is."""

    def walk(value: Any, place: str, seen: set[int]) -> Iterator[tuple[str, str]]:
        if isinstance(value, str):
            yield place, value
            return
        if isinstance(value, LEAVES) or id(value) in seen:
            return
        seen.add(id(value))
        if isinstance(value, (list, tuple, set, frozenset)):
            for i, v in enumerate(value):
                yield from walk(v, f"{place}[{i}]", seen)
        elif isinstance(value, dict):
            for k, v in value.items():
                yield from walk(k, f"{place}[key]", seen)
                yield from walk(v, f"{place}[{k!r}]", seen)
        elif hasattr(value, "__dict__"):
            for name, v in vars(value).items():
                yield from walk(v, f"{place}.{name}", seen)

    yield from walk(value, "site", set())


def in_language(portfolio, language: str):
    """The same loaded portfolio with another interface language."""
    return dataclasses.replace(portfolio, config=dataclasses.replace(portfolio.config, language=language))


def render_everything(site) -> None:
    """Every page and file of the site, and the passport's HTML made from the same site."""
    from elenefolio.passport import passport_html

    problems = Problems(site.config.root)
    for _output in Renderer(site, problems).outputs():
        pass
    passport_html(site, issued=dt.date(2026, 1, 1))
    assert not problems.errors


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    root = tmp_path_factory.mktemp("boundary") / "portfolio"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("_site", "_private", ".elenefolio-cache"))
    builder = Builder.reading(root, private=True)  # every round, the agenda, feedback, badges
    return builder, builder.load()


def site_of(loaded, language: str):
    builder, portfolio = loaded
    site = builder.site(in_language(portfolio, language))
    site.pictures.variants()  # the pictures' sizes, read from their files when first asked for
    return site


def test_the_site_holds_no_chart_and_no_markup_of_the_render_stage(loaded):
    site = site_of(loaded, "fr")
    render_everything(site)
    assert site.self_assessment is not None and site.self_assessment.has_rounds  # charts were drawn
    drawn = [place for place, text in strings(site) if "<svg" in text[:200] or isinstance(text, Markup)]
    assert drawn == []


def test_rendering_leaves_the_site_as_the_site_stage_made_it(loaded):
    site = site_of(loaded, "de")
    before = described(site)
    render_everything(site)
    assert described(site) == before


@pytest.mark.slow  # builds in two languages: seconds
def test_the_site_stage_does_not_depend_on_the_interface_language(loaded, language="fi"):
    """The same portfolio in two interface languages gives the same site: nothing in it is
    interface text in one language (page titles and labels are keys, ``N_`` strings,
    translated when a page is rendered), not even after its pages, charts and passport were
    made in that language."""
    english, other = site_of(loaded, "en"), site_of(loaded, language)
    render_everything(english)
    render_everything(other)
    first, second = described(english), described(other)
    language_field = [i for i, (name, _v) in enumerate(first[1]) if name == "portfolio"]
    assert language_field  # the portfolio (its configuration names the language) aside:
    strip = lambda d: tuple(f for f in d[1] if f[0] != "portfolio")  # noqa: E731
    assert strip(first) == strip(second)
    # ...and within the portfolio, only the language differs
    en_config, other_config = english.portfolio.config, other.portfolio.config
    assert dataclasses.replace(other_config, language="en") == en_config


def test_the_pages_are_in_the_language_the_site_is_not(loaded):
    """The boundary seen from the outside: the French pages do show French charts and labels."""
    site = site_of(loaded, "fr")
    renderer = Renderer(site, Problems(site.config.root))
    pages = {o.path: o.data.decode() for o in renderer.outputs() if o.data and o.path.endswith(".html")}
    assessment = pages["self-assessment/index.html"]
    assert "Niveaux auto-évalués" in assessment  # the radar's accessible title
    evidence_map = pages["skills/index.html"]
    assert "démontrée" in evidence_map and ">evidenced<" not in evidence_map  # the status labels


def reached(value: Any) -> dict[int, Any]:
    """Every object the site reaches through its site-stage objects and containers, by id."""
    found: dict[int, Any] = {}
    stack = [value]
    while stack:
        value = stack.pop()
        if isinstance(value, LEAVES) or id(value) in found:
            continue
        found[id(value)] = value
        if isinstance(value, (list, tuple, set, frozenset)):
            stack.extend(value)
        elif isinstance(value, dict):
            stack.extend(value.values())
        elif type(value).__module__.startswith("elenefolio.site"):
            stack.extend(vars(value).values())
    return found


def test_a_running_server_makes_a_new_site_and_keeps_the_old_one(loaded):
    """``Warm`` puts a reloaded item in a new frozen site (``fastbuild.with_items``): the new
    site is the old one in every value, it shares no view, page or list with it and reaches
    no old version of the item, and the kept site is as it was."""
    from elenefolio.incremental.fastbuild import with_items

    site = site_of(loaded, "en")
    before = described(site)
    old = next(view.wrapped for view in site.journal if view.previous and view.next)
    new = dataclasses.replace(old)  # the item as reloaded after a save
    made = with_items(site, [(old, new)])
    assert made is not site and made.frozen and made.portfolio is not site.portfolio
    assert described(site) == before
    assert described(made) == before  # the same shape and values (the item's too)
    kept, now = reached(site), reached(made)
    shared = [v for k, v in now.items() if k in kept and type(v).__module__.startswith("elenefolio.site")]
    assert shared == [] and id(old) not in now and id(new) in now
    assert any(v.wrapped is new for v in made.items)
    # what the load stage made and did not change is shared
    others = [v.wrapped for v in site.items if v.wrapped is not old]
    assert all(id(item) in now for item in others)


def test_a_copy_made_ahead_of_a_save_gives_the_same_new_site(loaded):
    """``serve`` copies its kept site ahead of the next save (``fastbuild.Spare``); the save
    puts the reloaded item in that copy. The site it gives is the one ``with_items`` makes:
    the same values, no view, page or list shared with the kept site, no old version of the
    item anywhere (the portfolio's list of entries included), and the kept site as it was.
    The kept site's own copy is the one a second save uses."""
    from elenefolio.incremental.fastbuild import Spare, copy_with_items, site_objects, with_items

    site = site_of(loaded, "en")
    before = described(site)
    index, old = next((i, view.wrapped) for i, view in enumerate(site.journal) if view.previous and view.next)
    index = site.portfolio.journal.index(old)
    new = dataclasses.replace(old)
    spare = Spare(site, site_objects(site))
    assert spare.usable and spare.places[id(old)]
    made = spare.with_items([(old, new)], [(site.portfolio.journal, index)])
    assert described(site) == before and described(made) == before == described(
        with_items(site, [(old, new)])
    )
    kept, now = reached(site), reached(made)
    shared = [v for k, v in now.items() if k in kept and type(v).__module__.startswith("elenefolio.site")]
    assert shared == [] and id(old) not in now and id(new) in now
    assert any(v.wrapped is new for v in made.items)
    assert made.portfolio.journal[index] is new and all(i is not old for i in made.portfolio.journal)
    assert site.portfolio.journal[index] is old
    # a second save, from the new site, through its list of objects
    newer = dataclasses.replace(new)
    again, _objects = copy_with_items(made, [(new, newer)], spare.objects)
    assert described(again) == before and id(new) not in reached(again)
