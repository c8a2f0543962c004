"""The whole catalog from the training sandbox: sync, vanished packages, search."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from esimfly_desktop.api import Credentials, EsimflyClient
from esimfly_desktop.api.models import PackagePage
from esimfly_desktop.sandbox.launcher import SandboxInfo
from esimfly_desktop.services.catalog_search import CatalogFilters, CatalogIndex, SortKey
from esimfly_desktop.services.catalog_store import CatalogStore
from esimfly_desktop.services.catalog_sync import CatalogSync
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


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    database = Database.open_sync(tmp_path / "console.sqlite3")
    yield database
    database.close()


def client_for(sandbox: SandboxInfo) -> EsimflyClient:
    return EsimflyClient(sandbox.base_url, Credentials(sandbox.access_code, sandbox.secret))


@pytest.mark.asyncio
async def test_sandbox_full_sync_and_resync(sandbox: SandboxInfo, database: Database) -> None:
    store = CatalogStore(database)
    progress: list[tuple[int, int]] = []

    async with client_for(sandbox) as client:
        first = await CatalogSync(client, store, clock=lambda: FIRST_SYNC).sync(
            lambda page, total: progress.append((page, total))
        )
        stored = await store.load()
        dropped = stored.packages[0].package_code
        second = await CatalogSync(
            WithoutPackage(client, dropped), store, clock=lambda: FIRST_SYNC + timedelta(hours=6)
        ).sync()
        third = await CatalogSync(
            WithoutPackage(client, dropped), store, clock=lambda: FIRST_SYNC + timedelta(hours=12)
        ).sync()

    assert first.changes.received >= 5_000
    assert first.changes.added == first.changes.received
    assert len(progress) == first.pages
    assert progress[-1] == (first.pages, first.pages)
    assert second.changes.marked_unavailable == 1
    assert second.changes.updated == 0
    assert third.changes.marked_unavailable == 0

    reloaded = await store.load()
    assert reloaded.unavailable_codes == {dropped}
    assert len(reloaded.packages) == first.changes.received
    assert reloaded.last_synced_at == FIRST_SYNC + timedelta(hours=12)


@pytest.mark.asyncio
async def test_sandbox_catalog_search(sandbox: SandboxInfo, database: Database) -> None:
    store = CatalogStore(database)
    async with client_for(sandbox) as client:
        await CatalogSync(client, store).sync()
    stored = await store.load()
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
