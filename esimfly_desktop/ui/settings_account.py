"""The account part of settings: test a connection, save credentials to the keyring."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtWidgets import QWidget

from esimfly_desktop.api.client import EsimflyClient
from esimfly_desktop.api.errors import EsimflyError
from esimfly_desktop.api.signing import Credentials
from esimfly_desktop.i18n import _
from esimfly_desktop.services.profiles import LIVE_BASE_URL, live_account_entry, live_profile
from esimfly_desktop.services.secrets import SecretStore, SecretStoreError
from esimfly_desktop.services.settings import Settings
from esimfly_desktop.storage.paths import DataFolders
from esimfly_desktop.ui.async_dialogs import ask_question
from esimfly_desktop.ui.formatting import money

log = logging.getLogger(__name__)

# A connection test waits at most this long for the balance request.
TEST_TIMEOUT_S = 15.0


class AccountTester:
    """Runs one "test connection" request at a time and reports a message for the operator."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self.task: asyncio.Task[str] | None = None

    def start(
        self,
        base_url_override: str | None,
        credentials: Credentials,
        on_done: Callable[[str], None],
    ) -> asyncio.Task[str]:
        if self.task is not None and not self.task.done():
            return self.task
        base_url = base_url_override or self._settings.base_url_override or LIVE_BASE_URL
        self.task = asyncio.ensure_future(test_connection(base_url, credentials))
        self.task.add_done_callback(lambda task: on_done(_result_text(task)))
        return self.task


async def test_connection(base_url: str, credentials: Credentials) -> str:
    """Request the balance with ``credentials``; return a message saying what happened."""
    try:
        client = await EsimflyClient.open(base_url, credentials)
    except EsimflyError as error:
        return _("Connection test failed: {error}").format(error=error)

    try:
        balance = await asyncio.wait_for(client.get_balance(), TEST_TIMEOUT_S)
    except TimeoutError:
        return _("Connection test timed out after {seconds} s. Check the network.").format(
            seconds=int(TEST_TIMEOUT_S)
        )
    except EsimflyError as error:
        log.info("Connection test failed (request id %s)", getattr(error, "request_id", None))
        return _("Connection test failed: {error}").format(error=error)
    finally:
        await client.aclose()

    return _("Connected. Balance: {amount}").format(amount=money(balance.amount, balance.currency))


def _result_text(task: asyncio.Task[str]) -> str:
    if task.cancelled():
        return _("Connection test cancelled.")
    error = task.exception()
    if error is not None:
        log.error("Connection test failed unexpectedly", exc_info=error)
        return _("Connection test failed: {error}").format(error=type(error).__name__)
    return task.result()


async def save_account(
    parent: QWidget | None,
    settings: Settings,
    credentials: Credentials,
    secret_store: SecretStore,
    folders: DataFolders,
) -> Settings | None:
    """Store the credentials in the keyring and return settings that list the account.

    When the keyring fails, the operator may use the key for this session
    only; nothing is written anywhere then. Returns None when the operator
    declines, so the caller saves nothing.
    """
    profile = live_profile(folders, credentials.access_code, LIVE_BASE_URL)
    try:
        await secret_store.save(profile.name, credentials)
    except SecretStoreError as error:
        log.warning("Saving credentials of %s failed: %s", profile.name, type(error).__name__)
        use_for_session = await ask_question(
            parent,
            _("Secret key not saved"),
            _(
                "{reason}\n\nThe secret key was not saved. Use it for this session only? "
                "You will have to enter it again after a restart."
            ).format(reason=error),
        )
        if not use_for_session:
            return None
        secret_store.keep_for_session(profile.name, credentials)

    updated = settings.with_live_account(live_account_entry(profile))
    return replace(updated, last_profile=profile.name)
