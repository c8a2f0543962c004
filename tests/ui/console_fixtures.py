"""Start the whole console in-process on the test's qasync loop, in training mode."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.exceptions import TimeoutError as QtTimeoutError

from esimfly_desktop.services.settings import Settings, SettingsStore
from esimfly_desktop.storage.paths import DataFolders
from esimfly_desktop.ui.app_controller import AppController, StartOptions

# A full catalog download from the sandbox takes about 2 s on a 2-core machine.
CATALOG_TIMEOUT_MS = 30_000


def training_options(data_dir: Path, settings: Settings | None = None) -> StartOptions:
    folders = DataFolders(data_dir)
    store = SettingsStore(folders.settings_file)
    return StartOptions(
        is_training=True,
        folders=folders,
        settings_store=store,
        settings=settings or store.load_sync().settings,
    )


@pytest.fixture
def training_console(qt_loop, qtbot, tmp_path) -> Iterator[AppController]:
    """A console in training mode with its own sandbox child, catalog loaded."""
    controller = AppController(training_options(tmp_path / "data"))
    qt_loop.run(controller.start())
    model = controller.window.catalog_view.model
    try:
        qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=CATALOG_TIMEOUT_MS)
    except QtTimeoutError:
        status = controller.window.statusBar().currentMessage()
        qt_loop.run(controller.shutdown(), timeout=15)
        pytest.fail(f"training catalog not shown; status bar: {status!r}")

    yield controller

    qt_loop.run(controller.shutdown(), timeout=15)
