"""A live account's access code and secret key, kept only in the OS keyring.

Every keyring call runs on a daemon thread of its own and is awaited with a
timeout, because a Secret Service that waits on an unlock prompt, or a D-Bus
peer that never replies, would otherwise freeze the counter. A call that
times out is abandoned: its thread may stay blocked, but later calls start
their own threads and are not held up by it.

Only real system stores are used (see ``keyring_backends``). When none is
available, when it is locked, or when a saved secret does not read back, the
caller gets a typed error whose text can be shown to the operator. The caller
may then keep the secret in memory for this session only with
``SessionSecrets``. Nothing is ever written to a file instead.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections.abc import Callable
from typing import TypeVar

from keyring.backend import KeyringBackend
from keyring.errors import KeyringLocked, PasswordDeleteError

from esimfly_desktop.api.signing import Credentials, mask_access_code
from esimfly_desktop.i18n import _
from esimfly_desktop.services.keyring_backends import (
    backend_name,
    detect_backend,
    find_system_backend,
)
from esimfly_desktop.storage.paths import TRAINING_PROFILE

log = logging.getLogger(__name__)

T = TypeVar("T")

SERVICE_NAME = "esimfly-desktop"
# Long enough to type a password into the system's unlock prompt, which the
# keyring call waits for; the counter stays usable meanwhile.
DEFAULT_TIMEOUT_S = 30.0
# Threads still blocked after their call timed out. With this many, new calls fail
# at once, because another thread would most likely block as well.
MAX_ABANDONED_CALLS = 4


class SecretStoreError(Exception):
    """A keyring operation failed; ``str()`` is a message for the operator, never a secret."""


class KeyringUnavailableError(SecretStoreError):
    """No system keyring can be used: none is installed, or only a non-system backend is."""


class KeyringLockedError(SecretStoreError):
    """The keyring collection is locked and could not be unlocked."""


class KeyringTimeoutError(SecretStoreError):
    """The keyring did not respond within the timeout."""


class SecretNotSavedError(SecretStoreError):
    """The keyring accepted the secret but did not return it when read back."""


class SessionSecrets:
    """Credentials kept in memory only, for operators who chose not to use the keyring."""

    def __init__(self) -> None:
        self._credentials: dict[str, Credentials] = {}

    def put(self, profile: str, credentials: Credentials) -> None:
        self._credentials[profile] = credentials

    def get(self, profile: str) -> Credentials | None:
        return self._credentials.get(profile)

    def forget(self, profile: str) -> None:
        self._credentials.pop(profile, None)

    def __contains__(self, profile: object) -> bool:
        return profile in self._credentials

    def __repr__(self) -> str:
        return f"SessionSecrets(profiles={sorted(self._credentials)!r})"


class SecretStore:
    """Save, load and delete each live profile's credentials in the system keyring.

    One keyring item per profile: service ``SERVICE_NAME``, user name the
    profile name, and the access code and secret key together as JSON, so a
    save is one write and one read-back. Pass ``backend`` to pin a backend
    (tests); by default the one ``keyring`` detects is checked on first use.
    """

    def __init__(
        self,
        backend: KeyringBackend | None = None,
        *,
        session: SessionSecrets | None = None,
        service_name: str = SERVICE_NAME,
        timeout_s: float = DEFAULT_TIMEOUT_S,
    ) -> None:
        self.session = session if session is not None else SessionSecrets()
        self._configured_backend = backend
        self._system_backend: KeyringBackend | None = None
        self._service_name = service_name
        self._timeout_s = timeout_s
        self._abandoned_threads: list[threading.Thread] = []
        # One keyring call at a time, so a save's write and read-back are not
        # interleaved with another call for the same item.
        self._serial = asyncio.Lock()

    async def backend_description(self) -> str:
        """Return the name of the system keyring in use, or raise a SecretStoreError."""
        backend = await self._call("check", lambda: self._backend())
        return backend_name(backend)

    async def save(self, profile: str, credentials: Credentials) -> None:
        """Store ``credentials`` for ``profile`` and confirm them by reading them back.

        Returns only when the keyring gives back exactly what was written;
        otherwise raises a SecretStoreError and the caller must not report
        the secret as saved. A session-only copy is dropped once saved.
        """
        _check_live_profile(profile)
        if not credentials.access_code or not credentials.secret_key:
            raise ValueError("both the access code and the secret key are required")
        payload = json.dumps(
            {"access_code": credentials.access_code, "secret_key": credentials.secret_key}
        )

        await self._call("save", lambda: self._write_and_verify(profile, payload))

        self.session.forget(profile)
        log.info(
            "Saved credentials of profile %s (access code %s) to the keyring",
            profile,
            mask_access_code(credentials.access_code),
        )

    async def load(self, profile: str) -> Credentials | None:
        """Return the profile's credentials from this session or the keyring, or None."""
        _check_live_profile(profile)
        session_copy = self.session.get(profile)
        if session_copy is not None:
            return session_copy

        payload = await self._call(
            "load", lambda: self._backend().get_password(self._service_name, profile)
        )
        if payload is None:
            log.info("No credentials in the keyring for profile %s", profile)
            return None
        return _decode(profile, payload)

    async def delete(self, profile: str) -> None:
        """Remove the profile's credentials from this session and from the keyring."""
        _check_live_profile(profile)
        self.session.forget(profile)
        await self._call("delete", lambda: self._delete_item(profile))
        log.info("Deleted credentials of profile %s from the keyring", profile)

    def keep_for_session(self, profile: str, credentials: Credentials) -> None:
        """Keep ``credentials`` in memory until the console quits; nothing is written."""
        _check_live_profile(profile)
        self.session.put(profile, credentials)
        log.info("Using credentials of profile %s for this session only", profile)

    def _backend(self) -> KeyringBackend:
        """Return the checked system backend, detecting it on first use (worker thread)."""
        if self._system_backend is not None:
            return self._system_backend

        candidate = self._configured_backend or detect_backend()
        system_backend = find_system_backend(candidate)
        if system_backend is None:
            # The backend's class name is for support, so it goes to the log only.
            log.error("Keyring backend %s is not a system secret store", backend_name(candidate))
            raise KeyringUnavailableError(
                _(
                    "No system keyring was found on this computer, so the secret key "
                    "cannot be saved. On Linux, install GNOME Keyring or KWallet and "
                    "unlock it, then save again. Until then, the key can be kept for "
                    "this session only."
                )
            )
        self._system_backend = system_backend
        return system_backend

    def _write_and_verify(self, profile: str, payload: str) -> None:
        backend = self._backend()
        backend.set_password(self._service_name, profile, payload)
        read_back = backend.get_password(self._service_name, profile)
        if read_back != payload:
            log.error("Keyring read-back for profile %s did not match what was written", profile)
            raise SecretNotSavedError(
                _(
                    "The keyring did not return the secret key after saving it, so it is "
                    "not stored. Try again, or use the secret key for this session only."
                )
            )

    def _delete_item(self, profile: str) -> None:
        try:
            self._backend().delete_password(self._service_name, profile)
        except PasswordDeleteError:
            log.info("Keyring held no credentials for profile %s", profile)

    async def _call(self, operation: str, work: Callable[[], T]) -> T:
        """Run ``work`` on a new daemon thread and await it, one call at a time.

        The timeout covers waiting for an earlier call as well, so no caller
        waits longer than ``timeout_s`` in total.
        """
        self._abandoned_threads = [t for t in self._abandoned_threads if t.is_alive()]
        if len(self._abandoned_threads) >= MAX_ABANDONED_CALLS:
            log.error("Keyring %s not attempted: earlier calls are still blocked", operation)
            raise KeyringTimeoutError(_timeout_message(self._timeout_s))

        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        thread = threading.Thread(
            target=_run_in_thread,
            args=(loop, future, operation, work),
            name=f"keyring-{operation}",
            daemon=True,
        )

        try:
            async with asyncio.timeout(self._timeout_s), self._serial:
                thread.start()
                return await future
        except TimeoutError:
            if thread.is_alive():
                self._abandoned_threads.append(thread)
            log.error("Keyring %s timed out after %.1f s", operation, self._timeout_s)
            raise KeyringTimeoutError(_timeout_message(self._timeout_s)) from None


def _run_in_thread(
    loop: asyncio.AbstractEventLoop,
    future: asyncio.Future[T],
    operation: str,
    work: Callable[[], T],
) -> None:
    """Run ``work`` and hand its result or translated error to the event loop."""
    outcome: Callable[[], None]
    try:
        result = work()
        outcome = lambda: _settle(future, result=result)  # noqa: E731
    except Exception as error:
        translated = _translate_error(operation, error)
        outcome = lambda: _settle(future, error=translated)  # noqa: E731

    if future.done() or loop.is_closed():
        log.info("Keyring %s returned after its timeout; the result was discarded", operation)
        return
    try:
        loop.call_soon_threadsafe(outcome)
    except RuntimeError:
        log.info("Keyring %s returned after the event loop closed", operation)


def _settle(
    future: asyncio.Future[T],
    *,
    result: T | None = None,
    error: BaseException | None = None,
) -> None:
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)  # type: ignore[arg-type]


def _translate_error(operation: str, error: Exception) -> Exception:
    """Turn a backend's exception into a SecretStoreError that is safe to show.

    Backends raise many types (keyring's, secretstorage's, jeepney's D-Bus
    errors, OSError), so anything that is not already ours is taken as "the
    keyring cannot be used". The type name goes to the log, not into the message.
    """
    if isinstance(error, SecretStoreError):
        return error
    if isinstance(error, KeyringLocked) or type(error).__name__ == "LockedException":
        log.error("Keyring %s failed: the collection is locked (%s)", operation, error)
        return KeyringLockedError(
            _(
                "The system keyring is locked. Unlock it (for example by logging in to the "
                "desktop again) and retry, or use the secret key for this session only."
            )
        )
    log.error("Keyring %s failed: %s: %s", operation, type(error).__name__, error)
    return KeyringUnavailableError(
        _(
            "The system keyring could not be used. Check that it is running and unlocked, "
            "then retry, or use the secret key for this session only."
        )
    )


def _timeout_message(timeout_s: float) -> str:
    return _(
        "The system keyring did not respond within {seconds} seconds. Check for an unlock "
        "prompt and retry, or use the secret key for this session only."
    ).format(seconds=f"{timeout_s:g}")


def _decode(profile: str, payload: str) -> Credentials:
    try:
        fields = json.loads(payload)
        return Credentials(access_code=fields["access_code"], secret_key=fields["secret_key"])
    except (ValueError, KeyError, TypeError):
        log.error("Keyring item of profile %s is not in the expected format", profile)
        raise KeyringUnavailableError(
            _(
                "The keyring item of this account is damaged. Enter the access code and "
                "secret key again."
            )
        ) from None


def _check_live_profile(profile: str) -> None:
    # The training profile's demo credentials come from the sandbox's sandbox.json.
    if profile == TRAINING_PROFILE:
        raise ValueError("the training profile's credentials are never kept in the keyring")
