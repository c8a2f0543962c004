"""A non-blocking notice that a queued order has completed, with a button to its QR codes."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from esimfly_desktop.i18n import _
from esimfly_desktop.i18n.bidi import keep_ltr


class OrderReadyNotice(QFrame):
    """A bar for the main window; it stays until the operator acts on it or dismisses it."""

    show_qr_requested = Signal(str)  # order reference
    dismissed = Signal(str)

    def __init__(
        self, order_reference: str, package_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.order_reference = order_reference
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("OrderReadyNotice { background: #e6f4ea; }")
        self.message_label = QLabel(
            _("Queued order {reference} ({package}) is ready.").format(
                reference=keep_ltr(order_reference), package=package_name
            ),
            self,
        )
        self.message_label.setWordWrap(True)
        self.show_qr_button = QPushButton(_("Show QR"), self)
        self.dismiss_button = QPushButton(_("Dismiss"), self)
        for button in (self.show_qr_button, self.dismiss_button):
            button.setAccessibleName(button.text())
        self.show_qr_button.clicked.connect(lambda: self.show_qr_requested.emit(order_reference))
        self.dismiss_button.clicked.connect(self._dismiss)

        layout = QHBoxLayout(self)
        layout.addWidget(self.message_label, 1)
        layout.addWidget(self.show_qr_button)
        layout.addWidget(self.dismiss_button)

    def _dismiss(self) -> None:
        self.hide()
        self.dismissed.emit(self.order_reference)
