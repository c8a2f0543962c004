"""Qt's own strings and the interface direction in the operator's language.

Qt translates its standard buttons and dialogs ("Cancel", "Open File") from
the ``qtbase_<language>.qm`` files that ship inside PySide6; this module
loads the right one rather than translating those strings again, makes the
language Qt's default locale (for date and number widgets) and mirrors the
interface for right-to-left languages.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtGui import QGuiApplication

from esimfly_desktop.i18n.locale import clean_locale_name, is_right_to_left
from esimfly_desktop.i18n.pseudo import PSEUDO_LANGUAGE

log = logging.getLogger(__name__)

QT_CATALOG = "qtbase"

# The translator in use, so switching language can remove it again.
_installed: QTranslator | None = None


def qt_translations_dir() -> Path:
    """Return the folder of Qt's ``.qm`` files inside the PySide6 installation."""
    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))


def qt_system_locale_name() -> str:
    """Return the system locale as Qt reads it, e.g. ``es_MX``; works on every platform."""
    return QLocale.system().name()


def load_qt_translator(language: str) -> QTranslator | None:
    """Return a translator with Qt's strings for ``language``, or None when Qt has none.

    English needs none. A regional code (``es_MX``) falls back to the
    language's file (``qtbase_es.qm``).
    """
    cleaned = clean_locale_name(language)
    if cleaned in ("", PSEUDO_LANGUAGE) or cleaned.split("_")[0] == "en":
        return None

    translator = QTranslator()
    folder = str(qt_translations_dir())
    for candidate in (cleaned, cleaned.split("_")[0]):
        if translator.load(f"{QT_CATALOG}_{candidate}", folder):
            return translator
    log.info(
        "Qt has no translation for %s in %s; its own strings stay in English", language, folder
    )
    return None


def apply_language_to_qt(language: str) -> QTranslator | None:
    """Install Qt's translation for ``language`` and set the layout direction.

    Replaces the translator installed by an earlier call, so the operator can
    switch language while the console runs. Needs a running
    ``QGuiApplication``; returns the new translator, or None.
    """
    global _installed

    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("create the QApplication before applying a language to Qt")

    if _installed is not None:
        QCoreApplication.removeTranslator(_installed)
        _installed = None

    translator = load_qt_translator(language)
    if translator is not None:
        QCoreApplication.installTranslator(translator)
        _installed = translator

    if language != PSEUDO_LANGUAGE:
        QLocale.setDefault(QLocale(clean_locale_name(language)))
    if isinstance(app, QGuiApplication):
        QGuiApplication.setLayoutDirection(layout_direction_for(language))
    log.info("Qt set to %s (Qt strings translated: %s)", language, translator is not None)
    return translator


def layout_direction_for(language: str) -> Qt.LayoutDirection:
    """Return the layout direction for a language: mirrored for Arabic and the pseudo-language."""
    if is_right_to_left(language):
        return Qt.LayoutDirection.RightToLeft
    return Qt.LayoutDirection.LeftToRight
