"""Order history with the real service: the sale appears, its eSIM can be checked and cancelled."""

from __future__ import annotations

import asyncio
import csv
from decimal import Decimal
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from esimfly_desktop.services.outbox_store import ItemState
from esimfly_desktop.ui.history import HistoryController, OrderHistoryView
from tests.ui.sale_stack import buy, find_package


def open_history(qtbot, stack) -> tuple[OrderHistoryView, HistoryController]:
    view = OrderHistoryView()
    qtbot.addWidget(view)
    controller = HistoryController(
        view, stack.client, stack.orders, outbox=stack.outbox, operator="Dana"
    )
    return view, controller


def test_history_shows_sold_order(qtbot, qt_loop, sale_stack_factory, tmp_path: Path) -> None:
    stack = sale_stack_factory("1000.00")
    package = qt_loop.run(find_package(stack.client, "Japan", pending=False))
    order = qt_loop.run(buy(stack, package, quantity=2))
    view, controller = open_history(qtbot, stack)

    qt_loop.run(controller.refresh())

    shown = view.filtered_orders()
    assert [o.order_reference for o in shown] == [order.order_reference]
    assert shown[0].placed_here
    assert shown[0].operator == "Dana"
    assert view.summary_label.text() == f"1 order, total ${package.cost * 2:.2f}"
    assert view.select_order(order.order_reference)
    qt_loop.run(controller.load_usage(view.details.order))
    assert view.details.esims_table.rowCount() == 2
    assert view.details.esims_table.item(0, 1).text().casefold() == "new"
    assert view.details.cancel_button.isEnabled()

    path = tmp_path / "orders.csv"
    assert qt_loop.run(controller.export(path, view.filtered_orders())) == 1
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert rows[0]["order_reference"] == order.order_reference
    assert Decimal(rows[0]["amount"]) == package.cost * 2


def test_history_cancel_refunds(qtbot, qt_loop, sale_stack_factory) -> None:
    stack = sale_stack_factory("1000.00")
    package = qt_loop.run(find_package(stack.client, "Japan", pending=False))
    order = qt_loop.run(buy(stack, package))
    view, controller = open_history(qtbot, stack)
    qt_loop.run(controller.refresh())
    view.select_order(order.order_reference)
    hand_off = view.details.card.hand_off

    task = controller._spawn(controller.cancel(hand_off))
    boxes: list[QMessageBox] = []

    def question_shown() -> bool:
        boxes[:] = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.isVisible()
        ]
        return bool(boxes)

    qtbot.waitUntil(question_shown, timeout=5000)
    assert f"${package.cost:.2f}" in boxes[0].text()
    boxes[0].button(QMessageBox.StandardButton.Yes).click()
    result = qt_loop.run(task)

    assert result is not None
    assert result.refunded_amount == package.cost
    assert qt_loop.run(stack.client.get_balance()).amount == Decimal("1000.00")
    assert "refunded" in view.details.message_label.text()


def test_history_check_installation(qtbot, qt_loop, sale_stack_factory) -> None:
    stack = sale_stack_factory("1000.00")
    package = qt_loop.run(find_package(stack.client, "Japan", pending=False))
    order = qt_loop.run(buy(stack, package))
    view, controller = open_history(qtbot, stack)
    qt_loop.run(controller.refresh())
    view.select_order(order.order_reference)
    hand_off = view.details.card.hand_off

    assert qt_loop.run(controller.check_installation(hand_off)) is False
    qt_loop.run(stack.admin.install(hand_off.iccid, "Pixel 9"))
    assert qt_loop.run(controller.check_installation(hand_off)) is True
    assert "Pixel 9" in view.details.message_label.text()


def test_history_topup_through_outbox(qtbot, qt_loop, sale_stack_factory) -> None:
    from esimfly_desktop.ui.history.topup_dialog import TopupDialog

    stack = sale_stack_factory("1000.00")
    package = qt_loop.run(find_rechargeable_package(stack.client))
    order = qt_loop.run(buy(stack, package))
    view, controller = open_history(qtbot, stack)
    qt_loop.run(controller.refresh())
    view.select_order(order.order_reference)
    hand_off = view.details.card.hand_off

    task = controller._spawn(controller.top_up(hand_off))
    dialogs: list[TopupDialog] = []

    def dialog_shown() -> bool:
        dialogs[:] = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, TopupDialog) and w.isVisible()
        ]
        return bool(dialogs)

    qtbot.waitUntil(dialog_shown, timeout=10_000)
    chosen = dialogs[0].chosen_package()
    dialogs[0].topup_button.click()
    item = qt_loop.run(task)
    qt_loop.run(wait_until_settled(stack.outbox, item.id), timeout=20)

    charges = qt_loop.run(stack.charges())
    assert item.iccid == hand_off.iccid
    assert qt_loop.run(stack.outbox.item(item.id)).state is ItemState.DONE
    assert len(charges) == 2
    assert Decimal(str(charges[1]["amount"])) == -chosen.cost


async def wait_until_settled(outbox, item_id: int) -> None:
    """Wait for the outbox to finish sending ``item_id`` (done or stopped)."""
    settled = asyncio.Event()

    def on_settled(event) -> None:
        if event.item.id == item_id and event.item.state in {ItemState.DONE, ItemState.FAILED}:
            settled.set()

    unsubscribe = outbox.item_settled.subscribe(on_settled)
    try:
        if (await outbox.item(item_id)).state not in {ItemState.DONE, ItemState.FAILED}:
            await settled.wait()
    finally:
        unsubscribe()


async def find_rechargeable_package(client) -> object:
    for page_number in range(1, 80):
        page = await client.list_packages(page=page_number, limit=100, search="Japan")
        for package in page.packages:
            if package.is_rechargeable and package.provider != "Kestrel Mobile":
                return package
        if page_number >= page.pagination.total_pages:
            break
    raise AssertionError("the sandbox catalog has no rechargeable Japan package")
