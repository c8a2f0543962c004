"""A code the customer types by hand, shown in full: left to right, selectable, sized to fit."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class CodeLabel(QLabel):
    """An SM-DP+ address or activation code shown whole, left to right, on any display.

    The label takes the width its layout gives it and shrinks its font, one
    point at a time down to ``minimum_point_size``, until the whole code fits.
    NOTE: a code wider than the label even at the minimum size is still cut off.
    """

    def __init__(
        self, point_size: int, minimum_point_size: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._point_size = point_size
        self._minimum_point_size = minimum_point_size
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.setAlignment(
            Qt.AlignmentFlag.AlignLeft
            | Qt.AlignmentFlag.AlignAbsolute
            | Qt.AlignmentFlag.AlignVCenter
        )
        # The width comes from the layout, not from the code: a long code
        # must not widen the window past the screen.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self._fit()

    def setText(self, text: str) -> None:
        super().setText(text)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        available = self.contentsRect().width() - 2 * self.margin()
        font = QFont(self.font())
        for point_size in range(self._point_size, self._minimum_point_size - 1, -1):
            font.setPointSize(point_size)
            if QFontMetrics(font).horizontalAdvance(self.text()) <= available:
                break
        if font != self.font():
            self.setFont(font)
