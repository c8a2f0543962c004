"""Open a profile database, or move a damaged one aside and keep what can still be read.

The damaged file is renamed (never deleted) and a fresh database is created in
its place. Then the rows SQLite can still read are copied over from the tables
that cannot be fetched again from the service: the outbox, local orders with
their eSIMs, and the audit trail. Items that were being sent become
``outcome_unknown``, so an order is re-sent with its idempotency key and a
top-up is checked before anything else happens.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

from esimfly_desktop.i18n import _, ngettext
from esimfly_desktop.storage.database import Database, connect, transaction
from esimfly_desktop.storage.errors import DatabaseCorruptError, classify_sqlite_error

log = logging.getLogger(__name__)

# Tables whose rows exist only on this desktop, in an order that satisfies foreign keys.
SALVAGED_TABLES = ("outbox_items", "local_orders", "local_esims", "audit_events")
MAX_ROWID_PROBES = 200_000


@dataclass(frozen=True)
class RecoveryReport:
    """The outcome of a recovery: where the damaged file went and how many rows were kept."""

    moved_to: Path
    kept_rows: dict[str, int] = field(default_factory=dict)
    unreadable_tables: tuple[str, ...] = ()

    @property
    def kept_outbox_items(self) -> int:
        return self.kept_rows.get("outbox_items", 0)

    def message(self) -> str:
        kept = ngettext(
            "{count} queued item was recovered.",
            "{count} queued items were recovered.",
            self.kept_outbox_items,
        ).format(count=self.kept_outbox_items)
        orders = self.kept_rows.get("local_orders", 0)
        return _(
            "The database was damaged and has been moved to {path}. A new one was created. "
            "{kept} {orders} orders placed here were recovered. Check the queue and order "
            "history."
        ).format(path=self.moved_to, kept=kept, orders=orders)


def open_or_recover(path: Path) -> tuple[Database, RecoveryReport | None]:
    """Open ``path``; if it is damaged, recover it and return the report with the new database."""
    try:
        database = Database.open_sync(path)
    except DatabaseCorruptError:
        log.error("Database %s is damaged; moving it aside", path)
        return _recover(path)

    try:
        problem = database.run_sync(_quick_check)
    except DatabaseCorruptError as error:
        problem = str(error)
    if problem is None:
        return database, None
    log.error("Database %s failed its integrity check (%s); moving it aside", path, problem)
    database.close()
    return _recover(path)


async def open_or_recover_async(path: Path) -> tuple[Database, RecoveryReport | None]:
    """Run ``open_or_recover`` on a worker thread, for callers on the GUI's event loop."""
    return await asyncio.to_thread(open_or_recover, path)


def _quick_check(connection: sqlite3.Connection) -> str | None:
    result = connection.execute("PRAGMA quick_check").fetchone()[0]
    return None if result == "ok" else str(result)


def _recover(path: Path) -> tuple[Database, RecoveryReport]:
    moved_to = _move_aside(path)
    database = Database.open_sync(path)

    kept: dict[str, int] = {}
    unreadable: list[str] = []
    for table in SALVAGED_TABLES:
        try:
            rows = _read_rows(moved_to, table)
        except sqlite3.Error as error:
            log.warning("No rows of %s could be read from %s: %s", table, moved_to, error)
            unreadable.append(table)
            continue
        kept[table] = database.run_sync(functools.partial(_insert_rows, table=table, rows=rows))

    database.run_sync(_settle_interrupted_items)
    report = RecoveryReport(moved_to, kept, tuple(unreadable))
    log.warning("Recovered database %s: kept %s, unreadable %s", path, kept, unreadable)
    return database, report


def _move_aside(path: Path) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    try:
        path.rename(target)
        for suffix in ("-wal", "-shm"):
            companion = path.with_name(path.name + suffix)
            if companion.exists():
                companion.rename(target.with_name(target.name + suffix))
    except OSError as error:
        raise classify_sqlite_error(error, path) from error
    return target


def _read_rows(damaged: Path, table: str) -> list[dict[str, object]]:
    """Read the rows SQLite can still decode, probing rowids after a damaged page."""
    connection = connect(damaged, read_only=True)
    try:
        rows: list[dict[str, object]] = []
        seen: set[int] = set()
        try:
            for row in connection.execute(f"SELECT rowid AS _rowid, * FROM {table}"):
                seen.add(row["_rowid"])
                rows.append(dict(row))
        except sqlite3.DatabaseError as error:
            log.warning("Scan of %s stopped at a damaged page (%s); probing rowids", table, error)
            rows.extend(_probe_rowids(connection, table, seen))
            if not rows:
                raise
        return rows
    finally:
        connection.close()


def _probe_rowids(
    connection: sqlite3.Connection, table: str, seen: set[int]
) -> list[dict[str, object]]:
    found: list[dict[str, object]] = []
    misses = 0
    for rowid in range(1, MAX_ROWID_PROBES + 1):
        if rowid in seen:
            continue
        try:
            row = connection.execute(
                f"SELECT rowid AS _rowid, * FROM {table} WHERE rowid = ?", (rowid,)
            ).fetchone()
        except sqlite3.DatabaseError:
            row = None
        if row is None:
            misses += 1
            if misses > 1000:
                break
            continue
        misses = 0
        found.append(dict(row))
    return found


def _insert_rows(connection: sqlite3.Connection, table: str, rows: list[dict[str, object]]) -> int:
    columns = [info["name"] for info in connection.execute(f"PRAGMA table_info({table})")]
    kept = 0
    with transaction(connection):
        for row in rows:
            names = [name for name in columns if name in row]
            marks = ", ".join("?" for _ in names)
            try:
                connection.execute(
                    f"INSERT OR IGNORE INTO {table} ({', '.join(names)}) VALUES ({marks})",
                    [row[name] for name in names],
                )
            except sqlite3.IntegrityError as error:
                log.warning("Row of %s not recovered: %s", table, error)
                continue
            kept += 1
    return kept


def _settle_interrupted_items(connection: sqlite3.Connection) -> None:
    with transaction(connection):
        connection.execute(
            "UPDATE outbox_items SET state = 'outcome_unknown', may_have_reached_server = 1"
            " WHERE state = 'sending'"
        )
