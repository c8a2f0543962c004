"""Lay out a printed document on a page with QPainter, in millimetres."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont, QPaintDevice, QPainter

from esimfly_desktop.ui.printing.documents import PrintedDocument
from esimfly_desktop.ui.printing.page_formats import PageFormat
from esimfly_desktop.ui.qr.qr_matrix import make_qr_matrix
from esimfly_desktop.ui.qr.qr_painter import paint_qr_matrix

MM_PER_INCH = 25.4
GAP_MM = 3.0


def paint_document(painter: QPainter, document: PrintedDocument, page_format: PageFormat) -> None:
    """Paint ``document`` on the page ``painter`` is open on (a PDF writer or printer)."""
    device = painter.device()
    scale = _pixels_per_mm(device)
    width_mm = device.width() / scale
    narrow = page_format is PageFormat.RECEIPT_80MM
    y = 0.0

    painter.save()
    painter.setPen(Qt.GlobalColor.black)
    y = _paint_text(
        painter, document.title, y, width_mm, scale, point_size=16 if not narrow else 12, bold=True
    )
    y += GAP_MM

    if document.qr_text:
        side = page_format.qr_side_mm
        target = QRectF((width_mm - side) / 2 * scale, y * scale, side * scale, side * scale)
        paint_qr_matrix(painter, target, make_qr_matrix(document.qr_text))
        y += side + GAP_MM

    body_size = 10 if not narrow else 8
    for label, value in document.rows:
        y = _paint_text(painter, label, y, width_mm, scale, point_size=body_size - 1, bold=True)
        y = _paint_text(
            painter, value, y, width_mm, scale, point_size=body_size, left_to_right=True
        )
        y += GAP_MM / 2

    y += GAP_MM
    for paragraph in document.paragraphs:
        y = _paint_text(painter, paragraph, y, width_mm, scale, point_size=body_size) + GAP_MM / 2
    painter.restore()


def _paint_text(
    painter: QPainter,
    text: str,
    y_mm: float,
    width_mm: float,
    scale: float,
    *,
    point_size: int,
    bold: bool = False,
    left_to_right: bool = False,
) -> float:
    """Paint word-wrapped ``text`` at ``y_mm`` and return the y below it."""
    font = QFont()
    font.setPointSize(point_size)
    font.setBold(bold)
    painter.setFont(font)

    flags = int(Qt.TextFlag.TextWrapAnywhere if left_to_right else Qt.TextFlag.TextWordWrap)
    bounds = QRectF(0, y_mm * scale, width_mm * scale, 10_000 * scale)
    used = painter.boundingRect(bounds, flags, text)
    painter.drawText(bounds, flags, text)
    return y_mm + used.height() / scale


def _pixels_per_mm(device: QPaintDevice) -> float:
    return device.logicalDpiX() / MM_PER_INCH
