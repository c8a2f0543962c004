"""Training mode end to end: a real sandbox child, the banner, the catalog, the Training menu."""

# ruff: noqa: F811  (the training_console fixture is imported, then requested by name)

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt

from esimfly_desktop.qr_decode import decode_qr_codes
from esimfly_desktop.sandbox.config import PENDING_PROVIDER
from esimfly_desktop.ui.balance_widget import BalanceWidget
from tests.ui.console_fixtures import training_console  # noqa: F401

BALANCE_TIMEOUT_MS = 10_000
SALE_TIMEOUT_MS = 20_000


def balance_text(widget: BalanceWidget) -> str:
    return widget.amount_label.text()


def test_training_start_window(training_console, qtbot):
    window = training_console.window
    view = window.catalog_view
    banner = window.training_banner
    menus = [action.menu() for action in window.menuBar().actions() if action.menu()]
    actions = [action for menu in menus for action in menu.actions()]
    texts = [action.text() for action in actions if not action.isSeparator()]
    controls = [
        window.tabs,
        window.balance_widget,
        window.balance_widget.amount_label,
        window.connectivity_label,
        view.filter_bar.search_box,
        view.filter_bar.type_box,
        view.filter_bar.region_box,
        view.filter_bar.min_data_box,
        view.filter_bar.min_days_box,
        view.filter_bar.max_price_box,
        view.table,
        view.details.browser,
        view.sync_progress,
        banner,
        training_console.training_menu,
    ]

    assert banner is not None
    assert banner.isVisible()
    assert "no real orders are placed" in banner.text()
    assert "training" in window.windowTitle().lower()
    assert training_console.session.sandbox.running
    assert 6_000 <= view.model.rowCount() <= 8_000
    assert [type(c).__name__ for c in controls if not c.accessibleName()] == []
    assert all(texts)
    assert any("outage" in text.lower() for text in texts)

    all_rows = view.model.rowCount()
    qtbot.keyClicks(view.filter_bar.search_box, "Japan")
    qtbot.waitUntil(lambda: view.model.rowCount() < all_rows, timeout=2000)
    shown = [view.model.package_at(row) for row in range(view.model.rowCount())]
    assert shown
    assert all("JP" in package.countries or "japan" in package.name.lower() for package in shown)


def test_training_load_funds(training_console, qt_loop, qtbot):
    widget = training_console.window.balance_widget
    qtbot.waitUntil(lambda: "1,000.00" in balance_text(widget), timeout=BALANCE_TIMEOUT_MS)

    assert "as of" in widget.as_of_label.text()

    qt_loop.run(training_console.training_menu.load_funds(Decimal("250.00")))

    qtbot.waitUntil(lambda: "1,250.00" in balance_text(widget), timeout=BALANCE_TIMEOUT_MS)


def test_training_outage_and_back(training_console, qtbot):
    menu = training_console.training_menu
    messages: list[str] = []
    menu.action_done.connect(messages.append)

    menu.outage_action.setChecked(True)
    qtbot.waitUntil(lambda: len(messages) == 1, timeout=5000)
    training_console.refresh()
    qtbot.waitUntil(
        lambda: "refresh failed" in training_console.window.balance_widget.as_of_label.text(),
        timeout=BALANCE_TIMEOUT_MS,
    )
    assert "Offline" in training_console.window.connectivity_label.text()

    menu.outage_action.setChecked(False)
    qtbot.waitUntil(lambda: len(messages) == 2, timeout=5000)
    training_console.refresh()
    qtbot.waitUntil(
        lambda: "refresh failed" not in training_console.window.balance_widget.as_of_label.text(),
        timeout=BALANCE_TIMEOUT_MS,
    )


def test_training_shutdown_stops_sandbox(training_console, qt_loop):
    sandbox = training_console.session.sandbox

    qt_loop.run(training_console.shutdown(), timeout=15)

    assert not sandbox.running


def test_training_f5_starts_sync(training_console, qtbot):
    window = training_console.window
    qtbot.waitUntil(lambda: not training_console.catalog.sync.is_running, timeout=30_000)
    window.activateWindow()

    qtbot.keyClick(window, Qt.Key.Key_F5)

    # A second full sync within a minute meets the sandbox's 100 requests a
    # minute, as it would on the live service, so only its start is checked.
    qtbot.waitUntil(lambda: window.catalog_view.sync_progress.isVisible(), timeout=5000)
    assert training_console.catalog.sync.is_running
    assert window.catalog_view.model.rowCount() > 6_000


class ActionCounter:
    """Counts the operator's actions: one typed word, one key press or one click each."""

    def __init__(self, qtbot) -> None:
        self.qtbot = qtbot
        self.count = 0

    def type_text(self, widget, text: str) -> None:
        self.count += 1
        self.qtbot.keyClicks(widget, text)

    def press(self, widget, key) -> None:
        self.count += 1
        self.qtbot.keyClick(widget, key)

    def click(self, button) -> None:
        self.count += 1
        self.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_training_walkthrough_five_actions(training_console, qtbot):
    window = training_console.window
    view = window.catalog_view
    qtbot.waitUntil(lambda: training_console.sales is not None, timeout=BALANCE_TIMEOUT_MS)
    sales = training_console.sales
    operator = ActionCounter(qtbot)
    # The search box has the focus from the start.
    assert view.filter_bar.search_box.hasFocus() or window.focusWidget() is None

    operator.type_text(view.filter_bar.search_box, "Japan 1GB 7 Days")
    qtbot.waitUntil(lambda: 0 < view.model.rowCount() < 50, timeout=2000)
    card_package = view.model.package_at(0)
    assert card_package.provider != PENDING_PROVIDER
    operator.press(view.filter_bar.search_box, Qt.Key.Key_Down)
    operator.press(view.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: sales.purchase.dialog is not None and sales.purchase.dialog.isVisible())
    dialog = sales.purchase.dialog
    qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
    operator.press(dialog.focusWidget() or dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(sales.purchase.views) == 1, timeout=2000)
    progress = sales.purchase.views[0]
    qtbot.waitUntil(lambda: len(progress.esim_cards()) == 1, timeout=SALE_TIMEOUT_MS)
    card = progress.esim_cards()[0]
    operator.click(card.show_button)

    display = sales.display_window
    qtbot.waitUntil(lambda: display.hand_off is not None, timeout=BALANCE_TIMEOUT_MS)
    display.resize(1024, 640)
    image = display.grab().toImage()
    assert operator.count <= 5
    assert decode_qr_codes(image) == [card.hand_off.lpa_string]
    balance_after = f"{Decimal('1000.00') - card_package.cost:,.2f}"
    qtbot.waitUntil(
        lambda: balance_after in balance_text(window.balance_widget), timeout=SALE_TIMEOUT_MS
    )
