"""The order dialog: quantity, customer reference, total and the balance after it.

The dialog is the confirmation: it opens with ``open()`` (no nested event
loop) and emits ``confirmed`` with the request when the operator buys.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from esimfly_desktop.i18n import _
from esimfly_desktop.i18n.bidi import keep_ltr, set_widget_left_to_right
from esimfly_desktop.services.purchase import PurchaseRequest
from esimfly_desktop.ui.sale_formatting import format_money

MIN_QUANTITY = 1
MAX_QUANTITY = 10  # the service accepts 1 to 10 eSIMs per order
MAX_CUSTOMER_REFERENCE_CHARS = 100


class PurchaseDialog(QDialog):
    """Confirm an order of one package; ``balance`` is ``api.models.Balance`` or None."""

    confirmed = Signal(object)  # PurchaseRequest
    load_balance_requested = Signal()

    def __init__(
        self,
        package: Any,
        balance: Any | None,
        parent: QWidget | None = None,
        *,
        quantity: int = MIN_QUANTITY,
        customer_reference: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Buy eSIM"))
        self.setMinimumWidth(440)
        self._package = package
        self._balance = balance

        self.package_label = QLabel(package.name, self)
        self.package_label.setWordWrap(True)
        self.package_code_label = QLabel(package.package_code, self)
        self.package_code_label.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.unit_cost_label = QLabel(_amount_text(package.cost, package.currency), self)

        self.quantity = QSpinBox(self)
        self.quantity.setRange(MIN_QUANTITY, MAX_QUANTITY)
        self.quantity.setValue(max(MIN_QUANTITY, min(MAX_QUANTITY, quantity)))
        self.quantity.setAccessibleName(_("Quantity"))
        self.customer_reference = QLineEdit(customer_reference, self)
        self.customer_reference.setMaxLength(MAX_CUSTOMER_REFERENCE_CHARS)
        self.customer_reference.setPlaceholderText(_("Optional, for example the customer's name"))
        self.customer_reference.setAccessibleName(_("Customer reference"))

        self.total_label = QLabel(self)
        self.balance_label = QLabel(self)
        self.balance_after_label = QLabel(self)
        self.shortfall_label = QLabel(self)
        self.shortfall_label.setWordWrap(True)
        self.shortfall_label.setStyleSheet("color: #b00020; font-weight: bold;")
        self.load_balance_button = QPushButton(_("Load balance…"), self)
        self.load_balance_button.clicked.connect(self.load_balance_requested)

        self.buttons = QDialogButtonBox(self)
        self.buy_button = self.buttons.addButton(_("Buy"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buy_button.setDefault(True)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._confirm)
        self.buttons.rejected.connect(self.reject)

        for amount_label in (
            self.unit_cost_label,
            self.total_label,
            self.balance_label,
            self.balance_after_label,
        ):
            set_widget_left_to_right(amount_label)
        self.total_label.setAccessibleName(_("Total"))
        self.balance_label.setAccessibleName(_("Balance"))
        self.balance_after_label.setAccessibleName(_("Balance after the order"))
        self._lay_out()
        self.quantity.valueChanged.connect(self._update_amounts)
        self._update_amounts()
        self.quantity.setFocus()

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.addRow(_("Package"), self.package_label)
        form.addRow(_("Package code"), self.package_code_label)
        form.addRow(_("Price per eSIM"), self.unit_cost_label)
        form.addRow(_("Quantity"), self.quantity)
        form.addRow(_("Customer reference"), self.customer_reference)
        form.addRow(_("Total"), self.total_label)
        form.addRow(_("Balance"), self.balance_label)
        form.addRow(_("Balance after the order"), self.balance_after_label)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.shortfall_label)
        layout.addWidget(self.load_balance_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.buttons)

    @property
    def total(self) -> Decimal:
        return self._package.cost * self.quantity.value()

    def set_balance(self, balance: Any | None) -> None:
        """Show a newer balance (``api.models.Balance``), for example after loading funds."""
        self._balance = balance
        self._update_amounts()

    def _update_amounts(self) -> None:
        currency = self._package.currency
        self.total_label.setText(_amount_text(self.total, currency))
        shortfall = self._shortfall()

        if self._balance is None:
            self.balance_label.setText(_("Not confirmed (offline)"))
            self.balance_after_label.setText("—")
        else:
            self.balance_label.setText(_amount_text(self._balance.amount, self._balance.currency))
            after = self._balance.amount - self.total
            self.balance_after_label.setText(_amount_text(after, self._balance.currency))

        if shortfall is None:
            self.shortfall_label.clear()
        else:
            self.shortfall_label.setText(
                _(
                    "The balance does not cover this order. Load at least {amount} "
                    "or lower the quantity."
                ).format(amount=_amount_text(shortfall, currency))
            )
        self.shortfall_label.setVisible(shortfall is not None)
        self.load_balance_button.setVisible(shortfall is not None)
        # Offline, the order is queued and the service checks the balance when it is sent.
        self.buy_button.setEnabled(shortfall is None)

    def _shortfall(self) -> Decimal | None:
        if self._balance is None or self._balance.currency != self._package.currency:
            return None
        missing = self.total - self._balance.amount
        return missing if missing > 0 else None

    def request(self) -> PurchaseRequest:
        """Return the order as the operator has set it up."""
        return PurchaseRequest(
            package_code=self._package.package_code,
            package_name=self._package.name,
            unit_cost=self._package.cost,
            currency=self._package.currency,
            quantity=self.quantity.value(),
            customer_reference=self.customer_reference.text().strip(),
        )

    def _confirm(self) -> None:
        if not self.buy_button.isEnabled():
            return
        self.confirmed.emit(self.request())
        self.accept()


def _amount_text(amount: Decimal, currency: str) -> str:
    # Babel's Arabic amounts start with a right-to-left mark, which turns even a
    # left-to-right label's text around. The isolate keeps the amount in order.
    return keep_ltr(format_money(amount, currency))
