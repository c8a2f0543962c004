"""The macOS app bundle's Info.plist values, shared by the PyInstaller spec and its test."""

from __future__ import annotations

BUNDLE_IDENTIFIER = "net.esimfly.Desktop"
MINIMUM_MACOS = "12.0"


def info_plist(version: str) -> dict[str, object]:
    """Return the Info.plist entries for a bundle of ``version``."""
    return {
        "CFBundleName": "eSIMfly Desktop",
        "CFBundleDisplayName": "eSIMfly Desktop",
        "CFBundleIdentifier": BUNDLE_IDENTIFIER,
        "CFBundleShortVersionString": version,
        "CFBundleVersion": version,
        "CFBundlePackageType": "APPL",
        "CFBundleExecutable": "esimfly-desktop",
        "CFBundleIconFile": "esimfly-desktop.icns",
        "CFBundleDevelopmentRegion": "en",
        "CFBundleLocalizations": ["en", "ar", "es", "fr"],
        "LSMinimumSystemVersion": MINIMUM_MACOS,
        "LSApplicationCategoryType": "public.app-category.business",
        "NSHighResolutionCapable": True,
        "NSPrincipalClass": "NSApplication",
        "NSRequiresAquaSystemAppearance": False,
        "NSHumanReadableCopyright": "eSIMfly Desktop developers",
    }
