"""Ask where a receipt goes, a printer or a PDF file, and on which paper."""

from __future__ import annotations

import enum

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from esimfly_desktop.i18n import _
from esimfly_desktop.ui.printing.page_formats import PageFormat


class ReceiptDestination(enum.Enum):
    PRINTER = "printer"
    PDF_FILE = "pdf_file"


class ReceiptOptionsDialog(QDialog):
    """Paper choice (A4 or 80 mm roll) and one button per destination.

    Open it with ``show_dialog``; after it is accepted, ``destination`` and
    ``page_format()`` hold the operator's choice.
    """

    def __init__(self, page_format: PageFormat, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Print receipt"))
        self.setAccessibleName(_("Print receipt"))
        self.destination: ReceiptDestination | None = None

        self.a4_button = QRadioButton(_("A4 sheet"), self)
        self.roll_button = QRadioButton(_("80 mm receipt roll"), self)
        self._paper_group = QButtonGroup(self)
        for button in (self.a4_button, self.roll_button):
            button.setAccessibleName(button.text())
            self._paper_group.addButton(button)
        self.roll_button.setChecked(page_format is PageFormat.RECEIPT_80MM)
        self.a4_button.setChecked(page_format is PageFormat.A4)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.printer_button = QPushButton(_("Print…"), self)
        self.pdf_button = QPushButton(_("Save as PDF…"), self)
        for button in (self.printer_button, self.pdf_button):
            button.setAccessibleName(button.text())
            buttons.addButton(button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.printer_button.setDefault(True)
        self.printer_button.clicked.connect(lambda: self._choose(ReceiptDestination.PRINTER))
        self.pdf_button.clicked.connect(lambda: self._choose(ReceiptDestination.PDF_FILE))
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Paper:"), self))
        layout.addWidget(self.a4_button)
        layout.addWidget(self.roll_button)
        layout.addWidget(buttons)

    def page_format(self) -> PageFormat:
        return PageFormat.RECEIPT_80MM if self.roll_button.isChecked() else PageFormat.A4

    def _choose(self, destination: ReceiptDestination) -> None:
        self.destination = destination
        self.accept()
