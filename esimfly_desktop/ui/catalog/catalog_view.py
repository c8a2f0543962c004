"""The catalog screen: filters, the package table with sync progress, and the details pane."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from decimal import Decimal

from PySide6.QtCore import QEvent, QItemSelection, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QProgressBar,
    QSplitter,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from esimfly_desktop.api.models import Package
from esimfly_desktop.i18n import _, ngettext
from esimfly_desktop.services.catalog_search import CatalogIndex
from esimfly_desktop.ui.catalog.cell_delegate import (
    CatalogCellDelegate,
    draws_items_like_common_style,
)
from esimfly_desktop.ui.catalog.details_pane import DetailsPane
from esimfly_desktop.ui.catalog.filter_bar import FilterBar
from esimfly_desktop.ui.catalog.table_model import CatalogTableModel, Column
from esimfly_desktop.ui.formatting import number
from esimfly_desktop.ui.table_rows import select_row

# Qt's raster engine hands large blends, such as the vertical scroll bar's
# gradient, to a thread pool of its own and waits for them. On a 2-core machine
# the hand-off cost more than the work: a keystroke's repaint took about 2 ms
# longer (bench/search.py, 7,000 packages). Qt reads this variable once, when it
# first needs that pool, and this module is imported before any window is shown.
os.environ.setdefault("QT_NO_GUI_THREADPOOL", "1")


class CatalogView(QWidget):
    """Lays out the catalog and forwards the operator's requests as signals."""

    buy_requested = Signal(object)  # Package
    package_selected = Signal(object)  # Package | None

    def __init__(
        self, retail_price: Callable[[Package], Decimal], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName(_("Catalog"))

        self.filter_bar = FilterBar()
        self.model = CatalogTableModel(retail_price, self)

        self.table = QTableView()
        self.table.setAccessibleName(_("Packages"))
        self.table.setModel(self.model)
        # With another style (Windows 11, macOS) every cell would go to Qt's painting
        # through an extra call into Python, so Qt's own delegate stays.
        # NOTE: the style is read once here, so a style set later keeps this choice.
        if draws_items_like_common_style(self.table.style()):
            self.table.setItemDelegate(CatalogCellDelegate(self.model, self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        # Fixed row heights keep scrolling and resets cheap with 20,000 rows.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        # Fixed starting widths: sizing columns to their contents would measure every row.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.resizeSection(Column.NAME, 240)
        header.resizeSection(Column.REGION, 130)
        header.resizeSection(Column.TYPE, 80)
        for column in (Column.DATA, Column.DAYS, Column.COST, Column.RETAIL):
            header.resizeSection(column, 80)
        fit_column_titles(header)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.setSectionsClickable(True)
        header.sortIndicatorChanged.connect(self.model.sort)

        self.details = DetailsPane(retail_price)

        self.sync_progress = QProgressBar()
        self.sync_progress.setAccessibleName(_("Catalog download progress"))
        self.sync_progress.setTextVisible(True)
        self.sync_progress.hide()

        self.count_label = QLabel()
        self.count_label.setAccessibleName(_("Number of packages shown"))

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([900, 300])

        layout = QVBoxLayout(self)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.sync_progress)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.count_label)

        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.table.doubleClicked.connect(self._on_activated)
        # Enter on a result buys it, and Down in the search box moves into the
        # results, so search, pick and buy need no mouse. Event filters, not
        # shortcuts: shortcuts fire only in the active window, which an X server
        # without a window manager never sets.
        self.table.installEventFilter(self)
        self.filter_bar.search_box.installEventFilter(self)

    def show_packages(self, index: CatalogIndex, rows: Sequence[int]) -> None:
        """Show a search result: the packages at positions ``rows`` of ``index``."""
        selected = self.selected_package()
        total = len(index)
        self.model.set_rows(index, rows)
        # Lay the rows out now rather than from Qt's delayed-layout timer, so a new result
        # is painted once, not before and again after its scroll range changes.
        self.table.doItemsLayout()
        self.count_label.setText(
            ngettext("{shown} of {total} package", "{shown} of {total} packages", total).format(
                shown=number(len(rows)), total=number(total)
            )
        )
        self._reselect(selected)

    def set_retail_price(self, retail_price: Callable[[Package], Decimal]) -> None:
        self.model.set_retail_price(retail_price)
        self.details.set_retail_price(retail_price)

    def show_sync_progress(self, page: int, total_pages: int) -> None:
        self.sync_progress.setRange(0, max(total_pages, 1))
        self.sync_progress.setValue(page)
        self.sync_progress.setFormat(
            _("Downloading catalog: page {page} of {total}").format(page=page, total=total_pages)
        )
        self.sync_progress.show()

    def hide_sync_progress(self) -> None:
        self.sync_progress.hide()

    def focus_search(self) -> None:
        self.filter_bar.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_bar.search_box.selectAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)

        if watched is self.filter_bar.search_box and event.key() == Qt.Key.Key_Down:
            self.focus_results()
            return True
        if watched is self.table and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.buy_selected()
            return True
        return super().eventFilter(watched, event)

    def focus_results(self) -> None:
        """Move the focus to the table, selecting the first result when none is selected."""
        if self.model.rowCount() == 0:
            return
        if self.selected_package() is None:
            select_row(self.table, 0)
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def selected_package(self) -> Package | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.package_at(rows[0].row())

    def buy_selected(self) -> None:
        package = self.selected_package()
        if package is not None:
            self.buy_requested.emit(package)

    def _on_activated(self, index: QModelIndex) -> None:
        package = self.model.package_at(index.row())
        if package is not None:
            self.buy_requested.emit(package)

    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        package = self.selected_package()
        self.details.show_package(package)
        self.package_selected.emit(package)

    def _reselect(self, package: Package | None) -> None:
        if package is None:
            self.details.show_package(None)
            return
        # A linear scan runs only when something was selected, once per result.
        row = self.model.row_of(package.package_code)
        if row is None:
            self.details.show_package(None)
            return
        select_row(self.table, row)


def fit_column_titles(header: QHeaderView) -> None:
    """Widen each column whose title is wider than the column, so no title is elided.

    Titles are measured, not rows, so this stays cheap with any number of rows.
    """
    model = header.model()
    metrics = header.fontMetrics()
    style = header.style()
    margin = style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    sort_mark = style.pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, header)
    for section in range(header.count()):
        title = str(model.headerData(section, Qt.Orientation.Horizontal) or "")
        needed = metrics.horizontalAdvance(title) + 2 * margin + sort_mark
        if header.sectionSize(section) < needed:
            header.resizeSection(section, needed)
