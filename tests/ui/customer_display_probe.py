"""Run in a child process with an offscreen screen layout: put an eSIM on the second screen.

Usage: ``python -m tests.ui.customer_display_probe``. The operator's controls
choose the last screen listed, and the display opens there full screen with an
eSIM. One JSON line reports the screens, the window's screen and geometry, the
ratio of the rendered image, the QR texts decoded from it and the gray levels
inside the QR symbol.
"""

from __future__ import annotations

import json
import sys

import numpy as np
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QWidget

from esimfly_desktop.ui.customer_display import (
    CustomerDisplayController,
    CustomerDisplayControls,
    CustomerDisplayWindow,
    InstallationWatcher,
)
from esimfly_desktop.ui.qr import HandOff
from tests.ui.qr_decoding import decode_qr_texts, image_to_gray_array

LPA_STRING = "LPA:1$smdp.sandbox.esimfly.test$K2-7QX4ZP-1RT9WA"


async def never_called(iccid: str) -> object:
    raise AssertionError("the probe shows the eSIM without a status check")


def render_at_screen_ratio(window: QWidget, ratio: float) -> QImage:
    """Render ``window`` as the screen would show it at ``ratio``.

    The offscreen platform reports each screen's ratio but paints every window
    at 1, so the window is rendered onto an image that carries the ratio.
    """
    size = window.size()
    image = QImage(
        round(size.width() * ratio), round(size.height() * ratio), QImage.Format.Format_RGB32
    )
    image.setDevicePixelRatio(ratio)
    image.fill(0xFFFFFFFF)
    window.render(image)
    return image


def qr_region_levels(window: CustomerDisplayWindow, image: QImage) -> list[int]:
    """Return the gray levels inside the QR symbol (the box of its dark modules)."""
    ratio = image.devicePixelRatio()
    origin = window.qr.mapTo(window, window.qr.rect().topLeft())
    left, top = round(origin.x() * ratio), round(origin.y() * ratio)
    width, height = round(window.qr.width() * ratio), round(window.qr.height() * ratio)
    widget_area = image_to_gray_array(image)[top : top + height, left : left + width]
    dark_rows = np.flatnonzero((widget_area == 0).any(axis=1))
    dark_columns = np.flatnonzero((widget_area == 0).any(axis=0))
    symbol = widget_area[dark_rows[0] : dark_rows[-1] + 1, dark_columns[0] : dark_columns[-1] + 1]
    return [int(level) for level in np.unique(symbol)]


def main() -> int:
    application = QApplication([sys.argv[0]])
    window = CustomerDisplayWindow("ar")
    controller = CustomerDisplayController(window, InstallationWatcher(never_called))
    controls = CustomerDisplayControls(controller)

    controls.screen_box.setCurrentIndex(controls.screen_box.count() - 1)
    controls.open_button.click()
    window.show_hand_off(
        HandOff("8988247000000000018", LPA_STRING, "smdp.sandbox.esimfly.test", "K2-7QX4ZP-1RT9WA")
    )
    for _ in range(5):
        application.processEvents()

    screen = window.screen()
    image = render_at_screen_ratio(window, screen.devicePixelRatio())
    geometry = window.geometry()
    report = {
        "screens": [screen_entry.name() for screen_entry in application.screens()],
        "ratios": [screen_entry.devicePixelRatio() for screen_entry in application.screens()],
        "choices": [controls.screen_box.itemData(i) for i in range(controls.screen_box.count())],
        "screen": screen.name() if screen is not None else "",
        "full_screen": window.isFullScreen(),
        "geometry": [geometry.x(), geometry.y(), geometry.width(), geometry.height()],
        "image_ratio": image.devicePixelRatio(),
        "decoded": decode_qr_texts(image),
        "qr_gray_levels": sorted(set(qr_region_levels(window, image))),
    }
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
