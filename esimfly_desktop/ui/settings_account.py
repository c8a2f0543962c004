"""The account part of settings: test a connection, save credentials to the keyring."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace

from PySide6.QtWidgets import QWidget

from esimfly_desktop.api.client import EsimflyClient
from esimfly_desktop.api.errors import EsimflyError
from esimfly_desktop.api.retry import RetryPolicy
from esimfly_desktop.api.signing import Credentials
from esimfly_desktop.i18n import _
from esimfly_desktop.i18n.error_messages import explain_error
from esimfly_desktop.services.profiles import LIVE_BASE_URL, live_account_entry, live_profile
from esimfly_desktop.services.secrets import SecretStore, SecretStoreError
from esimfly_desktop.services.settings import Settings
from esimfly_desktop.storage.paths import DataFolders
from esimfly_desktop.ui.async_dialogs import ask_question
from esimfly_desktop.ui.formatting import money

log = logging.getLogger(__name__)

# A connection test waits at most this long for the balance request.
TEST_TIMEOUT_S = 15.0
# One repeat after a network failure: the operator is waiting for a yes or no,
# and the console's usual repeats take several seconds to fail.
TEST_RETRY_POLICY = RetryPolicy(max_failure_retries=1, max_rate_limit_retries=0)


@dataclass(frozen=True)
class ConnectionTestResult:
    """The outcome of a connection test: a message for the operator and its technical detail."""

    succeeded: bool
    message: str
    detail: str = ""


class AccountTester:
    """Runs one "test connection" request at a time and reports the result for the operator."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self.task: asyncio.Task[ConnectionTestResult] | None = None

    def start(
        self,
        base_url_override: str | None,
        credentials: Credentials,
        on_done: Callable[[ConnectionTestResult], None],
    ) -> asyncio.Task[ConnectionTestResult]:
        if self.task is not None and not self.task.done():
            return self.task
        base_url = base_url_override or self._settings.base_url_override or LIVE_BASE_URL
        self.task = asyncio.ensure_future(test_connection(base_url, credentials))
        self.task.add_done_callback(lambda task: on_done(_task_result(task)))
        return self.task


async def test_connection(base_url: str, credentials: Credentials) -> ConnectionTestResult:
    """Request the balance with ``credentials`` and describe what happened."""
    try:
        client = await EsimflyClient.open(
            base_url, credentials, retry_policy=TEST_RETRY_POLICY, max_rate_limit_wait_s=0.0
        )
    except EsimflyError as error:
        return failed_test(error)

    try:
        balance = await asyncio.wait_for(client.get_balance(), TEST_TIMEOUT_S)
    except TimeoutError:
        log.info("Connection test timed out after %.0f s", TEST_TIMEOUT_S)
        message = _("Connection test timed out after {seconds} s. Check the network.").format(
            seconds=int(TEST_TIMEOUT_S)
        )
        return ConnectionTestResult(False, message)
    except EsimflyError as error:
        return failed_test(error)
    finally:
        await client.aclose()

    message = _("Connected. Balance: {amount}").format(
        amount=money(balance.amount, balance.currency)
    )
    return ConnectionTestResult(True, message)


def failed_test(error: BaseException) -> ConnectionTestResult:
    """Describe a failed test in the operator's words.

    The error's own text and the request ID go into the detail, which the
    dialog shows as a tooltip for support.
    """
    description = explain_error(error)
    log.info(
        "Connection test failed: %s (request id %s)",
        type(error).__name__,
        description.request_id,
    )
    message = _("Connection test failed. {reason}").format(reason=description.message)
    detail = f"{type(error).__name__}: {error}"
    if description.request_id:
        request_line = _("Request ID: {request_id}").format(request_id=description.request_id)
        detail = f"{detail}\n{request_line}"
    return ConnectionTestResult(False, message, detail)


def _task_result(task: asyncio.Task[ConnectionTestResult]) -> ConnectionTestResult:
    if task.cancelled():
        return ConnectionTestResult(False, _("Connection test cancelled."))
    error = task.exception()
    if error is not None:
        log.error("Connection test failed unexpectedly", exc_info=error)
        return failed_test(error)
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
