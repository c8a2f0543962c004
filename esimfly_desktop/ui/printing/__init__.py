"""Printed receipts and outage notices, to a printer or a PDF file."""

from esimfly_desktop.ui.printing.documents import (
    PrintedDocument,
    build_outage_notice,
    build_receipt,
)
from esimfly_desktop.ui.printing.page_formats import PageFormat
from esimfly_desktop.ui.printing.print_actions import PrintActions
from esimfly_desktop.ui.printing.printer_output import print_document, write_pdf, write_pdf_async

__all__ = [
    "PageFormat",
    "PrintActions",
    "PrintedDocument",
    "build_outage_notice",
    "build_receipt",
    "print_document",
    "write_pdf",
    "write_pdf_async",
]
