"""An outage at the counter, walked through in training mode with the real console.

The operator puts the training service into an outage from the Training menu,
sells three eSIMs, sees them queued, quits and starts the console again, ends
the outage and watches the three orders complete. The sandbox's ledger must
then hold each order and its charge exactly once, and each order's QR code
must decode to its LPA string.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from esimfly_desktop.api.models import Package
from esimfly_desktop.api.request_log import RequestRecord
from esimfly_desktop.sandbox.config import PENDING_PROVIDER
from esimfly_desktop.services.outbox_store import ItemState, OutboxItem
from esimfly_desktop.services.purchase import PurchaseState
from esimfly_desktop.ui.app_controller import AppController
from esimfly_desktop.ui.outbox.order_ready_notice import OrderReadyNotice
from esimfly_desktop.ui.purchase.progress_view import PurchaseProgressView
from tests.ui.console_fixtures import CATALOG_TIMEOUT_MS, training_options
from tests.ui.qr_decoding import decode_qr_texts

ORDER_COUNT = 3
SEARCH_TEXT = "Japan"
ACTION_TIMEOUT_MS = 10_000
QUEUED_TIMEOUT_MS = 20_000
REPLAY_TIMEOUT_MS = 45_000
STATE_COLUMN = 3
SHUTDOWN_TIMEOUT_S = 15.0


class Consoles:
    """Consoles started one after another on one data folder, shut down at the end if open."""

    def __init__(self, qt_loop, qtbot, data_dir: Path) -> None:
        self.qt_loop = qt_loop
        self.qtbot = qtbot
        self.data_dir = data_dir
        self.open: list[AppController] = []

    def start(self) -> AppController:
        """Start the console in training mode and wait until it can sell."""
        controller = AppController(training_options(self.data_dir))
        self.open.append(controller)
        self.qt_loop.run(controller.start())

        model = controller.window.catalog_view.model
        self.qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=CATALOG_TIMEOUT_MS)
        self.qtbot.waitUntil(
            lambda: controller.sales is not None and controller.training_menu is not None,
            timeout=CATALOG_TIMEOUT_MS,
        )
        return controller

    def quit(self, controller: AppController) -> None:
        """Close the main window, then shut down the way the application's main does."""
        controller.window.close()
        self.qt_loop.run(controller.wait_for_quit(), timeout=1.0)
        self.qt_loop.run(controller.shutdown(), timeout=SHUTDOWN_TIMEOUT_S)
        self.open.remove(controller)

    def close_all(self) -> None:
        for controller in list(self.open):
            self.qt_loop.run(controller.shutdown(), timeout=SHUTDOWN_TIMEOUT_S)
        self.open.clear()


@pytest.fixture
def consoles(qt_loop, qtbot, tmp_path) -> Iterator[Consoles]:
    started = Consoles(qt_loop, qtbot, tmp_path / "data")
    yield started
    started.close_all()


def switch_outage(qtbot, controller: AppController, *, on: bool) -> None:
    """Tick or untick Training > Simulate service outage and wait for the confirmation."""
    action = controller.training_menu.outage_action
    assert action.isChecked() is not on
    with qtbot.waitSignal(controller.training_menu.action_done, timeout=ACTION_TIMEOUT_MS):
        action.trigger()


def search(qtbot, controller: AppController, text: str) -> None:
    """Ctrl+F, then type ``text`` into the catalog's search box."""
    window = controller.window
    view = window.catalog_view
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    view.filter_bar.search_box.clear()
    qtbot.keyClicks(view.filter_bar.search_box, text)
    qtbot.waitUntil(lambda: 0 < view.model.rowCount() < 1_000, timeout=5_000)


def packages_for_sale(controller: AppController, count: int) -> list[Package]:
    """The first ``count`` search results that complete at once (not pending)."""
    model = controller.window.catalog_view.model
    shown = [model.package_at(row) for row in range(model.rowCount())]
    chosen = [package for package in shown if package.provider != PENDING_PROVIDER][:count]
    assert len(chosen) == count, f"only {len(chosen)} instant packages in the search result"
    return chosen


def buy(qtbot, controller: AppController, package: Package) -> PurchaseProgressView:
    """Select ``package`` in the result, press Enter, then Buy in the order dialog."""
    view = controller.window.catalog_view
    purchase = controller.sales.purchase
    row = next(
        row
        for row in range(view.model.rowCount())
        if view.model.package_at(row).package_code == package.package_code
    )
    index = view.model.index(row, 0)
    view.table.scrollTo(index)
    cell = view.table.visualRect(index).center()
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    assert view.selected_package() == package
    views_before = len(purchase.views)

    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: purchase.dialog is not None and purchase.dialog.isVisible())
    qtbot.mouseClick(purchase.dialog.buy_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: len(purchase.views) == views_before + 1, timeout=2_000)
    return purchase.views[-1]


def sell_during_outage(qtbot, controller: AppController) -> list[PurchaseProgressView]:
    """Sell ``ORDER_COUNT`` packages and wait until each purchase view shows its order queued."""
    search(qtbot, controller, SEARCH_TEXT)
    packages = packages_for_sale(controller, ORDER_COUNT)
    views = [buy(qtbot, controller, package) for package in packages]

    qtbot.waitUntil(
        lambda: all(view.outcome is not None for view in views), timeout=QUEUED_TIMEOUT_MS
    )
    assert [view.outcome.state for view in views] == [PurchaseState.QUEUED] * ORDER_COUNT
    assert all("queued" in view.message_label.text() for view in views)
    for view in views:
        view.close()
    return views


def queue_items(controller: AppController) -> list[OutboxItem]:
    """The items the Outbox screen shows, after switching to it."""
    window = controller.window
    window.tabs.setCurrentWidget(controller.sales.queue_view)
    return controller.sales.queue_view.model.items()


def shown_states(controller: AppController) -> list[str]:
    """The State column of the Outbox screen, row by row."""
    model = controller.sales.queue_view.model
    return [model.data(model.index(row, STATE_COLUMN)) for row in range(model.rowCount())]


def wait_until_sent(qtbot, controller: AppController) -> list[OutboxItem]:
    def all_done() -> bool:
        items = queue_items(controller)
        return len(items) == ORDER_COUNT and all(item.state is ItemState.DONE for item in items)

    qtbot.waitUntil(all_done, timeout=REPLAY_TIMEOUT_MS)
    return queue_items(controller)


def assert_charged_once(qt_loop, controller: AppController, items: list[OutboxItem]) -> None:
    """Each item's order is in the ledger once with one charge of its cost, and nothing else."""
    session = controller.session
    entries = qt_loop.run(session.sandbox_admin.ledger(session.access_code))
    orders = sorted(entry["reference"] for entry in entries if entry["kind"] == "order")
    charges = sorted(
        (entry["reference"], entry["amount"]) for entry in entries if entry["kind"] == "charge"
    )
    references = sorted(item.order_reference for item in items)

    assert len({item.idempotency_key for item in items}) == ORDER_COUNT
    assert all(references)
    assert orders == references
    assert charges == sorted((item.order_reference, -item.total) for item in items)


def order_attempts(controller: AppController, since: datetime) -> list[RequestRecord]:
    """The console's order requests started after ``since``, each retry on its own."""
    return [
        record
        for record in controller.session.client.recent_requests
        if record.method == "POST"
        and record.path.endswith("/esims/order")
        and record.started_at >= since
    ]


def open_notices(qtbot, controller: AppController) -> list[OrderReadyNotice]:
    queue = controller.sales.queue
    qtbot.waitUntil(lambda: len(queue.notices) == ORDER_COUNT, timeout=ACTION_TIMEOUT_MS)
    return list(queue.notices)


def assert_qr_codes_ready(
    qt_loop, qtbot, controller: AppController, items: list[OutboxItem]
) -> None:
    """Click Show QR on each completion notice and decode the QR code in the window it opens."""
    queue = controller.sales.queue
    notices = open_notices(qtbot, controller)
    assert {notice.order_reference for notice in notices} == {
        item.order_reference for item in items
    }

    for window_count, notice in enumerate(notices, start=1):
        assert notice.isVisible()
        qtbot.mouseClick(notice.show_qr_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda count=window_count: len(queue.windows) == count, timeout=5_000)
        window = queue.windows[-1]
        qtbot.waitExposed(window)
        cards = window.esim_cards()

        assert window.order.order_reference == notice.order_reference
        assert len(cards) == 1
        # Compare with the service's copy of the order, so a wrong local copy cannot pass.
        served = qt_loop.run(controller.session.client.get_order(notice.order_reference))
        lpa_string = served.esims[0].lpa_string
        # The LPA string is secret: compare it without printing it.
        decodes_to_order = decode_qr_texts(cards[0].qr.grab().toImage()) == [lpa_string]
        assert lpa_string.startswith("LPA:1$")
        assert decodes_to_order, f"QR of order {notice.order_reference} does not decode"
        window.close()


def test_queued_orders_survive_restart(consoles, qt_loop, qtbot):
    first = consoles.start()
    switch_outage(qtbot, first, on=True)

    sell_during_outage(qtbot, first)
    queued = queue_items(first)
    assert [item.state for item in queued] == [ItemState.QUEUED] * ORDER_COUNT
    assert shown_states(first) == ["Queued"] * ORDER_COUNT
    consoles.quit(first)

    second = consoles.start()
    qtbot.waitUntil(lambda: len(queue_items(second)) == ORDER_COUNT, timeout=ACTION_TIMEOUT_MS)
    assert [item.id for item in queue_items(second)] == [item.id for item in queued]
    assert all(item.state is ItemState.QUEUED for item in queue_items(second))
    # The training service is still down, and the Training menu's outage switch is ticked.
    qtbot.waitUntil(second.training_menu.outage_action.isChecked, timeout=ACTION_TIMEOUT_MS)
    connection_label = second.window.connectivity_label
    qtbot.waitUntil(lambda: "Offline" in connection_label.text(), timeout=ACTION_TIMEOUT_MS)
    assert all(item.state is ItemState.QUEUED for item in queue_items(second))
    switch_outage(qtbot, second, on=False)
    sent = wait_until_sent(qtbot, second)
    assert connection_label.text() == ""

    assert shown_states(second) == ["Done"] * ORDER_COUNT
    assert [item.idempotency_key for item in sent] == [item.idempotency_key for item in queued]
    assert_charged_once(qt_loop, second, sent)
    assert_qr_codes_ready(qt_loop, qtbot, second, sent)


def test_dropped_responses_order_once(consoles, qt_loop, qtbot):
    console = consoles.start()
    admin = console.session.sandbox_admin
    switch_outage(qtbot, console, on=True)
    sell_during_outage(qtbot, console)

    # Unticking the Training menu's outage switch clears every fault, so the
    # outage ends through the admin API to keep the dropped responses switched on.
    outage_ended = datetime.now(UTC)
    qt_loop.run(admin.set_faults(outage=False, drop_after_commit=1.0))
    console.window.activateWindow()
    qtbot.keyClick(console.window, Qt.Key.Key_F5)
    sent = wait_until_sent(qtbot, console)

    attempts = order_attempts(console, outage_ended)
    assert len([attempt for attempt in attempts if attempt.status is None]) == ORDER_COUNT
    assert len([attempt for attempt in attempts if attempt.status == 200]) == ORDER_COUNT
    assert_charged_once(qt_loop, console, sent)
    assert_qr_codes_ready(qt_loop, qtbot, console, sent)
