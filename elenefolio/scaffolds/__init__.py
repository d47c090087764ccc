"""Scaffolds: the headings and prompts that ``elenefolio new`` and ``init`` write into a new
entry or artefact, in the portfolio's language, and how ``check`` finds them left in place.

Each ``<lang>.yaml`` beside this file holds, for every journal kind, a short scaffold after a
named model (reflection: Gibbs' reflective cycle; evaluation: DIEP; plan: SMART; the other
kinds two or three prompts), and the artefact's questions. A scaffold is Markdown: ``##``
headings the learner may keep, each followed by one prompt in italics that the learner replaces
with their own words.

Detection compares text, not a hidden marker (a marker would stay when the learner wrote
under it, or go when they only deleted it): a line that still holds a prompt of any language is
reported, and so is a heading of a scaffold with nothing written under it. A learner who keeps
the headings and writes under them is not warned.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from elenefolio.problems import shown
from elenefolio.util.i18n import candidates

FOLDER = Path(__file__).parent
DEFAULT_LANGUAGE = "en"
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass(frozen=True)
class Section:
    heading: str
    prompt: str


@dataclass(frozen=True)
class Scaffold:
    note: str  # "write under each heading..., then delete the lines in italics"
    model: str  # the named model, e.g. "Reflective cycle (Gibbs, 1988)"; "" for none
    sections: tuple[Section, ...]

    def markdown(self) -> str:
        """The body a new file starts with."""
        intro = f"{self.model}. {self.note}" if self.model else self.note
        parts = [f"_{intro}_"]
        for section in self.sections:
            parts += [f"## {section.heading}", f"_{section.prompt}_"]
        return "\n\n".join(parts) + "\n"


@functools.lru_cache(maxsize=None)
def _data(language: str) -> dict:
    return yaml.safe_load((FOLDER / f"{language}.yaml").read_text(encoding="utf-8"))


def languages() -> tuple[str, ...]:
    """The languages scaffolds are written in."""
    return tuple(sorted(p.stem for p in FOLDER.glob("*.yaml")))


def _language(language: str) -> str:
    """The scaffold language for a portfolio language (``fr-BE`` → ``fr``; unknown → English)."""
    known = languages()
    return next((c for c in candidates(language) if c in known), DEFAULT_LANGUAGE)


def _sections(raw: list[dict]) -> tuple[Section, ...]:
    return tuple(Section(s["heading"], s["prompt"]) for s in raw)


def journal_scaffold(kind: str, language: str) -> Scaffold:
    data = _data(_language(language))
    part = data["journal"][kind]
    return Scaffold(data["note"], part.get("model", ""), _sections(part["sections"]))


def artefact_scaffold(language: str) -> Scaffold:
    data = _data(_language(language))
    return Scaffold(data["note"], "", _sections(data["artefact"]["sections"]))


def starter_text(language: str) -> dict:
    """What ``init`` writes in the language: ``title`` and ``about`` (with ``{name}``),
    ``headline``, ``artefact`` (a title) and ``journal`` (a title for each kind)."""
    return _data(_language(language))["starter"]


def artefact_questions(language: str) -> dict[str, str]:
    """The questions written as comments beside an artefact's front matter fields:
    ``context``, ``role``, ``evidence`` (of each skill) and ``skills`` (when none is named)."""
    part = _data(_language(language))["artefact"]
    return {key: part[key] for key in ("context", "role", "evidence", "skills")}


def _normal(text: str) -> str:
    """Text as compared: no Markdown emphasis, quote or list marks, one space, case-folded."""
    text = re.sub(r"[*_>`]", " ", text)
    text = re.sub(r"^\s*(?:[-+]|\d+[.)])\s+", " ", text)
    return " ".join(text.split()).casefold()


@functools.lru_cache(maxsize=1)
def _known() -> tuple[tuple[str, ...], frozenset[str]]:
    """Every prompt (and old placeholder) and every heading of every language, normalised."""
    prompts, headings = set(), set()
    for language in languages():
        data = _data(language)
        prompts.add(_normal(data["note"]))
        prompts.update(_normal(p) for p in data.get("placeholders", []))
        parts = [*data["journal"].values(), data["artefact"]]
        for part in parts:
            for section in part["sections"]:
                prompts.add(_normal(section["prompt"]))
                headings.add(_normal(section["heading"]))
    return tuple(sorted(prompts, key=len, reverse=True)), frozenset(headings)


@dataclass(frozen=True)
class Leftover:
    """Scaffold text found in a body: ``line`` counts from the body's first line (0)."""

    line: int
    message: str


def leftovers(body: str) -> list[Leftover]:
    """The prompts still in ``body`` and the scaffold headings with nothing under them."""
    prompts, headings = _known()
    found: list[Leftover] = []
    open_heading: tuple[int, str] | None = None  # a scaffold heading with nothing under it yet
    in_fence = False

    def close() -> None:
        if open_heading is not None:
            found.append(
                Leftover(
                    open_heading[0],
                    f"nothing is written under the heading '{shown(open_heading[1])}' of the scaffold",
                )
            )

    for number, line in enumerate(body.split("\n")):
        if _FENCE.match(line):
            in_fence = not in_fence
        heading = None if in_fence else _HEADING.match(line)
        if heading:
            close()
            title = heading.group(2)
            open_heading = (number, title) if _normal(title) in headings else None
            continue
        normal = _normal(line)
        if not normal:
            continue
        if not in_fence and any(p in normal for p in prompts):
            found.append(
                Leftover(number, f"still holds the prompt '{_shorten(line)}': replace it with your own words")
            )
        open_heading = None  # written under (or reported once: the prompt says it all)
    close()
    return found


def _shorten(line: str) -> str:
    return shown(" ".join(re.sub(r"[*_]", "", line).split()), 60)
