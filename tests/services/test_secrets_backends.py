"""SecretStore with backends that are not a usable system store, locked or hanging."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import keyring.backend
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import SecretService, chainer, fail, null
from keyring.errors import KeyringLocked

from esimfly_desktop.api.signing import Credentials
from esimfly_desktop.services import keyring_backends
from esimfly_desktop.services.secrets import (
    MAX_ABANDONED_CALLS,
    KeyringLockedError,
    KeyringTimeoutError,
    KeyringUnavailableError,
    SecretStore,
)
from esimfly_desktop.storage.paths import TRAINING_PROFILE

PROFILE = "live-esf_test_0001"
CREDENTIALS = Credentials(access_code="esf_test_0001", secret_key="sk_test_secret_0001")
HANG_RELEASE_S = 5.0


class PlaintextFileKeyring(KeyringBackend):
    """A backend that writes secrets to a plain file, as keyrings.alt's PlaintextKeyring does."""

    priority = 1  # type: ignore[assignment]
    path: Path

    def set_password(self, service: str, username: str, password: str) -> None:
        self.path.write_text(f"{service} {username} {password}\n", encoding="utf-8")

    def get_password(self, service: str, username: str) -> str | None:
        if not self.path.exists():
            return None
        return self.path.read_text(encoding="utf-8").split()[-1]

    def delete_password(self, service: str, username: str) -> None:
        self.path.unlink(missing_ok=True)


class LockedKeyring(KeyringBackend):
    """A backend whose collection stays locked, as keyring's Secret Service backend reports."""

    priority = 1  # type: ignore[assignment]

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringLocked("Failed to unlock the collection!")

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("Failed to unlock the collection!")

    def delete_password(self, service: str, username: str) -> None:
        raise KeyringLocked("Failed to unlock the collection!")


class HangingKeyring(KeyringBackend):
    """A backend whose first ``hang_count`` reads block until released, then return None."""

    priority = 1  # type: ignore[assignment]

    def __init__(self, hang_count: int) -> None:
        super().__init__()
        self.release = threading.Event()
        self._remaining_hangs = hang_count
        self._lock = threading.Lock()

    def get_password(self, service: str, username: str) -> str | None:
        with self._lock:
            hang = self._remaining_hangs > 0
            self._remaining_hangs -= 1
        if hang:
            self.release.wait(timeout=HANG_RELEASE_S)
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        raise NotImplementedError

    def delete_password(self, service: str, username: str) -> None:
        raise NotImplementedError


@pytest.fixture
def plaintext_keyring(tmp_path: Path) -> PlaintextFileKeyring:
    backend = PlaintextFileKeyring()
    backend.path = tmp_path / "keyring_pass.cfg"
    return backend


@pytest.fixture
def system_backends_pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make each backend look like a system one, so the store reaches the backend's calls."""
    monkeypatch.setattr(keyring_backends, "is_system_backend", lambda backend: True)


@pytest.fixture
def hanging_keyring() -> Iterator[HangingKeyring]:
    backend = HangingKeyring(hang_count=MAX_ABANDONED_CALLS)
    yield backend
    backend.release.set()


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "backend",
    [fail.Keyring(), null.Keyring()],
    ids=["fail", "null"],
)
async def test_non_system_backend_rejected(
    backend: KeyringBackend, caplog: pytest.LogCaptureFixture
) -> None:
    store = SecretStore(backend)

    with pytest.raises(KeyringUnavailableError) as raised:
        await store.save(PROFILE, CREDENTIALS)

    message = str(raised.value)
    assert message.startswith("No system keyring was found on this computer")
    assert "GNOME Keyring or KWallet" in message
    assert "session only" in message
    assert type(backend).__module__ not in message
    assert "Keyring" not in message.replace("GNOME Keyring", "")
    assert CREDENTIALS.secret_key not in message
    assert type(backend).__module__ in caplog.text


@pytest.mark.asyncio
async def test_non_system_backend_load_rejected() -> None:
    store = SecretStore(null.Keyring())

    with pytest.raises(KeyringUnavailableError):
        await store.load(PROFILE)


@pytest.mark.asyncio
async def test_plaintext_backend_writes_nothing(plaintext_keyring: PlaintextFileKeyring) -> None:
    store = SecretStore(plaintext_keyring)

    with pytest.raises(KeyringUnavailableError):
        await store.save(PROFILE, CREDENTIALS)

    assert not plaintext_keyring.path.exists()


@pytest.mark.asyncio
async def test_chainer_without_system_backend_rejected(
    plaintext_keyring: PlaintextFileKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    chained = [fail.Keyring(), null.Keyring(), plaintext_keyring]
    monkeypatch.setattr(keyring.backend, "get_all_keyring", lambda: chained)
    store = SecretStore(chainer.ChainerBackend())

    with pytest.raises(KeyringUnavailableError):
        await store.save(PROFILE, CREDENTIALS)

    assert not plaintext_keyring.path.exists()


def test_chainer_picks_its_system_backend(
    plaintext_keyring: PlaintextFileKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret_service = SecretService.Keyring()
    # Set the chain directly: its usual discovery would ask D-Bus for priorities.
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [plaintext_keyring, secret_service])

    selected = keyring_backends.find_system_backend(chainer.ChainerBackend())

    assert selected is secret_service


def test_subclass_of_system_backend_rejected() -> None:
    class LookAlike(SecretService.Keyring):
        pass

    assert keyring_backends.find_system_backend(LookAlike()) is None


@pytest.mark.asyncio
async def test_detected_backend_is_checked(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(keyring_backends.keyring, "get_keyring", lambda: fail.Keyring())
    store = SecretStore()

    with pytest.raises(KeyringUnavailableError) as raised:
        await store.backend_description()

    assert "keyring.backends.fail.Keyring" not in str(raised.value)
    assert "keyring.backends.fail.Keyring" in caplog.text


@pytest.mark.asyncio
async def test_locked_backend_raises_locked(system_backends_pinned: None) -> None:
    store = SecretStore(LockedKeyring())

    with pytest.raises(KeyringLockedError) as raised:
        await store.save(PROFILE, CREDENTIALS)

    assert "locked" in str(raised.value)
    assert CREDENTIALS.secret_key not in str(raised.value)


@pytest.mark.asyncio
async def test_session_secret_without_keyring() -> None:
    store = SecretStore(null.Keyring())

    store.keep_for_session(PROFILE, CREDENTIALS)

    assert await store.load(PROFILE) == CREDENTIALS
    assert CREDENTIALS.secret_key not in repr(store.session)


@pytest.mark.asyncio
async def test_delete_forgets_session_secret(system_backends_pinned: None) -> None:
    store = SecretStore(null.Keyring())
    store.keep_for_session(PROFILE, CREDENTIALS)

    await store.delete(PROFILE)

    assert PROFILE not in store.session


@pytest.mark.asyncio
async def test_training_profile_never_stored() -> None:
    store = SecretStore(null.Keyring())

    with pytest.raises(ValueError):
        await store.save(TRAINING_PROFILE, CREDENTIALS)
    with pytest.raises(ValueError):
        store.keep_for_session(TRAINING_PROFILE, CREDENTIALS)


@pytest.mark.asyncio
async def test_hanging_backend_times_out(
    system_backends_pinned: None, hanging_keyring: HangingKeyring
) -> None:
    store = SecretStore(hanging_keyring, timeout_s=0.2)
    started = time.monotonic()

    with pytest.raises(KeyringTimeoutError) as raised:
        await store.load(PROFILE)

    assert time.monotonic() - started < 2.0
    assert "0.2 seconds" in str(raised.value)


@pytest.mark.asyncio
async def test_call_after_hang_still_works(
    system_backends_pinned: None, hanging_keyring: HangingKeyring
) -> None:
    store = SecretStore(hanging_keyring, timeout_s=0.2)
    with pytest.raises(KeyringTimeoutError):
        await store.load(PROFILE)
    hanging_keyring._remaining_hangs = 0

    loaded = await store.load(PROFILE)

    assert loaded is None


@pytest.mark.asyncio
async def test_blocked_threads_are_bounded(
    system_backends_pinned: None, hanging_keyring: HangingKeyring
) -> None:
    store = SecretStore(hanging_keyring, timeout_s=0.1)
    for _attempt in range(MAX_ABANDONED_CALLS):
        with pytest.raises(KeyringTimeoutError):
            await store.load(PROFILE)
    threads_before = threading.active_count()
    started = time.monotonic()

    with pytest.raises(KeyringTimeoutError):
        await store.load(PROFILE)

    assert time.monotonic() - started < 0.1
    assert threading.active_count() == threads_before


@pytest.mark.asyncio
async def test_released_threads_free_slots(
    system_backends_pinned: None, hanging_keyring: HangingKeyring
) -> None:
    store = SecretStore(hanging_keyring, timeout_s=0.1)
    for _attempt in range(MAX_ABANDONED_CALLS):
        with pytest.raises(KeyringTimeoutError):
            await store.load(PROFILE)

    hanging_keyring.release.set()
    await asyncio.to_thread(_join_keyring_threads)

    assert await store.load(PROFILE) is None


def _join_keyring_threads() -> None:
    for thread in threading.enumerate():
        if thread.name.startswith("keyring-"):
            thread.join(timeout=HANG_RELEASE_S)


def test_unusable_backend_described(plaintext_keyring: PlaintextFileKeyring) -> None:
    described = keyring_backends.describe_unusable_backend(plaintext_keyring)

    assert described is not None
    assert "PlaintextFileKeyring is not a system secret store" in described
    assert keyring_backends.describe_unusable_backend(SecretService.Keyring()) is None


def test_empty_chainer_described(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [])

    described = keyring_backends.describe_unusable_backend(chainer.ChainerBackend())

    assert described is not None
    assert "chains no system secret store (only nothing)" in described


@pytest.mark.asyncio
async def test_queued_call_shares_timeout(
    system_backends_pinned: None, hanging_keyring: HangingKeyring
) -> None:
    store = SecretStore(hanging_keyring, timeout_s=0.2)
    threads_before = set(threading.enumerate())
    started = time.monotonic()

    results = await asyncio.gather(store.load(PROFILE), store.load(PROFILE), return_exceptions=True)

    assert time.monotonic() - started < 1.0
    assert all(isinstance(result, KeyringTimeoutError) for result in results)
    new_threads = set(threading.enumerate()) - threads_before
    assert len([t for t in new_threads if t.name.startswith("keyring-")]) == 1
