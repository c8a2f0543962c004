"""End the console's process once its shutdown has closed everything it owns.

After an orderly shutdown the profile's database, the settings file, the
outbox and the training sandbox are closed or stopped. Qt's application
object is destroyed first, so Qt's own cleanup runs as on a normal exit. The
interpreter's teardown, which then only frees memory and finalizes the
loaded modules, is skipped: 20-40 ms of every quit on the 2-core machines
measured.

A shutdown that ran out of time can leave a worker thread busy, such as the
database's with a queued write. Then the process exits through the
interpreter, which waits for such threads, so no queued work is dropped.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from typing import NoReturn

log = logging.getLogger(__name__)


def end_process(exit_code: int) -> NoReturn:
    """Destroy the QApplication, flush the log and standard streams, and exit with ``exit_code``."""
    working = threads_still_working()
    if working:
        log.warning(
            "Exiting through the interpreter, which waits for the threads still working: %s",
            ", ".join(thread.name for thread in working),
        )
        sys.exit(exit_code)

    _destroy_qt_application()

    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            stream.flush()

    os._exit(exit_code)


def threads_still_working() -> list[threading.Thread]:
    """Return the live threads that the interpreter would wait for at exit."""
    main = threading.main_thread()
    return [
        thread
        for thread in threading.enumerate()
        if thread is not main and not thread.daemon and thread.is_alive()
    ]


def _destroy_qt_application() -> None:
    widgets = sys.modules.get("PySide6.QtWidgets")
    if widgets is None:
        return  # The run ended before Qt was imported.

    import shiboken6

    application = widgets.QApplication.instance()
    if application is not None:
        shiboken6.delete(application)
