"""Save a window's position and size, and restore them on a screen that still exists.

The geometry is stored as a small JSON object (``x``, ``y``, ``width``,
``height``, ``maximized``, ``screen``) in the settings, so it stays readable
and survives Qt upgrades. A window whose saved position lies on a monitor that
is gone is moved back onto the primary screen.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)

# A restored window must show at least this much of itself on some screen, in pixels.
MIN_VISIBLE_PX = 80
# The first window, before any geometry was saved, in logical pixels.
DEFAULT_SIZE = (1280, 800)


@dataclass(frozen=True)
class SavedGeometry:
    """A window's normal (not maximized) rectangle in virtual desktop pixels."""

    x: int
    y: int
    width: int
    height: int
    maximized: bool = False
    screen: str = ""

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> SavedGeometry | None:
        """Read a stored geometry; return None when the text is missing or invalid."""
        if not text:
            return None
        try:
            values = json.loads(text)
            return cls(
                x=int(values["x"]),
                y=int(values["y"]),
                width=max(1, int(values["width"])),
                height=max(1, int(values["height"])),
                maximized=bool(values.get("maximized", False)),
                screen=str(values.get("screen", "")),
            )
        except (ValueError, KeyError, TypeError) as error:
            log.warning("Ignoring invalid saved window geometry: %s", error)
            return None


def capture_geometry(window: QWidget) -> SavedGeometry:
    """Read the window's normal geometry, the state it returns to when un-maximized."""
    normal = window.normalGeometry() if window.isMaximized() else window.geometry()
    screen = window.screen()
    return SavedGeometry(
        x=normal.x(),
        y=normal.y(),
        width=normal.width(),
        height=normal.height(),
        maximized=window.isMaximized(),
        screen=screen.name() if screen is not None else "",
    )


def restore_geometry(window: QWidget, saved: SavedGeometry | None) -> QRect:
    """Place ``window`` where it was, or on the primary screen if that spot is off every screen.

    Returns the rectangle the window was given.
    """
    if saved is None:
        return _center_on(window, QGuiApplication.primaryScreen())

    rect = QRect(saved.x, saved.y, saved.width, saved.height)
    if not _is_visible_on_some_screen(rect):
        log.info(
            "Saved window position %d,%d is off every screen (monitor %r gone); "
            "moving the window to the primary screen",
            saved.x,
            saved.y,
            saved.screen,
        )
        rect = _fit_into(rect, QGuiApplication.primaryScreen())

    window.setGeometry(rect)
    if saved.maximized:
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
    return rect


def _is_visible_on_some_screen(rect: QRect) -> bool:
    for screen in QGuiApplication.screens():
        overlap = screen.availableGeometry().intersected(rect)
        if overlap.width() >= MIN_VISIBLE_PX and overlap.height() >= MIN_VISIBLE_PX:
            return True
    return False


def _fit_into(rect: QRect, screen: QScreen) -> QRect:
    available = screen.availableGeometry()
    width = min(rect.width(), available.width())
    height = min(rect.height(), available.height())
    fitted = QRect(0, 0, width, height)
    fitted.moveCenter(available.center())
    return fitted


def _center_on(window: QWidget, screen: QScreen) -> QRect:
    width, height = DEFAULT_SIZE
    rect = _fit_into(QRect(QPoint(0, 0), QSize(width, height)), screen)
    window.setGeometry(rect)
    return rect
