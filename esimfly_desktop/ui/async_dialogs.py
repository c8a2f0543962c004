"""Show dialogs from coroutines without starting a nested event loop.

``QDialog.exec()`` and the static ``QMessageBox`` helpers spin a second event
loop, which re-enters asyncio tasks while one of them is suspended inside the
call. These helpers open the dialog with ``open()`` and await its ``finished``
signal through a future instead.
"""

from __future__ import annotations

import asyncio

from PySide6.QtWidgets import QDialog, QMessageBox, QWidget


async def show_dialog(dialog: QDialog) -> int:
    """Open ``dialog`` window-modal and return its result code when it closes."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[int] = loop.create_future()

    def finish(result: int) -> None:
        if not future.done():
            future.set_result(result)

    dialog.finished.connect(finish)
    dialog.open()
    try:
        return await future
    except asyncio.CancelledError:
        dialog.reject()
        raise
    finally:
        dialog.finished.disconnect(finish)


async def ask_question(
    parent: QWidget | None,
    title: str,
    text: str,
    *,
    default_yes: bool = False,
) -> bool:
    """Ask a yes/no question; return True when the operator picks Yes."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    default = QMessageBox.StandardButton.Yes if default_yes else QMessageBox.StandardButton.No
    box.setDefaultButton(default)
    box.setEscapeButton(QMessageBox.StandardButton.No)

    await show_dialog(box)
    answered_yes = box.clickedButton() is box.button(QMessageBox.StandardButton.Yes)
    box.deleteLater()
    return answered_yes


async def show_message(
    parent: QWidget | None,
    title: str,
    text: str,
    *,
    icon: QMessageBox.Icon = QMessageBox.Icon.Information,
) -> None:
    """Show a message with an OK button and wait until the operator closes it."""
    box = QMessageBox(icon, title, text, parent=parent)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)

    await show_dialog(box)
    box.deleteLater()
