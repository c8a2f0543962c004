"""The audit trail: who sold what, when, and every request id involved.

Rows are written in the same transaction as the change they describe (see
``outbox_sender``), so the trail never claims an order the database lacks.
No secret goes in: details name packages, quantities and prices only.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass

from esimfly_desktop.storage.database import Database


@dataclass(frozen=True)
class AuditEvent:
    id: int
    at: float
    operator: str
    action: str
    order_reference: str | None
    outbox_item_id: int | None
    request_ids: tuple[str, ...]
    detail: str


def record(
    connection: sqlite3.Connection,
    *,
    action: str,
    operator: str,
    order_reference: str | None,
    outbox_item_id: int | None,
    request_ids: list[str],
    detail: str = "",
) -> None:
    """Insert one event; the caller owns the transaction."""
    connection.execute(
        "INSERT INTO audit_events (at, operator, action, order_reference, outbox_item_id,"
        " request_ids, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            time.time(),
            operator,
            action,
            order_reference,
            outbox_item_id,
            json.dumps(request_ids),
            detail,
        ),
    )


def events(
    connection: sqlite3.Connection, *, order_reference: str | None = None
) -> list[AuditEvent]:
    """Return events oldest first, optionally only those of one order."""
    if order_reference is None:
        rows = connection.execute("SELECT * FROM audit_events ORDER BY id").fetchall()
    else:
        rows = connection.execute(
            "SELECT * FROM audit_events WHERE order_reference = ? ORDER BY id",
            (order_reference,),
        ).fetchall()
    return [
        AuditEvent(
            id=row["id"],
            at=row["at"],
            operator=row["operator"],
            action=row["action"],
            order_reference=row["order_reference"],
            outbox_item_id=row["outbox_item_id"],
            request_ids=tuple(json.loads(row["request_ids"])),
            detail=row["detail"],
        )
        for row in rows
    ]


class AuditTrail:
    """Read access to the trail from the event loop."""

    def __init__(self, database: Database) -> None:
        self._database = database

    async def events(self, order_reference: str | None = None) -> list[AuditEvent]:
        return await self._database.run(
            lambda connection: events(connection, order_reference=order_reference)
        )
