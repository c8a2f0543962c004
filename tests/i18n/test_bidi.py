"""Left-to-right isolation of identifiers inside right-to-left text."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from esimfly_desktop.i18n import set_language
from esimfly_desktop.i18n.bidi import (
    LRI,
    PDI,
    first_strong,
    keep_ltr,
    ltr,
    set_widget_left_to_right,
    strip_isolates,
)

LPA = "LPA:1$smdp.example.net$K2-ABC123-XYZ"


def test_ltr_wraps_in_isolate() -> None:
    assert ltr(LPA) == f"{LRI}{LPA}{PDI}"
    assert ltr(8944) == f"{LRI}8944{PDI}"


def test_isolate_inside_arabic_sentence() -> None:
    sentence = f"رمز التفعيل: {ltr(LPA)}"

    assert LPA in sentence
    assert strip_isolates(sentence) == f"رمز التفعيل: {LPA}"


def test_strip_isolates_removes_marks() -> None:
    marked = "\u200f" + first_strong("Ali") + ltr("8901")

    assert strip_isolates(marked) == "Ali8901"


def test_widget_set_left_to_right(qtbot) -> None:
    label = QLabel(LPA)
    qtbot.addWidget(label)
    label.setLayoutDirection(Qt.LayoutDirection.RightToLeft)

    set_widget_left_to_right(label)

    assert label.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert label.alignment() & Qt.AlignmentFlag.AlignLeft
    assert label.alignment() & Qt.AlignmentFlag.AlignAbsolute


def test_keep_ltr_only_in_rtl_language() -> None:
    assert keep_ltr(LPA, language="ar") == f"{LRI}{LPA}{PDI}"
    assert keep_ltr(LPA, language="fr") == LPA


def test_keep_ltr_follows_operator() -> None:
    set_language("ar")
    try:
        isolated = keep_ltr("8944500102198304826")
    finally:
        set_language("en")

    assert isolated.startswith(LRI)
    assert keep_ltr("8944500102198304826") == "8944500102198304826"
