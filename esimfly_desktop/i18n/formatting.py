"""Money, numbers, dates, times and data sizes in the operator's locale, through Babel.

Every function takes an optional ``locale``: a Babel ``Locale`` or a name such
as ``ar`` or ``es_MX``. The customer display passes its own language there.
Without one, the operator's language from :func:`set_language` is used.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from babel import units as babel_units

from esimfly_desktop.i18n.catalogs import _, current_language
from esimfly_desktop.i18n.locale import resolve_locale

LocaleLike = Locale | str | None

BYTES_PER_MB = 1024**2
BYTES_PER_GB = 1024**3

# Under this age a relative time reads "just now" instead of "0 minutes ago".
JUST_NOW_S = 45


def babel_locale(locale: LocaleLike = None) -> Locale:
    """Return the Babel locale for ``locale``, or for the operator's language when ``None``."""
    if isinstance(locale, Locale):
        return locale
    return resolve_locale(locale or current_language())


def format_money(amount: Decimal, currency: str, *, locale: LocaleLike = None) -> str:
    """Format ``amount`` with the currency's own digits: IQD none, USD and EUR two.

    Digits beyond the currency's are shown, never rounded away, so a charge is
    displayed exactly as the service reported it. Raises ``TypeError`` for a
    float, because money never passes through binary floating point.
    """
    if isinstance(amount, float):
        raise TypeError("money must be a Decimal, not a float")

    return babel_numbers.format_currency(
        Decimal(amount),
        currency,
        locale=babel_locale(locale),
        currency_digits=True,
        decimal_quantization=False,
    )


def currency_digits(currency: str) -> int:
    """Return how many decimal places ``currency`` uses (ISO 4217, from CLDR)."""
    return babel_numbers.get_currency_precision(currency)


def currency_symbol(currency: str, *, locale: LocaleLike = None) -> str:
    return babel_numbers.get_currency_symbol(currency, locale=babel_locale(locale))


def format_number(value: int | Decimal, *, locale: LocaleLike = None) -> str:
    """Format a count or a decimal with the locale's grouping and decimal sign."""
    if isinstance(value, float):
        raise TypeError("format a Decimal or an int, not a float")
    return babel_numbers.format_decimal(value, locale=babel_locale(locale))


def format_percent(fraction: Decimal, *, locale: LocaleLike = None) -> str:
    """Format ``fraction`` (``Decimal("0.25")`` is 25%) as a percentage."""
    return babel_numbers.format_percent(fraction, locale=babel_locale(locale))


def _local(moment: datetime, zone: tzinfo | None) -> datetime:
    # The service sends UTC; staff read their own wall clock. A naive value
    # is taken to be UTC, the way the API and the database store times.
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone)


def format_date(
    value: date | datetime,
    length: str = "medium",
    *,
    tz: tzinfo | None = None,
    locale: LocaleLike = None,
) -> str:
    """Format a date; ``length`` is ``short``, ``medium``, ``long`` or ``full``.

    A ``datetime`` is first converted to ``tz`` (default: the computer's zone).
    """
    if isinstance(value, datetime):
        value = _local(value, tz).date()
    return babel_dates.format_date(value, length, locale=babel_locale(locale))


def format_time(
    value: time | datetime,
    length: str = "short",
    *,
    tz: tzinfo | None = None,
    locale: LocaleLike = None,
) -> str:
    """Format a time of day; a ``datetime`` is shown in ``tz`` (default: local)."""
    if isinstance(value, datetime):
        value = _local(value, tz)
    return babel_dates.format_time(value, length, locale=babel_locale(locale))


def format_datetime(
    value: datetime,
    length: str = "medium",
    *,
    tz: tzinfo | None = None,
    locale: LocaleLike = None,
) -> str:
    """Format a date and time in ``tz`` (default: the computer's zone)."""
    local_value = _local(value, tz)
    return babel_dates.format_datetime(
        local_value, length, tzinfo=local_value.tzinfo, locale=babel_locale(locale)
    )


def format_relative_time(
    moment: datetime,
    *,
    now: datetime | None = None,
    locale: LocaleLike = None,
) -> str:
    """Format how long ago (or how soon) ``moment`` is: "3 minutes ago", "in 2 hours"."""
    current = now or datetime.now(UTC)
    delta = _local(moment, UTC) - _local(current, UTC)
    if abs(delta) < timedelta(seconds=JUST_NOW_S):
        return _("just now")

    return babel_dates.format_timedelta(
        delta, granularity="second", add_direction=True, locale=babel_locale(locale)
    )


def format_duration(seconds: int | Decimal, *, locale: LocaleLike = None) -> str:
    """Format a waiting time such as "30 seconds" or "2 minutes", without direction."""
    return babel_dates.format_timedelta(
        timedelta(seconds=float(seconds)), granularity="second", locale=babel_locale(locale)
    )


def format_days(days: int, *, locale: LocaleLike = None) -> str:
    """Format a validity period: "7 days", "7 jours", "7 أيام", as CLDR spells it."""
    return babel_units.format_unit(days, "duration-day", length="long", locale=babel_locale(locale))


def format_data_amount_gb(
    gigabytes: Decimal | None, *, unlimited: bool = False, locale: LocaleLike = None
) -> str:
    """Format a package's allowance given in GB; below 1 GB it is shown in MB.

    An unlimited package shows "Unlimited" whatever amount the service sent.
    """
    if unlimited:
        return _("Unlimited")
    if gigabytes is None:
        return "—"
    return format_data_size(int(Decimal(gigabytes) * BYTES_PER_GB), locale=locale)


def format_data_size(
    size_bytes: int | None, *, unlimited: bool = False, locale: LocaleLike = None
) -> str:
    """Format a byte count in GB, or in MB below one GB.

    Sizes are binary (1 GB = 1024 MB = 1024³ bytes), the unit eSIM networks
    count allowances in. Up to two decimals are shown, trailing zeros dropped.
    """
    if unlimited:
        return _("Unlimited")
    if size_bytes is None:
        return "—"

    resolved = babel_locale(locale)
    if size_bytes >= BYTES_PER_GB:
        amount = (Decimal(size_bytes) / BYTES_PER_GB).quantize(Decimal("0.01"))
        unit = "digital-gigabyte"
    else:
        amount = (Decimal(size_bytes) / BYTES_PER_MB).quantize(Decimal("1"))
        unit = "digital-megabyte"
    return babel_units.format_unit(amount, unit, length="short", format="#,##0.##", locale=resolved)
