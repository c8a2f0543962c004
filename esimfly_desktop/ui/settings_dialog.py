"""The settings dialog: account, environment, shop and languages.

The dialog only collects and checks values. ``edit_settings`` opens it
without a nested event loop, saves the account's secret key to the keyring
(never to the settings file) and hands the rest to the controller.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from esimfly_desktop.api.signing import Credentials
from esimfly_desktop.i18n import _
from esimfly_desktop.services.pricing import Rounding
from esimfly_desktop.services.settings import (
    MAX_REFRESH_HOURS,
    InvalidSettingError,
    Settings,
)
from esimfly_desktop.ui.async_dialogs import ask_question
from esimfly_desktop.ui.settings_account import AccountTester, save_account
from esimfly_desktop.ui.settings_account_tab import AccountTab

if TYPE_CHECKING:
    from esimfly_desktop.ui.app_controller import AppController

log = logging.getLogger(__name__)

# Languages the console ships catalogs for, with their own names.
LANGUAGES = (("en", "English"), ("ar", "العربية"), ("es", "Español"), ("fr", "Français"))
DECIMAL_PATTERN = QRegularExpression(r"\d{0,9}([.,]\d{0,4})?")


class SettingsDialog(QDialog):
    """Edits a copy of the settings; ``result_settings()`` returns the edited copy."""

    def __init__(
        self,
        settings: Settings,
        access_code: str = "",
        tester: AccountTester | None = None,
        parent: QWidget | None = None,
        *,
        has_saved_key: bool = False,
        environment_note: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Settings"))
        self.setAccessibleName(_("Settings"))
        self._settings = settings
        self._confirm_task: asyncio.Task[None] | None = None

        self.account_tab = AccountTab(
            settings.environment,
            access_code,
            settings.base_url_override,
            tester,
            has_saved_key=has_saved_key,
            environment_note=environment_note,
        )
        # The account tab's fields, by their earlier names on the dialog.
        self.environment_box = self.account_tab.environment_box
        self.environment_note = self.account_tab.environment_note
        self.access_code_edit = self.account_tab.access_code_edit
        self.secret_key_edit = self.account_tab.secret_key_edit
        self.base_url_edit = self.account_tab.base_url_edit
        self.test_button = self.account_tab.test_button
        self.test_result = self.account_tab.test_result

        tabs = QTabWidget()
        tabs.setAccessibleName(_("Settings sections"))
        tabs.addTab(self.account_tab, _("&Account"))
        tabs.addTab(self._build_shop_tab(), _("&Shop"))
        tabs.addTab(self._build_language_tab(), _("&Languages"))
        self.tabs = tabs

        self.error_label = QLabel()
        self.error_label.setAccessibleName(_("Settings error"))
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.setWordWrap(True)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept_if_valid)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons

        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

    # Sections -------------------------------------------------------------

    def _build_shop_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)

        self.operator_edit = QLineEdit(self._settings.operator_name)
        self.operator_edit.setAccessibleName(_("Operator name"))
        form.addRow(_("Operator name:"), self.operator_edit)

        self.markup_edit = _decimal_edit(self._settings.markup_percent, _("Markup in percent"))
        form.addRow(_("Markup (%):"), self.markup_edit)

        self.rounding_box = QComboBox()
        self.rounding_box.setAccessibleName(_("Retail price rounding"))
        for rounding in Rounding:
            self.rounding_box.addItem(rounding.label, rounding)
        self.rounding_box.setCurrentIndex(
            self.rounding_box.findData(self._settings.markup_rounding)
        )
        form.addRow(_("Rounding:"), self.rounding_box)

        self.threshold_edit = _decimal_edit(
            self._settings.low_balance_threshold, _("Low-balance warning threshold")
        )
        form.addRow(_("Warn when the balance is below:"), self.threshold_edit)

        self.refresh_hours_box = QSpinBox()
        self.refresh_hours_box.setAccessibleName(_("Catalog refresh interval in hours"))
        self.refresh_hours_box.setRange(1, MAX_REFRESH_HOURS)
        self.refresh_hours_box.setSuffix(_(" h"))
        self.refresh_hours_box.setValue(self._settings.catalog_refresh_hours)
        form.addRow(_("Refresh the catalog every:"), self.refresh_hours_box)
        return page

    def _build_language_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)

        self.operator_language_box = QComboBox()
        self.operator_language_box.setAccessibleName(_("Operator language"))
        self.operator_language_box.addItem(_("System language"), None)
        self.customer_language_box = QComboBox()
        self.customer_language_box.setAccessibleName(_("Customer display language"))
        for code, name in LANGUAGES:
            self.operator_language_box.addItem(name, code)
            self.customer_language_box.addItem(name, code)
        self.operator_language_box.setCurrentIndex(
            max(self.operator_language_box.findData(self._settings.operator_language), 0)
        )
        self.customer_language_box.setCurrentIndex(
            max(self.customer_language_box.findData(self._settings.customer_display_language), 0)
        )
        form.addRow(_("Operator language (after restart):"), self.operator_language_box)
        form.addRow(_("Customer display language:"), self.customer_language_box)
        return page

    # Values ---------------------------------------------------------------

    def result_settings(self) -> Settings:
        """Return the edited settings; raise InvalidSettingError for a value not allowed."""
        base_url = self.base_url_edit.text().strip() or None
        return replace(
            self._settings,
            environment=self.environment_box.currentData(),
            base_url_override=base_url,
            operator_name=self.operator_edit.text().strip(),
            markup_percent=_read_decimal("markup_percent", self.markup_edit),
            markup_rounding=self.rounding_box.currentData(),
            low_balance_threshold=_read_decimal("low_balance_threshold", self.threshold_edit),
            catalog_refresh_hours=self.refresh_hours_box.value(),
            operator_language=self.operator_language_box.currentData(),
            customer_display_language=self.customer_language_box.currentData(),
        )

    def entered_credentials(self) -> Credentials | None:
        """Return the access code and secret key when both were typed, else None."""
        return self.account_tab.entered_credentials()

    def _accept_if_valid(self) -> None:
        try:
            self.result_settings()
        except InvalidSettingError as error:
            self.error_label.setText(str(error))
            return
        self.error_label.clear()

        if not self.account_tab.last_test_failed:
            self.accept()
        elif self._confirm_task is None or self._confirm_task.done():
            self._confirm_task = asyncio.ensure_future(self._confirm_failed_test())

    async def _confirm_failed_test(self) -> None:
        """Ask before saving an account whose last connection test failed."""
        save_anyway = await ask_question(
            self,
            _("Connection test failed"),
            _(
                "The last connection test with these details failed. Orders and the "
                "balance will not work until the connection does. Save the settings anyway?"
            ),
        )
        log.info("Saving after a failed connection test: %s", "yes" if save_anyway else "no")
        if save_anyway:
            self.accept()


def _decimal_edit(value: Decimal, accessible_name: str) -> QLineEdit:
    edit = QLineEdit(str(value))
    edit.setAccessibleName(accessible_name)
    edit.setValidator(QRegularExpressionValidator(DECIMAL_PATTERN))
    return edit


def _read_decimal(name: str, edit: QLineEdit) -> Decimal:
    text = edit.text().strip().replace(",", ".")
    try:
        return Decimal(text or "0")
    except InvalidOperation:
        raise InvalidSettingError(
            name, _("{value} is not a number. Enter an amount such as 12.50.").format(value=text)
        ) from None


async def edit_settings(controller: AppController) -> None:
    """Open the settings dialog; on Save, store the secret key in the keyring and apply."""
    from esimfly_desktop.ui.async_dialogs import show_dialog

    session = controller.session
    is_live = session is not None and not session.is_training
    access_code = session.access_code if session is not None and is_live else ""
    dialog = SettingsDialog(
        controller.settings,
        access_code,
        AccountTester(controller.settings),
        controller.window,
        # An open live profile has its key in the keyring or kept for this session.
        has_saved_key=is_live,
        environment_note=environment_note(
            started_with_training=controller.options.is_training,
            profile_open=session is not None,
        ),
    )
    try:
        if not await show_dialog(dialog):
            return
        settings = dialog.result_settings()
        credentials = dialog.entered_credentials()
        if credentials is not None:
            with_account = await save_account(
                controller.window,
                settings,
                credentials,
                controller.secret_store,
                controller.folders,
            )
            if with_account is None:
                controller.window.show_status(_("Settings not saved."))
                return
            settings = with_account
        await controller.apply_settings(settings)
        controller.window.show_status(_("Settings saved."))
    finally:
        dialog.deleteLater()


def environment_note(*, started_with_training: bool, profile_open: bool) -> str:
    """Return the sentence under the environment field about when a change applies.

    The console reads the environment when it starts; only an account saved
    while no profile is open (the first run) is connected at once.
    """
    if started_with_training:
        return _(
            "This window runs in training mode because the console was started with "
            "--training. The environment chosen here is the default for later starts."
        )
    if profile_open:
        return _(
            "This window keeps its current account and environment. A change here "
            "takes effect the next time the console starts."
        )
    return _("A live account entered below is connected as soon as you save.")
