"""Order history: filters, sorting, paging, summary, details, actions and CSV export."""

from __future__ import annotations

import csv
import time
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from esimfly_desktop.api.errors import TransportError
from esimfly_desktop.api.models import Package, PackagePage, Pagination
from esimfly_desktop.api.order_models import (
    CancelResult,
    DataUsage,
    EsimStatus,
    OrderPage,
    OrderSummary,
    UsageQuery,
    Validity,
)
from esimfly_desktop.services.order_store import merge_history
from esimfly_desktop.services.outbox_store import ItemKind
from esimfly_desktop.ui.history import HistoryController, OrderHistoryView
from esimfly_desktop.ui.history.history_view import PAGE_SIZE
from esimfly_desktop.ui.history.topup_dialog import TopupDialog
from tests.ui.sale_doubles import make_esim, make_order


def order_number(
    number: int, *, status: str = "completed", amount: str = "4.50", days_ago: int = 0
):
    return replace(
        make_order(1),
        order_reference=f"order_17648800{number:05d}_ab12c",
        status=status,
        amount=Decimal(amount),
        created_at=time.time() - days_ago * 86400,
        esims=(make_esim(number % 90 + 1),),
    )


class FakeHistoryClient:
    """Returns canned service responses and records the actions requested."""

    def __init__(self, remote: list[OrderSummary] | None = None, *, offline: bool = False) -> None:
        self.remote = remote or []
        self.offline = offline
        self.cancelled: list[str] = []
        self.esim_usage_status = "New"

    async def list_orders(self, page: int = 1, limit: int = 20, **_filters: object) -> OrderPage:
        if self.offline:
            raise TransportError(
                "connection refused",
                method="GET",
                path="/orders",
                request_id="r-1",
                request_sent=False,
            )
        return OrderPage(
            tuple(self.remote), len(self.remote), None, Pagination(page, limit, len(self.remote), 1)
        )

    async def query_usage(self, *, iccid: str) -> UsageQuery:
        usage = DataUsage(Decimal(5120), Decimal(1024), Decimal(4096), Decimal(20), False)
        validity = Validity(30, None, "2027-01-03T00:00:00Z", False)
        return UsageQuery(
            iccid, None, "Japan 5 GB 30 days", self.esim_usage_status, usage, validity
        )

    async def esim_status(self, iccid: str) -> EsimStatus:
        return EsimStatus(
            iccid, "Active", None, None, "Enabled", None, None, None, "Pixel 9", None,
            None, None, None, None, None, False,
        )  # fmt: skip

    async def list_topup_packages(self, iccid: str) -> PackagePage:
        package = Package(
            "JP-TOPUP-3GB",
            "Japan top-up 3 GB",
            "Japan",
            "local",
            Decimal(3),
            30,
            Decimal("3.00"),
            "USD",
        )
        return PackagePage((package,), Pagination(1, 100, 1, 1))

    async def cancel_esim(self, iccid: str) -> CancelResult:
        self.cancelled.append(iccid)
        return CancelResult("order_x", (iccid,), (), Decimal("4.50"), "USD", "balance", True)


class FakeOrderStore:
    def __init__(self, local: list[object]) -> None:
        self.local = local

    async def history(self, remote):
        return merge_history(self.local, list(remote))


class FakeOutbox:
    def __init__(self) -> None:
        self.enqueued: list[object] = []

    async def enqueue(self, new):
        self.enqueued.append(new)
        return new


def make_view(qtbot, orders: list[object]) -> OrderHistoryView:
    view = OrderHistoryView()
    qtbot.addWidget(view)
    view.set_orders(orders)
    return view


def test_history_summary_counts_amounts(qtbot) -> None:
    orders = [order_number(1), order_number(2, amount="10.00"), order_number(3, status="cancelled")]
    view = make_view(qtbot, orders)

    assert view.model.rowCount() == 3
    assert view.summary_label.text() == "3 orders, total $14.50"


def test_history_filter_status(qtbot) -> None:
    view = make_view(qtbot, [order_number(1), order_number(2, status="pending_details")])

    view.status_filter.setCurrentIndex(view.status_filter.findData("pending"))

    assert [o.status for o in view.filtered_orders()] == ["pending_details"]


def test_history_filter_text_iccid(qtbot) -> None:
    orders = [order_number(1), order_number(2)]
    view = make_view(qtbot, orders)

    view.text_filter.setText(make_esim(3).iccid)
    qtbot.waitUntil(lambda: len(view.filtered_orders()) == 1, timeout=2000)

    assert view.filtered_orders()[0].order_reference == orders[1].order_reference


def test_history_filter_date_range(qtbot) -> None:
    view = make_view(qtbot, [order_number(1, days_ago=0), order_number(2, days_ago=10)])
    today = date.today()

    view.date_from.setDate(QDate(today.year, today.month, today.day).addDays(-2))
    view.date_to.setDate(QDate(today.year, today.month, today.day))
    view.use_dates.setChecked(True)

    assert len(view.filtered_orders()) == 1
    assert view.filtered_orders()[0].order_reference.startswith("order_1764880000001")


def test_history_sorts_whole_list(qtbot) -> None:
    orders = [order_number(n, amount=str(200 - n)) for n in range(1, 151)]
    view = make_view(qtbot, orders)

    view.table.sortByColumn(4, Qt.SortOrder.AscendingOrder)

    assert view.page_count == 2
    assert view.model.rowCount() == PAGE_SIZE
    assert view.model.order_at(0).amount == Decimal(50)
    view.next_button.click()
    assert view.model.rowCount() == 50
    assert view.model.order_at(49).amount == Decimal(199)


def test_history_export_csv(qtbot, qt_loop, tmp_path: Path) -> None:
    orders = [order_number(1), order_number(2)]
    view = make_view(qtbot, orders)
    controller = HistoryController(view, FakeHistoryClient(), FakeOrderStore(orders))
    path = tmp_path / "orders.csv"

    count = qt_loop.run(controller.export(path, view.filtered_orders()))

    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert count == 2
    assert {row["order_reference"] for row in rows} == {o.order_reference for o in orders}
    assert rows[0]["amount"] == "4.50"
    assert "LPA:1$" not in path.read_text(encoding="utf-8")
    assert "K2-7QX4ZP" not in path.read_text(encoding="utf-8")


def test_history_export_bad_folder(qtbot, qt_loop, tmp_path: Path) -> None:
    view = make_view(qtbot, [order_number(1)])
    controller = HistoryController(view, FakeHistoryClient(), FakeOrderStore([]))
    blocker = tmp_path / "file"
    blocker.write_text("")

    count = qt_loop.run(controller.export(blocker / "orders.csv", view.filtered_orders()))

    assert count == 0
    assert "Choose another folder" in view.status_label.text()


def test_refresh_merges_service_orders(qtbot, qt_loop) -> None:
    local = [order_number(1)]
    remote = [
        OrderSummary(
            "order_1764880099999_zz9y8", "Spain 1 GB", "ES-1GB", Decimal("2.00"), "USD",
            "completed", (datetime.now().astimezone() - timedelta(hours=1)).isoformat(), None,
        )
    ]  # fmt: skip
    view = make_view(qtbot, [])
    controller = HistoryController(view, FakeHistoryClient(remote), FakeOrderStore(local))

    qt_loop.run(controller.refresh())

    references = {o.order_reference for o in view.filtered_orders()}
    assert references == {local[0].order_reference, "order_1764880099999_zz9y8"}


def test_refresh_offline_shows_local(qtbot, qt_loop) -> None:
    local = [order_number(1)]
    view = make_view(qtbot, [])
    controller = HistoryController(view, FakeHistoryClient(offline=True), FakeOrderStore(local))

    qt_loop.run(controller.refresh())

    assert len(view.filtered_orders()) == 1
    assert "this computer only" in view.status_label.text()


def test_details_show_esim_usage(qtbot, qt_loop) -> None:
    orders = [order_number(1)]
    view = make_view(qtbot, orders)
    controller = HistoryController(view, FakeHistoryClient(), FakeOrderStore(orders))

    view.table.selectRow(0)
    qt_loop.run(controller.load_usage(view.details.order))

    table = view.details.esims_table
    assert table.item(0, 0).text() == make_esim(2).iccid
    assert table.item(0, 1).text() == "New"
    assert table.item(0, 2).text() == "1 GB"
    assert table.item(0, 3).text() == "4 GB"
    assert table.item(0, 4).text().startswith("2027-01-03")
    assert view.details.card.qr.matrix is not None
    assert view.details.cancel_button.isEnabled()


def test_check_installation_marks_card(qtbot, qt_loop) -> None:
    orders = [order_number(1)]
    view = make_view(qtbot, orders)
    controller = HistoryController(view, FakeHistoryClient(), FakeOrderStore(orders))
    view.table.selectRow(0)

    installed = qt_loop.run(controller.check_installation(view.details.card.hand_off))

    assert installed is True
    assert "Pixel 9" in view.details.message_label.text()
    assert not view.details.card.installed_label.isHidden()


def click_message_box(qtbot, button: QMessageBox.StandardButton) -> str:
    found: list[QMessageBox] = []

    def visible_box() -> bool:
        found[:] = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.isVisible()
        ]
        return bool(found)

    qtbot.waitUntil(visible_box, timeout=5000)
    text = found[0].text()
    found[0].button(button).click()
    return text


def test_cancel_confirms_refund(qtbot, qt_loop) -> None:
    orders = [order_number(1)]
    view = make_view(qtbot, orders)
    client = FakeHistoryClient()
    controller = HistoryController(view, client, FakeOrderStore(orders))
    view.table.selectRow(0)
    hand_off = view.details.card.hand_off

    task = controller._spawn(controller.cancel(hand_off))
    question = click_message_box(qtbot, QMessageBox.StandardButton.Yes)
    qt_loop.run(task)

    assert "$4.50" in question
    assert client.cancelled == [hand_off.iccid]
    assert "$4.50 refunded" in view.details.message_label.text()


def test_cancel_declined_sends_nothing(qtbot, qt_loop) -> None:
    orders = [order_number(1)]
    view = make_view(qtbot, orders)
    client = FakeHistoryClient()
    controller = HistoryController(view, client, FakeOrderStore(orders))
    view.table.selectRow(0)

    task = controller._spawn(controller.cancel(view.details.card.hand_off))
    click_message_box(qtbot, QMessageBox.StandardButton.No)
    qt_loop.run(task)

    assert client.cancelled == []


def test_cancel_not_offered_installed(qtbot, qt_loop) -> None:
    orders = [order_number(1)]
    view = make_view(qtbot, orders)
    client = FakeHistoryClient()
    client.esim_usage_status = "Active"
    controller = HistoryController(view, client, FakeOrderStore(orders))

    view.table.selectRow(0)
    qt_loop.run(controller.load_usage(view.details.order))

    assert not view.details.cancel_button.isEnabled()
    assert view.details.topup_button.isEnabled()


def test_topup_queued_through_outbox(qtbot, qt_loop) -> None:
    orders = [order_number(1)]
    view = make_view(qtbot, orders)
    outbox = FakeOutbox()
    controller = HistoryController(
        view, FakeHistoryClient(), FakeOrderStore(orders), outbox=outbox, operator="Dana"
    )
    view.table.selectRow(0)
    hand_off = view.details.card.hand_off

    task = controller._spawn(controller.top_up(hand_off))
    qtbot.waitUntil(
        lambda: any(
            isinstance(w, TopupDialog) and w.isVisible() for w in QApplication.topLevelWidgets()
        ),
        timeout=5000,
    )
    dialog = next(
        w for w in QApplication.topLevelWidgets() if isinstance(w, TopupDialog) and w.isVisible()
    )
    assert "$3.00" in dialog.package_list.item(0).text()
    dialog.topup_button.click()
    qt_loop.run(task)

    assert len(outbox.enqueued) == 1
    item = outbox.enqueued[0]
    assert item.kind is ItemKind.TOPUP
    assert item.iccid == hand_off.iccid
    assert item.package_code == "JP-TOPUP-3GB"
    assert item.price == Decimal("3.00")
    assert item.operator == "Dana"


def test_mark_installed_on_details(qtbot, qt_loop) -> None:
    orders = [order_number(1)]
    view = make_view(qtbot, orders)
    controller = HistoryController(view, FakeHistoryClient(), FakeOrderStore(orders))
    view.table.selectRow(0)

    controller.mark_installed("89000000000000000000")
    assert view.details.card.installed_label.isHidden()
    controller.mark_installed(view.details.card.hand_off.iccid)

    assert not view.details.card.installed_label.isHidden()
