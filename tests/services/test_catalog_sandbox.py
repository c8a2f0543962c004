"""The whole catalog from the training sandbox: sync, vanished packages, search."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from esimfly_desktop.api import Credentials, EsimflyClient
from esimfly_desktop.api.models import PackagePage
from esimfly_desktop.sandbox.launcher import SandboxInfo
from esimfly_desktop.services.catalog_search import CatalogFilters, CatalogIndex, SortKey
from esimfly_desktop.services.catalog_store import CatalogStore
from esimfly_desktop.services.catalog_sync import CatalogSync, SyncResult
from esimfly_desktop.storage.database import Database

FIRST_SYNC = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


class WithoutPackage:
    """A client wrapper that hides one package, as if the service had dropped it."""

    def __init__(self, client: EsimflyClient, package_code: str) -> None:
        self._client = client
        self._package_code = package_code

    async def list_packages(self, page: int = 1, limit: int = 100, **query: str) -> PackagePage:
        result = await self._client.list_packages(page=page, limit=limit)
        kept = tuple(p for p in result.packages if p.package_code != self._package_code)
        return PackagePage(packages=kept, pagination=result.pagination)


@dataclass(frozen=True)
class SyncedCatalog:
    """A database file holding one full sync of the sandbox catalog."""

    path: Path
    first_sync: SyncResult


def client_for(sandbox: SandboxInfo) -> EsimflyClient:
    return EsimflyClient(sandbox.base_url, Credentials(sandbox.access_code, sandbox.secret))


async def sync_into(
    sandbox: SandboxInfo, path: Path, progress: list[tuple[int, int]]
) -> SyncResult:
    database = await Database.open(path)
    try:
        async with client_for(sandbox) as client:
            return await CatalogSync(client, CatalogStore(database), clock=lambda: FIRST_SYNC).sync(
                lambda page, total: progress.append((page, total))
            )
    finally:
        database.close()


@pytest.fixture(scope="module")
def synced_catalog(sandbox: SandboxInfo, tmp_path_factory: pytest.TempPathFactory) -> SyncedCatalog:
    path = tmp_path_factory.mktemp("catalog") / "console.sqlite3"
    progress: list[tuple[int, int]] = []

    result = asyncio.run(sync_into(sandbox, path, progress))

    assert len(progress) == result.pages
    assert progress[-1] == (result.pages, result.pages)
    return SyncedCatalog(path, result)


@pytest.fixture
def database(synced_catalog: SyncedCatalog, tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "console.sqlite3"
    shutil.copyfile(synced_catalog.path, path)
    database = Database.open_sync(path)
    yield database
    database.close()


def test_sandbox_full_sync(synced_catalog: SyncedCatalog) -> None:
    first = synced_catalog.first_sync

    assert first.changes.received >= 5_000
    assert first.changes.added == first.changes.received
    assert first.pages == -(-first.changes.received // 100)


@pytest.mark.asyncio
async def test_sandbox_resync_keeps_vanished(
    sandbox: SandboxInfo, synced_catalog: SyncedCatalog, database: Database
) -> None:
    store = CatalogStore(database)
    stored = await store.load()
    dropped = stored.packages[0].package_code

    async with client_for(sandbox) as client:
        second = await CatalogSync(
            WithoutPackage(client, dropped), store, clock=lambda: FIRST_SYNC + timedelta(hours=6)
        ).sync()
        third = await CatalogSync(
            WithoutPackage(client, dropped), store, clock=lambda: FIRST_SYNC + timedelta(hours=12)
        ).sync()

    assert second.changes.marked_unavailable == 1
    assert second.changes.updated == 0
    assert second.changes.added == 0
    assert third.changes.marked_unavailable == 0

    reloaded = await store.load()
    assert reloaded.unavailable_codes == {dropped}
    assert len(reloaded.packages) == synced_catalog.first_sync.changes.received
    assert reloaded.last_synced_at == FIRST_SYNC + timedelta(hours=12)


@pytest.mark.asyncio
async def test_sandbox_catalog_search(database: Database) -> None:
    stored = await CatalogStore(database).load()
    index = CatalogIndex(stored.packages, "es", unavailable_codes=stored.unavailable_codes)

    by_name = index.query("Japan")
    by_code = index.query("JP")
    in_spanish = index.query("japón")
    local_japan = index.query("japón", CatalogFilters(package_type="local"), SortKey.PRICE)

    assert by_name
    assert in_spanish == by_name
    assert set(by_name) <= set(by_code)
    assert all("JP" in index.package(i).countries for i in in_spanish)
    assert local_japan
    assert all(index.package(i).countries == ("JP",) for i in local_japan)
    prices = [index.price(i) for i in local_japan]
    assert prices == sorted(prices)
