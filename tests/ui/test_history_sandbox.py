"""Order history with the real service: the sale appears, its eSIM can be checked and cancelled."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

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
