"""System locale detection, English fallback, languages and text direction."""

from __future__ import annotations

import logging

import pytest

from esimfly_desktop.i18n.locale import (
    LANGUAGES,
    TextDirection,
    clean_locale_name,
    detect_system_language,
    is_right_to_left,
    language_by_code,
    resolve_locale,
    system_locale_name,
    text_direction,
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("fr_FR.UTF-8", "fr_FR"),
        ("es-MX", "es_MX"),
        ("ar_IQ.UTF-8@latin", "ar_IQ"),
        ("en", "en"),
    ],
)
def test_locale_names_parsed(name: str, expected: str) -> None:
    assert str(resolve_locale(name)) == expected


@pytest.mark.parametrize("name", ["C", "POSIX", "C.UTF-8", "", None, "xx_YY", "klingon", "12_34"])
def test_unknown_locale_falls_back_to_english(name: str | None, caplog) -> None:
    resolve_locale.cache_clear()

    with caplog.at_level(logging.INFO, logger="esimfly_desktop.i18n.locale"):
        locale = resolve_locale(name)

    assert str(locale) == "en"
    assert caplog.records, "the fallback must be logged"


def test_unknown_region_keeps_language() -> None:
    assert resolve_locale("es_ZZ.UTF-8").language == "es"
    assert resolve_locale("ar_XY").language == "ar"


def test_clean_locale_name() -> None:
    assert clean_locale_name("de_DE.ISO8859-1@euro") == "de_DE"


def test_system_locale_from_environment(monkeypatch) -> None:
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "es_MX.UTF-8")
    monkeypatch.setenv("LANGUAGE", "fr:en")

    assert system_locale_name() == "es_MX.UTF-8"

    monkeypatch.setenv("LC_ALL", "ar_IQ.UTF-8")

    assert system_locale_name() == "ar_IQ.UTF-8"


def test_detect_system_language(monkeypatch) -> None:
    for variable in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(variable, raising=False)

    monkeypatch.setenv("LANG", "ar_IQ.UTF-8")
    assert detect_system_language().code == "ar"

    monkeypatch.setenv("LANG", "C")
    assert detect_system_language().code == "en"

    assert detect_system_language("de_DE").code == "en"
    assert detect_system_language("fr_CA").code == "fr"


def test_languages_with_native_names() -> None:
    names = {language.code: language.native_name for language in LANGUAGES}

    assert names == {"en": "English", "ar": "العربية", "es": "Español", "fr": "Français"}


def test_language_by_code() -> None:
    assert language_by_code("es_MX").code == "es"
    with pytest.raises(KeyError):
        language_by_code("de")


def test_text_direction() -> None:
    assert text_direction("ar") is TextDirection.RIGHT_TO_LEFT
    assert text_direction("ar_IQ") is TextDirection.RIGHT_TO_LEFT
    assert text_direction("he") is TextDirection.RIGHT_TO_LEFT
    assert text_direction("fr") is TextDirection.LEFT_TO_RIGHT
    assert text_direction("xx") is TextDirection.LEFT_TO_RIGHT
    assert is_right_to_left("pseudo")
    assert language_by_code("ar").is_right_to_left
    assert not language_by_code("es").is_right_to_left
