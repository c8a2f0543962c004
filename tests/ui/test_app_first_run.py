"""First start without an account: the console asks, sends nothing, and can switch to training."""

from __future__ import annotations

from dataclasses import replace

from esimfly_desktop.api.signing import Credentials, mask_access_code
from esimfly_desktop.services.settings import LiveAccount, SettingsStore
from esimfly_desktop.storage.paths import DataFolders, live_profile_name
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


def test_saved_live_account_opens_without_asking(qt_loop, qtbot, tmp_path, sandbox):
    profile = live_profile_name(sandbox.access_code)
    account = LiveAccount(profile, mask_access_code(sandbox.access_code), sandbox.base_url)
    options = live_options(tmp_path)
    options = replace(
        options, settings=replace(options.settings, live_accounts=(account,), last_profile=profile)
    )
    controller = AppController(options)
    controller.secret_store.keep_for_session(
        profile, Credentials(sandbox.access_code, sandbox.secret)
    )
    try:
        qt_loop.run(controller.start())

        qtbot.waitUntil(lambda: controller.session is not None, timeout=CATALOG_TIMEOUT_MS)
        assert first_run_dialog(controller) is None
        assert not controller.session.is_training
        assert controller.session.name == profile
        assert controller.window.training_banner is None
        assert controller.training_menu is None
        qtbot.waitUntil(
            lambda: controller.window.catalog_view.model.rowCount() > 0, timeout=CATALOG_TIMEOUT_MS
        )
    finally:
        qt_loop.run(controller.shutdown(), timeout=15)
