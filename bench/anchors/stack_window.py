"""The stack cold-start anchor: the console's libraries and an empty table window, nothing else.

The process imports qasync and then the whole declared stack eagerly
(httpx, segno, sqlite3, keyring, babel.numbers, platformdirs). It shows a
window whose central widget is an 8-column ``QTableView`` from inside
``qasync.run``, and exits at the view's first paint. Time it as a whole
process. ``--print-peak-rss`` prints the process's peak resident set size in
MiB on exit: the bare window's memory anchor.

    .venv/bin/python bench/anchors/stack_window.py [--print-peak-rss]
"""

import asyncio
import os
import resource
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")

# qasync (and with it PySide6) first, then the declared stack, imported
# eagerly in this order: the order of the anchor's definition. Importing the
# stack before PySide6 instead made this process about 35 ms faster here.
import qasync  # isort: skip
import httpx  # noqa: F401  # isort: skip
import segno  # noqa: F401  # isort: skip
import sqlite3  # noqa: F401  # isort: skip
import keyring  # noqa: F401  # isort: skip
import babel.numbers  # noqa: F401  # isort: skip
import platformdirs  # noqa: F401  # isort: skip
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QMainWindow, QTableView

FIRST_PAINT_TIMEOUT_S = 10.0


class FirstPaintWatcher(QObject):
    """Resolves a future at the first paint event of the watched widget."""

    def __init__(self, painted: asyncio.Future[None]) -> None:
        super().__init__()
        self.painted = painted
        self.seen = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.seen:
            # Resolved from the loop, not inside the paint event.
            self.seen = True
            self.painted.get_loop().call_soon(self.painted.set_result, None)
        return False


async def show_until_first_paint() -> None:
    painted = asyncio.get_running_loop().create_future()
    window = QMainWindow()
    window.setWindowTitle("stack anchor")
    window.resize(1000, 700)
    view = QTableView()
    view.setModel(QStandardItemModel(0, 8, view))
    window.setCentralWidget(view)
    watcher = FirstPaintWatcher(painted)
    view.viewport().installEventFilter(watcher)

    window.show()
    await asyncio.wait_for(painted, FIRST_PAINT_TIMEOUT_S)

    view.viewport().removeEventFilter(watcher)
    window.close()


def peak_rss_mib() -> float:
    """Return this process's peak resident set size in MiB.

    Linux's VmHWM starts afresh at exec. ``ru_maxrss`` is the fallback elsewhere,
    but on Linux a child inherits its parent's value from before the exec.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    qasync.run(show_until_first_paint())
    if "--print-peak-rss" in sys.argv:
        print(f"peak_rss_mib={peak_rss_mib():.1f}")
