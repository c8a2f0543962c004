"""The operator's controls for the customer display: screen, language, blank, welcome."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QScreen, QShortcut
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

from esimfly_desktop.i18n import _
from esimfly_desktop.i18n.locale import LANGUAGES
from esimfly_desktop.ui.customer_display.controller import CustomerDisplayController

BLANK_SHORTCUT = "Ctrl+B"


class CustomerDisplayControls(QWidget):
    """A toolbar row for the main window; every action is one click."""

    def __init__(
        self, controller: CustomerDisplayController, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.controller = controller

        self.screen_box = QComboBox(self)
        self.screen_box.setAccessibleName(_("Customer display screen"))
        self.open_button = QPushButton(_("Open customer display"), self)
        self.blank_button = QPushButton(_("Blank"), self)
        self.blank_button.setToolTip(
            _("Hide everything on the customer display ({shortcut})").format(
                shortcut=BLANK_SHORTCUT
            )
        )
        self.idle_button = QPushButton(_("Welcome screen"), self)
        self.language_buttons: dict[str, QPushButton] = {}
        for button in (self.open_button, self.blank_button, self.idle_button):
            button.setAccessibleName(button.text())

        self.open_button.clicked.connect(self.open_on_chosen_screen)
        self.blank_button.clicked.connect(controller.blank)
        self.idle_button.clicked.connect(controller.show_idle)
        # The blank shortcut works from anywhere in the operator's window.
        self._blank_shortcut = QShortcut(QKeySequence(BLANK_SHORTCUT), self)
        self._blank_shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        self._blank_shortcut.activated.connect(controller.blank)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(_("Customer display:"), self))
        layout.addWidget(self.screen_box)
        layout.addWidget(self.open_button)
        layout.addWidget(self.blank_button)
        layout.addWidget(self.idle_button)
        for language in LANGUAGES:
            button = QPushButton(language.native_name, self)
            button.setCheckable(True)
            button.setAccessibleName(
                _("Customer language: {language}").format(language=language.english_name)
            )
            button.clicked.connect(
                lambda _checked, code=language.code: controller.window.set_language(code)
            )
            self.language_buttons[language.code] = button
            layout.addWidget(button)
        layout.addStretch(1)

        controller.window.language_changed.connect(self._show_language)
        self._show_language(controller.window.language)
        application = QGuiApplication.instance()
        # Bound methods, unlike lambdas, are disconnected when this widget is deleted.
        application.screenAdded.connect(self._on_screens_changed)
        application.screenRemoved.connect(self._on_screens_changed)
        self.refresh_screens()

    def refresh_screens(self) -> None:
        """List the connected screens, keeping the customer display's screen selected."""
        chosen = self.controller.customer_screen()
        self.screen_box.clear()
        for number, screen in enumerate(QGuiApplication.screens(), start=1):
            geometry = screen.geometry()
            label = _("{name} ({width} × {height})").format(
                name=screen_label(screen, number), width=geometry.width(), height=geometry.height()
            )
            self.screen_box.addItem(label, screen.name())
        self.screen_box.setCurrentIndex(max(0, self.screen_box.findData(chosen.name())))

    def _on_screens_changed(self, _screen: QScreen) -> None:
        self.refresh_screens()

    def chosen_screen(self) -> QScreen | None:
        name = self.screen_box.currentData()
        return next((screen for screen in QGuiApplication.screens() if screen.name() == name), None)

    def open_on_chosen_screen(self) -> None:
        screen = self.chosen_screen()
        if screen is not None:
            self.controller.open_on_screen(screen)

    def _show_language(self, code: str) -> None:
        for language_code, button in self.language_buttons.items():
            button.setChecked(language_code == code)


def screen_label(screen: QScreen, number: int) -> str:
    """Return the screen's name, or "Screen 2" for a platform that names none."""
    return screen.name() or _("Screen {number}").format(number=number)
