"""The order dialog and progress view, driven by a scripted purchase flow."""

from __future__ import annotations

import asyncio
from decimal import Decimal

from PySide6.QtCore import Qt

from esimfly_desktop.services.purchase import PurchaseState, Step, StepState
from esimfly_desktop.ui.purchase import PurchaseController, PurchaseDialog
from tests.ui.qr_decoding import decode_qr_texts
from tests.ui.sale_doubles import (
    CatalogPackage,
    balance,
    make_esim,
    queued_flow,
    ready_flow,
    short_of_funds_flow,
)


def test_dialog_quantity_range(qtbot) -> None:
    dialog = PurchaseDialog(CatalogPackage(), balance("100.00"))
    qtbot.addWidget(dialog)

    assert dialog.quantity.minimum() == 1
    assert dialog.quantity.maximum() == 10


def test_dialog_total_and_balance_after(qtbot) -> None:
    dialog = PurchaseDialog(CatalogPackage(), balance("100.00"))
    qtbot.addWidget(dialog)

    dialog.quantity.setValue(2)

    assert dialog.total == Decimal("9.00")
    assert dialog.total_label.text() == "$9.00"
    assert dialog.balance_label.text() == "$100.00"
    assert dialog.balance_after_label.text() == "$91.00"
    assert dialog.shortfall_label.isHidden()
    assert dialog.buy_button.isEnabled()


def test_dialog_shortfall_names_amount(qtbot) -> None:
    dialog = PurchaseDialog(CatalogPackage(), balance("5.00"))
    qtbot.addWidget(dialog)

    dialog.quantity.setValue(2)

    assert "$4.00" in dialog.shortfall_label.text()
    assert not dialog.shortfall_label.isHidden()
    assert not dialog.load_balance_button.isHidden()
    assert not dialog.buy_button.isEnabled()


def test_dialog_offline_balance_allows_queue(qtbot) -> None:
    dialog = PurchaseDialog(CatalogPackage(), None)
    qtbot.addWidget(dialog)

    assert dialog.buy_button.isEnabled()
    assert dialog.balance_after_label.text() == "—"


def test_dialog_confirm_emits_request(qtbot) -> None:
    dialog = PurchaseDialog(CatalogPackage(), balance("100.00"))
    qtbot.addWidget(dialog)
    dialog.quantity.setValue(3)
    dialog.customer_reference.setText("  Walk-in, blue jacket ")
    dialog.show()
    qtbot.waitExposed(dialog)

    with qtbot.waitSignal(dialog.confirmed, timeout=2000) as confirmed:
        qtbot.keyClick(dialog.quantity, Qt.Key.Key_Return)

    request = confirmed.args[0]
    assert request.package_code == "JP-5GB-30D"
    assert request.quantity == 3
    assert request.unit_cost == Decimal("4.50")
    assert request.customer_reference == "Walk-in, blue jacket"
    assert dialog.result() == PurchaseDialog.DialogCode.Accepted


def test_dialog_opens_without_nested_loop(qtbot, qt_loop) -> None:
    controller = PurchaseController(ready_flow)

    dialog = controller.open_dialog(CatalogPackage(), balance("100.00"))
    qtbot.addWidget(dialog)

    # open() returns at once; exec() would not return until the dialog closed.
    assert dialog.isVisible()
    assert dialog.isModal() or dialog.windowModality() != Qt.WindowModality.NonModal


def test_progress_reaches_ready(qtbot, qt_loop) -> None:
    controller = PurchaseController(lambda: ready_flow(2))
    dialog = controller.open_dialog(CatalogPackage(), balance("100.00"))
    dialog.quantity.setValue(2)

    with qtbot.waitSignal(controller.finished, timeout=5000) as finished:
        dialog.buy_button.click()

    view = controller.views[0]
    qtbot.addWidget(view)
    assert finished.args[0].state is PurchaseState.READY
    for step in Step:
        assert view.steps.state_of(step) is StepState.DONE
    assert len(view.esim_cards()) == 2


def test_progress_cards_decode(qtbot, qt_loop) -> None:
    controller = PurchaseController(lambda: ready_flow(2))
    view = controller.start(_request(2))
    qtbot.addWidget(view)

    qtbot.waitUntil(lambda: len(view.esim_cards()) == 2, timeout=5000)

    for number, card in enumerate(view.esim_cards(), start=1):
        image = card.qr.render_image(300, 1.0)
        assert decode_qr_texts(image) == [make_esim(number).lpa_string]


def test_progress_short_of_funds_actions(qtbot, qt_loop) -> None:
    controller = PurchaseController(short_of_funds_flow)
    view = controller.start(_request(3))
    qtbot.addWidget(view)

    qtbot.waitUntil(lambda: view.outcome is not None, timeout=5000)

    assert view.steps.state_of(Step.CHECKING) is StepState.FAILED
    assert view.steps.state_of(Step.PLACING) is None
    assert "Load at least $4.00" in view.message_label.text()
    assert not view.load_balance_button.isHidden()
    assert not view.change_quantity_button.isHidden()
    assert view.retry_button.isHidden()


def test_change_quantity_reopens_dialog(qtbot, qt_loop) -> None:
    controller = PurchaseController(short_of_funds_flow)
    first = controller.open_dialog(CatalogPackage(), balance("100.00"))
    first.quantity.setValue(3)
    first.buy_button.click()
    view = controller.views[0]
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.outcome is not None, timeout=5000)

    view.change_quantity_button.click()

    assert controller.dialog is not first
    assert controller.dialog.quantity.value() == 3
    qtbot.addWidget(controller.dialog)


def test_progress_queued_offers_notice(qtbot, qt_loop) -> None:
    controller = PurchaseController(queued_flow)
    view = controller.start(_request(1))
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.outcome is not None, timeout=5000)

    with qtbot.waitSignal(controller.print_notice_requested) as requested:
        view.print_notice_button.click()

    assert requested.args[0].state is PurchaseState.QUEUED
    assert view.steps.state_of(Step.PLACING) is StepState.QUEUED


def test_closed_view_completes_background(qtbot, qt_loop) -> None:
    hold = asyncio.Event()
    controller = PurchaseController(lambda: ready_flow(1, hold))
    view = controller.start(_request(1))
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.steps.state_of(Step.WAITING) is StepState.DONE, timeout=5000)

    view.close()
    with qtbot.waitSignal(controller.finished, timeout=5000) as finished:
        hold.set()

    assert finished.args[0].state is PurchaseState.READY
    assert len(view.esim_cards()) == 1


def test_show_to_customer_forwarded(qtbot, qt_loop) -> None:
    controller = PurchaseController(lambda: ready_flow(1))
    view = controller.start(_request(1))
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: len(view.esim_cards()) == 1, timeout=5000)

    with qtbot.waitSignal(controller.show_to_customer_requested) as shown:
        view.esim_cards()[0].show_button.click()

    assert shown.args[0].iccid == make_esim(1).iccid


def _request(quantity: int):
    from esimfly_desktop.services.purchase import PurchaseRequest

    return PurchaseRequest(
        package_code="JP-5GB-30D",
        package_name="Japan 5 GB 30 days",
        unit_cost=Decimal("4.50"),
        currency="USD",
        quantity=quantity,
    )


def test_change_quantity_without_dialog(qtbot, qt_loop) -> None:
    controller = PurchaseController(short_of_funds_flow)
    view = controller.start(_request(4))
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.outcome is not None, timeout=5000)

    view.change_quantity_button.click()

    dialog = controller.dialog
    qtbot.addWidget(dialog)
    assert dialog.quantity.value() == 4
    assert dialog.request().package_code == "JP-5GB-30D"
    assert dialog.total == Decimal("18.00")


def test_failure_message_translated_error(qtbot, qt_loop) -> None:
    from esimfly_desktop.i18n.error_messages import describe_error
    from tests.ui.sale_doubles import price_changed_flow

    flow = price_changed_flow()
    controller = PurchaseController(lambda: flow)
    view = controller.start(_request(1))
    qtbot.addWidget(view)

    qtbot.waitUntil(lambda: view.outcome is not None, timeout=5000)

    assert view.message_label.text() == describe_error(flow.outcome.error, currency="USD")
    assert view.message_label.text() != "raw"
    assert not view.retry_button.isHidden()
    assert view.steps.state_of(Step.PLACING) is StepState.FAILED


def test_mark_installed_reaches_card(qtbot, qt_loop) -> None:
    controller = PurchaseController(lambda: ready_flow(2))
    view = controller.start(_request(2))
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: len(view.esim_cards()) == 2, timeout=5000)

    controller.mark_installed(make_esim(2).iccid)

    first, second = view.esim_cards()
    assert first.installed_label.isHidden()
    assert not second.installed_label.isHidden()


def test_escape_closes_progress_view(qtbot, qt_loop) -> None:
    controller = PurchaseController(lambda: ready_flow(1))
    view = controller.start(_request(1))
    qtbot.addWidget(view)
    qtbot.waitExposed(view)
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow, timeout=5000)

    with qtbot.waitSignal(view.closed, timeout=5000):
        qtbot.keyClick(view, Qt.Key.Key_Escape)

    assert not view.isVisible()


def test_controls_have_accessible_names(qtbot, qt_loop) -> None:
    from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QLineEdit, QWidget

    from esimfly_desktop.ui.customer_display import CustomerDisplayWindow

    dialog = PurchaseDialog(CatalogPackage(), balance("10.00"))
    display = CustomerDisplayWindow("ar")
    controller = PurchaseController(lambda: ready_flow(1))
    view = controller.start(_request(1))
    for widget in (dialog, display, view):
        qtbot.addWidget(widget)
    qtbot.waitUntil(lambda: len(view.esim_cards()) == 1, timeout=5000)

    for root in (dialog, display, view):
        for control in root.findChildren(QWidget):
            if not control.isVisibleTo(root) or isinstance(control.parent(), QAbstractSpinBox):
                continue
            if isinstance(control, QAbstractButton):
                assert control.accessibleName() or control.text(), control
            elif isinstance(control, QLineEdit | QAbstractSpinBox):
                assert control.accessibleName(), control


def test_flow_error_offers_no_retry(qtbot, qt_loop, tmp_path) -> None:
    from esimfly_desktop.storage.errors import StorageError

    class BrokenFlow:
        def __init__(self) -> None:
            from esimfly_desktop.services.observers import Observers

            self.step_changed = Observers()

        def cancel_waiting(self) -> None:
            pass

        async def run(self, request):
            raise StorageError("The disk is full: free some space.", tmp_path)

    controller = PurchaseController(BrokenFlow)
    view = controller.start(_request(1))
    qtbot.addWidget(view)

    qtbot.waitUntil(lambda: view.outcome is not None, timeout=5000)

    assert view.outcome.state is PurchaseState.FAILED
    assert "The disk is full" in view.message_label.text()
    assert "Check the outbox" in view.message_label.text()
    assert view.retry_button.isHidden()


def test_closed_views_dropped_after_end(qtbot, qt_loop) -> None:
    controller = PurchaseController(lambda: ready_flow(1))
    first = controller.start(_request(1))
    qtbot.waitUntil(lambda: first.outcome is not None, timeout=5000)
    first.close()

    second = controller.start(_request(1))
    qtbot.addWidget(second)

    assert controller.views == [second]


def test_background_completion_signalled(qtbot, qt_loop) -> None:
    hold = asyncio.Event()
    controller = PurchaseController(lambda: ready_flow(1, hold))
    view = controller.start(_request(1))
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.steps.state_of(Step.WAITING) is StepState.DONE, timeout=5000)
    view.close()

    with qtbot.waitSignal(controller.finished_in_background, timeout=5000) as finished:
        hold.set()

    assert finished.args[0].order.order_reference == "order_1764880000000_ab12c"
