"""Print or save a receipt or outage notice from the counter, without blocking the window.

Dialogs open with ``open()`` and are awaited through a future, and the pages
are painted on a worker thread (Qt allows QPainter on a QPrinter or QPdfWriter
outside the GUI thread).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from esimfly_desktop.i18n import _
from esimfly_desktop.ui.async_dialogs import show_dialog
from esimfly_desktop.ui.outbox.queue_model import queue_reference
from esimfly_desktop.ui.printing.documents import (
    PrintedDocument,
    build_outage_notice,
    build_receipt,
)
from esimfly_desktop.ui.printing.page_formats import PageFormat
from esimfly_desktop.ui.printing.printer_output import (
    PrintFailedError,
    print_document,
    write_pdf_async,
)
from esimfly_desktop.ui.qr.hand_off import HandOff

log = logging.getLogger(__name__)


class PrintActions(QObject):
    """Print receipts and notices for one window; ``page_format`` reads the shop's setting."""

    printed = Signal(str)  # a short confirmation for the status bar
    failed = Signal(str)  # what went wrong and what to do

    def __init__(
        self,
        parent_window: QWidget | None,
        page_format: Callable[[], PageFormat] = lambda: PageFormat.A4,
        outbox: Any | None = None,
    ) -> None:
        super().__init__(parent_window)
        self._parent_window = parent_window
        self._page_format = page_format
        self._outbox = outbox
        self._tasks: set[asyncio.Task[Any]] = set()

    def print_receipt(self, hand_off: HandOff) -> asyncio.Task[bool]:
        """Print a receipt with the QR code and manual codes for ``hand_off``."""
        document = build_receipt(hand_off, printed_at=datetime.now(UTC))
        return self._spawn(self.print_to_printer(document))

    def save_receipt(self, hand_off: HandOff) -> asyncio.Task[Path | None]:
        """Save the receipt of ``hand_off`` as a PDF file the operator chooses."""
        document = build_receipt(hand_off, printed_at=datetime.now(UTC))
        return self._spawn(self.save_pdf(document, f"esim-{hand_off.iccid}.pdf"))

    def print_outage_notice(self, outcome: Any) -> asyncio.Task[bool]:
        """Print the notice for an order that is queued (``PurchaseOutcome`` in state queued)."""
        return self._spawn(self._print_outage_notice(outcome))

    async def _print_outage_notice(self, outcome: Any) -> bool:
        if self._outbox is None or outcome.outbox_item_id is None:
            self.failed.emit(_("The queued order is not known; print the notice from the queue."))
            return False
        item = await self._outbox.item(outcome.outbox_item_id)
        document = build_outage_notice(
            order_reference=queue_reference(item),
            package_name=item.package_code,
            quantity=item.quantity,
            queued_at=datetime.fromtimestamp(item.created_at, UTC),
        )
        return await self.print_to_printer(document)

    async def print_to_printer(self, document: PrintedDocument) -> bool:
        """Ask for a printer (its dialog also offers PDF), then print off the GUI thread."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self._parent_window)
        accepted = await _show_print_dialog(dialog) == QDialog.DialogCode.Accepted
        dialog.deleteLater()
        if not accepted:
            return False

        try:
            await asyncio.to_thread(print_document, printer, document, self._page_format())
        except PrintFailedError as error:
            log.warning("Printing %r failed: %s", document, error)
            self.failed.emit(str(error))
            return False
        self.printed.emit(_("Sent to the printer."))
        return True

    async def save_pdf(self, document: PrintedDocument, suggested_name: str) -> Path | None:
        """Ask where to save, then write the PDF on a worker thread."""
        dialog = QFileDialog(
            self._parent_window, _("Save as PDF"), suggested_name, _("PDF files (*.pdf)")
        )
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("pdf")
        accepted = await show_dialog(dialog) == QDialog.DialogCode.Accepted
        files = dialog.selectedFiles()
        dialog.deleteLater()
        if not accepted or not files:
            return None

        path = Path(files[0])
        try:
            await write_pdf_async(path, document, self._page_format())
        except (PrintFailedError, OSError) as error:
            log.warning("Saving %r to %s failed: %s", document, path, error)
            self.failed.emit(str(error))
            return None
        self.printed.emit(_("Saved {path}.").format(path=path))
        return path

    def _spawn(self, coroutine: Any) -> asyncio.Task[Any]:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task


async def _show_print_dialog(dialog: QPrintDialog) -> int:
    # PySide6's QPrintDialog.open() requires a receiver and slot, hiding
    # QDialog.open(), so the base class's open() is called explicitly.
    future: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    def finish(result: int) -> None:
        if not future.done():
            future.set_result(result)

    dialog.finished.connect(finish)
    QDialog.open(dialog)
    try:
        return await future
    except asyncio.CancelledError:
        dialog.reject()
        raise
