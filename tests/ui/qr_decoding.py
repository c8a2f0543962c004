"""Decode QR codes from Qt images and gray-level arrays, for the sale-screen tests."""

from __future__ import annotations

import numpy as np
import zxingcpp
from PySide6.QtGui import QImage


def image_to_gray_array(image: QImage) -> np.ndarray:
    """Return ``image`` as a 2-D uint8 array of gray levels."""
    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    width, height = gray.width(), gray.height()
    stride = gray.bytesPerLine()
    buffer = np.frombuffer(gray.constBits(), dtype=np.uint8, count=stride * height)
    return buffer.reshape(height, stride)[:, :width].copy()


def decode_qr_texts(image: QImage) -> list[str]:
    """Return the text of every QR code zxing-cpp finds in ``image``."""
    return decode_qr_array(image_to_gray_array(image))


def decode_qr_array(gray: np.ndarray) -> list[str]:
    """Return the text of every QR code zxing-cpp finds in a gray-level array."""
    results = zxingcpp.read_barcodes(gray, formats=zxingcpp.BarcodeFormat.QRCode)
    return [result.text for result in results]
