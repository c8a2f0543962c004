"""The QR widget encodes exactly the LPA string and stays sharp at every screen scale."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QGuiApplication

from esimfly_desktop.ui.qr import EsimCard, HandOff, QrCodeWidget, make_qr_matrix, split_lpa_string
from tests.ui.qr_decoding import decode_qr_texts, image_to_gray_array

LPA_STRING = "LPA:1$smdp.sandbox.esimfly.test$K2-7QX4ZP-1RT9WA"


@pytest.mark.parametrize("ratio", [1.0, 1.25, 1.5, 2.0])
def test_qr_decodes_at_ratio(qtbot, ratio: float) -> None:
    widget = QrCodeWidget()
    qtbot.addWidget(widget)
    widget.set_lpa_string(LPA_STRING)

    image = widget.render_image(300, ratio)

    assert image.devicePixelRatio() == ratio
    assert decode_qr_texts(image) == [LPA_STRING]


@pytest.mark.parametrize("ratio", [1.0, 1.25, 1.5, 2.0])
def test_qr_pixels_pure_black_white(qtbot, ratio: float) -> None:
    widget = QrCodeWidget()
    qtbot.addWidget(widget)
    widget.set_lpa_string(LPA_STRING)

    gray = image_to_gray_array(widget.render_image(300, ratio))

    # Whole-pixel modules leave no grey edge pixels for a scanner to misread.
    assert set(np.unique(gray).tolist()) == {0, 255}


@pytest.mark.parametrize("ratio", [1.0, 1.25, 1.5, 2.0])
def test_qr_modules_equal_width(qtbot, ratio: float) -> None:
    widget = QrCodeWidget()
    qtbot.addWidget(widget)
    widget.set_lpa_string(LPA_STRING)
    matrix = make_qr_matrix(LPA_STRING)

    gray = image_to_gray_array(widget.render_image(300, ratio))
    dark_columns = np.flatnonzero((gray == 0).any(axis=0))
    dark_width = dark_columns[-1] - dark_columns[0] + 1

    assert dark_width % (matrix.size - 8) == 0


def test_qr_quiet_zone_white(qtbot) -> None:
    widget = QrCodeWidget()
    qtbot.addWidget(widget)
    widget.set_lpa_string(LPA_STRING)
    matrix = make_qr_matrix(LPA_STRING)

    gray = image_to_gray_array(widget.render_image(300, 1.0))
    module = 300 // matrix.size
    dark_rows = np.flatnonzero((gray == 0).any(axis=1))

    assert dark_rows[0] >= 4 * module
    assert gray.shape[0] - 1 - dark_rows[-1] >= 4 * module


def test_qr_widget_ignores_dark_palette(qtbot) -> None:
    widget = QrCodeWidget()
    qtbot.addWidget(widget)
    widget.setStyleSheet("background: #202020; color: #f0f0f0;")
    widget.resize(320, 320)
    widget.set_lpa_string(LPA_STRING)
    widget.show()
    qtbot.waitExposed(widget)

    image = widget.grab().toImage()

    assert decode_qr_texts(image) == [LPA_STRING]


def test_qr_widget_minimum_size(qtbot) -> None:
    widget = QrCodeWidget()
    qtbot.addWidget(widget)

    assert widget.minimumWidth() >= 240
    assert widget.minimumHeight() >= 240


def test_split_lpa_string_fields() -> None:
    assert split_lpa_string("LPA:1$smdp.example.test$ABC-123$1.2.3$1") == (
        "smdp.example.test",
        "ABC-123",
    )


@pytest.mark.parametrize("text", ["", "smdp.example.test$ABC", "LPA:1$$ABC", "LPA:1$smdp.test"])
def test_split_lpa_string_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        split_lpa_string(text)


def test_hand_off_repr_hides_codes() -> None:
    hand_off = HandOff(
        iccid="8988247000000000018",
        lpa_string=LPA_STRING,
        smdp_address="smdp.sandbox.esimfly.test",
        matching_id="K2-7QX4ZP-1RT9WA",
    )

    assert "K2-7QX4ZP" not in repr(hand_off)
    assert "K2-7QX4ZP" not in str(hand_off)


def test_esim_card_fields_copyable(qtbot) -> None:
    card = EsimCard()
    qtbot.addWidget(card)
    hand_off = HandOff(
        iccid="8988247000000000018",
        lpa_string=LPA_STRING,
        smdp_address="smdp.sandbox.esimfly.test",
        matching_id="K2-7QX4ZP-1RT9WA",
        apple_install_url="https://esimsetup.apple.com/esim_qrcode_provisioning?carddata="
        + LPA_STRING,
        data_bytes=5 * 1024**3,
        validity_days=30,
    )
    card.set_hand_off(hand_off)

    card.matching_id_field.copy_button.click()

    assert QGuiApplication.clipboard().text() == "K2-7QX4ZP-1RT9WA"
    assert card.smdp_field.text() == "smdp.sandbox.esimfly.test"
    assert card.android_link_field.isHidden()
    assert card.form.labelForField(card.android_link_field).isHidden()
    assert not card.apple_link_field.isHidden()
    assert card.allowance_label.text() == "5 GB for 30 days"
    assert card.qr.matrix == make_qr_matrix(LPA_STRING)


def test_hand_off_unsplittable_lpa(qtbot) -> None:
    from esimfly_desktop.api.order_models import Esim

    esim = Esim(iccid="8988247000000000018", lpa_string="LPA:1$only-an-address")

    hand_off = HandOff.from_esim(esim)
    card = EsimCard()
    qtbot.addWidget(card)
    card.set_hand_off(hand_off)

    assert hand_off.smdp_address == ""
    assert hand_off.matching_id == ""
    assert not card.matching_id_field.copy_button.isEnabled()
    assert decode_qr_texts(card.qr.render_image(300, 1.0)) == ["LPA:1$only-an-address"]
