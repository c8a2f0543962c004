"""Money, numbers and times formatted with Babel in the operator's language."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_datetime
from babel.numbers import format_currency, format_decimal

from esimfly_desktop.i18n import current_language


def _locale() -> Locale:
    return _parse_locale(current_language())


@lru_cache(maxsize=16)
def _parse_locale(language: str) -> Locale:
    try:
        return Locale.parse(language)
    except (ValueError, UnknownLocaleError):
        return Locale.parse("en")


def money(amount: Decimal, currency: str) -> str:
    """Format an amount in major units, such as ``$1,234.50`` or ``IQD 12,000``."""
    return format_currency(amount, currency, locale=_locale())


def number(value: Decimal | int) -> str:
    return format_decimal(value, locale=_locale())


def short_time(moment: datetime) -> str:
    """Format a local date and time for "as of" labels."""
    return format_datetime(moment.astimezone(), format="short", locale=_locale())
