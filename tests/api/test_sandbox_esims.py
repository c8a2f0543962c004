"""eSIM reads, actions, top-ups and webhook settings through the client on the sandbox."""

from __future__ import annotations

import asyncio
import uuid
from decimal import Decimal

import pytest

from esimfly_desktop.api import Credentials, EsimflyClient, Package, errors
from esimfly_desktop.sandbox.admin_client import SandboxAdmin
from esimfly_desktop.sandbox.launcher import SandboxInfo
from tests.api.sandbox_helpers import sandbox_client

PENDING_PROVIDER = "Kestrel Mobile"


@pytest.fixture(scope="module")
def rechargeable_package(sandbox: SandboxInfo) -> Package:
    async def fetch() -> list[Package]:
        async with sandbox_client(sandbox) as client:
            return await client.fetch_catalog()

    candidates = [
        package
        for package in asyncio.run(fetch())
        if package.is_rechargeable and package.provider != PENDING_PROVIDER
    ]
    return min(candidates, key=lambda package: package.cost)


async def account_with_esims(
    sandbox: SandboxInfo, admin: SandboxAdmin, package: Package, quantity: int
) -> tuple[EsimflyClient, str, list[str]]:
    """Return a client for a fresh funded account, its access code and new eSIMs' ICCIDs."""
    access_code, secret = await admin.add_account("500.00")
    client = EsimflyClient(sandbox.base_url, Credentials(access_code, secret))
    result = await client.create_order(package.package_code, quantity, str(uuid.uuid4()))
    iccids = [esim.iccid for esim in result.esims if esim.iccid]
    return client, access_code, iccids


@pytest.mark.asyncio
async def test_install_reported_by_status(
    sandbox: SandboxInfo, sandbox_admin: SandboxAdmin, rechargeable_package: Package
) -> None:
    client, _access_code, [iccid] = await account_with_esims(
        sandbox, sandbox_admin, rechargeable_package, 1
    )

    async with client:
        before = await client.esim_status(iccid)
        await sandbox_admin.install(iccid, device_model="Pixel 9")
        after = await client.esim_status(iccid)

    assert before.iccid == iccid
    assert before.is_installed is False
    assert after.is_installed is True
    assert after.device_model == "Pixel 9"


@pytest.mark.asyncio
async def test_esim_list_usage_and_report(
    sandbox: SandboxInfo, sandbox_admin: SandboxAdmin, rechargeable_package: Package
) -> None:
    client, _access_code, [iccid] = await account_with_esims(
        sandbox, sandbox_admin, rechargeable_package, 1
    )
    await sandbox_admin.install(iccid)
    await sandbox_admin.set_usage(iccid, 300)

    async with client:
        page = await client.list_esims(search=iccid)
        usage = await client.query_usage(iccid=iccid)
        report = await client.usage_report(iccid, days=7)
        orders = await client.list_orders()

    assert [record.iccid for record in page.esims] == [iccid]
    assert page.esims[0].smdp_address
    assert usage.iccid == iccid
    assert usage.usage is not None
    assert usage.usage.used_mb == Decimal(300)
    assert report.iccid == iccid
    assert report.period_days == 7
    assert orders.pagination.total == 1
    assert orders.orders[0].package_code == rechargeable_package.package_code


@pytest.mark.asyncio
async def test_topup_charges_and_adds_volume(
    sandbox: SandboxInfo, sandbox_admin: SandboxAdmin, rechargeable_package: Package
) -> None:
    client, access_code, [iccid] = await account_with_esims(
        sandbox, sandbox_admin, rechargeable_package, 1
    )

    async with client:
        options = await client.list_topup_packages(iccid)
        topup_package = options.packages[0]
        result = await client.create_topup(iccid, topup_package.package_code)

    ledger = await sandbox_admin.ledger(access_code)
    assert result.order_reference.startswith("topup_")
    assert result.amount == topup_package.cost
    assert result.new_total_volume_gb is not None
    assert result.new_total_volume_gb > rechargeable_package.data_amount_gb
    assert sum(1 for entry in ledger if entry["reference"] == result.order_reference) >= 1


@pytest.mark.asyncio
async def test_cancel_refunds_and_blocks_repeat(
    sandbox: SandboxInfo, sandbox_admin: SandboxAdmin, rechargeable_package: Package
) -> None:
    client, _access_code, [iccid] = await account_with_esims(
        sandbox, sandbox_admin, rechargeable_package, 1
    )

    async with client:
        balance_before = await client.get_balance()
        cancelled = await client.cancel_esim(iccid)
        balance_after = await client.get_balance()
        with pytest.raises((errors.AlreadyCancelledError, errors.NotEligibleError)):
            await client.cancel_esim(iccid)

    assert cancelled.refunded_amount == rechargeable_package.cost
    assert balance_after.amount == balance_before.amount + rechargeable_package.cost


@pytest.mark.asyncio
async def test_suspend_and_activate(
    sandbox: SandboxInfo, sandbox_admin: SandboxAdmin, rechargeable_package: Package
) -> None:
    client, _access_code, [iccid] = await account_with_esims(
        sandbox, sandbox_admin, rechargeable_package, 1
    )
    await sandbox_admin.install(iccid)

    async with client:
        suspended = await client.suspend_esim(iccid)
        activated = await client.activate_esim(iccid)

    assert suspended.action == "suspend"
    assert suspended.esim_status == "Disconnected"
    assert activated.action == "activate"
    assert activated.esim_status == "Active"


@pytest.mark.asyncio
async def test_other_account_esim_forbidden(
    sandbox: SandboxInfo, sandbox_admin: SandboxAdmin, rechargeable_package: Package
) -> None:
    owner, _access_code, [iccid] = await account_with_esims(
        sandbox, sandbox_admin, rechargeable_package, 1
    )
    await owner.aclose()

    async with sandbox_client(sandbox) as stranger:
        with pytest.raises(errors.ForbiddenError):
            await stranger.esim_status(iccid)
        with pytest.raises(errors.EsimAccessDeniedError):
            await stranger.list_topup_packages(iccid)


@pytest.mark.asyncio
async def test_webhook_settings_saved(sandbox: SandboxInfo, sandbox_admin: SandboxAdmin) -> None:
    access_code, secret = await sandbox_admin.add_account("0")
    url = "http://127.0.0.1:9/webhooks/esimfly"

    async with EsimflyClient(sandbox.base_url, Credentials(access_code, secret)) as client:
        saved = await client.set_webhooks(url, ["esim.installed", "esim.provisioned"])
        current = await client.get_webhooks()

    assert saved.secret is not None
    assert saved.secret.startswith("whsec_")
    assert current.url == url
    assert set(current.events) == {"esim.installed", "esim.provisioned"}
