"""Quitting while an order is in flight: the order is kept, and the quit stays quick."""

from __future__ import annotations

import time
from decimal import Decimal

from esimfly_desktop.sandbox.config import PENDING_PROVIDER
from esimfly_desktop.services.order_store import load_orders
from esimfly_desktop.services.outbox_store import list_items
from esimfly_desktop.services.purchase import PurchaseRequest
from esimfly_desktop.storage.database import Database
from esimfly_desktop.storage.paths import TRAINING_PROFILE, DataFolders
from esimfly_desktop.ui.app_controller import AppController
from tests.ui.console_fixtures import CATALOG_TIMEOUT_MS, training_options

QUIT_LIMIT_S = 5.0


def pending_package(controller: AppController):
    model = controller.window.catalog_view.model
    for row in range(model.rowCount()):
        package = model.package_at(row)
        if package.provider == PENDING_PROVIDER:
            return package
    raise AssertionError(f"no {PENDING_PROVIDER} package in the training catalog")


def request_for(package) -> PurchaseRequest:
    return PurchaseRequest(
        package_code=package.package_code,
        package_name=package.name,
        unit_cost=package.cost,
        currency=package.currency,
        quantity=1,
    )


def stored_profile(data_dir):
    database = Database.open_sync(DataFolders(data_dir).profile(TRAINING_PROFILE).database)
    try:
        return database.run_sync(list_items), database.run_sync(load_orders)
    finally:
        database.close()


def test_quit_while_waiting_keeps_order(qt_loop, qtbot, tmp_path):
    data_dir = tmp_path / "data"
    controller = AppController(training_options(data_dir))
    qt_loop.run(controller.start())
    model = controller.window.catalog_view.model
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=CATALOG_TIMEOUT_MS)
    qtbot.waitUntil(lambda: controller.sales is not None, timeout=CATALOG_TIMEOUT_MS)

    package = pending_package(controller)
    controller.sales.purchase.start(request_for(package))
    # The order is placed, then waits for the provider (pending for 20 s by default).
    qtbot.waitUntil(lambda: len(stored_orders_now(controller)) == 1, timeout=20_000)
    assert controller.sales.purchase.running == 1

    started = time.monotonic()
    qt_loop.run(controller.shutdown(), timeout=15)
    elapsed = time.monotonic() - started

    items, orders = stored_profile(data_dir)
    assert elapsed < QUIT_LIMIT_S
    assert [item.state for item in items] == ["done"]
    assert len(orders) == 1
    assert orders[0].package_code == package.package_code
    assert orders[0].amount == package.cost


def stored_orders_now(controller: AppController):
    return controller.session.database.run_sync(load_orders)


def test_quit_right_after_buying_keeps_item(qt_loop, qtbot, tmp_path):
    data_dir = tmp_path / "data"
    controller = AppController(training_options(data_dir))
    qt_loop.run(controller.start())
    model = controller.window.catalog_view.model
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=CATALOG_TIMEOUT_MS)
    qtbot.waitUntil(lambda: controller.sales is not None, timeout=CATALOG_TIMEOUT_MS)

    package = pending_package(controller)
    controller.sales.purchase.start(request_for(package))
    qtbot.waitUntil(lambda: len(controller.session.database.run_sync(list_items)) == 1)

    started = time.monotonic()
    qt_loop.run(controller.shutdown(), timeout=15)
    elapsed = time.monotonic() - started

    items, _orders = stored_profile(data_dir)
    assert elapsed < QUIT_LIMIT_S
    assert len(items) == 1
    assert items[0].state in {"queued", "sending", "done"}
    assert items[0].package_code == package.package_code
    assert items[0].price == Decimal(package.cost)
