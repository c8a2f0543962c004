"""Unexpected errors: log them and show a dialog with a copyable report, once per kind.

Both ``sys.excepthook`` (errors in Qt slots and callbacks) and the asyncio
loop's exception handler (failed tasks that were never awaited) end up here. The report
passes through the log redaction, so secret keys, signatures and LPA strings
never reach the clipboard.
"""

from __future__ import annotations

import asyncio
import logging
import platform
import sys
import traceback
from collections.abc import Callable
from types import TracebackType
from typing import Any

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from esimfly_desktop import __version__
from esimfly_desktop.i18n import _
from esimfly_desktop.logging_setup import redact

log = logging.getLogger(__name__)

ErrorKind = tuple[str, str, int]


class ErrorReportDialog(QDialog):
    """A non-modal dialog that shows one error report and copies it."""

    def __init__(self, report: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Unexpected error"))
        self.setAccessibleName(_("Unexpected error report"))
        self.report = report

        explanation = QLabel(
            _(
                "Something went wrong inside eSIMfly Desktop. Your work is saved. "
                "Copy the report below and send it to your support contact."
            )
        )
        explanation.setWordWrap(True)

        self.report_view = QPlainTextEdit(report)
        self.report_view.setReadOnly(True)
        self.report_view.setAccessibleName(_("Error report"))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton(_("Copy report"))
        self.copy_button.setAccessibleName(_("Copy report"))
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_report)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addWidget(self.report_view)
        layout.addWidget(buttons)
        self.resize(640, 420)

    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(self.report)


class ErrorReporter:
    """Receives every unexpected error, logs it, and shows each kind of error once."""

    def __init__(self, parent_for_dialogs: Callable[[], QWidget | None] = lambda: None) -> None:
        self._parent_for_dialogs = parent_for_dialogs
        self._seen: set[ErrorKind] = set()
        self.dialogs: list[ErrorReportDialog] = []
        self._previous_excepthook = sys.excepthook

    def install(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        """Become ``sys.excepthook`` and, when given, ``loop``'s exception handler."""
        sys.excepthook = self.handle_exception
        if loop is not None:
            loop.set_exception_handler(self.handle_loop_error)

    def uninstall(self) -> None:
        sys.excepthook = self._previous_excepthook

    def handle_exception(
        self,
        error_type: type[BaseException],
        error: BaseException,
        trace: TracebackType | None,
    ) -> None:
        if issubclass(error_type, KeyboardInterrupt):
            self._previous_excepthook(error_type, error, trace)
            return

        report = build_report(error_type, error, trace)
        log.error("Unexpected error:\n%s", report)
        self._show_once(error_kind(error_type, trace), report)

    def handle_loop_error(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        error = context.get("exception")
        if isinstance(error, BaseException):
            self.handle_exception(type(error), error, error.__traceback__)
            return

        message = redact(str(context.get("message", "error in event loop")))
        log.error("Event loop error without exception: %s", message)

    def _show_once(self, kind: ErrorKind, report: str) -> None:
        if kind in self._seen:
            log.info("Error of kind %s already shown; not showing it again", kind[0])
            return

        self._seen.add(kind)
        dialog = ErrorReportDialog(report, self._parent_for_dialogs())
        self.dialogs.append(dialog)
        dialog.finished.connect(lambda _result: self._forget(dialog))
        dialog.show()

    def _forget(self, dialog: ErrorReportDialog) -> None:
        if dialog in self.dialogs:
            self.dialogs.remove(dialog)
        dialog.deleteLater()


def error_kind(error_type: type[BaseException], trace: TracebackType | None) -> ErrorKind:
    """Identify an error by its type and the innermost line that raised it."""
    frames = traceback.extract_tb(trace) if trace is not None else []
    if not frames:
        return (error_type.__qualname__, "", 0)
    last = frames[-1]
    return (error_type.__qualname__, last.filename, last.lineno or 0)


def build_report(
    error_type: type[BaseException],
    error: BaseException,
    trace: TracebackType | None,
) -> str:
    """Format the error, its traceback and the versions involved, with secrets redacted."""
    from PySide6 import __version__ as pyside_version

    lines = [
        f"eSIMfly Desktop {__version__}",
        f"Python {platform.python_version()}, PySide6 {pyside_version}, {platform.platform()}",
        "",
        *traceback.format_exception(error_type, error, trace),
    ]
    return redact("".join(line if line.endswith("\n") else line + "\n" for line in lines))
