"""Render the SVG application icon to the PNG sizes desktops and installers use.

Run from the repository root after changing resources/icons/esimfly-desktop.svg:

    python packaging/render_icons.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "resources" / "icons" / "esimfly-desktop.svg"
TARGET = ROOT / "resources" / "icons" / "png"


def render(size: int, destination: Path) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        raise SystemExit(f"invalid SVG icon: {SOURCE}")

    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()

    if not image.save(str(destination)):
        raise SystemExit(f"could not write {destination}")


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    application = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    TARGET.mkdir(parents=True, exist_ok=True)
    for size in SIZES:
        destination = TARGET / f"esimfly-desktop-{size}.png"
        render(size, destination)
        print(destination.relative_to(ROOT))
    del application
    return 0


if __name__ == "__main__":
    sys.exit(main())
