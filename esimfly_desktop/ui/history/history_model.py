"""A table model over merged order history, sortable by any column."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from esimfly_desktop.i18n import N_
from esimfly_desktop.i18n.bidi import keep_ltr
from esimfly_desktop.ui.history.history_rows import created_at, describe_status
from esimfly_desktop.ui.sale_formatting import format_money, format_time

COLUMNS = (
    ("created_at", N_("Date")),
    ("order_reference", N_("Order reference")),
    ("package_name", N_("Package")),
    ("quantity", N_("Qty")),
    ("amount", N_("Amount")),
    ("status", N_("Status")),
    ("customer_reference", N_("Customer reference")),
    ("operator", N_("Operator")),
)
LEFT_TO_RIGHT_COLUMNS = {"order_reference", "amount"}
ORDER_ROLE = Qt.ItemDataRole.UserRole + 1

Index = QModelIndex | QPersistentModelIndex
NO_PARENT = QModelIndex()


class OrderHistoryModel(QAbstractTableModel):
    """Rows are ``StoredOrder`` values; ``set_orders`` replaces them all."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._orders: list[Any] = []
        self._sort_column = 0
        self._sort_order = Qt.SortOrder.DescendingOrder

    def set_orders(self, orders: list[Any]) -> None:
        self.beginResetModel()
        self._orders = list(orders)
        self._sort_rows()
        self.endResetModel()

    def orders(self) -> list[Any]:
        return list(self._orders)

    def order_at(self, row: int) -> Any:
        return self._orders[row]

    def rowCount(self, parent: Index = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._orders)

    def columnCount(self, parent: Index = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return str(COLUMNS[section][1])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        order = self._orders[index.row()]
        key = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(order, key)
        if role == ORDER_ROLE:
            return order
        if role == Qt.ItemDataRole.TextAlignmentRole and key in {"quantity", "amount"}:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, order: Any, key: str) -> str:
        if key == "created_at":
            moment = created_at(order)
            return format_time(moment) if moment else ""
        if key == "amount":
            amount = format_money(order.amount, order.currency) if order.currency else order.amount
            return keep_ltr(amount)
        if key == "order_reference":
            return keep_ltr(order.order_reference)
        if key == "status":
            return describe_status(order.status)
        return str(getattr(order, key))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self._sort_column, self._sort_order = column, order
        self._sort_rows()
        self.layoutChanged.emit()

    def _sort_rows(self) -> None:
        key = COLUMNS[self._sort_column][0]
        descending = self._sort_order == Qt.SortOrder.DescendingOrder
        self._orders = sort_orders(self._orders, key, descending=descending)


def sort_orders(orders: list[Any], key: str, *, descending: bool) -> list[Any]:
    """Return ``orders`` sorted by the column named ``key``."""
    return sorted(orders, key=lambda order: _sort_value(order, key), reverse=descending)


def _sort_value(order: Any, key: str) -> Any:
    if key == "created_at":
        moment = created_at(order)
        return moment.timestamp() if moment else 0.0
    if key == "amount":
        return order.amount if isinstance(order.amount, Decimal) else Decimal(0)
    if key == "quantity":
        return order.quantity
    return str(getattr(order, key)).casefold()
