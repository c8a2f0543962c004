"""Order history: filters, a sortable paged table, a summary, CSV export, details."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from esimfly_desktop.i18n import _, ngettext
from esimfly_desktop.i18n.bidi import keep_ltr
from esimfly_desktop.ui.history.history_model import COLUMNS, OrderHistoryModel, sort_orders
from esimfly_desktop.ui.history.history_rows import (
    STATUS_GROUPS,
    HistoryFilter,
    filter_orders,
    summarize,
)
from esimfly_desktop.ui.history.order_details import OrderDetailsPanel
from esimfly_desktop.ui.sale_formatting import format_money
from esimfly_desktop.ui.table_rows import select_row

PAGE_SIZE = 100
TEXT_FILTER_DEBOUNCE_MS = 150


class OrderHistoryView(QWidget):
    """All orders (local and the service's), filtered and paged in the view."""

    refresh_requested = Signal()
    export_requested = Signal(object)  # list of the filtered orders
    order_selected = Signal(object)  # StoredOrder

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._all_orders: list[object] = []
        self._filtered: list[object] = []
        self._page = 0

        self._build_filters()
        self.model = OrderHistoryModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # A page has at most PAGE_SIZE rows, so fitting columns to their text is cheap,
        # and long column titles in other languages are not cut off.
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setVisible(False)
        self.table.setAccessibleName(_("Order history"))
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        self.table.horizontalHeader().sortIndicatorChanged.connect(
            lambda _column, _order: self.show_page(self._page)
        )

        self.summary_label = QLabel(self)
        self.page_label = QLabel(self)
        self.previous_button = QPushButton(_("Previous page"), self)
        self.next_button = QPushButton(_("Next page"), self)
        self.previous_button.clicked.connect(lambda: self.show_page(self._page - 1))
        self.next_button.clicked.connect(lambda: self.show_page(self._page + 1))
        self.status_label = QLabel(self)
        self.details = OrderDetailsPanel(self)

        self._lay_out()

    def _build_filters(self) -> None:
        self.use_dates = QCheckBox(_("Dates"), self)
        self.date_from = QDateEdit(QDate.currentDate().addDays(-30), self)
        self.date_to = QDateEdit(QDate.currentDate(), self)
        for edit, name in ((self.date_from, _("From date")), (self.date_to, _("To date"))):
            edit.setCalendarPopup(True)
            edit.setAccessibleName(name)
            edit.dateChanged.connect(self.apply_filters)
        self.use_dates.toggled.connect(self.apply_filters)

        self.status_filter = QComboBox(self)
        for key, label in STATUS_GROUPS.items():
            self.status_filter.addItem(str(label), key)
        self.status_filter.setAccessibleName(_("Status"))
        self.status_filter.currentIndexChanged.connect(self.apply_filters)

        self.text_filter = QLineEdit(self)
        self.text_filter.setPlaceholderText(_("Order reference, package, ICCID, customer…"))
        self.text_filter.setAccessibleName(_("Search orders"))
        self.text_filter.setClearButtonEnabled(True)
        self._text_timer = QTimer(self)
        self._text_timer.setSingleShot(True)
        self._text_timer.setInterval(TEXT_FILTER_DEBOUNCE_MS)
        self._text_timer.timeout.connect(self.apply_filters)
        self.text_filter.textChanged.connect(lambda _text: self._text_timer.start())

        self.refresh_button = QPushButton(_("Refresh"), self)
        self.refresh_button.clicked.connect(self.refresh_requested)
        self.export_button = QPushButton(_("Export CSV…"), self)
        self.export_button.clicked.connect(lambda: self.export_requested.emit(list(self._filtered)))

    def _lay_out(self) -> None:
        filters = QHBoxLayout()
        for widget in (
            self.use_dates,
            self.date_from,
            self.date_to,
            self.status_filter,
            self.text_filter,
            self.refresh_button,
            self.export_button,
        ):
            filters.addWidget(widget)

        pager = QHBoxLayout()
        pager.addWidget(self.summary_label, 1)
        pager.addWidget(self.previous_button)
        pager.addWidget(self.page_label)
        pager.addWidget(self.next_button)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(filters)
        left_layout.addWidget(self.table, 1)
        left_layout.addLayout(pager)
        left_layout.addWidget(self.status_label)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    # Data

    def set_orders(self, orders: list[object]) -> None:
        """Replace every order (merged local and service history)."""
        self._all_orders = list(orders)
        self.apply_filters()

    def set_status(self, text: str) -> None:
        """Show a line such as "Updated 12:30" or why the service list is missing."""
        self.status_label.setText(text)

    def current_filter(self) -> HistoryFilter:
        use_dates = self.use_dates.isChecked()
        return HistoryFilter(
            date_from=_to_date(self.date_from.date()) if use_dates else None,
            date_to=_to_date(self.date_to.date()) if use_dates else None,
            status=self.status_filter.currentData(),
            text=self.text_filter.text(),
        )

    def filtered_orders(self) -> list[object]:
        return list(self._filtered)

    def apply_filters(self) -> None:
        self._filtered = filter_orders(self._all_orders, self.current_filter())
        self._show_summary()
        self.show_page(0)

    def _show_summary(self) -> None:
        summary = summarize(self._filtered)
        count = ngettext("{count} order", "{count} orders", summary.count).format(
            count=summary.count
        )
        totals = ", ".join(
            keep_ltr(format_money(total, currency))
            for currency, total in sorted(summary.totals.items())
        )
        self.summary_label.setText(
            _("{count}, total {totals}").format(count=count, totals=totals) if totals else count
        )

    @property
    def page_count(self) -> int:
        return max(1, -(-len(self._filtered) // PAGE_SIZE))

    def show_page(self, page: int) -> None:
        """Show page ``page`` (0-based) of the filtered list, sorted by the current column."""
        self._page = max(0, min(page, self.page_count - 1))
        start = self._page * PAGE_SIZE
        self.model.set_orders(self._sorted(self._filtered)[start : start + PAGE_SIZE])
        self.page_label.setText(
            _("Page {page} of {pages}").format(page=self._page + 1, pages=self.page_count)
        )
        self.previous_button.setEnabled(self._page > 0)
        self.next_button.setEnabled(self._page < self.page_count - 1)

    def _sorted(self, orders: list[object]) -> list[object]:
        # Sort the whole filtered list, not only the page on screen.
        header = self.table.horizontalHeader()
        key = COLUMNS[max(0, header.sortIndicatorSection())][0]
        descending = header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
        return sort_orders(orders, key, descending=descending)

    def _on_selection(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        order = self.model.order_at(rows[0].row())
        self.details.set_order(order)
        self.order_selected.emit(order)

    def select_order(self, order_reference: str) -> bool:
        """Select an order by reference on the current page; return whether it was found."""
        for row, order in enumerate(self.model.orders()):
            if order.order_reference == order_reference:
                select_row(self.table, row)
                return True
        return False


def _to_date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())
