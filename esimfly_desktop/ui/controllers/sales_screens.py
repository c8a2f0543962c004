"""Wire the selling screens into the main window: purchase, history, outbox, customer display.

The screens and their controllers live in ``ui/purchase``, ``ui/history``,
``ui/outbox`` and ``ui/customer_display``. This module only builds them for
one open profile and connects their requests to each other.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDialog, QToolBar

from esimfly_desktop.api.models import Balance, Package
from esimfly_desktop.i18n import _
from esimfly_desktop.services.order_store import OrderStore
from esimfly_desktop.services.purchase import PurchaseFlow, PurchaseOutcome, PurchaseState
from esimfly_desktop.ui.async_dialogs import show_dialog
from esimfly_desktop.ui.controllers.profile_session import ProfileSession
from esimfly_desktop.ui.customer_display.controller import CustomerDisplayController
from esimfly_desktop.ui.customer_display.display_controls import CustomerDisplayControls
from esimfly_desktop.ui.customer_display.display_window import CustomerDisplayWindow
from esimfly_desktop.ui.customer_display.installation_watcher import InstallationWatcher
from esimfly_desktop.ui.history import HistoryController, OrderHistoryView
from esimfly_desktop.ui.main_window import MainWindow
from esimfly_desktop.ui.outbox import OrderReadyNotice, OutboxQueueController, OutboxQueueView
from esimfly_desktop.ui.printing.page_formats import PageFormat
from esimfly_desktop.ui.printing.print_actions import PrintActions
from esimfly_desktop.ui.printing.receipt_options import ReceiptDestination, ReceiptOptionsDialog
from esimfly_desktop.ui.purchase import PurchaseController
from esimfly_desktop.ui.qr.hand_off import HandOff

log = logging.getLogger(__name__)


class SalesScreens(QObject):
    """The purchase dialog, order history, outbox queue and customer display of one profile."""

    def __init__(
        self,
        window: MainWindow,
        session: ProfileSession,
        *,
        operator_name: Callable[[], str],
        customer_language: str,
        current_balance: Callable[[], Balance | None],
        on_order_finished: Callable[[PurchaseOutcome], None],
        connectivity: Any | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.session = session
        self._current_balance = current_balance
        self._on_order_finished = on_order_finished
        self._tasks: set[asyncio.Task[Any]] = set()
        self.orders = OrderStore(session.database)
        # The paper of the last printed receipt, offered again for the next one.
        self.page_format = PageFormat.RECEIPT_80MM
        self.printing = PrintActions(window, lambda: self.page_format, session.outbox)
        self.printing.printed.connect(window.show_status)
        self.printing.failed.connect(window.show_status)

        self.purchase = PurchaseController(
            lambda: PurchaseFlow(
                session.client,
                session.outbox,
                self.orders,
                operator=operator_name(),
                connectivity=connectivity,
            ),
            window,
            self,
        )
        self.purchase.finished.connect(self._on_purchase_finished)
        self.purchase.finished_in_background.connect(self._on_finished_in_background)
        self.purchase.print_notice_requested.connect(self.print_outage_notice)

        self.history_view = OrderHistoryView()
        self.history = HistoryController(
            self.history_view,
            session.client,
            self.orders,
            outbox=session.outbox,
            operator=operator_name(),
            parent=self,
        )
        self.window.add_screen(self.history_view, _("&Orders"))
        self._selected_iccid: str | None = None
        self.history_view.details.esim_selected.connect(self._remember_iccid)

        self.queue_view = OutboxQueueView()
        self.queue = OutboxQueueController(
            self.queue_view,
            session.outbox,
            self.orders,
            current_price=self.current_price,
            parent=self,
        )
        self.queue.order_ready.connect(self._place_notice)
        self.window.add_screen(self.queue_view, _("O&utbox"))

        self.display_window = CustomerDisplayWindow(customer_language)
        self.watcher = InstallationWatcher(session.client.esim_status, parent=self)
        self.customer_display = CustomerDisplayController(
            self.display_window, self.watcher, window, self
        )
        self.customer_display.installed.connect(self.purchase.mark_installed)
        self.customer_display.installed.connect(self.history.mark_installed)
        self.customer_display.screen_lost.connect(self._on_screen_lost)
        self.display_controls = CustomerDisplayControls(self.customer_display)
        self.display_toolbar = self._add_display_toolbar()

        for source in (self.purchase, self.history, self.queue):
            if hasattr(source, "show_to_customer_requested"):
                source.show_to_customer_requested.connect(self.show_to_customer)
            if hasattr(source, "print_requested"):
                source.print_requested.connect(self.print_receipt)
        self.queue.order_window_opened.connect(self._connect_order_window)

    def buy(self, package: Package) -> None:
        """Open the order dialog for ``package`` with the last confirmed balance."""
        dialog = self.purchase.open_dialog(package, self._current_balance())
        # Keyboard focus follows the dialog, so Enter buys instead of reaching the catalog.
        dialog.activateWindow()

    async def current_price(self, package_code: str) -> Decimal | None:
        """Ask the service for the package's buy price now; None when it is no longer sold."""
        page = await self.session.client.list_packages(page=1, limit=100, search=package_code)
        for package in page.packages:
            if package.package_code == package_code:
                return package.cost
        return None

    def show_to_customer(self, hand_off: HandOff) -> None:
        self.customer_display.request_show(hand_off)

    def print_receipt(self, hand_off: HandOff) -> asyncio.Task[Any]:
        """Ask for the paper and a printer or PDF file, then print the receipt of ``hand_off``."""
        return self._spawn(self._print_receipt(hand_off))

    def print_outage_notice(self, outcome: PurchaseOutcome) -> asyncio.Task[Any]:
        """Print the notice with the order reference for a customer who bought during an outage."""
        task = self.printing.print_outage_notice(outcome)
        self._keep(task)
        return task

    def selected_iccid(self) -> str | None:
        """Return the eSIM picked last in order history, else the one on the customer display."""
        if self._selected_iccid:
            return self._selected_iccid
        hand_off = self.display_window.hand_off
        return hand_off.iccid if hand_off is not None else None

    async def start(self) -> None:
        await self.queue.load()
        await self.history.refresh()

    def close(self) -> None:
        self.watcher.stop()
        self.queue.close()
        self.window.removeToolBar(self.display_toolbar)
        self.display_toolbar.deleteLater()
        for task in list(self._tasks):
            task.cancel()
        self.display_window.close()
        self.display_window.deleteLater()

    async def _print_receipt(self, hand_off: HandOff) -> None:
        dialog = ReceiptOptionsDialog(self.page_format, self.window)
        accepted = await show_dialog(dialog) == QDialog.DialogCode.Accepted
        destination = dialog.destination
        page_format = dialog.page_format()
        dialog.deleteLater()
        if not accepted or destination is None:
            return

        self.page_format = page_format
        if destination is ReceiptDestination.PRINTER:
            await self.printing.print_receipt(hand_off)
        else:
            await self.printing.save_receipt(hand_off)

    def _add_display_toolbar(self) -> QToolBar:
        toolbar = QToolBar(_("Customer display"), self.window)
        toolbar.setObjectName("customer_display_toolbar")
        toolbar.setAccessibleName(_("Customer display"))
        toolbar.setMovable(False)
        toolbar.addWidget(self.display_controls)
        self.window.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
        return toolbar

    def _remember_iccid(self, iccid: str) -> None:
        self._selected_iccid = iccid or None

    def _connect_order_window(self, order_window: Any) -> None:
        order_window.show_to_customer_requested.connect(self.show_to_customer)
        order_window.print_requested.connect(self.print_receipt)

    def _place_notice(self, notice: OrderReadyNotice) -> None:
        # Permanent, because the status bar hides its other widgets while a message shows.
        self.window.statusBar().insertPermanentWidget(0, notice)

    def _on_purchase_finished(self, outcome: PurchaseOutcome) -> None:
        # A sale that ended queued is announced by the outbox screen once it completes.
        if outcome.state is PurchaseState.QUEUED and outcome.outbox_item_id is not None:
            self.queue.watch_item(outcome.outbox_item_id)
        self._on_order_finished(outcome)
        self._spawn(self.history.refresh())

    def _on_finished_in_background(self, outcome: PurchaseOutcome) -> None:
        log.info("Purchase ended after its window was closed: %s", outcome.state)
        self.window.show_status(background_outcome_text(outcome))

    def _on_screen_lost(self, screen_name: str) -> None:
        if screen_name:
            message = _(
                "The customer display's screen {screen} was disconnected, so the display "
                "is hidden. Choose a screen and open the display again."
            ).format(screen=screen_name)
        else:
            message = _(
                "The customer display's screen was disconnected, so the display is hidden. "
                "Choose a screen and open the display again."
            )
        self.window.show_status(message)

    def _spawn(self, coroutine: Any) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(coroutine)
        self._keep(task)
        return task

    def _keep(self, task: asyncio.Task[Any]) -> None:
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


def background_outcome_text(outcome: PurchaseOutcome) -> str:
    """Tell the operator where to find an order whose progress window had been closed."""
    reference = outcome.order.order_reference if outcome.order is not None else ""
    if outcome.state is PurchaseState.READY:
        return _("Order {reference} is ready: open it under Orders to show its QR code.").format(
            reference=reference
        )
    if outcome.state is PurchaseState.PENDING:
        return _(
            "Order {reference} is placed but its eSIM details are still coming: "
            "find it under Orders."
        ).format(reference=reference)
    if outcome.state is PurchaseState.QUEUED:
        return _("An order is queued: it is placed when the service is back, see Outbox.")
    return _(
        "A purchase failed after its window was closed. Check Outbox and Orders. Reason: {reason}"
    ).format(reason=outcome.message)
