"""Money, sizes and times for the sale screens, in the operator's language.

The sale screens call these names; they delegate to ``esimfly_desktop.i18n.formatting``.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from esimfly_desktop.i18n import formatting


def format_money(amount: Decimal, currency: str, language: str | None = None) -> str:
    """Format ``amount`` with the currency's own digits (IQD none, USD and EUR two)."""
    return formatting.format_money(amount, currency, locale=language)


def format_data_size(size_bytes: int | None, *, unlimited: bool = False) -> str:
    """Format a data allowance in GB (or MB below one GB)."""
    return formatting.format_data_size(size_bytes, unlimited=unlimited)


def format_time(moment: datetime, language: str | None = None) -> str:
    """Format a date and time in the local time zone, short form."""
    return formatting.format_datetime(moment, "short", locale=language)


def format_clock(moment: datetime) -> str:
    """Format a time of day with seconds, for step timings."""
    return formatting.format_time(moment, "medium")
