"""Layout checks for translated screens: clipped text and overlapping widgets.

Run them over a window shown in the pseudo-language (strings about 40%
longer, mirrored) or in a real language::

    problems = find_layout_problems(window)
    assert problems == [], "\\n".join(map(str, problems))

A label, button or column title wider than the space it has is reported,
and so is a pair of visible sibling widgets whose rectangles intersect. The
window must be shown (``qtbot.addWidget`` and ``window.show()``) and its
layout settled (``qtbot.waitExposed`` or ``QApplication.processEvents()``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from PySide6.QtCore import QEvent

# QtGui.Qt carries the enums of QtCore.Qt plus mightBeRichText.
from PySide6.QtGui import QFontMetrics, Qt, QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyle,
    QStyleOptionButton,
    QWidget,
)

from esimfly_desktop.i18n import current_language, set_language
from esimfly_desktop.i18n.pseudo import PSEUDO_LANGUAGE
from esimfly_desktop.i18n.qt_translations import apply_language_to_qt

# Rounding in font metrics and style margins; a pixel is not a clipped letter.
TOLERANCE_PX = 1


@dataclass(frozen=True)
class LayoutProblem:
    """One clipped text or one overlap, named so the screen can be found."""

    kind: str
    widget: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.widget}: {self.detail}"


def describe_widget(widget: QWidget) -> str:
    """Return ``Class 'objectName' "text"`` to find a widget from a failure message."""
    parts = [type(widget).__name__]
    if widget.objectName():
        parts.append(repr(widget.objectName()))
    text = getattr(widget, "text", None)
    if callable(text) and text():
        parts.append(repr(text()[:40]))
    return " ".join(parts)


def _plain_text(label: QLabel) -> str:
    text = label.text()
    if label.textFormat() == Qt.TextFormat.PlainText or not Qt.mightBeRichText(text):
        return text
    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText()


def _available_width(label: QLabel, metrics: QFontMetrics) -> int:
    indent = label.indent()
    if indent < 0:
        # Qt's automatic indent: half an "x" when the label has a frame.
        indent = metrics.horizontalAdvance("x") // 2 if label.frameWidth() > 0 else 0
    return label.contentsRect().width() - 2 * label.margin() - indent


def _label_problem(label: QLabel) -> LayoutProblem | None:
    text = _plain_text(label)
    if not text.strip() or not label.pixmap().isNull():
        return None

    metrics = QFontMetrics(label.font())
    available = _available_width(label, metrics)
    name = describe_widget(label)
    if label.wordWrap():
        # A wrapped label clips when one word is wider than the label, or
        # when the wrapped lines need more height than it has.
        widest = max(metrics.horizontalAdvance(word) for word in text.split())
        if widest > available + TOLERANCE_PX:
            return LayoutProblem("clipped", name, f"a word needs {widest}px, has {available}px")
        needed_height = label.heightForWidth(label.width())
        if needed_height > label.height() + TOLERANCE_PX:
            detail = f"wrapped text needs {needed_height}px height, has {label.height()}px"
            return LayoutProblem("clipped", name, detail)
        return None

    widest_line = max(metrics.horizontalAdvance(line) for line in text.splitlines())
    if widest_line > available + TOLERANCE_PX:
        return LayoutProblem("clipped", name, f"text needs {widest_line}px, has {available}px")
    return None


def _button_problem(button: QAbstractButton) -> LayoutProblem | None:
    text = button.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
    if not text.strip():
        return None

    needed = QFontMetrics(button.font()).horizontalAdvance(text)
    if isinstance(button, QPushButton):
        option = QStyleOptionButton()
        button.initStyleOption(option)
        contents = QStyle.SubElement.SE_PushButtonContents
        available = button.style().subElementRect(contents, option, button).width()
        if not button.icon().isNull():
            available -= button.iconSize().width() + 4
    else:
        # Check boxes and radio buttons: the size hint minus the text is the indicator and spacing.
        available = button.width() - (button.sizeHint().width() - needed)

    if needed > available + TOLERANCE_PX:
        detail = f"text needs {needed}px, has {available}px"
        return LayoutProblem("clipped", describe_widget(button), detail)
    return None


def _visible_children(parent: QWidget) -> list[QWidget]:
    return [
        child
        for child in parent.children()
        if isinstance(child, QWidget) and not child.isWindow() and child.isVisible()
    ]


def _overlap_problems(
    parent: QWidget, ignore: Callable[[QWidget], bool]
) -> Iterator[LayoutProblem]:
    children = [child for child in _visible_children(parent) if not ignore(child)]
    for index, first in enumerate(children):
        for second in children[index + 1 :]:
            shared = first.geometry().intersected(second.geometry())
            if shared.width() > TOLERANCE_PX and shared.height() > TOLERANCE_PX:
                yield LayoutProblem(
                    "overlap",
                    describe_widget(first),
                    f"overlaps {describe_widget(second)} by {shared.width()}x{shared.height()}px",
                )


def _header_problems(header: QHeaderView) -> Iterator[LayoutProblem]:
    # Column titles clip quietly: Qt elides them to "Am…" without a warning.
    model = header.model()
    if model is None:
        return
    metrics = QFontMetrics(header.font())
    margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    for section in range(header.count()):
        if header.isSectionHidden(section):
            continue
        title = model.headerData(section, header.orientation(), Qt.ItemDataRole.DisplayRole)
        if not title:
            continue
        needed = metrics.horizontalAdvance(str(title)) + 2 * margin
        available = header.sectionSize(section)
        if header.orientation() == Qt.Orientation.Horizontal and needed > available + TOLERANCE_PX:
            yield LayoutProblem(
                "clipped",
                describe_widget(header),
                f"column {section} title {str(title)!r} needs {needed}px, has {available}px",
            )


def settle_layouts() -> None:
    """Deliver pending layout requests now, so geometries are final before they are read.

    A status bar or a window that was just shown may still have its layout
    request queued; reading geometries then reports overlaps that vanish a
    moment later.
    """
    for _round in range(3):
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        QApplication.processEvents()


def _walk(root: QWidget) -> Iterator[QWidget]:
    yield root
    for child in root.findChildren(QWidget):
        if not child.isWindow() and child.isVisible():
            yield child


def find_layout_problems(
    root: QWidget, *, ignore: Callable[[QWidget], bool] | None = None
) -> list[LayoutProblem]:
    """Return every clipped label, button or column title and every overlapping sibling pair.

    ``ignore`` skips a widget a screen clips or stacks on purpose (an elided
    path, an overlay badge): its text and the overlaps it takes part in.
    Only widgets visible on screen are checked.
    """
    if not root.isVisible():
        raise ValueError("show the window before checking its layout: hidden widgets have no size")
    settle_layouts()

    skip = ignore or (lambda _widget: False)
    problems: list[LayoutProblem] = []
    for widget in _walk(root):
        if skip(widget):
            continue
        if isinstance(widget, QLabel):
            problem = _label_problem(widget)
        elif isinstance(widget, QAbstractButton):
            problem = _button_problem(widget)
        elif isinstance(widget, QHeaderView):
            problems.extend(_header_problems(widget))
            problem = None
        else:
            problem = None
        if problem is not None:
            problems.append(problem)
        problems.extend(_overlap_problems(widget, skip))
    return problems


@contextmanager
def pseudo_language() -> Iterator[None]:
    """Switch the console to the pseudo-language (longer, mirrored) for a test.

    Build the screen inside the ``with`` block: text is translated when a
    widget is created or retranslated.
    """
    previous = current_language()
    set_language(PSEUDO_LANGUAGE)
    if QApplication.instance() is not None:
        apply_language_to_qt(PSEUDO_LANGUAGE)
    try:
        yield
    finally:
        set_language(previous)
        if QApplication.instance() is not None:
            apply_language_to_qt(previous)


def format_problems(problems: Iterable[LayoutProblem]) -> str:
    return "\n".join(str(problem) for problem in problems)
