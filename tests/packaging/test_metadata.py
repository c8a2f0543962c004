import os
import plistlib
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"
REQUIRE_TOOLS = os.environ.get("ESIMFLY_TESTS_REQUIRE_KEYRING") == "1"


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        if REQUIRE_TOOLS:
            pytest.fail(f"{name} is not installed; .ci/run installs it")
        pytest.skip(f"{name} is not installed")
    return path


def test_desktop_entry_validates() -> None:
    tool = require_tool("desktop-file-validate")

    result = subprocess.run(
        [tool, str(LINUX / "net.esimfly.Desktop.desktop")], capture_output=True, text=True
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in result.stdout.lower()


def test_appstream_metainfo_validates() -> None:
    tool = require_tool("appstreamcli")

    result = subprocess.run(
        [tool, "validate", "--no-net", str(LINUX / "net.esimfly.Desktop.metainfo.xml")],
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_metainfo_release_matches_package_version() -> None:
    text = (LINUX / "net.esimfly.Desktop.metainfo.xml").read_text(encoding="utf-8")

    assert f'<release version="{version("esimfly-desktop")}"' in text


def test_nsis_script_compiles(tmp_path: Path) -> None:
    tool = require_tool("makensis")
    stand_in = tmp_path / "bundle"
    stand_in.mkdir()
    (stand_in / "esimfly-desktop.exe").write_bytes(b"stand-in for the frozen program")
    (stand_in / "_internal").mkdir()
    (stand_in / "_internal" / "library.dll").write_bytes(b"stand-in")
    installer = tmp_path / "esimfly-desktop-setup.exe"

    result = subprocess.run(
        [
            tool,
            "-V2",
            f"-DVERSION={version('esimfly-desktop')}",
            f"-DSOURCE_DIR={stand_in}",
            f"-DOUTFILE={installer}",
            str(ROOT / "packaging" / "windows" / "installer.nsi"),
        ],
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert installer.stat().st_size > 10_000


def test_nsis_script_installs_per_user() -> None:
    script = (ROOT / "packaging" / "windows" / "installer.nsi").read_text(encoding="utf-8")

    assert "RequestExecutionLevel user" in script
    assert "$LOCALAPPDATA\\Programs" in script
    assert "WriteUninstaller" in script
    assert "$SMPROGRAMS" in script


def test_macos_info_plist_round_trips() -> None:
    sys.path.insert(0, str(ROOT / "packaging" / "macos"))
    try:
        from info_plist import info_plist
    finally:
        sys.path.pop(0)
    package_version = version("esimfly-desktop")

    parsed = plistlib.loads(plistlib.dumps(info_plist(package_version)))

    assert parsed["CFBundleIdentifier"] == "net.esimfly.Desktop"
    assert parsed["CFBundleShortVersionString"] == package_version
    assert parsed["CFBundleVersion"] == package_version
    assert parsed["LSMinimumSystemVersion"] == "12.0"
    assert parsed["NSHighResolutionCapable"] is True


def test_icons_exist_at_usual_sizes() -> None:
    icons = ROOT / "resources" / "icons"

    assert (icons / "esimfly-desktop.svg").is_file()
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        assert (icons / "png" / f"esimfly-desktop-{size}.png").is_file(), size


def test_dependencies_use_essentials_wheel() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")

    assert '"PySide6-Essentials' in text
    assert '"PySide6>' not in text
    assert '"PySide6;' not in text
