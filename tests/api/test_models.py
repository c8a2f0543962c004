"""Responses become typed models, in every documented variant."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import httpx
import pytest

from esimfly_desktop.api.json_reader import JsonObject, Origin
from esimfly_desktop.api.order_models import Esim, split_lpa_string
from esimfly_desktop.api.order_parsing import parse_order_details
from tests.api.mock_service import (
    LPA,
    ScriptedService,
    completed_order_json,
    json_response,
    make_client,
    package_json,
)


def packages_answer(pagination: dict) -> httpx.Response:
    return json_response(
        200, {"success": True, "data": {"packages": [package_json()], "pagination": pagination}}
    )


@pytest.mark.asyncio
@pytest.mark.parametrize("total_pages_name", ["total_pages", "totalPages"])
async def test_package_page_both_pagination_spellings(total_pages_name: str) -> None:
    pagination = {"page": 2, "limit": 100, "total": 250, total_pages_name: 3}
    service = ScriptedService(packages_answer(pagination))

    async with make_client(service) as client:
        page = await client.list_packages(page=2, search="Japan", package_type="local")

    assert page.pagination.total_pages == 3
    assert page.pagination.page == 2
    assert service.requests[0].url.params["type"] == "local"
    assert service.requests[0].url.params["search"] == "Japan"
    package = page.packages[0]
    assert package.cost == Decimal("4.50")
    assert isinstance(package.cost, Decimal)
    assert package.data_amount_gb == Decimal(1)
    assert package.is_rechargeable is True
    assert package.countries == ("JP",)
    assert package.networks[0].name == "Docomo"


@pytest.mark.asyncio
async def test_package_money_as_string() -> None:
    answer = json_response(
        200,
        {"success": True, "data": {"packages": [package_json(cost="12.30")]}},
    )

    async with make_client(ScriptedService(answer)) as client:
        page = await client.list_packages()

    assert page.packages[0].cost == Decimal("12.30")
    assert page.pagination.total_pages == 1


@pytest.mark.asyncio
async def test_package_location_network_list() -> None:
    legacy = package_json(networks=None)
    legacy["locationNetworkList"] = [
        {"locationName": "Japan", "operatorList": [{"operatorName": "KDDI", "networkType": "4G"}]}
    ]
    answer = json_response(200, {"success": True, "data": {"packages": [legacy]}})

    async with make_client(ScriptedService(answer)) as client:
        page = await client.list_packages()

    assert page.packages[0].networks[0].name == "KDDI"


@pytest.mark.asyncio
async def test_balance_enterprise_fields() -> None:
    body = {
        "success": True,
        "data": {"balance": 1250, "currency": "IQD", "source": "enterprise", "live": True},
    }

    async with make_client(ScriptedService(json_response(200, body))) as client:
        balance = await client.get_balance()

    assert balance.amount == Decimal(1250)
    assert balance.currency == "IQD"
    assert balance.source == "enterprise"
    assert balance.live is True


@pytest.mark.asyncio
async def test_completed_order_result() -> None:
    service = ScriptedService(json_response(200, completed_order_json()))

    async with make_client(service) as client:
        result = await client.create_order("CKH002", 1, "key-1", price=Decimal("4.50"))

    assert result.order_reference == "order_1733300000000_abcde"
    assert result.is_pending is False
    assert result.new_balance == Decimal("995.50")
    assert result.esims[0].iccid == "8910300000000000018"
    assert result.esims[0].smdp_address == "smdp.example.test"
    assert result.esims[0].matching_id == "AB12-CD34-EF56"
    assert service.requests[0].content == (
        b'{"packageCode":"CKH002","quantity":1,"idempotency_key":"key-1","price":4.50}'
    )
    assert service.requests[0].headers["Content-Type"] == "application/json"


@pytest.mark.asyncio
async def test_pending_order_result() -> None:
    body = {
        "success": True,
        "orderReference": "order_1_abcde",
        "packageName": "Kestrel 1GB",
        "status": "pending_details",
        "amount": 3,
        "isPending": True,
        "esims": [],
    }

    async with make_client(ScriptedService(json_response(200, body))) as client:
        result = await client.create_order("K1", 1, "key-2")

    assert result.is_pending is True
    assert result.esims == ()


@pytest.mark.asyncio
@pytest.mark.parametrize("shape", ["esims", "esim"])
async def test_get_order_esims_or_esim(shape: str) -> None:
    esim = {"iccid": "8910300000000000018", "status": "NEW", "lpaString": LPA, "isPending": False}
    order = {
        "id": 7,
        "orderReference": "order_1_abcde",
        "packageName": "Japan",
        "packageCode": "CKH002",
        "status": "completed",
        "amount": Decimal("4.50"),
        "finalPrice": "4.50",
        shape: [esim] if shape == "esims" else esim,
    }

    async with make_client(
        ScriptedService(json_response(200, {"success": True, "order": order}))
    ) as client:
        details = await client.get_order("order_1_abcde")

    assert details.esims[0].iccid == "8910300000000000018"
    assert details.final_price == Decimal("4.50")
    assert details.is_pending is False


@pytest.mark.asyncio
async def test_get_order_pending_without_iccid() -> None:
    order = {
        "orderReference": "order_1_abcde",
        "status": "pending_details",
        "esim": {"iccid": None, "status": "pending", "isPending": True},
    }

    async with make_client(
        ScriptedService(json_response(200, {"success": True, "order": order}))
    ) as client:
        details = await client.get_order("order_1_abcde")

    assert details.is_pending is True
    assert details.esims[0].iccid is None


def test_esim_repr_hides_activation_code() -> None:
    esim = Esim(iccid="8910300000000000018", lpa_string=LPA, apple_install_url="x?carddata=" + LPA)

    assert "AB12-CD34-EF56" not in repr(esim)
    assert "8910300000000000018" in repr(esim)


@pytest.mark.parametrize(
    ("lpa_string", "expected"),
    [
        ("LPA:1$smdp.example.test$ABC-123", ("smdp.example.test", "ABC-123")),
        ("LPA:1$smdp.example.test$ABC$1.2.3$1", ("smdp.example.test", "ABC")),
        ("lpa:1$rsp.example$x y", ("rsp.example", "x y")),
        ("LPA:1$$ABC", None),
        ("not an lpa", None),
    ],
)
def test_split_lpa_string(lpa_string: str, expected: tuple[str, str] | None) -> None:
    assert split_lpa_string(lpa_string) == expected


@pytest.mark.asyncio
async def test_list_orders_filters_and_summary() -> None:
    body = {
        "success": True,
        "data": {
            "orders": [
                {
                    "id": 3,
                    "order_reference": "order_1_abcde",
                    "package_name": "Japan",
                    "package_code": "CKH002",
                    "amount": Decimal("4.50"),
                    "currency": "USD",
                    "status": "completed",
                    "created_at": "2026-12-01T10:00:00Z",
                    "esim": None,
                }
            ],
            "summary": {"total_orders": 1, "total_revenue": Decimal("4.50")},
            "pagination": {"page": 1, "limit": 20, "total": 1, "totalPages": 1},
        },
    }
    service = ScriptedService(json_response(200, body))

    async with make_client(service) as client:
        page = await client.list_orders(
            status="pending", from_date=date(2026, 12, 1), to_date="2026-12-04", sort_by="amount"
        )

    params = service.requests[0].url.params
    assert params["status"] == "pending"
    assert params["from_date"] == "2026-12-01"
    assert params["to_date"] == "2026-12-04"
    assert params["sort_by"] == "amount"
    assert page.orders[0].order_reference == "order_1_abcde"
    assert page.orders[0].esim is None
    assert page.total_revenue == Decimal("4.50")


@pytest.mark.asyncio
async def test_esim_list_status_case_insensitive() -> None:
    item = {
        "id": 1,
        "iccid": "8910300000000000018",
        "status": "NEW",
        "data": {"total_mb": 1024, "used_mb": 0, "remaining_mb": 1024, "is_unlimited": False},
        "validity": {"days": 7, "is_expired": False},
        "manual_installation": {
            "smdp_address": "smdp.example.test",
            "activation_code": "AB12-CD34-EF56",
            "lpa_format": LPA,
        },
        "is_pending": False,
    }
    body = {"success": True, "data": {"esims": [item]}}

    async with make_client(ScriptedService(json_response(200, body))) as client:
        page = await client.list_esims(status="NEW")

    record = page.esims[0]
    assert record.has_status("New")
    assert record.usage is not None
    assert record.usage.total_mb == Decimal(1024)
    assert "AB12-CD34-EF56" not in repr(record)


@pytest.mark.asyncio
async def test_esim_actions_and_reports() -> None:
    status = {
        "iccid": "8910300000000000018",
        "status": "active",
        "profile": "Enabled",
        "device": {"model": "Pixel 9", "imei": "35"},
        "data_usage": {"used_gb": Decimal("0.25"), "total_gb": 1, "unlimited": False},
    }
    report = {
        "iccid": "8910300000000000018",
        "period_days": 7,
        "summary": {"total_data_mb": 250, "avg_daily_mb": Decimal("35.71")},
        "daily_usage": [{"date": "2026-12-01", "data_mb": 250, "data_gb": Decimal("0.24")}],
        "by_country": [{"country": "JP", "mcc": "440", "data_mb": 250}],
    }
    cancel = {
        "order_reference": "order_1_abcde",
        "cancelled_esims": ["8910300000000000018"],
        "failed_esims": [],
        "refunded_amount": Decimal("4.50"),
        "currency": "USD",
        "balance_credited": True,
    }
    service = ScriptedService(
        json_response(200, {"success": True, "message": "ok", "data": status}),
        json_response(200, {"success": True, "data": report}),
        json_response(200, {"success": True, "data": cancel}),
        json_response(200, {"success": True, "data": {"iccid": "891", "action": "suspend"}}),
    )

    async with make_client(service) as client:
        esim_status = await client.esim_status("8910300000000000018")
        usage = await client.usage_report("8910300000000000018", days=7)
        cancelled = await client.cancel_esim("8910300000000000018")
        suspended = await client.suspend_esim("891")

    assert esim_status.is_installed
    assert esim_status.device_model == "Pixel 9"
    assert usage.avg_daily_mb == Decimal("35.71")
    assert usage.by_country[0].mcc == "440"
    assert cancelled.refunded_amount == Decimal("4.50")
    assert cancelled.cancelled_esims == ("8910300000000000018",)
    assert suspended.action == "suspend"
    assert service.bodies()[1] == {"iccid": "8910300000000000018", "days": 7}
    assert service.bodies()[3] == {"iccid": "891", "action": "suspend"}


@pytest.mark.asyncio
async def test_topup_and_usage_query() -> None:
    topup = {
        "success": True,
        "orderReference": "topup_1_abcde",
        "iccid": "8910300000000000018",
        "packageName": "Japan top-up",
        "newBalance": Decimal("990.00"),
        "currency": "USD",
        "status": "completed",
        "amount": Decimal("5.50"),
        "esimData": {"newTotalVolumeGB": 2, "newRemainingVolumeGB": Decimal("1.75")},
    }
    usage = {
        "success": True,
        "data": {
            "esim": {"iccid": "8910300000000000018", "status": "ACTIVE"},
            "data": {"total_mb": 2048, "used_mb": 256},
        },
    }
    service = ScriptedService(json_response(200, topup), json_response(200, usage))

    async with make_client(service) as client:
        result = await client.create_topup("8910300000000000018", "TOP1")
        query = await client.query_usage(iccid="8910300000000000018")

    assert result.new_remaining_volume_gb == Decimal("1.75")
    assert result.order_reference.startswith("topup_")
    assert query.usage is not None
    assert query.usage.used_mb == Decimal(256)


@pytest.mark.asyncio
async def test_webhook_settings_round_trip() -> None:
    put_answer = {
        "success": True,
        "webhook": {
            "webhook_url": "http://127.0.0.1:8/hook",
            "events": ["esim.installed"],
            "secret": "whsec_abc",
        },
    }
    get_answer = {
        "success": True,
        "data": {
            "webhook_url": "http://127.0.0.1:8/hook",
            "events": ["esim.installed"],
            "recent_deliveries": [{"id": "d1", "status": "delivered"}],
        },
    }
    service = ScriptedService(json_response(200, put_answer), json_response(200, get_answer))

    async with make_client(service) as client:
        saved = await client.set_webhooks("http://127.0.0.1:8/hook", ["esim.installed"])
        current = await client.get_webhooks()

    assert saved.secret == "whsec_abc"
    assert "whsec_abc" not in repr(saved)
    assert current.url == "http://127.0.0.1:8/hook"
    assert current.recent_deliveries[0]["id"] == "d1"
    assert service.requests[0].method == "PUT"


@pytest.mark.parametrize(
    ("status", "esim", "pending"),
    [
        ("pending_details", None, True),
        ("completed", {"iccid": None, "isPending": True}, True),
        ("completed", {"iccid": "8910300000000000018", "lpaString": LPA}, False),
        ("Completed", {"iccid": "8910300000000000018", "lpaString": LPA}, False),
        ("failed", None, False),
        ("cancelled", {"iccid": "8910300000000000018", "status": "CANCELLED"}, False),
    ],
)
def test_order_details_pending_rule(status: str, esim: dict | None, pending: bool) -> None:
    order: dict = {"orderReference": "order_1_abcde", "status": status}
    if esim is not None:
        order["esim"] = esim
    origin = Origin("GET /esims/order", "request-1")

    details = parse_order_details(JsonObject({"success": True, "order": order}, origin))

    assert details.is_pending is pending
