"""A window with the QR codes of one stored order, one tab per eSIM."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from esimfly_desktop.i18n import _
from esimfly_desktop.ui.qr.esim_card import EsimCard
from esimfly_desktop.ui.qr.hand_off import hand_offs_from_order


class OrderQrWindow(QWidget):
    """The eSIM cards of an order, for an order completed in the background."""

    show_to_customer_requested = Signal(object)  # HandOff
    print_requested = Signal(object)  # HandOff

    def __init__(self, order: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.order = order
        self.setWindowTitle(_("Order {reference}").format(reference=order.order_reference))
        self.title_label = QLabel(
            _("{quantity} × {package}").format(quantity=order.quantity, package=order.package_name),
            self,
        )
        self.tabs = QTabWidget(self)
        for number, hand_off in enumerate(hand_offs_from_order(order), start=1):
            card = EsimCard(self.tabs)
            card.set_hand_off(hand_off)
            card.show_to_customer_requested.connect(self.show_to_customer_requested)
            card.print_requested.connect(self.print_requested)
            self.tabs.addTab(card, _("eSIM {number}").format(number=number))

        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addWidget(self.tabs, 1)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)

    def esim_cards(self) -> list[EsimCard]:
        return [self.tabs.widget(index) for index in range(self.tabs.count())]
