"""The console's settings file: ``Settings`` (see ``settings_model``) as JSON in the data folder.

The file never contains a secret: live accounts are listed by profile name,
masked access code and base URL, and their secret keys live in the system
keyring (see ``secrets``). Writes are atomic (a temporary file, fsync, then
``os.replace``), so a crash leaves either the old file or the new one. A file
that cannot be read or parsed is moved aside and the defaults are used, with
a message for the operator. Keys this version does not know are kept and
written back, so an older console does not drop a newer one's settings.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import logging
import os
import tempfile
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from esimfly_desktop.i18n import _
from esimfly_desktop.services.pricing import Rounding
from esimfly_desktop.services.settings_model import (
    DEFAULT_LANGUAGE,
    DEFAULT_LOW_BALANCE_THRESHOLD,
    DEFAULT_REFRESH_HOURS,
    MAX_REFRESH_HOURS,
    Environment,
    InvalidSettingError,
    LiveAccount,
    Settings,
    check_amount,
    check_base_url,
    system_language,
)

log = logging.getLogger(__name__)

SETTINGS_VERSION = 1


class SettingsSaveError(OSError):
    """The settings file could not be written; the previous file is unchanged."""


@dataclass(frozen=True)
class SettingsLoadResult:
    """Loaded settings, and a message for the operator when the file had a problem."""

    settings: Settings
    problem: str | None = None
    moved_aside_to: Path | None = None


class SettingsStore:
    """Read and write the settings file; the async methods run the file I/O on a thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._write_lock = threading.Lock()

    async def load(self) -> SettingsLoadResult:
        return await asyncio.to_thread(self.load_sync)

    async def save(self, settings: Settings) -> None:
        await asyncio.to_thread(self.save_sync, settings)

    def load_sync(self) -> SettingsLoadResult:
        """Read the file; use the defaults when it is missing, unreadable or invalid."""
        try:
            document = json.loads(self.path.read_bytes(), parse_float=Decimal)
        except FileNotFoundError:
            log.info("No settings file at %s; using the defaults", self.path)
            return SettingsLoadResult(Settings())
        except (OSError, ValueError) as error:
            return self._set_aside(error)
        if not isinstance(document, dict):
            return self._set_aside(ValueError("the top level is not a JSON object"))

        settings, invalid_names = decode_settings(document)
        if not invalid_names:
            log.info("Loaded settings from %s", self.path)
            return SettingsLoadResult(settings)

        log.warning("Settings file %s has invalid values for %s", self.path, invalid_names)
        moved_to = self._copy_aside()
        problem = _(
            "Some settings were invalid and were reset to their defaults: {names}. "
            "The original file was kept as {copy}."
        ).format(names=", ".join(invalid_names), copy=moved_to or _("(no copy could be made)"))
        return SettingsLoadResult(settings, problem, moved_to)

    def save_sync(self, settings: Settings) -> None:
        """Write ``settings`` atomically, or raise SettingsSaveError and keep the old file."""
        content = json.dumps(
            encode_settings(settings), indent=2, sort_keys=True, ensure_ascii=False
        )
        content += "\n"
        with self._write_lock:
            try:
                _write_atomically(self.path, content.encode("utf-8"))
            except OSError as error:
                log.error("Failed to save settings to %s: %s", self.path, error)
                raise SettingsSaveError(
                    _("The settings could not be saved to {path}: {reason}.").format(
                        path=self.path, reason=error.strerror or type(error).__name__
                    )
                ) from error
        log.info("Saved settings to %s", self.path)

    def _set_aside(self, error: Exception) -> SettingsLoadResult:
        log.error("Settings file %s is unreadable or invalid: %s", self.path, error)
        aside = self._aside_path()
        try:
            os.replace(self.path, aside)
        except OSError as move_error:
            log.error("Failed to move %s aside: %s", self.path, move_error)
            problem = _(
                "The settings file {path} could not be read, so the defaults are used. "
                "Check the file and the folder's permissions."
            ).format(path=self.path)
            return SettingsLoadResult(Settings(), problem)

        log.warning("Moved the invalid settings file to %s", aside)
        problem = _(
            "The settings file could not be read, so the defaults are used. "
            "The old file was kept as {copy}."
        ).format(copy=aside)
        return SettingsLoadResult(Settings(), problem, aside)

    def _copy_aside(self) -> Path | None:
        aside = self._aside_path()
        try:
            _write_atomically(aside, self.path.read_bytes())
        except OSError as error:
            log.error("Failed to copy %s aside: %s", self.path, error)
            return None
        return aside

    def _aside_path(self) -> Path:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        return self.path.with_name(f"{self.path.name}.invalid-{stamp}")


def _write_atomically(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary_name = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary_name, path)
    except BaseException:
        Path(temporary_name).unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)


def _fsync_folder(folder: Path) -> None:
    # Makes the rename itself durable on POSIX; Windows cannot open a folder this way.
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def encode_settings(settings: Settings) -> dict[str, Any]:
    """Return the JSON document for ``settings``, unknown keys included."""
    geometry = settings.window_geometry
    known: dict[str, Any] = {
        "version": SETTINGS_VERSION,
        "operator_name": settings.operator_name,
        "operator_language": settings.operator_language,
        "customer_display_language": settings.customer_display_language,
        "environment": settings.environment.value,
        "base_url_override": settings.base_url_override,
        "markup_percent": str(settings.markup_percent),
        "markup_rounding": settings.markup_rounding.value,
        "low_balance_threshold": str(settings.low_balance_threshold),
        "catalog_refresh_hours": settings.catalog_refresh_hours,
        "window_geometry": base64.b64encode(geometry).decode("ascii") if geometry else None,
        "last_profile": settings.last_profile,
        "live_accounts": [
            {
                "profile_name": account.profile_name,
                "masked_access_code": account.masked_access_code,
                "base_url": account.base_url,
            }
            for account in settings.live_accounts
        ],
    }
    return {**settings.unknown_fields, **known}


def decode_settings(document: Mapping[str, Any]) -> tuple[Settings, list[str]]:
    """Return the settings in ``document`` and the names of values that were invalid.

    Each invalid value falls back to its default on its own, so one bad entry
    does not cost the operator the other settings.
    """
    values: dict[str, Any] = {}
    invalid: list[str] = []
    for name, decode in _DECODERS.items():
        if name not in document:
            continue
        try:
            values[name] = decode(document[name])
        except (ValueError, TypeError, KeyError, InvalidOperation, binascii.Error):
            invalid.append(name)

    unknown = {k: v for k, v in document.items() if k not in _DECODERS and k != "version"}
    try:
        return Settings(**values, unknown_fields=unknown), invalid
    except InvalidSettingError as error:
        values.pop(error.name, None)
        return Settings(**values, unknown_fields=unknown), [*invalid, error.name]


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("expected a string")
    return value


def _optional_text(value: Any) -> str | None:
    return None if value is None else _text(value)


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        raise TypeError("expected a decimal number")
    amount = Decimal(value)
    check_amount("amount", amount)
    return amount


def _hours(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("expected whole hours")
    if not 1 <= value <= MAX_REFRESH_HOURS:
        raise ValueError("refresh interval out of range")
    return value


def _geometry(value: Any) -> bytes | None:
    return None if value is None else base64.b64decode(_text(value), validate=True)


def _base_url(value: Any) -> str | None:
    return None if value is None else check_base_url(_text(value))


def _accounts(value: Any) -> tuple[LiveAccount, ...]:
    if not isinstance(value, list):
        raise TypeError("expected a list of accounts")
    return tuple(
        LiveAccount(
            profile_name=_text(item["profile_name"]),
            masked_access_code=_text(item["masked_access_code"]),
            base_url=_text(item["base_url"]),
        )
        for item in value
    )


_DECODERS: dict[str, Callable[[Any], Any]] = {
    "operator_name": _text,
    "operator_language": _optional_text,
    "customer_display_language": _text,
    "environment": Environment,
    "base_url_override": _base_url,
    "markup_percent": _decimal,
    "markup_rounding": Rounding,
    "low_balance_threshold": _decimal,
    "catalog_refresh_hours": _hours,
    "window_geometry": _geometry,
    "last_profile": _optional_text,
    "live_accounts": _accounts,
}


__all__ = [
    "DEFAULT_LANGUAGE",
    "DEFAULT_LOW_BALANCE_THRESHOLD",
    "DEFAULT_REFRESH_HOURS",
    "MAX_REFRESH_HOURS",
    "SETTINGS_VERSION",
    "Environment",
    "InvalidSettingError",
    "LiveAccount",
    "Settings",
    "SettingsLoadResult",
    "SettingsSaveError",
    "SettingsStore",
    "check_base_url",
    "decode_settings",
    "encode_settings",
    "system_language",
]
