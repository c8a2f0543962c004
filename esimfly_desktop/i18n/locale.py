"""The system locale, the console's languages and their text direction.

A locale name comes from the environment, from Qt or from the settings. Any
name Babel cannot parse, and the ``C``/``POSIX`` locales, fall back to English
with a log line: a strange locale never stops the console from starting.
"""

from __future__ import annotations

import locale as stdlib_locale
import logging
import os
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from babel import Locale, UnknownLocaleError

from esimfly_desktop.i18n.pseudo import PSEUDO_LANGUAGE

log = logging.getLogger(__name__)

FALLBACK_LOCALE = "en"

# Tried in the order gettext uses; LANGUAGE may hold a colon-separated list.
_LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")

_NEUTRAL_NAMES = {"", "c", "posix", "c.utf-8", "c.utf8"}


class TextDirection(Enum):
    LEFT_TO_RIGHT = "ltr"
    RIGHT_TO_LEFT = "rtl"


@dataclass(frozen=True)
class Language:
    """A language the console ships a catalog for."""

    code: str
    english_name: str
    native_name: str
    direction: TextDirection

    @property
    def is_right_to_left(self) -> bool:
        return self.direction is TextDirection.RIGHT_TO_LEFT


LANGUAGES: tuple[Language, ...] = (
    Language("en", "English", "English", TextDirection.LEFT_TO_RIGHT),
    Language("ar", "Arabic", "العربية", TextDirection.RIGHT_TO_LEFT),
    Language("es", "Spanish", "Español", TextDirection.LEFT_TO_RIGHT),
    Language("fr", "French", "Français", TextDirection.LEFT_TO_RIGHT),
)

_LANGUAGES_BY_CODE = {language.code: language for language in LANGUAGES}


def clean_locale_name(name: str) -> str:
    """Drop the encoding and modifier of a POSIX name: ``es_MX.UTF-8@euro`` -> ``es_MX``."""
    return name.split(".")[0].split("@")[0].replace("-", "_").strip()


@lru_cache(maxsize=64)
def resolve_locale(name: str | None) -> Locale:
    """Return the Babel locale for ``name``, or English when Babel does not know it.

    Accepts POSIX names (``fr_FR.UTF-8``), BCP 47 tags (``es-MX``) and bare
    language codes. A known language in an unknown region (``es_ZZ``) gives
    the language alone; ``None``, ``C``, ``POSIX`` and unknown languages give
    English.
    """
    raw = name or ""
    if raw.strip().lower() in _NEUTRAL_NAMES:
        log.info("System locale %r names no language; using English", raw)
        return Locale.parse(FALLBACK_LOCALE)

    cleaned = clean_locale_name(raw)
    if cleaned == PSEUDO_LANGUAGE:
        return Locale.parse(FALLBACK_LOCALE)

    try:
        return Locale.parse(cleaned, sep="_")
    except (UnknownLocaleError, ValueError, TypeError) as error:
        language = cleaned.split("_")[0]
        try:
            fallback = Locale.parse(language)
        except (UnknownLocaleError, ValueError, TypeError):
            fallback = Locale.parse(FALLBACK_LOCALE)
        log.warning("Locale %r is unknown to Babel (%s); using %s", raw, error, fallback)
        return fallback


def system_locale_name() -> str:
    """Return the locale name the environment asks for, or ``""`` when it names none.

    Reads the POSIX variables first, then the C library's current locale.
    On Windows and macOS, where those are often unset, the console passes
    Qt's ``QLocale.system().name()`` to :func:`resolve_locale` instead.
    """
    for variable in _LOCALE_VARIABLES:
        value = os.environ.get(variable, "")
        first = value.split(":")[0].strip()
        if first:
            return first

    try:
        name, _encoding = stdlib_locale.getlocale()
    except ValueError as error:
        log.warning("The C library locale cannot be read (%s); using English", error)
        return ""
    return name or ""


def language_for_locale(locale: Locale) -> Language:
    """Return the shipped language that fits ``locale`` best, English when none does."""
    return _LANGUAGES_BY_CODE.get(locale.language, _LANGUAGES_BY_CODE[FALLBACK_LOCALE])


def detect_system_language(name: str | None = None) -> Language:
    """Return the shipped language for the system locale (or for ``name`` when given)."""
    locale = resolve_locale(name if name is not None else system_locale_name())
    language = language_for_locale(locale)
    log.info("System locale %s gives the %s interface", locale, language.english_name)
    return language


def language_by_code(code: str) -> Language:
    """Return the shipped language for a code such as ``ar`` or ``es_MX``.

    Raises ``KeyError`` for a language the console has no catalog for.
    """
    return _LANGUAGES_BY_CODE[clean_locale_name(code).split("_")[0]]


def text_direction(language_code: str) -> TextDirection:
    """Return the direction a language is written in, from CLDR.

    Works for any language Babel knows, not only the shipped ones; an
    unknown code reads left to right.
    """
    if language_code == PSEUDO_LANGUAGE:
        return TextDirection.RIGHT_TO_LEFT
    locale = resolve_locale(language_code)
    if locale.text_direction == "rtl":
        return TextDirection.RIGHT_TO_LEFT
    return TextDirection.LEFT_TO_RIGHT


def is_right_to_left(language_code: str) -> bool:
    return text_direction(language_code) is TextDirection.RIGHT_TO_LEFT
