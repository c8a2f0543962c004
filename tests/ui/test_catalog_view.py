"""The catalog view: search as you type, filters, sorting, details and the buy request."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from esimfly_desktop.services.catalog_search import CatalogIndex, SortKey
from esimfly_desktop.ui.catalog.catalog_view import CatalogView
from esimfly_desktop.ui.catalog.filter_bar import CatalogQuery
from esimfly_desktop.ui.catalog.table_model import Column
from tests.ui.catalog_data import make_catalog

CATALOG_SIZE = 7_000


def retail_with_fifty_percent(package):
    return (package.cost * Decimal("1.5")).quantize(Decimal("0.01"))


@pytest.fixture(scope="module")
def catalog_index() -> CatalogIndex:
    return CatalogIndex(make_catalog(CATALOG_SIZE), "en")


@pytest.fixture
def catalog_view(qtbot, catalog_index):
    view = CatalogView(retail_with_fifty_percent)
    qtbot.addWidget(view)
    state = {"sort": (SortKey.SERVICE_ORDER, False)}

    def run_query(query: CatalogQuery) -> None:
        sort_key, descending = state["sort"]
        rows = catalog_index.query(query.text, query.filters, sort_key, descending)
        view.show_packages(catalog_index, rows)

    def sort(sort_key: SortKey, descending: bool) -> None:
        state["sort"] = (sort_key, descending)
        run_query(view.filter_bar.query())

    view.filter_bar.query_changed.connect(run_query)
    view.model.sort_requested.connect(sort)
    view.filter_bar.set_regions(catalog_index.regions())
    run_query(CatalogQuery())
    view.resize(1200, 700)
    view.show()
    return view


def shown_packages(view: CatalogView):
    return [view.model.package_at(row) for row in range(view.model.rowCount())]


def test_catalog_shows_every_package(catalog_view):
    assert catalog_view.model.rowCount() == CATALOG_SIZE
    assert f"{CATALOG_SIZE:,}" in catalog_view.count_label.text() or str(CATALOG_SIZE) in (
        catalog_view.count_label.text()
    )


def test_search_japan_narrows(catalog_view, qtbot):
    qtbot.keyClicks(catalog_view.filter_bar.search_box, "Japan")

    qtbot.waitUntil(lambda: catalog_view.model.rowCount() < CATALOG_SIZE, timeout=2000)
    packages = shown_packages(catalog_view)
    assert packages
    assert all("JP" in package.countries for package in packages)


def test_search_waits_for_typing_pause(catalog_view, qtbot):
    catalog_view.filter_bar.search_box.setText("Jap")

    assert catalog_view.model.rowCount() == CATALOG_SIZE
    with qtbot.waitSignal(catalog_view.filter_bar.query_changed, timeout=2000):
        pass
    assert catalog_view.model.rowCount() < CATALOG_SIZE


def test_type_filter_keeps_only_that_type(catalog_view, qtbot):
    box = catalog_view.filter_bar.type_box

    box.setCurrentIndex(box.findData("regional"))

    packages = shown_packages(catalog_view)
    assert packages
    assert {package.package_type for package in packages} == {"regional"}


def test_region_filter(catalog_view):
    box = catalog_view.filter_bar.region_box

    box.setCurrentIndex(box.findData("Europe"))

    assert {package.region for package in shown_packages(catalog_view)} == {"Europe"}


def test_minimum_data_days_and_max_price(catalog_view, qtbot):
    bar = catalog_view.filter_bar

    bar.min_data_box.setValue(10)
    bar.min_days_box.setValue(30)
    qtbot.keyClicks(bar.max_price_box, "20.5")
    bar.emit_query()

    packages = shown_packages(catalog_view)
    assert packages
    assert all(package.data_amount_gb >= 10 for package in packages)
    assert all(package.validity_days >= 30 for package in packages)
    assert all(package.cost <= Decimal("20.5") for package in packages)


def test_sort_by_price_both_ways(catalog_view):
    header = catalog_view.table.horizontalHeader()

    header.setSortIndicator(Column.COST, Qt.SortOrder.AscendingOrder)
    ascending = [package.cost for package in shown_packages(catalog_view)]
    header.setSortIndicator(Column.COST, Qt.SortOrder.DescendingOrder)
    descending = [package.cost for package in shown_packages(catalog_view)]

    assert ascending == sorted(ascending)
    assert descending == sorted(descending, reverse=True)
    assert len(ascending) == CATALOG_SIZE


def test_sort_keeps_search(catalog_view, qtbot):
    catalog_view.filter_bar.search_box.setText("Japan")
    catalog_view.filter_bar.emit_query()
    matches = catalog_view.model.rowCount()

    catalog_view.table.horizontalHeader().setSortIndicator(Column.DAYS, Qt.SortOrder.AscendingOrder)

    days = [package.validity_days for package in shown_packages(catalog_view)]
    assert len(days) == matches
    assert days == sorted(days)


def test_details_show_prices_and_coverage(catalog_view):
    catalog_view.table.selectRow(0)
    package = catalog_view.selected_package()
    html = catalog_view.details.browser.toPlainText()

    assert package is not None
    assert package.name in html
    assert "$" in html
    retail = retail_with_fifty_percent(package)
    assert f"{retail:,.2f}" in html
    assert "Harbor Net" in html


def test_enter_requests_purchase(catalog_view, qtbot):
    catalog_view.table.selectRow(3)
    catalog_view.table.setFocus()
    expected = catalog_view.selected_package()

    with qtbot.waitSignal(catalog_view.buy_requested, timeout=1000) as blocker:
        qtbot.keyClick(catalog_view.table, Qt.Key.Key_Return)

    assert blocker.args == [expected]


def test_selection_survives_search(catalog_view):
    catalog_view.table.selectRow(0)
    first = catalog_view.selected_package()

    catalog_view.filter_bar.search_box.setText(first.package_code)
    catalog_view.filter_bar.emit_query()

    assert catalog_view.selected_package() == first


def test_controls_have_accessible_names(catalog_view):
    bar = catalog_view.filter_bar
    controls = [
        bar.search_box,
        bar.type_box,
        bar.region_box,
        bar.min_data_box,
        bar.min_days_box,
        bar.max_price_box,
        catalog_view.table,
        catalog_view.details.browser,
        catalog_view.sync_progress,
        catalog_view.count_label,
    ]

    unnamed = [type(control).__name__ for control in controls if not control.accessibleName()]

    assert unnamed == []


def test_markup_change_updates_retail_column(catalog_view):
    model = catalog_view.model
    before = model.data(model.index(0, Column.RETAIL))

    catalog_view.set_retail_price(lambda package: package.cost * 3)

    after = model.data(model.index(0, Column.RETAIL))
    package = model.package_at(0)
    assert after != before
    assert after == f"${package.cost * 3:,.2f}"
