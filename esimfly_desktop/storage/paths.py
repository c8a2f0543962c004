"""Data folder layout: settings, logs, and each profile's database and cache."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "esimfly-desktop"
TRAINING_PROFILE = "training"
LIVE_PROFILE_PREFIX = "live-"


@dataclass(frozen=True)
class DataFolders:
    """The folders of one installation: settings, per-profile data, logs."""

    root: Path

    @classmethod
    def default(cls) -> DataFolders:
        return cls(Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)))

    @property
    def settings_file(self) -> Path:
        return self.root / "settings.json"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    def profile(self, name: str) -> ProfileFolder:
        """Return the folder of a profile: ``training`` or ``live-<access code>``."""
        return ProfileFolder(self.root / "profiles" / _safe_name(name))


@dataclass(frozen=True)
class ProfileFolder:
    """One profile's own files: nothing is shared between profiles."""

    path: Path

    @property
    def database(self) -> Path:
        return self.path / "console.sqlite3"

    @property
    def sandbox_data(self) -> Path:
        return self.path / "sandbox"


def live_profile_name(access_code: str) -> str:
    """Name the profile of a live account after a digest of its access code.

    The digest keeps each account's folder apart without writing the access
    code itself into folder names and the settings file.
    """
    digest = hashlib.sha256(access_code.encode("utf-8")).hexdigest()[:16]
    return f"{LIVE_PROFILE_PREFIX}{digest}"


def _safe_name(name: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9_.-]", "_", name)
    if not cleaned or cleaned in {".", ".."}:
        raise ValueError(f"invalid profile name: {name!r}")
    return cleaned
