"""Interface languages: gettext catalogs, the language fallback chain and dates.

The interface strings of the templates and of the Python code live in
gettext catalogs: ``elenefolio/locales/<lang>/LC_MESSAGES/elenefolio.po``,
extracted into ``elenefolio.pot`` by ``make translations``. A portfolio may
add or override strings with its own ``locales/<lang>.po``.

The ``.po`` files are the only source: a build compiles the one or two
catalogs it needs in memory with Babel (a few milliseconds), so there are
no ``.mo`` files to keep in step and a portfolio's own ``.po`` works without
gettext tools.

``language: fr-BE`` looks for ``fr_BE``, then ``fr``, then falls back to
the English text written in the templates. Babel is imported lazily: the
CLI's ``--help`` does not pay for it.
"""

from __future__ import annotations

import functools
import gettext
import io
import re
from pathlib import Path

from elenefolio.incremental.reads import record
from elenefolio.problems import Problems, did_you_mean
from elenefolio.util.confine import confined

DOMAIN = "elenefolio"
SOURCE_LANGUAGE = "en"
# The date conventions of plain ``en``: the interface is written in British English.
ENGLISH_DATES = "en_GB"
PORTFOLIO_LOCALES = "locales"  # a portfolio's own catalogs: locales/<lang>.po

# Codes people write for the shipped languages instead of the two-letter ISO 639-1 code:
# the three-letter ISO 639-2 codes and a few that are no language code at all.
_ALIASES = {
    "eng": "en",
    "fra": "fr",
    "fre": "fr",
    "deu": "de",
    "ger": "de",
    "ge": "de",
    "ita": "it",
    "spa": "es",
    "esp": "es",
    "sp": "es",
    "fin": "fi",
}


class Message(str):
    """An interface string marked with ``N_()``, translated when a page is rendered."""

    __slots__ = ()


def N_(text: str) -> Message:  # noqa: N802 - the gettext convention
    """Mark ``text`` for extraction; the render stage translates it."""
    return Message(text)


def locales_dir() -> Path:
    return Path(__file__).resolve().parents[1] / "locales"


def split_language(language: str) -> tuple[str, str]:
    """``("fr", "BE")`` for ``fr-BE``, ``fr_be`` or ``FR-BE``; region is "" when absent."""
    parts = re.split(r"[-_]", language.strip(), maxsplit=1)
    base = parts[0].lower()
    region = parts[1] if len(parts) > 1 else ""
    if len(region) == 4 and region.isalpha():
        region = region.title()  # a script, e.g. sr-Latn
    elif region.isalpha():
        region = region.upper()
    return base, region


# A language tag as RFC 5646 writes it (the well-formed tags, without the few irregular
# "grandfathered" ones, and with an ISO 639 language code: "english" is a mistake, not a tag):
# language, extended language, script, region, variants, extensions and private use, e.g. "ar",
# "he-IL", "zh-Hant-TW", "sr-Latn", "de-CH-1996", "x-klingon".
_BCP47 = re.compile(
    r"""^(?:
    [a-z]{2,3}(?:-[a-z]{3}){0,3}                    # language (ISO 639), extended language
    (?:-[a-z]{4})?                                  # script
    (?:-(?:[a-z]{2}|[0-9]{3}))?                     # region
    (?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*        # variants
    (?:-[0-9a-wy-z](?:-[a-z0-9]{2,8})+)*            # extensions
    (?:-x(?:-[a-z0-9]{1,8})+)?                      # private use
  |x(?:-[a-z0-9]{1,8})+)$""",
    re.VERBOSE,
)

# Languages written from right to left (when no script says otherwise), and the scripts that are.
RTL_LANGUAGES = frozenset(
    {
        "ar",
        "arc",
        "bal",
        "bqi",
        "ckb",
        "dv",
        "fa",
        "glk",
        "he",
        "iw",
        "ji",
        "khw",
        "ks",
        "lrc",
        "mzn",
        "nqo",
        "pnb",
        "prs",
        "ps",
        "sam",
        "sd",
        "syr",
        "ug",
        "ur",
        "yi",
    }
)
RTL_SCRIPTS = frozenset(
    {
        "arab",
        "hebr",
        "thaa",
        "syrc",
        "nkoo",
        "adlm",
        "rohg",
        "mand",
        "samr",
        "mend",
        "hung",
        "avst",
        "phnx",
        "sogd",
        "yezi",
        "aran",
    }
)


def is_language_tag(tag: str) -> bool:
    """Whether ``tag`` is a well-formed BCP 47 language tag (case does not matter)."""
    return bool(_BCP47.match(tag.strip().replace("_", "-").lower()))


def canonical_tag(tag: str) -> str:
    """A language tag as RFC 5646 recommends writing it: "zh-Hant-TW" for "ZH_hant_tw"."""
    parts = tag.strip().replace("_", "-").lower().split("-")
    out = [parts[0]]
    for part in parts[1:]:
        if len(out[-1]) == 1:  # after a singleton (extension, private use): as written
            out.append(part)
        elif len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) == 2 and part.isalpha():
            out.append(part.upper())
        else:
            out.append(part)
    return "-".join(out)


@functools.lru_cache(maxsize=256)
def direction(tag: str) -> str:
    """ "rtl" for a language written from right to left, else "ltr": from the tag's script
    subtag when it has one ("az-Arab", "ks-Deva"), else from its language ("ar", "he-IL")."""
    parts = tag.strip().replace("_", "-").lower().split("-")
    script = next((p for p in parts[1:4] if len(p) == 4 and p.isalpha()), "")
    if script:
        return "rtl" if script in RTL_SCRIPTS else "ltr"
    return "rtl" if parts[0] in RTL_LANGUAGES else "ltr"


def normalise(language: str) -> str:
    """The BCP 47 spelling used in ``<html lang>``: ``fr-BE`` for ``fr_be``."""
    base, region = split_language(language)
    return f"{base}-{region}" if region else base


def candidates(language: str) -> list[str]:
    """Catalog names to try, most specific first: ``["fr_BE", "fr"]`` for ``fr-BE``."""
    base, region = split_language(language)
    return [f"{base}_{region}", base] if region else [base]


@functools.lru_cache(maxsize=1)
def shipped_languages() -> tuple[str, ...]:
    """The languages of the interface: English and every shipped catalog."""
    found = {SOURCE_LANGUAGE}
    folder = locales_dir()
    if folder.is_dir():
        found.update(p.name for p in folder.iterdir() if (p / "LC_MESSAGES" / f"{DOMAIN}.po").is_file())
    return tuple(sorted(found))


def shipped_catalog(name: str) -> Path:
    return locales_dir() / name / "LC_MESSAGES" / f"{DOMAIN}.po"


def portfolio_catalogs(root: Path, language: str, problems: Problems | None = None) -> list[Path]:
    """The portfolio's own catalogs for ``language``, most specific first; a catalog
    behind a symbolic link leading outside the portfolio is left out (and reported)."""
    folder = root / PORTFOLIO_LOCALES
    if not folder.is_dir():
        return []
    found = []
    for name in candidates(language):
        for spelling in dict.fromkeys((name, name.replace("_", "-"))):
            path = folder / f"{spelling}.po"
            if path not in found and confined(root, path, problems) and path.is_file():
                found.append(path)
    return found


def unknown_language(language: str, root: Path) -> str | None:
    """Why the interface will stay in English for ``language``, or None when it is translated."""
    base, _ = split_language(language)
    if base == SOURCE_LANGUAGE:
        return None
    if any(n in shipped_languages() for n in candidates(language)) or portfolio_catalogs(root, language):
        return None
    choices = shipped_languages()
    hint = f" (did you mean '{_ALIASES[base]}'?)" if base in _ALIASES else did_you_mean(base, choices)
    return (
        f"no translation for '{language}'; the interface stays in English{hint}. "
        f"Available: {', '.join(choices)}; add {PORTFOLIO_LOCALES}/{base}.po to translate it yourself"
    )


@functools.lru_cache(maxsize=32)
def _compiled(path: str, _mtime_ns: int, _size: int) -> bytes:
    """The ``.mo`` bytes of the catalog at ``path`` (cached while the file is unchanged)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with open(path, "rb") as handle:
        catalog = read_po(handle, abort_invalid=True)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def _load(path: Path, problems: Problems | None) -> gettext.GNUTranslations | None:
    from babel.messages.pofile import PoFileError

    record(path)
    stat = path.stat()
    try:
        data = _compiled(str(path), stat.st_mtime_ns, stat.st_size)
    except PoFileError as exc:
        if problems is None:
            raise
        message = re.sub(r" on \d+$", "", str(exc))  # Babel counts lines from 0
        problems.error(path, getattr(exc, "lineno", 0) + 1, f"translation catalog: {message}")
        return None
    except (UnicodeDecodeError, ValueError) as exc:
        if problems is None:
            raise
        problems.error(path, 1, f"translation catalog cannot be read: {exc}")
        return None
    return gettext.GNUTranslations(io.BytesIO(data))


def translations(
    language: str, root: Path | None = None, problems: Problems | None = None
) -> gettext.NullTranslations:
    """The interface strings for ``language``: the portfolio's catalogs, then the shipped
    ones, most specific first, then the English text itself."""
    paths = portfolio_catalogs(root, language, problems) if root is not None else []
    paths += [
        shipped_catalog(n)
        for n in candidates(language)
        if n != SOURCE_LANGUAGE and shipped_catalog(n).is_file()
    ]
    chain: gettext.NullTranslations | None = None
    for path in paths:
        loaded = _load(path, problems)
        if loaded is None:
            continue
        if chain is None:
            chain = loaded
        else:
            chain.add_fallback(loaded)
    return chain if chain is not None else gettext.NullTranslations()


def babel_locale(language: str):
    """The Babel locale for dates: ``en_GB`` for plain ``en``; English for a language
    Babel does not know."""
    from babel import Locale, UnknownLocaleError

    base, region = split_language(language)
    if base == SOURCE_LANGUAGE and not region:
        return Locale.parse(ENGLISH_DATES)
    for name in candidates(language):
        try:
            return Locale.parse(name)
        except (UnknownLocaleError, ValueError):
            continue
    return Locale.parse(ENGLISH_DATES)


class DateFormatter:
    """Dates in the portfolio's language, the patterns chosen once per build.

    Styles: ``long`` (14 March 2026), ``month`` (March 2026), ``month-name`` (March, as
    a heading: capitalised), ``short`` (day and abbreviated month: 14 Mar), ``medium``
    (14 Mar 2026) and ``iso`` (2026-03-14).
    """

    SKELETONS = {"month": "yMMMM", "short": "MMMd", "medium": "yMMMd"}

    def __init__(self, language: str):
        from babel.dates import match_skeleton

        self.locale = babel_locale(language)
        self.formatted: dict[tuple, str] = {}
        skeletons = self.locale.datetime_skeletons
        self.patterns = {"long": self.locale.date_formats["long"].pattern, "month-name": "LLLL"}
        for style, skeleton in self.SKELETONS.items():
            best = match_skeleton(skeleton, skeletons)
            self.patterns[style] = skeletons[best].pattern if best else "d MMM y"

    def __call__(self, value, style: str = "long") -> str:
        import datetime as dt

        if value is None:
            return ""
        day = value.date() if isinstance(value, dt.datetime) else value
        if style == "iso":
            return day.isoformat()
        known = self.formatted.get((day, style))
        if known is None:  # the same dates show on many pages: each is formatted once
            from babel.dates import format_date

            pattern = self.patterns.get(style, self.patterns["long"])
            known = format_date(day, pattern, locale=self.locale)
            if style == "month-name":  # "mars", "maaliskuu": a heading starts with a capital
                known = known[:1].upper() + known[1:]
            self.formatted[(day, style)] = known
        return known
