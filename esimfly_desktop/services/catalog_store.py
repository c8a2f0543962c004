"""The catalog in the profile database: what the last sync returned, and what vanished.

A package that disappears from the service is kept and marked unavailable,
never deleted, because old orders refer to it. Each row contains the columns the
console filters on and the whole package as JSON with money as strings, so
loading the catalog is one SELECT and no amount passes through a float.

NOTE: a sync through ``CatalogStaging`` rewrites only the rows that changed,
so ``last_seen_at`` is exact only for unavailable packages. Every available
package was returned by the last sync, stored under ``LAST_SYNC_KEY``.

JSON encoding and decoding run on a worker thread of their own, and only the
SQL runs on the database thread. A sync or a load therefore delays other
database work, such as storing an order's idempotency key, only for its SQL.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from esimfly_desktop.api.models import Package
from esimfly_desktop.services.catalog_codec import RecordFormatError, decode, encode
from esimfly_desktop.services.collector import cyclic_garbage_collection_paused
from esimfly_desktop.storage.database import Database, transaction

if TYPE_CHECKING:
    from esimfly_desktop.services.catalog_staging import CatalogStaging

log = logging.getLogger(__name__)

LAST_SYNC_KEY = "catalog.last_synced_at"


@dataclass(frozen=True)
class StoredCatalog:
    """The catalog as last stored, in the service's order (local, regional, global).

    ``unavailable_codes`` lists the package codes that the latest sync no longer
    returned. ``skipped_records`` counts rows that no longer match the package
    model. The next sync rewrites them.
    """

    packages: list[Package]
    unavailable_codes: frozenset[str]
    last_synced_at: datetime | None
    skipped_records: int = 0


@dataclass(frozen=True)
class CatalogChanges:
    """Counts of what one stored sync changed, for the log and the status bar."""

    received: int
    added: int
    updated: int
    marked_unavailable: int
    available_again: int


class CatalogStore:
    """Reads and writes the catalog: SQL on the database thread, JSON on another worker thread."""

    def __init__(self, database: Database) -> None:
        self._database = database

    async def load(self) -> StoredCatalog:
        """Return every stored package, unavailable ones included.

        Cancelling the caller interrupts the read, so a quit right after the
        start does not wait for thousands of rows that will not be shown.
        """
        rows, last_synced_at = await self._database.run_read(read_rows)
        return await asyncio.to_thread(decode_rows, rows, last_synced_at)

    async def load_first(self, count: int) -> StoredCatalog:
        """Return the first ``count`` stored packages in the service's order, for a first paint."""
        rows, last_synced_at = await self._database.run_read(
            lambda connection: read_first_rows(connection, count)
        )
        return await asyncio.to_thread(decode_rows, rows, last_synced_at)

    async def save_sync(
        self,
        packages: Sequence[Package],
        synced_at: datetime,
    ) -> CatalogChanges:
        """Store the complete result of a sync and mark packages it lacks as unavailable."""
        rows = await asyncio.to_thread(encode_rows, packages, synced_at)
        return await self._database.run(lambda connection: store_rows(connection, rows))

    def stage(self) -> CatalogStaging:
        """Return an empty staging table for the pages of one sync."""
        # catalog_staging builds on this module, so it is imported here.
        from esimfly_desktop.services.catalog_staging import CatalogStaging

        return CatalogStaging(self._database)

    async def last_synced_at(self) -> datetime | None:
        """Return when the last complete sync was stored, or None before the first."""
        return await self._database.run(read_last_synced_at)


def load_catalog(connection: sqlite3.Connection) -> StoredCatalog:
    """Read and decode the stored catalog on the calling thread (tools and tests)."""
    return decode_rows(*read_rows(connection))


def read_rows(connection: sqlite3.Connection) -> tuple[list[sqlite3.Row], datetime | None]:
    """Return the stored rows in the service's order and the last sync time."""
    # Sorting in Python is faster here than ORDER BY on a column without an index.
    rows = connection.execute(
        "SELECT service_position, package_code, record, is_available FROM catalog_packages"
    ).fetchall()
    rows.sort(key=_service_order)
    return rows, read_last_synced_at(connection)


def read_first_rows(
    connection: sqlite3.Connection, count: int
) -> tuple[list[sqlite3.Row], datetime | None]:
    """Return the first ``count`` rows in the service's order and the last sync time."""
    rows = connection.execute(
        "SELECT service_position, package_code, record, is_available FROM catalog_packages "
        "ORDER BY service_position, package_code LIMIT ?",
        (count,),
    ).fetchall()
    return rows, read_last_synced_at(connection)


def decode_rows(rows: list[sqlite3.Row], last_synced_at: datetime | None) -> StoredCatalog:
    """Decode rows from :func:`read_rows`, skipping records that no longer match the model."""
    packages: list[Package] = []
    unavailable: set[str] = set()
    skipped = 0
    with cyclic_garbage_collection_paused():
        for _position, package_code, record, is_available in rows:
            try:
                packages.append(decode(Package, record))
            except RecordFormatError as error:
                skipped += 1
                if skipped == 1:
                    log.warning("Skipped stored package %s: %s", package_code, error)
                continue
            if not is_available:
                unavailable.add(package_code)

    if skipped:
        log.warning("Skipped %d stored packages that no longer match the model", skipped)
    return StoredCatalog(
        packages=packages,
        unavailable_codes=frozenset(unavailable),
        last_synced_at=last_synced_at,
        skipped_records=skipped,
    )


def _service_order(row: sqlite3.Row) -> tuple[int, str]:
    return row[0], row[1]


def save_sync(
    connection: sqlite3.Connection, packages: Sequence[Package], synced_at: datetime
) -> CatalogChanges:
    """Encode and store a sync on the calling thread (tools and tests)."""
    return store_rows(connection, encode_rows(packages, synced_at))


@dataclass(frozen=True)
class EncodedSync:
    """The rows of one sync, ready for :func:`store_rows`, in the service's order."""

    rows: list[tuple[object, ...]]
    seen_at: str


def package_columns(package: Package) -> tuple[str, str, str, str, str, int, str, str]:
    """Return the package's values for the catalog table's columns before its position."""
    return (
        package.package_code,
        package.name,
        package.region,
        package.package_type,
        str(package.data_amount_gb),
        package.validity_days,
        str(package.cost),
        package.currency,
    )


def encode_rows(packages: Sequence[Package], synced_at: datetime) -> EncodedSync:
    """Encode the packages of a complete sync as table rows.

    Raises ValueError for an empty list: a sync that
    returned nothing is far more likely a service fault than a catalog
    without packages, and storing it would mark the whole catalog unavailable.
    """
    if not packages:
        raise ValueError("a sync with no packages cannot replace the stored catalog")

    # A page boundary that shifts during a sync can return a package twice.
    # The first occurrence keeps its place in the service's order.
    seen_at = sync_time_text(synced_at)
    rows: list[tuple[object, ...]] = []
    received: set[str] = set()
    for package in packages:
        if package.package_code in received:
            continue
        received.add(package.package_code)
        rows.append((*package_columns(package), len(rows), seen_at, seen_at, encode(package)))
    return EncodedSync(rows, seen_at)


def store_rows(connection: sqlite3.Connection, encoded: EncodedSync) -> CatalogChanges:
    """Upsert the rows of a sync and mark every other package unavailable, in one transaction."""
    rows, seen_at = encoded.rows, encoded.seen_at
    with transaction(connection):
        stored = {
            code: (record, bool(is_available))
            for code, record, is_available in connection.execute(
                "SELECT package_code, record, is_available FROM catalog_packages"
            )
        }
        connection.executemany(_UPSERT, rows)

        received_codes = {row[0] for row in rows}
        vanished = [
            (seen_at, code)
            for code, (_record, is_available) in stored.items()
            if is_available and code not in received_codes
        ]
        connection.executemany(
            "UPDATE catalog_packages SET is_available = 0, unavailable_since = ? "
            "WHERE package_code = ?",
            vanished,
        )
        connection.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (LAST_SYNC_KEY, seen_at),
        )

    changes = _count_changes(rows, stored, len(vanished))
    log.info("Catalog stored: %s", changes)
    return changes


def _count_changes(
    rows: list[tuple[object, ...]], stored: dict[str, tuple[str, bool]], vanished: int
) -> CatalogChanges:
    added = updated = available_again = 0
    for row in rows:
        previous = stored.get(str(row[0]))
        if previous is None:
            added += 1
            continue
        updated += previous[0] != row[_RECORD_COLUMN]
        available_again += not previous[1]

    return CatalogChanges(
        received=len(rows),
        added=added,
        updated=updated,
        marked_unavailable=vanished,
        available_again=available_again,
    )


_RECORD_COLUMN = 11

# Columns that a sync rewrites in a stored package's row. first_seen_at keeps its value.
UPSERT_CONFLICT_CLAUSE = """
    ON CONFLICT (package_code) DO UPDATE SET
        name = excluded.name,
        region = excluded.region,
        package_type = excluded.package_type,
        data_amount_gb = excluded.data_amount_gb,
        validity_days = excluded.validity_days,
        cost = excluded.cost,
        currency = excluded.currency,
        service_position = excluded.service_position,
        is_available = 1,
        last_seen_at = excluded.last_seen_at,
        unavailable_since = NULL,
        record = excluded.record
"""

_UPSERT = (
    """
    INSERT INTO catalog_packages (
        package_code, name, region, package_type, data_amount_gb, validity_days, cost,
        currency, service_position, is_available, first_seen_at, last_seen_at,
        unavailable_since, record
    ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, NULL, ?)
"""
    + UPSERT_CONFLICT_CLAUSE
)


def read_last_synced_at(connection: sqlite3.Connection) -> datetime | None:
    """Return the time of the last stored sync, read on the database thread."""
    row = connection.execute("SELECT value FROM meta WHERE key = ?", (LAST_SYNC_KEY,)).fetchone()
    if row is None:
        return None
    return datetime.fromisoformat(row[0])


def sync_time_text(moment: datetime) -> str:
    """Return a sync time as the UTC ISO 8601 text stored in the database."""
    if moment.tzinfo is None:
        raise ValueError("sync time must be timezone-aware")
    return moment.astimezone(UTC).isoformat()


__all__ = [
    "LAST_SYNC_KEY",
    "UPSERT_CONFLICT_CLAUSE",
    "CatalogChanges",
    "CatalogStore",
    "EncodedSync",
    "StoredCatalog",
    "decode_rows",
    "encode_rows",
    "load_catalog",
    "package_columns",
    "read_first_rows",
    "read_rows",
    "save_sync",
    "store_rows",
    "sync_time_text",
]
