"""Shell widgets: awaited dialogs, the error report, the balance line, the training menu."""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime
from decimal import Decimal

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from esimfly_desktop.ui.async_dialogs import ask_question, show_dialog
from esimfly_desktop.ui.balance_widget import BalanceView, BalanceWidget
from esimfly_desktop.ui.error_dialog import ErrorReporter
from esimfly_desktop.ui.training import TrainingMenu

SECRET = "sk_live_do_not_show_0001"
LPA = "LPA:1$smdp.example.com$ABCD-1234-EFGH"


def raise_and_capture(error: BaseException):
    try:
        raise error
    except BaseException as caught:
        return type(caught), caught, caught.__traceback__


def test_show_dialog_awaits_result(qt_loop, qtbot):
    dialog = QDialog()
    qtbot.addWidget(dialog)

    task = qt_loop.create_task(show_dialog(dialog))
    qtbot.waitUntil(dialog.isVisible)
    dialog.accept()

    assert qt_loop.run(task) == QDialog.DialogCode.Accepted


def test_cancelled_dialog_task_closes_dialog(qt_loop, qtbot):
    dialog = QDialog()
    qtbot.addWidget(dialog)

    task = qt_loop.create_task(show_dialog(dialog))
    qtbot.waitUntil(dialog.isVisible)
    task.cancel()
    qt_loop.run(asyncio.gather(task, return_exceptions=True))

    assert not dialog.isVisible()


def test_ask_question_yes_and_no(qt_loop, qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)

    for button, expected in (
        (QMessageBox.StandardButton.Yes, True),
        (QMessageBox.StandardButton.No, False),
    ):
        task = qt_loop.create_task(ask_question(parent, "Title", "Question?"))
        qtbot.waitUntil(lambda: any(box.isVisible() for box in parent.findChildren(QMessageBox)))
        box = next(box for box in parent.findChildren(QMessageBox) if box.isVisible())
        box.button(button).click()
        assert qt_loop.run(task) is expected


def test_error_report_redacts_secrets(qtbot):
    reporter = ErrorReporter()

    reporter.handle_exception(*raise_and_capture(ValueError(f"failed with {SECRET} and {LPA}")))

    assert len(reporter.dialogs) == 1
    dialog = reporter.dialogs[0]
    qtbot.addWidget(dialog)
    assert SECRET not in dialog.report
    assert "smdp.example.com$ABCD" not in dialog.report
    assert "ValueError" in dialog.report


def test_error_report_shown_once_per_kind(qtbot):
    reporter = ErrorReporter()

    for _attempt in range(3):
        reporter.handle_exception(*raise_and_capture(KeyError("same place")))
    reporter.handle_exception(*raise_and_capture(TypeError("other kind")))

    assert len(reporter.dialogs) == 2
    for dialog in reporter.dialogs:
        qtbot.addWidget(dialog)


def test_error_report_copy_button(qtbot):
    reporter = ErrorReporter()
    reporter.handle_exception(*raise_and_capture(RuntimeError("copy me")))
    dialog = reporter.dialogs[0]
    qtbot.addWidget(dialog)

    dialog.copy_button.click()

    assert "copy me" in QGuiApplication.clipboard().text()


def test_unawaited_task_error_reaches_reporter(qt_loop, qtbot):
    reporter = ErrorReporter()
    reporter.install(qt_loop)

    async def fail() -> None:
        raise LookupError("background task failed")

    try:
        task = qt_loop.create_task(fail())
        qt_loop.run(asyncio.sleep(0.01))
        del task
        qt_loop.call_exception_handler(
            {"message": "Task exception was never retrieved", "exception": LookupError("x")}
        )
    finally:
        reporter.uninstall()

    assert sys.excepthook is not reporter.handle_exception
    assert any("LookupError" in dialog.report for dialog in reporter.dialogs)
    for dialog in reporter.dialogs:
        qtbot.addWidget(dialog)


def test_balance_shows_amount_and_time(qtbot):
    widget = BalanceWidget()
    qtbot.addWidget(widget)

    widget.set_balance(
        BalanceView(Decimal("1234.50"), "USD", datetime(2026, 1, 2, 3, 4, tzinfo=UTC))
    )

    assert "$1,234.50" in widget.amount_label.text()
    assert widget.as_of_label.text().startswith("as of ")


def test_balance_low_warning(qtbot):
    widget = BalanceWidget()
    qtbot.addWidget(widget)
    widget.set_threshold(Decimal("50"))

    widget.set_balance(BalanceView(Decimal("49.99"), "USD", datetime.now(UTC)))
    assert widget.is_warning_shown
    assert "$50.00" in widget.warning_label.text()

    widget.set_balance(BalanceView(Decimal("50.00"), "USD", datetime.now(UTC)))
    assert not widget.is_warning_shown


def test_balance_refresh_failure_keeps_value(qtbot):
    widget = BalanceWidget()
    qtbot.addWidget(widget)
    widget.set_balance(BalanceView(Decimal("10"), "IQD", datetime.now(UTC)))

    widget.show_refresh_failed("timed out")

    assert "10" in widget.amount_label.text()
    assert "refresh failed" in widget.as_of_label.text()


class RecordingAdmin:
    def __init__(self) -> None:
        self.calls: list[tuple] = []

    async def set_faults(self, **faults):
        self.calls.append(("set_faults", faults))

    async def clear_faults(self):
        self.calls.append(("clear_faults",))

    async def load_funds(self, access_code, amount):
        self.calls.append(("load_funds", access_code, amount))

    async def install(self, iccid, device_model=None):
        self.calls.append(("install", iccid))


def test_training_menu_calls_admin(qt_loop, qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    admin = RecordingAdmin()
    menu = TrainingMenu(admin, "esf_demo", lambda: "8900000000000000001", parent)

    menu.outage_action.setChecked(True)
    menu.outage_action.setChecked(False)
    menu.install_action.trigger()
    qt_loop.run(menu.load_funds(Decimal("5.00")))
    qtbot.waitUntil(lambda: not menu.pending_tasks)

    assert ("set_faults", {"outage": True}) in admin.calls
    assert ("clear_faults",) in admin.calls
    assert ("install", "8900000000000000001") in admin.calls
    assert ("load_funds", "esf_demo", Decimal("5.00")) in admin.calls


def test_training_install_needs_selection(qt_loop, qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    admin = RecordingAdmin()
    menu = TrainingMenu(admin, "esf_demo", lambda: None, parent)

    with qtbot.waitSignal(menu.action_failed, timeout=2000) as blocker:
        menu.install_action.trigger()

    assert "No eSIM selected" in blocker.args[0]
    assert admin.calls == []
