"""Filtering, summing and exporting order-history rows, with no widgets."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from esimfly_desktop.i18n import N_

STATUS_GROUPS = {
    "all": N_("All statuses"),
    "pending": N_("Pending"),
    "completed": N_("Completed"),
    "failed": N_("Failed"),
    "cancelled": N_("Cancelled"),
}

CSV_COLUMNS = (
    "created_at",
    "order_reference",
    "package_code",
    "package_name",
    "quantity",
    "amount",
    "currency",
    "status",
    "customer_reference",
    "operator",
    "placed_here",
    "iccids",
)


def created_at(order: Any) -> datetime | None:
    """Return when an order was created, from epoch seconds (local) or ISO 8601 (service)."""
    value = order.created_at
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC)
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def status_group(status: str) -> str:
    """Return the filter group of a service status: ``pending_details`` is pending."""
    folded = status.casefold()
    if folded.startswith("pending"):
        return "pending"
    if folded.startswith("cancel"):
        return "cancelled"
    if folded in {"completed", "failed"}:
        return folded
    return "completed" if folded in {"done", "success"} else folded


def describe_status(status: str) -> str:
    """Return the operator's word for a service status, or the status itself if unknown."""
    group = status_group(status)
    label = STATUS_GROUPS.get(group)
    return str(label) if label is not None and group != "all" else status


@dataclass(frozen=True)
class HistoryFilter:
    """The operator's filters; dates are inclusive, in the computer's time zone."""

    date_from: date | None = None
    date_to: date | None = None
    status: str = "all"
    text: str = ""

    def matches(self, order: Any) -> bool:
        moment = created_at(order)
        local_day = moment.astimezone().date() if moment else None
        if self.date_from and (local_day is None or local_day < self.date_from):
            return False
        if self.date_to and (local_day is None or local_day > self.date_to):
            return False
        if self.status != "all" and status_group(order.status) != self.status:
            return False
        return self._matches_text(order)

    def _matches_text(self, order: Any) -> bool:
        needle = self.text.strip().casefold()
        if not needle:
            return True
        haystack = [
            order.order_reference,
            order.package_code,
            order.package_name,
            order.customer_reference,
            order.operator,
            *(esim.iccid or "" for esim in order.esims),
        ]
        return any(needle in value.casefold() for value in haystack if value)


def filter_orders(orders: Iterable[Any], history_filter: HistoryFilter) -> list[Any]:
    return [order for order in orders if history_filter.matches(order)]


@dataclass(frozen=True)
class HistorySummary:
    """The number of orders in a list and their total cost per currency."""

    count: int
    totals: dict[str, Decimal]


def summarize(orders: Sequence[Any]) -> HistorySummary:
    """Count every order; sum the amounts of orders not cancelled or failed."""
    totals: dict[str, Decimal] = {}
    for order in orders:
        if status_group(order.status) in {"cancelled", "failed"} or not order.currency:
            continue
        totals[order.currency] = totals.get(order.currency, Decimal(0)) + order.amount
    return HistorySummary(len(orders), totals)


def write_orders_csv(path: Path, orders: Sequence[Any]) -> int:
    """Write ``orders`` to ``path`` as UTF-8 CSV (no activation codes); return the row count."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        for order in orders:
            moment = created_at(order)
            writer.writerow(
                [
                    moment.isoformat() if moment else "",
                    order.order_reference,
                    order.package_code,
                    order.package_name,
                    order.quantity,
                    str(order.amount),
                    order.currency,
                    order.status,
                    order.customer_reference,
                    order.operator,
                    "yes" if order.placed_here else "no",
                    " ".join(esim.iccid for esim in order.esims if esim.iccid),
                ]
            )
    return len(orders)
