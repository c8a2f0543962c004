"""The Account tab as a new user meets it: hints, test results, saving after a failure."""

from __future__ import annotations

import socket
import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QMessageBox

from esimfly_desktop.services.settings import Settings
from esimfly_desktop.ui.settings_account import AccountTester
from esimfly_desktop.ui.settings_dialog import SettingsDialog, environment_note
from tests.ui.console_fixtures import training_console  # noqa: F401 (fixture)

SAVED_KEY_HINT = "Leave empty to keep the saved key"
FILL_BOTH_HINT = "Enter the access code and the secret key first."


def closed_loopback_url() -> str:
    """Return a base URL on 127.0.0.1 whose port nothing listens on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/api/v1/business"


def make_dialog(qtbot, base_url: str | None = None, **options) -> SettingsDialog:
    tester = AccountTester(Settings(base_url_override=base_url)) if base_url else None
    dialog = SettingsDialog(Settings(), tester=tester, **options)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def visible_question(dialog: QDialog) -> QMessageBox | None:
    boxes = [box for box in dialog.findChildren(QMessageBox) if box.isVisible()]
    return boxes[0] if boxes else None


def run_test(qtbot, dialog: SettingsDialog) -> None:
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.test_button.isEnabled, timeout=10_000)


def fill_failing_account(qtbot, dialog: SettingsDialog, sandbox) -> None:
    dialog.access_code_edit.setText(sandbox.access_code)
    dialog.secret_key_edit.setText("sk_wrong_secret_for_account_tab")
    run_test(qtbot, dialog)


def test_saved_key_hint_only_with_key(qtbot) -> None:
    without_key = make_dialog(qtbot)
    with_key = make_dialog(qtbot, has_saved_key=True)

    assert without_key.secret_key_edit.placeholderText() != SAVED_KEY_HINT
    assert without_key.secret_key_edit.placeholderText() != ""
    assert with_key.secret_key_edit.placeholderText() == SAVED_KEY_HINT


def test_fill_hint_hides_when_filled(qtbot, qt_loop, sandbox) -> None:
    dialog = make_dialog(qtbot, sandbox.base_url)

    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert dialog.test_result.text() == FILL_BOTH_HINT

    dialog.access_code_edit.setText(sandbox.access_code)
    assert dialog.test_result.text() == FILL_BOTH_HINT

    dialog.secret_key_edit.setText(sandbox.secret)
    assert dialog.test_result.text() == ""


def test_unreachable_service_message(qtbot, qt_loop) -> None:
    dialog = make_dialog(qtbot, closed_loopback_url())
    dialog.access_code_edit.setText("esf_account_tab_0001")
    dialog.secret_key_edit.setText("sk_account_tab_secret")

    started = time.monotonic()
    run_test(qtbot, dialog)
    elapsed_s = time.monotonic() - started

    text = dialog.test_result.text()
    assert text.startswith("Connection test failed. The eSIMfly service cannot be reached.")
    assert text.endswith(".")
    assert "ConnectError" not in text
    assert "ConnectError" in dialog.test_result.toolTip()
    assert "sk_account_tab_secret" not in text + dialog.test_result.toolTip()
    assert dialog.test_result.wordWrap()
    assert elapsed_s < 4.0


def test_wrong_secret_message(qtbot, qt_loop, sandbox) -> None:
    dialog = make_dialog(qtbot, sandbox.base_url)

    fill_failing_account(qtbot, dialog, sandbox)

    text = dialog.test_result.text()
    assert text.startswith("Connection test failed. The service rejected the request's signature")
    assert "Request ID:" not in text
    assert "Request ID:" in dialog.test_result.toolTip()
    assert "sk_wrong_secret_for_account_tab" not in text + dialog.test_result.toolTip()


def test_save_after_failed_test_asks(qtbot, qt_loop, sandbox) -> None:
    dialog = make_dialog(qtbot, sandbox.base_url)
    fill_failing_account(qtbot, dialog, sandbox)

    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    qtbot.waitUntil(lambda: visible_question(dialog) is not None, timeout=2_000)
    visible_question(dialog).button(QMessageBox.StandardButton.No).click()
    # The question box is deleted once the answer has been handled.
    qtbot.waitUntil(lambda: not dialog.findChildren(QMessageBox), timeout=2_000)

    assert dialog.isVisible()

    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    qtbot.waitUntil(lambda: visible_question(dialog) is not None, timeout=2_000)
    with qtbot.waitSignal(dialog.finished, timeout=2_000) as finished:
        visible_question(dialog).button(QMessageBox.StandardButton.Yes).click()

    assert finished.args == [QDialog.DialogCode.Accepted]


def test_edit_after_failure_saves_directly(qtbot, qt_loop, sandbox) -> None:
    dialog = make_dialog(qtbot, sandbox.base_url)
    fill_failing_account(qtbot, dialog, sandbox)

    dialog.secret_key_edit.setText(sandbox.secret)
    with qtbot.waitSignal(dialog.finished, timeout=2_000) as finished:
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()

    assert finished.args == [QDialog.DialogCode.Accepted]
    assert dialog.test_result.text() == ""


def test_successful_test_saves_directly(qtbot, qt_loop, sandbox) -> None:
    dialog = make_dialog(qtbot, sandbox.base_url)
    dialog.access_code_edit.setText(sandbox.access_code)
    dialog.secret_key_edit.setText(sandbox.secret)
    run_test(qtbot, dialog)

    with qtbot.waitSignal(dialog.finished, timeout=2_000) as finished:
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()

    assert dialog.test_result.text().startswith("Connected. Balance:")
    assert finished.args == [QDialog.DialogCode.Accepted]


def test_environment_label_and_notes(qtbot) -> None:
    note = environment_note(started_with_training=True, profile_open=True)
    dialog = make_dialog(qtbot, environment_note=note)
    form = dialog.account_tab.layout()
    assert isinstance(form, QFormLayout)
    label = form.labelForField(dialog.environment_box)
    assert isinstance(label, QLabel)

    assert label.text() == "Environment:"
    assert dialog.environment_note.isVisible()
    assert "--training" in dialog.environment_note.text()
    assert "next time the console starts" in environment_note(
        started_with_training=False, profile_open=True
    )
    assert "as soon as you save" in environment_note(
        started_with_training=False, profile_open=False
    )


def test_environment_note_hidden_when_empty(qtbot) -> None:
    dialog = make_dialog(qtbot)

    assert not dialog.environment_note.isVisible()


def test_training_console_explains_flag(training_console, qtbot) -> None:  # noqa: F811
    window = training_console.window

    training_console.open_settings()
    qtbot.waitUntil(
        lambda: any(dialog.isVisible() for dialog in window.findChildren(SettingsDialog)),
        timeout=5_000,
    )
    dialog = next(dialog for dialog in window.findChildren(SettingsDialog) if dialog.isVisible())

    assert "started with --training" in dialog.environment_note.text()
    assert dialog.environment_note.isVisible()
    assert dialog.secret_key_edit.placeholderText() != SAVED_KEY_HINT
    with qtbot.waitSignal(dialog.finished, timeout=2_000):
        dialog.reject()
