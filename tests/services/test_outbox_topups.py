"""Top-ups through the outbox: an uncertain top-up is checked, never re-sent blindly."""

from __future__ import annotations

import pytest

from esimfly_desktop.api import EsimflyClient, Package
from esimfly_desktop.services import outbox_store as store
from esimfly_desktop.services.outbox import Outbox
from esimfly_desktop.services.outbox_sender import esim_snapshot
from esimfly_desktop.services.outbox_store import ItemKind, ItemState, NewItem
from esimfly_desktop.storage.database import Database, transaction
from tests.services import outbox_support
from tests.services.outbox_support import Account

account = outbox_support.account
database = outbox_support.database

pytestmark = pytest.mark.asyncio


async def rechargeable_esim(client: EsimflyClient) -> tuple[str, Package]:
    """Buy one rechargeable eSIM that completes at once; return its ICCID and a top-up package."""
    page = await client.list_packages(limit=100)
    package = min(
        (p for p in page.packages if p.is_rechargeable and p.provider != "Kestrel Mobile"),
        key=lambda candidate: candidate.cost,
    )
    order = await client.create_order(package.package_code, 1, "topup-test-" + package.package_code)
    iccid = order.esims[0].iccid
    assert iccid is not None
    topups = await client.list_topup_packages(iccid)
    return iccid, min(topups.packages, key=lambda candidate: candidate.cost)


def topup_item(iccid: str, package: Package) -> NewItem:
    return NewItem(
        package_code=package.package_code,
        quantity=1,
        price=package.cost,
        currency=package.currency,
        kind=ItemKind.TOPUP,
        iccid=iccid,
        operator="Dana",
    )


def mark_uncertain(
    database: Database, item_id: int, volume: int | None, expiry: str | None
) -> None:
    """Leave the item as a crash after sending would: outcome unknown, figures recorded."""

    def work(connection) -> None:  # type: ignore[no-untyped-def]
        with transaction(connection):
            connection.execute(
                "UPDATE outbox_items SET state = 'outcome_unknown', may_have_reached_server = 1,"
                " attempts = 1, volume_before_bytes = ?, expiry_before = ? WHERE id = ?",
                (volume, expiry, item_id),
            )

    database.run_sync(work)


async def snapshot(client: EsimflyClient, iccid: str) -> tuple[int, str]:
    volume, validity = await esim_snapshot(client, iccid)
    assert volume is not None
    assert validity is not None
    return volume, validity


async def topup_charges(account: Account) -> list[dict[str, object]]:
    return [
        entry for entry in await account.charges() if str(entry["reference"]).startswith("topup_")
    ]


async def test_topup_replayed(account: Account, database: Database) -> None:
    async with account.client() as client:
        iccid, package = await rechargeable_esim(client)
        volume_before, _expiry = await snapshot(client, iccid)
        outbox = Outbox(database, client)
        item = await outbox.enqueue(topup_item(iccid, package))

        report = await outbox.replay()
        volume_after, _expiry = await snapshot(client, iccid)

    assert report.sent == [item.id]
    stored = await outbox.item(item.id)
    assert stored.state is ItemState.DONE
    assert stored.volume_before_bytes == volume_before
    assert volume_after > volume_before
    assert len(await topup_charges(account)) == 1


async def test_uncertain_topup_that_went_through(account: Account, database: Database) -> None:
    async with account.client() as client:
        iccid, package = await rechargeable_esim(client)
        outbox = Outbox(database, client)
        item = await outbox.enqueue(topup_item(iccid, package))
        volume, expiry = await snapshot(client, iccid)
        mark_uncertain(database, item.id, volume, expiry)
        # The request reached the service before the console died.
        await client.create_topup(iccid, package.package_code)

        report = await outbox.replay()

    assert report.sent == [item.id]
    assert (await outbox.item(item.id)).state is ItemState.DONE
    assert len(await topup_charges(account)) == 1


async def test_uncertain_topup_waits_for_operator(account: Account, database: Database) -> None:
    async with account.client() as client:
        iccid, package = await rechargeable_esim(client)
        outbox = Outbox(database, client)
        item = await outbox.enqueue(topup_item(iccid, package))
        volume, expiry = await snapshot(client, iccid)
        mark_uncertain(database, item.id, volume, expiry)

        first = await outbox.replay()
        stopped = await outbox.item(item.id)
        assert first.stopped == [item.id]
        assert stopped.state is ItemState.FAILED
        assert stopped.needs_decision
        assert stopped.last_error_code == "TOPUP_OUTCOME_UNKNOWN"
        assert await topup_charges(account) == []
        assert not await outbox.retry(item.id)

        assert await outbox.send_topup_again(item.id)
        second = await outbox.replay()

    assert second.sent == [item.id]
    assert (await outbox.item(item.id)).state is ItemState.DONE
    assert len(await topup_charges(account)) == 1
    assert database.run_sync(lambda c: store.get_item(c, item.id)).attempts == 2
