"""The catalog's cell delegate paints the table exactly as Qt's own item delegate does."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QApplication, QCommonStyle, QStyledItemDelegate, QStyleFactory

from esimfly_desktop.i18n import current_language, set_language
from esimfly_desktop.services.catalog_search import CatalogIndex
from esimfly_desktop.ui.catalog.catalog_view import CatalogView
from esimfly_desktop.ui.catalog.cell_delegate import (
    CatalogCellDelegate,
    draws_items_like_common_style,
)
from esimfly_desktop.ui.catalog.table_model import Column
from esimfly_desktop.ui.table_rows import select_row
from tests.ui.catalog_data import make_catalog

CATALOG_SIZE = 300


def retail_with_markup(package):
    return (package.cost * Decimal("1.35")).quantize(Decimal("0.01"))


@pytest.fixture(params=["en", "ar"])
def language(request) -> Iterator[str]:
    previous = current_language()
    previous_direction = QGuiApplication.layoutDirection()
    set_language(request.param)
    if request.param == "ar":
        QGuiApplication.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    yield request.param
    set_language(previous)
    QGuiApplication.setLayoutDirection(previous_direction)


@pytest.fixture
def catalog_view(qtbot, language):
    index = CatalogIndex(make_catalog(CATALOG_SIZE), language)
    view = CatalogView(retail_with_markup)
    qtbot.addWidget(view)
    view.show_packages(index, index.query())
    view.resize(1000, 500)
    view.show()
    qtbot.waitExposed(view)
    return view


def painted_by(view: CatalogView, delegate: QStyledItemDelegate) -> QImage:
    view.table.setItemDelegate(delegate)
    return view.table.viewport().grab().toImage()


def assert_same_as_qt(view: CatalogView) -> None:
    # Scroll bars shown or hidden by the steps before change the viewport's size.
    QApplication.processEvents()
    catalog_delegate = view.table.itemDelegate()
    qt_image = painted_by(view, QStyledItemDelegate(view.table))
    first_image = painted_by(view, catalog_delegate)
    # The second paint draws from the cached layouts.
    cached_image = painted_by(view, catalog_delegate)

    assert isinstance(catalog_delegate, CatalogCellDelegate)
    assert first_image == qt_image
    assert cached_image == qt_image


def test_cells_match_qt_painting(catalog_view):
    assert_same_as_qt(catalog_view)


def test_selected_row_matches_qt_painting(catalog_view):
    select_row(catalog_view.table, 2)
    catalog_view.table.setFocus()

    assert_same_as_qt(catalog_view)


def test_elided_cells_match_qt_painting(catalog_view):
    header = catalog_view.table.horizontalHeader()
    header.resizeSection(Column.NAME, 70)
    header.resizeSection(Column.COST, 35)

    assert_same_as_qt(catalog_view)


def test_scrolled_cells_match_qt_painting(catalog_view):
    catalog_view.table.verticalScrollBar().setValue(40)

    assert_same_as_qt(catalog_view)


def test_disabled_cells_match_qt_painting(catalog_view):
    catalog_view.setEnabled(False)

    assert_same_as_qt(catalog_view)


def test_only_common_item_styles_take_delegate(qtbot):
    fusion = QStyleFactory.create("Fusion")
    # QCommonStyle's class name stands for the native Windows 11 and macOS styles here.
    other = QCommonStyle()

    assert draws_items_like_common_style(fusion)
    assert not draws_items_like_common_style(other)
