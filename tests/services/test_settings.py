"""Settings: validation, the JSON file, damaged files and paths that cannot be written."""

from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path

import pytest

from esimfly_desktop.services.pricing import Rounding
from esimfly_desktop.services.settings import (
    DEFAULT_REFRESH_HOURS,
    Environment,
    InvalidSettingError,
    LiveAccount,
    Settings,
    SettingsSaveError,
    SettingsStore,
    system_language,
)

ACCOUNT = LiveAccount(
    profile_name="live-esf_shop_0042",
    masked_access_code="esf_…0042",
    base_url="https://esimfly.net/api/v1/business",
)


def file_names(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def full_settings() -> Settings:
    return Settings(
        operator_name="Layla",
        operator_language="ar",
        customer_display_language="es_MX",
        environment=Environment.TRAINING,
        base_url_override="http://127.0.0.1:8765/api/v1/business",
        markup_percent=Decimal("17.5"),
        markup_rounding=Rounding.ENDING_99,
        low_balance_threshold=Decimal("125.50"),
        catalog_refresh_hours=12,
        window_geometry=b"\x01\xd9\xd0\xcb\x00\x03geometry",
        last_profile="training",
        live_accounts=(ACCOUNT,),
    )


def test_defaults_match_the_documented_ones() -> None:
    settings = Settings()

    assert settings.catalog_refresh_hours == DEFAULT_REFRESH_HOURS == 6
    assert settings.environment is Environment.LIVE
    assert settings.operator_language is None
    assert settings.effective_operator_language == system_language()
    assert isinstance(settings.markup_percent, Decimal)
    assert isinstance(settings.low_balance_threshold, Decimal)


def test_system_language_follows_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "es_MX.UTF-8")

    assert system_language() == "es_MX"


@pytest.mark.parametrize(
    "url",
    [
        "https://esimfly.net/api/v1/business",
        "http://127.0.0.1:8080/api/v1/business",
        "http://localhost:8080/api/v1/business",
        "http://[::1]:8080/api/v1/business",
    ],
)
def test_base_url_override_accepted(url: str) -> None:
    settings = Settings(base_url_override=url + "/")

    assert settings.base_url_override == url


@pytest.mark.parametrize(
    "url",
    [
        "http://esimfly.net/api/v1/business",
        "http://192.168.1.20/api/v1/business",
        "ftp://127.0.0.1/api",
        "esimfly.net/api/v1/business",
    ],
)
def test_insecure_base_url_rejected(url: str) -> None:
    with pytest.raises(InvalidSettingError) as raised:
        Settings(base_url_override=url)

    assert url in str(raised.value)
    assert "https://" in str(raised.value)


def test_negative_amounts_rejected() -> None:
    with pytest.raises(InvalidSettingError):
        Settings(markup_percent=Decimal("-1"))
    with pytest.raises(InvalidSettingError):
        Settings(low_balance_threshold=Decimal("NaN"))


def test_float_amount_rejected() -> None:
    with pytest.raises(TypeError):
        Settings(markup_percent=12.5)  # type: ignore[arg-type]


def test_refresh_interval_bounds() -> None:
    with pytest.raises(InvalidSettingError):
        Settings(catalog_refresh_hours=0)
    with pytest.raises(InvalidSettingError):
        Settings(catalog_refresh_hours=24 * 7 + 1)


def test_live_accounts_replace_by_profile() -> None:
    moved = LiveAccount(ACCOUNT.profile_name, ACCOUNT.masked_access_code, "https://eu.example/api")

    settings = Settings().with_live_account(ACCOUNT).with_live_account(moved)

    assert settings.live_accounts == (moved,)
    assert settings.without_live_account(ACCOUNT.profile_name).live_accounts == ()


@pytest.mark.asyncio
async def test_round_trip_keeps_every_field(tmp_path: Path) -> None:
    store = SettingsStore(tmp_path / "settings.json")
    settings = full_settings()

    await store.save(settings)
    result = await store.load()

    assert result.settings == settings
    assert result.problem is None


@pytest.mark.asyncio
async def test_money_stored_as_decimal_text(tmp_path: Path) -> None:
    store = SettingsStore(tmp_path / "settings.json")

    await store.save(full_settings())
    document = json.loads(store.path.read_text(encoding="utf-8"))

    assert document["markup_percent"] == "17.5"
    assert document["low_balance_threshold"] == "125.50"


@pytest.mark.asyncio
async def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    store = SettingsStore(tmp_path / "settings.json")

    result = await store.load()

    assert result.settings == Settings()
    assert result.problem is None


@pytest.mark.asyncio
async def test_unknown_keys_survive_save(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"operator_name": "Omar", "theme": {"dark": True}}))
    store = SettingsStore(path)

    loaded = (await store.load()).settings
    await store.save(loaded)
    document = json.loads(path.read_text(encoding="utf-8"))

    assert document["theme"] == {"dark": True}
    assert document["operator_name"] == "Omar"


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "content",
    [b"{not json", b"[1, 2, 3]", b"\xff\xfe\x00garbage", b""],
    ids=["broken-json", "not-an-object", "not-utf8", "empty"],
)
async def test_corrupt_file_moved_aside(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(content)
    store = SettingsStore(path)

    result = await store.load()

    assert result.settings == Settings()
    assert result.problem is not None
    assert result.moved_aside_to is not None
    assert result.moved_aside_to.read_bytes() == content
    assert str(result.moved_aside_to) in result.problem
    assert not path.exists()


@pytest.mark.asyncio
async def test_invalid_value_reset_alone(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    document = {
        "operator_name": "Omar",
        "markup_percent": "lots",
        "base_url_override": "http://esimfly.net/api/v1/business",
        "catalog_refresh_hours": 3,
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    store = SettingsStore(path)

    result = await store.load()

    assert result.settings.operator_name == "Omar"
    assert result.settings.catalog_refresh_hours == 3
    assert result.settings.markup_percent == Decimal(0)
    assert result.settings.base_url_override is None
    assert result.problem is not None
    assert "markup_percent" in result.problem
    assert "base_url_override" in result.problem
    assert result.moved_aside_to is not None
    assert json.loads(result.moved_aside_to.read_text(encoding="utf-8")) == document


@pytest.mark.asyncio
async def test_path_under_regular_file(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("a file where the data folder should be", encoding="utf-8")
    store = SettingsStore(blocker / "settings.json")

    result = await store.load()
    with pytest.raises(SettingsSaveError) as raised:
        await store.save(Settings(operator_name="Omar"))

    assert result.settings == Settings()
    assert result.problem is not None
    assert str(store.path) in str(raised.value)
    assert blocker.read_text(encoding="utf-8") == "a file where the data folder should be"


@pytest.mark.asyncio
@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores folder permissions")
async def test_read_only_folder_keeps_old_file(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    store = SettingsStore(folder / "settings.json")
    await store.save(Settings(operator_name="Omar"))
    folder.chmod(0o500)

    try:
        with pytest.raises(SettingsSaveError):
            await store.save(Settings(operator_name="Layla"))
        result = await store.load()
    finally:
        folder.chmod(0o700)

    assert result.settings.operator_name == "Omar"
    assert file_names(folder) == ["settings.json"]


@pytest.mark.asyncio
async def test_folder_in_place_of_file(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.mkdir()
    store = SettingsStore(path)

    with pytest.raises(SettingsSaveError) as raised:
        await store.save(Settings(operator_name="Omar"))

    assert str(path) in str(raised.value)
    assert path.is_dir()
    assert file_names(tmp_path) == ["settings.json"]


@pytest.mark.asyncio
async def test_read_only_file_replaced_atomically(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    store = SettingsStore(path)
    await store.save(Settings(operator_name="Omar"))
    path.chmod(0o400)

    await store.save(Settings(operator_name="Layla"))
    result = await store.load()

    assert result.settings.operator_name == "Layla"
    assert file_names(tmp_path) == ["settings.json"]


@pytest.mark.asyncio
async def test_failed_write_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "settings.json"
    store = SettingsStore(path)
    await store.save(Settings(operator_name="Omar"))

    def failing_fsync(descriptor: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(SettingsSaveError) as raised:
        await store.save(Settings(operator_name="Layla"))
    monkeypatch.undo()

    assert "No space left on device" in str(raised.value)
    assert (await store.load()).settings.operator_name == "Omar"
    assert file_names(tmp_path) == ["settings.json"]
