"""Staged syncs: the same changes as a direct save, and no partial catalog on failure."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from esimfly_desktop.api.errors import TransportError
from esimfly_desktop.services.catalog_store import CatalogStore
from esimfly_desktop.services.catalog_sync import CatalogSync
from esimfly_desktop.storage.database import Database
from tests.services.catalog_samples import generated_catalog, sample_catalog
from tests.services.test_catalog_sync import PagedCatalog

FIRST_SYNC = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
SECOND_SYNC = FIRST_SYNC + timedelta(hours=6)


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    database = Database.open_sync(tmp_path / "console.sqlite3")
    yield database
    database.close()


def staging_tables(database: Database) -> list[str]:
    return database.run_sync(
        lambda connection: [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_temp_master WHERE type = 'table'"
            )
        ]
    )


def stored_rows(database: Database) -> list[tuple[object, ...]]:
    return database.run_sync(
        lambda connection: [
            tuple(row)
            for row in connection.execute("SELECT * FROM catalog_packages ORDER BY package_code")
        ]
    )


def rows_without_last_seen(database: Database) -> list[tuple[object, ...]]:
    return database.run_sync(
        lambda connection: [
            tuple(row)
            for row in connection.execute(
                "SELECT package_code, name, region, package_type, data_amount_gb, validity_days, "
                "cost, currency, service_position, is_available, first_seen_at, "
                "unavailable_since, record FROM catalog_packages ORDER BY package_code"
            )
        ]
    )


def last_seen(database: Database) -> dict[str, datetime]:
    return database.run_sync(
        lambda connection: {
            code: datetime.fromisoformat(seen_at)
            for code, seen_at in connection.execute(
                "SELECT package_code, last_seen_at FROM catalog_packages"
            )
        }
    )


@pytest.mark.asyncio
async def test_staged_changes_match_direct_save(tmp_path: Path) -> None:
    packages = sample_catalog()
    returned = [packages[1], replace(packages[2], cost=Decimal("9.99")), *packages[4:]]
    staged_database = Database.open_sync(tmp_path / "staged.sqlite3")
    direct_database = Database.open_sync(tmp_path / "direct.sqlite3")
    try:
        for database in (staged_database, direct_database):
            store = CatalogStore(database)
            await store.save_sync(packages, FIRST_SYNC)
            await store.save_sync(packages[1:], FIRST_SYNC + timedelta(hours=1))

        staging = CatalogStore(staged_database).stage()
        staging.add_page(returned[:2])
        staging.add_page(returned[2:])
        staged = await staging.commit(SECOND_SYNC)
        direct = await CatalogStore(direct_database).save_sync(returned, SECOND_SYNC)

        assert staged == direct
        assert staged.updated == 1
        assert staged.marked_unavailable == 1
        assert rows_without_last_seen(staged_database) == rows_without_last_seen(direct_database)
        assert staging_tables(staged_database) == []
    finally:
        staged_database.close()
        direct_database.close()


@pytest.mark.asyncio
async def test_staging_rewrites_only_changed_rows(database: Database) -> None:
    store = CatalogStore(database)
    packages = sample_catalog()
    await store.save_sync(packages, FIRST_SYNC)
    repriced = replace(packages[1], cost=Decimal("9.99"))

    staging = store.stage()
    staging.add_page([packages[0], repriced, *packages[3:]])
    await staging.commit(SECOND_SYNC)
    seen = last_seen(database)

    assert seen[packages[0].package_code] == FIRST_SYNC
    assert seen[packages[1].package_code] == SECOND_SYNC
    assert seen[packages[2].package_code] == FIRST_SYNC
    assert (await store.load()).packages[1] == repriced


@pytest.mark.asyncio
async def test_vanished_package_keeps_last_sync(database: Database) -> None:
    store = CatalogStore(database)
    packages = sample_catalog()
    await store.save_sync(packages, FIRST_SYNC)
    staging = store.stage()
    staging.add_page(packages)
    await staging.commit(SECOND_SYNC)

    staging = store.stage()
    staging.add_page(packages[1:])
    await staging.commit(SECOND_SYNC + timedelta(hours=6))

    assert last_seen(database)[packages[0].package_code] == SECOND_SYNC


@pytest.mark.asyncio
async def test_staged_package_returns_available(database: Database) -> None:
    store = CatalogStore(database)
    packages = sample_catalog()
    await store.save_sync(packages[1:], FIRST_SYNC)
    await store.save_sync(packages, FIRST_SYNC + timedelta(hours=1))
    await store.save_sync(packages[1:], FIRST_SYNC + timedelta(hours=2))

    staging = store.stage()
    staging.add_page(packages)
    changes = await staging.commit(SECOND_SYNC)

    assert changes.available_again == 1
    assert changes.added == 0
    assert (await store.load()).unavailable_codes == frozenset()


@pytest.mark.asyncio
async def test_staging_keeps_first_repeat(database: Database) -> None:
    packages = sample_catalog()
    store = CatalogStore(database)

    staging = store.stage()
    staging.add_page(packages[:3])
    staging.add_page([packages[2], *packages[3:]])
    changes = await staging.commit(FIRST_SYNC)

    assert changes.received == len(packages)
    assert (await store.load()).packages == packages


@pytest.mark.asyncio
async def test_staging_rejects_empty_commit(database: Database) -> None:
    store = CatalogStore(database)
    await store.save_sync(sample_catalog(), FIRST_SYNC)

    staging = store.stage()
    with pytest.raises(ValueError, match="no packages"):
        await staging.commit(SECOND_SYNC)
    await staging.discard()

    assert (await store.last_synced_at()) == FIRST_SYNC


@pytest.mark.asyncio
async def test_failed_sync_drops_staged_pages(database: Database) -> None:
    store = CatalogStore(database)
    previous = generated_catalog(250)
    await store.save_sync(previous, FIRST_SYNC)
    before = stored_rows(database)
    catalog = PagedCatalog(generated_catalog(450, seed=11))
    catalog.fail_on_page = 4
    sync = CatalogSync(catalog, store, clock=lambda: SECOND_SYNC)  # type: ignore[arg-type]

    with pytest.raises(TransportError):
        await sync.sync()

    assert 3 in catalog.requested_pages
    assert stored_rows(database) == before
    assert staging_tables(database) == []
    assert (await store.last_synced_at()) == FIRST_SYNC


@pytest.mark.asyncio
async def test_cancelled_sync_drops_staged_pages(database: Database) -> None:
    store = CatalogStore(database)
    await store.save_sync(generated_catalog(250), FIRST_SYNC)
    before = stored_rows(database)
    catalog = PagedCatalog(generated_catalog(450, seed=11))
    page_three_requested = asyncio.Event()
    release = asyncio.Event()
    list_page = catalog.list_packages

    async def hold_page_three(page: int = 1, limit: int = 100, **options: object) -> object:
        if page == 3:
            page_three_requested.set()
            await release.wait()
        return await list_page(page=page, limit=limit)

    catalog.list_packages = hold_page_three  # type: ignore[method-assign]
    sync = CatalogSync(catalog, store, clock=lambda: SECOND_SYNC)  # type: ignore[arg-type]
    task = sync.start()
    await asyncio.wait_for(page_three_requested.wait(), timeout=10)
    sync.cancel()

    with pytest.raises(asyncio.CancelledError):
        await task

    assert stored_rows(database) == before
    assert staging_tables(database) == []


@pytest.mark.asyncio
async def test_sync_after_failure_stores_catalog(database: Database) -> None:
    store = CatalogStore(database)
    packages = generated_catalog(250)
    catalog = PagedCatalog(packages)
    catalog.fail_on_page = 2
    sync = CatalogSync(catalog, store, clock=lambda: SECOND_SYNC)  # type: ignore[arg-type]
    with pytest.raises(TransportError):
        await sync.sync()

    catalog.fail_on_page = None
    result = await sync.sync()

    assert result.changes.added == len(packages)
    assert (await store.load()).packages == packages


@pytest.mark.asyncio
async def test_discard_logs_failed_drop(
    database: Database, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    staging = CatalogStore(database).stage()
    staging.add_page(sample_catalog())

    def failing_drop(connection: object) -> None:
        raise OSError("disk gone")

    monkeypatch.setattr(staging, "_drop", failing_drop)
    await staging.discard()

    assert "Dropping the catalog staging table" in caplog.text
    assert "disk gone" in caplog.text
