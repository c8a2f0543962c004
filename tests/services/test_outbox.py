"""The outbox against the real sandbox over loopback, with real SQLite files."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest

from esimfly_desktop.api import Package
from esimfly_desktop.services import audit
from esimfly_desktop.services.order_store import OrderStore
from esimfly_desktop.services.outbox import ItemSettled, Outbox
from esimfly_desktop.services.outbox_store import ItemState, NewItem
from esimfly_desktop.storage.database import Database
from tests.services import outbox_support
from tests.services.outbox_support import Account, instant_package, outbox_states

account = outbox_support.account
database = outbox_support.database

pytestmark = pytest.mark.asyncio


def order_item(package: Package, number: int, *, quantity: int = 1) -> NewItem:
    return NewItem(
        package_code=package.package_code,
        quantity=quantity,
        price=package.cost,
        currency=package.currency,
        customer_reference=f"walk-in {number}",
        operator="Dana",
    )


async def test_replay_places_each_order_once(account: Account, database: Database) -> None:
    async with account.client() as client:
        package = await instant_package(client)
        outbox = Outbox(database, client)
        settled: list[ItemSettled] = []
        completed: list[ItemSettled] = []
        outbox.item_settled.subscribe(settled.append)
        outbox.item_completed.subscribe(completed.append)
        items = [await outbox.enqueue(order_item(package, n)) for n in range(3)]

        report = await outbox.replay()

    assert report.held_lease
    assert report.sent == [item.id for item in items]
    assert outbox_states(database) == ["done"] * 3
    assert [event.outcome.order_reference is not None for event in settled] == [True] * 3
    assert [event.item.order_reference for event in completed] == [
        event.outcome.order_reference for event in settled
    ]
    charges = await account.charges()
    assert len(charges) == 3
    assert await account.balance() == Decimal("1000.00") - 3 * package.cost


async def test_done_order_stored_for_offline_qr(account: Account, database: Database) -> None:
    async with account.client() as client:
        package = await instant_package(client)
        outbox = Outbox(database, client)
        item = await outbox.enqueue(order_item(package, 1, quantity=2))
        await outbox.replay()
        done = await outbox.item(item.id)

    assert done.order_reference is not None
    order = await OrderStore(database).order(done.order_reference)
    assert order is not None
    assert order.operator == "Dana"
    assert order.customer_reference == "walk-in 1"
    assert len(order.esims) == 2
    assert all(esim.lpa_string and esim.lpa_string.startswith("LPA:1$") for esim in order.esims)
    assert all(esim.smdp_address for esim in order.esims)
    events = await audit.AuditTrail(database).events(done.order_reference)
    assert [event.action for event in events] == ["order_placed"]
    assert events[0].operator == "Dana"
    assert len(events[0].request_ids) >= 1


async def test_outage_queues_then_replays_once(account: Account, database: Database) -> None:
    async with account.client() as client:
        package = await instant_package(client)
        outbox = Outbox(database, client)
        await account.admin.set_faults(outage=True)
        items = [await outbox.enqueue(order_item(package, n)) for n in range(3)]

        paused = await outbox.replay()
        assert paused.paused_by is not None
        assert outbox_states(database) == ["queued"] * 3

        await account.admin.set_faults(outage=False)
        await client.reset_connections()
        report = await outbox.replay()

    assert report.sent == [item.id for item in items]
    assert outbox_states(database) == ["done"] * 3
    assert len(await account.charges()) == 3


async def test_dropped_answers_resolved_with_same_key(account: Account, database: Database) -> None:
    async with account.client() as client:
        package = await instant_package(client)
        outbox = Outbox(database, client)
        items = [await outbox.enqueue(order_item(package, n)) for n in range(3)]
        await account.admin.set_faults(drop_after_commit=1.0)

        first = await outbox.replay()
        await account.admin.set_faults(drop_after_commit=0.0)
        second = await outbox.replay()

    assert set(first.sent) | set(second.sent) == {item.id for item in items}
    assert outbox_states(database) == ["done"] * 3
    stored = [await outbox.item(item.id) for item in items]
    assert len({item.order_reference for item in stored}) == 3
    # The client re-sent each order with its key and got the original order back.
    actions = [event.action for event in await audit.AuditTrail(database).events()]
    assert actions == ["order_confirmed"] * 3
    charges = await account.charges()
    assert len(charges) == 3
    assert {entry["reference"] for entry in charges} == {item.order_reference for item in stored}


async def test_connection_resets_do_not_duplicate(account: Account, database: Database) -> None:
    async with account.client() as client:
        package = await instant_package(client)
        outbox = Outbox(database, client)
        items = [await outbox.enqueue(order_item(package, n)) for n in range(6)]

        async def reset_twice() -> None:
            for _ in range(2):
                await asyncio.sleep(0.05)
                await account.admin.set_faults(outage=True)
                await account.admin.set_faults(outage=False)

        resets = asyncio.create_task(reset_twice())
        reports = [await outbox.replay()]
        await resets
        for _ in range(3):
            if outbox_states(database) == ["done"] * 6:
                break
            reports.append(await outbox.replay())

    assert outbox_states(database) == ["done"] * 6
    sent = [item_id for report in reports for item_id in report.sent]
    assert sorted(sent) == [item.id for item in items]
    assert len(await account.charges()) == 6


async def test_insufficient_balance_stops_item(account: Account, database: Database) -> None:
    async with account.client() as client:
        page = await client.list_packages(limit=100)
        package = max(page.packages, key=lambda candidate: candidate.cost)
        outbox = Outbox(database, client)
        quantity = 10
        too_many = int(Decimal("1000.00") / (package.cost * quantity)) + 1
        items = [
            await outbox.enqueue(order_item(package, n, quantity=quantity)) for n in range(too_many)
        ]

        await outbox.replay()
        again = await outbox.replay()

    stored = [await outbox.item(item.id) for item in items]
    assert stored[-1].state is ItemState.FAILED
    assert stored[-1].last_error_code == "INSUFFICIENT_BALANCE"
    assert stored[-1].attempts == 1
    assert again.sent == []
    assert len(await account.charges()) == too_many - 1


async def test_price_mismatch_waits_for_decision(account: Account, database: Database) -> None:
    async with account.client() as client:
        package = await instant_package(client)
        outbox = Outbox(database, client)
        wrong = NewItem(
            package_code=package.package_code,
            quantity=1,
            price=package.cost + Decimal("1.00"),
            currency=package.currency,
            operator="Dana",
        )
        item = await outbox.enqueue(wrong)

        await outbox.replay()
        stopped = await outbox.item(item.id)
        assert stopped.state is ItemState.FAILED
        assert stopped.needs_decision
        assert stopped.last_error_code == "PRICE_MISMATCH"
        assert len(await account.charges()) == 0

        replacement = await outbox.accept_new_price(item.id, package.cost)
        await outbox.replay()

    old = await outbox.item(item.id)
    new = await outbox.item(replacement.id)
    assert old.state is ItemState.CANCELLED
    assert old.replaced_by == new.id
    assert new.idempotency_key != old.idempotency_key
    assert new.state is ItemState.DONE
    assert len(await account.charges()) == 1


async def test_cancel_and_retry(account: Account, database: Database) -> None:
    async with account.client() as client:
        package = await instant_package(client)
        outbox = Outbox(database, client)
        kept = await outbox.enqueue(order_item(package, 1))
        dropped = await outbox.enqueue(order_item(package, 2))

        assert await outbox.cancel(dropped.id)
        assert not await outbox.retry(kept.id)
        await outbox.replay()

        assert not await outbox.cancel(kept.id)

    assert (await outbox.item(kept.id)).state is ItemState.DONE
    assert (await outbox.item(dropped.id)).state is ItemState.CANCELLED
    assert len(await account.charges()) == 1


async def test_two_consoles_send_each_order_once(account: Account, database: Database) -> None:
    second_database = Database.open_sync(database.path)
    try:
        async with account.client() as first_client, account.client() as second_client:
            package = await instant_package(first_client)
            first = Outbox(database, first_client)
            second = Outbox(second_database, second_client)
            items = [await first.enqueue(order_item(package, n)) for n in range(4)]
            items += [await second.enqueue(order_item(package, n)) for n in range(4, 8)]

            reports = await asyncio.gather(first.replay(), second.replay())
            for _ in range(3):
                if outbox_states(database) == ["done"] * 8:
                    break
                reports += await asyncio.gather(first.replay(), second.replay())
    finally:
        second_database.close()

    assert outbox_states(database) == ["done"] * 8
    sent = [item_id for report in reports for item_id in report.sent]
    assert sorted(sent) == [item.id for item in items]
    assert [report.held_lease for report in reports[:2]].count(True) == 1
    assert len(await account.charges()) == 8


async def test_second_console_takes_over_dead_sender(account: Account, database: Database) -> None:
    second_database = Database.open_sync(database.path)
    try:
        async with account.client() as client:
            package = await instant_package(client)
            dead = Outbox(database, client, lease_ttl_s=0.5)
            item = await dead.enqueue(order_item(package, 1))
            assert await dead._lease.acquire()
            # The first console died right after committing "sending".
            database.run_sync(
                lambda c: c.execute(
                    "UPDATE outbox_items SET state = 'sending' WHERE id = ?", (item.id,)
                )
            )

            survivor = Outbox(second_database, client, lease_ttl_s=0.5)
            blocked = await survivor.replay()
            await asyncio.sleep(0.6)
            report = await survivor.replay()
    finally:
        second_database.close()

    assert not blocked.held_lease
    assert report.held_lease
    assert report.sent == [item.id]
    stored = await dead.item(item.id)
    assert stored.state is ItemState.DONE
    assert stored.may_have_reached_server
    assert len(await account.charges()) == 1


async def test_queue_view_drops_old_finished(account: Account, database: Database) -> None:
    async with account.client() as client:
        package = await instant_package(client)
        outbox = Outbox(database, client)
        old = await outbox.enqueue(order_item(package, 1))
        recent = await outbox.enqueue(order_item(package, 2))
        await outbox.replay()
        waiting = await outbox.enqueue(order_item(package, 3))
        published: list[list[int]] = []
        outbox.queue_changed.subscribe(lambda items: published.append([i.id for i in items]))
        database.run_sync(
            lambda c: c.execute(
                "UPDATE outbox_items SET updated_at = updated_at - 2 * 86400 WHERE id = ?",
                (old.id,),
            )
        )

        assert [item.id for item in await outbox.queue()] == [recent.id, waiting.id]
        assert await outbox.cancel(waiting.id)

    assert published == [[recent.id, waiting.id]]
    assert [item.id for item in await outbox.items()] == [old.id, recent.id, waiting.id]
