"""Profiles: separate folders and databases, and readiness before any request."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from keyring.backends import SecretService, null

from esimfly_desktop.api.signing import Credentials
from esimfly_desktop.sandbox.launcher import SandboxProcess
from esimfly_desktop.services.profiles import (
    LIVE_BASE_URL,
    ProfileKind,
    check_ready,
    find_profile,
    live_account_entry,
    live_base_url,
    live_profile,
    profiles_in,
    training_profile,
)
from esimfly_desktop.services.secrets import SecretStore, SecretStoreError
from esimfly_desktop.services.settings import (
    InvalidSettingError,
    LiveAccount,
    Settings,
    SettingsStore,
)
from esimfly_desktop.storage.database import Database
from esimfly_desktop.storage.paths import TRAINING_PROFILE, DataFolders
from tests.fixtures.keyring_service import PrivateSecretService

SHOP = Credentials(access_code="esf_shop_0042", secret_key="sk_shop_secret_0042")
OTHER_SHOP = Credentials(access_code="esf_other_0077", secret_key="sk_other_secret_0077")


@pytest.fixture
def folders(tmp_path: Path) -> DataFolders:
    return DataFolders(tmp_path / "data")


@pytest.fixture
def session_store() -> SecretStore:
    # The null backend makes any keyring access fail, so only session secrets work.
    return SecretStore(null.Keyring())


@pytest.fixture
def training_sandbox(folders: DataFolders) -> Iterator[SandboxProcess]:
    process = SandboxProcess.start(training_profile(folders).folder.sandbox_data)
    yield process
    process.stop()


def write_sandbox_info(folders: DataFolders, base_url: str) -> None:
    profile = training_profile(folders)
    profile.sandbox_info_file.parent.mkdir(parents=True)
    info = {"base_url": base_url, "access_code": "esf_demo_0001", "secret": "sk_demo_secret_0001"}
    profile.sandbox_info_file.write_text(json.dumps(info), encoding="utf-8")


def test_each_profile_has_own_folder(folders: DataFolders) -> None:
    training = training_profile(folders)
    shop = live_profile(folders, SHOP.access_code)
    other = live_profile(folders, OTHER_SHOP.access_code)

    paths = {training.folder.path, shop.folder.path, other.folder.path}

    assert len(paths) == 3
    assert len({training.database, shop.database, other.database}) == 3
    assert all(path.parent == folders.root / "profiles" for path in paths)


def test_live_profile_defaults(folders: DataFolders) -> None:
    profile = live_profile(folders, SHOP.access_code)

    assert profile.kind is ProfileKind.LIVE
    assert profile.base_url == LIVE_BASE_URL
    assert profile.masked_access_code == "esf_…0042"
    assert profile.name != TRAINING_PROFILE


def test_live_profile_rejects_plain_http(folders: DataFolders) -> None:
    with pytest.raises(InvalidSettingError):
        live_profile(folders, SHOP.access_code, "http://esimfly.net/api/v1/business")


def test_live_profile_needs_access_code(folders: DataFolders) -> None:
    with pytest.raises(ValueError):
        live_profile(folders, "  ")


def test_training_rows_absent_from_live(folders: DataFolders) -> None:
    training = training_profile(folders)
    shop = live_profile(folders, SHOP.access_code)
    training_db = Database.open_sync(training.database)
    live_db = Database.open_sync(shop.database)

    try:
        training_db.run_sync(_record_probe_order)
        live_orders = live_db.run_sync(_probe_orders)
        training_orders = training_db.run_sync(_probe_orders)
    finally:
        training_db.close()
        live_db.close()

    assert training_orders == ["order_1733300000000_train"]
    assert live_orders == []


def _record_probe_order(connection: sqlite3.Connection) -> None:
    connection.execute("CREATE TABLE IF NOT EXISTS probe_order (reference TEXT)")
    connection.execute("INSERT INTO probe_order VALUES ('order_1733300000000_train')")


def _probe_orders(connection: sqlite3.Connection) -> list[str]:
    connection.execute("CREATE TABLE IF NOT EXISTS probe_order (reference TEXT)")
    return [row[0] for row in connection.execute("SELECT reference FROM probe_order")]


def test_settings_list_training_then_accounts(folders: DataFolders) -> None:
    shop = live_profile(folders, SHOP.access_code)
    settings = Settings().with_live_account(live_account_entry(shop))

    profiles = profiles_in(settings, folders)

    assert [p.name for p in profiles] == [TRAINING_PROFILE, shop.name]
    assert find_profile(settings, folders, shop.name) == shop
    assert find_profile(settings, folders, "live-esf_unknown") is None


def test_account_named_training_skipped(folders: DataFolders) -> None:
    impostor = LiveAccount(TRAINING_PROFILE, "esf_…0042", LIVE_BASE_URL)
    settings = Settings(live_accounts=(impostor,))

    profiles = profiles_in(settings, folders)

    assert [p.kind for p in profiles] == [ProfileKind.TRAINING]


def test_base_url_override_applies_to_live(folders: DataFolders) -> None:
    shop = live_profile(folders, SHOP.access_code)
    settings = Settings(base_url_override="https://eu.esimfly.example/api/v1/business")

    assert live_base_url(shop, settings) == settings.base_url_override
    assert live_base_url(shop, Settings()) == LIVE_BASE_URL
    assert live_base_url(training_profile(folders), settings) is None


def test_training_entry_not_an_account(folders: DataFolders) -> None:
    with pytest.raises(ValueError):
        live_account_entry(training_profile(folders))


@pytest.mark.asyncio
async def test_live_without_credentials_not_ready(
    folders: DataFolders, session_store: SecretStore
) -> None:
    shop = live_profile(folders, SHOP.access_code)

    readiness = await check_ready(shop, session_store)

    assert not readiness.ready
    assert readiness.credentials is None
    assert readiness.reason


@pytest.mark.asyncio
async def test_live_with_session_secret_ready(
    folders: DataFolders, session_store: SecretStore
) -> None:
    shop = live_profile(folders, SHOP.access_code)
    session_store.keep_for_session(shop.name, SHOP)

    readiness = await check_ready(shop, session_store)

    assert readiness.ready
    assert readiness.credentials == SHOP
    assert readiness.base_url == LIVE_BASE_URL


@pytest.mark.asyncio
async def test_other_accounts_secret_not_ready(
    folders: DataFolders, session_store: SecretStore
) -> None:
    shop = live_profile(folders, SHOP.access_code)
    session_store.keep_for_session(shop.name, OTHER_SHOP)

    readiness = await check_ready(shop, session_store)

    assert not readiness.ready
    assert readiness.credentials is None


@pytest.mark.asyncio
async def test_training_without_sandbox_not_ready(
    folders: DataFolders, session_store: SecretStore
) -> None:
    readiness = await check_ready(training_profile(folders), session_store)

    assert not readiness.ready
    assert readiness.reason


@pytest.mark.asyncio
async def test_training_reads_sandbox_info(
    folders: DataFolders, session_store: SecretStore
) -> None:
    write_sandbox_info(folders, "http://127.0.0.1:40123/api/v1/business/")

    readiness = await check_ready(training_profile(folders), session_store)

    assert readiness.ready
    assert readiness.base_url == "http://127.0.0.1:40123/api/v1/business"
    assert readiness.credentials == Credentials("esf_demo_0001", "sk_demo_secret_0001")


@pytest.mark.asyncio
async def test_training_rejects_remote_sandbox(
    folders: DataFolders, session_store: SecretStore
) -> None:
    write_sandbox_info(folders, "https://esimfly.net/api/v1/business")

    readiness = await check_ready(training_profile(folders), session_store)

    assert not readiness.ready
    assert readiness.credentials is None
    assert "esimfly.net" in (readiness.reason or "")


@pytest.mark.asyncio
async def test_training_ready_with_real_sandbox(
    folders: DataFolders, session_store: SecretStore, training_sandbox: SandboxProcess
) -> None:
    readiness = await check_ready(training_profile(folders), session_store)

    assert readiness.ready
    assert readiness.base_url == training_sandbox.info.base_url.rstrip("/")
    assert readiness.credentials == Credentials(
        training_sandbox.info.access_code, training_sandbox.info.secret
    )


@pytest.mark.asyncio
async def test_keyring_failure_keeps_settings(folders: DataFolders) -> None:
    settings_store = SettingsStore(folders.settings_file)
    shop = live_profile(folders, SHOP.access_code)
    settings = Settings(operator_name="Omar").with_live_account(live_account_entry(shop))
    await settings_store.save(settings)
    before = folders.settings_file.read_bytes()

    with pytest.raises(SecretStoreError):
        await SecretStore(null.Keyring()).save(shop.name, SHOP)
    loaded = await settings_store.load()

    assert folders.settings_file.read_bytes() == before
    assert loaded.settings == settings


@pytest.mark.asyncio
async def test_no_secret_in_data_folder(
    folders: DataFolders, secret_service: PrivateSecretService
) -> None:
    store = SecretStore(SecretService.Keyring(), service_name="esimfly-desktop-test-profiles")
    settings_store = SettingsStore(folders.settings_file)
    shop = live_profile(folders, SHOP.access_code)

    await store.save(shop.name, SHOP)
    settings = Settings(operator_name="Omar").with_live_account(live_account_entry(shop))
    await settings_store.save(settings)
    readiness = await check_ready(shop, store)
    await store.delete(shop.name)

    settings_text = folders.settings_file.read_text(encoding="utf-8")
    assert readiness.ready
    assert SHOP.secret_key not in settings_text
    assert "esf_…0042" in settings_text
    for path in folders.root.rglob("*"):
        if path.is_file():
            assert SHOP.secret_key.encode() not in path.read_bytes(), path
