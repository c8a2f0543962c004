"""The purchase flow against the real sandbox: steps, pending orders, refusals, outages."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from pathlib import Path

import pytest

from esimfly_desktop.api import RetryPolicy
from esimfly_desktop.services.connectivity import Connectivity, ConnectivityState
from esimfly_desktop.services.order_store import OrderStore
from esimfly_desktop.services.outbox import Outbox
from esimfly_desktop.services.purchase import (
    PurchaseFlow,
    PurchaseRequest,
    PurchaseState,
    Step,
    StepChange,
    StepState,
)
from esimfly_desktop.storage.database import Database
from tests.services import outbox_support
from tests.services.outbox_support import (
    Account,
    instant_package,
    outbox_states,
    pending_package,
)

account = outbox_support.account
database = outbox_support.database

pytestmark = pytest.mark.asyncio


def request_for(package, quantity: int = 1) -> PurchaseRequest:  # type: ignore[no-untyped-def]
    return PurchaseRequest(
        package_code=package.package_code,
        package_name=package.name,
        unit_cost=package.cost,
        currency=package.currency,
        quantity=quantity,
        customer_reference="walk-in",
    )


async def test_purchase_reaches_ready(account: Account, database: Database) -> None:
    async with account.client() as client:
        package = await instant_package(client)
        outbox = Outbox(database, client)
        outbox.start()
        flow = PurchaseFlow(client, outbox, OrderStore(database), operator="Dana")
        steps: list[StepChange] = []
        flow.step_changed.subscribe(steps.append)

        outcome = await flow.run(request_for(package, quantity=2))
        await outbox.stop()

    assert outcome.state is PurchaseState.READY
    assert outcome.order is not None
    assert len(outcome.order.esims) == 2
    assert all(esim.lpa_string for esim in outcome.order.esims)
    done = [(change.step, change.state) for change in steps if change.state is StepState.DONE]
    assert done == [
        (Step.CHECKING, StepState.DONE),
        (Step.PLACING, StepState.DONE),
        (Step.WAITING, StepState.DONE),
        (Step.READY, StepState.DONE),
    ]
    charges = await account.charges()
    assert len(charges) == 1
    assert charges[0]["amount"] == -2 * package.cost


async def test_pending_order_completes_in_background(account: Account, database: Database) -> None:
    async with account.client() as client:
        package = await pending_package(client)
        outbox = Outbox(database, client)
        outbox.start()
        flow = PurchaseFlow(client, outbox, OrderStore(database), operator="Dana")
        steps: list[StepChange] = []
        flow.step_changed.subscribe(steps.append)

        outcome = await flow.run(request_for(package))
        await outbox.stop()

    assert outcome.state is PurchaseState.READY
    assert (Step.WAITING, StepState.RUNNING) in [(s.step, s.state) for s in steps]
    assert outcome.order is not None
    assert outcome.order.esims
    assert outcome.order.esims[0].lpa_string
    stored = await OrderStore(database).order(outcome.order.order_reference)
    assert stored is not None
    assert not stored.is_pending


async def test_waiting_cancelled_then_resumed(account: Account, database: Database) -> None:
    async with account.client() as client:
        package = await pending_package(client)
        outbox = Outbox(database, client)
        outbox.start()
        orders = OrderStore(database)
        flow = PurchaseFlow(client, outbox, orders, operator="Dana")
        flow.step_changed.subscribe(
            lambda change: (
                flow.cancel_waiting()
                if (change.step, change.state) == (Step.WAITING, StepState.RUNNING)
                else None
            )
        )

        first = await flow.run(request_for(package))
        await outbox.stop()
        assert first.state is PurchaseState.PENDING
        assert first.order is not None

        resumed = await PurchaseFlow(client, outbox, orders, operator="Dana").wait_for_esims(
            first.order.order_reference
        )

    assert resumed.state is PurchaseState.READY
    assert resumed.order is not None
    assert resumed.order.esims[0].lpa_string
    assert len(await account.charges()) == 1


async def test_insufficient_balance_stops_before_charge(
    account: Account, database: Database
) -> None:
    async with account.client() as client:
        package = await instant_package(client)
        expensive = PurchaseRequest(
            package_code=package.package_code,
            package_name=package.name,
            unit_cost=Decimal("600.00"),
            currency=package.currency,
            quantity=2,
        )
        outbox = Outbox(database, client)
        flow = PurchaseFlow(client, outbox, OrderStore(database), operator="Dana")
        ledger_before = await account.admin.ledger(account.credentials.access_code)

        outcome = await flow.run(expensive)

    assert outcome.state is PurchaseState.FAILED
    assert outcome.need_to_load == Decimal("200.00")
    assert "200.00" in outcome.message
    assert outbox_states(database) == []
    assert await account.admin.ledger(account.credentials.access_code) == ledger_before


async def test_offline_purchase_replayed_once(account: Account, database: Database) -> None:
    quick_retries = RetryPolicy(max_failure_retries=1, base_delay_s=0.05, max_delay_s=0.1)
    async with account.client(retry_policy=quick_retries) as client:
        package = await instant_package(client)
        connectivity = Connectivity(client, probe_first_delay_s=0.1, probe_max_delay_s=0.3)
        outbox = Outbox(database, client, tick_interval_s=60)
        outbox.follow_connectivity(connectivity)
        outbox.start()
        flow = PurchaseFlow(
            client,
            outbox,
            OrderStore(database),
            operator="Dana",
            placing_timeout_s=10,
            connectivity=connectivity,
        )
        completed: asyncio.Queue[str] = asyncio.Queue()
        outbox.item_settled.subscribe(
            lambda event: (
                completed.put_nowait(event.outcome.order_reference or "")
                if event.item.state.value == "done"
                else None
            )
        )

        await account.admin.set_faults(outage=True)
        outcomes = [await flow.run(request_for(package)) for _ in range(3)]
        assert [outcome.state for outcome in outcomes] == [PurchaseState.QUEUED] * 3
        assert connectivity.state is ConnectivityState.OFFLINE
        assert outbox_states(database) == ["queued"] * 3

        await account.admin.set_faults(outage=False)
        references = [await asyncio.wait_for(completed.get(), 30) for _ in range(3)]
        await outbox.stop()
        await connectivity.close()

    assert connectivity.state is ConnectivityState.ONLINE
    assert outbox_states(database) == ["done"] * 3
    charges = await account.charges()
    assert sorted(entry["reference"] for entry in charges) == sorted(references)


async def test_queued_orders_survive_restart(account: Account, tmp_path: Path) -> None:
    quick_retries = RetryPolicy(max_failure_retries=1, base_delay_s=0.05, max_delay_s=0.1)
    path = tmp_path / "profile" / "console.sqlite3"
    database = Database.open_sync(path)

    # First session: three sales during an outage, then the console quits.
    async with account.client(retry_policy=quick_retries) as client:
        package = await instant_package(client)
        connectivity = Connectivity(client, probe_first_delay_s=30)
        outbox = Outbox(database, client)
        outbox.follow_connectivity(connectivity)
        outbox.start()
        flow = PurchaseFlow(
            client, outbox, OrderStore(database), operator="Dana", connectivity=connectivity
        )
        await account.admin.set_faults(outage=True)
        outcomes = [await flow.run(request_for(package)) for _ in range(3)]
        await outbox.stop()
        await connectivity.close()
    database.close()
    assert [outcome.state for outcome in outcomes] == [PurchaseState.QUEUED] * 3

    # Second session on the same files: the outage ends and the queue drains.
    await account.admin.set_faults(outage=False)
    reopened = Database.open_sync(path)
    try:
        async with account.client() as client:
            outbox = Outbox(reopened, client)
            completed: asyncio.Queue[str] = asyncio.Queue()
            outbox.item_completed.subscribe(
                lambda event: completed.put_nowait(event.item.order_reference or "")
            )
            outbox.start()
            references = [await asyncio.wait_for(completed.get(), 30) for _ in range(3)]
            await outbox.stop()
        orders = [await OrderStore(reopened).order(reference) for reference in references]
        states = outbox_states(reopened)
    finally:
        reopened.close()

    assert states == ["done"] * 3
    assert all(order is not None and order.esims[0].lpa_string for order in orders)
    charges = await account.charges()
    assert sorted(entry["reference"] for entry in charges) == sorted(references)
