"""A widget that shows one activation QR code, sharp at any screen scale."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from esimfly_desktop.i18n import _
from esimfly_desktop.ui.qr.qr_matrix import QrMatrix, make_qr_matrix
from esimfly_desktop.ui.qr.qr_painter import LIGHT, paint_qr_matrix

# About 6.5 cm on a 96 dpi screen: a phone at arm's length reads it.
MINIMUM_SIDE_PX = 248


class QrCodeWidget(QWidget):
    """The QR code of an LPA string, drawn from its module matrix."""

    def __init__(
        self, parent: QWidget | None = None, *, minimum_side: int = MINIMUM_SIDE_PX
    ) -> None:
        super().__init__(parent)
        self._matrix: QrMatrix | None = None
        self._minimum_side = minimum_side
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(minimum_side, minimum_side)
        self.setAccessibleName(_("Activation QR code"))
        # The QR code is a picture of the LPA string: it is never mirrored.
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)

    def set_lpa_string(self, lpa_string: str | None) -> None:
        """Show the QR code of ``lpa_string``, or nothing for ``None``."""
        self._matrix = make_qr_matrix(lpa_string) if lpa_string else None
        self.update()

    @property
    def matrix(self) -> QrMatrix | None:
        return self._matrix

    def sizeHint(self) -> QSize:
        return QSize(self._minimum_side + 64, self._minimum_side + 64)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return width

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        self.paint(painter, QRectF(self.rect()), _target_pixel_ratio(painter, self))
        painter.end()

    def paint(self, painter: QPainter, target: QRectF, device_pixel_ratio: float) -> None:
        """Paint the code into ``target`` (logical pixels) on ``painter``."""
        if self._matrix is None:
            return
        paint_qr_matrix(painter, target, self._matrix, device_pixel_ratio=device_pixel_ratio)

    def render_image(self, side: int, device_pixel_ratio: float) -> QImage:
        """Render the code on a white square image of ``side`` logical pixels."""
        pixels = round(side * device_pixel_ratio)
        image = QImage(pixels, pixels, QImage.Format.Format_RGB32)
        image.setDevicePixelRatio(device_pixel_ratio)
        image.fill(LIGHT)
        painter = QPainter(image)
        self.paint(painter, QRectF(0, 0, side, side), device_pixel_ratio)
        painter.end()
        return image


def _target_pixel_ratio(painter: QPainter, widget: QWidget) -> float:
    # QWidget.render() redirects painting: painter.device() is still the widget,
    # but the engine paints on the target image, whose ratio sets the pixel grid.
    engine = painter.paintEngine()
    target = engine.paintDevice() if engine is not None else None
    if target is not None:
        return target.devicePixelRatioF()
    return widget.devicePixelRatioF()
