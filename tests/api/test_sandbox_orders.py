"""Ordering through the client on the sandbox: charges, idempotent repeats, pending eSIMs."""

from __future__ import annotations

import asyncio
import time
import uuid
from decimal import Decimal

import pytest

from esimfly_desktop.api import Credentials, EsimflyClient, Package, errors
from esimfly_desktop.sandbox.admin_client import SandboxAdmin
from esimfly_desktop.sandbox.launcher import SandboxInfo
from tests.api.sandbox_helpers import sandbox_client

PENDING_PROVIDER = "Kestrel Mobile"
PENDING_WAIT_S = 15.0
POLL_INTERVAL_S = 0.25


@pytest.fixture(scope="module")
def catalog(sandbox: SandboxInfo) -> list[Package]:
    async def fetch() -> list[Package]:
        async with sandbox_client(sandbox) as client:
            return await client.fetch_catalog()

    return asyncio.run(fetch())


@pytest.fixture(scope="module")
def instant_package(catalog: list[Package]) -> Package:
    instant = [package for package in catalog if package.provider != PENDING_PROVIDER]
    return min(instant, key=lambda package: package.cost)


@pytest.fixture(scope="module")
def pending_package(catalog: list[Package]) -> Package:
    pending = [package for package in catalog if package.provider == PENDING_PROVIDER]
    return min(pending, key=lambda package: package.cost)


async def own_account(
    sandbox: SandboxInfo, admin: SandboxAdmin, balance: str
) -> tuple[EsimflyClient, str]:
    """Return a client for a fresh account and its access code, for ledger checks."""
    access_code, secret = await admin.add_account(balance)
    return EsimflyClient(sandbox.base_url, Credentials(access_code, secret)), access_code


def entries(ledger: list[dict], kind: str) -> list[dict]:
    return [entry for entry in ledger if entry["kind"] == kind]


@pytest.mark.asyncio
async def test_completed_order_charged_once(
    sandbox: SandboxInfo, sandbox_admin: SandboxAdmin, instant_package: Package
) -> None:
    client, access_code = await own_account(sandbox, sandbox_admin, "100.00")
    key = str(uuid.uuid4())

    async with client:
        result = await client.create_order(
            instant_package.package_code, 1, key, price=instant_package.cost
        )
        repeat = await client.create_order(instant_package.package_code, 1, key)
        balance = await client.get_balance()

    ledger = await sandbox_admin.ledger(access_code)
    assert result.status == "completed"
    assert result.duplicate is False
    assert result.amount == instant_package.cost
    assert result.new_balance == Decimal("100.00") - instant_package.cost
    assert result.esims[0].iccid
    assert result.esims[0].smdp_address
    assert result.esims[0].matching_id
    assert repeat.duplicate is True
    assert repeat.order_reference == result.order_reference
    assert balance.amount == result.new_balance
    assert len(entries(ledger, "order")) == 1
    assert len(entries(ledger, "charge")) == 1


@pytest.mark.asyncio
async def test_commit_then_drop_charges_once(
    sandbox: SandboxInfo, sandbox_admin: SandboxAdmin, instant_package: Package
) -> None:
    client, access_code = await own_account(sandbox, sandbox_admin, "100.00")
    await sandbox_admin.set_faults(drop_after_commit=1.0)

    async with client:
        result = await client.create_order(instant_package.package_code, 1, str(uuid.uuid4()))
        attempts = [record.status for record in client.recent_requests]

    ledger = await sandbox_admin.ledger(access_code)
    assert attempts[0] is None
    assert attempts[-1] == 200
    assert result.duplicate is True
    assert [entry["reference"] for entry in entries(ledger, "order")] == [result.order_reference]
    assert len(entries(ledger, "charge")) == 1
    assert entries(ledger, "charge")[0]["amount"] == -instant_package.cost


@pytest.mark.asyncio
async def test_pending_order_completes(sandbox: SandboxInfo, pending_package: Package) -> None:
    async with sandbox_client(sandbox) as client:
        result = await client.create_order(pending_package.package_code, 1, str(uuid.uuid4()))
        details = await client.get_order(result.order_reference)
        was_pending = details.is_pending

        deadline = time.monotonic() + PENDING_WAIT_S
        while details.is_pending and time.monotonic() < deadline:
            await asyncio.sleep(POLL_INTERVAL_S)
            details = await client.get_order(result.order_reference)

    assert result.is_pending is True
    assert result.esims == ()
    assert was_pending is True
    assert details.is_pending is False
    assert details.status == "completed"
    assert details.esims[0].iccid
    assert details.esims[0].lpa_string
    assert details.esims[0].smdp_address


@pytest.mark.asyncio
async def test_insufficient_balance_amounts(
    sandbox: SandboxInfo, sandbox_admin: SandboxAdmin, instant_package: Package
) -> None:
    client, _access_code = await own_account(sandbox, sandbox_admin, "0.50")

    async with client:
        with pytest.raises(errors.InsufficientBalanceError) as caught:
            await client.create_order(instant_package.package_code, 2, str(uuid.uuid4()))
        balance = await client.get_balance()

    required = instant_package.cost * 2
    assert caught.value.current_balance == Decimal("0.50")
    assert caught.value.required_balance == required
    assert caught.value.need_to_load == required - Decimal("0.50")
    assert balance.amount == Decimal("0.50")


@pytest.mark.asyncio
async def test_price_mismatch_rejected(sandbox: SandboxInfo, instant_package: Package) -> None:
    async with sandbox_client(sandbox) as client:
        with pytest.raises(errors.PriceMismatchError) as caught:
            await client.create_order(
                instant_package.package_code,
                1,
                str(uuid.uuid4()),
                price=instant_package.cost + Decimal("1.00"),
            )

    assert caught.value.status == 400


@pytest.mark.asyncio
async def test_unknown_package_rejected(sandbox: SandboxInfo) -> None:
    async with sandbox_client(sandbox) as client:
        with pytest.raises((errors.PackageNotFoundError, errors.InvalidPackageError)):
            await client.create_order("NO-SUCH-PACKAGE", 1, str(uuid.uuid4()))
