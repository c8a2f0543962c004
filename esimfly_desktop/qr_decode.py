"""Decode QR codes from a rendered QImage, to prove what a screen or page shows."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QImage


class _GrayImageView:
    """An 8-bit grey image exposed through the NumPy array interface, without NumPy."""

    def __init__(self, image: QImage) -> None:
        gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
        data = bytes(gray.constBits())[: gray.height() * gray.bytesPerLine()]
        self.__array_interface__: dict[str, Any] = {
            "shape": (gray.height(), gray.width()),
            "typestr": "|u1",
            "data": data,
            "strides": (gray.bytesPerLine(), 1),
            "version": 3,
        }


def decode_qr_codes(image: QImage) -> list[str]:
    """Return the text of every QR code found in ``image``."""
    import zxingcpp

    results = zxingcpp.read_barcodes(_GrayImageView(image))
    return [result.text for result in results if result.format == zxingcpp.BarcodeFormat.QRCode]
