"""Qt's own strings in the operator's language, and the mirrored layout."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from esimfly_desktop.i18n.qt_translations import (
    apply_language_to_qt,
    layout_direction_for,
    load_qt_translator,
    qt_translations_dir,
)


@pytest.fixture
def restore_english(qapp):
    yield qapp
    apply_language_to_qt("en")


@pytest.mark.parametrize("language", ["ar", "es", "fr"])
def test_qt_ships_translation(language: str) -> None:
    assert (qt_translations_dir() / f"qtbase_{language}.qm").is_file()
    assert load_qt_translator(language) is not None


def test_regional_code_uses_language_file() -> None:
    assert load_qt_translator("es_MX") is not None
    assert load_qt_translator("en_GB") is None


@pytest.mark.parametrize(
    ("language", "cancel"),
    [("es", "Cancelar"), ("fr", "Annuler"), ("ar", "ألغِ"), ("en", "Cancel")],
)
def test_standard_button_translated(restore_english, qtbot, language: str, cancel: str) -> None:
    apply_language_to_qt(language)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(buttons)

    text = buttons.button(QDialogButtonBox.StandardButton.Cancel).text().replace("&", "")

    assert text == cancel


def test_arabic_mirrors_layout(restore_english) -> None:
    apply_language_to_qt("ar")

    assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert QLocale().language() == QLocale.Language.Arabic

    apply_language_to_qt("fr")

    assert QApplication.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert QLocale().language() == QLocale.Language.French


def test_switching_replaces_translator(restore_english) -> None:
    apply_language_to_qt("fr")
    apply_language_to_qt("es")

    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancelar"


def test_layout_direction_for_pseudo() -> None:
    assert layout_direction_for("pseudo") == Qt.LayoutDirection.RightToLeft
    assert layout_direction_for("es") == Qt.LayoutDirection.LeftToRight
