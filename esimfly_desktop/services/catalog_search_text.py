"""Text the catalog search compares: accent-folded words and CLDR country names.

Both the package text and the operator's query go through :func:`fold`, so
"japon", "JAPÓN" and "Japón" all match the Spanish name of Japan, and an
Arabic query matches with or without hamza, diacritics or ta marbuta. The
folding rules are those of ``esimfly_desktop.i18n.countries``, with a fast
path for ASCII text.
"""

from __future__ import annotations

import logging
from functools import cache

from babel import Locale, UnknownLocaleError

from esimfly_desktop.i18n.countries import normalize_for_search, region_name

log = logging.getLogger(__name__)

ENGLISH = "en"

# Joins the parts of a package's search text. A query is split on whitespace,
# so no query token contains this character and no match spans two parts.
PART_SEPARATOR = "\x1f"


def fold(text: str) -> str:
    """Return ``text`` case-folded, without accents, with Arabic letter variants folded."""
    if text.isascii():
        return text.lower()
    return normalize_for_search(text)


def query_tokens(text: str) -> tuple[str, ...]:
    """Split a search box entry into folded tokens that must all match."""
    return tuple(fold(text).split())


@cache
def territory_names(language: str) -> dict[str, str]:
    """Return CLDR territory names by code (``JP``, ``150``) in ``language``.

    A language that Babel does not know gets the English names, with a log line.
    """
    try:
        locale = Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        log.warning("No CLDR data for language %r; searching English country names", language)
        locale = Locale.parse(ENGLISH)
    return dict(locale.territories)


@cache
def country_search_text(language: str) -> dict[str, str]:
    """Return, per ISO 3166-1 code, the folded search text for that country.

    The text contains the code itself and the country's names in English and in
    ``language``, joined by :data:`PART_SEPARATOR`.
    """
    english = territory_names(ENGLISH)
    local = territory_names(language)

    texts: dict[str, str] = {}
    for code, english_name in english.items():
        if not code.isalpha():
            continue  # numeric codes are continents and regions, not countries
        names = dict.fromkeys([code.lower(), fold(english_name), fold(local.get(code, ""))])
        texts[code] = PART_SEPARATOR.join(name for name in names if name)
    return texts


@cache
def region_display_names(language: str) -> dict[str, str]:
    """Map folded English CLDR territory and region names to their name in ``language``.

    The service sends a package's region as an English display name ("Europe",
    "Japan"). This map lets the console show and search it in the operator's
    language.
    """
    english = territory_names(ENGLISH)
    local = territory_names(language)
    return {fold(name): local.get(code, name) for code, name in english.items()}


@cache
def localized_region(region: str, language: str) -> str:
    """Return the region's name in ``language``, or ``region`` itself when none is known.

    Regions such as "Europe" and "Middle East" come from the i18n module's
    table. A local package's region is a country's English name, found in CLDR.
    """
    # NOTE: region_name translates the regions CLDR lacks ("Middle East") into
    # the operator's current language, whatever ``language`` is.
    named = region_name(region, locale=language)
    if named != region:
        return named
    return region_display_names(language).get(fold(region), region)


__all__ = [
    "PART_SEPARATOR",
    "country_search_text",
    "fold",
    "localized_region",
    "query_tokens",
    "region_display_names",
    "territory_names",
]
