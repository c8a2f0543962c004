"""Orders placed from this desktop, with their eSIMs, kept so QR and manual codes work offline.

The LPA string of each eSIM is stored here because the QR code is rendered
from it locally. It is kept out of the outbox table, logs and settings.
``merge_history`` joins these local orders with the account's order list from
the service, so history shows orders placed elsewhere too.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from esimfly_desktop.api.order_models import Esim, OrderDetails, OrderSummary
from esimfly_desktop.storage.database import Database, transaction


@dataclass(frozen=True)
class StoredOrder:
    """One order in history: placed here, listed by the service, or both."""

    order_reference: str
    package_code: str
    package_name: str
    quantity: int
    amount: Decimal
    currency: str
    status: str
    customer_reference: str
    operator: str
    created_at: float | str
    placed_here: bool
    esims: tuple[Esim, ...] = field(default=(), repr=False)

    @property
    def is_pending(self) -> bool:
        return self.status.lower().startswith("pending") or not any(
            esim.is_provisioned for esim in self.esims
        )


def save_order_result(connection: sqlite3.Connection, result: Any, item: Any) -> None:
    """Insert or update an order from ``create_order``'s result; the caller owns the transaction."""
    now = time.time()
    connection.execute(
        "INSERT INTO local_orders (order_reference, package_code, package_name, quantity, amount,"
        " currency, status, customer_reference, operator, outbox_item_id, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (order_reference) DO UPDATE SET status = excluded.status,"
        " package_name = excluded.package_name, updated_at = excluded.updated_at",
        (
            result.order_reference,
            item.package_code,
            result.package_name or "",
            item.quantity,
            str(result.amount if result.amount is not None else item.price * item.quantity),
            result.currency or item.currency,
            result.status,
            item.customer_reference,
            item.operator,
            item.id,
            now,
            now,
        ),
    )
    _save_esims(connection, result.order_reference, result.esims, now)


def save_order_details(connection: sqlite3.Connection, details: OrderDetails) -> None:
    """Update a stored order's status and eSIMs from ``get_order``."""
    now = time.time()
    with transaction(connection):
        connection.execute(
            "INSERT INTO local_orders (order_reference, package_code, package_name, amount,"
            " status, placed_here, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?)"
            " ON CONFLICT (order_reference) DO UPDATE SET status = excluded.status,"
            " updated_at = excluded.updated_at",
            (
                details.order_reference,
                details.package_code or "",
                details.package_name or "",
                str(details.amount if details.amount is not None else Decimal(0)),
                details.status,
                now,
                now,
            ),
        )
        _save_esims(connection, details.order_reference, details.esims, now)


def _save_esims(
    connection: sqlite3.Connection, order_reference: str, esims: Iterable[Esim], now: float
) -> None:
    for position, esim in enumerate(esims):
        if not esim.iccid:
            continue
        connection.execute(
            "INSERT INTO local_esims (iccid, order_reference, position, lpa_string,"
            " apple_install_url, android_install_url, status, profile_status,"
            " total_volume_bytes, total_duration_days, expired_time, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (iccid) DO UPDATE SET"
            " lpa_string = COALESCE(NULLIF(excluded.lpa_string, ''), lpa_string),"
            " apple_install_url = COALESCE(NULLIF(excluded.apple_install_url, ''),"
            " apple_install_url),"
            " android_install_url = COALESCE(NULLIF(excluded.android_install_url, ''),"
            " android_install_url),"
            " status = excluded.status, profile_status = excluded.profile_status,"
            " total_volume_bytes = excluded.total_volume_bytes,"
            " total_duration_days = excluded.total_duration_days,"
            " expired_time = excluded.expired_time, updated_at = excluded.updated_at",
            (
                esim.iccid,
                order_reference,
                position,
                esim.lpa_string or "",
                esim.apple_install_url or "",
                esim.android_install_url or "",
                esim.status or "",
                esim.profile_status or "",
                esim.total_volume_bytes,
                esim.total_duration_days,
                esim.expired_time or "",
                now,
            ),
        )


def load_order(connection: sqlite3.Connection, order_reference: str) -> StoredOrder | None:
    row = connection.execute(
        "SELECT * FROM local_orders WHERE order_reference = ?", (order_reference,)
    ).fetchone()
    return None if row is None else _order_from_row(connection, row)


def load_orders(connection: sqlite3.Connection) -> list[StoredOrder]:
    """Return stored orders, newest first."""
    rows = connection.execute("SELECT * FROM local_orders ORDER BY created_at DESC").fetchall()
    return [_order_from_row(connection, row) for row in rows]


def _order_from_row(connection: sqlite3.Connection, row: sqlite3.Row) -> StoredOrder:
    esim_rows = connection.execute(
        "SELECT * FROM local_esims WHERE order_reference = ? ORDER BY position",
        (row["order_reference"],),
    ).fetchall()
    esims = tuple(
        Esim(
            iccid=esim["iccid"],
            lpa_string=esim["lpa_string"] or None,
            apple_install_url=esim["apple_install_url"] or None,
            android_install_url=esim["android_install_url"] or None,
            status=esim["status"] or None,
            profile_status=esim["profile_status"] or None,
            total_volume_bytes=esim["total_volume_bytes"],
            total_duration_days=esim["total_duration_days"],
            expired_time=esim["expired_time"] or None,
        )
        for esim in esim_rows
    )
    return StoredOrder(
        order_reference=row["order_reference"],
        package_code=row["package_code"],
        package_name=row["package_name"],
        quantity=row["quantity"],
        amount=Decimal(row["amount"]),
        currency=row["currency"],
        status=row["status"],
        customer_reference=row["customer_reference"],
        operator=row["operator"],
        created_at=row["created_at"],
        placed_here=bool(row["placed_here"]),
        esims=esims,
    )


def merge_history(
    local: Iterable[StoredOrder], remote: Iterable[OrderSummary]
) -> list[StoredOrder]:
    """Join local orders with the service's list by order reference.

    The service's status wins because it is newer; the local copy keeps the
    operator, customer reference, quantity and stored eSIMs. Orders known only
    to the service appear with ``placed_here`` False.
    """
    merged = {order.order_reference: order for order in local}
    for summary in remote:
        known = merged.get(summary.order_reference)
        if known is not None:
            merged[summary.order_reference] = replace(known, status=summary.status)
            continue
        merged[summary.order_reference] = StoredOrder(
            order_reference=summary.order_reference,
            package_code=summary.package_code or "",
            package_name=summary.package_name or "",
            quantity=1,
            amount=summary.amount if summary.amount is not None else Decimal(0),
            currency=summary.currency or "",
            status=summary.status,
            customer_reference="",
            operator="",
            created_at=summary.created_at or "",
            placed_here=False,
            esims=(summary.esim,) if summary.esim is not None else (),
        )
    return sorted(merged.values(), key=lambda order: str(_sort_key(order)), reverse=True)


def _sort_key(order: StoredOrder) -> str:
    # Local times are epoch seconds, the service's are ISO 8601; both sort as
    # text once the epoch is written as an ISO date.
    if isinstance(order.created_at, float | int):
        return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(order.created_at))
    return order.created_at


class OrderStore:
    """Local orders, read and updated from the event loop."""

    def __init__(self, database: Database) -> None:
        self._database = database

    async def order(self, order_reference: str) -> StoredOrder | None:
        return await self._database.run(lambda c: load_order(c, order_reference))

    async def orders(self) -> list[StoredOrder]:
        return await self._database.run(load_orders)

    async def save_details(self, details: OrderDetails) -> None:
        await self._database.run(lambda c: save_order_details(c, details))

    async def history(self, remote: Iterable[OrderSummary]) -> list[StoredOrder]:
        """Return local orders merged with one page of the service's order list."""
        return merge_history(await self.orders(), list(remote))
