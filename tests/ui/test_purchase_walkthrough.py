"""A sale from search to a decodable QR on the customer display in at most five actions.

The catalog view, purchase dialog, progress view and customer display are wired
the way the main window wires them, against the real sandbox.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from esimfly_desktop.i18n.locale import LANGUAGES
from esimfly_desktop.services.catalog_store import CatalogStore
from esimfly_desktop.ui.catalog.catalog_view import CatalogView
from esimfly_desktop.ui.controllers.catalog_controller import CatalogController
from esimfly_desktop.ui.customer_display import (
    CustomerDisplayController,
    CustomerDisplayWindow,
    InstallationWatcher,
)
from esimfly_desktop.ui.purchase import PurchaseController
from esimfly_desktop.ui.purchase.purchase_dialog import PurchaseDialog
from tests.ui.qr_decoding import decode_qr_texts

MAX_ACTIONS = 5
SALE_TIMEOUT_MS = 30_000


@dataclass
class ActionLog:
    """The operator's actions, in order: a typed search counts as one."""

    actions: list[str] = field(default_factory=list)

    def record(self, name: str) -> None:
        self.actions.append(name)


def test_sale_within_five_actions(qtbot, qt_loop, sale_stack_factory, tmp_path: Path) -> None:
    stack = sale_stack_factory("1000.00")
    balance = qt_loop.run(stack.client.get_balance())

    catalog_view = CatalogView(lambda package: package.cost)
    qtbot.addWidget(catalog_view)
    catalog = CatalogController(
        catalog_view, CatalogStore(stack.database), interval=timedelta(hours=6)
    )
    catalog.connect_client(stack.client)
    qt_loop.run(catalog.refresh(), timeout=120)
    catalog_view.resize(1200, 700)
    catalog_view.show()
    qtbot.waitExposed(catalog_view)

    display = CustomerDisplayWindow("es")
    qtbot.addWidget(display)
    display.resize(1280, 800)
    display_controller = CustomerDisplayController(
        display, InstallationWatcher(stack.client.esim_status), catalog_view
    )
    purchases = PurchaseController(stack.make_flow, catalog_view)
    catalog_view.buy_requested.connect(lambda package: purchases.open_dialog(package, balance))
    purchases.show_to_customer_requested.connect(display_controller.request_show)
    log = ActionLog()
    buy_requests = []
    catalog_view.buy_requested.connect(buy_requests.append)

    # 1. Search.
    qtbot.keyClicks(catalog_view.filter_bar.search_box, "Japan")
    log.record("search")
    qtbot.waitUntil(lambda: 0 < catalog_view.model.rowCount() < 1000, timeout=5000)
    package = catalog_view.model.package_at(0)
    assert "JP" in package.countries or "Japan" in package.name

    # 2. Select the first result.
    table = catalog_view.table
    first_cell = table.visualRect(catalog_view.model.index(0, 0)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(first_cell))
    log.record("select")
    assert catalog_view.selected_package() == package

    # 3. Buy: Enter on the selected package opens the order dialog.
    qtbot.keyClick(table, Qt.Key.Key_Return)
    log.record("buy")
    qtbot.waitUntil(lambda: isinstance(purchases.dialog, PurchaseDialog), timeout=5000)
    dialog = purchases.dialog
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=5000)

    # 4. Confirm: Enter accepts the dialog with quantity 1.
    with qtbot.waitSignal(purchases.finished, timeout=SALE_TIMEOUT_MS):
        qtbot.keyClick(dialog.quantity, Qt.Key.Key_Return)
        log.record("confirm")
    view = purchases.views[0]
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: len(view.esim_cards()) == 1, timeout=SALE_TIMEOUT_MS)
    card = view.esim_cards()[0]

    # 5. Show on the customer display.
    with qtbot.waitSignal(display_controller.shown, timeout=10_000):
        qtbot.mouseClick(card.show_button, Qt.MouseButton.LeftButton)
        log.record("show to customer")

    display_controller.watcher.stop()
    assert len(log.actions) <= MAX_ACTIONS, log.actions
    assert len(buy_requests) == 1
    assert len(purchases.views) == 1
    qtbot.waitExposed(display)
    assert decode_qr_texts(display.grab().toImage()) == [card.hand_off.lpa_string]
    assert display.language == "es"
    assert {language.code for language in LANGUAGES} >= {"en", "es"}
    assert QApplication.activeModalWidget() is None
