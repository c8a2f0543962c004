"""Training mode: the permanent banner and the Training menu that drives the sandbox."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog, QLabel, QMenu, QWidget

from esimfly_desktop.i18n import _
from esimfly_desktop.ui.async_dialogs import show_dialog

log = logging.getLogger(__name__)

DEFAULT_FUNDS = Decimal("100.00")


class SandboxControls(Protocol):
    """The sandbox admin calls the Training menu needs (``SandboxAdmin`` provides them)."""

    async def set_faults(self, **faults: Any) -> Any: ...
    async def get_faults(self) -> dict[str, Any]: ...
    async def clear_faults(self) -> Any: ...
    async def load_funds(self, access_code: str, amount: Decimal) -> Any: ...
    async def install(self, iccid: str, device_model: str | None = None) -> Any: ...


class TrainingBanner(QLabel):
    """A bright bar across the top of the window, present for the whole training session."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Training mode: no real orders are placed"), parent)
        self.setAccessibleName(_("Training mode banner"))
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setStyleSheet(
            "background: #ffb300; color: #000000; font-weight: bold; padding: 6px;"
            "border-bottom: 2px solid #c68400;"
        )


class TrainingMenu(QMenu):
    """Puts the sandbox into an outage and back, loads funds, and marks an eSIM installed."""

    action_failed = Signal(str)
    action_done = Signal(str)

    def __init__(
        self,
        admin: SandboxControls,
        access_code: str,
        selected_iccid: Callable[[], str | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(_("&Training"), parent)
        self.setAccessibleName(_("Training menu"))
        self._admin = admin
        self._access_code = access_code
        self._selected_iccid = selected_iccid
        self._tasks: set[asyncio.Task[None]] = set()

        self.outage_action = QAction(_("Simulate service &outage"), self)
        self.outage_action.setCheckable(True)
        self.outage_action.toggled.connect(self._on_outage_toggled)
        self.addAction(self.outage_action)

        self.load_funds_action = QAction(_("&Load funds…"), self)
        self.load_funds_action.triggered.connect(lambda: self._start(self._ask_and_load_funds()))
        self.addAction(self.load_funds_action)

        self.install_action = QAction(_("Customer's phone: mark eSIM &installed"), self)
        self.install_action.triggered.connect(lambda: self._start(self._mark_installed()))
        self.addAction(self.install_action)

    @property
    def pending_tasks(self) -> set[asyncio.Task[None]]:
        return self._tasks

    def _start(self, work: Awaitable[None]) -> None:
        task = asyncio.ensure_future(self._report_errors(work))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _report_errors(self, work: Awaitable[None]) -> None:
        try:
            await work
        except asyncio.CancelledError:
            raise
        except Exception as error:
            log.warning("Training action failed: %s", error)
            self.action_failed.emit(_("Training action failed: {error}").format(error=error))

    def show_sandbox_state(self) -> None:
        """Tick the outage switch when the sandbox is still in an outage from an earlier run."""
        self._start(self._read_outage())

    async def _read_outage(self) -> None:
        is_outage = bool((await self._admin.get_faults()).get("outage"))
        # Only the switch changes: the sandbox is already in this state.
        self.outage_action.blockSignals(True)
        try:
            self.outage_action.setChecked(is_outage)
        finally:
            self.outage_action.blockSignals(False)
        log.info("Training: the sandbox is %s", "in an outage" if is_outage else "reachable")

    def _on_outage_toggled(self, is_outage: bool) -> None:
        self._start(self._set_outage(is_outage))

    async def _set_outage(self, is_outage: bool) -> None:
        if is_outage:
            await self._admin.set_faults(outage=True)
            log.info("Training: sandbox put into an outage")
            self.action_done.emit(_("The training service is now unreachable."))
        else:
            await self._admin.clear_faults()
            log.info("Training: sandbox outage ended")
            self.action_done.emit(_("The training service is reachable again."))

    async def load_funds(self, amount: Decimal) -> None:
        await self._admin.load_funds(self._access_code, amount)
        log.info("Training: loaded %s into the demo account", amount)
        self.action_done.emit(_("Loaded {amount} into the training account.").format(amount=amount))

    async def _ask_and_load_funds(self) -> None:
        dialog = QInputDialog(self.parentWidget())
        dialog.setWindowTitle(_("Load funds"))
        dialog.setLabelText(_("Amount to load into the training account:"))
        dialog.setTextValue(str(DEFAULT_FUNDS))
        if not await show_dialog(dialog):
            return

        try:
            amount = Decimal(dialog.textValue().strip())
        except InvalidOperation:
            self.action_failed.emit(
                _("Invalid amount {text!r}: enter a number such as 100.00.").format(
                    text=dialog.textValue()
                )
            )
            return
        await self.load_funds(amount)

    async def _mark_installed(self) -> None:
        iccid = self._selected_iccid()
        if not iccid:
            self.action_failed.emit(
                _("No eSIM selected: open an order and select an eSIM to mark it installed.")
            )
            return

        await self._admin.install(iccid)
        log.info("Training: marked eSIM ending %s installed", iccid[-4:])
        message = _("The customer's phone installed the eSIM {iccid}.").format(iccid=iccid)
        self.action_done.emit(message)
