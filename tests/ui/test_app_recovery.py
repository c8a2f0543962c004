"""A damaged profile database: the console starts on a new one and reports it to the operator."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QMessageBox

from esimfly_desktop.storage.paths import TRAINING_PROFILE, DataFolders
from esimfly_desktop.ui.app_controller import AppController
from tests.ui.console_fixtures import CATALOG_TIMEOUT_MS, training_options


def open_message_boxes() -> list[QMessageBox]:
    return [
        widget
        for widget in QApplication.topLevelWidgets()
        if isinstance(widget, QMessageBox) and widget.isVisible()
    ]


def test_damaged_database_replaced_and_reported(qt_loop, qtbot, tmp_path) -> None:
    data_dir = tmp_path / "data"
    database_path = DataFolders(data_dir).profile(TRAINING_PROFILE).database
    database_path.parent.mkdir(parents=True)
    database_path.write_bytes(b"this is not an SQLite database" * 200)
    controller = AppController(training_options(data_dir))

    qt_loop.run(controller.start())
    try:
        qtbot.waitUntil(lambda: bool(open_message_boxes()), timeout=CATALOG_TIMEOUT_MS)
        box = open_message_boxes()[0]
        moved_aside = list(database_path.parent.glob(f"{database_path.name}.damaged-*"))
        text = box.text()
        box.accept()
        qtbot.waitUntil(
            lambda: controller.window.catalog_view.model.rowCount() > 0,
            timeout=CATALOG_TIMEOUT_MS,
        )
    finally:
        qt_loop.run(controller.shutdown(), timeout=15)

    assert "damaged" in text
    assert len(moved_aside) == 1, list(database_path.parent.iterdir())
    assert str(moved_aside[0]) in text
