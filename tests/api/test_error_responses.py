"""Error responses and malformed bodies become typed errors, never crashes."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest

from esimfly_desktop.api import errors
from esimfly_desktop.api.error_table import ERROR_CLASSES
from tests.api.mock_service import ScriptedService, json_response, make_client, package_json

CONTRACT_CODES = [
    "HMAC_REQUIRED", "INVALID_REQUEST_ID", "INVALID_TIMESTAMP", "INVALID_API_KEY",
    "INVALID_SIGNATURE", "DUPLICATE_REQUEST", "INVALID_USER", "RATE_LIMIT_EXCEEDED",
    "MISSING_PACKAGE_CODE", "INVALID_PACKAGE", "PACKAGE_NOT_FOUND", "PRICE_MISMATCH",
    "INSUFFICIENT_BALANCE", "ORDER_NOT_FOUND", "ORDER_PROCESSING_ERROR",
    "MISSING_FIELDS", "MISSING_ICCID", "MISSING_IDENTIFIER", "ESIM_NOT_FOUND",
    "ESIM_ACCESS_DENIED", "ESIM_NOT_TOPPABLE", "INVALID_TOPUP_PACKAGE", "TOPUP_NOT_SUPPORTED",
    "NOT_ELIGIBLE", "ALREADY_CANCELLED", "UNSUPPORTED_PROVIDER", "NOT_SUPPORTED",
    "INVALID_ACTION", "FORBIDDEN", "PROVIDER_ERROR",
]  # fmt: skip


def test_every_contract_code_has_its_own_class() -> None:
    for code in CONTRACT_CODES:
        assert code in ERROR_CLASSES, code
        assert ERROR_CLASSES[code] is not errors.ApiError, code


@pytest.mark.asyncio
async def test_error_carries_code_status_message_request_id() -> None:
    body = {
        "success": False,
        "code": "PACKAGE_NOT_FOUND",
        "error": "Package not found",
        "details": {"packageCode": "NOPE"},
    }
    service = ScriptedService(json_response(404, body))

    async with make_client(service) as client:
        with pytest.raises(errors.PackageNotFoundError) as caught:
            await client.create_order("NOPE", 1, "key-1")

    error = caught.value
    assert error.code == "PACKAGE_NOT_FOUND"
    assert error.status == 404
    assert error.message == "Package not found"
    assert error.request_id == service.requests[0].headers["RT-RequestID"]
    assert error.details == {"packageCode": "NOPE"}
    assert error.request_id in str(error)


@pytest.mark.asyncio
@pytest.mark.parametrize("where", ["top", "details"])
async def test_insufficient_balance_amounts(where: str) -> None:
    amounts = {
        "currentBalance": Decimal("2.00"),
        "requiredBalance": Decimal("4.50"),
        "needToLoad": Decimal("2.50"),
    }
    body: dict = {"success": False, "code": "INSUFFICIENT_BALANCE", "message": "Low balance"}
    if where == "top":
        body.update(amounts)
    else:
        body["details"] = amounts

    async with make_client(ScriptedService(json_response(400, body))) as client:
        with pytest.raises(errors.InsufficientBalanceError) as caught:
            await client.create_order("CKH002", 1, "key-1")

    assert caught.value.current_balance == Decimal("2.00")
    assert caught.value.required_balance == Decimal("4.50")
    assert caught.value.need_to_load == Decimal("2.50")


@pytest.mark.asyncio
async def test_unknown_code_is_base_api_error() -> None:
    body = {"code": "SOMETHING_NEW", "message": "New rule"}

    async with make_client(ScriptedService(json_response(400, body))) as client:
        with pytest.raises(errors.ApiError) as caught:
            await client.get_balance()

    assert type(caught.value) is errors.ApiError
    assert caught.value.code == "SOMETHING_NEW"


@pytest.mark.asyncio
async def test_500_with_only_message_is_server_error() -> None:
    service = ScriptedService(json_response(500, {"message": "Internal error"}))

    async with make_client(service) as client:
        with pytest.raises(errors.ServerError) as caught:
            await client.get_balance()

    assert caught.value.code is None
    assert caught.value.status == 500
    assert caught.value.message == "Internal error"
    assert len(service.requests) == 1


@pytest.mark.asyncio
async def test_error_field_used_when_message_missing() -> None:
    body = {"success": False, "code": "ORDER_NOT_FOUND", "error": "No such order"}

    async with make_client(ScriptedService(json_response(404, body))) as client:
        with pytest.raises(errors.OrderNotFoundError, match="No such order"):
            await client.get_order("order_1_zzzzz")


@pytest.mark.asyncio
async def test_success_false_with_200_is_error() -> None:
    body = {"success": False, "code": "INVALID_USER", "message": "Account disabled"}

    async with make_client(ScriptedService(json_response(200, body))) as client:
        with pytest.raises(errors.InvalidUserError):
            await client.get_balance()


@pytest.mark.asyncio
async def test_missing_required_field_names_field() -> None:
    broken = package_json()
    del broken["cost"]
    answer = json_response(200, {"success": True, "data": {"packages": [package_json(), broken]}})
    service = ScriptedService(answer)

    async with make_client(service) as client:
        with pytest.raises(errors.ResponseFormatError) as caught:
            await client.list_packages()

    assert caught.value.field == "data.packages[1].cost"
    assert caught.value.endpoint == "GET /esims/packages"
    assert caught.value.request_id == service.requests[0].headers["RT-RequestID"]
    assert "is missing" in str(caught.value)


@pytest.mark.asyncio
async def test_wrong_type_names_field() -> None:
    answer = json_response(200, {"success": True, "data": {"balance": "lots", "currency": "USD"}})

    async with make_client(ScriptedService(answer)) as client:
        with pytest.raises(errors.ResponseFormatError) as caught:
            await client.get_balance()

    assert caught.value.field == "data.balance"
    assert "expected a number" in str(caught.value)


@pytest.mark.asyncio
async def test_boolean_money_rejected() -> None:
    answer = json_response(200, {"success": True, "data": {"balance": True, "currency": "USD"}})

    async with make_client(ScriptedService(answer)) as client:
        with pytest.raises(errors.ResponseFormatError, match=r"data\.balance"):
            await client.get_balance()


@pytest.mark.asyncio
async def test_data_not_object() -> None:
    answer = json_response(200, {"success": True, "data": ["not", "an", "object"]})

    async with make_client(ScriptedService(answer)) as client:
        with pytest.raises(errors.ResponseFormatError, match="'data'"):
            await client.get_balance()


@pytest.mark.asyncio
async def test_html_from_proxy_is_non_json_error() -> None:
    page = httpx.Response(200, content=b"<html>Login to the hotel Wi-Fi</html>",
                          headers={"Content-Type": "text/html"})  # fmt: skip

    async with make_client(ScriptedService(page)) as client:
        with pytest.raises(errors.NonJsonResponseError) as caught:
            await client.get_balance()

    assert caught.value.status == 200
    assert caught.value.content_type == "text/html"


@pytest.mark.asyncio
async def test_empty_body_is_non_json_error() -> None:
    async with make_client(ScriptedService(httpx.Response(200, content=b""))) as client:
        with pytest.raises(errors.NonJsonResponseError):
            await client.get_balance()


@pytest.mark.asyncio
async def test_json_list_body_is_format_error() -> None:
    async with make_client(ScriptedService(json_response(200, [1, 2]))) as client:
        with pytest.raises(errors.ResponseFormatError, match="<body>"):
            await client.get_balance()


@pytest.mark.asyncio
async def test_html_error_page_is_server_error() -> None:
    page = httpx.Response(500, content=b"<html>oops</html>", headers={"Content-Type": "text/html"})

    async with make_client(ScriptedService(page)) as client:
        with pytest.raises(errors.ServerError, match="non-JSON"):
            await client.get_balance()


@pytest.mark.asyncio
async def test_rate_limit_error_without_code() -> None:
    answer = json_response(429, {"message": "Slow down"}, {"Retry-After": "3600"})

    async with make_client(ScriptedService(answer)) as client:
        with pytest.raises(errors.RateLimitedError) as caught:
            await client.get_balance()

    assert caught.value.until is not None


@pytest.mark.asyncio
async def test_local_argument_checks() -> None:
    service = ScriptedService(json_response(200, {}))

    async with make_client(service) as client:
        with pytest.raises(ValueError, match="quantity"):
            await client.create_order("CKH002", 11, "key")
        with pytest.raises(ValueError, match="idempotency_key"):
            await client.create_order("CKH002", 1, "k" * 201)
        with pytest.raises(ValueError, match="days"):
            await client.usage_report("891", days=91)

    assert service.requests == []
