"""The settings dialog: values, validation, test connection and the keyring, never the file."""

from __future__ import annotations

from decimal import Decimal

from keyring.backends import SecretService, null
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from esimfly_desktop.api.signing import Credentials
from esimfly_desktop.services.pricing import Rounding
from esimfly_desktop.services.secrets import SecretStore
from esimfly_desktop.services.settings import Environment, Settings, SettingsStore
from esimfly_desktop.storage.paths import DataFolders, live_profile_name
from esimfly_desktop.ui.settings_account import AccountTester, save_account
from esimfly_desktop.ui.settings_dialog import SettingsDialog

SECRET = "sk_settings_dialog_test_secret"
ACCESS_CODE = "esf_settings_dialog_0001"


def make_dialog(qtbot, settings: Settings | None = None, tester=None) -> SettingsDialog:
    dialog = SettingsDialog(settings or Settings(), tester=tester)
    qtbot.addWidget(dialog)
    return dialog


def test_dialog_shows_current_values(qtbot):
    settings = Settings(
        operator_name="Dana",
        markup_percent=Decimal("25"),
        markup_rounding=Rounding.TO_0_50,
        low_balance_threshold=Decimal("80"),
        catalog_refresh_hours=12,
        customer_display_language="ar",
    )

    dialog = make_dialog(qtbot, settings)

    assert dialog.operator_edit.text() == "Dana"
    assert dialog.markup_edit.text() == "25"
    assert dialog.rounding_box.currentData() is Rounding.TO_0_50
    assert dialog.threshold_edit.text() == "80"
    assert dialog.refresh_hours_box.value() == 12
    assert dialog.customer_language_box.currentData() == "ar"


def test_dialog_returns_edited_settings(qtbot):
    dialog = make_dialog(qtbot)

    dialog.operator_edit.setText("Sami")
    dialog.markup_edit.setText("12,5")
    dialog.rounding_box.setCurrentIndex(dialog.rounding_box.findData(Rounding.ENDING_99))
    dialog.threshold_edit.setText("150")
    dialog.refresh_hours_box.setValue(8)
    dialog.environment_box.setCurrentIndex(dialog.environment_box.findData(Environment.TRAINING))
    dialog.operator_language_box.setCurrentIndex(dialog.operator_language_box.findData("fr"))
    dialog.base_url_edit.setText("http://127.0.0.1:8123/api/v1/business")
    settings = dialog.result_settings()

    assert settings.operator_name == "Sami"
    assert settings.markup_percent == Decimal("12.5")
    assert settings.markup_rounding is Rounding.ENDING_99
    assert settings.low_balance_threshold == Decimal("150")
    assert settings.catalog_refresh_hours == 8
    assert settings.environment is Environment.TRAINING
    assert settings.operator_language == "fr"
    assert settings.base_url_override == "http://127.0.0.1:8123/api/v1/business"


def test_plain_http_base_url_rejected(qtbot):
    dialog = make_dialog(qtbot)
    dialog.open()

    dialog.base_url_edit.setText("http://shop.example/api")
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.LeftButton)

    assert dialog.isVisible()
    assert "https://" in dialog.error_label.text()


def test_save_accepts_valid_values(qtbot):
    dialog = make_dialog(qtbot)
    dialog.open()

    with qtbot.waitSignal(dialog.finished, timeout=1000) as blocker:
        qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.LeftButton)

    assert blocker.args == [QDialog.DialogCode.Accepted]


def test_escape_cancels(qtbot):
    dialog = make_dialog(qtbot)
    dialog.open()

    with qtbot.waitSignal(dialog.finished, timeout=1000) as blocker:
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    assert blocker.args == [QDialog.DialogCode.Rejected]


def test_secret_key_field_is_masked(qtbot):
    dialog = make_dialog(qtbot)

    assert dialog.secret_key_edit.echoMode() == dialog.secret_key_edit.EchoMode.Password


def test_credentials_need_both_fields(qtbot):
    dialog = make_dialog(qtbot)

    dialog.access_code_edit.setText(ACCESS_CODE)
    assert dialog.entered_credentials() is None

    dialog.secret_key_edit.setText(SECRET)
    assert dialog.entered_credentials() == Credentials(ACCESS_CODE, SECRET)


def test_connection_against_sandbox(qtbot, qt_loop, sandbox):
    tester = AccountTester(Settings(base_url_override=sandbox.base_url))
    dialog = make_dialog(qtbot, tester=tester)
    dialog.access_code_edit.setText(sandbox.access_code)
    dialog.secret_key_edit.setText(sandbox.secret)

    qtbot.mouseClick(dialog.test_button, Qt.LeftButton)

    qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=10_000)
    assert dialog.test_result.text().startswith("Connected. Balance:")


def test_connection_wrong_secret(qtbot, qt_loop, sandbox):
    tester = AccountTester(Settings(base_url_override=sandbox.base_url))
    dialog = make_dialog(qtbot, tester=tester)
    dialog.access_code_edit.setText(sandbox.access_code)
    dialog.secret_key_edit.setText("sk_wrong_secret_for_test")

    qtbot.mouseClick(dialog.test_button, Qt.LeftButton)

    qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=10_000)
    assert dialog.test_result.text().startswith("Connection test failed")
    assert "sk_wrong_secret_for_test" not in dialog.test_result.text()


def test_save_account_keeps_secret_out_of_file(qt_loop, tmp_path, secret_service):
    folders = DataFolders(tmp_path)
    store = SecretStore(SecretService.Keyring(), service_name="esimfly-desktop-test-settings")
    settings_store = SettingsStore(folders.settings_file)

    settings = qt_loop.run(
        save_account(None, Settings(), Credentials(ACCESS_CODE, SECRET), store, folders)
    )
    qt_loop.run(settings_store.save(settings))

    profile = live_profile_name(ACCESS_CODE)
    assert settings.last_profile == profile
    assert [account.profile_name for account in settings.live_accounts] == [profile]
    assert qt_loop.run(store.load(profile)) == Credentials(ACCESS_CODE, SECRET)
    saved_text = folders.settings_file.read_text(encoding="utf-8")
    assert SECRET not in saved_text


def visible_message_box(parent: QWidget) -> QMessageBox | None:
    boxes = [box for box in parent.findChildren(QMessageBox) if box.isVisible()]
    return boxes[0] if boxes else None


def test_keyring_failure_offers_session_only(qt_loop, qtbot, tmp_path):
    parent = QWidget()
    qtbot.addWidget(parent)
    store = SecretStore(null.Keyring())
    credentials = Credentials(ACCESS_CODE, SECRET)

    task = qt_loop.create_task(
        save_account(parent, Settings(), credentials, store, DataFolders(tmp_path))
    )
    qtbot.waitUntil(lambda: visible_message_box(parent) is not None)
    visible_message_box(parent).button(QMessageBox.StandardButton.Yes).click()
    settings = qt_loop.run(task)

    profile = live_profile_name(ACCESS_CODE)
    assert settings is not None
    assert settings.last_profile == profile
    assert store.session.get(profile) == credentials


def test_keyring_failure_declined_saves_nothing(qt_loop, qtbot, tmp_path):
    parent = QWidget()
    qtbot.addWidget(parent)
    store = SecretStore(null.Keyring())
    credentials = Credentials(ACCESS_CODE, SECRET)

    task = qt_loop.create_task(
        save_account(parent, Settings(), credentials, store, DataFolders(tmp_path))
    )
    qtbot.waitUntil(lambda: visible_message_box(parent) is not None)
    visible_message_box(parent).button(QMessageBox.StandardButton.No).click()

    assert qt_loop.run(task) is None
    assert store.session.get(live_profile_name(ACCESS_CODE)) is None
