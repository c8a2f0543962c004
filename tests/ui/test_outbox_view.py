"""The outbox queue view: ages, states, errors, cancel, retry, and the order-ready notice."""

from __future__ import annotations

import time
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from esimfly_desktop.services.observers import Observers
from esimfly_desktop.services.outbox import ItemSettled, Outbox
from esimfly_desktop.services.outbox_sender import SendOutcome, SendResult
from esimfly_desktop.services.outbox_store import ItemKind, ItemState, NewItem, OutboxItem
from esimfly_desktop.storage.database import Database
from esimfly_desktop.ui.outbox import OutboxQueueController, OutboxQueueView
from esimfly_desktop.ui.outbox.queue_model import describe_age
from tests.ui.qr_decoding import decode_qr_texts
from tests.ui.sale_doubles import make_esim, make_order


def make_item(item_id: int, state: ItemState, **changes: object) -> OutboxItem:
    item = OutboxItem(
        id=item_id, kind=ItemKind.ORDER, state=state, idempotency_key=f"key-{item_id}",
        package_code="JP-5GB-30D", quantity=2, price=Decimal("4.50"), currency="USD",
        iccid=None, customer_reference="", operator="Dana",
        created_at=time.time() - 600, updated_at=time.time(), attempts=0,
        may_have_reached_server=False, needs_decision=False, last_error_code=None,
        last_error=None, last_request_id=None, order_reference=None, replaced_by=None,
        volume_before_bytes=None, expiry_before=None,
    )  # fmt: skip
    return replace(item, **changes)


class FakeOutbox:
    """The outbox's observer lists and queue operations, with no sender."""

    def __init__(self, items: list[OutboxItem]) -> None:
        self.stored = items
        self.queue_changed: Observers[list[OutboxItem]] = Observers()
        self.item_settled: Observers[ItemSettled] = Observers()
        self.is_sender = True
        self.retried: list[int] = []

    async def items(self) -> list[OutboxItem]:
        return list(self.stored)

    async def cancel(self, item_id: int) -> bool:
        return False

    async def retry(self, item_id: int) -> bool:
        self.retried.append(item_id)
        return True


class FakeOrderStore:
    def __init__(self) -> None:
        self.stored = {}

    async def order(self, order_reference: str):
        return self.stored.get(order_reference)


@pytest.fixture
def view(qtbot) -> OutboxQueueView:
    widget = OutboxQueueView()
    qtbot.addWidget(widget)
    return widget


def test_queue_shows_age_state_error(qtbot, qt_loop, view: OutboxQueueView) -> None:
    failed = make_item(
        2,
        ItemState.FAILED,
        last_error="The balance does not cover the order",
        last_error_code="INSUFFICIENT_BALANCE",
    )
    outbox = FakeOutbox([make_item(1, ItemState.QUEUED), failed])
    controller = OutboxQueueController(view, outbox, FakeOrderStore())

    qt_loop.run(controller.load())

    model = view.model
    assert model.rowCount() == 2
    assert model.index(0, 0).data() == "10 minutes"
    assert model.index(0, 1).data() == "Q1-KEY1"
    assert model.index(0, 2).data() == "2 × JP-5GB-30D"
    assert model.index(0, 3).data() == "Queued"
    assert model.index(1, 3).data() == "Failed"
    assert model.index(1, 4).data() == "The balance does not cover the order (INSUFFICIENT_BALANCE)"
    assert view.sender_label.text() == "This console sends the queue."


def test_queue_buttons_follow_state(qtbot, qt_loop, view: OutboxQueueView) -> None:
    items = [
        make_item(1, ItemState.QUEUED),
        make_item(2, ItemState.FAILED),
        make_item(3, ItemState.OUTCOME_UNKNOWN, may_have_reached_server=True),
        make_item(4, ItemState.QUEUED, may_have_reached_server=True),
    ]
    view.set_items(items)

    expected = {1: (True, False), 2: (True, True), 3: (False, False), 4: (False, False)}
    for item_id, (cancel, retry) in expected.items():
        view.select_item(item_id)
        assert view.cancel_button.isEnabled() is cancel, item_id
        assert view.retry_button.isEnabled() is retry, item_id


def test_queue_retry_forwarded(qtbot, qt_loop, view: OutboxQueueView) -> None:
    outbox = FakeOutbox([make_item(2, ItemState.FAILED)])
    controller = OutboxQueueController(view, outbox, FakeOrderStore())
    qt_loop.run(controller.load())
    view.select_item(2)

    view.retry_button.click()
    qtbot.waitUntil(lambda: outbox.retried == [2], timeout=2000)


def test_queue_cancel_real_outbox(qtbot, qt_loop, view: OutboxQueueView, tmp_path: Path) -> None:
    database = Database.open_sync(tmp_path / "console.sqlite3")
    outbox = Outbox(database)
    try:
        item = qt_loop.run(
            outbox.enqueue(NewItem("JP-5GB-30D", 1, Decimal("4.50"), "USD", operator="Dana"))
        )
        controller = OutboxQueueController(view, outbox, FakeOrderStore())
        qt_loop.run(controller.load())
        view.select_item(item.id)

        view.cancel_button.click()
        qtbot.waitUntil(lambda: view.model.index(0, 3).data() == "Cancelled", timeout=5000)

        assert qt_loop.run(outbox.item(item.id)).state is ItemState.CANCELLED
        controller.close()
    finally:
        database.close()


def test_queued_order_done_notifies(qtbot, qt_loop, view: OutboxQueueView) -> None:
    order = make_order(1)
    store = FakeOrderStore()
    store.stored[order.order_reference] = order
    outbox = FakeOutbox([make_item(5, ItemState.QUEUED)])
    controller = OutboxQueueController(view, outbox, store)
    qt_loop.run(controller.load())
    done = make_item(5, ItemState.DONE, order_reference=order.order_reference)

    with qtbot.waitSignal(controller.order_ready, timeout=5000) as ready:
        outbox.item_settled.notify(
            ItemSettled(done, SendOutcome(SendResult.DONE, 5, order.order_reference))
        )
    notice = ready.args[0]
    qtbot.addWidget(notice)
    with qtbot.waitSignal(controller.order_window_opened, timeout=5000) as opened:
        notice.show_qr_button.click()

    window = opened.args[0]
    qtbot.addWidget(window)
    assert order.order_reference in notice.message_label.text()
    card = window.esim_cards()[0]
    assert decode_qr_texts(card.qr.render_image(300, 1.0)) == [make_esim(1).lpa_string]


def test_unwatched_order_no_notice(qtbot, qt_loop, view: OutboxQueueView) -> None:
    outbox = FakeOutbox([])
    controller = OutboxQueueController(view, outbox, FakeOrderStore())
    qt_loop.run(controller.load())
    done = make_item(9, ItemState.DONE, order_reference="order_1764880000000_ab12c")

    outbox.item_settled.notify(
        ItemSettled(done, SendOutcome(SendResult.DONE, 9, "order_1764880000000_ab12c"))
    )
    qt_loop.run(_settle())

    assert controller.notices == []


async def _settle() -> None:
    import asyncio

    for _ in range(5):
        await asyncio.sleep(0)


@pytest.mark.parametrize(
    ("age_s", "text"),
    [(5, "5 seconds"), (1, "1 second"), (125, "2 minutes"), (7300, "2 hours")],
)
def test_describe_age(age_s: float, text: str) -> None:
    assert describe_age(age_s) == text


def test_price_change_reordered_after_consent(qtbot, qt_loop, view: OutboxQueueView) -> None:
    from PySide6.QtWidgets import QApplication, QMessageBox

    stopped = make_item(
        6,
        ItemState.FAILED,
        needs_decision=True,
        last_error_code="PRICE_MISMATCH",
        last_error="The package's price has changed",
    )
    outbox = FakeOutbox([stopped])
    accepted: list[tuple[int, Decimal]] = []

    async def item(item_id: int) -> OutboxItem:
        return stopped

    async def accept_new_price(item_id: int, new_price: Decimal) -> OutboxItem:
        accepted.append((item_id, new_price))
        return replace(stopped, id=7, price=new_price, state=ItemState.QUEUED)

    async def current_price(package_code: str) -> Decimal:
        return Decimal("5.00")

    outbox.item = item
    outbox.accept_new_price = accept_new_price
    controller = OutboxQueueController(view, outbox, FakeOrderStore(), current_price=current_price)
    qt_loop.run(controller.load())
    view.select_item(6)
    assert view.new_price_button.isEnabled()
    assert view.model.index(0, 3).data() == "Failed (your decision)"

    view.new_price_button.click()
    boxes: list[QMessageBox] = []

    def question_shown() -> bool:
        boxes[:] = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.isVisible()
        ]
        return bool(boxes)

    qtbot.waitUntil(question_shown, timeout=5000)
    question = boxes[0].text()
    boxes[0].button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: accepted == [(6, Decimal("5.00"))], timeout=5000)

    assert "$5.00" in question
    assert "$4.50" in question
    assert "$10.00" in question


def test_new_price_hidden_without_lookup(qtbot, qt_loop, view: OutboxQueueView) -> None:
    controller = OutboxQueueController(view, FakeOutbox([]), FakeOrderStore())
    qt_loop.run(controller.load())

    assert view.new_price_button.isHidden()
