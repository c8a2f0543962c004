"""The customer display with a real order: the QR code, and "installed" from /esims/status."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QMessageBox

from esimfly_desktop.ui.customer_display import (
    CustomerDisplayController,
    CustomerDisplayWindow,
    InstallationWatcher,
)
from esimfly_desktop.ui.customer_display.installation_watcher import PollingSchedule
from esimfly_desktop.ui.qr import EsimCard, hand_offs_from_order
from tests.ui.qr_decoding import decode_qr_texts
from tests.ui.sale_stack import buy, find_package
from tests.ui.test_customer_display import MONEY_PATTERN, visible_texts

QUICK_SCHEDULE = PollingSchedule(first_delay_s=0.2, factor=1.5, max_delay_s=1.0, max_checks=30)


def test_display_real_order_installed(qtbot, qt_loop, sale_stack_factory) -> None:
    stack = sale_stack_factory("1000.00")
    package = qt_loop.run(find_package(stack.client, "Japan", pending=False))
    order = qt_loop.run(buy(stack, package))
    hand_off = hand_offs_from_order(order)[0]
    operator_card = EsimCard()
    qtbot.addWidget(operator_card)
    operator_card.set_hand_off(hand_off)
    display = CustomerDisplayWindow("en")
    qtbot.addWidget(display)
    display.resize(1280, 800)
    controller = CustomerDisplayController(
        display, InstallationWatcher(stack.client.esim_status, QUICK_SCHEDULE)
    )
    controller.installed.connect(lambda _iccid: operator_card.mark_installed())

    assert qt_loop.run(controller.show(hand_off)) is True
    qtbot.waitExposed(display)
    image = display.grab().toImage()
    texts = visible_texts(display)

    assert decode_qr_texts(image) == [hand_off.lpa_string]
    assert [text for text in texts if MONEY_PATTERN.search(text)] == []
    assert not any(package.name in text for text in texts)

    with qtbot.waitSignal(controller.installed, timeout=15_000) as installed:
        qt_loop.run(stack.admin.install(hand_off.iccid, "iPhone 16"))

    assert installed.args == [hand_off.iccid]
    assert display.is_installed_shown
    assert not operator_card.installed_label.isHidden()
    assert decode_qr_texts(display.grab().toImage()) == []


def test_display_warns_installed_esim(qtbot, qt_loop, sale_stack_factory) -> None:
    stack = sale_stack_factory("1000.00")
    package = qt_loop.run(find_package(stack.client, "Japan", pending=False))
    hand_off = hand_offs_from_order(qt_loop.run(buy(stack, package)))[0]
    qt_loop.run(stack.admin.install(hand_off.iccid, "Pixel 9"))
    display = CustomerDisplayWindow("en")
    qtbot.addWidget(display)
    controller = CustomerDisplayController(
        display, InstallationWatcher(stack.client.esim_status, QUICK_SCHEDULE)
    )

    task = controller.request_show(hand_off)
    boxes: list[QMessageBox] = []

    def warning_shown() -> bool:
        boxes[:] = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.isVisible()
        ]
        return bool(boxes)

    qtbot.waitUntil(warning_shown, timeout=10_000)
    assert hand_off.iccid in boxes[0].text()
    boxes[0].button(QMessageBox.StandardButton.No).click()

    assert qt_loop.run(task) is False
    assert display.hand_off is None
