"""A receipt printed to PDF for a real order carries that order's activation code."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from esimfly_desktop.ui.printing import PageFormat, build_receipt, write_pdf_async
from esimfly_desktop.ui.qr import hand_offs_from_order
from tests.ui.qr_decoding import decode_qr_array
from tests.ui.sale_stack import buy, find_package
from tests.ui.test_printing import render_pdf_page


@pytest.mark.parametrize("page_format", [PageFormat.A4, PageFormat.RECEIPT_80MM])
def test_receipt_real_order_decodes(
    qt_loop, sale_stack_factory, tmp_path: Path, page_format
) -> None:
    stack = sale_stack_factory("1000.00")
    package = qt_loop.run(find_package(stack.client, "Japan", pending=False))
    order = qt_loop.run(buy(stack, package))
    details = qt_loop.run(stack.client.get_order(order.order_reference))
    hand_off = hand_offs_from_order(order)[0]
    path = tmp_path / "receipt.pdf"

    qt_loop.run(
        write_pdf_async(path, build_receipt(hand_off, printed_at=datetime.now(UTC)), page_format)
    )
    image, text, _size = render_pdf_page(path)

    assert decode_qr_array(image) == [details.esims[0].lpa_string]
    assert hand_off.matching_id in text
    assert order.order_reference in text
