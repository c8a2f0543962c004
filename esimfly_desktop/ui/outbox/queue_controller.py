"""Connect the outbox service to its queue view and announce queued orders that complete."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QObject, Signal

from esimfly_desktop.i18n import _
from esimfly_desktop.i18n.bidi import keep_ltr
from esimfly_desktop.services.outbox_sender import SendResult
from esimfly_desktop.services.outbox_store import ItemKind, ItemState
from esimfly_desktop.ui.async_dialogs import ask_question
from esimfly_desktop.ui.outbox.order_ready_notice import OrderReadyNotice
from esimfly_desktop.ui.outbox.queue_view import OutboxQueueView
from esimfly_desktop.ui.qr.order_qr_window import OrderQrWindow
from esimfly_desktop.ui.sale_formatting import format_money

log = logging.getLogger(__name__)

WAITING_STATES = (ItemState.QUEUED, ItemState.OUTCOME_UNKNOWN, ItemState.FAILED, ItemState.SENDING)

PriceLookup = Callable[[str], Awaitable[Decimal | None]]


class OutboxQueueController(QObject):
    """Keep ``view`` in step with ``outbox``; raise a notice when a queued order completes.

    Orders sent at once are followed in their purchase view, so only items that
    waited in the queue (already there at start-up, or handed over with
    ``watch_item``) raise a notice.
    """

    order_ready = Signal(object)  # OrderReadyNotice, for the main window to place
    order_window_opened = Signal(object)  # OrderQrWindow

    def __init__(
        self,
        view: OutboxQueueView,
        outbox: Any,
        orders: Any,
        *,
        current_price: PriceLookup | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.view = view
        self._outbox = outbox
        self._orders = orders
        self._current_price = current_price
        self._watched: set[int] = set()
        self._tasks: set[asyncio.Task[Any]] = set()
        self.notices: list[OrderReadyNotice] = []
        self.windows: list[OrderQrWindow] = []
        self._unsubscribe: list[Callable[[], None]] = [
            outbox.queue_changed.subscribe(self._on_queue_changed),
            outbox.item_settled.subscribe(self._on_item_settled),
        ]
        view.cancel_requested.connect(lambda item_id: self._spawn(self.cancel(item_id)))
        view.retry_requested.connect(lambda item_id: self._spawn(self.retry(item_id)))
        view.new_price_requested.connect(
            lambda item_id: self._spawn(self.buy_at_new_price(item_id))
        )
        view.new_price_button.setVisible(current_price is not None)

    async def load(self) -> None:
        """Show the queue as stored; items still waiting from an earlier run are watched."""
        items = await self._outbox.items()
        self._watched.update(item.id for item in items if item.state in WAITING_STATES)
        self._on_queue_changed(items)

    def watch_item(self, item_id: int) -> None:
        """Announce this item when it completes (a purchase that ended up queued)."""
        self._watched.add(item_id)

    async def cancel(self, item_id: int) -> bool:
        cancelled = await self._outbox.cancel(item_id)
        if not cancelled:
            self.view.sender_label.setText(
                _(
                    "Item {item} can no longer be cancelled: it may have reached the service."
                ).format(item=item_id)
            )
        return cancelled

    async def retry(self, item_id: int) -> bool:
        self._watched.add(item_id)
        return await self._outbox.retry(item_id)

    async def buy_at_new_price(self, item_id: int) -> Any | None:
        """Show the old and new price; if the operator agrees, queue the order again at it.

        ``current_price`` returns the package's current wholesale cost (for
        example from a fresh catalog sync), or None when it is unknown.
        """
        if self._current_price is None:
            return None
        item = await self._outbox.item(item_id)
        new_price = await self._current_price(item.package_code)
        if new_price is None:
            self.view.sender_label.setText(
                _("The current price of {package} is unknown. Refresh the catalog first.").format(
                    package=keep_ltr(item.package_code)
                )
            )
            return None

        agreed = await ask_question(
            self.view,
            _("Price changed"),
            _(
                "{package} now costs {new_price} instead of {old_price} per eSIM. "
                "Order {quantity} at the new price ({total} in all)?"
            ).format(
                package=keep_ltr(item.package_code),
                new_price=keep_ltr(format_money(new_price, item.currency)),
                old_price=keep_ltr(format_money(item.price, item.currency)),
                quantity=item.quantity,
                total=keep_ltr(format_money(new_price * item.quantity, item.currency)),
            ),
        )
        if not agreed:
            return None
        replacement = await self._outbox.accept_new_price(item_id, new_price)
        self._watched.add(replacement.id)
        return replacement

    def _on_queue_changed(self, items: list[Any]) -> None:
        self.view.set_items(items)
        self.view.set_sender_state(self._outbox.is_sender)

    def _on_item_settled(self, settled: Any) -> None:
        item, outcome = settled.item, settled.outcome
        if item.id not in self._watched or item.kind is not ItemKind.ORDER:
            return
        if outcome.result is not SendResult.DONE or not outcome.order_reference:
            return
        self._watched.discard(item.id)
        self._spawn(self._announce(outcome.order_reference))

    async def _announce(self, order_reference: str) -> None:
        order = await self._orders.order(order_reference)
        package_name = order.package_name if order is not None else ""
        notice = OrderReadyNotice(order_reference, package_name)
        notice.show_qr_requested.connect(lambda reference: self._spawn(self.open_order(reference)))
        self.notices.append(notice)
        log.info("Queued order %s completed; notifying the operator", order_reference)
        self.order_ready.emit(notice)

    async def open_order(self, order_reference: str) -> OrderQrWindow | None:
        """Open a window with the order's QR codes, read from the local order store."""
        order = await self._orders.order(order_reference)
        if order is None:
            log.warning("Order %s not found in the local store", order_reference)
            return None
        window = OrderQrWindow(order)
        self.windows.append(window)
        window.show()
        self.order_window_opened.emit(window)
        return window

    def _spawn(self, coroutine: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def close(self) -> None:
        """Stop listening to the outbox."""
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe.clear()
