"""Start the console: one ordered start-up, and the same steps in reverse on the way out.

arguments → folders → logging → runtime check → locale → QApplication →
qasync loop → main window. Shutdown closes the window's work in reverse
(periodic tasks, outbox, HTTP client, database, training sandbox) within
``SHUTDOWN_DEADLINE_S``.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from esimfly_desktop import __version__
from esimfly_desktop.i18n import _
from esimfly_desktop.storage.paths import DataFolders

if TYPE_CHECKING:
    from esimfly_desktop.ui.app_controller import AppController, StartOptions

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_DATA_FOLDER_UNUSABLE = 2
EXIT_RUNTIME_REFUSED = 3


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="esimfly-desktop",
        description="Counter console for eSIM resellers on the eSIMfly Business API.",
    )
    parser.add_argument(
        "--training",
        action="store_true",
        help="start the bundled training sandbox and use its demo account (no real orders)",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="folder for settings, profiles and logs (default: the platform's user data folder)",
    )
    parser.add_argument(
        "--language",
        help="operator language for this run, such as en, ar or es_MX (default: from settings)",
    )
    parser.add_argument(
        "--self-check",
        action="store_true",
        help="check resources, translations, Qt plugins and the keyring, then exit",
    )
    parser.add_argument("--version", action="version", version=f"eSIMfly Desktop {__version__}")
    return parser


def run(argv: Sequence[str]) -> int:
    """Run the console with command-line arguments ``argv``; return the process exit code."""
    # Arguments.
    arguments = build_parser().parse_args(list(argv))
    if arguments.self_check:
        from esimfly_desktop.self_check import run_self_check

        return run_self_check()

    # Folders.
    folders = DataFolders(arguments.data_dir) if arguments.data_dir else DataFolders.default()
    try:
        folders.root.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        message = _(
            "The data folder {path} could not be created: {reason}. "
            "Choose another folder with --data-dir."
        ).format(path=folders.root, reason=error.strerror or type(error).__name__)
        print(message, file=sys.stderr)
        return EXIT_DATA_FOLDER_UNUSABLE

    # Logging.
    from esimfly_desktop.logging_setup import configure_logging

    logging_setup = configure_logging(folders)
    log.info("eSIMfly Desktop %s starting, data folder %s", __version__, folders.root)
    try:
        return _run_checked(arguments, folders)
    finally:
        log.info("eSIMfly Desktop stopped")
        logging_setup.remove()


def _run_checked(arguments: argparse.Namespace, folders: DataFolders) -> int:
    # Runtime check: refuse Python and PySide6 combinations known to crash.
    from esimfly_desktop.runtime_check import UnsupportedRuntimeError, check_runtime

    try:
        check_runtime()
    except UnsupportedRuntimeError as error:
        print(error, file=sys.stderr)
        return EXIT_RUNTIME_REFUSED

    # Locale: the settings file is read here, before any window, on the main thread.
    from esimfly_desktop.i18n import set_language
    from esimfly_desktop.services.settings import SettingsStore

    settings_store = SettingsStore(folders.settings_file)
    loaded = settings_store.load_sync()
    language = arguments.language or loaded.settings.effective_operator_language
    set_language(language)

    # QApplication, then the qasync loop: PySide6 must be imported before qasync.
    os.environ.setdefault("QT_API", "pyside6")
    from PySide6.QtWidgets import QApplication

    application = QApplication.instance() or QApplication([sys.argv[0]])
    application.setApplicationName("eSIMfly Desktop")
    application.setApplicationVersion(__version__)
    application.setQuitOnLastWindowClosed(False)

    # Qt's own strings and the layout direction (mirrored for Arabic) follow the language.
    from esimfly_desktop.i18n.qt_translations import apply_language_to_qt

    apply_language_to_qt(language)

    from esimfly_desktop.ui.app_controller import StartOptions

    options = StartOptions(
        is_training=arguments.training,
        folders=folders,
        settings_store=settings_store,
        settings=loaded.settings,
        settings_problem=loaded.problem,
    )

    # Main window, inside the loop until the operator quits or a signal arrives.
    import qasync

    with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(application)) as runner:
        return runner.run(_main(options))


async def _main(options: StartOptions) -> int:
    from esimfly_desktop.ui.app_controller import AppController

    controller = AppController(options)
    from esimfly_desktop.ui.first_paint_exit import quit_after_first_catalog_paint_if_requested

    quit_hook = quit_after_first_catalog_paint_if_requested(  # noqa: F841 (kept for the run)
        controller.window.catalog_view.table, controller.request_quit
    )
    loop = asyncio.get_running_loop()
    _install_signal_handlers(loop, controller)
    controller.install_error_reporter(loop)

    try:
        await controller.start()
        await controller.wait_for_quit()
    finally:
        await controller.shutdown()
    return EXIT_OK


def _install_signal_handlers(loop: asyncio.AbstractEventLoop, controller: AppController) -> None:
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(signal_number, controller.request_quit, signal_number.name)
        except (NotImplementedError, RuntimeError):
            # Windows event loops have no add_signal_handler; Ctrl+C there
            # raises KeyboardInterrupt, which the runner turns into cancellation.
            log.info("No loop handler for %s on this platform", signal_number.name)
