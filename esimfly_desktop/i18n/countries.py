"""Country and region names from CLDR, and a search that ignores accents.

The service names countries by ISO 3166-1 alpha-2 code and regions by an
English display name ("Europe", "Asia"). Both are shown in the operator's
language from Babel's CLDR data, with the English name when CLDR has no
translation, and the code itself as the last resort.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

from babel import Locale
from babel.lists import format_list

from esimfly_desktop.i18n.catalogs import N_, LazyString
from esimfly_desktop.i18n.formatting import LocaleLike, babel_locale

_ENGLISH = Locale.parse("en")

# CLDR territory codes (UN M.49) for the region names the service uses.
REGION_TERRITORIES: dict[str, str] = {
    "global": "001",
    "world": "001",
    "africa": "002",
    "north america": "003",
    "south america": "005",
    "oceania": "009",
    "central america": "013",
    "americas": "019",
    "caribbean": "029",
    "asia": "142",
    "europe": "150",
    "latin america": "419",
    "european union": "EU",
}

# Regions CLDR does not name; translated through the catalogs instead.
_CATALOG_REGIONS: dict[str, LazyString] = {
    "middle east": N_("Middle East"),
    "middle east and north africa": N_("Middle East and North Africa"),
    "asia pacific": N_("Asia Pacific"),
    "gulf": N_("Gulf States"),
    "balkans": N_("Balkans"),
    "scandinavia": N_("Scandinavia"),
}

# Arabic letters that people type interchangeably when searching.
_ARABIC_FOLDS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        "ؤ": "و",
        "ئ": "ي",
        "ـ": None,
    }
)


def normalize_for_search(text: str) -> str:
    """Fold ``text`` so that "Japón", "JAPON" and "japon" compare equal.

    Case-folds, removes accents and Arabic vowel marks (every combining
    mark after NFKD decomposition), folds Arabic letter variants (alef forms,
    alef maqsura, ta marbuta) and collapses white space.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    without_marks = "".join(
        character for character in decomposed if not unicodedata.combining(character)
    )
    folded = without_marks.translate(_ARABIC_FOLDS)
    return " ".join(folded.split())


def is_country_code(code: str) -> bool:
    return len(code) == 2 and code.isascii() and code.isalpha()


def country_name(code: str, *, locale: LocaleLike = None) -> str:
    """Return the name of an ISO 3166-1 alpha-2 country in the locale's language.

    Falls back to the English name, then to the code as given.
    """
    key = code.strip().upper()
    translated = babel_locale(locale).territories.get(key)
    if translated:
        return translated
    return _ENGLISH.territories.get(key, code)


def region_name(name: str, *, locale: LocaleLike = None) -> str:
    """Return a region the service names in English ("Europe") in the locale's language.

    A region neither CLDR nor the catalogs know is shown as the service sent it.
    """
    key = normalize_for_search(name)
    territory = REGION_TERRITORIES.get(key)
    if territory is not None:
        return babel_locale(locale).territories.get(territory) or name
    if key in _CATALOG_REGIONS:
        return str(_CATALOG_REGIONS[key])
    return name


def package_region_name(region: str, countries: Sequence[str], *, locale: LocaleLike = None) -> str:
    """Return a package's region in the locale's language.

    A one-country package whose region is that country's English name shows
    the country's name; any other region goes through ``region_name``.
    """
    language = str(babel_locale(locale))
    only_country = countries[0] if len(countries) == 1 else None
    return _package_region_name(region, only_country, language)


@lru_cache(maxsize=4096)
def _package_region_name(region: str, only_country: str | None, language: str) -> str:
    # Cached because the catalog table computes it for every row it shows.
    if only_country is not None:
        english = country_name(only_country, locale="en")
        if normalize_for_search(region) == normalize_for_search(english):
            return country_name(only_country, locale=language)
    return region_name(region, locale=language)


# Two-letter CLDR codes that are not countries.
_NOT_COUNTRIES = frozenset({"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB"})


@lru_cache(maxsize=8)
def _country_search_index(locale_name: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    # (code, folded names) for every ISO country; the operator's language and
    # English both match, so staff can type either.
    localized = Locale.parse(locale_name).territories
    index = []
    for code, english in _ENGLISH.territories.items():
        if not is_country_code(code) or code in _NOT_COUNTRIES:
            continue
        names = (localized.get(code, english), english)
        index.append((code, tuple(normalize_for_search(name) for name in names)))
    return tuple(index)


def find_countries(query: str, *, locale: LocaleLike = None) -> list[str]:
    """Return the codes of the countries whose name contains ``query``.

    Matches names in the locale's language and in English, ignoring case and
    accents ("japon" finds JP in Spanish). An exact two-letter code matches
    too. Codes come back sorted by how early the match starts, then by code.
    """
    needle = normalize_for_search(query)
    if not needle:
        return []

    resolved = babel_locale(locale)
    matches: list[tuple[int, str]] = []
    for code, names in _country_search_index(str(resolved)):
        if needle == code.casefold():
            matches.append((-1, code))
            continue
        positions = [name.find(needle) for name in names if needle in name]
        if positions:
            matches.append((min(positions), code))
    return [code for _position, code in sorted(matches)]


def countries_text(codes: Iterable[str], *, locale: LocaleLike = None) -> str:
    """Join country names as the locale writes a list ("France, Spain, and Japan").

    Names are sorted ignoring case and accents, which is close to, but not
    exactly, each language's dictionary order.
    """
    resolved = babel_locale(locale)
    names = sorted(
        (country_name(code, locale=resolved) for code in codes), key=normalize_for_search
    )
    if not names:
        return ""
    return format_list(names, style="standard", locale=resolved)
