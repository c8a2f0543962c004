"""Render each main screen in training mode and save PNG screenshots.

Usage: ``python -m esimfly_desktop.ui.screenshots OUTDIR [--data-dir DIR] [--language ar]``.
With ``--language``, the console and the customer display use that language
and the PNG files go to ``OUTDIR/<language>/``.
Runs on Qt's offscreen platform unless ``QT_QPA_PLATFORM`` is set, starts the
training sandbox as a child process, waits for the catalog, and writes one
PNG per screen. Every wait is bounded; the run fails if a screen is not ready.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

WINDOW_SIZE = (1280, 800)
READY_TIMEOUT_S = 60.0
POLL_INTERVAL_S = 0.1
# File names of the tab screens, the same in every language.
TAB_FILE_NAMES = {"OrderHistoryView": "orders", "OutboxQueueView": "outbox"}


async def _wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} not ready within {READY_TIMEOUT_S:.0f} s")
        await asyncio.sleep(POLL_INTERVAL_S)


async def _capture(out_dir: Path, data_dir: Path, language: str | None) -> list[Path]:
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication, QWidget

    from esimfly_desktop.services.settings import SettingsStore
    from esimfly_desktop.storage.paths import DataFolders
    from esimfly_desktop.ui.app_controller import AppController, StartOptions
    from esimfly_desktop.ui.settings_dialog import SettingsDialog
    from esimfly_desktop.ui.table_rows import select_row

    folders = DataFolders(data_dir)
    store = SettingsStore(folders.settings_file)
    options = StartOptions(True, folders, store, store.load_sync().settings)
    controller = AppController(options)
    written: list[Path] = []

    def save(widget: QWidget, name: str) -> None:
        # Deliver only layout requests. processEvents here would run other asyncio
        # tasks inside this one, which breaks them and hangs the loop's shutdown.
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        path = out_dir / f"{name}.png"
        if not widget.grab().save(str(path)):
            raise OSError(f"failed to write {path}")
        written.append(path)
        log.info("Wrote %s", path)

    try:
        await controller.start()
        window = controller.window
        window.resize(*WINDOW_SIZE)
        view = window.catalog_view
        await _wait_for(lambda: view.model.rowCount() > 1000, "catalog")
        await _wait_for(lambda: controller.sales is not None, "sales screens")
        await _wait_for(lambda: controller.current_balance() is not None, "balance")
        await _wait_for(lambda: bool(window.balance_widget.as_of_label.text()), "balance time")

        if language is not None:
            controller.sales.display_window.set_language(language)
        view.filter_bar.search_box.setText("Japan")
        view.filter_bar.emit_query()
        select_row(view.table, 0)
        save(window, "catalog")

        package = view.selected_package()
        assert controller.sales is not None and package is not None
        controller.sales.buy(package)
        dialog = controller.sales.purchase.dialog
        assert dialog is not None
        save(dialog, "order-dialog")
        dialog.reject()

        settings_dialog = SettingsDialog(controller.settings, parent=window)
        settings_dialog.resize(560, 420)
        save(settings_dialog, "settings")
        settings_dialog.deleteLater()

        display = controller.sales.display_window
        display.resize(1024, 640)
        save(display, "customer-display-idle")

        await _sell_one(controller, package, save)

        # Capture the tabs after the sale, so order history shows an order with amount and date.
        history = controller.sales.history_view
        await _wait_for(lambda: history.model.rowCount() > 0, "order history")
        for index in range(1, window.tabs.count()):
            window.tabs.setCurrentIndex(index)
            screen = type(window.tabs.widget(index)).__name__
            save(window, f"tab-{index}-{TAB_FILE_NAMES.get(screen, screen.lower())}")
        window.tabs.setCurrentIndex(0)
    finally:
        await controller.shutdown()
    return written


async def _sell_one(controller: Any, package: Any, save: Callable[[Any, str], None]) -> None:
    """Buy one package in training, then capture the progress view and the customer display."""
    from esimfly_desktop.services.purchase import PurchaseRequest

    sales = controller.sales
    request = PurchaseRequest(package.package_code, package.name, package.cost, package.currency, 1)
    view = sales.purchase.start(request)
    await _wait_for(lambda: len(view.esim_cards()) == 1, "purchased eSIM")
    view.resize(720, 760)
    save(view, "purchase-ready")

    hand_off = view.esim_cards()[0].hand_off
    shown = await sales.customer_display.show(hand_off)
    if not shown:
        raise RuntimeError("the customer display did not show the eSIM")
    sales.display_window.resize(1024, 640)
    save(sales.display_window, "customer-display-qr")
    sales.customer_display.show_idle()
    view.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write PNG screenshots of the main screens.")
    parser.add_argument("out_dir", type=Path, help="folder for the PNG files")
    parser.add_argument(
        "--data-dir", type=Path, help="console data folder (default: a temporary folder)"
    )
    parser.add_argument(
        "--language", help="console and customer display language, such as ar or es (default: en)"
    )
    arguments = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QT_API", "pyside6")
    from PySide6.QtWidgets import QApplication

    application = QApplication.instance() or QApplication([sys.argv[0]])
    application.setQuitOnLastWindowClosed(False)
    import qasync

    out_dir = arguments.out_dir
    if arguments.language:
        from esimfly_desktop.i18n import set_language
        from esimfly_desktop.i18n.qt_translations import apply_language_to_qt

        set_language(arguments.language)
        apply_language_to_qt(arguments.language)
        out_dir = out_dir / arguments.language
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="esimfly-screenshots-") as temporary:
        data_dir = arguments.data_dir or Path(temporary)
        with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(application)) as runner:
            written = runner.run(_capture(out_dir, data_dir, arguments.language))
    print("\n".join(str(path) for path in written))
    return 0


if __name__ == "__main__":
    sys.exit(main())
