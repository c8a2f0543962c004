"""Select a table row by code in a mirrored (right-to-left) interface too."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QTableView


def select_row(table: QTableView, row: int) -> None:
    """Select the whole ``row`` of ``table`` and make it the current row.

    ``QTableView.selectRow`` selects nothing when the layout is right to
    left (seen with Qt 6.11.3), so an Arabic operator would lose the
    selection that Return buys. Going through the selection model works in
    both directions.
    """
    model = table.model()
    selection = table.selectionModel()
    if model is None or selection is None:
        return

    index = model.index(row, 0, table.rootIndex())
    if not index.isValid():
        return
    flags = (
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    )
    selection.setCurrentIndex(index, flags)
