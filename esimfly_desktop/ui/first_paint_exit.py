"""Quit at the first paint of the catalog with rows: the cold-start benchmark's end point.

With the environment variable ``ESIMFLY_EXIT_AFTER_FIRST_PAINT=1`` the console
requests an ordinary quit (the same shutdown as closing the window, exit code
0) as soon as the catalog table paints with at least one row. Without the
variable nothing is installed.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QTableView

log = logging.getLogger(__name__)

EXIT_AFTER_FIRST_PAINT_VARIABLE = "ESIMFLY_EXIT_AFTER_FIRST_PAINT"


class FirstCatalogPaintQuit(QObject):
    """Calls ``request_quit`` once, after the first paint of ``table`` with rows."""

    def __init__(self, table: QTableView, request_quit: Callable[[str], None]) -> None:
        super().__init__(table)
        self._table = table
        self._request_quit = request_quit
        self._seen = False
        table.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Paint or self._seen:
            return False
        model = self._table.model()
        if model is None or model.rowCount() == 0:
            return False

        # Quit from the loop, after this paint event has finished.
        self._seen = True
        log.info("First catalog paint with %d rows; quitting as requested", model.rowCount())
        asyncio.get_running_loop().call_soon(self._request_quit, "first catalog paint")
        return False


def quit_after_first_catalog_paint_if_requested(
    table: QTableView, request_quit: Callable[[str], None]
) -> FirstCatalogPaintQuit | None:
    """Install the quit hook when ``ESIMFLY_EXIT_AFTER_FIRST_PAINT`` is ``1``."""
    if os.environ.get(EXIT_AFTER_FIRST_PAINT_VARIABLE) != "1":
        return None
    return FirstCatalogPaintQuit(table, request_quit)
