"""The texts of the catalog table's cells, formatted in the operator's language.

``CellTexts`` formats one package's row. Prices, data amounts and day counts
repeat across many packages, so each distinct value goes through Babel once.
``CellTexts.rows`` formats a whole catalog. It reads no widget, so the catalog
controller runs it on a worker thread after building the search index. Once
those texts are in the model, typing does not wait for Babel.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from esimfly_desktop.api.models import Package
from esimfly_desktop.i18n import N_, LazyString, _
from esimfly_desktop.i18n.bidi import keep_ltr
from esimfly_desktop.i18n.countries import package_region_name
from esimfly_desktop.services.catalog_search import CatalogIndex
from esimfly_desktop.ui.formatting import money, number

RetailPrice = Callable[[Package], Decimal]
RowTexts = tuple[str, ...]

PACKAGE_TYPE_LABELS: dict[str, LazyString] = {
    "local": N_("Local"),
    "regional": N_("Regional"),
    "global": N_("Global"),
    "enterprise": N_("Enterprise"),
}


def data_text(package: Package) -> str:
    if package.is_unlimited:
        return _("Unlimited")
    return _("{amount} GB").format(amount=number(package.data_amount_gb))


def package_type_label(package_type: str) -> str:
    label = PACKAGE_TYPE_LABELS.get(package_type)
    return str(label) if label is not None else package_type


class CellTexts:
    """Formats packages' cell texts in column order, reusing each formatted value."""

    def __init__(self, retail_price: RetailPrice) -> None:
        self.retail_price = retail_price
        self._formatted: dict[tuple[str, ...], str] = {}

    def row(self, package: Package) -> RowTexts:
        """Return the package's cell texts in the table's column order."""
        currency = package.currency
        return (
            package.name,
            package_region_name(package.region, package.countries),
            self._once(("type", package.package_type), package_type_label, package.package_type),
            self._data(package),
            self._once(("days", str(package.validity_days)), number, package.validity_days),
            self._money(package.cost, currency),
            self._money(self.retail_price(package), currency),
            package.package_code,
        )

    def rows(self, index: CatalogIndex) -> list[RowTexts]:
        """Return the cell texts of every package of ``index``, by package position."""
        return [self.row(index.package(position)) for position in range(len(index))]

    def _data(self, package: Package) -> str:
        if package.is_unlimited:
            return self._once(("unlimited",), data_text, package)
        return self._once(("data", str(package.data_amount_gb)), data_text, package)

    def _money(self, amount: Decimal, currency: str) -> str:
        key = ("money", str(amount), currency)
        text = self._formatted.get(key)
        if text is None:
            text = self._formatted[key] = keep_ltr(money(amount, currency))
        return text

    def _once(self, key: tuple[str, ...], format_value: Callable[[Any], str], value: Any) -> str:
        text = self._formatted.get(key)
        if text is None:
            text = self._formatted[key] = format_value(value)
        return text


__all__ = [
    "PACKAGE_TYPE_LABELS",
    "CellTexts",
    "RetailPrice",
    "RowTexts",
    "data_text",
    "package_type_label",
]
