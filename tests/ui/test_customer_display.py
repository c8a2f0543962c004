"""The customer display shows only what the customer needs, in their language."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QMessageBox, QWidget

from esimfly_desktop.ui.customer_display import (
    CustomerDisplayController,
    CustomerDisplayWindow,
    InstallationWatcher,
)
from esimfly_desktop.ui.customer_display.installation_watcher import PollingSchedule
from esimfly_desktop.ui.qr import HandOff
from tests.ui.qr_decoding import decode_qr_texts

LPA_STRING = "LPA:1$smdp.sandbox.esimfly.test$K2-7QX4ZP-1RT9WA"
HAND_OFF = HandOff(
    iccid="8988247000000000018",
    lpa_string=LPA_STRING,
    smdp_address="smdp.sandbox.esimfly.test",
    matching_id="K2-7QX4ZP-1RT9WA",
    package_name="Japan 5 GB 30 days",
    data_bytes=5 * 1024**3,
    validity_days=30,
    order_reference="order_1764880000000_ab12c",
)
QUICK_SCHEDULE = PollingSchedule(first_delay_s=0.01, factor=1.0, max_delay_s=0.01, max_checks=5)
MONEY_PATTERN = re.compile(r"[$€£]|\bUSD\b|\bEUR\b|\bIQD\b|\d+[.,]\d{2}\b")


@dataclass
class FakeStatus:
    is_installed: bool


class FakeStatusService:
    """Returns scripted installed flags, one per status check."""

    def __init__(self, answers: list[bool]) -> None:
        self.answers = answers
        self.checked: list[str] = []

    async def fetch(self, iccid: str) -> FakeStatus:
        self.checked.append(iccid)
        index = min(len(self.checked) - 1, len(self.answers) - 1)
        return FakeStatus(self.answers[index])


def visible_texts(root: QWidget) -> list[str]:
    """Return the text of every label, field and button under ``root``."""
    texts = [root.windowTitle()]
    for widget in root.findChildren(QWidget):
        if isinstance(widget, QLabel | QAbstractButton | QLineEdit):
            texts.append(widget.text())
        texts.append(widget.accessibleName())
        texts.append(widget.toolTip())
    return [text for text in texts if text]


@pytest.fixture
def display(qtbot) -> CustomerDisplayWindow:
    window = CustomerDisplayWindow("en")
    qtbot.addWidget(window)
    window.resize(1280, 800)
    return window


def test_display_qr_decodes(qtbot, display: CustomerDisplayWindow) -> None:
    display.show_hand_off(HAND_OFF)
    display.show()
    qtbot.waitExposed(display)

    image = display.grab().toImage()

    assert decode_qr_texts(image) == [LPA_STRING]


def test_display_shows_manual_codes(display: CustomerDisplayWindow) -> None:
    display.show_hand_off(HAND_OFF)

    assert display.smdp_code.text() == "smdp.sandbox.esimfly.test"
    assert display.activation_code.text() == "K2-7QX4ZP-1RT9WA"
    assert display.iphone_steps.text()
    assert display.android_steps.text()


def test_display_shows_no_prices(display: CustomerDisplayWindow) -> None:
    display.show_hand_off(HAND_OFF)

    texts = visible_texts(display)

    assert texts
    assert [text for text in texts if MONEY_PATTERN.search(text)] == []
    assert not any("balance" in text.lower() for text in texts)
    assert not any("order_" in text for text in texts)
    assert not any("price" in text.lower() for text in texts)


def test_display_idle_screen(display: CustomerDisplayWindow) -> None:
    display.show_hand_off(HAND_OFF)

    display.show_idle()

    assert display.current_page() is display.idle_page
    assert display.hand_off is None
    assert display.activation_code.text() == ""


def test_display_blank_hides_everything(qtbot, display: CustomerDisplayWindow) -> None:
    display.show_hand_off(HAND_OFF)
    display.show()
    qtbot.waitExposed(display)

    display.blank()

    assert display.current_page() is display.blank_page
    assert display.language_bar.isHidden()
    assert decode_qr_texts(display.grab().toImage()) == []


def test_display_language_one_click(display: CustomerDisplayWindow) -> None:
    display.show_hand_off(HAND_OFF)
    arabic = next(
        b for b in display.language_buttons.buttons() if b.property("language_code") == "ar"
    )

    arabic.click()

    assert display.language == "ar"
    assert display.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert display.activation_code.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert display.smdp_code.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert display.qr.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert display.activation_code.text() == "K2-7QX4ZP-1RT9WA"


def test_display_language_leaves_operator(display: CustomerDisplayWindow) -> None:
    from esimfly_desktop.i18n import current_language

    before = current_language()

    display.set_language("es")

    assert current_language() == before
    assert display.language == "es"


def test_watcher_reports_installed(qtbot, qt_loop, display: CustomerDisplayWindow) -> None:
    service = FakeStatusService([False, False, True])
    watcher = InstallationWatcher(service.fetch, QUICK_SCHEDULE)
    controller = CustomerDisplayController(display, watcher)

    with qtbot.waitSignal(controller.installed, timeout=5000) as installed:
        assert qt_loop.run(controller.show(HAND_OFF)) is True

    assert installed.args == [HAND_OFF.iccid]
    assert display.is_installed_shown
    assert not display.qr.isVisible()
    assert len(service.checked) == 3  # one check before showing, two while watching


def test_watcher_gives_up_bounded(qtbot, qt_loop) -> None:
    service = FakeStatusService([False])
    watcher = InstallationWatcher(service.fetch, QUICK_SCHEDULE)

    with qtbot.waitSignal(watcher.gave_up, timeout=5000):
        watcher.watch(HAND_OFF.iccid)

    assert len(service.checked) == QUICK_SCHEDULE.max_checks


def test_polling_schedule_bounded() -> None:
    schedule = PollingSchedule()

    delays = schedule.delays()

    assert len(delays) <= schedule.max_checks
    assert sum(delays) <= schedule.max_duration_s
    assert delays[0] == schedule.first_delay_s
    assert max(delays) == schedule.max_delay_s


def test_blank_stops_watching(qtbot, qt_loop, display: CustomerDisplayWindow) -> None:
    service = FakeStatusService([False])
    watcher = InstallationWatcher(service.fetch, PollingSchedule(first_delay_s=30.0))
    controller = CustomerDisplayController(display, watcher)
    qt_loop.run(controller.show(HAND_OFF))
    assert watcher.is_watching

    controller.blank()

    assert not watcher.is_watching
    assert display.current_page() is display.blank_page


def answer_message_box(qtbot, button: QMessageBox.StandardButton) -> None:
    def find_box() -> QMessageBox:
        boxes = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.isVisible()
        ]
        assert boxes
        return boxes[0]

    qtbot.waitUntil(lambda: find_box() is not None, timeout=5000)
    find_box().button(button).click()


def test_installed_warning_declined(qtbot, qt_loop, display: CustomerDisplayWindow) -> None:
    service = FakeStatusService([True])
    watcher = InstallationWatcher(service.fetch, QUICK_SCHEDULE)
    controller = CustomerDisplayController(display, watcher)

    task = controller.request_show(HAND_OFF)
    answer_message_box(qtbot, QMessageBox.StandardButton.No)
    shown = qt_loop.run(task)

    assert shown is False
    assert display.current_page() is display.idle_page


def test_installed_warning_accepted(qtbot, qt_loop, display: CustomerDisplayWindow) -> None:
    service = FakeStatusService([True])
    watcher = InstallationWatcher(service.fetch, PollingSchedule(first_delay_s=30.0))
    controller = CustomerDisplayController(display, watcher)

    task = controller.request_show(HAND_OFF)
    answer_message_box(qtbot, QMessageBox.StandardButton.Yes)
    shown = qt_loop.run(task)

    assert shown is True
    assert display.hand_off == HAND_OFF
    watcher.stop()


def test_controls_switch_language_blank(qtbot, qt_loop, display: CustomerDisplayWindow) -> None:
    from esimfly_desktop.ui.customer_display import CustomerDisplayControls

    controller = CustomerDisplayController(
        display, InstallationWatcher(FakeStatusService([False]).fetch)
    )
    controls = CustomerDisplayControls(controller)
    qtbot.addWidget(controls)
    display.show_hand_off(HAND_OFF)

    controls.language_buttons["fr"].click()

    assert display.language == "fr"
    assert controls.language_buttons["fr"].isChecked()
    assert not controls.language_buttons["en"].isChecked()

    controls.blank_button.click()

    assert display.current_page() is display.blank_page
    assert controls.screen_box.count() == len(QApplication.screens())


@pytest.mark.parametrize("language", ["es", "ar", "fr"])
def test_display_text_in_customer_language(display: CustomerDisplayWindow, language: str) -> None:
    from esimfly_desktop.i18n import current_language
    from esimfly_desktop.ui.customer_display import customer_texts

    labels = (display.scan_label, display.iphone_steps, display.android_steps)
    display.show_hand_off(HAND_OFF)
    english = [label.text() for label in labels]

    display.set_language(language)

    translated = [label.text() for label in labels]
    for before, after in zip(english, translated, strict=True):
        assert after != before
    expected_title = customer_texts.translate(customer_texts.SCAN_TITLE, language)
    assert display.scan_label.text() == expected_title
    assert current_language() == "en"
    assert display.activation_code.text() == "K2-7QX4ZP-1RT9WA"


def test_display_closes_when_screen_removed(qtbot, qt_loop, display: CustomerDisplayWindow) -> None:
    watcher = InstallationWatcher(
        FakeStatusService([False]).fetch, PollingSchedule(first_delay_s=30)
    )
    controller = CustomerDisplayController(display, watcher)
    qt_loop.run(controller.show(HAND_OFF))
    qtbot.waitExposed(display)
    assert watcher.is_watching

    with qtbot.waitSignal(controller.screen_lost) as lost:
        controller.on_screen_removed(display.screen())

    assert lost.args == [display.screen().name()]
    assert not display.isVisible()
    assert display.hand_off is None
    assert not watcher.is_watching


def test_other_screen_removed_ignored(qtbot, qt_loop, display: CustomerDisplayWindow) -> None:
    watcher = InstallationWatcher(
        FakeStatusService([False]).fetch, PollingSchedule(first_delay_s=30)
    )
    controller = CustomerDisplayController(display, watcher)
    qt_loop.run(controller.show(HAND_OFF))
    qtbot.waitExposed(display)

    class UnpluggedScreen:
        def name(self) -> str:
            return "Unplugged"

    controller.on_screen_removed(UnpluggedScreen())

    assert display.isVisible()
    assert display.hand_off == HAND_OFF
    watcher.stop()
