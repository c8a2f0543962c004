"""Feeds the balance widget from the balance service: stored value at once, then refreshes."""

from __future__ import annotations

import asyncio
import logging
from decimal import Decimal

from PySide6.QtCore import QObject

from esimfly_desktop.api.errors import EsimflyError
from esimfly_desktop.i18n import _
from esimfly_desktop.services.balance import (
    BalanceService,
    ConfirmedBalance,
    read_confirmed_balance,
)
from esimfly_desktop.storage.database import Database
from esimfly_desktop.ui.balance_widget import BalanceView, BalanceWidget

log = logging.getLogger(__name__)


class BalanceController(QObject):
    """Shows every confirmed balance and runs the periodic refresh."""

    def __init__(self, widget: BalanceWidget, threshold: Decimal | None) -> None:
        super().__init__(widget)
        self.widget = widget
        self.service: BalanceService | None = None
        self._periodic: asyncio.Task[None] | None = None
        self._refresh_task: asyncio.Task[None] | None = None
        self._order_tasks: set[asyncio.Task[ConfirmedBalance]] = set()
        widget.set_threshold(threshold)

    async def show_stored(self, database: Database) -> None:
        """Show the balance confirmed in an earlier session, if any, before connecting."""
        stored = await database.run(read_confirmed_balance)
        if stored is not None:
            self._show(stored)

    async def attach(self, service: BalanceService) -> None:
        """Follow ``service``: every balance it confirms is shown."""
        self.service = service
        service.low_threshold = self.widget.threshold
        service.subscribe(self._show)
        await service.load()

    def refresh(self) -> asyncio.Task[None] | None:
        """Refresh now in the background; failures keep the old value and mark it."""
        if self.service is None:
            return None
        if self._refresh_task is None or self._refresh_task.done():
            self._refresh_task = asyncio.ensure_future(self._refresh())
        return self._refresh_task

    def record_order_balance(
        self, new_balance: Decimal, currency: str
    ) -> asyncio.Task[ConfirmedBalance] | None:
        """Show and store the balance an order's response reported (its ``newBalance``)."""
        if self.service is None:
            return None
        # The service logs a storage failure and still shows the balance.
        task = asyncio.ensure_future(self.service.record_order_balance(new_balance, currency))
        self._order_tasks.add(task)
        task.add_done_callback(self._order_tasks.discard)
        return task

    def set_threshold(self, threshold: Decimal | None) -> None:
        if self.service is not None:
            self.service.low_threshold = threshold
        self.widget.set_threshold(threshold)

    def start_periodic(self) -> None:
        if self._periodic is None and self.service is not None:
            self._periodic = asyncio.ensure_future(self.service.run_periodically())

    async def stop(self) -> None:
        tasks = [task for task in (self._periodic, self._refresh_task) if task is not None]
        tasks.extend(self._order_tasks)
        self._periodic = None
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _refresh(self) -> None:
        if self.service is None:
            return
        try:
            await self.service.refresh()
        except EsimflyError as error:
            log.warning(
                "Balance refresh failed (request id %s): %s",
                getattr(error, "request_id", None),
                error,
            )
            self.widget.show_refresh_failed(
                _("Refreshing the balance failed: {error}").format(error=error)
            )

    def _show(self, balance: ConfirmedBalance) -> None:
        self.widget.set_balance(BalanceView(balance.amount, balance.currency, balance.confirmed_at))
