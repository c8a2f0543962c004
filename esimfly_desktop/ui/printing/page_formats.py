"""Paper sizes the counter prints on."""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize

from esimfly_desktop.i18n import _

# Thermal receipt rolls are 80 mm wide. The slip has a fixed height, long
# enough for the QR code, the manual codes and the install steps.
RECEIPT_WIDTH_MM = 80.0
RECEIPT_HEIGHT_MM = 230.0


class PageFormat(Enum):
    """A4 office printers and 80 mm receipt printers."""

    A4 = "a4"
    RECEIPT_80MM = "receipt-80mm"

    def page_layout(self) -> QPageLayout:
        """Return the page size and margins, in millimetres."""
        if self is PageFormat.A4:
            size = QPageSize(QPageSize.PageSizeId.A4)
            margins = QMarginsF(20, 20, 20, 20)
        else:
            size = QPageSize(
                QSizeF(RECEIPT_WIDTH_MM, RECEIPT_HEIGHT_MM),
                QPageSize.Unit.Millimeter,
                _("Receipt 80 mm"),
            )
            margins = QMarginsF(4, 4, 4, 4)
        return QPageLayout(
            size, QPageLayout.Orientation.Portrait, margins, QPageLayout.Unit.Millimeter
        )

    @property
    def qr_side_mm(self) -> float:
        """The printed QR code's side: at least 4 cm so phone cameras focus on it."""
        return 70.0 if self is PageFormat.A4 else 56.0
