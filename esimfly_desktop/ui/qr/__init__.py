"""The activation QR code and the manual codes beside it."""

from esimfly_desktop.ui.qr.esim_card import EsimCard
from esimfly_desktop.ui.qr.hand_off import HandOff, hand_offs_from_order, split_lpa_string
from esimfly_desktop.ui.qr.qr_matrix import QrMatrix, make_qr_matrix
from esimfly_desktop.ui.qr.qr_painter import paint_qr_matrix
from esimfly_desktop.ui.qr.qr_widget import QrCodeWidget

__all__ = [
    "EsimCard",
    "HandOff",
    "QrCodeWidget",
    "QrMatrix",
    "hand_offs_from_order",
    "make_qr_matrix",
    "paint_qr_matrix",
    "split_lpa_string",
]
