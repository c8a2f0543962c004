"""The customer display on a counter with one screen: a window on top the operator can leave.

The offscreen platform used by the tests has a single screen, so the display
shares it with the operator's window.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow

from esimfly_desktop.ui.customer_display import (
    CustomerDisplayController,
    CustomerDisplayControls,
    CustomerDisplayWindow,
    InstallationWatcher,
)
from esimfly_desktop.ui.customer_display.display_window import windowed_geometry
from esimfly_desktop.ui.customer_display.installation_watcher import PollingSchedule
from esimfly_desktop.ui.qr import HandOff, hand_offs_from_order
from tests.ui.qr_decoding import decode_qr_texts
from tests.ui.sale_stack import buy, find_package

# Slow enough that the eSIM is still being watched when the test closes the display.
SLOW_SCHEDULE = PollingSchedule(first_delay_s=5.0, factor=1.0, max_delay_s=5.0, max_checks=3)


@dataclass
class Counter:
    operator_window: QMainWindow
    controls: CustomerDisplayControls
    controller: CustomerDisplayController
    display: CustomerDisplayWindow
    hand_off: HandOff


@pytest.fixture
def counter(qtbot, qt_loop, sale_stack_factory) -> Iterator[Counter]:
    stack = sale_stack_factory("1000.00")
    package = qt_loop.run(find_package(stack.client, "Japan", pending=False))
    hand_off = hand_offs_from_order(qt_loop.run(buy(stack, package)))[0]

    operator_window = QMainWindow()
    qtbot.addWidget(operator_window)
    display = CustomerDisplayWindow("en")
    qtbot.addWidget(display)
    watcher = InstallationWatcher(stack.client.esim_status, SLOW_SCHEDULE)
    controller = CustomerDisplayController(display, watcher, operator_window)
    controls = CustomerDisplayControls(controller)
    operator_window.setCentralWidget(controls)
    operator_window.show()
    qtbot.waitExposed(operator_window)

    yield Counter(operator_window, controls, controller, display, hand_off)
    watcher.stop()


def test_one_screen_opens_window(qtbot, qt_loop, counter: Counter) -> None:
    display = counter.display
    screen = QGuiApplication.primaryScreen()

    assert len(QGuiApplication.screens()) == 1
    assert qt_loop.run(counter.controller.show(counter.hand_off)) is True
    qtbot.waitExposed(display)

    assert not display.isFullScreen()
    assert display.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    assert display.back_button.isVisible()
    assert display.width() <= screen.availableGeometry().width()
    assert display.height() <= screen.availableGeometry().height()
    assert decode_qr_texts(display.grab().toImage()) == [counter.hand_off.lpa_string]


def test_escape_returns_to_console(qtbot, qt_loop, counter: Counter) -> None:
    display = counter.display
    qt_loop.run(counter.controller.show(counter.hand_off))
    qtbot.waitExposed(display)
    display.activateWindow()
    qtbot.waitUntil(display.isActiveWindow, timeout=2_000)
    assert counter.controller.watcher.is_watching

    with qtbot.waitSignal(counter.controller.cleared, timeout=2_000):
        qtbot.keyClick(display, Qt.Key.Key_Escape)

    assert not display.isVisible()
    assert display.hand_off is None
    assert not counter.controller.watcher.is_watching
    qtbot.waitUntil(counter.operator_window.isActiveWindow, timeout=2_000)


def test_back_button_closes_display(qtbot, qt_loop, counter: Counter) -> None:
    display = counter.display
    qt_loop.run(counter.controller.show(counter.hand_off))
    qtbot.waitExposed(display)

    with qtbot.waitSignal(display.closed, timeout=2_000):
        qtbot.mouseClick(display.back_button, Qt.MouseButton.LeftButton)

    assert not display.isVisible()
    assert not counter.controller.watcher.is_watching


def test_operator_blanks_and_reopens(qtbot, qt_loop, counter: Counter) -> None:
    display = counter.display
    qt_loop.run(counter.controller.show(counter.hand_off))
    qtbot.waitExposed(display)
    counter.operator_window.activateWindow()
    qtbot.waitUntil(counter.operator_window.isActiveWindow, timeout=2_000)

    qtbot.keyClick(counter.operator_window, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)

    assert display.current_page() is display.blank_page
    display.close()
    assert not display.isVisible()

    counter.controls.open_button.click()
    qtbot.waitExposed(display)

    assert display.isVisible()
    assert not display.isFullScreen()
    assert display.current_page() is display.idle_page


def test_windowed_geometry_share_and_bounds() -> None:
    counter_screen = QRect(0, 0, 1920, 1080)

    roomy = windowed_geometry(counter_screen, QSize(900, 600))
    crowded = windowed_geometry(counter_screen, QSize(1600, 900))
    too_large = windowed_geometry(QRect(0, 0, 800, 600), QSize(1000, 700))

    assert roomy == QRect(240, 135, 1440, 810)
    assert crowded == QRect(160, 90, 1600, 900)
    assert too_large == QRect(0, 0, 800, 600)
