"""Cell texts formatted ahead for a whole catalog, and the model's use of them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from esimfly_desktop.services.catalog_search import CatalogIndex
from esimfly_desktop.ui.catalog.cell_texts import CellTexts
from esimfly_desktop.ui.catalog.table_model import CatalogTableModel, Column
from tests.ui.catalog_data import make_catalog

CATALOG_SIZE = 200


def retail_with_markup(package):
    return (package.cost * Decimal("1.25")).quantize(Decimal("0.01"))


@pytest.fixture
def catalog_index() -> CatalogIndex:
    return CatalogIndex(make_catalog(CATALOG_SIZE), "en")


def shown_texts(model: CatalogTableModel) -> list[list[str]]:
    return [
        [model.data(model.index(row, column)) for column in Column]
        for row in range(model.rowCount())
    ]


def test_formatted_rows_match_on_demand_texts(qtbot, catalog_index):
    on_demand = CatalogTableModel(retail_with_markup)
    on_demand.set_rows(catalog_index, catalog_index.query())
    ahead = CatalogTableModel(retail_with_markup)
    formatter = ahead.text_formatter()

    ahead.set_rows(catalog_index, catalog_index.query())
    ahead.use_formatted_texts(catalog_index, formatter, formatter.rows(catalog_index))

    assert shown_texts(ahead) == shown_texts(on_demand)


def test_formatted_rows_follow_search_order(qtbot, catalog_index):
    model = CatalogTableModel(retail_with_markup)
    formatter = model.text_formatter()
    model.set_rows(catalog_index, catalog_index.query())
    model.use_formatted_texts(catalog_index, formatter, formatter.rows(catalog_index))
    rows = catalog_index.query("JP")

    model.set_rows(catalog_index, rows)

    names = [model.data(model.index(row, Column.NAME)) for row in range(model.rowCount())]
    assert names == [catalog_index.package(position).name for position in rows]


def test_markup_change_drops_formatted_rows(qtbot, catalog_index):
    model = CatalogTableModel(retail_with_markup)
    formatter = model.text_formatter()
    texts = formatter.rows(catalog_index)

    model.set_rows(catalog_index, catalog_index.query())
    model.set_retail_price(lambda package: package.cost * 3)
    model.use_formatted_texts(catalog_index, formatter, texts)

    package = model.package_at(0)
    assert package is not None
    tripled = CellTexts(lambda package: package.cost * 3).row(package)[Column.RETAIL]
    assert model.data(model.index(0, Column.RETAIL)) == tripled


def test_markup_change_after_show_drops_formatted_rows(qtbot, catalog_index):
    model = CatalogTableModel(retail_with_markup)
    formatter = model.text_formatter()
    model.set_rows(catalog_index, catalog_index.query())
    model.use_formatted_texts(catalog_index, formatter, formatter.rows(catalog_index))

    model.set_retail_price(lambda package: package.cost * 3)

    package = model.package_at(0)
    assert package is not None
    tripled = CellTexts(lambda package: package.cost * 3).row(package)[Column.RETAIL]
    assert model.data(model.index(0, Column.RETAIL)) == tripled
