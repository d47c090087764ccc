"""Every interface string and every word of the built-in framework is translated in every shipped
language: the catalogs, the framework translations, the built example site and the passport.

A string "translated" to itself is a string left in English, unless it is on the short list below
of words that really are the same in that language.
"""

from __future__ import annotations

import copy
import re
import shutil
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

from elenefolio.load.framework import _read_builtin
from elenefolio.load.translations import translate_framework
from elenefolio.pipeline import BuildOptions, build
from elenefolio.problems import Problems
from elenefolio.util.i18n import shipped_catalog

EXAMPLE = Path(__file__).resolve().parent.parent / "example-portfolio"
LANGUAGES = ("fr", "de", "it", "es", "fi")

# Interface words that are the same in the language, each with the reason.
SAME = {
    "fr": {
        "Portfolio": "same word",
        "Badges": "Open Badges keep their English name in French",
        "Question": "same word",
        "Plan": "same word",
        "Audio": "same word",
        "Image": "same word",
        "Document": "same word",
        "Code": "same word",
        "Journal": "same word",
        "journal": "same word",
        "Collection": "same word",
        "Collections": "same word",
        "Introduction": "same word",
        "Actions": "same word",
        "Importance": "same word",
        "Date": "same word",
        "MOOC": "an acronym used as is",
        "Blog": "a loanword",
        "Menu": "same word",
        "%(num)s badge": "same word (Open Badges)",
        "Questions": "same word",
        "Plans": "same word",
        "Pages": "same word",
        "Page": "same word",
    },
    "de": {
        "Passphrase": "the usual German word (as in GnuPG and password managers)",
        "Portfolio": "same word",
        "Badges": "Open Badges keep their English name",
        "Plan": "same word",
        "Audio": "same word",
        "Video": "same word",
        "Code": "same word",
        "Link": "loanword in German",
        "Online": "loanword in German",
        "Feed": "loanword (RSS feed)",
        "Website": "loanword in German",
        "Blog": "loanword",
        "Status": "same word",
        "MOOC": "an acronym used as is",
        "optional": "same word",
    },
    "it": {
        "Portfolio": "same word",
        "Curriculum vitae": "the Latin phrase is used as is",
        "Idea": "same word",
        "Audio": "same word",
        "Video": "same word",
        "Link": "loanword in Italian",
        "Agenda": "same word",
        "Home": "the usual word for a home page in Italian",
        "Feed": "loanword",
        "Blog": "loanword",
        "MOOC": "an acronym used as is",
        "Menu": "same word",
        "%(num)s badge": "loanword (Open Badges)",
        "Formula": "same word",
    },
    "es": {
        "Plan": "same word",
        "Idea": "same word",
        "Ideas": "same word",
        "Audio": "same word",
        "Agenda": "same word",
        "Feed": "loanword",
        "Blog": "loanword",
        "MOOC": "an acronym used as is",
    },
    "fi": {
        "Idea": "same word",
        "Portfolio": "same word",
        "Video": "same word",
        "MOOC": "an acronym used as is",
    },
}
# Skill and area names that are the same word in the language.
SAME_NAMES = {"fr": {"Communication", "Leadership"}, "it": {"Leadership"}}

# English interface phrases that must not show on a translated page or in a translated passport.
ENGLISH_PHRASES = (
    "Journal entries",
    "Education passport",
    "Self-assessment",
    "Evidence map",
    "statements answered",
    "Download my round file",
    "How important is this skill",
    "never / not yet",
    "always / confidently",
    "don’t know",
    "Learning agenda",
    "Page 1 of",
    "Skills with evidence",
    "Date of issue",
    "The living portfolio",
    "Progress since",
    "Watch online",
    "What the levels look like",
    "How sure are you of these answers",
    "When did you last do this",
)


def catalog(language: str):
    with open(shipped_catalog(language), "rb") as handle:
        return read_po(handle, locale=language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_catalog_string_is_translated(language):
    left = []
    for message in catalog(language):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for msgid, msgstr in zip(ids, strings):
            if not msgstr or (msgstr == msgid and msgid not in SAME[language]):
                left.append(msgid)
    assert left == [], f"{language}: left in English or empty"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_same_word_list_holds_only_words_that_are_really_the_same(language):
    """An allowed word that got a translation since must leave the list (keeps it short)."""
    same = set()
    for message in catalog(language):
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        same |= {msgid for msgid, msgstr in zip(ids, strings) if msgid and msgstr == msgid}
    assert set(SAME[language]) <= same


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_framework_is_translated_word_for_word_nowhere(language):
    english = _read_builtin("elene4work", Problems())
    translated = copy.deepcopy(english)
    translate_framework(translated, language)
    left = []
    for en, tr in zip(english.skills, translated.skills):
        assert tr.statement_ids == en.statement_ids
        left += [s for s, t in zip(en.statements, tr.statements) if s == t]
        left += [text for level, text in en.anchors.items() if tr.anchors.get(level) == text]
        left += [en.description] if tr.description == en.description else []
        left += [en.name] if tr.name == en.name and en.name not in SAME_NAMES.get(language, ()) else []
    for en, tr in zip(english.areas, translated.areas):
        left += [en.name] if tr.name == en.name else []
        left += [en.description] if tr.description == en.description else []
    left += [p.label for p, q in zip(english.scale, translated.scale) if p.label == q.label]
    left += [english.name] if translated.name == english.name else []
    assert left == [], f"{language}: left in English"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_translation_file_names_no_statement_or_skill_that_does_not_exist(language):
    english = _read_builtin("elene4work", Problems())
    data = yaml.safe_load(
        (
            Path(__file__).resolve().parent.parent
            / "elenefolio"
            / "frameworks"
            / "translations"
            / f"elene4work.{language}.yaml"
        ).read_text(encoding="utf-8")
    )
    ids = {i for s in english.skills for i in s.statement_ids}
    assert set(data["statements"]) == ids
    assert set(data["anchors"]) == {s.id for s in english.skills}
    assert all(set(a) == {1, 3, 5} for a in data["anchors"].values())


def copy_example(tmp_path: Path, language: str) -> Path:
    root = tmp_path / language
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("_site", "_private", ".elenefolio-cache"))
    config = root / "portfolio.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"(?m)^language: .*$", f"language: {language}", text, count=1), encoding="utf-8")
    return root


def own_words(root: Path) -> str:
    """Everything the learner wrote: English there is the learner's, not the interface's
    (also with the typographic apostrophes the Markdown renderer puts in)."""
    text = "\n".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.suffix in (".md", ".yaml", ".yml") and "_site" not in p.parts
    )
    return text + "\n" + text.replace("'", "’")


def page_words(html: str) -> str:
    """The visible text of a page and the attributes a person or a screen reader meets."""
    soup = BeautifulSoup(html, "html.parser")
    for node in soup(["script", "style"]):
        node.decompose()
    attributes = [
        str(v)
        for tag in soup.find_all(True)
        for k, v in tag.attrs.items()
        if k in ("title", "alt", "aria-label", "placeholder", "content", "data-progress-text")
    ]
    return re.sub(r"\s+", " ", soup.get_text(" ") + " " + " ".join(attributes))


def english_phrases() -> set[str]:
    """The fixed interface phrases, every English statement and anchor, and every msgid of
    three words or more (its longest literal part, when it has placeholders)."""
    english = _read_builtin("elene4work", Problems())
    phrases = set(ENGLISH_PHRASES)
    phrases |= {s for skill in english.skills for s in skill.statements}
    phrases |= {a for skill in english.skills for a in skill.anchors.values()}
    for message in catalog("fr"):
        for msgid in message.id if isinstance(message.id, tuple) else (message.id,):
            longest = max(re.split(r"%\(\w+\)s", msgid or ""), key=len).strip(" :.,()")
            if len(longest.split()) >= 3:
                phrases.add(longest)
    return phrases


@pytest.mark.slow  # a build of the example in each language: seconds (test_i18n checks each interface)
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_translated_example_site_shows_no_english_interface(tmp_path, language):
    root = copy_example(tmp_path, language)
    build(BuildOptions(root=root, output=root / "_site"))  # raises on any problem
    learner = own_words(root)
    phrases = [p for p in english_phrases() if p not in learner]
    found = {}
    pages = sorted((root / "_site").rglob("*.html"))
    assert len(pages) > 50
    for page in pages:
        words = page_words(page.read_text(encoding="utf-8"))
        hits = [p for p in phrases if p in words]
        if hits:
            found[page.relative_to(root / "_site").as_posix()] = sorted(hits)
    assert found == {}
    questionnaire = (root / "_site" / "self-assessment" / "questionnaire" / "index.html").read_text("utf-8")
    assert "q-anchors" in questionnaire  # the anchors are shown, in the language


@pytest.mark.slow  # makes a passport (PDF)
def test_the_french_passport_has_no_english_interface(tmp_path):
    pypdf = pytest.importorskip("pypdf")
    from elenefolio.load import load_portfolio
    from elenefolio.passport import make_passport
    from elenefolio.site import build_site
    from elenefolio.site.audience import Audience

    root = copy_example(tmp_path, "fr")
    problems = Problems(root)
    site = build_site(load_portfolio(root, problems), Audience(private=False), problems)
    assert not problems.errors
    reader = pypdf.PdfReader(make_passport(site).path)
    text = "".join(p.extract_text() or "" for p in reader.pages)
    # letter-spaced headings come out as "P A S S ...": compare without any space, in capitals
    letters = re.sub(r"[\s\u00ad]+", "", text).upper()
    for english in (
        "Education passport",
        "Date of issue",
        "The living portfolio",
        "Skills with evidence",
        "Page 1 of",
        "Page 2 of",
        "Progress since",
        "Watch online",
        "Skills framework",
        "Evidence of skills",
        "See it online",
    ):
        assert english.replace(" ", "").upper() not in letters, english
    assert "PASSEPORTDEFORMATION" in letters and "DATEDEDÉLIVRANCE" in letters
    assert "PAGE2SUR" in letters
