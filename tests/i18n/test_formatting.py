"""Money, dates, relative times and sizes in English, Arabic, Spanish and French."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from esimfly_desktop.i18n import set_language
from esimfly_desktop.i18n.bidi import strip_isolates
from esimfly_desktop.i18n.formatting import (
    currency_digits,
    format_data_amount_gb,
    format_data_size,
    format_date,
    format_datetime,
    format_days,
    format_money,
    format_number,
    format_relative_time,
    format_time,
)

NBSP = "\xa0"
NNBSP = "\u202f"
RLM = "\u200f"

MONEY_CASES = [
    ("en", "USD", "1234.5", "$1,234.50"),
    ("en", "EUR", "1234.5", "€1,234.50"),
    ("en", "IQD", "25000", "IQD25,000"),
    ("es", "USD", "1234.5", f"1.234,50{NBSP}US$"),
    ("es", "EUR", "1234.5", f"1.234,50{NBSP}€"),
    ("es", "IQD", "25000", f"25.000{NBSP}IQD"),
    ("fr", "USD", "1234.5", f"1{NNBSP}234,50{NBSP}$US"),
    ("fr", "EUR", "1234.5", f"1{NNBSP}234,50{NBSP}€"),
    ("fr", "IQD", "25000", f"25{NNBSP}000{NBSP}IQD"),
    ("ar", "USD", "1234.5", f"{RLM}1,234.50{NBSP}US$"),
    ("ar", "EUR", "1234.5", f"{RLM}1,234.50{NBSP}€"),
    ("ar", "IQD", "25000", f"{RLM}25,000{NBSP}د.ع.{RLM}"),
]


@pytest.fixture(autouse=True)
def english_operator():
    set_language("en")
    yield
    set_language("en")


@pytest.mark.parametrize(("locale", "currency", "amount", "expected"), MONEY_CASES)
def test_money_per_locale(locale: str, currency: str, amount: str, expected: str) -> None:
    assert format_money(Decimal(amount), currency, locale=locale) == expected


def test_money_currency_digits() -> None:
    assert currency_digits("USD") == 2
    assert currency_digits("EUR") == 2
    assert currency_digits("IQD") == 0


def test_money_keeps_extra_digits() -> None:
    # Rounding would show a different amount than the service charged.
    assert format_money(Decimal("4.505"), "USD", locale="en") == "$4.505"
    assert format_money(Decimal("1500.5"), "IQD", locale="en") == "IQD1,500.5"


def test_money_rejects_float() -> None:
    with pytest.raises(TypeError):
        format_money(4.5, "USD", locale="en")  # type: ignore[arg-type]


def test_money_follows_operator_language() -> None:
    set_language("fr")

    assert format_money(Decimal("9.9"), "EUR") == f"9,90{NBSP}€"


def test_number_per_locale() -> None:
    assert format_number(Decimal("12345.6"), locale="en") == "12,345.6"
    assert format_number(Decimal("12345.6"), locale="es") == "12.345,6"
    assert format_number(12345, locale="fr") == f"12{NNBSP}345"
    assert format_number(12345, locale="ar") == "12,345"


def test_dates_per_locale() -> None:
    day = date(2026, 3, 9)

    assert format_date(day, locale="en") == "Mar 9, 2026"
    assert format_date(day, locale="es") == "9 mar 2026"
    assert format_date(day, locale="fr") == "9 mars 2026"
    assert format_date(day, "long", locale="ar") == "9 مارس 2026"


def test_datetime_converted_to_zone() -> None:
    moment = datetime(2026, 3, 9, 22, 30, tzinfo=UTC)
    baghdad = timezone(timedelta(hours=3))

    assert format_date(moment, tz=baghdad, locale="en") == "Mar 10, 2026"
    assert format_time(moment, tz=baghdad, locale="fr") == "01:30"
    assert format_time(moment, tz=UTC, locale="en") == f"10:30{NNBSP}PM"
    assert format_datetime(moment, "short", tz=UTC, locale="es") == "9/3/26, 22:30"


def test_naive_datetime_read_as_utc() -> None:
    naive = datetime(2026, 3, 9, 22, 30)

    assert format_time(naive, tz=UTC, locale="es") == "22:30"


RELATIVE_CASES = [
    ("en", timedelta(minutes=-3), "3 minutes ago"),
    ("en", timedelta(hours=2), "in 2 hours"),
    ("es", timedelta(minutes=-3), "hace 3 minutos"),
    ("fr", timedelta(minutes=-3), "il y a 3 minutes"),
    ("ar", timedelta(minutes=-3), "قبل 3 دقائق"),
    ("fr", timedelta(days=-1), "il y a 1 jour"),
]


@pytest.mark.parametrize(("locale", "offset", "expected"), RELATIVE_CASES)
def test_relative_time_per_locale(locale: str, offset: timedelta, expected: str) -> None:
    now = datetime(2026, 3, 9, 12, 0, tzinfo=UTC)

    assert format_relative_time(now + offset, now=now, locale=locale) == expected


def test_relative_time_just_now() -> None:
    now = datetime(2026, 3, 9, 12, 0, tzinfo=UTC)
    set_language("es")

    text = format_relative_time(now - timedelta(seconds=10), now=now)

    assert text == "justo ahora"


SIZE_CASES = [
    ("en", 1536 * 1024**2, "1.5 GB"),
    ("en", 500 * 1024**2, "500 MB"),
    ("en", 10 * 1024**3, "10 GB"),
    ("es", 1536 * 1024**2, "1,5 GB"),
    ("fr", 1536 * 1024**2, f"1,5{NNBSP}Go"),
    ("fr", 500 * 1024**2, f"500{NNBSP}Mo"),
    ("ar", 1536 * 1024**2, "1.5 غ.ب"),
]


@pytest.mark.parametrize(("locale", "size_bytes", "expected"), SIZE_CASES)
def test_data_size_per_locale(locale: str, size_bytes: int, expected: str) -> None:
    assert format_data_size(size_bytes, locale=locale) == expected


def test_data_amount_in_gb() -> None:
    assert format_data_amount_gb(Decimal("3"), locale="en") == "3 GB"
    assert format_data_amount_gb(Decimal("0.5"), locale="en") == "512 MB"
    assert format_data_amount_gb(None, locale="en") == "—"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Unlimited"), ("es", "Ilimitado"), ("fr", "Illimité"), ("ar", "غير محدود")],
)
def test_unlimited_translated(language: str, expected: str) -> None:
    set_language(language)

    assert format_data_amount_gb(Decimal("1"), unlimited=True) == expected
    assert format_data_size(None, unlimited=True) == expected


def test_validity_days_plural() -> None:
    assert format_days(1, locale="en") == "1 day"
    assert format_days(7, locale="es") == "7 días"
    assert format_days(7, locale="fr") == f"7{NBSP}jours"
    assert format_days(2, locale="ar") == "يومان"
    assert format_days(7, locale="ar") == "7 أيام"


def test_amount_has_no_isolates() -> None:
    # Isolation belongs to the caller that puts an amount inside a sentence.
    text = format_money(Decimal("10"), "USD", locale="ar")

    assert strip_isolates(text) == text.replace(RLM, "")
