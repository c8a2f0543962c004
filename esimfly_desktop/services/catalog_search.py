"""Search as you type over the whole catalog, fast enough for every keystroke.

``CatalogIndex`` is built once per catalog load. Per package it keeps a short
folded text (package name, code and region in English and in the operator's
language) and the set of its country codes. A query token matches a package
when it occurs in that text, or in the ISO code or the English or
operator-language name of one of the package's countries.

Country names are searched once per token, over about 250 countries, and not
once per package, so a global package covering 140 countries is checked with
one set operation instead of a scan of 140 names. Filters and sort keys read
precomputed arrays, so a query never touches a ``Package`` object. A query
that extends an earlier one (typing "jap" after "ja") only searches the
earlier result, and recent results are kept for backspace.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from esimfly_desktop.api.models import Package
from esimfly_desktop.services.catalog_search_text import (
    PART_SEPARATOR,
    country_search_text,
    fold,
    localized_region,
    query_tokens,
)
from esimfly_desktop.services.catalog_sort import SortKey, SortOrders
from esimfly_desktop.services.collector import cyclic_garbage_collection_paused

log = logging.getLogger(__name__)

# Number of query results, and separately of filter results, kept for reuse.
# At 20,000 packages one result takes up to 160 KB.
RECENT_RESULTS_KEPT = 32

PriceFunction = Callable[[Package], Decimal]


@dataclass(frozen=True)
class CatalogFilters:
    """Conditions a package must meet besides the search text. None means any.

    ``package_type`` is ``local``, ``regional`` or ``global``. ``region`` is the
    region exactly as the service sends it. An unlimited package meets every
    ``min_data_gb``. ``max_price`` is compared with the index's price, which is
    the buy price unless the index was given a retail price function.
    """

    package_type: str | None = None
    region: str | None = None
    min_data_gb: Decimal | None = None
    min_days: int | None = None
    max_price: Decimal | None = None
    include_unavailable: bool = False


NO_FILTERS = CatalogFilters()


class CatalogIndex:
    """A searchable, sortable view of a list of packages. Results are indexes into that list."""

    def __init__(
        self,
        packages: Sequence[Package],
        language: str,
        *,
        unavailable_codes: Collection[str] = (),
        price_of: PriceFunction | None = None,
    ) -> None:
        # Building creates tens of thousands of objects that form no reference cycles.
        with cyclic_garbage_collection_paused():
            self._packages = list(packages)
            self.language = language
            self._texts = [self._search_text(package) for package in self._packages]
            # Packages share few distinct country sets (254 among the sandbox's 7,000
            # packages), so a query token is checked against each set once.
            set_ids: dict[frozenset[str], int] = {}
            self._country_set_ids = [
                set_ids.setdefault(
                    frozenset(code.upper() for code in package.countries), len(set_ids)
                )
                for package in self._packages
            ]
            self._distinct_country_sets = list(set_ids)
            self._country_texts = self._country_texts_for(language)
            self._types = [package.package_type.lower() for package in self._packages]
            self._regions = [package.region for package in self._packages]
            self._unlimited = [package.is_unlimited for package in self._packages]
            self._data_gb = [package.data_amount_gb for package in self._packages]
            self._days = [package.validity_days for package in self._packages]
            unavailable = set(unavailable_codes)
            self._available = [
                package.package_code not in unavailable for package in self._packages
            ]

            self._prices: list[Decimal] = []
            self._sort_orders = SortOrders(len(self._packages), self._sort_values_for)
            self._filtered: OrderedDict[CatalogFilters, list[int]] = OrderedDict()
            self._recent: OrderedDict[tuple[str, CatalogFilters], list[int]] = OrderedDict()
            self.reprice(price_of)

            # The index is usually built on a worker thread, so the first
            # keystroke after a sort-column change does not pay for a sort.
            self._sort_orders.precompute_ascending()
        log.info("Catalog index built: %d packages, language %s", len(self._packages), language)

    def __len__(self) -> int:
        return len(self._packages)

    def package(self, index: int) -> Package:
        """Return the package at ``index`` (an entry of a :meth:`query` result)."""
        return self._packages[index]

    def is_available(self, index: int) -> bool:
        """Return False for a package that the latest sync no longer returned."""
        return self._available[index]

    def price(self, index: int) -> Decimal:
        """Return the price that sorting and ``max_price`` use for the package at ``index``."""
        return self._prices[index]

    def regions(self) -> list[tuple[str, str]]:
        """Return each distinct region as ``(service name, name in the operator's language)``."""
        distinct = dict.fromkeys(self._regions)
        labelled = [(region, localized_region(region, self.language)) for region in distinct]
        return sorted(labelled, key=lambda pair: fold(pair[1]))

    def reprice(self, price_of: PriceFunction | None) -> None:
        """Recompute prices after the shop's markup changed. None means the buy price."""
        self._prices = [
            package.cost if price_of is None else price_of(package) for package in self._packages
        ]
        self._sort_orders.forget(SortKey.PRICE)
        self._filtered.clear()
        self._recent.clear()

    def query(
        self,
        text: str = "",
        filters: CatalogFilters = NO_FILTERS,
        sort_key: SortKey = SortKey.SERVICE_ORDER,
        descending: bool = False,
    ) -> list[int]:
        """Return the indexes of matching packages in the requested order.

        Every whitespace-separated word of ``text`` must occur, ignoring case
        and accents, in the package's name, code or region, or in the name or
        ISO code of one of its countries.
        """
        tokens = query_tokens(text)
        matches = self._matches(tokens, filters)
        return self._sort_orders.sort(matches, sort_key, descending)

    def _search_text(self, package: Package) -> str:
        parts = [fold(package.name), package.package_code.lower(), fold(package.region)]
        region_name = localized_region(package.region, self.language)
        if region_name != package.region:
            parts.append(fold(region_name))
        return PART_SEPARATOR.join(parts)

    def _country_texts_for(self, language: str) -> list[tuple[str, str]]:
        # A code that CLDR does not name is still found by the code itself.
        known = country_search_text(language)
        used = set().union(*self._distinct_country_sets)
        return [(code, known.get(code, code.lower())) for code in sorted(used)]

    def _matching_countries(self, token: str) -> frozenset[str]:
        return frozenset(code for code, text in self._country_texts if token in text)

    def _matches(self, tokens: tuple[str, ...], filters: CatalogFilters) -> list[int]:
        if not tokens:
            return self._passing(filters)

        key = (" ".join(tokens), filters)
        cached = self._recent.get(key)
        if cached is not None:
            self._recent.move_to_end(key)
            return cached

        candidates = self._narrowest_earlier_result(key)
        if candidates is None:
            candidates = self._passing(filters)
        texts, set_ids = self._texts, self._country_set_ids
        for token in tokens:
            countries = self._matching_countries(token)
            if countries:
                # By country set: True when one of the set's countries matches the token.
                covered = [
                    not countries.isdisjoint(country_set)
                    for country_set in self._distinct_country_sets
                ]
                candidates = [
                    index
                    for index in candidates
                    if token in texts[index] or covered[set_ids[index]]
                ]
            else:
                candidates = [index for index in candidates if token in texts[index]]

        self._remember(key, candidates)
        return candidates

    def _narrowest_earlier_result(self, key: tuple[str, CatalogFilters]) -> list[int] | None:
        # When the new text starts with an earlier text, every earlier token is
        # a token or a prefix of a token of the new text, so the new matches are
        # a subset of the earlier ones.
        text, filters = key
        best: list[int] | None = None
        for (earlier_text, earlier_filters), result in self._recent.items():
            if earlier_filters != filters or not text.startswith(earlier_text):
                continue
            if best is None or len(result) < len(best):
                best = result
        return best

    def _remember(self, key: tuple[str, CatalogFilters], matches: list[int]) -> None:
        self._recent[key] = matches
        if len(self._recent) > RECENT_RESULTS_KEPT:
            self._recent.popitem(last=False)

    def _passing(self, filters: CatalogFilters) -> list[int]:
        passing = self._filtered.get(filters)
        if passing is not None:
            self._filtered.move_to_end(filters)
            return passing

        passing = self._apply_filters(filters)
        self._filtered[filters] = passing
        if len(self._filtered) > RECENT_RESULTS_KEPT:
            self._filtered.popitem(last=False)
        return passing

    def _apply_filters(self, filters: CatalogFilters) -> list[int]:
        indexes = list(range(len(self._packages)))
        if not filters.include_unavailable:
            available = self._available
            indexes = [i for i in indexes if available[i]]
        if filters.package_type is not None:
            wanted_type, types = filters.package_type.lower(), self._types
            indexes = [i for i in indexes if types[i] == wanted_type]
        if filters.region is not None:
            wanted_region, regions = filters.region, self._regions
            indexes = [i for i in indexes if regions[i] == wanted_region]
        if filters.min_data_gb is not None:
            minimum, data, unlimited = filters.min_data_gb, self._data_gb, self._unlimited
            indexes = [i for i in indexes if unlimited[i] or data[i] >= minimum]
        if filters.min_days is not None:
            min_days, days = filters.min_days, self._days
            indexes = [i for i in indexes if days[i] >= min_days]
        if filters.max_price is not None:
            max_price, prices = filters.max_price, self._prices
            indexes = [i for i in indexes if prices[i] <= max_price]
        return indexes

    def _sort_values_for(self, sort_key: SortKey) -> list[Any]:
        packages = self._packages
        if sort_key is SortKey.DATA:
            # An unlimited package sorts above every finite amount.
            return [
                (unlimited, gb)
                for unlimited, gb in zip(self._unlimited, self._data_gb, strict=True)
            ]
        if sort_key is SortKey.PRICE:
            return self._prices
        if sort_key is SortKey.DAYS:
            return self._days
        if sort_key is SortKey.COUNTRY_COUNT:
            return [len(package.countries) for package in packages]
        if sort_key is SortKey.REGION:
            return [fold(localized_region(region, self.language)) for region in self._regions]
        return [fold(_TEXT_COLUMNS[sort_key](package)) for package in packages]


_TEXT_COLUMNS: dict[SortKey, Callable[[Package], str]] = {
    SortKey.NAME: lambda package: package.name,
    SortKey.CODE: lambda package: package.package_code,
    SortKey.TYPE: lambda package: package.package_type,
    SortKey.PROVIDER: lambda package: package.provider or "",
}


__all__ = ["NO_FILTERS", "CatalogFilters", "CatalogIndex", "SortKey"]
