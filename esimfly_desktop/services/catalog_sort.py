"""Precomputed sort orders of the catalog, so sorting a search result costs one pass.

Packages with equal keys keep the service's order (local, regional, global)
in both directions: ``sorted()`` is stable, and the descending order reverses
whole groups of equal keys, not the packages inside a group.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any

# Below 1/16 of the catalog, sorting the matches by rank costs less than
# scanning the whole precomputed order. The threshold is an estimate, not tuned.
SMALL_RESULT_FRACTION = 16


class SortKey(enum.Enum):
    """A column the catalog can be sorted by."""

    SERVICE_ORDER = "service_order"
    NAME = "name"
    CODE = "code"
    REGION = "region"
    TYPE = "type"
    DATA = "data"
    DAYS = "days"
    PRICE = "price"
    COUNTRY_COUNT = "country_count"
    PROVIDER = "provider"


class SortOrders:
    """Orders of ``size`` packages by each key, built on first use and kept.

    ``sort_values(key)`` returns one comparable value per package, in the
    catalog's order.
    """

    def __init__(self, size: int, sort_values: Callable[[SortKey], list[Any]]) -> None:
        self._size = size
        self._sort_values = sort_values
        self._values: dict[SortKey, list[Any]] = {}
        self._orders: dict[tuple[SortKey, bool], list[int]] = {}
        self._ranks: dict[tuple[SortKey, bool], list[int]] = {}

    def precompute_ascending(self) -> None:
        """Build every ascending order now, so the first click on a column waits for no sort."""
        for sort_key in SortKey:
            if sort_key is not SortKey.SERVICE_ORDER:
                self.order(sort_key, descending=False)

    def forget(self, sort_key: SortKey) -> None:
        """Drop the orders of ``sort_key`` after its values changed (prices after a markup)."""
        self._values.pop(sort_key, None)
        for descending in (False, True):
            self._orders.pop((sort_key, descending), None)
            self._ranks.pop((sort_key, descending), None)

    def sort(self, matches: list[int], sort_key: SortKey, descending: bool) -> list[int]:
        """Return ``matches`` (package indexes in catalog order) in the requested order."""
        if sort_key is SortKey.SERVICE_ORDER:
            return matches[::-1] if descending else list(matches)

        order = self.order(sort_key, descending)
        if len(matches) == len(order):
            return list(order)
        if len(matches) * SMALL_RESULT_FRACTION < len(order):
            return sorted(matches, key=self._rank(sort_key, descending).__getitem__)

        selected = bytearray(len(order))
        for index in matches:
            selected[index] = 1
        return [index for index in order if selected[index]]

    def order(self, sort_key: SortKey, descending: bool) -> list[int]:
        """Return every package index ordered by ``sort_key``."""
        order = self._orders.get((sort_key, descending))
        if order is not None:
            return order

        values = self._values.get(sort_key)
        if values is None:
            values = self._sort_values(sort_key)
            self._values[sort_key] = values
        ascending = self._orders.get((sort_key, False))
        if ascending is None:
            ascending = sorted(range(len(values)), key=values.__getitem__)
            self._orders[sort_key, False] = ascending
        if not descending:
            return ascending

        order = _reverse_groups(ascending, values)
        self._orders[sort_key, True] = order
        return order

    def values(self, sort_key: SortKey) -> list[Any]:
        """Return the per-package values ``sort_key`` orders by."""
        self.order(sort_key, descending=False)
        return self._values[sort_key]

    def _rank(self, sort_key: SortKey, descending: bool) -> list[int]:
        rank = self._ranks.get((sort_key, descending))
        if rank is None:
            rank = [0] * self._size
            for position, index in enumerate(self.order(sort_key, descending)):
                rank[index] = position
            self._ranks[sort_key, descending] = rank
        return rank


def _reverse_groups(ascending: list[int], values: list[Any]) -> list[int]:
    """Return the descending order: groups of equal keys reversed, each group kept in order."""
    # Group boundaries are plain positions, so no list per group is kept alive
    # and a large catalog does not set off cyclic garbage collection passes.
    boundaries = [0]
    boundaries.extend(
        position
        for position in range(1, len(ascending))
        if values[ascending[position]] != values[ascending[position - 1]]
    )
    boundaries.append(len(ascending))

    descending: list[int] = []
    for end in range(len(boundaries) - 1, 0, -1):
        descending.extend(ascending[boundaries[end - 1] : boundaries[end]])
    return descending


__all__ = ["SortKey", "SortOrders"]
