"""Load order history and carry out the operator's actions on an order's eSIMs."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog

from esimfly_desktop.api.errors import EsimflyError
from esimfly_desktop.i18n import _
from esimfly_desktop.i18n.bidi import keep_ltr
from esimfly_desktop.i18n.error_messages import describe_error
from esimfly_desktop.services.outbox_store import ItemKind, NewItem
from esimfly_desktop.ui.async_dialogs import ask_question, show_dialog
from esimfly_desktop.ui.history.history_rows import status_group, write_orders_csv
from esimfly_desktop.ui.history.history_view import OrderHistoryView
from esimfly_desktop.ui.history.topup_dialog import TopupDialog
from esimfly_desktop.ui.qr.hand_off import HandOff
from esimfly_desktop.ui.sale_formatting import format_money

log = logging.getLogger(__name__)

SERVICE_PAGE_LIMIT = 100
MAX_SERVICE_PAGES = 50  # at most 5,000 of the account's orders are merged into history


class HistoryController(QObject):
    """Fill ``view`` from the order store and the service, and act on its requests."""

    show_to_customer_requested = Signal(object)  # HandOff
    print_requested = Signal(object)  # HandOff
    exported = Signal(str, int)  # path, row count
    refreshed = Signal(int)  # number of orders shown before filtering

    def __init__(
        self,
        view: OrderHistoryView,
        client: Any,
        orders: Any,
        *,
        outbox: Any | None = None,
        operator: str = "",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.view = view
        self._client = client
        self._orders = orders
        self._outbox = outbox
        self._operator = operator
        self._tasks: set[asyncio.Task[Any]] = set()

        view.refresh_requested.connect(lambda: self._spawn(self.refresh()))
        view.export_requested.connect(lambda rows: self._spawn(self.export_interactive(rows)))
        view.order_selected.connect(lambda order: self._spawn(self.load_usage(order)))
        details = view.details
        details.show_to_customer_requested.connect(self.show_to_customer_requested)
        details.print_requested.connect(self.print_requested)
        details.check_installation_requested.connect(
            lambda hand_off: self._spawn(self.check_installation(hand_off))
        )
        details.topup_requested.connect(lambda hand_off: self._spawn(self.top_up(hand_off)))
        details.cancel_requested.connect(lambda hand_off: self._spawn(self.cancel(hand_off)))

    def _spawn(self, coroutine: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def refresh(self) -> None:
        """Merge local orders with every page of the service's order list (bounded)."""
        remote: list[Any] = []
        try:
            for page_number in range(1, MAX_SERVICE_PAGES + 1):
                page = await self._client.list_orders(page=page_number, limit=SERVICE_PAGE_LIMIT)
                remote.extend(page.orders)
                if page_number >= page.pagination.total_pages:
                    break
            status = _("Service orders and orders placed here.")
        except EsimflyError as error:
            log.warning("Order list not loaded: %s", error)
            status = _("Showing orders stored on this computer only: {reason}").format(
                reason=describe_error(error)
            )

        merged = await self._orders.history(remote)
        self.view.set_orders(merged)
        self.view.set_status(status)
        self.refreshed.emit(len(merged))

    def mark_installed(self, iccid: str) -> None:
        """Show "installed" on the details card when it shows ``iccid``."""
        hand_off = self.view.details.card.hand_off
        if hand_off is not None and hand_off.iccid == iccid:
            self.view.details.card.mark_installed()

    async def load_usage(self, order: Any) -> None:
        """Fill each eSIM's status, data used and left, and expiry from the service."""
        cancellable = status_group(order.status) == "completed"
        for esim in order.esims:
            if not esim.iccid:
                continue
            try:
                usage = await self._client.query_usage(iccid=esim.iccid)
            except EsimflyError as error:
                log.warning("Usage of eSIM %s not loaded: %s", esim.iccid, error)
                self.view.details.show_message(describe_error(error))
                continue
            if self.view.details.order is order:
                self.view.details.set_usage(esim.iccid, usage)
            cancellable = cancellable and (usage.status or "").casefold() == "new"
        if self.view.details.order is order:
            # The service makes the final call (NOT_ELIGIBLE); only unused eSIMs are offered.
            self.view.details.set_actions_allowed(topup=bool(order.esims), cancel=cancellable)

    async def check_installation(self, hand_off: HandOff) -> bool | None:
        """Check with the service whether a phone has the eSIM, then show and return the result."""
        try:
            status = await self._client.esim_status(hand_off.iccid)
        except EsimflyError as error:
            log.warning("Installation check of eSIM %s failed: %s", hand_off.iccid, error)
            self.view.details.show_message(describe_error(error))
            return None

        if status.is_installed:
            message = _("eSIM {iccid} is installed ({device}).").format(
                iccid=hand_off.iccid, device=status.device_model or _("unknown device")
            )
            self.view.details.card.mark_installed()
        else:
            message = _("eSIM {iccid} is not installed yet.").format(iccid=hand_off.iccid)
        self.view.details.show_message(message)
        return bool(status.is_installed)

    async def top_up(self, hand_off: HandOff) -> Any | None:
        """Offer the eSIM's top-up packages and queue the chosen one."""
        try:
            page = await self._client.list_topup_packages(hand_off.iccid)
        except EsimflyError as error:
            self.view.details.show_message(describe_error(error))
            return None
        if not page.packages:
            self.view.details.show_message(_("No top-up packages are offered for this eSIM."))
            return None

        dialog = TopupDialog(hand_off.iccid, list(page.packages), self.view)
        accepted = await show_dialog(dialog) == TopupDialog.DialogCode.Accepted
        package = dialog.chosen_package()
        dialog.deleteLater()
        if not accepted or package is None:
            return None
        return await self._send_topup(hand_off, package)

    async def _send_topup(self, hand_off: HandOff, package: Any) -> Any:
        if self._outbox is not None:
            # The outbox checks an uncertain top-up instead of sending it twice.
            item = await self._outbox.enqueue(
                NewItem(
                    package_code=package.package_code,
                    quantity=1,
                    price=package.cost,
                    currency=package.currency,
                    kind=ItemKind.TOPUP,
                    iccid=hand_off.iccid,
                    operator=self._operator,
                )
            )
            self.view.details.show_message(
                _("Top-up {package} queued for eSIM {iccid}.").format(
                    package=package.name, iccid=hand_off.iccid
                )
            )
            return item
        try:
            result = await self._client.create_topup(hand_off.iccid, package.package_code)
        except EsimflyError as error:
            self.view.details.show_message(describe_error(error))
            return None
        self.view.details.show_message(
            _("Top-up done: order {reference}.").format(reference=result.order_reference)
        )
        return result

    async def cancel(self, hand_off: HandOff) -> Any | None:
        """Cancel an unused eSIM after the operator confirms the refund."""
        order = self.view.details.order
        refund = _estimated_refund(order)
        confirmed = await ask_question(
            self.view,
            _("Cancel eSIM"),
            _(
                "Cancel eSIM {iccid}? About {refund} goes back to the balance. "
                "The customer can no longer install it."
            ).format(iccid=keep_ltr(hand_off.iccid), refund=keep_ltr(refund)),
        )
        if not confirmed:
            return None

        try:
            result = await self._client.cancel_esim(hand_off.iccid)
        except EsimflyError as error:
            log.warning("Cancelling eSIM %s failed: %s", hand_off.iccid, error)
            self.view.details.show_message(describe_error(error))
            return None
        refunded = result.refunded_amount
        self.view.details.show_message(
            _("eSIM {iccid} cancelled; {amount} refunded to the balance.").format(
                iccid=hand_off.iccid,
                amount=format_money(refunded, order.currency) if refunded is not None else "—",
            )
        )
        self.view.details.set_actions_allowed(topup=False, cancel=False)
        return result

    async def export_interactive(self, orders: list[Any]) -> Path | None:
        """Ask where to save, then write the filtered orders as CSV off the GUI thread."""
        dialog = QFileDialog(self.view, _("Export orders"), "orders.csv", _("CSV files (*.csv)"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("csv")
        accepted = await show_dialog(dialog) == QFileDialog.DialogCode.Accepted
        files = dialog.selectedFiles()
        dialog.deleteLater()
        if not accepted or not files:
            return None
        path = Path(files[0])
        await self.export(path, orders)
        return path

    async def export(self, path: Path, orders: list[Any]) -> int:
        """Write ``orders`` to ``path`` on a worker thread and return the row count."""
        try:
            count = await asyncio.to_thread(write_orders_csv, path, orders)
        except OSError as error:
            log.warning("CSV export to %s failed: %s", path, error)
            self.view.set_status(
                _("Could not write {path}: {reason}. Choose another folder.").format(
                    path=path, reason=error.strerror or error
                )
            )
            return 0
        log.info("Exported %d orders to %s", count, path)
        self.view.set_status(_("Exported {count} orders to {path}.").format(count=count, path=path))
        self.exported.emit(str(path), count)
        return count


def _estimated_refund(order: Any) -> str:
    if order is None or not order.currency or not order.quantity:
        return "—"
    unit = Decimal(order.amount) / order.quantity
    return format_money(unit, order.currency)
