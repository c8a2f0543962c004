"""The selling screens as the main window wires them, driven against the training sandbox."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLineEdit, QToolBar

from esimfly_desktop.api.models import PackagePage, Pagination
from esimfly_desktop.services.balance import ConfirmationSource
from esimfly_desktop.services.purchase import PurchaseState
from esimfly_desktop.ui.app_controller import AppController
from esimfly_desktop.ui.customer_display import CustomerDisplayControls
from esimfly_desktop.ui.outbox.queue_model import queue_reference
from esimfly_desktop.ui.printing.receipt_options import ReceiptOptionsDialog
from esimfly_desktop.ui.purchase.progress_view import PurchaseProgressView
from tests.ui.console_fixtures import training_console  # noqa: F401 (fixture)
from tests.ui.qr_decoding import decode_qr_array
from tests.ui.test_outage_walkthrough import buy, packages_for_sale, search, switch_outage
from tests.ui.test_printing import accept_print_dialog_to_file, find_visible, render_pdf_page

SALE_TIMEOUT_MS = 20_000
REPLAY_TIMEOUT_MS = 45_000
# The installation watcher checks first after 4 s, then after 6 s.
INSTALL_TIMEOUT_MS = 20_000
POINTS_PER_MM = 72 / 25.4


def sell_one(qtbot, console: AppController) -> PurchaseProgressView:
    """Search Japan, buy the first package that completes at once, wait for its outcome."""
    search(qtbot, console, "Japan")
    package = packages_for_sale(console, 1)[0]
    view = buy(qtbot, console, package)
    qtbot.waitUntil(lambda: view.outcome is not None, timeout=SALE_TIMEOUT_MS)
    return view


def balance_requests_after_order(console: AppController) -> list[object]:
    """GET /balance requests started after the last order was sent (the sale checks it before)."""
    records = list(console.session.client.recent_requests)
    order_sent_at = max(
        record.started_at
        for record in records
        if record.method == "POST" and record.path.endswith("/esims/order")
    )
    return [
        record
        for record in records
        if record.method == "GET"
        and record.path.endswith("/balance")
        and record.started_at > order_sent_at
    ]


def test_order_balance_from_response(training_console, qt_loop, qtbot):  # noqa: F811
    console = training_console
    qtbot.waitUntil(lambda: console.current_balance() is not None, timeout=SALE_TIMEOUT_MS)

    view = sell_one(qtbot, console)
    service = console.balance.service
    qtbot.waitUntil(
        lambda: service.current.source is ConfirmationSource.ORDER, timeout=SALE_TIMEOUT_MS
    )
    # History reloads after each sale; a balance request started with it would show by then.
    reference = view.outcome.order.order_reference
    qtbot.waitUntil(
        lambda: console.sales.history_view.select_order(reference), timeout=SALE_TIMEOUT_MS
    )
    requests_after_order = balance_requests_after_order(console)
    served = qt_loop.run(console.session.client.get_balance())

    assert view.outcome.state is PurchaseState.READY
    assert requests_after_order == []
    assert service.current.amount == served.amount
    assert service.current.currency == served.currency


def test_receipt_saved_as_80mm_pdf(training_console, qt_loop, qtbot, tmp_path):  # noqa: F811
    console = training_console
    view = sell_one(qtbot, console)
    card = view.esim_cards()[0]
    path = tmp_path / "receipt.pdf"

    qtbot.mouseClick(card.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: find_visible(ReceiptOptionsDialog) is not None, timeout=5_000)
    options = find_visible(ReceiptOptionsDialog)
    options.roll_button.click()
    qtbot.mouseClick(options.pdf_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: find_visible(QFileDialog) is not None, timeout=5_000)
    file_dialog = find_visible(QFileDialog)
    file_dialog.findChild(QLineEdit, "fileNameEdit").setText(str(path))
    with qtbot.waitSignal(console.sales.printing.printed, timeout=SALE_TIMEOUT_MS):
        file_dialog.accept()

    image, _text, size = render_pdf_page(path)
    served = qt_loop.run(console.session.client.get_order(view.outcome.order.order_reference))
    decodes_to_order = decode_qr_array(image) == [served.esims[0].lpa_string]
    assert decodes_to_order
    assert size[0] == pytest.approx(80 * POINTS_PER_MM, abs=1.0)
    assert console.sales.page_format.value == "receipt-80mm"
    assert str(path) in console.window.statusBar().currentMessage()


def test_receipt_print_dialog_cancelled(training_console, qtbot):  # noqa: F811
    from PySide6.QtPrintSupport import QPrintDialog

    console = training_console
    view = sell_one(qtbot, console)
    print_button = view.esim_cards()[0].print_button

    qtbot.mouseClick(print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: find_visible(ReceiptOptionsDialog) is not None, timeout=5_000)
    options = find_visible(ReceiptOptionsDialog)
    options.a4_button.click()
    options.reject()
    qtbot.waitUntil(lambda: not console.sales._tasks, timeout=5_000)
    assert console.sales.page_format.value == "receipt-80mm"

    qtbot.mouseClick(print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: find_visible(ReceiptOptionsDialog) is not None, timeout=5_000)
    options = find_visible(ReceiptOptionsDialog)
    options.a4_button.click()
    qtbot.mouseClick(options.printer_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: find_visible(QPrintDialog) is not None, timeout=5_000)
    find_visible(QPrintDialog).reject()
    qtbot.waitUntil(lambda: not console.sales._tasks, timeout=5_000)

    assert console.sales.page_format.value == "a4"
    assert find_visible(QPrintDialog) is None


def test_outage_sale_notice_and_ready(training_console, qt_loop, qtbot, tmp_path):  # noqa: F811
    console = training_console
    queue = console.sales.queue
    path = tmp_path / "notice.pdf"
    switch_outage(qtbot, console, on=True)

    view = sell_one(qtbot, console)
    assert view.outcome.state is PurchaseState.QUEUED
    item = qt_loop.run(console.session.outbox.item(view.outcome.outbox_item_id))
    assert view.print_notice_button.isVisible()
    qtbot.mouseClick(view.print_notice_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(console.sales.printing.printed, timeout=SALE_TIMEOUT_MS):
        accept_print_dialog_to_file(qtbot, path)
    _image, text, _size = render_pdf_page(path, scale=1.0)
    assert queue_reference(item) in text

    switch_outage(qtbot, console, on=False)
    qtbot.waitUntil(lambda: len(queue.notices) == 1, timeout=REPLAY_TIMEOUT_MS)
    notice = queue.notices[0]
    sent = qt_loop.run(console.session.outbox.item(item.id))
    assert notice.order_reference == sent.order_reference
    assert notice.isVisible()


def test_installed_reaches_both_screens(training_console, qt_loop, qtbot):  # noqa: F811
    console = training_console
    sales = console.sales
    view = sell_one(qtbot, console)
    card = view.esim_cards()[0]
    iccid = card.hand_off.iccid
    reference = view.outcome.order.order_reference
    qtbot.waitUntil(lambda: sales.history_view.select_order(reference), timeout=SALE_TIMEOUT_MS)
    history_card = sales.history_view.details.card
    qtbot.waitUntil(
        lambda: history_card.hand_off is not None and history_card.hand_off.iccid == iccid,
        timeout=5_000,
    )

    with qtbot.waitSignal(sales.customer_display.shown, timeout=SALE_TIMEOUT_MS):
        qtbot.mouseClick(card.show_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(sales.customer_display.installed, timeout=INSTALL_TIMEOUT_MS):
        qt_loop.run(console.session.sandbox_admin.install(iccid))

    assert not card.installed_label.isHidden()
    assert not history_card.installed_label.isHidden()
    sales.customer_display.blank()


def test_display_controls_in_window(training_console, qt_loop, qtbot):  # noqa: F811
    console = training_console
    sales = console.sales
    toolbar = console.window.findChild(QToolBar, "customer_display_toolbar")
    view = sell_one(qtbot, console)
    hand_off = view.esim_cards()[0].hand_off
    qt_loop.run(sales.customer_display.show(hand_off))
    display = sales.display_window

    console.window.activateWindow()
    qtbot.waitUntil(console.window.isActiveWindow, timeout=5_000)
    qtbot.keyClick(console.window, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert display.current_page() is display.blank_page

    qt_loop.run(sales.customer_display.show(hand_off))
    qtbot.waitExposed(display)
    screen_name = display.screen().name()
    sales.customer_display.on_screen_removed(display.screen())
    lost_message = console.window.statusBar().currentMessage()

    assert toolbar is not None
    assert toolbar.isVisible()
    assert isinstance(sales.display_controls, CustomerDisplayControls)
    assert sales.display_controls.isVisibleTo(console.window)
    assert not display.isVisible()
    assert "disconnected" in lost_message
    assert screen_name in lost_message


def test_background_purchase_tells_operator(training_console, qtbot):  # noqa: F811
    console = training_console
    purchase = console.sales.purchase
    search(qtbot, console, "Japan")
    package = packages_for_sale(console, 1)[0]
    view = buy(qtbot, console, package)
    # The order takes several requests, so it is still running when its view closes.
    view.close()

    with qtbot.waitSignal(purchase.finished_in_background, timeout=SALE_TIMEOUT_MS) as ended:
        pass
    outcome = ended.args[0]
    message = console.window.statusBar().currentMessage()

    assert outcome.state is PurchaseState.READY
    assert outcome.order.order_reference in message


class EmptyCatalogService:
    """A catalog service that returns every page with no packages."""

    async def list_packages(
        self, page: int = 1, limit: int = 100, **_filters: object
    ) -> PackagePage:
        return PackagePage((), Pagination(page=page, limit=limit, total=0, total_pages=0))


def test_empty_catalog_message_keeps_rows(training_console, qt_loop, qtbot):  # noqa: F811
    console = training_console
    rows_before = console.window.catalog_view.model.rowCount()
    console.catalog.connect_client(EmptyCatalogService())

    with qtbot.waitSignal(console.catalog.status_message, timeout=SALE_TIMEOUT_MS) as reported:
        task = console.catalog.refresh()
    qt_loop.run(asyncio.gather(task, return_exceptions=True))
    message = reported.args[0]

    assert "empty catalog" in message
    assert console.window.catalog_view.model.rowCount() == rows_before
