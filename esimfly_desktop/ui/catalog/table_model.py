"""A table model over the rows the catalog search returned, in the order it returned them.

The model never filters or sorts by itself: ``CatalogIndex.query`` does that
and returns a list of package positions, and the model swaps it in with one
reset. Cell texts come from ``CellTexts``: formatted ahead for the whole
catalog when the controller hands them over, otherwise on demand for the
visible rows only. Either way a result of 20,000 packages costs one list
assignment.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from esimfly_desktop.api.models import Package
from esimfly_desktop.i18n import N_, LazyString
from esimfly_desktop.services.catalog_search import CatalogIndex, SortKey
from esimfly_desktop.ui.catalog.cell_texts import CellTexts, RetailPrice, RowTexts

AnyIndex = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()


class Column(enum.IntEnum):
    NAME = 0
    REGION = 1
    TYPE = 2
    DATA = 3
    DAYS = 4
    COST = 5
    RETAIL = 6
    CODE = 7

    @property
    def sort_key(self) -> SortKey:
        """The key the search index sorts this column by."""
        return _SORT_KEYS[self]


_SORT_KEYS = {
    Column.NAME: SortKey.NAME,
    Column.REGION: SortKey.REGION,
    Column.TYPE: SortKey.TYPE,
    Column.DATA: SortKey.DATA,
    Column.DAYS: SortKey.DAYS,
    # Retail prices rise with the buy price, so both columns sort by the index's price.
    Column.COST: SortKey.PRICE,
    Column.RETAIL: SortKey.PRICE,
    Column.CODE: SortKey.CODE,
}

_HEADERS: dict[Column, LazyString] = {
    Column.NAME: N_("Package"),
    Column.REGION: N_("Region"),
    Column.TYPE: N_("Type"),
    Column.DATA: N_("Data"),
    Column.DAYS: N_("Days"),
    Column.COST: N_("Buy price"),
    Column.RETAIL: N_("Retail price"),
    Column.CODE: N_("Package code"),
}


# The view requests the column count once per painted cell.
_COLUMN_COUNT = len(Column)
_RIGHT_ALIGNED_COLUMNS = frozenset(
    int(column) for column in (Column.DATA, Column.DAYS, Column.COST, Column.RETAIL)
)
_RIGHT_ALIGNMENT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
# The alignment a table view gives cells whose model states none.
_DEFAULT_ALIGNMENT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_CELL_ALIGNMENTS = tuple(
    Qt.AlignmentFlag(_RIGHT_ALIGNMENT) if column in _RIGHT_ALIGNED_COLUMNS else _DEFAULT_ALIGNMENT
    for column in range(len(Column))
)


class CatalogTableModel(QAbstractTableModel):
    """Packages in the order of the last search result."""

    PackageRole = Qt.ItemDataRole.UserRole + 1

    sort_requested = Signal(object, bool)  # SortKey, descending

    def __init__(self, retail_price: RetailPrice, parent: Any = None) -> None:
        super().__init__(parent)
        self._index: CatalogIndex | None = None
        self._rows: Sequence[int] = ()
        self._cell_texts = CellTexts(retail_price)
        # Cell texts by package position: each package is formatted once per index.
        self._texts: dict[int, RowTexts] = {}
        # Every package's texts by position, formatted ahead for the index shown.
        self._prepared: Sequence[RowTexts] | None = None

    def set_rows(self, index: CatalogIndex, rows: Sequence[int]) -> None:
        """Show the packages at positions ``rows`` of ``index``, in this order."""
        self.beginResetModel()
        if index is not self._index:
            self._texts.clear()
            self._prepared = None
        self._index = index
        self._rows = rows
        self.endResetModel()

    def text_formatter(self) -> CellTexts:
        """Return a formatter with the current markup, to format a catalog on a worker thread."""
        return CellTexts(self._cell_texts.retail_price)

    def use_formatted_texts(
        self, index: CatalogIndex, formatter: CellTexts, texts: Sequence[RowTexts]
    ) -> None:
        """Take ``formatter.rows(index)`` for ``index``, which ``set_rows`` has shown.

        The texts are dropped when another index is shown by now, or when the
        markup changed after ``text_formatter``.
        """
        if index is not self._index or formatter.retail_price is not self._cell_texts.retail_price:
            return
        self._cell_texts = formatter
        self._prepared = texts

    def set_retail_price(self, retail_price: RetailPrice) -> None:
        """Use a new markup rule; repaints the retail column."""
        self._cell_texts = CellTexts(retail_price)
        self._texts.clear()
        self._prepared = None
        if self._rows:
            top = self.index(0, Column.RETAIL)
            bottom = self.index(len(self._rows) - 1, Column.RETAIL)
            self.dataChanged.emit(top, bottom, [Qt.ItemDataRole.DisplayRole])

    def package_at(self, row: int) -> Package | None:
        if self._index is not None and 0 <= row < len(self._rows):
            return self._index.package(self._rows[row])
        return None

    def row_of(self, package_code: str) -> int | None:
        """Return the view row showing ``package_code``, or None when it is not shown."""
        if self._index is None:
            return None
        for row, position in enumerate(self._rows):
            if self._index.package(position).package_code == package_code:
                return row
        return None

    def row_texts(self, row: int) -> RowTexts | None:
        """Return the texts shown in ``row`` by column, as ``data`` gives them for display."""
        return self._row_texts(row)

    @staticmethod
    def cell_alignment(column: int) -> Qt.AlignmentFlag:
        """Return how the text of ``column`` is aligned in its cell."""
        return _CELL_ALIGNMENTS[column]

    def rowCount(self, parent: AnyIndex = ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = ROOT) -> int:
        return 0 if parent.isValid() else _COLUMN_COUNT

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return str(_HEADERS[Column(section)])

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # The view requests about seven roles per visible cell on every paint,
        # so the roles this model does not serve return before any lookup.
        if role == Qt.ItemDataRole.DisplayRole:
            texts = self._row_texts(index.row())
            return texts[index.column()] if texts is not None else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if index.column() in _RIGHT_ALIGNED_COLUMNS:
                return _RIGHT_ALIGNMENT
            return None
        if role == self.PackageRole:
            return self.package_at(index.row())
        return None

    def _row_texts(self, row: int) -> RowTexts | None:
        if self._index is None or not 0 <= row < len(self._rows):
            return None
        position = self._rows[row]
        if self._prepared is not None:
            return self._prepared[position]

        texts = self._texts.get(position)
        if texts is None:
            texts = self._texts[position] = self._cell_texts.row(self._index.package(position))
        return texts

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Ask the search index for a new order; the model itself does not sort."""
        descending = order == Qt.SortOrder.DescendingOrder
        self.sort_requested.emit(Column(column).sort_key, descending)
