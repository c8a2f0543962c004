"""Receipts and outage notices print to PDF with a QR code a phone can scan."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import numpy as np
import pypdfium2
import pytest

from esimfly_desktop.ui.printing import (
    PageFormat,
    build_outage_notice,
    build_receipt,
    write_pdf,
    write_pdf_async,
)
from esimfly_desktop.ui.qr import HandOff
from tests.ui.qr_decoding import decode_qr_array

LPA_STRING = "LPA:1$smdp.sandbox.esimfly.test$K2-7QX4ZP-1RT9WA"
HAND_OFF = HandOff(
    iccid="8988247000000000018",
    lpa_string=LPA_STRING,
    smdp_address="smdp.sandbox.esimfly.test",
    matching_id="K2-7QX4ZP-1RT9WA",
    package_name="Japan 5 GB 30 days",
    data_bytes=5 * 1024**3,
    validity_days=30,
    order_reference="order_1764880000000_ab12c",
)
PRINTED_AT = datetime(2026, 12, 4, 12, 30, tzinfo=UTC)


def render_pdf_page(path: Path, scale: float = 3.0) -> tuple[np.ndarray, str, tuple[float, float]]:
    """Return the first page as a gray array, its text, and its size in points."""
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        page = pdf[0]
        size = page.get_size()
        text = page.get_textpage().get_text_range()
        bitmap = page.render(scale=scale, grayscale=True)
        gray = np.array(bitmap.to_numpy(), copy=True)
    finally:
        pdf.close()
    if gray.ndim == 3:
        gray = gray[:, :, 0]
    return gray, text, size


@pytest.mark.parametrize("page_format", [PageFormat.A4, PageFormat.RECEIPT_80MM])
def test_receipt_pdf_qr_decodes(qapp, tmp_path: Path, page_format: PageFormat) -> None:
    path = tmp_path / "receipt.pdf"

    write_pdf(path, build_receipt(HAND_OFF, printed_at=PRINTED_AT), page_format)
    image, text, _size = render_pdf_page(path)

    assert decode_qr_array(image) == [LPA_STRING]
    assert "K2-7QX4ZP-1RT9WA" in text
    assert "smdp.sandbox.esimfly.test" in text
    assert "order_1764880000000_ab12c" in text


def test_receipt_page_sizes(qapp, tmp_path: Path) -> None:
    a4_path = tmp_path / "a4.pdf"
    roll_path = tmp_path / "roll.pdf"

    write_pdf(a4_path, build_receipt(HAND_OFF, printed_at=PRINTED_AT), PageFormat.A4)
    write_pdf(roll_path, build_receipt(HAND_OFF, printed_at=PRINTED_AT), PageFormat.RECEIPT_80MM)
    _image, _text, a4_size = render_pdf_page(a4_path, scale=0.5)
    _image, _text, roll_size = render_pdf_page(roll_path, scale=0.5)

    assert a4_size == pytest.approx((595.3, 841.9), abs=1.0)
    assert roll_size[0] == pytest.approx(80 / 25.4 * 72, abs=1.0)


def test_receipt_lists_no_price(qapp, tmp_path: Path) -> None:
    path = tmp_path / "receipt.pdf"

    write_pdf(path, build_receipt(HAND_OFF, printed_at=PRINTED_AT), PageFormat.A4)
    _image, text, _size = render_pdf_page(path, scale=1.0)

    assert "$" not in text.replace("LPA:1$", "")
    assert "price" not in text.lower()
    assert "balance" not in text.lower()


def test_outage_notice_order_reference(qapp, tmp_path: Path) -> None:
    path = tmp_path / "notice.pdf"
    notice = build_outage_notice(
        order_reference="order_1764880000000_zz9y8",
        package_name="Japan 5 GB 30 days",
        quantity=2,
        queued_at=PRINTED_AT,
    )

    write_pdf(path, notice, PageFormat.RECEIPT_80MM)
    image, text, _size = render_pdf_page(path, scale=2.0)

    assert "order_1764880000000_zz9y8" in text
    assert "Japan 5 GB 30 days" in text
    assert decode_qr_array(image) == []


def test_pdf_written_off_gui_thread(qt_loop, tmp_path: Path) -> None:
    path = tmp_path / "receipt.pdf"

    qt_loop.run(
        write_pdf_async(path, build_receipt(HAND_OFF, printed_at=PRINTED_AT), PageFormat.A4)
    )
    image, _text, _size = render_pdf_page(path)

    assert decode_qr_array(image) == [LPA_STRING]


def find_visible(widget_type: type) -> object | None:
    from PySide6.QtWidgets import QApplication

    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, widget_type) and widget.isVisible():
            return widget
    return None


def test_save_receipt_through_dialog(qtbot, qt_loop, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QFileDialog, QLineEdit

    from esimfly_desktop.ui.printing import PrintActions

    actions = PrintActions(None, lambda: PageFormat.RECEIPT_80MM)
    path = tmp_path / "saved.pdf"

    task = actions.save_receipt(HAND_OFF)
    qtbot.waitUntil(lambda: find_visible(QFileDialog) is not None, timeout=5000)
    dialog = find_visible(QFileDialog)
    file_name_edit = dialog.findChild(QLineEdit, "fileNameEdit")
    file_name_edit.setText(str(path))
    dialog.accept()
    saved = qt_loop.run(task)

    assert saved == path
    image, _text, size = render_pdf_page(path)
    assert decode_qr_array(image) == [LPA_STRING]
    assert size[0] == pytest.approx(80 / 25.4 * 72, abs=1.0)


def test_print_receipt_through_dialog(qtbot, qt_loop, tmp_path: Path) -> None:
    from esimfly_desktop.ui.printing import PrintActions

    actions = PrintActions(None, lambda: PageFormat.A4)
    path = tmp_path / "printed.pdf"

    task = actions.print_receipt(HAND_OFF)
    accept_print_dialog_to_file(qtbot, path)
    printed = qt_loop.run(task)

    assert printed is True
    image, _text, _size = render_pdf_page(path)
    assert decode_qr_array(image) == [LPA_STRING]


def test_print_dialog_cancelled(qtbot, qt_loop) -> None:
    from PySide6.QtPrintSupport import QPrintDialog

    from esimfly_desktop.ui.printing import PrintActions

    actions = PrintActions(None)

    task = actions.print_receipt(HAND_OFF)
    qtbot.waitUntil(lambda: find_visible(QPrintDialog) is not None, timeout=5000)
    find_visible(QPrintDialog).reject()

    assert qt_loop.run(task) is False


def accept_print_dialog_to_file(qtbot, path: Path) -> None:
    """Wait for the print dialog, send it to a PDF file at ``path`` and accept it."""
    from PySide6.QtPrintSupport import QPrintDialog
    from PySide6.QtWidgets import QComboBox, QLineEdit

    qtbot.waitUntil(lambda: find_visible(QPrintDialog) is not None, timeout=5000)
    dialog = find_visible(QPrintDialog)
    # With no system printer, the dialog's only destination is "Print to File (PDF)".
    printers = dialog.findChild(QComboBox, "printers")
    printers.setCurrentIndex(printers.count() - 1)
    dialog.findChild(QLineEdit, "filename").setText(str(path))
    dialog.accept()


def test_print_outage_notice_queued(qtbot, qt_loop, tmp_path: Path) -> None:
    from esimfly_desktop.services.outbox import Outbox
    from esimfly_desktop.services.outbox_store import NewItem
    from esimfly_desktop.services.purchase import PurchaseOutcome, PurchaseState
    from esimfly_desktop.storage.database import Database
    from esimfly_desktop.ui.outbox.queue_model import queue_reference
    from esimfly_desktop.ui.printing import PrintActions

    database = Database.open_sync(tmp_path / "console.sqlite3")
    try:
        outbox = Outbox(database)
        item = qt_loop.run(outbox.enqueue(NewItem("JP-5GB-30D", 2, Decimal("4.50"), "USD")))
        actions = PrintActions(None, lambda: PageFormat.RECEIPT_80MM, outbox)
        path = tmp_path / "notice.pdf"

        task = actions.print_outage_notice(
            PurchaseOutcome(PurchaseState.QUEUED, outbox_item_id=item.id)
        )
        accept_print_dialog_to_file(qtbot, path)
        printed = qt_loop.run(task)
    finally:
        database.close()

    _image, text, _size = render_pdf_page(path, scale=1.0)
    assert printed is True
    assert queue_reference(item) in text
    assert "JP-5GB-30D" in text


def test_pdf_unwritable_folder_message(qapp, tmp_path: Path) -> None:
    from esimfly_desktop.ui.printing.printer_output import PrintFailedError

    blocker = tmp_path / "file"
    blocker.write_text("")

    with pytest.raises(PrintFailedError) as raised:
        write_pdf(
            blocker / "receipt.pdf", build_receipt(HAND_OFF, printed_at=PRINTED_AT), PageFormat.A4
        )

    assert "Choose another folder" in str(raised.value)
