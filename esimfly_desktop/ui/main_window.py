"""The console's main window: catalog and other screens in tabs, balance and status below.

The window lays out widgets and turns menu actions and shortcuts into signals.
``AppController`` connects those signals to the services.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from esimfly_desktop import __version__
from esimfly_desktop.api.models import Package
from esimfly_desktop.i18n import _
from esimfly_desktop.ui.balance_widget import BalanceWidget
from esimfly_desktop.ui.catalog.catalog_view import CatalogView
from esimfly_desktop.ui.training import TrainingBanner

STATUS_MESSAGE_MS = 8000


class MainWindow(QMainWindow):
    """Shows the screens and forwards the operator's commands as signals."""

    refresh_requested = Signal()
    settings_requested = Signal()
    buy_requested = Signal(object)  # Package
    close_requested = Signal(str)  # why: the window was closed, or the Quit command

    def __init__(
        self,
        retail_price: Callable[[Package], Decimal],
        *,
        is_training: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.is_training = is_training
        self.allow_close = False
        self.setAccessibleName(_("eSIMfly Desktop main window"))
        self.setMinimumSize(800, 500)

        self.catalog_view = CatalogView(retail_price)
        self.catalog_view.buy_requested.connect(self.buy_requested)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(_("Screens"))
        self.tabs.addTab(self.catalog_view, _("&Catalog"))

        central = QWidget()
        self._layout = QVBoxLayout(central)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(0)
        self.training_banner: TrainingBanner | None = None
        self._layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.set_training(is_training)

        self.balance_widget = BalanceWidget()
        self.connectivity_label = QLabel()
        self.connectivity_label.setAccessibleName(_("Connection state"))
        self.statusBar().setAccessibleName(_("Status bar"))
        self.statusBar().addPermanentWidget(self.connectivity_label)
        self.statusBar().addPermanentWidget(self.balance_widget)

        self._build_menus()

    def set_training(self, is_training: bool) -> None:
        """Show the training banner and title; training cannot be left within a run."""
        self.is_training = is_training
        self.setWindowTitle(self._title())
        if is_training and self.training_banner is None:
            self.training_banner = TrainingBanner()
            self._layout.insertWidget(0, self.training_banner)

    def add_screen(self, widget: QWidget, title: str) -> int:
        """Add a tab (order history, outbox) and return its position."""
        return self.tabs.addTab(widget, title)

    def add_menu(self, menu: QMenu) -> None:
        """Insert a menu before the Help menu."""
        self.menuBar().insertMenu(self.help_menu.menuAction(), menu)

    def show_status(self, message: str) -> None:
        self.statusBar().showMessage(message, STATUS_MESSAGE_MS)

    def set_connectivity_text(self, text: str) -> None:
        self.connectivity_label.setText(text)

    def closeEvent(self, event: QCloseEvent) -> None:
        # Closing starts an orderly shutdown; the controller closes the window
        # again with ``allow_close`` set once in-flight work is settled.
        if self.allow_close:
            event.accept()
            return
        event.ignore()
        self.close_requested.emit("window closed")

    def _title(self) -> str:
        if self.is_training:
            return _("eSIMfly Desktop (training)")
        return _("eSIMfly Desktop")

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(_("&File"))
        self.settings_action = self._action(_("&Settings…"), "Ctrl+,")
        self.settings_action.triggered.connect(self.settings_requested)
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        self.quit_action = self._action(_("&Quit"), "Ctrl+Q")
        self.quit_action.triggered.connect(lambda: self.close_requested.emit("Quit command"))
        file_menu.addAction(self.quit_action)

        catalog_menu = self.menuBar().addMenu(_("&Catalog"))
        self.search_action = self._action(_("&Search"), "Ctrl+F")
        self.search_action.triggered.connect(self._focus_search)
        catalog_menu.addAction(self.search_action)
        self.refresh_action = self._action(_("&Refresh"), "F5")
        self.refresh_action.triggered.connect(self.refresh_requested)
        catalog_menu.addAction(self.refresh_action)
        self.buy_action = self._action(_("&Buy selected package…"), None)
        self.buy_action.triggered.connect(self.catalog_view.buy_selected)
        catalog_menu.addAction(self.buy_action)

        self.help_menu = self.menuBar().addMenu(_("&Help"))
        self.about_action = self._action(_("&About eSIMfly Desktop"), None)
        self.about_action.triggered.connect(self._show_about)
        self.help_menu.addAction(self.about_action)

    def _action(self, text: str, shortcut: str | None) -> QAction:
        # Fixed shortcuts, because some platform themes map no key to Refresh or Preferences.
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        self.addAction(action)
        return action

    def _show_about(self) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Information,
            _("About eSIMfly Desktop"),
            _("eSIMfly Desktop {version}\nCounter console for eSIM resellers.").format(
                version=__version__
            ),
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def _focus_search(self) -> None:
        self.tabs.setCurrentWidget(self.catalog_view)
        self.catalog_view.focus_search()
