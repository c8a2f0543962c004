"""Choose a top-up package for one eSIM."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from esimfly_desktop.i18n import _, ngettext
from esimfly_desktop.ui.sale_formatting import format_data_size, format_money

BYTES_PER_GB = 1024**3


class TopupDialog(QDialog):
    """The top-up packages the service offers for an eSIM; the operator picks one."""

    def __init__(self, iccid: str, packages: list[Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Top up eSIM"))
        self.packages = packages

        self.iccid_label = QLabel(_("eSIM {iccid}").format(iccid=iccid), self)
        self.package_list = QListWidget(self)
        self.package_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.package_list.setAccessibleName(_("Top-up packages"))
        for package in packages:
            item = QListWidgetItem(describe_topup(package))
            item.setData(Qt.ItemDataRole.UserRole, package.package_code)
            self.package_list.addItem(item)

        self.buttons = QDialogButtonBox(self)
        self.topup_button = self.buttons.addButton(
            _("Top up"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.package_list.currentRowChanged.connect(
            lambda row: self.topup_button.setEnabled(row >= 0)
        )
        self.topup_button.setEnabled(False)
        if packages:
            self.package_list.setCurrentRow(0)

        layout = QVBoxLayout(self)
        layout.addWidget(self.iccid_label)
        layout.addWidget(self.package_list)
        layout.addWidget(self.buttons)

    def chosen_package(self) -> Any | None:
        row = self.package_list.currentRow()
        return self.packages[row] if 0 <= row < len(self.packages) else None


def describe_topup(package: Any) -> str:
    """Return "Name: 3 GB, 30 days, $9.00" for a top-up package."""
    data = format_data_size(
        int(package.data_amount_gb * BYTES_PER_GB), unlimited=package.is_unlimited
    )
    days = ngettext("{count} day", "{count} days", package.validity_days).format(
        count=package.validity_days
    )
    return _("{name}: {data}, {days}, {price}").format(
        name=package.name,
        data=data,
        days=days,
        price=format_money(package.cost, package.currency),
    )
