"""Paint a QR module matrix as vector rectangles on any QPainter device."""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath

from esimfly_desktop.ui.qr.qr_matrix import QrMatrix

# Scanners need dark modules on a light ground, so the colours ignore the theme.
DARK = QColor(0, 0, 0)
LIGHT = QColor(255, 255, 255)


def paint_qr_matrix(
    painter: QPainter,
    target: QRectF,
    matrix: QrMatrix,
    *,
    device_pixel_ratio: float | None = None,
) -> QRectF:
    """Paint ``matrix`` centred in ``target`` and return the square it covers.

    With ``device_pixel_ratio`` (screens), each module is a whole number of
    device pixels, so edges stay sharp at ratios such as 1.25 or 1.5. Without it
    (PDF, printers), modules are exact fractions of the target.
    """
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    painter.setPen(Qt.PenStyle.NoPen)

    if device_pixel_ratio:
        square = _snapped_square(painter, target, matrix.size, device_pixel_ratio)
    else:
        side = min(target.width(), target.height())
        square = QRectF(0, 0, side, side)
        square.moveCenter(target.center())

    painter.fillRect(square, LIGHT)
    module = square.width() / matrix.size
    path = QPainterPath()
    for row, column, length in matrix.dark_runs():
        path.addRect(
            QRectF(
                square.left() + column * module,
                square.top() + row * module,
                length * module,
                module,
            )
        )
    painter.fillPath(path, DARK)

    painter.restore()
    return square


def _snapped_square(
    painter: QPainter, target: QRectF, modules: int, device_pixel_ratio: float
) -> QRectF:
    # Work in device pixels: whole-pixel modules on a whole-pixel origin.
    side_px = min(target.width(), target.height()) * device_pixel_ratio
    module_px = max(1, math.floor(side_px / modules))
    square_px = module_px * modules
    left_px = math.floor(
        target.left() * device_pixel_ratio + (target.width() * device_pixel_ratio - square_px) / 2
    )
    top_px = math.floor(
        target.top() * device_pixel_ratio + (target.height() * device_pixel_ratio - square_px) / 2
    )

    painter.scale(1 / device_pixel_ratio, 1 / device_pixel_ratio)
    return QRectF(left_px, top_px, square_px, square_px)
