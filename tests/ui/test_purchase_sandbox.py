"""Selling at the counter against the real sandbox: dialog, steps, QR codes, ledger."""

from __future__ import annotations

from decimal import Decimal

from esimfly_desktop.services.purchase import PurchaseState, Step, StepState
from esimfly_desktop.ui.purchase import PurchaseController
from tests.ui.qr_decoding import decode_qr_texts
from tests.ui.sale_stack import find_package, find_pending_package

SALE_TIMEOUT_MS = 20_000


def test_buy_two_japan_ready(qtbot, qt_loop, sale_stack_factory) -> None:
    stack = sale_stack_factory("1000.00")
    package = qt_loop.run(find_package(stack.client, "Japan", pending=False))
    balance = qt_loop.run(stack.client.get_balance())
    controller = PurchaseController(stack.make_flow)
    dialog = controller.open_dialog(package, balance)
    dialog.quantity.setValue(2)

    with qtbot.waitSignal(controller.finished, timeout=SALE_TIMEOUT_MS) as finished:
        dialog.buy_button.click()

    view = controller.views[0]
    qtbot.addWidget(view)
    outcome = finished.args[0]
    assert outcome.state is PurchaseState.READY, outcome.message
    for step in Step:
        assert view.steps.state_of(step) is StepState.DONE
        assert view.steps.state_text(step) == "Done"
    details = qt_loop.run(stack.client.get_order(outcome.order.order_reference))
    service_lpa_strings = sorted(esim.lpa_string for esim in details.esims)
    assert len(service_lpa_strings) == 2
    shown = sorted(card.hand_off.lpa_string for card in view.esim_cards())
    assert shown == service_lpa_strings
    for card in view.esim_cards():
        for ratio in (1.0, 1.25, 1.5, 2.0):
            image = card.qr.render_image(300, ratio)
            assert decode_qr_texts(image) == [card.hand_off.lpa_string]
    charges = qt_loop.run(stack.charges())
    assert len(charges) == 1
    assert Decimal(str(charges[0]["amount"])) == -package.cost * 2


def test_short_balance_stops_before_charge(qtbot, qt_loop, sale_stack_factory) -> None:
    stack = sale_stack_factory("1.00")
    package = qt_loop.run(find_package(stack.client, "Japan", pending=False))
    assert package.cost * 3 > Decimal("1.00")
    balance = qt_loop.run(stack.client.get_balance())
    controller = PurchaseController(stack.make_flow)
    dialog = controller.open_dialog(package, balance)
    dialog.quantity.setValue(3)

    assert not dialog.buy_button.isEnabled()
    assert not dialog.shortfall_label.isHidden()

    # The flow checks again on its own, as it does when the balance shown was stale.
    with qtbot.waitSignal(controller.finished, timeout=SALE_TIMEOUT_MS) as finished:
        view = controller.start(dialog.request())
    qtbot.addWidget(view)

    outcome = finished.args[0]
    assert outcome.state is PurchaseState.FAILED
    assert outcome.need_to_load == package.cost * 3 - Decimal("1.00")
    assert view.steps.state_of(Step.CHECKING) is StepState.FAILED
    assert view.steps.state_of(Step.PLACING) is None
    assert not view.load_balance_button.isHidden()
    assert qt_loop.run(stack.charges()) == []
    assert qt_loop.run(stack.client.get_balance()).amount == Decimal("1.00")


def test_pending_order_completes_background(qtbot, qt_loop, sale_stack_factory) -> None:
    stack = sale_stack_factory("1000.00")
    package = qt_loop.run(find_pending_package(stack.client))
    controller = PurchaseController(stack.make_flow)
    dialog = controller.open_dialog(package, qt_loop.run(stack.client.get_balance()))
    dialog.buy_button.click()
    view = controller.views[0]
    qtbot.addWidget(view)
    qtbot.waitUntil(
        lambda: view.steps.state_of(Step.WAITING) is StepState.RUNNING, timeout=SALE_TIMEOUT_MS
    )
    assert not view.stop_waiting_button.isHidden()

    view.close()
    with qtbot.waitSignal(controller.finished, timeout=SALE_TIMEOUT_MS) as finished:
        pass

    assert finished.args[0].state is PurchaseState.READY
    assert view.steps.state_of(Step.READY) is StepState.DONE
    card = view.esim_cards()[0]
    assert decode_qr_texts(card.qr.render_image(300, 1.0)) == [card.hand_off.lpa_string]
