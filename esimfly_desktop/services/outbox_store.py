"""Outbox items in the profile database and the committed transitions between their states.

Every function here takes the database connection and runs on the database
thread (``Database.run``). Each transition is its own committed transaction, so
the state on disk always describes what may already have happened.
"""

from __future__ import annotations

import enum
import sqlite3
import time
import uuid
from dataclasses import dataclass
from decimal import Decimal

from esimfly_desktop.storage.database import transaction


class ItemState(enum.StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    DONE = "done"
    FAILED = "failed"
    OUTCOME_UNKNOWN = "outcome_unknown"
    CANCELLED = "cancelled"


class ItemKind(enum.StrEnum):
    ORDER = "order"
    TOPUP = "topup"


# States the sender picks up, oldest item first.
SENDABLE_STATES = (ItemState.QUEUED, ItemState.OUTCOME_UNKNOWN)


@dataclass(frozen=True)
class NewItem:
    """An operator's request, before it gets an id and an idempotency key."""

    package_code: str
    quantity: int
    price: Decimal
    currency: str
    kind: ItemKind = ItemKind.ORDER
    iccid: str | None = None
    customer_reference: str = ""
    operator: str = ""


@dataclass(frozen=True)
class OutboxItem:
    """One queued write: an order or a top-up, with its state and last error."""

    id: int
    kind: ItemKind
    state: ItemState
    idempotency_key: str
    package_code: str
    quantity: int
    price: Decimal
    currency: str
    iccid: str | None
    customer_reference: str
    operator: str
    created_at: float
    updated_at: float
    attempts: int
    may_have_reached_server: bool
    needs_decision: bool
    last_error_code: str | None
    last_error: str | None
    last_request_id: str | None
    order_reference: str | None
    replaced_by: int | None
    volume_before_bytes: int | None
    expiry_before: str | None

    @property
    def total(self) -> Decimal:
        return self.price * self.quantity

    def age_s(self, now: float | None = None) -> float:
        return (now if now is not None else time.time()) - self.created_at


def _item_from_row(row: sqlite3.Row) -> OutboxItem:
    return OutboxItem(
        id=row["id"],
        kind=ItemKind(row["kind"]),
        state=ItemState(row["state"]),
        idempotency_key=row["idempotency_key"],
        package_code=row["package_code"],
        quantity=row["quantity"],
        price=Decimal(row["price"]),
        currency=row["currency"],
        iccid=row["iccid"],
        customer_reference=row["customer_reference"],
        operator=row["operator"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        attempts=row["attempts"],
        may_have_reached_server=bool(row["may_have_reached_server"]),
        needs_decision=bool(row["needs_decision"]),
        last_error_code=row["last_error_code"],
        last_error=row["last_error"],
        last_request_id=row["last_request_id"],
        order_reference=row["order_reference"],
        replaced_by=row["replaced_by"],
        volume_before_bytes=row["volume_before_bytes"],
        expiry_before=row["expiry_before"],
    )


def insert_item(connection: sqlite3.Connection, new: NewItem) -> OutboxItem:
    """Commit a queued item with a fresh idempotency key that never changes afterwards."""
    now = time.time()
    key = str(uuid.uuid4())
    with transaction(connection):
        cursor = connection.execute(
            "INSERT INTO outbox_items (kind, state, idempotency_key, package_code, quantity,"
            " price, currency, iccid, customer_reference, operator, created_at, updated_at)"
            " VALUES (?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                new.kind.value,
                key,
                new.package_code,
                new.quantity,
                str(new.price),
                new.currency,
                new.iccid,
                new.customer_reference,
                new.operator,
                now,
                now,
            ),
        )
        item_id = cursor.lastrowid
    assert item_id is not None
    return get_item(connection, item_id)


def get_item(connection: sqlite3.Connection, item_id: int) -> OutboxItem:
    row = connection.execute("SELECT * FROM outbox_items WHERE id = ?", (item_id,)).fetchone()
    if row is None:
        raise KeyError(f"outbox item {item_id} not found")
    return _item_from_row(row)


def list_items(
    connection: sqlite3.Connection, states: tuple[ItemState, ...] | None = None
) -> list[OutboxItem]:
    """Return items in queue order, optionally only those in ``states``."""
    if states is None:
        rows = connection.execute("SELECT * FROM outbox_items ORDER BY id").fetchall()
    else:
        marks = ", ".join("?" for _ in states)
        rows = connection.execute(
            f"SELECT * FROM outbox_items WHERE state IN ({marks}) ORDER BY id",
            [state.value for state in states],
        ).fetchall()
    return [_item_from_row(row) for row in rows]


def list_queue(connection: sqlite3.Connection, finished_since: float) -> list[OutboxItem]:
    """Return items still open (queued, sending, unknown, failed) and those finished since then."""
    rows = connection.execute(
        "SELECT * FROM outbox_items WHERE state IN"
        " ('queued', 'sending', 'outcome_unknown', 'failed') OR updated_at >= ? ORDER BY id",
        (finished_since,),
    ).fetchall()
    return [_item_from_row(row) for row in rows]


def next_sendable(connection: sqlite3.Connection, after_id: int = 0) -> OutboxItem | None:
    """Return the oldest item the sender should send next, skipping ids up to ``after_id``."""
    row = connection.execute(
        "SELECT * FROM outbox_items WHERE state IN ('queued', 'outcome_unknown')"
        " AND needs_decision = 0 AND id > ? ORDER BY id LIMIT 1",
        (after_id,),
    ).fetchone()
    return None if row is None else _item_from_row(row)


def mark_sending(
    connection: sqlite3.Connection,
    item_id: int,
    *,
    volume_before_bytes: int | None = None,
    expiry_before: str | None = None,
) -> OutboxItem | None:
    """Commit ``sending`` for a sendable item; return None if another sender changed it."""
    now = time.time()
    with transaction(connection):
        cursor = connection.execute(
            "UPDATE outbox_items SET state = 'sending', attempts = attempts + 1,"
            " volume_before_bytes = COALESCE(volume_before_bytes, ?),"
            " expiry_before = COALESCE(expiry_before, ?), updated_at = ?"
            " WHERE id = ? AND state IN ('queued', 'outcome_unknown') AND needs_decision = 0",
            (volume_before_bytes, expiry_before, now, item_id),
        )
        if cursor.rowcount == 0:
            return None
    return get_item(connection, item_id)


def mark_done(
    connection: sqlite3.Connection, item_id: int, order_reference: str, request_id: str | None
) -> None:
    """Record the service's order reference; the caller stores the order in the same transaction."""
    connection.execute(
        "UPDATE outbox_items SET state = 'done', order_reference = ?, last_request_id = ?,"
        " last_error_code = NULL, last_error = NULL, updated_at = ? WHERE id = ?",
        (order_reference, request_id, time.time(), item_id),
    )


def mark_back(
    connection: sqlite3.Connection,
    item_id: int,
    *,
    may_have_reached_server: bool,
    error_code: str | None,
    error: str | None,
    request_id: str | None,
) -> None:
    """Commit the item as waiting for another attempt after a retryable failure.

    An item any attempt of which may have reached the service stays
    ``outcome_unknown`` even when a later attempt never left the console.
    """
    now = time.time()
    with transaction(connection):
        connection.execute(
            "UPDATE outbox_items SET may_have_reached_server = may_have_reached_server OR ?,"
            " state = CASE WHEN (may_have_reached_server OR ?) THEN 'outcome_unknown'"
            " ELSE 'queued' END,"
            " last_error_code = ?, last_error = ?, last_request_id = ?, updated_at = ?"
            " WHERE id = ? AND state = 'sending'",
            (
                may_have_reached_server,
                may_have_reached_server,
                error_code,
                error,
                request_id,
                now,
                item_id,
            ),
        )


def mark_failed(
    connection: sqlite3.Connection,
    item_id: int,
    *,
    error_code: str | None,
    error: str,
    request_id: str | None,
    needs_decision: bool = False,
) -> None:
    """Commit ``failed`` with the reason; the sender never retries it by itself."""
    with transaction(connection):
        connection.execute(
            "UPDATE outbox_items SET state = 'failed', needs_decision = ?, last_error_code = ?,"
            " last_error = ?, last_request_id = ?, updated_at = ? WHERE id = ?",
            (needs_decision, error_code, error, request_id, time.time(), item_id),
        )


def mark_stale_sending_unknown(connection: sqlite3.Connection) -> int:
    """Turn items left ``sending`` by a sender that died into ``outcome_unknown``."""
    with transaction(connection):
        cursor = connection.execute(
            "UPDATE outbox_items SET state = 'outcome_unknown', may_have_reached_server = 1,"
            " updated_at = ? WHERE state = 'sending'",
            (time.time(),),
        )
    return cursor.rowcount


def cancel_item(connection: sqlite3.Connection, item_id: int) -> bool:
    """Cancel an item that was never possibly sent, or a failed one; return whether it was."""
    with transaction(connection):
        cursor = connection.execute(
            "UPDATE outbox_items SET state = 'cancelled', needs_decision = 0, updated_at = ?"
            " WHERE id = ? AND (state = 'failed'"
            " OR (state = 'queued' AND may_have_reached_server = 0))",
            (time.time(), item_id),
        )
    return cursor.rowcount == 1


def retry_item(connection: sqlite3.Connection, item_id: int) -> bool:
    """Put a failed item back in the queue with its original idempotency key."""
    with transaction(connection):
        cursor = connection.execute(
            "UPDATE outbox_items SET state = CASE WHEN may_have_reached_server AND kind = 'order'"
            " THEN 'outcome_unknown' ELSE 'queued' END, needs_decision = 0, updated_at = ?"
            " WHERE id = ? AND state = 'failed' AND kind = 'order'",
            (time.time(), item_id),
        )
    return cursor.rowcount == 1


def requeue_unapplied_topup(connection: sqlite3.Connection, item_id: int) -> bool:
    """Queue a top-up stopped as uncertain again; the operator decided it did not go through."""
    with transaction(connection):
        cursor = connection.execute(
            "UPDATE outbox_items SET state = 'queued', needs_decision = 0,"
            " may_have_reached_server = 0, volume_before_bytes = NULL, expiry_before = NULL,"
            " updated_at = ? WHERE id = ? AND kind = 'topup' AND state = 'failed'",
            (time.time(), item_id),
        )
    return cursor.rowcount == 1


def replace_with_new_price(
    connection: sqlite3.Connection, item_id: int, new_price: Decimal
) -> OutboxItem:
    """Cancel an item stopped by a price change and queue a copy at ``new_price``.

    The copy is a new decision, so it gets its own idempotency key.
    """
    old = get_item(connection, item_id)
    if old.state is not ItemState.FAILED or not old.needs_decision:
        raise ValueError(f"outbox item {item_id} is not waiting for a price decision")

    replacement = insert_item(
        connection,
        NewItem(
            package_code=old.package_code,
            quantity=old.quantity,
            price=new_price,
            currency=old.currency,
            kind=old.kind,
            iccid=old.iccid,
            customer_reference=old.customer_reference,
            operator=old.operator,
        ),
    )
    with transaction(connection):
        connection.execute(
            "UPDATE outbox_items SET state = 'cancelled', needs_decision = 0, replaced_by = ?,"
            " updated_at = ? WHERE id = ?",
            (replacement.id, time.time(), item_id),
        )
    return replacement
