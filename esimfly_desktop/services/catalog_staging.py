"""A sync's packages staged page by page, then swapped in as the stored catalog.

Each page is encoded on the event loop's thread as it arrives, and its rows go
into a temporary table on the database thread while the next pages download.
After the last page one transaction replaces the stored catalog from the
staged rows, so little work is left for the end of a sync.

The stored catalog changes only in that transaction. A failed or cancelled
sync discards its staged rows. A temporary table belongs to its connection,
so the next start never reads the rows of a process that crashed. The
previous complete catalog therefore stays until a sync has every page.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import sqlite3
from collections.abc import Sequence
from datetime import datetime

from esimfly_desktop.api.models import Package
from esimfly_desktop.services.catalog_codec import encode
from esimfly_desktop.services.catalog_store import (
    LAST_SYNC_KEY,
    UPSERT_CONFLICT_CLAUSE,
    CatalogChanges,
    package_columns,
    read_last_synced_at,
    sync_time_text,
)
from esimfly_desktop.storage.database import Database, transaction

log = logging.getLogger(__name__)

# Each staging gets its own table, so two syncs of one database never mix rows.
_table_numbers = itertools.count(1)

StagedRow = tuple[str, str, str, str, str, int, str, str, int, str]


class CatalogStaging:
    """The rows of one sync in a temporary table, until ``commit`` or ``discard``."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self._table = f"temp.catalog_staging_{next(_table_numbers)}"
        self._received: set[str] = set()
        self._writes: list[asyncio.Future[None]] = []
        self._created = False

    @property
    def received(self) -> int:
        """Return how many distinct packages have been staged so far."""
        return len(self._received)

    def add_page(self, packages: Sequence[Package]) -> None:
        """Encode a page's packages and start writing them to the staging table.

        A package already staged keeps its first place in the service's order,
        because a page boundary that shifts during a sync can return it twice.
        Errors of the write are raised by ``commit``.
        """
        rows = self._encode(packages)
        create = not self._created
        self._created = True
        self._writes.append(
            asyncio.ensure_future(
                self._database.run(lambda connection: self._insert(connection, rows, create))
            )
        )

    async def commit(self, synced_at: datetime) -> CatalogChanges:
        """Replace the stored catalog with the staged rows in one transaction.

        Packages the sync did not return are marked unavailable, never deleted.
        Raises ValueError when nothing was staged.
        """
        if not self._received:
            raise ValueError("a sync with no packages cannot replace the stored catalog")
        await asyncio.gather(*self._writes)
        seen_at = sync_time_text(synced_at)
        changes = await self._database.run(lambda connection: self._swap(connection, seen_at))
        log.info("Catalog stored: %s", changes)
        return changes

    async def discard(self) -> None:
        """Wait for the pending writes, then drop the staging table.

        Errors are logged, not raised, so the error that ended the sync is
        the one raised to its caller.
        """
        results = await asyncio.gather(*self._writes, return_exceptions=True)
        self._writes.clear()
        for result in results:
            if isinstance(result, Exception):
                log.warning("A staged catalog page was not written: %s", result)
        if not self._created:
            return

        self._created = False
        try:
            await self._database.run(self._drop)
        except Exception:
            log.exception("Dropping the catalog staging table %s failed", self._table)

    def _encode(self, packages: Sequence[Package]) -> list[StagedRow]:
        rows: list[StagedRow] = []
        received = self._received
        for package in packages:
            if package.package_code in received:
                continue
            rows.append((*package_columns(package), len(received), encode(package)))
            received.add(package.package_code)
        return rows

    def _insert(self, connection: sqlite3.Connection, rows: list[StagedRow], create: bool) -> None:
        # The table is temporary, so this transaction takes no lock on the profile database.
        connection.execute("BEGIN")
        try:
            if create:
                connection.execute(_CREATE_TABLE.format(table=self._table))
            connection.executemany(_INSERT.format(table=self._table), rows)
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise

    def _swap(self, connection: sqlite3.Connection, seen_at: str) -> CatalogChanges:
        table = self._table
        with transaction(connection):
            received, added, updated, available_again = connection.execute(
                _COUNT_CHANGES.format(table=table)
            ).fetchone()
            previous = read_last_synced_at(connection)
            previous_sync = None if previous is None else sync_time_text(previous)
            vanished = connection.execute(
                _MARK_VANISHED.format(table=table),
                {"seen_at": seen_at, "previous_sync": previous_sync},
            ).rowcount
            connection.execute(_UPSERT_STAGED.format(table=table), {"seen_at": seen_at})
            connection.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (LAST_SYNC_KEY, seen_at),
            )
            self._drop(connection)
        self._created = False
        return CatalogChanges(
            received=received,
            added=added,
            updated=updated,
            marked_unavailable=vanished,
            available_again=available_again,
        )

    def _drop(self, connection: sqlite3.Connection) -> None:
        connection.execute(f"DROP TABLE IF EXISTS {self._table}")


_CREATE_TABLE = """
    CREATE TABLE {table} (
        package_code TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        region TEXT NOT NULL,
        package_type TEXT NOT NULL,
        data_amount_gb TEXT NOT NULL,
        validity_days INTEGER NOT NULL,
        cost TEXT NOT NULL,
        currency TEXT NOT NULL,
        service_position INTEGER NOT NULL,
        record TEXT NOT NULL
    )
"""

_INSERT = "INSERT INTO {table} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"

# A comparison with a missing stored row is NULL, which sum() leaves out.
_COUNT_CHANGES = """
    SELECT
        count(*),
        coalesce(sum(stored.package_code IS NULL), 0),
        coalesce(sum(stored.record <> staged.record), 0),
        coalesce(sum(stored.is_available = 0), 0)
    FROM {table} AS staged
    LEFT JOIN catalog_packages AS stored ON stored.package_code = staged.package_code
"""

# A package available until now was returned by the previous sync, its last_seen_at.
_MARK_VANISHED = """
    UPDATE catalog_packages SET
        is_available = 0,
        unavailable_since = :seen_at,
        last_seen_at = coalesce(:previous_sync, last_seen_at)
    WHERE is_available = 1 AND package_code NOT IN (SELECT package_code FROM {table})
"""

# Only new rows and rows that differ in a column are written, so an unchanged
# catalog costs no row writes. An unchanged row keeps its last_seen_at.
_UPSERT_STAGED = (
    """
    INSERT INTO catalog_packages (
        package_code, name, region, package_type, data_amount_gb, validity_days, cost,
        currency, service_position, is_available, first_seen_at, last_seen_at,
        unavailable_since, record
    )
    SELECT
        staged.package_code, staged.name, staged.region, staged.package_type,
        staged.data_amount_gb, staged.validity_days, staged.cost, staged.currency,
        staged.service_position, 1, :seen_at, :seen_at, NULL, staged.record
    FROM {table} AS staged
    LEFT JOIN catalog_packages AS stored ON stored.package_code = staged.package_code
    WHERE stored.package_code IS NULL
        OR stored.is_available = 0
        OR stored.record IS NOT staged.record
        OR stored.service_position IS NOT staged.service_position
        OR stored.name IS NOT staged.name
        OR stored.region IS NOT staged.region
        OR stored.package_type IS NOT staged.package_type
        OR stored.data_amount_gb IS NOT staged.data_amount_gb
        OR stored.validity_days IS NOT staged.validity_days
        OR stored.cost IS NOT staged.cost
        OR stored.currency IS NOT staged.currency
"""
    + UPSERT_CONFLICT_CLAUSE
)


__all__ = ["CatalogStaging"]
