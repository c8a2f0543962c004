"""Shared set-up for the outbox and purchase tests: fresh sandbox accounts and packages.

Each test gets its own account on the session's sandbox, so the ledger it
checks holds only its own orders. Faults are global to the sandbox; the
``sandbox_admin`` fixture clears them after each test.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
import pytest_asyncio

from esimfly_desktop.api import Credentials, EsimflyClient, Package
from esimfly_desktop.sandbox.admin_client import SandboxAdmin
from esimfly_desktop.sandbox.config import PENDING_PROVIDER
from esimfly_desktop.sandbox.launcher import SandboxInfo
from esimfly_desktop.storage.database import Database

START_BALANCE = Decimal("1000.00")


@dataclass(frozen=True)
class Account:
    info: SandboxInfo
    credentials: Credentials
    admin: SandboxAdmin

    def client(self, **options: object) -> EsimflyClient:
        return EsimflyClient(self.info.base_url, self.credentials, **options)  # type: ignore[arg-type]

    async def charges(self) -> list[dict[str, object]]:
        """Return the account's ledger lines that took money (orders), oldest first."""
        entries = await self.admin.ledger(self.credentials.access_code)
        return [entry for entry in entries if Decimal(str(entry["amount"])) < 0]

    async def balance(self) -> Decimal:
        async with self.client() as client:
            return (await client.get_balance()).amount


@pytest_asyncio.fixture
async def account(sandbox: SandboxInfo, sandbox_admin: SandboxAdmin) -> AsyncIterator[Account]:
    """A fresh account with 1000.00 on the session's sandbox (faults cleared afterwards)."""
    access_code, secret = await sandbox_admin.add_account(START_BALANCE)
    yield Account(sandbox, Credentials(access_code, secret), sandbox_admin)


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    database = Database.open_sync(tmp_path / "profile" / "console.sqlite3")
    yield database
    database.close()


async def instant_package(client: EsimflyClient) -> Package:
    """Return a cheap package that completes at once (its provider provisions immediately)."""
    page = await client.list_packages(limit=100)
    candidates = [p for p in page.packages if p.provider != PENDING_PROVIDER]
    return min(candidates, key=lambda package: package.cost)


async def pending_package(client: EsimflyClient) -> Package:
    """Return a package whose orders stay pending until the sandbox's pending delay passes."""
    for page_number in range(1, 80):
        page = await client.list_packages(page=page_number, limit=100)
        for package in page.packages:
            if package.provider == PENDING_PROVIDER:
                return package
        if page_number >= page.pagination.total_pages:
            break
    raise AssertionError(f"the sandbox catalog has no {PENDING_PROVIDER} package")


def outbox_states(database: Database) -> list[str]:
    return database.run_sync(
        lambda c: [row[0] for row in c.execute("SELECT state FROM outbox_items ORDER BY id")]
    )


def count_rows(connection: sqlite3.Connection, table: str) -> int:
    return connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
