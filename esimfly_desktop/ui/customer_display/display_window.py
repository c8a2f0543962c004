"""A window for the customer: the QR code large, manual codes, install steps.

It shows nothing but what the customer needs: no prices, balance, operator
name or order data. Its language is the customer's, switchable in one click.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QFont, QKeySequence, QScreen, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from esimfly_desktop.i18n import _
from esimfly_desktop.i18n.locale import LANGUAGES, is_right_to_left
from esimfly_desktop.ui.customer_display import customer_texts as texts
from esimfly_desktop.ui.customer_display.code_label import CodeLabel
from esimfly_desktop.ui.qr.hand_off import HandOff
from esimfly_desktop.ui.qr.qr_widget import QrCodeWidget

log = logging.getLogger(__name__)

# Large enough for a phone camera across the counter on a typical second monitor.
CUSTOMER_QR_MINIMUM_SIDE = 420
# Point sizes of the codes a customer types by hand. A long code shrinks to fit.
CODE_POINT_SIZE = 20
CODE_MINIMUM_POINT_SIZE = 10
# Share of the screen's free area that the display takes as a window, so the
# operator still sees the console's edges and can move the display aside.
WINDOWED_SHARE = 0.75


class CustomerDisplayWindow(QWidget):
    """The customer-facing screen: idle, an eSIM to install, or blank."""

    language_changed = Signal(str)
    closed = Signal()  # Escape, "Back to console" or the window's close button

    def __init__(self, language: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(_("Customer display"))
        self._language = language
        self._hand_off: HandOff | None = None
        self._installed = False

        self.pages = QStackedWidget(self)
        self.idle_page = self._build_idle_page()
        self.esim_page = self._build_esim_page()
        self.blank_page = QWidget(self)
        self.blank_page.setStyleSheet("background: black;")
        for page in (self.idle_page, self.esim_page, self.blank_page):
            self.pages.addWidget(page)

        self.language_bar = self._build_language_bar()
        self.back_button = QPushButton(_("Back to console"), self)
        self.back_button.setToolTip(_("Close the customer display (Esc)"))
        self.back_button.clicked.connect(self.close)
        self.back_button.setVisible(False)
        # Escape closes the display from any of its widgets, in every window mode.
        self._close_shortcut = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        self._close_shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        self._close_shortcut.activated.connect(self.close)

        layout = QVBoxLayout(self)
        layout.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.language_bar)

        self.set_language(language)
        self.show_idle()

    # Pages

    def _build_idle_page(self) -> QWidget:
        page = QWidget(self)
        self.welcome_label = _large_label(page, 40, bold=True)
        self.idle_hint_label = _large_label(page, 22)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(self.welcome_label)
        layout.addWidget(self.idle_hint_label)
        layout.addStretch(1)
        return page

    def _build_esim_page(self) -> QWidget:
        page = QWidget(self)
        self.qr = QrCodeWidget(page, minimum_side=CUSTOMER_QR_MINIMUM_SIDE)
        self.scan_label = _large_label(page, 24, bold=True)
        self.installed_label = _large_label(page, 28, bold=True)
        self.installed_label.setStyleSheet("color: #1b7f3b;")
        self.manual_label = _large_label(page, 18, bold=True)
        self.smdp_caption = QLabel(page)
        self.smdp_code = CodeLabel(CODE_POINT_SIZE, CODE_MINIMUM_POINT_SIZE, page)
        self.activation_caption = QLabel(page)
        self.activation_code = CodeLabel(CODE_POINT_SIZE, CODE_MINIMUM_POINT_SIZE, page)
        self.iphone_title = _large_label(page, 18, bold=True)
        self.iphone_steps = QLabel(page)
        self.android_title = _large_label(page, 18, bold=True)
        self.android_steps = QLabel(page)
        self.once_label = QLabel(page)
        for label in (self.iphone_steps, self.android_steps, self.once_label):
            label.setWordWrap(True)
            _set_point_size(label, 14)

        # Each caption above its code, so the code has the column's full width.
        codes = QVBoxLayout()
        for widget in (
            self.manual_label,
            self.smdp_caption,
            self.smdp_code,
            self.activation_caption,
            self.activation_code,
        ):
            codes.addWidget(widget)

        steps = QVBoxLayout()
        steps.addLayout(codes)
        steps.addSpacing(8)
        for widget in (
            self.iphone_title,
            self.iphone_steps,
            self.android_title,
            self.android_steps,
        ):
            steps.addWidget(widget)
        steps.addSpacing(8)
        steps.addWidget(self.once_label)
        steps.addStretch(1)

        left = QVBoxLayout()
        left.addWidget(self.scan_label)
        left.addWidget(self.qr, 1)
        left.addWidget(self.installed_label)

        layout = QHBoxLayout(page)
        layout.addLayout(left, 1)
        layout.addLayout(steps, 1)
        return page

    def _build_language_bar(self) -> QWidget:
        bar = QWidget(self)
        layout = QHBoxLayout(bar)
        layout.addStretch(1)
        self.language_buttons = QButtonGroup(bar)
        self.language_buttons.setExclusive(True)
        for language in LANGUAGES:
            # Each button is labelled in its own language so a customer finds theirs.
            button = QPushButton(language.native_name, bar)
            button.setCheckable(True)
            button.setProperty("language_code", language.code)
            button.setAccessibleName(language.english_name)
            self.language_buttons.addButton(button)
            layout.addWidget(button)
        self.language_buttons.buttonClicked.connect(
            lambda button: self.set_language(button.property("language_code"))
        )
        return bar

    # State

    @property
    def language(self) -> str:
        return self._language

    @property
    def hand_off(self) -> HandOff | None:
        return self._hand_off

    def current_page(self) -> QWidget:
        return self.pages.currentWidget()

    def show_hand_off(self, hand_off: HandOff) -> None:
        """Show one eSIM's QR code and manual codes to the customer."""
        self._hand_off = hand_off
        self._installed = False
        self.qr.set_lpa_string(hand_off.lpa_string)
        self.smdp_code.setText(hand_off.smdp_address)
        self.activation_code.setText(hand_off.matching_id)
        self.installed_label.setVisible(False)
        self.qr.setVisible(True)
        self.pages.setCurrentWidget(self.esim_page)
        self.language_bar.setVisible(True)
        log.info("Customer display shows eSIM %s", hand_off.iccid)

    def show_idle(self) -> None:
        """Show the welcome screen and forget the eSIM."""
        self._forget_hand_off()
        self.pages.setCurrentWidget(self.idle_page)
        self.language_bar.setVisible(True)

    def blank(self) -> None:
        """Black the screen at once, hiding everything, the language bar included."""
        self._forget_hand_off()
        self.pages.setCurrentWidget(self.blank_page)
        self.language_bar.setVisible(False)
        log.info("Customer display blanked")

    def mark_installed(self, iccid: str) -> None:
        """Replace the QR code with "installed" when ``iccid`` is the eSIM on screen."""
        if self._hand_off is None or self._hand_off.iccid != iccid:
            return
        self._installed = True
        self.qr.setVisible(False)
        self.installed_label.setVisible(True)

    @property
    def is_installed_shown(self) -> bool:
        return self._installed and self.installed_label.isVisible()

    def set_language(self, language: str) -> None:
        """Switch this window (only) to ``language`` and mirror it for Arabic."""
        self._language = language
        direction = (
            Qt.LayoutDirection.RightToLeft
            if is_right_to_left(language)
            else Qt.LayoutDirection.LeftToRight
        )
        self.setLayoutDirection(direction)
        for code_field in (self.smdp_code, self.activation_code):
            code_field.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        for button in self.language_buttons.buttons():
            button.setChecked(button.property("language_code") == language)
        self._retranslate()
        self.language_changed.emit(language)

    def _retranslate(self) -> None:
        language = self._language
        pairs = (
            (self.welcome_label, texts.WELCOME),
            (self.idle_hint_label, texts.IDLE_HINT),
            (self.scan_label, texts.SCAN_TITLE),
            (self.installed_label, texts.INSTALLED),
            (self.manual_label, texts.MANUAL_TITLE),
            (self.smdp_caption, texts.SMDP_LABEL),
            (self.activation_caption, texts.ACTIVATION_LABEL),
            (self.iphone_title, texts.IPHONE_TITLE),
            (self.iphone_steps, texts.IPHONE_STEPS),
            (self.android_title, texts.ANDROID_TITLE),
            (self.android_steps, texts.ANDROID_STEPS),
            (self.once_label, texts.ONCE_WARNING),
        )
        for label, message in pairs:
            label.setText(texts.translate(message, language))
        self.language_bar.setAccessibleName(texts.translate(texts.LANGUAGE_SWITCH, language))
        self.smdp_code.setAccessibleName(self.smdp_caption.text())
        self.activation_code.setAccessibleName(self.activation_caption.text())
        self.qr.setAccessibleName(self.scan_label.text())

    def _forget_hand_off(self) -> None:
        self._hand_off = None
        self._installed = False
        self.qr.set_lpa_string(None)
        self.smdp_code.clear()
        self.activation_code.clear()

    # Placement

    def place_on_screen(self, screen: QScreen, *, full_screen: bool = True) -> None:
        """Move the window to ``screen``, full screen or as a movable window on top.

        The windowed form is for a screen shared with the console: it stays
        above the console and shows a "Back to console" button.
        """
        # Changing a window flag hides a visible window, so set it before showing.
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, not full_screen)
        self.setScreen(screen)
        self.back_button.setVisible(not full_screen)
        if full_screen:
            self.setGeometry(screen.geometry())
            self.showFullScreen()
        else:
            self.showNormal()
            self.setGeometry(windowed_geometry(screen.availableGeometry(), self.sizeHint()))
        self.raise_()
        self.activateWindow()
        log.info(
            "Customer display on screen %s (%s)",
            screen.name(),
            "full screen" if full_screen else "window",
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        # Closing hides the window; the operator reopens it from the main window.
        self.blank()
        super().closeEvent(event)
        self.closed.emit()


def windowed_geometry(available: QRect, content: QSize) -> QRect:
    """Return a rectangle centred in ``available`` for the windowed display.

    It covers ``WINDOWED_SHARE`` of each side, but never less than the
    ``content`` size hint (so the QR code and codes are not cut off on a
    small screen), and never more than ``available``.

    NOTE: the rectangle is the client area, so on a screen smaller than the
    content the window frame can reach past the screen's edge.
    """
    width = max(round(available.width() * WINDOWED_SHARE), content.width())
    height = max(round(available.height() * WINDOWED_SHARE), content.height())
    rectangle = QRect(0, 0, min(width, available.width()), min(height, available.height()))
    rectangle.moveCenter(available.center())
    return rectangle


def _large_label(parent: QWidget, point_size: int, *, bold: bool = False) -> QLabel:
    label = QLabel(parent)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    _set_point_size(label, point_size, bold=bold)
    return label


def _set_point_size(widget: QWidget, point_size: int, *, bold: bool = False) -> None:
    font = QFont(widget.font())
    font.setPointSize(point_size)
    font.setBold(bold)
    widget.setFont(font)
