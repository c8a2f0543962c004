"""Send a printed document to a PDF file or a printer."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from PySide6.QtGui import QPainter, QPdfWriter
from PySide6.QtPrintSupport import QPrinter

from esimfly_desktop.i18n import _
from esimfly_desktop.ui.printing.document_painter import paint_document
from esimfly_desktop.ui.printing.documents import PrintedDocument
from esimfly_desktop.ui.printing.page_formats import PageFormat

log = logging.getLogger(__name__)

PDF_RESOLUTION_DPI = 300


class PrintFailedError(RuntimeError):
    """The printer or PDF file could not be opened for painting."""


def write_pdf(path: Path, document: PrintedDocument, page_format: PageFormat) -> None:
    """Write ``document`` as a one-page PDF at ``path``.

    QPainter may paint on a QPdfWriter outside the GUI thread, so
    ``write_pdf_async`` runs this on a worker thread.
    """
    writer = QPdfWriter(str(path))
    writer.setResolution(PDF_RESOLUTION_DPI)
    writer.setPageLayout(page_format.page_layout())
    writer.setTitle(document.title)
    writer.setCreator("eSIMfly Desktop")

    painter = QPainter()
    if not painter.begin(writer):
        raise PrintFailedError(
            _("Could not open {path} for writing. Choose another folder.").format(path=path)
        )
    try:
        paint_document(painter, document, page_format)
    finally:
        painter.end()
    log.info("Wrote %s as PDF (%s)", document.title, page_format.value)


async def write_pdf_async(path: Path, document: PrintedDocument, page_format: PageFormat) -> None:
    """Write the PDF on a worker thread, so the window stays responsive."""
    await asyncio.to_thread(write_pdf, path, document, page_format)


def print_document(printer: QPrinter, document: PrintedDocument, page_format: PageFormat) -> None:
    """Print ``document`` on ``printer``, which the print dialog has set up."""
    printer.setPageLayout(page_format.page_layout())
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintFailedError(
            _("Could not start printing on {printer}. Check that it is on and connected.").format(
                printer=printer.printerName() or _("the printer")
            )
        )
    try:
        paint_document(painter, document, page_format)
    finally:
        painter.end()
    log.info("Printed %s on %s", document.title, printer.printerName())
