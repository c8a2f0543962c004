"""The layout checks catch clipped text and overlaps, and pass a sound dialog."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from esimfly_desktop.i18n import _
from tests.i18n.layout_checks import find_layout_problems, format_problems, pseudo_language


def _sample_dialog() -> QDialog:
    # A small order dialog laid out the way the console's screens are.
    dialog = QDialog()
    form = QFormLayout()
    form.addRow(_("Package"), QLabel("Japan 5 GB 30 days"))
    form.addRow(_("Quantity"), QLineEdit("1"))
    note = QLabel(_("The customer receives the QR code on the second screen."))
    note.setWordWrap(True)
    layout = QVBoxLayout(dialog)
    layout.addLayout(form)
    layout.addWidget(note)
    layout.addWidget(QCheckBox(_("Print a receipt")))
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    buttons.addButton(_("Place order"), QDialogButtonBox.ButtonRole.AcceptRole)
    layout.addWidget(buttons)
    return dialog


def test_sample_dialog_passes_in_pseudo(qtbot) -> None:
    with pseudo_language():
        dialog = _sample_dialog()
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)

        problems = find_layout_problems(dialog)
        mirrored = dialog.isRightToLeft()

    assert mirrored
    assert problems == [], format_problems(problems)


def test_pseudo_text_clips_fixed_label(qtbot) -> None:
    with pseudo_language():
        window = QWidget()
        label = QLabel(_("Balance"), window)
        label.setObjectName("balance")
        label.setFixedWidth(QLabel("Balance").sizeHint().width())
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)

        problems = find_layout_problems(window)

    assert [problem.kind for problem in problems] == ["clipped"]
    assert "'balance'" in problems[0].widget


def test_clipped_button_reported(qtbot) -> None:
    window = QWidget()
    button = QPushButton("Show the QR code to the customer", window)
    button.setFixedWidth(60)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)

    problems = find_layout_problems(window)

    assert len(problems) == 1
    assert problems[0].kind == "clipped"
    assert "QPushButton" in problems[0].widget


def test_overlapping_siblings_reported(qtbot) -> None:
    window = QWidget()
    window.resize(300, 100)
    first = QLabel("ICCID", window)
    second = QLabel("Amount", window)
    first.setGeometry(10, 10, 120, 30)
    second.setGeometry(100, 20, 120, 30)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)

    problems = find_layout_problems(window)
    ignored = find_layout_problems(window, ignore=lambda widget: widget is second)

    assert [problem.kind for problem in problems] == ["overlap"]
    assert "'Amount'" in problems[0].detail
    assert ignored == []


def test_wrapped_label_too_short(qtbot) -> None:
    window = QWidget()
    label = QLabel("A long explanation " * 8, window)
    label.setWordWrap(True)
    label.setGeometry(0, 0, 120, 20)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)

    problems = find_layout_problems(window)

    assert len(problems) == 1
    assert "height" in problems[0].detail


def test_clipped_column_title_reported(qtbot) -> None:
    table = QTableWidget(0, 2)
    table.setHorizontalHeaderLabels(["ICCID", "Référence de commande du client"])
    table.horizontalHeader().resizeSection(1, 60)
    qtbot.addWidget(table)
    table.show()
    qtbot.waitExposed(table)

    problems = find_layout_problems(table)

    assert len(problems) == 1
    assert "column 1 title" in problems[0].detail


def test_hidden_window_rejected(qtbot) -> None:
    window = QWidget()
    qtbot.addWidget(window)

    with pytest.raises(ValueError, match="show the window"):
        find_layout_problems(window)
