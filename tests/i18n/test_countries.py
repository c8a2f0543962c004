"""Country and region names from CLDR and the accent-folding search."""

from __future__ import annotations

import pytest

from esimfly_desktop.i18n import set_language
from esimfly_desktop.i18n.countries import (
    countries_text,
    country_name,
    find_countries,
    normalize_for_search,
    package_region_name,
    region_name,
)


@pytest.fixture(autouse=True)
def english_operator():
    set_language("en")
    yield
    set_language("en")


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("en", "Japan"), ("es", "Japón"), ("fr", "Japon"), ("ar", "اليابان")],
)
def test_country_name_per_locale(locale: str, expected: str) -> None:
    assert country_name("JP", locale=locale) == expected


def test_country_name_fallbacks() -> None:
    assert country_name("jp", locale="xx") == "Japan"
    assert country_name("QQ", locale="fr") == "QQ"


def test_country_name_follows_operator() -> None:
    set_language("es")

    assert country_name("DE") == "Alemania"


@pytest.mark.parametrize(
    ("query", "locale"),
    [
        ("Japón", "es"),
        ("japon", "es"),
        ("JAPÓN", "es"),
        ("Japan", "es"),
        ("japon", "fr"),
        ("اليابان", "ar"),
        ("JP", "en"),
        ("jap", "en"),
    ],
)
def test_search_finds_japan(query: str, locale: str) -> None:
    assert "JP" in find_countries(query, locale=locale)


def test_search_ranks_earlier_match_first() -> None:
    matches = find_countries("united", locale="en")

    assert matches[:3] == ["AE", "GB", "US"]


def test_search_empty_query() -> None:
    assert find_countries("   ", locale="es") == []


def test_arabic_variants_fold() -> None:
    # "الإمارات" with hamza below and "الامارات" without are typed interchangeably.
    assert "AE" in find_countries("الامارات", locale="ar")
    assert normalize_for_search("إسبانيا") == normalize_for_search("اسبانيا")
    assert normalize_for_search("مُصْر") == "مصر"


def test_normalize_folds_case_accents_space() -> None:
    assert normalize_for_search("  Côte   d’Ivoire ") == "cote d’ivoire"
    assert normalize_for_search("ÉTATS-UNIS") == "etats-unis"


@pytest.mark.parametrize(
    ("name", "locale", "expected"),
    [
        ("Europe", "es", "Europa"),
        ("Asia", "fr", "Asie"),
        ("Global", "ar", "العالم"),
        ("europe", "fr", "Europe"),
        ("Atlantis", "fr", "Atlantis"),
    ],
)
def test_region_names(name: str, locale: str, expected: str) -> None:
    assert region_name(name, locale=locale) == expected


def test_region_from_catalog() -> None:
    set_language("fr")

    assert region_name("Middle East") == "Moyen-Orient"


def test_countries_text_as_list() -> None:
    assert countries_text(["JP", "FR", "ES"], locale="es") == "España, Francia y Japón"
    assert countries_text(["JP", "FR", "ES"], locale="en") == "France, Japan, and Spain"
    assert countries_text([], locale="en") == ""


@pytest.mark.parametrize(
    ("region", "countries", "language", "expected"),
    [
        ("Japan", ("JP",), "es", "Japón"),
        ("Japan", ("JP",), "ar", "اليابان"),
        ("Japan", ("JP",), "en", "Japan"),
        ("Europe", ("FR", "DE"), "fr", "Europe"),
        ("Somewhere New", ("JP",), "es", "Somewhere New"),
    ],
)
def test_package_region_name_localized(
    region: str, countries: tuple[str, ...], language: str, expected: str
) -> None:
    assert package_region_name(region, countries, locale=language) == expected
