"""First start without an account: the console asks, sends nothing, and can switch to training."""

from __future__ import annotations

from esimfly_desktop.services.settings import SettingsStore
from esimfly_desktop.storage.paths import DataFolders
from esimfly_desktop.ui.app_controller import AppController, StartOptions
from esimfly_desktop.ui.first_run import FirstRunDialog

CATALOG_TIMEOUT_MS = 30_000


def live_options(data_dir) -> StartOptions:
    folders = DataFolders(data_dir)
    store = SettingsStore(folders.settings_file)
    return StartOptions(
        is_training=False,
        folders=folders,
        settings_store=store,
        settings=store.load_sync().settings,
    )


def first_run_dialog(controller: AppController) -> FirstRunDialog | None:
    dialogs = [d for d in controller.window.findChildren(FirstRunDialog) if d.isVisible()]
    return dialogs[0] if dialogs else None


def test_first_run_asks_before_any_request(qt_loop, qtbot, tmp_path):
    controller = AppController(live_options(tmp_path))
    try:
        qt_loop.run(controller.start())
        qtbot.waitUntil(lambda: first_run_dialog(controller) is not None, timeout=5000)

        assert controller.session is None
        assert controller.window.training_banner is None
        assert "training" not in controller.window.windowTitle().lower()
    finally:
        qt_loop.run(controller.shutdown(), timeout=15)


def test_first_run_switches_to_training(qt_loop, qtbot, tmp_path):
    controller = AppController(live_options(tmp_path))
    try:
        qt_loop.run(controller.start())
        qtbot.waitUntil(lambda: first_run_dialog(controller) is not None, timeout=5000)

        first_run_dialog(controller).training_button.click()

        qtbot.waitUntil(lambda: controller.session is not None, timeout=CATALOG_TIMEOUT_MS)
        assert controller.session.is_training
        assert controller.window.training_banner is not None
        assert controller.window.training_banner.isVisible()
        qtbot.waitUntil(
            lambda: controller.window.catalog_view.model.rowCount() > 0, timeout=CATALOG_TIMEOUT_MS
        )
    finally:
        qt_loop.run(controller.shutdown(), timeout=15)
