"""Profiles: training and each live account, each with its own folder and database.

Every profile keeps its database, cache and outbox under its own folder, so
an order queued in training can never be sent with a live account's
credentials. No request leaves the console for a profile until
``check_ready`` has found its credentials: the training profile's come from
the sandbox's ``sandbox.json``, a live profile's from the keyring or from this
session's memory.
"""

from __future__ import annotations

import asyncio
import enum
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from esimfly_desktop.api.base_url import is_loopback_host
from esimfly_desktop.api.signing import Credentials, mask_access_code
from esimfly_desktop.i18n import _
from esimfly_desktop.services.secrets import SecretStore, SecretStoreError
from esimfly_desktop.services.settings import LiveAccount, Settings, check_base_url
from esimfly_desktop.storage.paths import (
    LIVE_PROFILE_PREFIX,
    TRAINING_PROFILE,
    DataFolders,
    ProfileFolder,
    live_profile_name,
)

log = logging.getLogger(__name__)

# The live service's address: only a default for a live profile, never contacted by tests.
LIVE_BASE_URL = "https://esimfly.net/api/v1/business"
SANDBOX_INFO_FILE = "sandbox.json"


class ProfileKind(enum.Enum):
    """Whether a profile sells for real or against the local training sandbox."""

    TRAINING = "training"
    LIVE = "live"


@dataclass(frozen=True)
class Profile:
    """One profile: its name, kind, service address and own folder.

    ``base_url`` of the training profile is None because the sandbox picks a
    free port each time it starts; ``check_ready`` reads the current one.
    """

    name: str
    kind: ProfileKind
    base_url: str | None
    folder: ProfileFolder
    masked_access_code: str | None = None

    @property
    def is_training(self) -> bool:
        return self.kind is ProfileKind.TRAINING

    @property
    def database(self) -> Path:
        return self.folder.database

    @property
    def sandbox_info_file(self) -> Path:
        """The ``sandbox.json`` of this profile's sandbox (training only)."""
        return self.folder.sandbox_data / SANDBOX_INFO_FILE


@dataclass(frozen=True)
class Readiness:
    """Whether a profile may connect, with what, and a message for the operator if not."""

    ready: bool
    base_url: str | None = None
    credentials: Credentials | None = None
    reason: str | None = None


def training_profile(folders: DataFolders) -> Profile:
    """Return the training profile, whose sandbox data lives in its own folder."""
    return Profile(TRAINING_PROFILE, ProfileKind.TRAINING, None, folders.profile(TRAINING_PROFILE))


def live_profile(folders: DataFolders, access_code: str, base_url: str = LIVE_BASE_URL) -> Profile:
    """Return the profile of the live account with ``access_code``.

    Raises InvalidSettingError for a base URL that is neither HTTPS nor loopback.
    """
    if not access_code.strip():
        raise ValueError("a live profile needs an access code")
    name = live_profile_name(access_code.strip())
    return Profile(
        name=name,
        kind=ProfileKind.LIVE,
        base_url=check_base_url(base_url),
        folder=folders.profile(name),
        masked_access_code=mask_access_code(access_code.strip()),
    )


def live_account_entry(profile: Profile) -> LiveAccount:
    """Return the settings entry of a live profile: no secret, the access code masked."""
    if profile.is_training or profile.base_url is None or profile.masked_access_code is None:
        raise ValueError(f"profile {profile.name!r} is not a live account")
    return LiveAccount(profile.name, profile.masked_access_code, profile.base_url)


def profiles_in(settings: Settings, folders: DataFolders) -> list[Profile]:
    """Return the training profile, then each live account listed in ``settings``."""
    profiles = [training_profile(folders)]
    for account in settings.live_accounts:
        # A hand-edited name such as "training" would share another profile's folder.
        if not account.profile_name.startswith(LIVE_PROFILE_PREFIX):
            log.error(
                "Skipped live account %r: its name must start with %r",
                account.profile_name,
                LIVE_PROFILE_PREFIX,
            )
            continue
        profiles.append(
            Profile(
                name=account.profile_name,
                kind=ProfileKind.LIVE,
                base_url=account.base_url,
                folder=folders.profile(account.profile_name),
                masked_access_code=account.masked_access_code,
            )
        )
    return profiles


def find_profile(settings: Settings, folders: DataFolders, name: str) -> Profile | None:
    """Return the profile called ``name``, or None when settings list no such account."""
    for profile in profiles_in(settings, folders):
        if profile.name == name:
            return profile
    return None


def live_base_url(profile: Profile, settings: Settings) -> str | None:
    """Return the address a live profile connects to: the settings' override, if any."""
    if profile.is_training:
        return None
    return settings.base_url_override or profile.base_url


async def check_ready(profile: Profile, secret_store: SecretStore) -> Readiness:
    """Return whether ``profile`` has what it needs to send a request, and what that is.

    A profile that is not ready gets a translated reason; callers send nothing
    for it. A keyring failure is reported as the reason, never raised, so the
    operator can still enter the secret key for this session only.
    """
    if profile.is_training:
        return await asyncio.to_thread(_training_readiness, profile)

    try:
        credentials = await secret_store.load(profile.name)
    except SecretStoreError as error:
        log.warning("Profile %s is not ready: keyring failed", profile.name)
        return Readiness(False, profile.base_url, reason=str(error))

    if credentials is None:
        log.info("Profile %s has no credentials yet", profile.name)
        return Readiness(
            False,
            profile.base_url,
            reason=_("Enter the access code and secret key of this account to connect."),
        )
    if live_profile_name(credentials.access_code) != profile.name:
        log.error("Credentials stored for profile %s belong to another account", profile.name)
        return Readiness(
            False,
            profile.base_url,
            reason=_("The saved access code belongs to another account. Enter it again."),
        )
    return Readiness(True, profile.base_url, credentials)


def _training_readiness(profile: Profile) -> Readiness:
    path = profile.sandbox_info_file
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
        base_url = str(info["base_url"])
        credentials = Credentials(str(info["access_code"]), str(info["secret"]))
    except FileNotFoundError:
        return Readiness(False, reason=_("The training sandbox has not started yet."))
    except (OSError, ValueError, KeyError, TypeError) as error:
        log.error("Failed to read %s: %s", path, type(error).__name__)
        return Readiness(
            False,
            reason=_("The training sandbox's details in {path} could not be read.").format(
                path=path
            ),
        )

    # Training must only ever reach the sandbox on this computer.
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not is_loopback_host(parts.hostname or ""):
        log.error("Training base URL %s is not a loopback address; not connecting", base_url)
        return Readiness(
            False,
            reason=_("The training sandbox's address {url} is not on this computer.").format(
                url=base_url
            ),
        )
    return Readiness(True, base_url.rstrip("/"), credentials)
