"""Build the one-folder bundle for this system and report where it is and its size.

Run from an environment where eSIMfly Desktop and PyInstaller are installed
(``pip install -e '.[dev]'``)::

    python packaging/build.py

On Linux it also writes a tarball of the bundle with the desktop entry,
AppStream metadata and icons beside it.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tarfile
import time
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "esimfly_desktop.spec"
APP_ID = "net.esimfly.Desktop"


def folder_size(path: Path) -> int:
    """Return the bytes on disk, counting each symlinked library once."""
    return sum(
        item.stat().st_size for item in path.rglob("*") if item.is_file() and not item.is_symlink()
    )


def run_pyinstaller(dist: Path, work: Path) -> Path:
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--log-level",
        "WARN",
        "--distpath",
        str(dist),
        "--workpath",
        str(work),
        str(SPEC),
    ]
    subprocess.run(command, check=True, cwd=ROOT)
    return dist / "esimfly-desktop"


def add_linux_integration(bundle: Path) -> None:
    """Copy the desktop entry, metadata and icons into ``share/`` inside the bundle."""
    share = bundle / "share"
    (share / "applications").mkdir(parents=True, exist_ok=True)
    (share / "metainfo").mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "packaging/linux" / f"{APP_ID}.desktop", share / "applications")
    shutil.copy2(ROOT / "packaging/linux" / f"{APP_ID}.metainfo.xml", share / "metainfo")

    icons = share / "icons" / "hicolor"
    scalable = icons / "scalable" / "apps"
    scalable.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "resources/icons/esimfly-desktop.svg", scalable / f"{APP_ID}.svg")
    for png in sorted((ROOT / "resources/icons/png").glob("esimfly-desktop-*.png")):
        size = png.stem.rsplit("-", 1)[1]
        target = icons / f"{size}x{size}" / "apps"
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(png, target / f"{APP_ID}.png")


def write_tarball(bundle: Path, dist: Path) -> Path:
    machine = "x86_64" if sys.maxsize > 2**32 else "x86"
    tarball = dist / f"esimfly-desktop-{version('esimfly-desktop')}-linux-{machine}.tar.gz"
    with tarfile.open(tarball, "w:gz") as archive:
        archive.add(bundle, arcname=bundle.name)
    return tarball


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the eSIMfly Desktop bundle.")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder")
    parser.add_argument(
        "--work",
        type=Path,
        default=ROOT / "build" / "pyinstaller",
        help="PyInstaller's work folder",
    )
    parser.add_argument("--no-tarball", action="store_true", help="skip the Linux tarball")
    arguments = parser.parse_args(argv)

    started = time.monotonic()
    bundle = run_pyinstaller(arguments.dist, arguments.work)
    if sys.platform.startswith("linux"):
        add_linux_integration(bundle)

    size_mib = folder_size(bundle) / 2**20
    print(f"bundle: {bundle}")
    print(f"bundle size: {size_mib:.1f} MiB")
    if sys.platform.startswith("linux") and not arguments.no_tarball:
        tarball = write_tarball(bundle, arguments.dist)
        print(f"tarball: {tarball} ({tarball.stat().st_size / 2**20:.1f} MiB)")
    print(f"build time: {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
