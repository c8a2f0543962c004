"""Paints catalog cells from laid-out text cached between paints.

Qt's own item delegate requests seven roles from the model per cell and lays out
the cell's text twice on every paint (once to decide on eliding, once to
draw). With 25 rows of 8 columns that is most of a paint's time. This
delegate reads the cell's text straight from the model and keeps each laid
out text, so a repaint draws glyphs it has already shaped. The region, type,
data, days and price texts that many packages share are laid out once.

The text is placed the way Qt's common style places an item's text: the same
margins, eliding, vertical centring and mirrored alignment in a right-to-left
layout, drawn by the same ``QTextLayout``. Cells this delegate does not draw
itself (selected, focused or under the mouse, text of several lines, or a
style other than Fusion and Windows, whose item drawing is Qt's common
style's) go through Qt's own painting.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QPointF, QRect, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPalette,
    QTextLayout,
    QTextLine,
    QTextOption,
)
from PySide6.QtWidgets import QAbstractItemView, QStyle, QStyledItemDelegate, QStyleOptionViewItem

if TYPE_CHECKING:
    from esimfly_desktop.ui.catalog.table_model import CatalogTableModel

# Laid-out texts kept in the cache, about 6 KB each. A screen shows about 200 cells,
# and region, type, data and days texts repeat across rows.
LAYOUTS_CACHED = 1000
# Styles whose item text drawing is Qt's common style, which this delegate reproduces.
COMMON_ITEM_STYLES = frozenset({"QFusionStyle", "QWindowsStyle"})

# Option states as plain integers: flag arithmetic on the enums costs microseconds per cell.
_QT_PAINTS = (
    QStyle.StateFlag.State_Selected.value
    | QStyle.StateFlag.State_HasFocus.value
    | QStyle.StateFlag.State_MouseOver.value
)
_ENABLED = QStyle.StateFlag.State_Enabled.value
_ACTIVE = QStyle.StateFlag.State_Active.value
_ALIGN_BOTTOM = Qt.AlignmentFlag.AlignBottom.value
_ALIGN_VCENTER = Qt.AlignmentFlag.AlignVCenter.value
_ENABLED_ACTIVE = _ENABLED | _ACTIVE
# Kept in place of a layout for text of several lines, which Qt's own painting draws.
_SEVERAL_LINES = None
_LayoutKey = tuple[str, int, int, int]  # text, cell width, cell height, column
# Layout, its left and top offsets in the cell, and whether it stays inside the cell.
_CachedLayout = tuple[QTextLayout, int, int, bool] | None
# An estimate of how many pixels a glyph's ink may reach past its advance. Text at
# least this far from the cell's edges is drawn without clipping.
_INK_OVERHANG = 2


@dataclass(frozen=True)
class _PaintContext:
    """Values shared by every cell of one paint of the view."""

    own_paint: bool
    same_state_everywhere: bool
    margin: int
    font: QFont
    direction: Qt.LayoutDirection
    elide_mode: Qt.TextElideMode
    metrics: QFontMetrics
    pens: dict[int, QColor]  # text colour by the option's enabled and active bits
    text_options: tuple[QTextOption, ...]  # by column
    vertical: tuple[int, ...]  # vertical alignment bits by column


def draws_items_like_common_style(style: QStyle) -> bool:
    """Return whether ``style`` draws item text as Qt's common style, which this delegate copies."""
    return style.metaObject().className() in COMMON_ITEM_STYLES


class CatalogCellDelegate(QStyledItemDelegate):
    """Draws the catalog table's cells, reusing laid-out text between paints."""

    def __init__(self, model: CatalogTableModel, view: QAbstractItemView) -> None:
        super().__init__(view)
        self._model = model
        self._row_texts = model.row_texts
        self._view = view
        self._context: _PaintContext | None = None
        # The option state of every cell of this paint, when the cells cannot differ.
        self._shared_state: int | None = None
        # The context of the last paint: its text options and font metrics are reused.
        self._last_context: _PaintContext | None = None
        self._layouts_key: tuple[str, int, int, int] | None = None
        self._layouts: OrderedDict[_LayoutKey, _CachedLayout] = OrderedDict()
        # Style, font, palette and direction are read again at the start of every paint.
        view.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self._context = None
            self._shared_state = None
        return False

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        context = self._context or self._read_context()
        state = self._shared_state
        if state is None:
            state = option.state.value
            if context.same_state_everywhere:
                self._shared_state = state
        if state & _QT_PAINTS or not context.own_paint:
            super().paint(painter, option, index)
            return

        column = index.column()
        texts = self._row_texts(index.row())
        if texts is None or not texts[column]:
            return
        rect: QRect = option.rect
        geometry: tuple[int, int, int, int] = rect.getRect()  # type: ignore[assignment]
        x, y, width, height = geometry
        key = (texts[column], width, height, column)
        cached = self._layouts.get(key) or self._lay_out(context, key)
        if cached is _SEVERAL_LINES:
            super().paint(painter, option, index)
            return

        layout, left, top, inside = cached
        pen = context.pens[state & _ENABLED_ACTIVE]
        if inside:
            # Qt's common style clips to the cell. This text stays inside it, so no clip.
            painter.setPen(pen)
            layout.draw(painter, QPointF(x + left, y + top))
            return
        painter.save()
        painter.setClipRect(rect)
        painter.setPen(pen)
        layout.draw(painter, QPointF(x + left, y + top))
        painter.restore()

    def _read_context(self) -> _PaintContext:
        """Read the style, font, palette and direction that this paint uses."""
        view = self._view
        style = view.style()
        font = view.font()
        direction = view.layoutDirection()
        elide_mode = view.textElideMode()
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1

        # The colour groups that Qt's common style picks for an item's text.
        palette = view.palette()
        pens = {
            _ENABLED | _ACTIVE: palette.color(QPalette.ColorGroup.Normal, QPalette.ColorRole.Text),
            _ENABLED: palette.color(QPalette.ColorGroup.Inactive, QPalette.ColorRole.Text),
            _ACTIVE: palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text),
            0: palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text),
        }
        own_paint = draws_items_like_common_style(style)
        # A table view gives a cell its own state only when it is selected, current or
        # under the mouse. Without a selection, a current cell or hover tracking, every
        # cell of this paint has the first cell's state.
        # NOTE: this holds for paints of the viewport. The table does not render drag
        # pixmaps, the other caller of a delegate, because dragging is off.
        selection = view.selectionModel()
        same_state_everywhere = not (
            (selection is not None and selection.hasSelection())
            or view.currentIndex().isValid()
            or view.viewport().testAttribute(Qt.WidgetAttribute.WA_Hover)
        )

        key = (font.key(), direction.value, elide_mode.value, margin)
        last = self._last_context
        if last is not None and key == self._layouts_key:
            self._context = replace(
                last,
                own_paint=own_paint,
                pens=pens,
                same_state_everywhere=same_state_everywhere,
            )
            self._last_context = self._context
            return self._context

        # With another font, direction or style, every cached layout is out of date.
        self._layouts.clear()
        self._layouts_key = key
        alignments = [
            self._model.cell_alignment(column) for column in range(self._model.columnCount())
        ]
        self._context = _PaintContext(
            own_paint=own_paint,
            same_state_everywhere=same_state_everywhere,
            margin=margin,
            font=font,
            direction=direction,
            elide_mode=elide_mode,
            metrics=QFontMetrics(font),
            pens=pens,
            text_options=tuple(_text_option(direction, alignment) for alignment in alignments),
            vertical=tuple(alignment.value for alignment in alignments),
        )
        self._last_context = self._context
        return self._context

    def _lay_out(self, context: _PaintContext, key: _LayoutKey) -> _CachedLayout:
        text, cell_width, cell_height, column = key
        if "\n" in text or "\u2028" in text:
            # Qt's common style elides and centres text of several lines line by line.
            cached: _CachedLayout = _SEVERAL_LINES
        else:
            width = cell_width - 2 * context.margin
            option = context.text_options[column]
            # The whole text first, to learn whether it fits and how tall its line is.
            layout, line = _laid_out(text, context.font, option, width)
            line_height = line.height()
            natural_width = line.naturalTextWidth()
            if natural_width > width:
                elided = context.metrics.elidedText(text, context.elide_mode, width)
                if elided != text:
                    layout, line = _laid_out(elided, context.font, option, width)
                    natural_width = line.naturalTextWidth()
            top = _vertical_offset(context.vertical[column], line_height, cell_height)
            inside = (
                natural_width <= width
                and top >= 0
                and top + line_height <= cell_height
                and context.margin >= _INK_OVERHANG
            )
            cached = (layout, context.margin, top, inside)

        self._layouts[key] = cached
        if len(self._layouts) > LAYOUTS_CACHED:
            self._layouts.popitem(last=False)
        return cached


def _text_option(direction: Qt.LayoutDirection, alignment: Qt.AlignmentFlag) -> QTextOption:
    """Return the text option Qt's common style gives an item's text."""
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.ManualWrap)
    option.setTextDirection(direction)
    option.setAlignment(QStyle.visualAlignment(direction, alignment))
    return option


def _laid_out(
    text: str, font: QFont, option: QTextOption, width: int
) -> tuple[QTextLayout, QTextLine]:
    """Lay out ``text`` on one line of ``width`` pixels, keeping the shaped glyphs."""
    layout = QTextLayout(text, font)
    layout.setTextOption(option)
    layout.setCacheEnabled(True)
    layout.beginLayout()
    line = layout.createLine()
    line.setLineWidth(width)
    layout.endLayout()
    return layout, line


def _vertical_offset(alignment: int, line_height: float, cell_height: int) -> int:
    """Return how far below the cell's top the line starts, as ``QStyle.alignedRect`` puts it.

    The line's height is rounded half up and, when centring, both heights are
    halved before subtracting, each rounding down, as Qt does.
    """
    text_height = int(line_height + 0.5)
    if alignment & _ALIGN_VCENTER:
        return cell_height // 2 - text_height // 2
    if alignment & _ALIGN_BOTTOM:
        return cell_height - text_height
    return 0


__all__ = ["LAYOUTS_CACHED", "CatalogCellDelegate", "draws_items_like_common_style"]
