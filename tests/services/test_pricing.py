"""Retail prices from a markup percentage and a rounding rule, in USD, EUR and IQD."""

from collections.abc import Callable
from decimal import Decimal

import pytest

from esimfly_desktop.api import Credentials, EsimflyClient
from esimfly_desktop.sandbox.launcher import SandboxProcess
from esimfly_desktop.services.pricing import Markup, Rounding, currency_digits, retail_price

USD_CASES = [
    # cost, percent, rounding, expected retail price
    ("4.50", "15", Rounding.NONE, "5.18"),
    ("4.50", "0", Rounding.NONE, "4.50"),
    ("4.50", "15", Rounding.TO_0_05, "5.20"),
    ("4.50", "10", Rounding.TO_0_05, "4.95"),
    ("4.50", "15", Rounding.TO_0_50, "5.50"),
    ("4.00", "25", Rounding.TO_0_50, "5.00"),
    ("4.50", "15", Rounding.TO_WHOLE, "6.00"),
    ("4.00", "25", Rounding.TO_WHOLE, "5.00"),
    ("4.50", "15", Rounding.ENDING_99, "5.99"),
    ("5.00", "0", Rounding.ENDING_99, "5.99"),
    ("4.99", "0", Rounding.ENDING_99, "4.99"),
    ("19.90", "33.5", Rounding.NONE, "26.57"),
]


@pytest.mark.parametrize(("cost", "percent", "rounding", "expected"), USD_CASES)
def test_retail_price_usd(cost: str, percent: str, rounding: Rounding, expected: str) -> None:
    price = retail_price(Decimal(cost), "USD", Markup(Decimal(percent), rounding))

    assert price == Decimal(expected)
    assert str(price) == expected


IQD_CASES = [
    ("6000", "15", Rounding.NONE, "6900"),
    ("5999", "15", Rounding.NONE, "6899"),
    ("5999", "15", Rounding.TO_0_05, "6899"),
    ("5999", "15", Rounding.TO_0_50, "6899"),
    ("5999", "15", Rounding.TO_WHOLE, "6899"),
    ("12345", "0", Rounding.ENDING_99, "12399"),
    ("12400", "0", Rounding.ENDING_99, "12499"),
    ("12399", "0", Rounding.ENDING_99, "12399"),
]


@pytest.mark.parametrize(("cost", "percent", "rounding", "expected"), IQD_CASES)
def test_retail_price_iqd_whole_dinars(
    cost: str, percent: str, rounding: Rounding, expected: str
) -> None:
    price = retail_price(Decimal(cost), "IQD", Markup(Decimal(percent), rounding))

    assert price == Decimal(expected)
    assert str(price) == expected


def test_retail_price_never_below_markup() -> None:
    for cents in range(100, 2000, 7):
        cost = Decimal(cents).scaleb(-2)
        for rounding in Rounding:
            markup = Markup(Decimal("17.5"), rounding)

            price = retail_price(cost, "EUR", markup)

            assert price >= cost * Decimal("1.175"), (cost, rounding)
            assert price.as_tuple().exponent == -2, (cost, rounding)


def test_retail_price_rejects_negative_cost() -> None:
    with pytest.raises(ValueError, match="invalid buy price"):
        retail_price(Decimal("-1"), "USD", Markup(Decimal(10)))


def test_markup_rejects_negative_percent() -> None:
    with pytest.raises(ValueError, match="invalid markup percent"):
        Markup(Decimal("-5"))


def test_markup_rejects_float_percent() -> None:
    with pytest.raises(TypeError, match="Decimal"):
        Markup(15.0)  # type: ignore[arg-type]


def test_currency_digits_from_cldr() -> None:
    assert currency_digits("USD") == 2
    assert currency_digits("EUR") == 2
    assert currency_digits("IQD") == 0
    assert currency_digits("usd") == 2


def test_currency_digits_unknown_code() -> None:
    assert currency_digits("XXZ") == 2


def test_rounding_labels_are_text() -> None:
    labels = [rounding.label for rounding in Rounding]

    assert all(isinstance(label, str) and label for label in labels)
    assert len(set(labels)) == len(labels)


@pytest.mark.asyncio
async def test_sandbox_iqd_catalog_prices_whole(
    start_sandbox: Callable[..., SandboxProcess],
) -> None:
    sandbox = start_sandbox("--currency", "IQD").info
    credentials = Credentials(sandbox.access_code, sandbox.secret)
    async with EsimflyClient(sandbox.base_url, credentials) as client:
        page = await client.list_packages(page=1, limit=100)

    assert page.packages
    for package in page.packages:
        assert package.currency == "IQD"
        for rounding in Rounding:
            price = retail_price(package.cost, package.currency, Markup(Decimal("12.5"), rounding))

            assert price.as_tuple().exponent == 0, (package.package_code, rounding)
            assert price >= package.cost * Decimal("1.125"), (package.package_code, rounding)
