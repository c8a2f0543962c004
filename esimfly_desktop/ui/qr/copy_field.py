"""A labelled, read-only code with a copy button, kept left-to-right."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QStyle, QWidget

from esimfly_desktop.i18n import _


class CopyField(QWidget):
    """A code (SM-DP+ address, matching id, link) the operator can select or copy."""

    copied = Signal()

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(self)
        self.edit.setReadOnly(True)
        self.edit.setAccessibleName(accessible_name)
        # Codes read left-to-right even inside a right-to-left interface.
        self.edit.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.edit.setAlignment(Qt.AlignmentFlag.AlignLeft)

        self.copy_button = QPushButton(_("Copy"), self)
        self.copy_button.setAccessibleName(_("Copy {field}").format(field=accessible_name))
        self.copy_button.clicked.connect(self.copy_to_clipboard)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.copy_button)

    def set_text(self, text: str) -> None:
        self.edit.setText(text)
        self.edit.setCursorPosition(0)
        self.copy_button.setEnabled(bool(text))

    def fit_text(self) -> None:
        """Make the field at least as wide as its text, so a short code is read whole."""
        # The frame plus the line edit's inner margins (8 px is an estimate for common styles).
        padding = 2 * self.edit.style().pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth) + 8
        width = self.edit.fontMetrics().horizontalAdvance(self.edit.text()) + padding
        self.edit.setMinimumWidth(width)

    def text(self) -> str:
        return self.edit.text()

    def copy_to_clipboard(self) -> None:
        QGuiApplication.clipboard().setText(self.edit.text())
        self.copied.emit()
