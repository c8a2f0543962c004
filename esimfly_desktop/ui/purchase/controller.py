"""Run purchases from the order dialog to the QR codes, one progress view each."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from esimfly_desktop.api.errors import EsimflyError
from esimfly_desktop.services.purchase import (
    PurchaseFlow,
    PurchaseOutcome,
    PurchaseRequest,
    PurchaseState,
    StepChange,
)
from esimfly_desktop.storage.errors import StorageError
from esimfly_desktop.ui.purchase.progress_view import PurchaseProgressView
from esimfly_desktop.ui.purchase.purchase_dialog import PurchaseDialog

log = logging.getLogger(__name__)


class PurchaseController(QObject):
    """Open the order dialog, run the purchase flow, and show its progress.

    ``make_flow`` returns a fresh ``PurchaseFlow`` for each purchase. A purchase
    keeps running when its view is closed, so a pending order completes in the
    background and ``finished`` reports it.
    """

    started = Signal(object)  # PurchaseProgressView
    finished = Signal(object)  # PurchaseOutcome
    finished_in_background = Signal(object)  # PurchaseOutcome whose view had been closed
    load_balance_requested = Signal()
    show_to_customer_requested = Signal(object)  # HandOff
    print_requested = Signal(object)  # HandOff
    print_notice_requested = Signal(object)  # PurchaseOutcome

    def __init__(
        self,
        make_flow: Callable[[], PurchaseFlow],
        parent_window: QWidget | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._make_flow = make_flow
        self._parent_window = parent_window
        self._tasks: set[asyncio.Task[PurchaseOutcome]] = set()
        self.views: list[PurchaseProgressView] = []
        self._view_tasks: dict[PurchaseProgressView, asyncio.Task[PurchaseOutcome]] = {}
        self.dialog: PurchaseDialog | None = None
        self._packages: dict[str, Any] = {}
        self._last_balance: Any = None

    def open_dialog(
        self, package: Any, balance: Any | None, *, quantity: int = 1, customer_reference: str = ""
    ) -> PurchaseDialog:
        """Open the order dialog for ``package`` (window-modal, without a nested loop)."""
        self._packages[package.package_code] = package
        self._last_balance = balance
        dialog = PurchaseDialog(
            package,
            balance,
            self._parent_window,
            quantity=quantity,
            customer_reference=customer_reference,
        )
        dialog.confirmed.connect(self.start)
        dialog.load_balance_requested.connect(self.load_balance_requested)
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        # Keys must reach the dialog, not a shortcut of the window underneath it.
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def start(self, request: PurchaseRequest) -> PurchaseProgressView:
        """Show a progress view and run the purchase in the background."""
        self._drop_closed_views()
        view = PurchaseProgressView(request, self._parent_window)
        flow = self._make_flow()
        unsubscribe = flow.step_changed.subscribe(lambda change: self._on_step(view, change))

        view.retry_requested.connect(self.start)
        view.change_quantity_requested.connect(self._reopen_dialog)
        view.load_balance_requested.connect(self.load_balance_requested)
        view.stop_waiting_requested.connect(flow.cancel_waiting)
        view.show_to_customer_requested.connect(self.show_to_customer_requested)
        view.print_requested.connect(self.print_requested)
        view.print_notice_requested.connect(self.print_notice_requested)
        self.views.append(view)

        task = asyncio.get_running_loop().create_task(self._run(flow, request, view, unsubscribe))
        self._view_tasks[view] = task
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        view.show()
        self.started.emit(view)
        return view

    async def _run(
        self,
        flow: PurchaseFlow,
        request: PurchaseRequest,
        view: PurchaseProgressView,
        unsubscribe: Callable[[], None],
    ) -> PurchaseOutcome:
        log.info("Purchase started: %s x %d", request.package_code, request.quantity)
        try:
            outcome = await flow.run(request)
        except (StorageError, EsimflyError) as error:
            # The order may already be in the outbox, so the view asks the
            # operator to check the queue instead of offering a retry.
            log.warning("Purchase of %s failed: %s", request.package_code, error)
            outcome = PurchaseOutcome(PurchaseState.FAILED, error=error, message=str(error))
        finally:
            unsubscribe()
        log.info("Purchase of %s ended: %s", request.package_code, outcome.state)

        in_background = not view.isVisible()
        view.show_outcome(outcome)
        self.finished.emit(outcome)
        if in_background:
            self.finished_in_background.emit(outcome)
        return outcome

    def _drop_closed_views(self) -> None:
        # A closed view whose purchase has ended is not needed again: history has the order.
        for view in list(self.views):
            task = self._view_tasks.get(view)
            if view.isVisible() or (task is not None and not task.done()):
                continue
            self.views.remove(view)
            self._view_tasks.pop(view, None)
            view.deleteLater()

    def _on_step(self, view: PurchaseProgressView, change: StepChange) -> None:
        view.apply_step(change)

    def _reopen_dialog(self, request: PurchaseRequest) -> None:
        package = self._packages.get(request.package_code) or _PackageOfRequest(request)
        self.open_dialog(
            package,
            self._last_balance,
            quantity=request.quantity,
            customer_reference=request.customer_reference,
        )

    def mark_installed(self, iccid: str) -> None:
        """Show "installed" on every progress view's card for ``iccid``."""
        for view in self.views:
            view.mark_installed(iccid)

    @property
    def running(self) -> int:
        return sum(1 for task in self._tasks if not task.done())


class _PackageOfRequest:
    """The package fields the order dialog reads, taken from an earlier request."""

    def __init__(self, request: PurchaseRequest) -> None:
        self.package_code = request.package_code
        self.name = request.package_name
        self.cost = request.unit_cost
        self.currency = request.currency
