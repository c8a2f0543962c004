"""The operator's view of one eSIM: QR code, manual codes, install links, allowance."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from esimfly_desktop.i18n import _, ngettext
from esimfly_desktop.i18n.bidi import set_widget_left_to_right
from esimfly_desktop.ui.qr.copy_field import CopyField
from esimfly_desktop.ui.qr.hand_off import HandOff
from esimfly_desktop.ui.qr.qr_widget import QrCodeWidget
from esimfly_desktop.ui.sale_formatting import format_data_size


class EsimCard(QWidget):
    """One eSIM ready to hand over, with actions for the counter."""

    show_to_customer_requested = Signal(object)  # HandOff
    print_requested = Signal(object)  # HandOff
    check_installation_requested = Signal(object)  # HandOff

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._hand_off: HandOff | None = None

        self.qr = QrCodeWidget(self)
        self.iccid_label = QLabel(self)
        self.iccid_label.setAccessibleName(_("ICCID"))
        set_widget_left_to_right(self.iccid_label)
        self.smdp_field = CopyField(_("SM-DP+ address"), self)
        self.matching_id_field = CopyField(_("Activation code"), self)
        self.apple_link_field = CopyField(_("iPhone install link"), self)
        self.android_link_field = CopyField(_("Android install link"), self)
        self.allowance_label = QLabel(self)
        self.installed_label = QLabel(_("Installed on the customer's phone"), self)
        self.installed_label.setVisible(False)

        self.show_button = QPushButton(_("Show to customer"), self)
        self.print_button = QPushButton(_("Print"), self)
        self.check_button = QPushButton(_("Check installation"), self)
        for button in (self.show_button, self.print_button, self.check_button):
            button.setAccessibleName(button.text())
        self.show_button.clicked.connect(lambda: self._emit(self.show_to_customer_requested))
        self.print_button.clicked.connect(lambda: self._emit(self.print_requested))
        self.check_button.clicked.connect(lambda: self._emit(self.check_installation_requested))

        self._lay_out()

    def _lay_out(self) -> None:
        self.form = form = QFormLayout()
        form.addRow(_("ICCID"), self.iccid_label)
        form.addRow(_("SM-DP+ address"), self.smdp_field)
        form.addRow(_("Activation code"), self.matching_id_field)
        form.addRow(_("iPhone link"), self.apple_link_field)
        form.addRow(_("Android link"), self.android_link_field)
        form.addRow(_("Allowance"), self.allowance_label)

        buttons = QHBoxLayout()
        buttons.addWidget(self.show_button)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.check_button)
        buttons.addStretch(1)

        details = QVBoxLayout()
        details.addLayout(form)
        details.addWidget(self.installed_label)
        details.addStretch(1)
        details.addLayout(buttons)

        layout = QHBoxLayout(self)
        layout.addWidget(self.qr, 1)
        layout.addLayout(details, 1)

    @property
    def hand_off(self) -> HandOff | None:
        return self._hand_off

    def set_hand_off(self, hand_off: HandOff) -> None:
        """Show ``hand_off``; a link row hides when the order has no such link."""
        self._hand_off = hand_off
        self.qr.set_lpa_string(hand_off.lpa_string)
        self.iccid_label.setText(hand_off.iccid)
        self.smdp_field.set_text(hand_off.smdp_address)
        self.matching_id_field.set_text(hand_off.matching_id)
        # Codes are read aloud or typed at the counter. Links are long and only copied.
        self.smdp_field.fit_text()
        self.matching_id_field.fit_text()
        self.apple_link_field.set_text(hand_off.apple_install_url or "")
        self.android_link_field.set_text(hand_off.android_install_url or "")
        self.form.setRowVisible(self.apple_link_field, bool(hand_off.apple_install_url))
        self.form.setRowVisible(self.android_link_field, bool(hand_off.android_install_url))
        self.allowance_label.setText(describe_allowance(hand_off))
        self.installed_label.setVisible(False)

    def mark_installed(self) -> None:
        self.installed_label.setVisible(True)

    def _emit(self, signal: Signal) -> None:
        if self._hand_off is not None:
            signal.emit(self._hand_off)


def describe_allowance(hand_off: HandOff) -> str:
    """Return text such as "5 GB for 30 days" for an eSIM's data and validity."""
    data = format_data_size(hand_off.data_bytes, unlimited=hand_off.is_unlimited)
    if hand_off.validity_days is None:
        return data
    days = ngettext("{count} day", "{count} days", hand_off.validity_days).format(
        count=hand_off.validity_days
    )
    return _("{data} for {days}").format(data=data, days=days)
