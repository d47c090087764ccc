"""Interface languages: the example portfolio built in each shipped language, the
fallback chain (region → base language → English), locale dates, plural forms,
a portfolio's own catalog, and catalogs that are complete and in step with the
templates."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from babel.dates import get_month_names
from babel.messages.pofile import read_po
from conftest import (
    EXAMPLE,
    REPO,
    config_yaml,
    entry,
    html_pages,
    run_cli,
    soup_of,
    write_and_build,
    write_portfolio,
)

from elenefolio.load import load_portfolio
from elenefolio.problems import Problems
from elenefolio.util import i18n

LANGUAGES = ("en", "fr", "de", "it", "es", "fi")
LOCALES = REPO / "elenefolio" / "locales"
POT = LOCALES / "elenefolio.pot"

# What a reader of each language must see: written from the language, not from the output.
EXPECTED = {
    "en": {
        "nav": ["Home", "Journal", "Artefacts", "Skills", "Tags", "Search"],
        "nav_extra": ["Badges", "Self-assessment", "Agenda"],
        "question": "Question",
        "infographic": "Infographic",
        "skip": "Skip to content",
        "not_found": "Page not found",
    },
    "fr": {
        "nav": ["Accueil", "Journal", "Réalisations", "Compétences", "Mots-clés", "Recherche"],
        "nav_extra": ["Badges", "Auto-évaluation", "Feuille de route"],
        "question": "Question",
        "infographic": "Infographie",
        "skip": "Aller au contenu",
        "not_found": "Page introuvable",
    },
    "de": {
        "nav": ["Startseite", "Lerntagebuch", "Arbeitsproben", "Kompetenzen", "Schlagwörter", "Suche"],
        "nav_extra": ["Badges", "Selbsteinschätzung", "Lernplan"],
        "question": "Frage",
        "infographic": "Infografik",
        "skip": "Zum Inhalt springen",
        "not_found": "Seite nicht gefunden",
    },
    "it": {
        "nav": ["Home", "Diario", "Lavori", "Competenze", "Tag", "Cerca"],
        "nav_extra": ["Badge", "Autovalutazione", "Agenda"],
        "question": "Domanda",
        "infographic": "Infografica",
        "skip": "Vai al contenuto",
        "not_found": "Pagina non trovata",
    },
    "es": {
        "nav": ["Inicio", "Diario", "Trabajos", "Competencias", "Etiquetas", "Buscar"],
        "nav_extra": ["Insignias", "Autoevaluación", "Agenda"],
        "question": "Pregunta",
        "infographic": "Infografía",
        "skip": "Saltar al contenido",
        "not_found": "Página no encontrada",
    },
    "fi": {
        "nav": ["Etusivu", "Päiväkirja", "Työnäytteet", "Taidot", "Tunnisteet", "Haku"],
        "nav_extra": ["Osaamismerkit", "Itsearviointi", "Oppimissuunnitelma"],
        "question": "Kysymys",
        "infographic": "Infografiikka",
        "skip": "Siirry sisältöön",
        "not_found": "Sivua ei löytynyt",
    },
}
# "%(num)s item with this tag" for one item and for several (CLDR "one" and "other").
TAG_COUNT = {
    "en": ("1 item with this tag", "{n} items with this tag"),
    "fr": ("1 élément avec ce mot-clé", "{n} éléments avec ce mot-clé"),
    "de": ("1 Beitrag mit diesem Schlagwort", "{n} Beiträge mit diesem Schlagwort"),
    "it": ("1 elemento con questo tag", "{n} elementi con questo tag"),
    "es": ("1 elemento con esta etiqueta", "{n} elementos con esta etiqueta"),
    "fi": ("1 sisältö tällä tunnisteella", "{n} sisältöä tällä tunnisteella"),
}
# The word for March in a long date ("14 March 2026"): genitive or partitive where the language has one.
MARCH = {"en": "March", "fr": "mars", "de": "März", "it": "marzo", "es": "marzo", "fi": "maaliskuuta"}


def set_language(root: Path, language: str) -> None:
    path = root / "portfolio.yaml"
    text = path.read_text(encoding="utf-8")
    text, count = re.subn(r"(?m)^language: .*$", f"language: {language}", text)
    assert count == 1
    path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module", params=LANGUAGES)
def built(request, tmp_path_factory):
    """The example portfolio built with ``language: <lang>`` (once per language)."""
    language = request.param
    root = tmp_path_factory.mktemp(f"example-{language}") / "portfolio"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("_site", "_private", ".*"))
    set_language(root, language)
    run = run_cli("build", root)
    assert run.code == 0, run.err
    assert "no translation" not in run.err
    return language, root, root / "_site"


def text(tag) -> str:
    return " ".join(tag.get_text(" ").split())


def test_html_lang_and_navigation(built):
    language, _, site = built
    for page in (site / "index.html", site / "journal" / "index.html", site / "404.html"):
        soup = soup_of(page)
        assert soup.html["lang"] == language
        main, extra = EXPECTED[language]["nav"], EXPECTED[language]["nav_extra"]
        # The example has badges, public self-assessment rounds and an agenda: their entries
        # come between Skills and Tags.
        assert [text(a) for a in soup.select("nav.site-nav .nav-row a")] == main[:4] + extra + main[4:]
        # the phone's menu button opens the same links
        assert [text(a) for a in soup.select("nav.site-nav .nav-menu a")] == main[:4] + extra + main[4:]
        assert text(soup.select_one("a.skip-link")) == EXPECTED[language]["skip"]
    not_found = soup_of(site / "404.html")
    assert text(not_found.h1) == EXPECTED[language]["not_found"]
    assert not_found.title.get_text().startswith(EXPECTED[language]["not_found"] + " · ")


def test_page_titles_of_sections_are_translated(built):
    language, _, site = built
    for folder, label in zip(("journal", "artefacts", "skills", "tags"), EXPECTED[language]["nav"][1:]):
        soup = soup_of(site / folder / "index.html")
        assert soup.title.get_text().startswith(label + " · "), folder
        assert text(soup.h1) == label


def test_kind_and_type_labels(built):
    language, _, site = built
    pages = [p for p in html_pages(site / "journal") if p.parent.name != "journal"]
    kinds = {text(k) for p in pages for k in soup_of(p).select("article .entry-header .kind")}
    assert EXPECTED[language]["question"] in kinds
    types = {text(t) for t in soup_of(site / "artefacts" / "index.html").select(".card .type")}
    assert EXPECTED[language]["infographic"] in types


def test_dates_in_the_language(built):
    language, root, site = built
    portfolio = load_portfolio(root, Problems(root))
    march = [e for e in portfolio.journal if e.date.month == 3]
    assert march, "the example has journal entries in March"
    locale = i18n.babel_locale(language)
    wide = get_month_names("wide", "format", locale)
    english = get_month_names("wide", "format", "en")
    seen_march = False
    for page in html_pages(site / "journal"):
        for time in soup_of(page).select("article .entry-header time[datetime]"):
            day = dt.date.fromisoformat(time["datetime"])
            shown = text(time)
            assert wide[day.month] in shown and str(day.day) in shown and str(day.year) in shown, shown
            if wide[day.month] != english[day.month]:
                assert english[day.month] not in shown
            seen_march |= day.month == 3 and MARCH[language] in shown
    assert seen_march
    # artefact cards show the month and year: standalone month names ("maaliskuu", not "maaliskuuta")
    standalone = get_month_names("wide", "stand-alone", locale)
    for time in soup_of(site / "artefacts" / "index.html").select(".card time[datetime]"):
        day = dt.date.fromisoformat(time["datetime"])
        assert standalone[day.month] in text(time) and str(day.year) in text(time)
        assert str(day.day) not in text(time).replace(str(day.year), "")


def test_plural_forms_on_tag_pages(built):
    language, _, site = built
    one, several = TAG_COUNT[language]
    counts = {}
    for page in html_pages(site / "tags"):
        if page.parent.name == "tags":
            continue
        soup = soup_of(page)
        n = len(soup.select("ul.item-list > li"))
        counts[n] = text(soup.select_one(".page-header .section-intro"))
    assert 1 in counts and any(n > 1 for n in counts), counts
    assert counts[1] == one
    n = max(counts)
    assert counts[n] == several.format(n=n)


def framework_words(language: str) -> dict:
    """Area and skill names of the built-in framework in ``language``, from its sources."""
    folder = REPO / "elenefolio" / "frameworks"
    if language == "en":
        data = yaml.safe_load((folder / "elene4work.yaml").read_text(encoding="utf-8"))
        return {"areas": {a["id"]: a for a in data["areas"]}, "skills": {s["id"]: s for s in data["skills"]}}
    return yaml.safe_load(
        (folder / "translations" / f"elene4work.{language}.yaml").read_text(encoding="utf-8")
    )


def test_skill_and_area_names_in_the_language(built):
    """Skill names, and area names on chips and headings, come from the framework's translation."""
    language, _, site = built
    words = framework_words(language)
    teamwork = {"en": "Teamwork", "fr": "Travail en équipe", "de": "Teamarbeit", "fi": "Tiimityö"}
    assert text(soup_of(site / "skills" / "teamwork" / "index.html").h1) == teamwork.get(
        language, words["skills"]["teamwork"]["name"]
    )
    areas = [words["areas"][a]["name"] for a in ("social", "personal", "methodological", "digital")]
    index = soup_of(site / "skills" / "index.html")
    assert [text(a.contents[0]) for a in index.select("nav.area-jump a")] == areas
    assert [text(h) for h in index.select("h2.area-title")] == areas
    home = soup_of(site / "index.html")
    assert [text(h) for h in home.select(".area-panel h3")] == areas
    names = {w["name"] for w in words["skills"].values()}
    chips = {text(c) for p in html_pages(site / "journal") for c in soup_of(p).select("a.chip-skill")}
    assert chips and chips <= names
    for page in html_pages(site / "artefacts"):
        for item in soup_of(page).select(".evidence-item"):
            assert text(item.select_one(".area-name")) in areas
            assert text(item.h3) in names


def test_no_english_interface_text_left(built):
    """No interface string of two words or more is left in English on any page."""
    language, _, site = built
    if language == "en":
        pytest.skip("English is the source language")
    po = catalog(LOCALES / language / "LC_MESSAGES" / "elenefolio.po")
    same = {m.id for m in po if m.string == m.id}  # words a language borrows as they are
    phrases = [
        m.id
        for m in catalog(POT)
        if isinstance(m.id, str) and m.id and len(m.id.split()) >= 2 and "%" not in m.id and m.id not in same
    ]
    assert len(phrases) > 15
    for page in html_pages(site):
        soup = soup_of(page)
        for block in soup.select(".prose, .lead, .summary, .statement"):
            block.decompose()  # the author's own words, where an English phrase may well occur
        shown = text(soup) + " ".join(
            str(v)
            for t in soup.find_all(True)
            for k, v in t.attrs.items()
            if k in ("aria-label", "title", "alt")
        )
        leaks = [p for p in phrases if p in shown]
        assert not leaks, f"{page.relative_to(site)}: {leaks}"


def test_feed_language(built):
    language, _, site = built
    assert f'xml:lang="{language}"' in (site / "feed.xml").read_text(encoding="utf-8")


# --- plural rules of the catalogs --------------------------------------------


@pytest.mark.parametrize(
    "language, counts",
    [
        ("en", {0: "0 entries", 1: "1 entry", 2: "2 entries"}),
        ("fr", {0: "0 entrée", 1: "1 entrée", 2: "2 entrées", 1000000: "1000000 d’entrées"}),
        ("de", {0: "0 Einträge", 1: "1 Eintrag", 2: "2 Einträge"}),
        (
            "it",
            {0: "0 annotazioni", 1: "1 annotazione", 2: "2 annotazioni", 1000000: "1000000 di annotazioni"},
        ),
        ("es", {0: "0 entradas", 1: "1 entrada", 5: "5 entradas", 1000000: "1000000 de entradas"}),
        ("fi", {0: "0 merkintää", 1: "1 merkintä", 2: "2 merkintää"}),
    ],
)
def test_plural_rules(language, counts):
    translations = i18n.translations(language)
    for n, expected in counts.items():
        assert translations.ngettext("%(num)s entry", "%(num)s entries", n) % {"num": n} == expected


@pytest.mark.parametrize(
    "language, long, month, medium",
    [
        ("en", "14 March 2026", "March 2026", "14 Mar 2026"),
        ("en-US", "March 14, 2026", "March 2026", "Mar 14, 2026"),
        ("fr", "14 mars 2026", "mars 2026", "14 mars 2026"),
        ("de", "14. März 2026", "März 2026", "14. März 2026"),
        ("it", "14 marzo 2026", "marzo 2026", "14 mar 2026"),
        ("es", "14 de marzo de 2026", "marzo de 2026", "14 mar 2026"),
        ("fi", "14. maaliskuuta 2026", "maaliskuu 2026", "14.3.2026"),
    ],
)
def test_date_styles(language, long, month, medium):
    from elenefolio.render.templates import format_date

    day = dt.date(2026, 3, 14)
    assert format_date(day, "long", language) == long
    assert format_date(dt.datetime(2026, 3, 14, 9, 30), "month", language) == month
    assert format_date(day, "medium", language) == medium
    assert format_date(day, "iso", language) == "2026-03-14"
    assert format_date(None, "long", language) == ""


# --- choosing the language -----------------------------------------------------


def small_portfolio(language: str, extra_files: dict | None = None) -> dict:
    files = {
        "portfolio.yaml": config_yaml().replace("language: en", f"language: {language}"),
        "journal/first.md": entry(
            "First steps", "2026-01-15", kind="question", visibility="public", tags="[start]"
        ),
    }
    files.update(extra_files or {})
    return files


def test_region_falls_back_to_the_base_language_and_keeps_its_dates(tmp_path):
    built = write_and_build(tmp_path / "p", small_portfolio("de_AT"))
    soup = soup_of(built.site / "journal" / "first" / "index.html")
    assert soup.html["lang"] == "de-AT"  # BCP 47 spelling
    assert EXPECTED["de"]["nav"] == [text(a) for a in soup.select("nav.site-nav .nav-row a")]
    assert text(soup.select_one(".entry-header time")) == "15. Jänner 2026"  # Austrian German
    assert "warning" not in built.run.err


def test_region_of_french(tmp_path):
    built = write_and_build(tmp_path / "p", small_portfolio("fr-BE"))
    soup = soup_of(built.site / "journal" / "first" / "index.html")
    assert soup.html["lang"] == "fr-BE"
    assert text(soup.select_one(".entry-header .kind")) == "Question"
    assert text(soup.select_one(".entry-header time")) == "15 janvier 2026"
    assert [text(a) for a in soup.select("nav.site-nav .nav-row a")] == EXPECTED["fr"]["nav"]


@pytest.mark.parametrize(
    "language, hint",
    [("xx", ""), ("fra", " (did you mean 'fr'?)"), ("deu", " (did you mean 'de'?)"), ("pt", "")],
)
def test_unknown_language_stays_english_with_a_warning(tmp_path, language, hint):
    built = write_and_build(tmp_path / "p", small_portfolio(language))
    lines = config_yaml().splitlines()
    line = next(i for i, t in enumerate(lines, 1) if t.startswith("language:"))
    expected = (
        f"portfolio.yaml:{line}: warning: no translation for '{language}'; "
        f"the interface stays in English{hint}."
    )
    assert expected in built.run.err
    soup = soup_of(built.site / "index.html")
    assert [text(a) for a in soup.select("nav.site-nav .nav-row a")] == EXPECTED["en"]["nav"]
    assert soup.html["lang"] == language


def test_unknown_language_is_an_error_only_with_strict(tmp_path):
    root = write_portfolio(tmp_path / "p", small_portfolio("xx"))
    run = run_cli("build", root, "--strict")
    assert run.code == 1 and "no translation for 'xx'" in run.err and "Traceback" not in run.err


def test_a_string_missing_from_the_catalog_stays_english(tmp_path):
    """A portfolio's template override adds a string no catalog knows: it is shown in English,
    the rest of the page in French."""
    override = (REPO / "themes" / "default" / "templates" / "tags_index.html").read_text()
    override = override.replace(
        "{% block main %}", '{% block main %}\n<p class="custom">{{ _("Thanks for reading") }}</p>'
    )
    built = write_and_build(tmp_path / "p", small_portfolio("fr", {"templates/tags_index.html": override}))
    soup = soup_of(built.site / "tags" / "index.html")
    assert text(soup.select_one("p.custom")) == "Thanks for reading"
    assert text(soup.h1) == "Mots-clés"
    assert (
        text(soup.select_one(".section-intro")) == "Les thèmes qui traversent le journal et les réalisations."
    )


def test_a_portfolio_catalog_adds_and_overrides_strings(tmp_path):
    override = (REPO / "themes" / "default" / "templates" / "tags_index.html").read_text()
    override = override.replace(
        "{% block main %}", '{% block main %}\n<p class="custom">{{ _("Thanks for reading") }}</p>'
    )
    po = (
        "\n".join(
            [
                'msgid ""',
                'msgstr ""',
                '"Content-Type: text/plain; charset=UTF-8\\n"',
                '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"',
                "",
                'msgid "Thanks for reading"',
                'msgstr "Merci de votre lecture"',
                "",
                'msgid "Tags"',
                'msgstr "Sujets"',
                "",
                "#, fuzzy",
                'msgid "Home"',
                'msgstr "Maison"',
                "",
            ]
        )
        + "\n"
    )
    built = write_and_build(
        tmp_path / "p", small_portfolio("fr", {"templates/tags_index.html": override, "locales/fr.po": po})
    )
    soup = soup_of(built.site / "tags" / "index.html")
    assert text(soup.select_one("p.custom")) == "Merci de votre lecture"
    assert text(soup.h1) == "Sujets"  # the portfolio's word wins
    nav = [text(a) for a in soup.select("nav.site-nav .nav-row a")]
    assert nav == [
        "Accueil",
        "Journal",
        "Réalisations",
        "Compétences",
        "Sujets",
        "Recherche",
    ]  # fuzzy is ignored
    assert (
        text(soup.select_one(".section-intro")) == "Les thèmes qui traversent le journal et les réalisations."
    )


def test_a_portfolio_catalog_makes_a_new_language_available(tmp_path):
    po = (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "Home"\nmsgstr "Início"\n'
    )
    built = write_and_build(tmp_path / "p", small_portfolio("pt", {"locales/pt.po": po}))
    assert "no translation" not in built.run.err
    soup = soup_of(built.site / "journal" / "first" / "index.html")
    assert [text(a) for a in soup.select("nav.site-nav .nav-row a")][:2] == ["Início", "Journal"]
    assert text(soup.select_one(".entry-header time")) == "15 de janeiro de 2026"  # Babel knows Portuguese


def test_a_broken_portfolio_catalog_is_reported_at_its_line(tmp_path):
    po = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "Home"\nmsgtsr "Accueil"\n'
    root = write_portfolio(tmp_path / "p", small_portfolio("fr", {"locales/fr.po": po}))
    run = run_cli("build", root)
    assert run.code == 1 and "Traceback" not in run.err
    # the message after the line is Babel's own ("Unknown or misformatted keyword" since Babel
    # 2.18, "Start of line didn't match any expected keyword." before)
    [line] = [x for x in run.err.splitlines() if x.startswith("locales/fr.po:")]
    assert line.startswith("locales/fr.po:6: translation catalog: ") and "keyword" in line, run.err


# --- the catalogs themselves ----------------------------------------------------


def catalog(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


def test_shipped_languages():
    assert set(i18n.shipped_languages()) == set(LANGUAGES)


def test_pot_is_in_step_with_the_templates_and_code(tmp_path):
    """Re-extract with babel.cfg: the committed .pot must list the same strings
    (run `make translations` after changing an interface string)."""
    fresh = tmp_path / "fresh.pot"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "-q",
            "extract",
            "-F",
            "babel.cfg",
            "-o",
            str(fresh),
            "elenefolio",
            "themes",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    extracted = {m.id for m in catalog(fresh) if m.id}
    committed = {m.id for m in catalog(POT) if m.id}
    assert extracted, "nothing extracted"
    assert extracted - committed == set(), "strings missing from elenefolio.pot: run `make translations`"
    assert committed - extracted == set(), "stale strings in elenefolio.pot: run `make translations`"


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "en"])
def test_catalog_is_complete(language):
    pot = {m.id: m for m in catalog(POT) if m.id}
    po = catalog(LOCALES / language / "LC_MESSAGES" / "elenefolio.po")
    assert not po.fuzzy, "the catalog header is marked fuzzy"
    assert po.locale is not None and str(po.locale) == language
    translated = {m.id: m for m in po if m.id}
    assert set(pot) - set(translated) == set(), "msgids missing: run `make translations` and translate them"
    for msgid, message in translated.items():
        assert "fuzzy" not in message.flags, f"fuzzy entry: {msgid!r}"
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(s.strip() for s in strings), f"untranslated: {msgid!r}"
        if isinstance(msgid, tuple):
            assert len(strings) == po.num_plurals, f"plural forms of {msgid!r}"
    problems = [(m.id, errors) for m, errors in po.check()]
    assert not problems, problems  # placeholders such as %(num)s kept
