"""The Account tab of the settings dialog: environment, credentials and the connection test."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QPushButton, QWidget

from esimfly_desktop.api.signing import Credentials
from esimfly_desktop.i18n import _
from esimfly_desktop.services.settings import Environment
from esimfly_desktop.ui.settings_account import AccountTester, ConnectionTestResult

ERROR_COLOR = "#b00020"


class AccountTab(QWidget):
    """The account's environment and credentials, with the outcome of the last connection test.

    The outcome is forgotten when the access code, secret key or base URL
    changes, because it no longer describes what would be saved.
    """

    def __init__(
        self,
        environment: Environment,
        access_code: str,
        base_url_override: str | None,
        tester: AccountTester | None,
        *,
        has_saved_key: bool,
        environment_note: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._tester = tester
        self.last_test: ConnectionTestResult | None = None
        self._tested: tuple[Credentials, str | None] | None = None
        self._hint_shown = False
        form = QFormLayout(self)

        self.environment_box = QComboBox()
        self.environment_box.setAccessibleName(_("Environment"))
        self.environment_box.addItem(_("Live: real orders and charges"), Environment.LIVE)
        self.environment_box.addItem(_("Training: no real orders"), Environment.TRAINING)
        self.environment_box.setCurrentIndex(self.environment_box.findData(environment))
        form.addRow(_("Environment:"), self.environment_box)
        self.environment_note = QLabel(environment_note)
        self.environment_note.setAccessibleName(_("About the environment"))
        self.environment_note.setWordWrap(True)
        self.environment_note.setVisible(bool(environment_note))
        form.addRow(self.environment_note)

        self.access_code_edit = QLineEdit(access_code)
        self.access_code_edit.setAccessibleName(_("Access code"))
        self.access_code_edit.setPlaceholderText("esf_…")
        form.addRow(_("Access code:"), self.access_code_edit)

        self.secret_key_edit = QLineEdit()
        self.secret_key_edit.setAccessibleName(_("Secret key"))
        self.secret_key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        if has_saved_key:
            self.secret_key_edit.setPlaceholderText(_("Leave empty to keep the saved key"))
        else:
            self.secret_key_edit.setPlaceholderText(
                _("From the eSIMfly dashboard, where it is shown once")
            )
        form.addRow(_("Secret key:"), self.secret_key_edit)

        self.base_url_edit = QLineEdit(base_url_override or "")
        self.base_url_edit.setAccessibleName(_("Base URL override"))
        self.base_url_edit.setPlaceholderText(_("Empty: the eSIMfly service"))
        form.addRow(_("Base URL override:"), self.base_url_edit)

        self.test_button = QPushButton(_("&Test connection"))
        self.test_button.setAccessibleName(_("Test connection"))
        self.test_button.clicked.connect(self.start_test)
        form.addRow(self.test_button)
        # A row of its own, so a long message wraps across the whole tab.
        self.test_result = QLabel()
        self.test_result.setAccessibleName(_("Connection test result"))
        self.test_result.setWordWrap(True)
        form.addRow(self.test_result)

        for edit in (self.access_code_edit, self.secret_key_edit, self.base_url_edit):
            edit.textChanged.connect(self._on_account_edited)

    def entered_credentials(self) -> Credentials | None:
        """Return the access code and secret key when both were typed, else None."""
        access_code = self.access_code_edit.text().strip()
        secret_key = self.secret_key_edit.text().strip()
        if not access_code or not secret_key:
            return None
        return Credentials(access_code, secret_key)

    def base_url_override(self) -> str | None:
        return self.base_url_edit.text().strip() or None

    @property
    def last_test_failed(self) -> bool:
        return self.last_test is not None and not self.last_test.succeeded

    def start_test(self) -> None:
        credentials = self.entered_credentials()
        if self._tester is None or credentials is None:
            self._show_result(_("Enter the access code and the secret key first."))
            self._hint_shown = True
            return

        self._show_result(_("Testing…"))
        self.test_button.setEnabled(False)
        self._tested = (credentials, self.base_url_override())
        self._tester.start(self.base_url_override(), credentials, self._show_test)

    def _show_test(self, result: ConnectionTestResult) -> None:
        self.test_button.setEnabled(True)
        self._show_result(result.message, result.detail, failed=not result.succeeded)
        # A result for values edited while the test ran does not describe what would be saved.
        if self._tested == (self.entered_credentials(), self.base_url_override()):
            self.last_test = result

    def _show_result(self, message: str, detail: str = "", *, failed: bool = False) -> None:
        self._hint_shown = False
        self.test_result.setText(message)
        self.test_result.setToolTip(detail)
        self.test_result.setAccessibleDescription(detail)
        self.test_result.setStyleSheet(f"color: {ERROR_COLOR};" if failed else "")

    def _on_account_edited(self, _text: str) -> None:
        if self.last_test is not None:
            self.last_test = None
            self._show_result("")
        if self._hint_shown and self.entered_credentials() is not None:
            self._show_result("")
