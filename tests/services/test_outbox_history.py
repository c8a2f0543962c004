"""Local order history merged with the account's order list, and the audit trail."""

from __future__ import annotations

from decimal import Decimal

import pytest

from esimfly_desktop.api import Esim
from esimfly_desktop.api.order_models import OrderSummary
from esimfly_desktop.services import audit
from esimfly_desktop.services.order_store import OrderStore, StoredOrder, merge_history
from esimfly_desktop.services.outbox import Outbox
from esimfly_desktop.services.outbox_store import NewItem
from esimfly_desktop.storage.database import Database
from tests.services import outbox_support
from tests.services.outbox_support import Account, instant_package

account = outbox_support.account
database = outbox_support.database


def local_order(reference: str, created_at: float, status: str = "completed") -> StoredOrder:
    return StoredOrder(
        order_reference=reference,
        package_code="CKH002",
        package_name="Japan 1GB 7 Days",
        quantity=2,
        amount=Decimal("9.00"),
        currency="USD",
        status=status,
        customer_reference="walk-in",
        operator="Dana",
        created_at=created_at,
        placed_here=True,
        esims=(Esim(iccid="8981100000000000001", lpa_string="LPA:1$smdp.example$ABC-1"),),
    )


def summary(reference: str, created_at: str, status: str = "completed") -> OrderSummary:
    return OrderSummary(
        order_reference=reference,
        package_name="Spain 3GB 15 Days",
        package_code="ES3",
        amount=Decimal("7.25"),
        currency="USD",
        status=status,
        created_at=created_at,
        esim=None,
    )


def test_merge_keeps_local_details_and_service_status() -> None:
    local = [local_order("order_2", 1_800_000_000.0, status="pending_details")]
    remote = [
        summary("order_2", "2027-01-15T08:00:00Z", status="completed"),
        summary("order_1", "2020-01-01T00:00:00Z"),
    ]

    merged = merge_history(local, remote)

    assert [order.order_reference for order in merged] == ["order_2", "order_1"]
    assert merged[0].status == "completed"
    assert merged[0].operator == "Dana"
    assert merged[0].quantity == 2
    assert merged[0].esims[0].lpa_string == "LPA:1$smdp.example$ABC-1"
    assert merged[0].placed_here
    assert not merged[1].placed_here
    assert merged[1].amount == Decimal("7.25")


def test_merge_sorts_newest_first() -> None:
    local = [local_order("order_local", 1_700_000_000.0)]  # 2023-11-14
    remote = [summary("order_new", "2024-06-01T10:00:00Z"), summary("order_old", "2021-03-01")]

    merged = merge_history(local, remote)

    assert [order.order_reference for order in merged] == ["order_new", "order_local", "order_old"]


@pytest.mark.asyncio
async def test_history_merges_service_orders(account: Account, database: Database) -> None:
    async with account.client() as client:
        package = await instant_package(client)
        # One order placed elsewhere (the vendor's dashboard), one from this desktop.
        elsewhere = await client.create_order(package.package_code, 1, "placed-elsewhere-1")
        outbox = Outbox(database, client)
        item = await outbox.enqueue(
            NewItem(package.package_code, 1, package.cost, package.currency, operator="Dana")
        )
        await outbox.replay()
        here = (await outbox.item(item.id)).order_reference
        page = await client.list_orders()

    history = await OrderStore(database).history(page.orders)

    by_reference = {order.order_reference: order for order in history}
    assert set(by_reference) == {elsewhere.order_reference, here}
    assert by_reference[here].placed_here
    assert by_reference[here].operator == "Dana"
    assert by_reference[here].esims[0].lpa_string
    assert not by_reference[elsewhere.order_reference].placed_here
    trail = await audit.AuditTrail(database).events()
    assert [(event.order_reference, event.operator) for event in trail] == [(here, "Dana")]
