"""Keep identifiers and amounts left to right inside right-to-left text.

In an Arabic sentence, the Unicode bidirectional algorithm would reorder an
ICCID, an activation code (``LPA:1$host$ID``), an SM-DP+ address, a package
code or an amount. Their separators (``$``, ``.``, ``:``) are weak or neutral
characters, so they take the direction of the Arabic around them and the
parts come out in the wrong order. There are two remedies, one for each
place text appears:

- inside a sentence, wrap the value in a left-to-right isolate
  (U+2066 LEFT-TO-RIGHT ISOLATE ... U+2069 POP DIRECTIONAL ISOLATE) with
  :func:`ltr`, or with :func:`keep_ltr`, which adds the marks only in a
  right-to-left language. The marks are invisible, and the value cannot
  reorder its neighbours either;
- in a widget that shows only the value (a label, a read-only line edit),
  give that widget a left-to-right layout direction with
  :func:`set_widget_left_to_right`.

Text that is copied to the clipboard or encoded in a QR code must be the
bare value: use :func:`strip_isolates` on anything that may carry marks.
"""

from __future__ import annotations

from typing import Any

from esimfly_desktop.i18n.catalogs import current_language
from esimfly_desktop.i18n.locale import is_right_to_left

LRI = "\u2066"
RLI = "\u2067"
FSI = "\u2068"
PDI = "\u2069"

# Marks that change how text is ordered but are not part of the value.
BIDI_CONTROLS = frozenset(
    "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def ltr(value: object) -> str:
    """Return ``value`` as text inside a left-to-right isolate."""
    return f"{LRI}{value}{PDI}"


def keep_ltr(value: object, *, language: str | None = None) -> str:
    """Return ``value`` isolated left to right when ``language`` is written right to left.

    ``language`` defaults to the operator's. In a left-to-right language the
    text comes back unchanged, so a request ID copied from a message has no
    invisible marks that would make a search for it fail.
    """
    if is_right_to_left(language or current_language()):
        return ltr(value)
    return str(value)


def first_strong(value: object) -> str:
    """Return ``value`` inside an isolate whose direction follows its first letter.

    For user-typed text of unknown language, such as a customer's name.
    """
    return f"{FSI}{value}{PDI}"


def strip_isolates(text: str) -> str:
    """Remove every bidi control from ``text``: the value to copy, search or encode."""
    return "".join(character for character in text if character not in BIDI_CONTROLS)


def set_widget_left_to_right(widget: Any) -> None:
    """Show a widget's value left to right even when the interface is mirrored.

    For widgets that display only an ICCID, an activation code, an SM-DP+
    address, a package code or an amount. ``widget`` is any ``QWidget``;
    the text is also aligned to the left, where a left-to-right value starts.
    """
    from PySide6.QtCore import Qt

    widget.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    if hasattr(widget, "setAlignment") and hasattr(widget, "alignment"):
        vertical = widget.alignment() & Qt.AlignmentFlag.AlignVertical_Mask
        widget.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignAbsolute | vertical)
