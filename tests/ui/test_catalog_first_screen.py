"""At start the catalog paints its first stored rows, then shows the whole stored catalog."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from esimfly_desktop.services.catalog_store import CatalogStore
from esimfly_desktop.storage.database import Database
from esimfly_desktop.ui.catalog.catalog_view import CatalogView
from esimfly_desktop.ui.controllers.catalog_controller import FIRST_SCREEN_ROWS, CatalogController
from tests.ui.catalog_data import make_catalog

CATALOG_SIZE = 500


def test_first_screen_then_whole_catalog(qtbot, qt_loop, tmp_path: Path) -> None:
    database = Database.open_sync(tmp_path / "console.sqlite3")
    store = CatalogStore(database)
    qt_loop.run(store.save_sync(make_catalog(CATALOG_SIZE), datetime(2026, 3, 1, tzinfo=UTC)))
    view = CatalogView(lambda package: package.cost)
    qtbot.addWidget(view)
    view.resize(1200, 700)
    view.show()
    qtbot.waitExposed(view)
    controller = CatalogController(view, store, interval=timedelta(hours=6))
    shown_counts: list[int] = []
    view.model.modelReset.connect(lambda: shown_counts.append(view.model.rowCount()))

    package_count = qt_loop.run(controller.show_cached())
    database.close()

    assert package_count == CATALOG_SIZE
    assert shown_counts[0] == FIRST_SCREEN_ROWS
    assert shown_counts[-1] == CATALOG_SIZE
    assert view.count_label.text() != ""
