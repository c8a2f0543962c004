"""Opening the live profile, and the first-run choice: connect a live account or train.

No request leaves the console until the chosen profile has credentials: the
dialog appears instead, and only a saved (or session-only) secret key, or
the switch to training, lets the run continue.
"""

from __future__ import annotations

import enum
import logging
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from esimfly_desktop.i18n import _
from esimfly_desktop.services.profiles import check_ready, find_profile, live_base_url
from esimfly_desktop.ui.async_dialogs import show_dialog
from esimfly_desktop.ui.controllers.profile_session import (
    ProfileSession,
    open_live_session,
    open_training_session,
)

if TYPE_CHECKING:
    from esimfly_desktop.ui.app_controller import AppController

log = logging.getLogger(__name__)

# The operator may cancel the account dialog this many times before the console waits idle.
MAX_ACCOUNT_ATTEMPTS = 5


class FirstRunChoice(enum.IntEnum):
    CANCELLED = 0
    CONNECT_LIVE = 1
    START_TRAINING = 2


class FirstRunDialog(QDialog):
    """Asks whether to connect a live account or to start training."""

    def __init__(self, reason: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Welcome to eSIMfly Desktop"))
        self.setAccessibleName(_("Welcome"))

        text = QLabel(
            reason
            or _(
                "Connect your eSIMfly Business account to sell for real, or start "
                "training to learn the console with a practice account."
            )
        )
        text.setWordWrap(True)

        self.live_button = QPushButton(_("&Connect a live account…"))
        self.live_button.setAccessibleName(_("Connect a live account"))
        self.live_button.clicked.connect(lambda: self.done(FirstRunChoice.CONNECT_LIVE))
        self.training_button = QPushButton(_("Start &training (no real orders)"))
        self.training_button.setAccessibleName(_("Start training"))
        self.training_button.clicked.connect(lambda: self.done(FirstRunChoice.START_TRAINING))

        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.live_button)
        layout.addWidget(self.training_button)


async def open_live_profile_or_switch(controller: AppController) -> ProfileSession | None:
    """Open the last live profile if it has credentials; otherwise ask the operator."""
    settings = controller.settings
    name = settings.last_profile or next(
        (account.profile_name for account in settings.live_accounts), None
    )
    profile = find_profile(settings, controller.folders, name) if name else None
    reason = ""

    if profile is not None and not profile.is_training:
        readiness = await check_ready(profile, controller.secret_store)
        base_url = live_base_url(profile, settings)
        if readiness.ready and readiness.credentials is not None and base_url is not None:
            return await open_live_session(
                controller.folders, profile.name, base_url, readiness.credentials
            )
        reason = readiness.reason or ""

    return await _ask_until_ready(controller, reason)


async def _ask_until_ready(controller: AppController, reason: str) -> ProfileSession | None:
    from esimfly_desktop.ui.settings_dialog import edit_settings

    for _attempt in range(MAX_ACCOUNT_ATTEMPTS):
        dialog = FirstRunDialog(reason, controller.window)
        choice = await show_dialog(dialog)
        dialog.deleteLater()

        if choice == FirstRunChoice.START_TRAINING:
            controller.switch_to_training()
            return await open_training_session(controller.folders)
        if choice != FirstRunChoice.CONNECT_LIVE:
            break

        await edit_settings(controller)
        session = await _open_saved_account(controller)
        if session is not None:
            return session
        reason = _("The account is not connected yet. Enter its access code and secret key.")

    log.info("No profile opened: the operator did not connect an account")
    controller.window.show_status(
        _("Not connected. Open File → Settings to connect an account, or restart in training.")
    )
    return None


async def _open_saved_account(controller: AppController) -> ProfileSession | None:
    settings = controller.settings
    if settings.last_profile is None:
        return None
    profile = find_profile(settings, controller.folders, settings.last_profile)
    if profile is None:
        return None
    readiness = await check_ready(profile, controller.secret_store)
    base_url = live_base_url(profile, settings)
    if not readiness.ready or readiness.credentials is None or base_url is None:
        return None
    return await open_live_session(
        controller.folders, profile.name, base_url, readiness.credentials
    )
