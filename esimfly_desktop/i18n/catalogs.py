"""Load gettext catalogs and keep the operator's active language."""

from __future__ import annotations

import gettext
import logging
from functools import lru_cache

from esimfly_desktop.i18n.pseudo import PSEUDO_LANGUAGE, PseudoTranslations
from esimfly_desktop.resource_files import translations_dir

DOMAIN = "esimfly_desktop"
SOURCE_LANGUAGE = "en"

log = logging.getLogger(__name__)

_active: gettext.NullTranslations = gettext.NullTranslations()
_active_language = SOURCE_LANGUAGE


@lru_cache(maxsize=16)
def translator_for(language: str) -> gettext.NullTranslations:
    """Return the catalog for a language code such as ``ar`` or ``es_MX``.

    English, and a language without a shipped catalog, get the source text;
    ``pseudo`` gets the pseudo-translation that tests use to check layouts.
    """
    if language == PSEUDO_LANGUAGE:
        return PseudoTranslations()
    if language.split("_")[0] == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    try:
        return gettext.translation(DOMAIN, localedir=str(translations_dir()), languages=[language])
    except (FileNotFoundError, OSError):
        log.info("No translation catalog for %s; using English text", language)
        return gettext.NullTranslations()


def set_language(language: str) -> None:
    """Make ``language`` the operator's language for every later ``_`` call."""
    global _active, _active_language
    _active = translator_for(language)
    _active_language = language
    log.info("Operator language set to %s", language)


def current_language() -> str:
    """Return the operator's language code."""
    return _active_language


def _(message: str) -> str:
    return _active.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return _active.ngettext(singular, plural, count)


class LazyString:
    """A message translated on each use, for constants defined at import time."""

    __slots__ = ("_message",)

    def __init__(self, message: str) -> None:
        self._message = message

    def __str__(self) -> str:
        return _(self._message)

    def __repr__(self) -> str:
        return f"LazyString({self._message!r})"

    def format(self, *args: object, **kwargs: object) -> str:
        return str(self).format(*args, **kwargs)

    @property
    def source(self) -> str:
        """The untranslated English text."""
        return self._message

    def in_language(self, language: str) -> str:
        """Translate into ``language`` instead of the operator's (the customer display)."""
        return translator_for(language).gettext(self._message)


def N_(message: str) -> LazyString:
    return LazyString(message)
