"""Retail prices from the shop's markup: a percentage on the buy price and a rounding rule.

Every rule rounds up, so a retail price is never below ``cost × (1 + percent/100)``
and the shop's margin never shrinks through rounding. Prices respect the
currency's digits from CLDR (USD and EUR have two, IQD none).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from esimfly_desktop.i18n import N_, LazyString
from esimfly_desktop.i18n.formatting import currency_digits as cldr_currency_digits

HUNDRED = Decimal(100)


class Rounding(enum.Enum):
    """Rounding rule applied after the markup. Its value is stored in settings."""

    NONE = "none"
    TO_0_05 = "0.05"
    TO_0_50 = "0.50"
    TO_WHOLE = "whole"
    ENDING_99 = "99"

    @property
    def label(self) -> str:
        """The translated name shown in the settings dialog."""
        return str(_ROUNDING_LABELS[self])


_ROUNDING_LABELS: dict[Rounding, LazyString] = {
    Rounding.NONE: N_("No rounding"),
    Rounding.TO_0_05: N_("Up to the next 0.05"),
    Rounding.TO_0_50: N_("Up to the next 0.50"),
    Rounding.TO_WHOLE: N_("Up to a whole amount"),
    Rounding.ENDING_99: N_("Up to a price ending in 99"),
}


@dataclass(frozen=True)
class Markup:
    """The shop's markup setting: ``percent`` on the buy price, then ``rounding``."""

    percent: Decimal
    rounding: Rounding = Rounding.NONE

    def __post_init__(self) -> None:
        if not isinstance(self.percent, Decimal):
            raise TypeError(f"markup percent must be a Decimal, not {type(self.percent).__name__}")
        if not self.percent.is_finite() or self.percent < 0:
            raise ValueError(f"invalid markup percent {self.percent}: expected 0 or more")


def currency_digits(currency: str) -> int:
    """Return the number of minor-unit digits of ``currency`` (USD 2, IQD 0).

    Babel gives a currency code it does not know two digits.
    """
    return int(cldr_currency_digits(currency.upper()))


def retail_price(cost: Decimal, currency: str, markup: Markup) -> Decimal:
    """Return the price to charge the customer for one package bought at ``cost``.

    Steps smaller than the currency's smallest unit become that unit: in IQD,
    "to 0.05" and "to 0.50" round up to a whole dinar. "Ending in 99" means
    ``x.99`` in a currency with minor units and ``…99`` (such as 12,399) in one
    without.
    """
    if cost < 0:
        raise ValueError(f"invalid buy price {cost}: expected 0 or more")

    digits = currency_digits(currency)
    smallest_unit = Decimal(1).scaleb(-digits)
    marked_up = cost * (HUNDRED + markup.percent) / HUNDRED

    if markup.rounding is Rounding.ENDING_99:
        return _round_up_to_ending_99(marked_up, digits)

    step = max(_STEPS[markup.rounding], smallest_unit)
    return _round_up_to_step(marked_up, step).quantize(smallest_unit)


_STEPS: dict[Rounding, Decimal] = {
    Rounding.NONE: Decimal(0),
    Rounding.TO_0_05: Decimal("0.05"),
    Rounding.TO_0_50: Decimal("0.50"),
    Rounding.TO_WHOLE: Decimal(1),
}


def _round_up_to_step(amount: Decimal, step: Decimal) -> Decimal:
    steps = (amount / step).to_integral_value(rounding=ROUND_CEILING)
    return steps * step


def _round_up_to_ending_99(amount: Decimal, digits: int) -> Decimal:
    # The candidates are k·block − ending with block = 1 and ending = 0.01 for
    # two-digit currencies, block = 100 and ending = 1 for currencies without
    # minor units. The smallest candidate not below ``amount`` wins.
    if digits > 0:
        block, ending = Decimal(1), Decimal(1).scaleb(-digits)
    else:
        block, ending = HUNDRED, Decimal(1)

    candidate = _round_up_to_step(amount + ending, block) - ending
    return candidate.quantize(ending)


__all__ = ["Markup", "Rounding", "currency_digits", "retail_price"]
