"""Locate the bundled resources and translations, installed or from a source tree."""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path


def _package_dir(name: str) -> Path | None:
    candidate = resources.files("esimfly_desktop") / name
    if candidate.is_dir():
        return Path(str(candidate))
    return None


def _find(name: str) -> Path:
    # A wheel copies the top-level folder into the package; a PyInstaller
    # bundle unpacks it beside the package under sys._MEIPASS; a source
    # checkout keeps it at the repository root.
    installed = _package_dir(name)
    if installed is not None:
        return installed

    bundle_root = getattr(sys, "_MEIPASS", None)
    if bundle_root is not None:
        bundled = Path(bundle_root) / "esimfly_desktop" / name
        if bundled.is_dir():
            return bundled

    source_tree = Path(__file__).resolve().parent.parent / name
    if source_tree.is_dir():
        return source_tree
    raise FileNotFoundError(f"The {name!r} folder is missing; reinstall eSIMfly Desktop.")


def resources_dir() -> Path:
    """Return the folder of icons, styles and other bundled files."""
    return _find("resources")


def translations_dir() -> Path:
    """Return the folder of gettext catalogs (``<lang>/LC_MESSAGES/*.mo``)."""
    return _find("translations")
