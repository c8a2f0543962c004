"""The client under the sandbox's faults: outage, server errors, slow orders, new networks."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from esimfly_desktop.api import Credentials, EsimflyClient, RetryPolicy, errors
from esimfly_desktop.sandbox.admin_client import SandboxAdmin
from esimfly_desktop.sandbox.launcher import SandboxInfo
from tests.api.mock_service import FakeSleep
from tests.api.sandbox_helpers import sandbox_client

PENDING_PROVIDER = "Kestrel Mobile"
FAST_RETRIES = RetryPolicy(max_failure_retries=2)


@pytest.mark.asyncio
async def test_outage_reported_as_not_sent(
    sandbox: SandboxInfo, sandbox_admin: SandboxAdmin
) -> None:
    await sandbox_admin.set_faults(outage=True)
    sleep = FakeSleep()

    async with sandbox_client(sandbox, retry_policy=FAST_RETRIES, sleep=sleep) as client:
        with pytest.raises(errors.TransportError) as read_error:
            await client.get_balance()
        with pytest.raises(errors.TransportError) as topup_error:
            await client.create_topup("8910300000000000018", "TOP1")

    assert read_error.value.request_sent is False
    assert topup_error.value.request_sent is False
    assert len(sleep.delays) == 4


@pytest.mark.asyncio
async def test_server_errors_retried_then_raised(
    sandbox: SandboxInfo, sandbox_admin: SandboxAdmin
) -> None:
    await sandbox_admin.set_faults(error_rate=1.0)
    sleep = FakeSleep()

    async with sandbox_client(sandbox, retry_policy=FAST_RETRIES, sleep=sleep) as client:
        with pytest.raises(errors.ServerError) as caught:
            await client.get_balance()
        statuses = [record.status for record in client.recent_requests]

    assert caught.value.status == 503
    assert statuses == [503, 503, 503]


@pytest.mark.asyncio
async def test_same_key_in_flight_waits_for_first(
    sandbox: SandboxInfo, sandbox_admin: SandboxAdmin
) -> None:
    async with sandbox_client(sandbox) as client:
        page = await client.list_packages(package_type="local", limit=100)
    package = min(
        (item for item in page.packages if item.provider != PENDING_PROVIDER),
        key=lambda item: item.cost,
    )
    access_code, secret = await sandbox_admin.add_account("100.00")
    await sandbox_admin.set_faults(latency_ms=1500)
    key = str(uuid.uuid4())

    async with EsimflyClient(sandbox.base_url, Credentials(access_code, secret)) as client:
        first = asyncio.create_task(client.create_order(package.package_code, 1, key))
        await asyncio.sleep(0.3)
        second = await client.create_order(package.package_code, 1, key)
        first_result = await first
        statuses = [record.status for record in client.recent_requests]

    ledger = await sandbox_admin.ledger(access_code)
    assert 409 in statuses
    assert second.order_reference == first_result.order_reference
    # Whichever request reached the sandbox first placed the order.
    assert {first_result.duplicate, second.duplicate} == {True, False}
    assert sum(1 for entry in ledger if entry["kind"] == "charge") == 1


@pytest.mark.asyncio
async def test_reset_connections_keeps_client_usable(sandbox: SandboxInfo) -> None:
    async with sandbox_client(sandbox) as client:
        before = await client.get_balance()
        await client.reset_connections()
        after = await client.get_balance()

    assert after.currency == before.currency
    assert [record.status for record in client.recent_requests] == [200, 200]


@pytest.mark.asyncio
async def test_open_builds_client_off_loop(sandbox: SandboxInfo) -> None:
    credentials = Credentials(sandbox.access_code, sandbox.secret)

    async with await EsimflyClient.open(sandbox.base_url, credentials) as client:
        balance = await client.get_balance()

    assert balance.currency == "USD"
