"""SecretStore against a real Secret Service: a private gnome-keyring on a private bus."""

from __future__ import annotations

import asyncio
import logging
import os
import uuid
from collections.abc import Callable

import pytest
from keyring.backends import SecretService

from esimfly_desktop.api.signing import Credentials
from esimfly_desktop.services.secrets import (
    KeyringLockedError,
    KeyringUnavailableError,
    SecretNotSavedError,
    SecretStore,
)
from tests.fixtures import keyring_service
from tests.fixtures.keyring_service import PrivateSecretService

PROFILE = "live-esf_test_0001"
CREDENTIALS = Credentials(access_code="esf_test_0001", secret_key="sk_test_secret_0001")
UPDATED = Credentials(access_code="esf_test_0001", secret_key="sk_test_secret_0002")


def make_store() -> SecretStore:
    # A service name of its own keeps each test's items apart in the shared keyring.
    return SecretStore(
        SecretService.Keyring(),
        service_name=f"esimfly-desktop-test-{uuid.uuid4().hex}",
        timeout_s=10.0,
    )


@pytest.mark.asyncio
async def test_save_then_load_round_trip(secret_service: PrivateSecretService) -> None:
    store = make_store()

    await store.save(PROFILE, CREDENTIALS)
    loaded = await store.load(PROFILE)

    assert loaded == CREDENTIALS


@pytest.mark.asyncio
async def test_fresh_store_reads_saved_item(secret_service: PrivateSecretService) -> None:
    writer = make_store()
    await writer.save(PROFILE, CREDENTIALS)
    reader = SecretStore(SecretService.Keyring(), service_name=writer._service_name)

    loaded = await reader.load(PROFILE)

    assert loaded == CREDENTIALS


@pytest.mark.asyncio
async def test_save_again_updates_secret(secret_service: PrivateSecretService) -> None:
    store = make_store()
    await store.save(PROFILE, CREDENTIALS)

    await store.save(PROFILE, UPDATED)
    loaded = await store.load(PROFILE)

    assert loaded == UPDATED


@pytest.mark.asyncio
async def test_delete_removes_item(secret_service: PrivateSecretService) -> None:
    store = make_store()
    await store.save(PROFILE, CREDENTIALS)

    await store.delete(PROFILE)

    assert await store.load(PROFILE) is None


@pytest.mark.asyncio
async def test_delete_missing_item_is_quiet(secret_service: PrivateSecretService) -> None:
    store = make_store()

    await store.delete("live-esf_never_saved")

    assert await store.load("live-esf_never_saved") is None


@pytest.mark.asyncio
async def test_profiles_have_separate_items(secret_service: PrivateSecretService) -> None:
    store = make_store()
    other = Credentials(access_code="esf_other_0002", secret_key="sk_other_secret")
    await store.save(PROFILE, CREDENTIALS)
    await store.save("live-esf_other_0002", other)

    await store.delete(PROFILE)

    assert await store.load(PROFILE) is None
    assert await store.load("live-esf_other_0002") == other


@pytest.mark.asyncio
async def test_backend_description_names_secret_service(
    secret_service: PrivateSecretService,
) -> None:
    store = make_store()

    description = await store.backend_description()

    assert description == "keyring.backends.SecretService.Keyring"


@pytest.mark.asyncio
async def test_failed_read_back_is_not_saved(
    secret_service: PrivateSecretService, monkeypatch: pytest.MonkeyPatch
) -> None:
    backend = SecretService.Keyring()
    store = SecretStore(backend, service_name=f"esimfly-desktop-test-{uuid.uuid4().hex}")
    monkeypatch.setattr(backend, "get_password", lambda service, username: None)

    with pytest.raises(SecretNotSavedError) as raised:
        await store.save(PROFILE, CREDENTIALS)

    assert CREDENTIALS.secret_key not in str(raised.value)


@pytest.mark.asyncio
async def test_save_logs_no_secret(
    secret_service: PrivateSecretService, caplog: pytest.LogCaptureFixture
) -> None:
    store = make_store()
    caplog.set_level(logging.DEBUG)

    await store.save(PROFILE, CREDENTIALS)
    await store.load(PROFILE)

    assert "Saved credentials" in caplog.text
    assert CREDENTIALS.secret_key not in caplog.text
    assert CREDENTIALS.access_code not in caplog.text.replace(PROFILE, "")


@pytest.mark.asyncio
async def test_locked_collection_raises_locked(
    start_secret_service: Callable[[], PrivateSecretService],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    service = start_secret_service()
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", service.bus_address)
    store = make_store()
    await store.save(PROFILE, CREDENTIALS)
    service.lock_default_collection()

    with pytest.raises(KeyringLockedError):
        await store.save(PROFILE, UPDATED)
    with pytest.raises(KeyringLockedError):
        await store.load(PROFILE)


@pytest.mark.asyncio
async def test_locked_collection_allows_session_secret(
    start_secret_service: Callable[[], PrivateSecretService],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    service = start_secret_service()
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", service.bus_address)
    service.lock_default_collection()
    store = make_store()

    store.keep_for_session(PROFILE, CREDENTIALS)

    assert await store.load(PROFILE) == CREDENTIALS


@pytest.mark.asyncio
async def test_unreachable_bus_raises_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/esimfly-test-bus")
    store = make_store()

    with pytest.raises(KeyringUnavailableError) as raised:
        await store.save(PROFILE, CREDENTIALS)

    assert CREDENTIALS.secret_key not in str(raised.value)


def test_missing_programs_skip(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keyring_service.shutil, "which", lambda program: None)
    monkeypatch.delenv(keyring_service.REQUIRE_VARIABLE, raising=False)

    with pytest.raises(pytest.skip.Exception) as raised:
        keyring_service.require_keyring_programs()

    assert "dbus-daemon" in str(raised.value)
    assert "gnome-keyring-daemon" in str(raised.value)


def test_missing_programs_fail_when_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keyring_service.shutil, "which", lambda program: None)
    monkeypatch.setenv(keyring_service.REQUIRE_VARIABLE, "1")

    with pytest.raises(pytest.fail.Exception) as raised:
        keyring_service.require_keyring_programs()

    assert keyring_service.REQUIRE_VARIABLE in str(raised.value)


@pytest.mark.asyncio
async def test_default_store_uses_private_service(secret_service: PrivateSecretService) -> None:
    store = SecretStore(service_name=f"esimfly-desktop-test-{uuid.uuid4().hex}")

    await store.save(PROFILE, CREDENTIALS)

    assert await store.backend_description() == "keyring.backends.SecretService.Keyring"
    assert await store.load(PROFILE) == CREDENTIALS


def test_default_backend_stores_nothing_outside_fixture() -> None:
    assert os.environ["PYTHON_KEYRING_BACKEND"] == "keyring.backends.fail.Keyring"


@pytest.mark.asyncio
async def test_concurrent_saves_all_verified(secret_service: PrivateSecretService) -> None:
    store = make_store()
    versions = [
        Credentials(access_code="esf_test_0001", secret_key=f"sk_test_secret_{n}") for n in range(5)
    ]

    await asyncio.gather(*(store.save(PROFILE, credentials) for credentials in versions))

    assert await store.load(PROFILE) == versions[-1]
