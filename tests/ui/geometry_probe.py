"""Run in a child process with a chosen offscreen screen layout: restore, show, report.

Usage: ``python -m tests.ui.geometry_probe SAVED_JSON``. Prints one JSON object
with the screens Qt reports, the restored window rectangle, the screen the window
is on and the geometry captured back from it. The parent test picks the layout
through ``QT_QPA_PLATFORM=offscreen:configfile=...``.
"""

from __future__ import annotations

import json
import sys

from PySide6.QtWidgets import QApplication, QMainWindow

from esimfly_desktop.ui.geometry import SavedGeometry, capture_geometry, restore_geometry


def main(saved_json: str) -> int:
    application = QApplication([sys.argv[0]])
    window = QMainWindow()
    rect = restore_geometry(window, SavedGeometry.from_json(saved_json))
    window.show()
    application.processEvents()

    screen = window.screen()
    report = {
        "screens": [{"name": s.name(), "dpr": s.devicePixelRatio()} for s in application.screens()],
        "restored": [rect.x(), rect.y(), rect.width(), rect.height()],
        "screen": screen.name() if screen is not None else "",
        "captured": json.loads(capture_geometry(window).to_json()),
    }
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
