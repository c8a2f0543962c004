"""A table model over outbox items: age, what, state and last error."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from esimfly_desktop.i18n import N_, _, ngettext
from esimfly_desktop.services.outbox_store import ItemKind, ItemState

COLUMNS = (
    N_("Age"),
    N_("Queue reference"),
    N_("Item"),
    N_("State"),
    N_("Last error"),
    N_("Order reference"),
)
STATE_NAMES = {
    ItemState.QUEUED: N_("Queued"),
    ItemState.SENDING: N_("Sending"),
    ItemState.DONE: N_("Done"),
    ItemState.FAILED: N_("Failed"),
    ItemState.OUTCOME_UNKNOWN: N_("Outcome unknown, checking"),
    ItemState.CANCELLED: N_("Cancelled"),
}
NO_PARENT = QModelIndex()

Index = QModelIndex | QPersistentModelIndex


def describe_age(age_s: float) -> str:
    """Return "45 s", "12 min" or "3 h" for an item's age."""
    if age_s < 60:
        seconds = max(0, int(age_s))
        return ngettext("{count} second", "{count} seconds", seconds).format(count=seconds)
    if age_s < 3600:
        minutes = int(age_s // 60)
        return ngettext("{count} minute", "{count} minutes", minutes).format(count=minutes)
    hours = int(age_s // 3600)
    return ngettext("{count} hour", "{count} hours", hours).format(count=hours)


def queue_reference(item: Any) -> str:
    """Return the reference printed on an outage notice, such as ``Q12-3F9A1C0B``.

    It is known before the service assigns an order reference: the item's id and
    the start of its idempotency key, which never changes.
    """
    return f"Q{item.id}-{item.idempotency_key.replace('-', '')[:8].upper()}"


def describe_item(item: Any) -> str:
    if item.kind is ItemKind.TOPUP:
        return _("Top-up {package} for eSIM {iccid}").format(
            package=item.package_code, iccid=item.iccid or ""
        )
    return _("{quantity} × {package}").format(quantity=item.quantity, package=item.package_code)


class OutboxQueueModel(QAbstractTableModel):
    """Rows are ``OutboxItem`` values, oldest first, as the outbox sends them."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: list[Any] = []
        self._now = time.time()

    def set_items(self, items: list[Any]) -> None:
        self.beginResetModel()
        self._items = sorted(items, key=lambda item: item.id)
        self._now = time.time()
        self.endResetModel()

    def refresh_ages(self) -> None:
        """Recompute the age column against the clock."""
        self._now = time.time()
        if self._items:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._items) - 1, 0))

    def item_at(self, row: int) -> Any:
        return self._items[row]

    def items(self) -> list[Any]:
        return list(self._items)

    def rowCount(self, parent: Index = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return str(COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        item = self._items[index.row()]
        return self._cell_text(item, index.column())

    def _cell_text(self, item: Any, column: int) -> str:
        if column == 0:
            return describe_age(item.age_s(self._now))
        if column == 1:
            return queue_reference(item)
        if column == 2:
            return describe_item(item)
        if column == 3:
            state = str(STATE_NAMES.get(item.state, item.state))
            if item.needs_decision:
                return _("{state} (your decision)").format(state=state)
            return state
        if column == 4:
            return _error_text(item)
        return item.order_reference or ""


def _error_text(item: Any) -> str:
    if not item.last_error and not item.last_error_code:
        return ""
    if item.last_error_code and item.last_error:
        return f"{item.last_error} ({item.last_error_code})"
    return item.last_error or item.last_error_code or ""
