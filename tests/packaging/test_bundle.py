"""Build the Linux one-folder bundle and run its self-check with no Python on the PATH."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="builds the Linux bundle"),
]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bundle")
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "packaging" / "build.py"),
            "--dist",
            str(out / "dist"),
            "--work",
            str(out / "work"),
        ],
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "bundle size:" in result.stdout
    return out / "dist" / "esimfly-desktop"


def test_bundle_excludes_tests_and_caches(bundle: Path) -> None:
    names = {path.name for path in bundle.rglob("*")}

    assert "conftest.py" not in names
    assert "sandbox.json" not in names
    assert "__pycache__" not in names


def test_bundle_ships_linux_integration(bundle: Path) -> None:
    share = bundle / "share"

    assert (share / "applications" / "net.esimfly.Desktop.desktop").is_file()
    assert (share / "metainfo" / "net.esimfly.Desktop.metainfo.xml").is_file()
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / "net.esimfly.Desktop.svg").is_file()


def test_bundle_self_check_passes(bundle: Path, tmp_path: Path, secret_service) -> None:
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    environment = {
        "PATH": str(empty_bin),
        "HOME": str(tmp_path),
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_DATA_HOME": str(tmp_path / "data"),
        # The test's private keyring daemon, so the bundle's keyring check runs for real.
        "DBUS_SESSION_BUS_ADDRESS": secret_service.bus_address,
    }

    result = subprocess.run(
        [str(bundle / "esimfly-desktop"), "--self-check"],
        capture_output=True,
        text=True,
        timeout=300,
        env=environment,
        cwd=tmp_path,
    )

    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert "self-check passed" in result.stdout, report
    assert "[ok] training sale" in result.stdout, report
    assert "test entry created, read back and removed" in result.stdout, report
    assert "PySide6" in result.stdout


def test_bundle_reports_version(bundle: Path) -> None:
    from importlib.metadata import version

    result = subprocess.run(
        [str(bundle / "esimfly-desktop"), "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/nonexistent", "QT_QPA_PLATFORM": "offscreen"},
    )

    assert result.returncode == 0, result.stderr
    assert version("esimfly-desktop") in result.stdout
