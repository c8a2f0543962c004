"""Catalog sync: page-by-page progress, all-or-nothing storage, cancellation, intervals."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from esimfly_desktop.api.errors import TransportError
from esimfly_desktop.api.models import Package, PackagePage, Pagination
from esimfly_desktop.services.catalog_store import CatalogStore
from esimfly_desktop.services.catalog_sync import (
    MAX_PAGES,
    CatalogSync,
    CatalogTooLargeError,
    EmptyCatalogError,
    SyncResult,
)
from esimfly_desktop.storage.database import Database
from esimfly_desktop.storage.errors import DatabaseLockedError
from tests.services.catalog_samples import generated_catalog

SYNC_TIME = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


class PagedCatalog:
    """A stand-in for the API client that serves a list of packages in pages."""

    def __init__(self, packages: Sequence[Package]) -> None:
        self.packages = list(packages)
        self.requested_pages: list[int] = []
        self.fail_on_page: int | None = None
        self.reported_total_pages: int | None = None
        self.page_gate: asyncio.Event | None = None
        self.page_requested = asyncio.Event()

    async def list_packages(
        self,
        page: int = 1,
        limit: int = 100,
        search: str | None = None,
        package_type: str | None = None,
    ) -> PackagePage:
        self.requested_pages.append(page)
        self.page_requested.set()
        if self.page_gate is not None:
            await self.page_gate.wait()
        if page == self.fail_on_page:
            raise TransportError(
                "connection reset",
                method="GET",
                path="/esims/packages",
                request_id="00000000-0000-4000-8000-000000000000",
                request_sent=True,
            )

        total_pages = self.reported_total_pages or max(1, -(-len(self.packages) // limit))
        start = (page - 1) * limit
        return PackagePage(
            packages=tuple(self.packages[start : start + limit]),
            pagination=Pagination(
                page=page, limit=limit, total=len(self.packages), total_pages=total_pages
            ),
        )


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    database = Database.open_sync(tmp_path / "console.sqlite3")
    yield database
    database.close()


def make_sync(catalog: PagedCatalog, database: Database, **options: object) -> CatalogSync:
    return CatalogSync(catalog, CatalogStore(database), clock=lambda: SYNC_TIME, **options)  # type: ignore[arg-type]


@pytest.mark.asyncio
async def test_sync_reports_every_page(database: Database) -> None:
    catalog = PagedCatalog(generated_catalog(250))
    progress: list[tuple[int, int]] = []

    result = await make_sync(catalog, database).sync(
        lambda page, total: progress.append((page, total))
    )

    assert progress == [(1, 3), (2, 3), (3, 3)]
    assert result.pages == 3
    assert result.changes.received == 250
    assert result.synced_at == SYNC_TIME


@pytest.mark.asyncio
async def test_sync_stores_whole_catalog(database: Database) -> None:
    packages = generated_catalog(250)
    catalog = PagedCatalog(packages)

    await make_sync(catalog, database).sync()
    stored = await CatalogStore(database).load()

    assert stored.packages == packages
    assert stored.last_synced_at == SYNC_TIME


@pytest.mark.asyncio
async def test_sync_failure_stores_nothing(database: Database) -> None:
    packages = generated_catalog(250)
    store = CatalogStore(database)
    await store.save_sync(packages, SYNC_TIME - timedelta(hours=6))
    catalog = PagedCatalog(packages[:150])
    catalog.fail_on_page = 2

    with pytest.raises(TransportError):
        await make_sync(catalog, database).sync()

    stored = await store.load()
    assert stored.unavailable_codes == frozenset()
    assert stored.last_synced_at == SYNC_TIME - timedelta(hours=6)


@pytest.mark.asyncio
async def test_sync_failure_stops_paging(database: Database) -> None:
    catalog = PagedCatalog(generated_catalog(950))
    catalog.fail_on_page = 3

    with pytest.raises(TransportError):
        await make_sync(catalog, database).sync()

    assert max(catalog.requested_pages) <= 4
    assert (await CatalogStore(database).load()).packages == []


@pytest.mark.asyncio
async def test_sync_catalog_grows_during_sync(database: Database) -> None:
    packages = generated_catalog(250)
    catalog = PagedCatalog(packages[:150])
    progress: list[tuple[int, int]] = []

    def grow_after_first_page(page: int, total: int) -> None:
        progress.append((page, total))
        catalog.packages = packages

    result = await make_sync(catalog, database).sync(grow_after_first_page)

    assert result.pages == 3
    assert progress == [(1, 2), (2, 3), (3, 3)]
    assert result.changes.received == 250


@pytest.mark.asyncio
async def test_sync_cancel_stores_nothing(database: Database) -> None:
    catalog = PagedCatalog(generated_catalog(250))
    catalog.page_gate = asyncio.Event()
    sync = make_sync(catalog, database)

    task = sync.start()
    await asyncio.wait_for(catalog.page_requested.wait(), timeout=10)
    cancelled = sync.cancel()

    assert cancelled
    with pytest.raises(asyncio.CancelledError):
        await task
    assert not sync.is_running
    assert (await CatalogStore(database).load()).packages == []


@pytest.mark.asyncio
async def test_sync_cancel_without_running(database: Database) -> None:
    sync = make_sync(PagedCatalog(generated_catalog(10)), database)

    assert not sync.cancel()


@pytest.mark.asyncio
async def test_sync_start_reuses_running_task(database: Database) -> None:
    catalog = PagedCatalog(generated_catalog(250))
    catalog.page_gate = asyncio.Event()
    sync = make_sync(catalog, database)

    first = sync.start()
    second = sync.start()
    catalog.page_gate.set()
    result = await first

    assert first is second
    assert catalog.requested_pages == [1, 2, 3]
    assert isinstance(result, SyncResult)


@pytest.mark.asyncio
async def test_sync_rejects_too_many_pages(database: Database) -> None:
    catalog = PagedCatalog(generated_catalog(10))
    catalog.reported_total_pages = MAX_PAGES + 1

    with pytest.raises(CatalogTooLargeError, match=str(MAX_PAGES + 1)):
        await make_sync(catalog, database).sync()

    assert catalog.requested_pages == [1]


@pytest.mark.asyncio
async def test_sync_empty_catalog_changes_nothing(database: Database) -> None:
    store = CatalogStore(database)
    await store.save_sync(generated_catalog(10), SYNC_TIME - timedelta(hours=6))

    with pytest.raises(EmptyCatalogError, match="empty catalog"):
        await make_sync(PagedCatalog([]), database).sync()

    assert (await store.load()).unavailable_codes == frozenset()


@pytest.mark.asyncio
async def test_next_due_follows_interval(database: Database) -> None:
    sync = make_sync(PagedCatalog([]), database, interval=timedelta(hours=6))

    assert sync.next_due(None) == SYNC_TIME
    assert sync.next_due(SYNC_TIME) == SYNC_TIME + timedelta(hours=6)


@pytest.mark.asyncio
async def test_periodic_sync_bounded_rounds(database: Database) -> None:
    catalog = PagedCatalog(generated_catalog(150))
    sync = make_sync(catalog, database, interval=timedelta(0))
    results: list[SyncResult] = []

    await sync.run_periodically(on_result=results.append, max_rounds=2)

    assert len(results) == 2
    assert catalog.requested_pages == [1, 2, 1, 2]


@pytest.mark.asyncio
async def test_periodic_sync_waits_for_interval(database: Database) -> None:
    await CatalogStore(database).save_sync(generated_catalog(10), SYNC_TIME - timedelta(hours=1))
    catalog = PagedCatalog(generated_catalog(10))
    delays: list[float] = []

    async def record_delay(seconds: float) -> None:
        assert catalog.requested_pages == []
        delays.append(seconds)

    sync = make_sync(catalog, database, interval=timedelta(hours=6), sleep=record_delay)
    await sync.run_periodically(max_rounds=1)

    assert delays == [5 * 3600.0]
    assert catalog.requested_pages == [1]


@pytest.mark.asyncio
async def test_periodic_sync_retries_after_failure(database: Database) -> None:
    catalog = PagedCatalog(generated_catalog(10))
    catalog.fail_on_page = 1
    delays: list[float] = []

    async def record_delay(seconds: float) -> None:
        delays.append(seconds)

    sync = make_sync(catalog, database, sleep=record_delay)
    await sync.run_periodically(max_rounds=2)

    assert delays == [300.0, 300.0]
    assert catalog.requested_pages == [1, 1]


class LockedStaging:
    """A staging table whose writes fail because the database is locked."""

    def __init__(self) -> None:
        self.received = 0

    def add_page(self, packages: Sequence[Package]) -> None:
        self.received += len(packages)

    async def commit(self, synced_at: datetime) -> object:
        raise DatabaseLockedError("The database is locked.", Path("console.sqlite3"))

    async def discard(self) -> None:
        return None


class LockedCatalogStore:
    """A catalog store whose database another program keeps locked.

    Reading the last sync time fails once and then succeeds; saving always fails.
    """

    def __init__(self) -> None:
        self.failed_reads = 0

    async def last_synced_at(self) -> datetime | None:
        if self.failed_reads == 0:
            self.failed_reads += 1
            raise DatabaseLockedError("The database is locked.", Path("console.sqlite3"))
        return None

    def stage(self) -> LockedStaging:
        return LockedStaging()


@pytest.mark.asyncio
async def test_periodic_sync_survives_locked_database() -> None:
    catalog = PagedCatalog(generated_catalog(10))
    delays: list[float] = []

    async def record_delay(seconds: float) -> None:
        delays.append(seconds)

    sync = CatalogSync(
        catalog,
        LockedCatalogStore(),  # type: ignore[arg-type]
        clock=lambda: SYNC_TIME,
        sleep=record_delay,
    )
    await sync.run_periodically(max_rounds=2)

    assert delays == [300.0, 300.0]
    assert catalog.requested_pages == [1]


@pytest.mark.asyncio
async def test_periodic_sync_survives_operator_cancel(database: Database) -> None:
    catalog = PagedCatalog(generated_catalog(10))
    catalog.page_gate = asyncio.Event()
    results: list[SyncResult] = []

    async def release_pages(seconds: float) -> None:
        catalog.page_gate.set()

    sync = make_sync(catalog, database, sleep=release_pages)
    periodic = asyncio.get_running_loop().create_task(
        sync.run_periodically(on_result=results.append, max_rounds=2)
    )
    await asyncio.wait_for(catalog.page_requested.wait(), timeout=10)
    assert sync.cancel()
    await periodic

    assert len(results) == 1
    assert catalog.requested_pages == [1, 1]
