"""One order's details: its eSIMs with status, usage and expiry, and what can be done."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from esimfly_desktop.i18n import _
from esimfly_desktop.i18n.bidi import keep_ltr
from esimfly_desktop.ui.history.history_rows import describe_status
from esimfly_desktop.ui.qr.esim_card import EsimCard
from esimfly_desktop.ui.qr.hand_off import HandOff, hand_offs_from_order
from esimfly_desktop.ui.sale_formatting import format_data_size, format_money
from esimfly_desktop.ui.table_rows import select_row

BYTES_PER_MB = 1024**2
ESIM_COLUMNS = 5


class OrderDetailsPanel(QWidget):
    """The selected order; the eSIM chosen in its table is shown in an ``EsimCard``."""

    esim_selected = Signal(str)  # ICCID
    topup_requested = Signal(object)  # HandOff
    cancel_requested = Signal(object)  # HandOff
    show_to_customer_requested = Signal(object)  # HandOff
    print_requested = Signal(object)  # HandOff
    check_installation_requested = Signal(object)  # HandOff

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.order: Any = None
        self._hand_offs: list[HandOff] = []

        self.header_label = QLabel(self)
        self.header_label.setWordWrap(True)
        self.esims_table = QTableWidget(0, ESIM_COLUMNS, self)
        self.esims_table.setHorizontalHeaderLabels(
            [_("ICCID"), _("Status"), _("Data used"), _("Data left"), _("Expires")]
        )
        self.esims_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.esims_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.esims_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.esims_table.setAccessibleName(_("eSIMs of the order"))
        self.esims_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.esims_table.itemSelectionChanged.connect(self._on_esim_selected)

        self.card = EsimCard(self)
        self.card.setVisible(False)
        self.card.show_to_customer_requested.connect(self.show_to_customer_requested)
        self.card.print_requested.connect(self.print_requested)
        self.card.check_installation_requested.connect(self.check_installation_requested)

        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        self.topup_button = QPushButton(_("Top up…"), self)
        self.cancel_button = QPushButton(_("Cancel and refund…"), self)
        for button in (self.topup_button, self.cancel_button):
            button.setAccessibleName(button.text())
            button.setEnabled(False)
        self.topup_button.clicked.connect(lambda: self._emit_for_selection(self.topup_requested))
        self.cancel_button.clicked.connect(lambda: self._emit_for_selection(self.cancel_requested))

        actions = QHBoxLayout()
        actions.addWidget(self.topup_button)
        actions.addWidget(self.cancel_button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header_label)
        layout.addWidget(self.esims_table)
        layout.addWidget(self.card, 1)
        layout.addWidget(self.message_label)
        layout.addLayout(actions)

    def set_order(self, order: Any) -> None:
        """Show ``order`` (a ``StoredOrder``) and select its first eSIM."""
        self.order = order
        self._hand_offs = hand_offs_from_order(order)
        amount = format_money(order.amount, order.currency) if order.currency else str(order.amount)
        self.header_label.setText(
            _("{reference} · {package} · {status} · {amount}").format(
                reference=keep_ltr(order.order_reference),
                package=order.package_name,
                status=describe_status(order.status),
                amount=keep_ltr(amount),
            )
        )
        self.message_label.clear()
        self.esims_table.setRowCount(len(order.esims))
        for row, esim in enumerate(order.esims):
            self._set_row(
                row, esim.iccid or _("(not provisioned yet)"), esim.status or "", "", "", ""
            )
        self.card.setVisible(False)
        self.topup_button.setEnabled(False)
        self.cancel_button.setEnabled(False)
        if order.esims:
            select_row(self.esims_table, 0)

    def _set_row(self, row: int, *values: str) -> None:
        for column, value in enumerate(values):
            item = QTableWidgetItem(value)
            if column == 0:
                item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            self.esims_table.setItem(row, column, item)

    def set_usage(self, iccid: str, usage: Any) -> None:
        """Fill in an eSIM's row from ``api.models.UsageQuery``."""
        row = self._row_of(iccid)
        if row is None:
            return
        data, validity = usage.usage, usage.validity
        used = left = ""
        if data is not None:
            used = _megabytes_text(data.used_mb, data.is_unlimited)
            left = _megabytes_text(data.remaining_mb, data.is_unlimited)
        expires = (validity.expires_at or "") if validity is not None else ""
        self._set_row(row, iccid, usage.status or "", used, left, expires)

    def set_actions_allowed(self, *, topup: bool, cancel: bool) -> None:
        self.topup_button.setEnabled(topup)
        self.cancel_button.setEnabled(cancel)

    def show_message(self, text: str) -> None:
        self.message_label.setText(text)

    def selected_hand_off(self) -> HandOff | None:
        return self.card.hand_off if self.card.isVisibleTo(self) else None

    def _row_of(self, iccid: str) -> int | None:
        for row in range(self.esims_table.rowCount()):
            item = self.esims_table.item(row, 0)
            if item is not None and item.text() == iccid:
                return row
        return None

    def _on_esim_selected(self) -> None:
        rows = {index.row() for index in self.esims_table.selectedIndexes()}
        if not rows or self.order is None:
            return
        esim = self.order.esims[min(rows)]
        hand_off = next((h for h in self._hand_offs if h.iccid == esim.iccid), None)
        self.card.setVisible(hand_off is not None)
        if hand_off is not None:
            self.card.set_hand_off(hand_off)
            self.esim_selected.emit(hand_off.iccid)

    def _emit_for_selection(self, signal: Signal) -> None:
        hand_off = self.selected_hand_off()
        if hand_off is not None:
            signal.emit(hand_off)


def _megabytes_text(megabytes: Decimal | None, unlimited: bool) -> str:
    if megabytes is None and not unlimited:
        return ""
    size = int(Decimal(megabytes or 0) * BYTES_PER_MB)
    return format_data_size(size, unlimited=unlimited)
