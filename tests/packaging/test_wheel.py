import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return out


def test_wheel_contains_resources_and_catalogs(built: Path) -> None:
    wheel = next(built.glob("*.whl"))

    names = set(zipfile.ZipFile(wheel).namelist())

    assert "esimfly_desktop/resources/icons/esimfly-desktop.svg" in names
    for language in ("ar", "es", "fr"):
        catalog = f"esimfly_desktop/translations/{language}/LC_MESSAGES/esimfly_desktop.mo"
        assert catalog in names, catalog
    assert not any(name.startswith("tests/") for name in names)


def test_sdist_contains_sources_and_catalogs(built: Path) -> None:
    sdist = next(built.glob("*.tar.gz"))

    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}

    assert "resources/icons/esimfly-desktop.svg" in names
    assert "translations/es/LC_MESSAGES/esimfly_desktop.po" in names
    assert "translations/es/LC_MESSAGES/esimfly_desktop.mo" in names
    assert "pyproject.toml" in names
