"""The real purchase stack for sale-screen tests: sandbox account, database, client, outbox.

Registered as a plugin in tests/conftest.py, so ``sale_stack_factory`` is a fixture everywhere.

Each test gets a fresh sandbox account on the session's sandbox, so the ledger
it checks contains only its own orders.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from esimfly_desktop.api import Credentials, EsimflyClient, Package
from esimfly_desktop.sandbox.admin_client import SandboxAdmin
from esimfly_desktop.sandbox.config import PENDING_PROVIDER
from esimfly_desktop.sandbox.launcher import SandboxInfo
from esimfly_desktop.services.order_store import OrderStore, StoredOrder
from esimfly_desktop.services.outbox import Outbox
from esimfly_desktop.services.purchase import PurchaseFlow, PurchaseRequest, PurchaseState
from esimfly_desktop.storage.database import Database

MAX_CATALOG_PAGES = 80


@dataclass
class SaleStack:
    """Everything one counter needs to sell, wired the way the console wires it."""

    info: SandboxInfo
    admin: SandboxAdmin
    credentials: Credentials
    database: Database
    client: EsimflyClient
    outbox: Outbox
    orders: OrderStore

    def make_flow(self) -> PurchaseFlow:
        return PurchaseFlow(self.client, self.outbox, self.orders, operator="Dana")

    async def charges(self) -> list[dict[str, object]]:
        """Return the account's ledger lines that took money, oldest first."""
        entries = await self.admin.ledger(self.credentials.access_code)
        return [entry for entry in entries if Decimal(str(entry["amount"])) < 0]

    async def close(self) -> None:
        await self.outbox.stop()
        await self.client.aclose()


async def open_sale_stack(info: SandboxInfo, folder: Path, balance: str) -> SaleStack:
    """Create an account holding ``balance`` and a started outbox that sends for it."""
    admin = SandboxAdmin(info.admin_url, info.admin_token)
    access_code, secret = await admin.add_account(Decimal(balance))
    credentials = Credentials(access_code, secret)
    database = await Database.open(folder / "console.sqlite3")
    client = EsimflyClient(info.base_url, credentials)
    outbox = Outbox(database, client)
    outbox.start()
    return SaleStack(info, admin, credentials, database, client, outbox, OrderStore(database))


@pytest.fixture
def sale_stack_factory(qt_loop, sandbox: SandboxInfo, tmp_path: Path) -> Iterator[object]:
    """Return ``open(balance)`` that builds a SaleStack; every stack is closed afterwards."""
    stacks: list[SaleStack] = []

    def open_stack(balance: str = "1000.00") -> SaleStack:
        folder = tmp_path / f"profile-{len(stacks)}"
        stack = qt_loop.run(open_sale_stack(sandbox, folder, balance))
        stacks.append(stack)
        return stack

    yield open_stack
    for stack in stacks:
        qt_loop.run(stack.close())
        stack.database.close()


async def find_package(client: EsimflyClient, country: str, *, pending: bool) -> Package:
    """Return the cheapest local package for ``country`` that provisions at once or later."""
    found: list[Package] = []
    for page_number in range(1, MAX_CATALOG_PAGES + 1):
        page = await client.list_packages(page=page_number, limit=100, search=country)
        found.extend(
            package
            for package in page.packages
            if (package.provider == PENDING_PROVIDER) == pending
        )
        if page_number >= page.pagination.total_pages:
            break
    if not found:
        raise AssertionError(f"the sandbox catalog has no {country} package (pending={pending})")
    return min(found, key=lambda package: package.cost)


async def find_pending_package(client: EsimflyClient) -> Package:
    """Return a package whose orders stay pending until the sandbox's pending delay passes."""
    for page_number in range(1, MAX_CATALOG_PAGES + 1):
        page = await client.list_packages(page=page_number, limit=100)
        for package in page.packages:
            if package.provider == PENDING_PROVIDER:
                return package
        if page_number >= page.pagination.total_pages:
            break
    raise AssertionError(f"the sandbox catalog has no {PENDING_PROVIDER} package")


async def buy(stack: SaleStack, package: Package, quantity: int = 1) -> StoredOrder:
    """Buy through the real purchase flow and return the stored order once it is ready."""
    request = PurchaseRequest(
        package_code=package.package_code,
        package_name=package.name,
        unit_cost=package.cost,
        currency=package.currency,
        quantity=quantity,
    )
    outcome = await stack.make_flow().run(request)
    if outcome.state is not PurchaseState.READY or outcome.order is None:
        raise AssertionError(f"purchase did not complete: {outcome.state} {outcome.message}")
    return outcome.order
