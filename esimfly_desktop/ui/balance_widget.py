"""The account balance in the status area: amount, when it was confirmed, low-balance warning."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from esimfly_desktop.i18n import _
from esimfly_desktop.i18n.bidi import keep_ltr
from esimfly_desktop.ui.formatting import money, short_time


@dataclass(frozen=True)
class BalanceView:
    """The displayed state: the last confirmed balance and whether refreshing it failed."""

    amount: Decimal
    currency: str
    confirmed_at: datetime
    is_stale: bool = False


class BalanceWidget(QWidget):
    """Shows the balance with its "as of" time, and a warning under the threshold.

    The widget only displays values handed to it; refreshing is the balance
    service's job, so nothing here blocks or waits.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(_("Account balance"))
        self._threshold: Decimal | None = None
        self._view: BalanceView | None = None

        self.amount_label = QLabel(_("Balance: not loaded yet"))
        self.amount_label.setAccessibleName(_("Balance amount"))
        self.amount_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.as_of_label = QLabel()
        self.as_of_label.setAccessibleName(_("Balance confirmed at"))

        self.warning_label = QLabel()
        self.warning_label.setAccessibleName(_("Low balance warning"))
        self.warning_label.setStyleSheet("color: #b00020; font-weight: bold;")
        self.warning_label.hide()

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.amount_label)
        layout.addWidget(self.as_of_label)
        layout.addWidget(self.warning_label)

    def set_threshold(self, threshold: Decimal | None) -> None:
        """Warn when the balance is below ``threshold``; None turns the warning off."""
        self._threshold = threshold
        self._refresh()

    def set_balance(self, view: BalanceView) -> None:
        self._view = view
        self._refresh()

    def show_refresh_failed(self, reason: str) -> None:
        """Keep the last balance on screen and mark it as not refreshed."""
        self.as_of_label.setToolTip(reason)
        if self._view is not None:
            self._view = BalanceView(
                self._view.amount, self._view.currency, self._view.confirmed_at, is_stale=True
            )
        self._refresh()

    @property
    def threshold(self) -> Decimal | None:
        return self._threshold

    @property
    def is_warning_shown(self) -> bool:
        return not self.warning_label.isHidden()

    def _refresh(self) -> None:
        view = self._view
        if view is None:
            return

        self.amount_label.setText(
            _("Balance: {amount}").format(amount=keep_ltr(money(view.amount, view.currency)))
        )
        as_of = _("as of {time}").format(time=short_time(view.confirmed_at))
        if view.is_stale:
            as_of = _("{as_of} (refresh failed)").format(as_of=as_of)
        self.as_of_label.setText(as_of)

        is_low = self._threshold is not None and view.amount < self._threshold
        self.warning_label.setVisible(is_low)
        if is_low and self._threshold is not None:
            self.warning_label.setText(
                _("Low balance: below {threshold}. Load funds before selling.").format(
                    threshold=keep_ltr(money(self._threshold, view.currency))
                )
            )
