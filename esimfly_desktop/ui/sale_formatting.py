"""Money, sizes and times for the sale screens, in the operator's language.

A thin adapter over Babel until the shared formatting module covers these.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from babel import Locale, UnknownLocaleError
from babel.dates import format_datetime
from babel.numbers import format_currency, format_decimal

from esimfly_desktop.i18n import _, current_language

BYTES_PER_GB = 1024**3
BYTES_PER_MB = 1024**2


def _locale(language: str | None = None) -> Locale:
    try:
        return Locale.parse(language or current_language())
    except (UnknownLocaleError, ValueError):
        return Locale("en")


def format_money(amount: Decimal, currency: str, language: str | None = None) -> str:
    """Format ``amount`` with the currency's own digits (IQD none, USD and EUR two)."""
    return format_currency(amount, currency, locale=_locale(language))


def format_data_size(size_bytes: int | None, *, unlimited: bool = False) -> str:
    """Format a data allowance in GB (or MB below one GB)."""
    if unlimited:
        return _("Unlimited")
    if size_bytes is None:
        return "—"
    if size_bytes >= BYTES_PER_GB:
        amount = format_decimal(Decimal(size_bytes) / BYTES_PER_GB, "#,##0.##", locale=_locale())
        return _("{amount} GB").format(amount=amount)
    amount = format_decimal(Decimal(size_bytes) / BYTES_PER_MB, "#,##0", locale=_locale())
    return _("{amount} MB").format(amount=amount)


def format_time(moment: datetime, language: str | None = None) -> str:
    """Format a date and time in the local time zone, short form."""
    return format_datetime(moment.astimezone(), "short", locale=_locale(language))


def format_clock(moment: datetime) -> str:
    """Format a time of day with seconds, for step timings."""
    return format_datetime(moment.astimezone(), "HH:mm:ss", locale=_locale())
