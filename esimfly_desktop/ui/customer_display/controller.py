"""Put an eSIM on the customer display, warn when it is already installed, watch it."""

from __future__ import annotations

import asyncio
import logging

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

from esimfly_desktop.api.errors import EsimflyError
from esimfly_desktop.i18n import _
from esimfly_desktop.ui.async_dialogs import ask_question
from esimfly_desktop.ui.customer_display.display_window import CustomerDisplayWindow
from esimfly_desktop.ui.customer_display.installation_watcher import InstallationWatcher
from esimfly_desktop.ui.qr.hand_off import HandOff

log = logging.getLogger(__name__)

# The pre-show check must not keep a waiting customer long.
INSTALLED_CHECK_TIMEOUT_S = 5.0


class CustomerDisplayController(QObject):
    """The operator's side of the customer display."""

    shown = Signal(object)  # HandOff on screen
    installed = Signal(str)  # ICCID, for the operator's screens too
    cleared = Signal()
    screen_lost = Signal(str)  # name of the screen that was disconnected

    def __init__(
        self,
        window: CustomerDisplayWindow,
        watcher: InstallationWatcher,
        operator_window: QWidget | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.window = window
        self.watcher = watcher
        self._operator_window = operator_window
        self._tasks: set[asyncio.Task[bool]] = set()
        self.preferred_screen_name: str | None = None
        watcher.installed.connect(self._on_installed)
        window.closed.connect(self._on_window_closed)
        QGuiApplication.instance().screenRemoved.connect(self.on_screen_removed)

    def request_show(self, hand_off: HandOff) -> asyncio.Task[bool]:
        """Start showing ``hand_off``; the task returns whether it was shown."""
        task = asyncio.get_running_loop().create_task(self.show(hand_off))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def show(self, hand_off: HandOff) -> bool:
        """Show ``hand_off`` after a warning if a phone already has it installed."""
        if await self._already_installed(hand_off.iccid):
            confirmed = await ask_question(
                self._operator_window,
                _("eSIM already installed"),
                _(
                    "The eSIM {iccid} is already installed on a phone. Its QR code "
                    "works only once, so the customer cannot install it again. "
                    "Show it anyway?"
                ).format(iccid=hand_off.iccid),
            )
            if not confirmed:
                return False

        self.ensure_visible()
        self.window.show_hand_off(hand_off)
        self.watcher.watch(hand_off.iccid)
        self.shown.emit(hand_off)
        return True

    async def _already_installed(self, iccid: str) -> bool:
        try:
            return await asyncio.wait_for(
                self.watcher.is_installed(iccid), INSTALLED_CHECK_TIMEOUT_S
            )
        except (EsimflyError, TimeoutError) as error:
            # An unknown state does not block the sale; the watcher keeps checking.
            log.warning(
                "Could not check eSIM %s before showing it: %s", iccid, type(error).__name__
            )
            return False

    def blank(self) -> None:
        """Black the customer display at once and stop polling."""
        self.watcher.stop()
        self.window.blank()
        self.cleared.emit()

    def show_idle(self) -> None:
        """Return the customer display to its welcome screen and stop polling."""
        self.watcher.stop()
        self.window.show_idle()
        self.cleared.emit()

    def ensure_visible(self) -> None:
        """Open the window on the chosen screen if it is not open yet, else raise it."""
        if self.window.isVisible():
            self.window.raise_()
            return
        self._place(self.customer_screen())

    def open_on_screen(self, screen: QScreen) -> None:
        """Move the customer display to ``screen`` and remember the choice.

        A display reopened after it was closed shows the welcome screen, not black.
        """
        self.preferred_screen_name = screen.name()
        if not self.window.isVisible() and self.window.current_page() is self.window.blank_page:
            self.window.show_idle()
        self._place(screen)

    def _place(self, screen: QScreen) -> None:
        # Full screen only away from the console: on the console's own screen a
        # full-screen display would cover it and leave the operator stuck.
        full_screen = screen is not self.operator_screen()
        self.window.place_on_screen(screen, full_screen=full_screen)

    def operator_screen(self) -> QScreen:
        """Return the screen of the operator's window, else the primary screen."""
        operator_window = self._operator_window
        if operator_window is not None and operator_window.isVisible():
            screen = operator_window.screen()
            if screen is not None:
                return screen
        return QGuiApplication.primaryScreen()

    def customer_screen(self) -> QScreen:
        """Return the chosen screen while it is connected, else the default one."""
        for screen in QGuiApplication.screens():
            if screen.name() == self.preferred_screen_name:
                return screen
        return default_customer_screen()

    def on_screen_removed(self, screen: QScreen) -> None:
        """Close the display when its monitor is unplugged.

        Qt would move the full-screen window onto a remaining screen, which may
        be the operator's, covering the console. The eSIM is blanked first.
        """
        if not self.window.isVisible() or self.window.screen() is not screen:
            return
        name = screen.name()
        log.warning("Customer display screen %s disconnected; closing the display", name)
        self.watcher.stop()
        self.window.blank()
        self.window.hide()
        self.screen_lost.emit(name)

    def _on_window_closed(self) -> None:
        log.info("Customer display closed, stopped watching its eSIM")
        self.watcher.stop()
        self.cleared.emit()
        operator_window = self._operator_window
        if operator_window is not None and operator_window.isVisible():
            operator_window.raise_()
            operator_window.activateWindow()

    def _on_installed(self, iccid: str) -> None:
        self.window.mark_installed(iccid)
        self.installed.emit(iccid)


def default_customer_screen() -> QScreen:
    """Return the first screen that is not the primary one, else the primary."""
    primary = QGuiApplication.primaryScreen()
    for screen in QGuiApplication.screens():
        if screen is not primary:
            return screen
    return primary
