"""One outbox sender at a time across processes that share a profile database.

The holder of the ``outbox-sender`` row sends; it renews the row while it
works. A copy of the console that cannot take the lease shows the queue but
sends nothing. If the holder dies, its lease expires after ``ttl_s`` seconds and
another copy takes over, turning items the dead sender left ``sending`` into
``outcome_unknown`` (see ``outbox_store.mark_stale_sending_unknown``).
"""

from __future__ import annotations

import logging
import os
import socket
import sqlite3
import time
import uuid

from esimfly_desktop.storage.database import Database, transaction

log = logging.getLogger(__name__)

SENDER_LEASE = "outbox-sender"
DEFAULT_TTL_S = 15.0


def new_owner_id() -> str:
    """Return an owner id naming this host and process, unique per call."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def try_acquire(
    connection: sqlite3.Connection, owner: str, ttl_s: float, *, name: str = SENDER_LEASE
) -> tuple[bool, bool]:
    """Take or renew the lease; return (held, taken_over_from_someone_else)."""
    now = time.time()
    with transaction(connection):
        row = connection.execute(
            "SELECT owner, expires_at FROM sender_lease WHERE name = ?", (name,)
        ).fetchone()
        if row is not None and row["owner"] != owner and row["expires_at"] > now:
            return False, False

        connection.execute(
            "INSERT INTO sender_lease (name, owner, expires_at) VALUES (?, ?, ?)"
            " ON CONFLICT (name) DO UPDATE SET owner = excluded.owner,"
            " expires_at = excluded.expires_at",
            (name, owner, now + ttl_s),
        )
    taken_over = row is None or row["owner"] != owner
    return True, taken_over


def release(connection: sqlite3.Connection, owner: str, *, name: str = SENDER_LEASE) -> None:
    with transaction(connection):
        connection.execute("DELETE FROM sender_lease WHERE name = ? AND owner = ?", (name, owner))


class SenderLease:
    """This process's claim on the sender lease of one database."""

    def __init__(self, database: Database, *, ttl_s: float = DEFAULT_TTL_S) -> None:
        self.owner = new_owner_id()
        self.ttl_s = ttl_s
        self._database = database
        self.held = False

    async def acquire(self) -> bool:
        """Take or renew the lease; return whether this process holds it now.

        Taking it over from another owner (or from nobody) also recovers items
        that a previous sender left ``sending``.
        """
        from esimfly_desktop.services.outbox_store import mark_stale_sending_unknown

        def work(connection: sqlite3.Connection) -> tuple[bool, int]:
            held, taken_over = try_acquire(connection, self.owner, self.ttl_s)
            recovered = mark_stale_sending_unknown(connection) if held and taken_over else 0
            return held, recovered

        held, recovered = await self._database.run(work)
        if held and not self.held:
            log.info("Outbox sender lease taken by %s", self.owner)
        if recovered:
            log.warning(
                "%d outbox items left sending by a stopped sender are now outcome unknown",
                recovered,
            )
        if self.held and not held:
            log.warning("Outbox sender lease lost by %s", self.owner)
        self.held = held
        return held

    async def release(self) -> None:
        if not self.held:
            return
        await self._database.run(lambda connection: release(connection, self.owner))
        self.held = False
        log.info("Outbox sender lease released by %s", self.owner)
