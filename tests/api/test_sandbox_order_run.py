"""200 orders while the sandbox drops a third of the answers after committing."""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest

from esimfly_desktop.api import Credentials, EsimflyClient, OrderResult, Package, RequestOutcome
from esimfly_desktop.sandbox.admin_client import SandboxAdmin
from esimfly_desktop.sandbox.launcher import SandboxInfo
from tests.api.sandbox_helpers import sandbox_client

ORDERS = 200
IN_FLIGHT = 8
PENDING_PROVIDER = "Kestrel Mobile"
RUN_TIMEOUT_S = 110.0


async def cheapest_instant_package(sandbox: SandboxInfo) -> Package:
    async with sandbox_client(sandbox) as client:
        page = await client.list_packages(package_type="local", limit=100)
    instant = [package for package in page.packages if package.provider != PENDING_PROVIDER]
    return min(instant, key=lambda package: package.cost)


@pytest.mark.asyncio
async def test_dropped_answers_buy_nothing_twice(
    sandbox: SandboxInfo, sandbox_admin: SandboxAdmin
) -> None:
    package = await cheapest_instant_package(sandbox)
    access_code, secret = await sandbox_admin.add_account(str(package.cost * ORDERS * 2))
    await sandbox_admin.set_faults(drop_after_commit=1 / 3)
    keys = [str(uuid.uuid4()) for _ in range(ORDERS)]
    limit = asyncio.Semaphore(IN_FLIGHT)
    outcomes: list[RequestOutcome] = []

    async with EsimflyClient(sandbox.base_url, Credentials(access_code, secret)) as client:
        client.add_outcome_listener(outcomes.append)

        async def place(key: str) -> OrderResult:
            async with limit:
                return await client.create_order(package.package_code, 1, key)

        started = time.monotonic()
        results = await asyncio.wait_for(
            asyncio.gather(*(place(key) for key in keys)), RUN_TIMEOUT_S
        )
        elapsed = time.monotonic() - started

    dropped = sum(1 for outcome in outcomes if outcome.kind == "transport_error")
    ledger = await sandbox_admin.ledger(access_code)
    orders = [entry for entry in ledger if entry["kind"] == "order"]
    charges = [entry for entry in ledger if entry["kind"] == "charge"]
    references = {result.order_reference for result in results}
    assert len(references) == ORDERS
    assert len(orders) == ORDERS
    assert len(charges) == ORDERS
    assert {entry["reference"] for entry in orders} == references
    assert sum(entry["amount"] for entry in charges) == -package.cost * ORDERS
    assert dropped > ORDERS // 6
    assert sum(result.duplicate for result in results) == dropped
    assert elapsed < RUN_TIMEOUT_S
