"""The first screenful of the stored catalog, read before the whole catalog."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from esimfly_desktop.services.catalog_store import CatalogStore
from esimfly_desktop.storage.database import Database
from tests.services.catalog_samples import sample_catalog

SYNCED_AT = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    database = Database.open_sync(tmp_path / "console.sqlite3")
    yield database
    database.close()


@pytest.mark.asyncio
async def test_load_first_in_service_order(database: Database) -> None:
    store = CatalogStore(database)
    packages = sample_catalog()
    await store.save_sync(packages, SYNCED_AT)

    first = await store.load_first(2)

    assert first.packages == packages[:2]
    assert first.last_synced_at == SYNCED_AT


@pytest.mark.asyncio
async def test_load_first_marks_unavailable(database: Database) -> None:
    store = CatalogStore(database)
    packages = sample_catalog()
    await store.save_sync(packages, SYNCED_AT)
    await store.save_sync(packages[1:], SYNCED_AT)

    first = await store.load_first(len(packages))

    assert packages[0] in first.packages
    assert first.unavailable_codes == {packages[0].package_code}


@pytest.mark.asyncio
async def test_load_first_before_any_sync(database: Database) -> None:
    first = await CatalogStore(database).load_first(100)

    assert first.packages == []
    assert first.last_synced_at is None
