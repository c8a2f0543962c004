"""The outbox queue: each item's age, state and last error, with cancel and retry."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from esimfly_desktop.i18n import _
from esimfly_desktop.services.outbox_store import ItemKind, ItemState
from esimfly_desktop.ui.outbox.queue_model import OutboxQueueModel
from esimfly_desktop.ui.table_rows import select_row

AGE_REFRESH_MS = 15_000


class OutboxQueueView(QWidget):
    """Shows the queue and forwards the operator's cancel and retry requests."""

    cancel_requested = Signal(int)  # item id
    retry_requested = Signal(int)  # item id
    new_price_requested = Signal(int)  # item id stopped by a price change

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = OutboxQueueModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        # Columns fit their titles and text, so no language's title is cut off.
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setAccessibleName(_("Outbox queue"))
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)

        self.sender_label = QLabel(self)
        self.cancel_button = QPushButton(_("Cancel item"), self)
        self.retry_button = QPushButton(_("Retry"), self)
        self.new_price_button = QPushButton(_("Buy at the new price…"), self)
        for button in (self.cancel_button, self.retry_button, self.new_price_button):
            button.setAccessibleName(button.text())
            button.setEnabled(False)
        self.cancel_button.clicked.connect(lambda: self._emit_for_selection(self.cancel_requested))
        self.retry_button.clicked.connect(lambda: self._emit_for_selection(self.retry_requested))
        self.new_price_button.clicked.connect(
            lambda: self._emit_for_selection(self.new_price_requested)
        )

        # The age column is refreshed on a timer, not in a loop.
        self._age_timer = QTimer(self)
        self._age_timer.setInterval(AGE_REFRESH_MS)
        self._age_timer.timeout.connect(self.model.refresh_ages)
        self._age_timer.start()

        buttons = QHBoxLayout()
        buttons.addWidget(self.sender_label, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.retry_button)
        buttons.addWidget(self.new_price_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def set_items(self, items: list[Any]) -> None:
        """Show ``items`` and keep the same item selected when it is still listed."""
        selected = self.selected_item()
        self.model.set_items(items)
        if selected is not None:
            self.select_item(selected.id)
        self._update_buttons()

    def set_sender_state(self, is_sender: bool) -> None:
        self.sender_label.setText(
            _("This console sends the queue.")
            if is_sender
            else _("Another console on this data folder sends the queue; this one only shows it.")
        )

    def selected_item(self) -> Any | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.item_at(rows[0].row()) if rows else None

    def select_item(self, item_id: int) -> bool:
        for row, item in enumerate(self.model.items()):
            if item.id == item_id:
                select_row(self.table, row)
                return True
        return False

    def _update_buttons(self) -> None:
        item = self.selected_item()
        self.cancel_button.setEnabled(item is not None and can_cancel(item))
        self.retry_button.setEnabled(item is not None and can_retry(item))
        self.new_price_button.setEnabled(item is not None and waits_for_new_price(item))

    def _emit_for_selection(self, signal: Signal) -> None:
        item = self.selected_item()
        if item is not None:
            signal.emit(item.id)


def can_cancel(item: Any) -> bool:
    """Return whether the outbox accepts a cancel: failed, or queued and never sent."""
    if item.state is ItemState.FAILED:
        return True
    return item.state is ItemState.QUEUED and not item.may_have_reached_server


def waits_for_new_price(item: Any) -> bool:
    """Return whether the item stopped because the package's price changed."""
    return bool(item.needs_decision) and item.last_error_code == "PRICE_MISMATCH"


def can_retry(item: Any) -> bool:
    """Return whether the outbox accepts a retry, which only a failed order does."""
    return item.state is ItemState.FAILED and item.kind is ItemKind.ORDER
