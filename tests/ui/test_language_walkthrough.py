"""An Arabic console and a Spanish customer display sell one eSIM in training mode.

The operator picks Arabic in the settings dialog and restarts the console,
because the operator language applies after a restart. The walk-through
then searches the catalog, buys a package, and shows the eSIM on the
customer display switched to Spanish.
Every screen it visits passes the layout checks. Codes and amounts read
left to right inside the mirrored interface. The customer display shows
Spanish text without prices, and its QR code decodes to the order's LPA string.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel, QWidget

from esimfly_desktop.i18n import current_language, set_language
from esimfly_desktop.i18n.bidi import FSI, LRI, PDI, RLI, strip_isolates
from esimfly_desktop.i18n.qt_translations import apply_language_to_qt
from esimfly_desktop.sandbox.config import PENDING_PROVIDER
from esimfly_desktop.services.settings import SettingsStore
from esimfly_desktop.storage.paths import DataFolders
from esimfly_desktop.ui.app_controller import AppController
from esimfly_desktop.ui.catalog.table_model import Column
from esimfly_desktop.ui.customer_display import customer_texts
from esimfly_desktop.ui.customer_display.display_window import CustomerDisplayWindow
from esimfly_desktop.ui.settings_dialog import SettingsDialog
from tests.i18n.layout_checks import find_layout_problems, format_problems
from tests.ui.console_fixtures import CATALOG_TIMEOUT_MS, training_options
from tests.ui.qr_decoding import decode_qr_texts

REPO_ROOT = Path(__file__).resolve().parents[2]
SALE_TIMEOUT_MS = 20_000
SHUTDOWN_TIMEOUT_S = 15
CONSOLE_RUN_TIMEOUT_S = 60
ARABIC_LETTER = re.compile("[\u0600-\u06ff]")
# A price on the customer display would show a currency code or symbol next to digits.
PRICE_PATTERN = re.compile(
    r"\d[\d.,\s]*\s?(US\$|\$|€|USD|EUR|IQD|د\.ع)|(US\$|\$|€|USD|EUR|IQD)\s?\d"
)
# "Japan" as CLDR names it in Arabic: the catalog searches country names in the operator's language.
JAPAN_IN_ARABIC = "اليابان"


@pytest.fixture
def language_restored(qapp) -> Iterator[None]:
    """Put the operator's language and Qt back to English after the test."""
    previous = current_language()
    yield
    set_language(previous)
    apply_language_to_qt(previous)


def start_console(qt_loop, qtbot, data_dir: Path) -> AppController:
    folders = DataFolders(data_dir)
    settings = SettingsStore(folders.settings_file).load_sync().settings
    controller = AppController(training_options(data_dir, settings))
    qt_loop.run(controller.start())
    model = controller.window.catalog_view.model
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=CATALOG_TIMEOUT_MS)
    qtbot.waitUntil(lambda: controller.sales is not None, timeout=CATALOG_TIMEOUT_MS)
    return controller


def choose_operator_language(qtbot, controller: AppController, language: str) -> None:
    """Open Settings from the File menu, pick ``language`` on the Languages tab, and save."""
    window = controller.window
    window.settings_action.trigger()
    qtbot.waitUntil(lambda: visible_settings_dialog(window) is not None, timeout=5000)
    dialog = visible_settings_dialog(window)
    assert dialog is not None

    dialog.tabs.setCurrentIndex(dialog.tabs.count() - 1)
    box = dialog.operator_language_box
    box.setCurrentIndex(box.findData(language))
    assert_layout_fits(dialog, "settings")
    save_button = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(save_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: controller.settings.operator_language == language, timeout=5000)


def visible_settings_dialog(window: QWidget) -> SettingsDialog | None:
    dialogs = [dialog for dialog in window.findChildren(SettingsDialog) if dialog.isVisible()]
    return dialogs[0] if dialogs else None


def restart_in_saved_language(data_dir: Path) -> str:
    """Apply the saved operator language the way the console does when it starts."""
    settings = SettingsStore(DataFolders(data_dir).settings_file).load_sync().settings
    language = settings.effective_operator_language
    set_language(language)
    apply_language_to_qt(language)
    return language


def assert_layout_fits(widget: QWidget, screen: str) -> None:
    problems = find_layout_problems(widget)
    assert problems == [], f"{screen}:\n{format_problems(problems)}"


def reads_left_to_right(widget: QWidget, value: str) -> bool:
    """Return whether ``value`` shown in ``widget`` keeps its left-to-right order.

    Either the widget itself is left to right, or the value sits inside a
    left-to-right isolate in the widget's text.
    """
    text = widget_text(widget)
    if widget.layoutDirection() == Qt.LayoutDirection.LeftToRight:
        # Qt takes a label's text direction from its first strong character,
        # so a leading right-to-left mark turns it around even here.
        return value in strip_isolates(text) and first_strong_direction(text) != "R"
    return is_isolated(text, value)


def is_isolated(text: str, value: str) -> bool:
    """Return whether ``value`` appears inside a left-to-right isolate of ``text``."""
    # Babel's Arabic money format starts with a right-to-left mark, inside the isolate.
    isolated = re.findall(f"{LRI}(.*?){PDI}", text)
    return value in [strip_isolates(part) for part in isolated]


def first_strong_direction(text: str) -> str:
    """Return "L", "R" or "" for the first strong character outside isolates."""
    depth = 0
    for character in text:
        if character in (LRI, RLI, FSI):
            depth += 1
        elif character == PDI:
            depth = max(depth - 1, 0)
        elif depth == 0:
            direction = unicodedata.bidirectional(character)
            if direction == "L":
                return "L"
            if direction in ("R", "AL"):
                return "R"
    return ""


def widget_text(widget: QWidget) -> str:
    text = getattr(widget, "text", None)
    return text() if callable(text) else ""


def type_with_keyboard_layout(widget: QWidget, text: str) -> None:
    """Enter non-Latin text as the system's input method commits it.

    QTest key clicks take only ASCII keys (an Arabic letter aborts the test
    process), so the letters arrive as an input method commits them.
    """
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def first_instant_package_row(view) -> int:
    return next(
        row
        for row in range(view.model.rowCount())
        if view.model.package_at(row).provider != PENDING_PROVIDER
    )


def customer_display_texts(display: CustomerDisplayWindow) -> list[str]:
    labels = display.findChildren(QLabel)
    return [label.text() for label in labels if label.isVisible() and label.text()]


def test_walkthrough_arabic_console_spanish_customer(
    qt_loop, qtbot, tmp_path, language_restored
) -> None:
    data_dir = tmp_path / "data"

    # The operator picks Arabic in English settings, then restarts.
    english = start_console(qt_loop, qtbot, data_dir)
    choose_operator_language(qtbot, english, "ar")
    qt_loop.run(english.shutdown(), timeout=SHUTDOWN_TIMEOUT_S)
    assert restart_in_saved_language(data_dir) == "ar"
    console = start_console(qt_loop, qtbot, data_dir)
    try:
        walk_through_sale(console, qtbot)
    finally:
        qt_loop.run(console.shutdown(), timeout=SHUTDOWN_TIMEOUT_S)


def walk_through_sale(console: AppController, qtbot) -> None:
    window = console.window
    sales = console.sales
    assert sales is not None

    # Main window: mirrored, Qt's own strings in Arabic.
    assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert window.isRightToLeft()
    assert ARABIC_LETTER.search(window.windowTitle())
    qt_cancel = QCoreApplication.translate("QPlatformTheme", "Cancel")
    assert ARABIC_LETTER.search(qt_cancel)
    balance_label = window.balance_widget.amount_label
    qtbot.waitUntil(lambda: "1,000.00" in balance_label.text(), timeout=SALE_TIMEOUT_MS)
    assert reads_left_to_right(balance_label, strip_isolates(balance_label.text()).split(": ")[-1])

    # Search the catalog by the country's Arabic name and pick a package.
    view = window.catalog_view
    catalog = console.catalog
    assert catalog is not None
    qtbot.waitUntil(lambda: not catalog.sync.is_running, timeout=CATALOG_TIMEOUT_MS)
    all_rows = view.model.rowCount()
    type_with_keyboard_layout(view.filter_bar.search_box, JAPAN_IN_ARABIC)
    qtbot.waitUntil(lambda: 0 < view.model.rowCount() < all_rows, timeout=5000)
    found = [view.model.package_at(row) for row in range(view.model.rowCount())]
    assert all("JP" in package.countries for package in found)
    window.activateWindow()
    qtbot.keyClick(view.filter_bar.search_box, Qt.Key.Key_Down)
    assert view.table.hasFocus()
    assert view.selected_package() == view.model.package_at(0)
    row = first_instant_package_row(view)
    package = view.model.package_at(row)
    view.table.scrollTo(view.model.index(row, 0))
    cell = view.table.visualRect(view.model.index(row, 0))
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=cell.center())
    assert view.selected_package() == package
    cost_cell = view.model.data(view.model.index(row, Column.COST))
    assert is_isolated(cost_cell, strip_isolates(cost_cell))
    assert_layout_fits(window, "main window")

    # Order dialog: Arabic, mirrored, code and amounts left to right.
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    purchase = sales.purchase
    qtbot.waitUntil(lambda: purchase.dialog is not None and purchase.dialog.isVisible())
    dialog = purchase.dialog
    assert dialog.isRightToLeft()
    assert_layout_fits(dialog, "order dialog")
    assert reads_left_to_right(dialog.package_code_label, package.package_code)
    for amount_label in (dialog.unit_cost_label, dialog.total_label, dialog.balance_label):
        assert reads_left_to_right(amount_label, strip_isolates(amount_label.text()))
    cancel = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    assert cancel.text() == qt_cancel

    # Buy: the progress view ends with the eSIM card.
    qtbot.mouseClick(dialog.buy_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(purchase.views) == 1, timeout=2000)
    progress = purchase.views[0]
    qtbot.waitUntil(lambda: len(progress.esim_cards()) == 1, timeout=SALE_TIMEOUT_MS)
    assert progress.outcome is not None and progress.outcome.order is not None
    lpa_string = progress.outcome.order.esims[0].lpa_string
    card = progress.esim_cards()[0]
    hand_off = card.hand_off
    assert hand_off is not None
    assert hand_off.lpa_string == lpa_string
    qtbot.waitExposed(progress)
    assert progress.isRightToLeft()
    assert_layout_fits(progress, "purchase progress")
    assert reads_left_to_right(card.iccid_label, hand_off.iccid)
    assert reads_left_to_right(card.smdp_field.edit, hand_off.smdp_address)
    assert reads_left_to_right(card.matching_id_field.edit, hand_off.matching_id)

    # The eSIM goes to the customer display, which the customer switches to Spanish in one click.
    display = sales.display_window
    spanish = next(
        button
        for button in display.language_buttons.buttons()
        if button.property("language_code") == "es"
    )
    qtbot.mouseClick(card.show_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: display.hand_off is not None, timeout=SALE_TIMEOUT_MS)
    qtbot.mouseClick(spanish, Qt.MouseButton.LeftButton)
    check_customer_display(display, lpa_string, hand_off.smdp_address, hand_off.matching_id)


def check_customer_display(
    display: CustomerDisplayWindow, lpa_string: str, smdp_address: str, matching_id: str
) -> None:
    assert display.language == "es"
    assert display.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert display.scan_label.text() == customer_texts.translate(customer_texts.SCAN_TITLE, "es")
    assert display.scan_label.text() != customer_texts.translate(customer_texts.SCAN_TITLE, "en")
    assert display.iphone_steps.text() != customer_texts.translate(
        customer_texts.IPHONE_STEPS, "en"
    )
    texts = customer_display_texts(display)
    assert not any(ARABIC_LETTER.search(text) for text in texts)
    assert [text for text in texts if PRICE_PATTERN.search(text)] == []
    assert_layout_fits(display, "customer display")

    # The codes are shown whole and left to right; the QR code is the order's LPA string.
    for code_label, value in (
        (display.smdp_code, smdp_address),
        (display.activation_code, matching_id),
    ):
        assert code_label.text() == value
        assert code_label.layoutDirection() == Qt.LayoutDirection.LeftToRight
        needed = code_label.fontMetrics().horizontalAdvance(value)
        assert needed <= code_label.contentsRect().width()
    assert decode_qr_texts(display.grab().toImage()) == [lpa_string]


def test_console_started_in_arabic_loads_qt_strings(tmp_path) -> None:
    """Started with ``--language ar``, the console loads Qt's Arabic strings."""
    data_dir = tmp_path / "data"
    environment = dict(os.environ)
    environment["QT_QPA_PLATFORM"] = "offscreen"
    environment["ESIMFLY_EXIT_AFTER_FIRST_PAINT"] = "1"
    command = [sys.executable, "-m", "esimfly_desktop", "--training", "--data-dir", str(data_dir)]

    result = subprocess.run(
        [*command, "--language", "ar"],
        cwd=REPO_ROOT,
        env=environment,
        capture_output=True,
        timeout=CONSOLE_RUN_TIMEOUT_S,
    )

    assert result.returncode == 0
    logs = "".join(path.read_text(encoding="utf-8") for path in (data_dir / "logs").glob("*"))
    assert "Qt set to ar (Qt strings translated: True)" in logs
