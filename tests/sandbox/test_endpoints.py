"""Balance, catalog paging, envelopes and the request-level errors every endpoint shares."""

from __future__ import annotations

from decimal import Decimal

from esimfly_desktop.sandbox.launcher import SandboxInfo
from tests.sandbox.raw_api import RawApi, json_of


def _code(response) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    return response.status_code, json_of(response)["code"]


def test_balance_as_json_number(api: RawApi) -> None:
    response = api.get("/balance")

    assert response.status_code == 200
    assert response.text == '{"success":true,"data":{"balance":1000.00,"currency":"USD"}}'


def test_demo_account_balance(demo_api: RawApi, sandbox: SandboxInfo) -> None:
    body = json_of(demo_api.get("/balance"))

    assert body["data"]["currency"] == sandbox.currency
    assert isinstance(body["data"]["balance"], Decimal)


def test_packages_first_page(api: RawApi) -> None:
    body = json_of(api.get("/esims/packages"))["data"]
    package = body["packages"][0]

    assert body["pagination"]["page"] == 1
    assert body["pagination"]["limit"] == 50
    assert len(body["packages"]) == 50
    assert 6500 <= body["pagination"]["total"] <= 7500
    assert body["pagination"]["total_pages"] == -(-body["pagination"]["total"] // 50)
    for field in ("package_code", "name", "region", "type", "data_amount_gb", "validity_days"):
        assert field in package, field
    assert isinstance(package["cost"], Decimal)
    assert package["currency"] == "USD"
    assert set(package["features"]) == {"voice_minutes", "sms_count", "is_rechargeable"}


def test_packages_limit_clamped(api: RawApi) -> None:
    body = json_of(api.get("/esims/packages", {"limit": 500}))["data"]

    assert body["pagination"]["limit"] == 100
    assert len(body["packages"]) == 100


def test_packages_filters(api: RawApi) -> None:
    regional = json_of(api.get("/esims/packages", {"type": "regional", "limit": 100}))["data"]
    japan = json_of(api.get("/esims/packages", {"search": "japan", "limit": 100}))["data"]
    bad_type = api.get("/esims/packages", {"type": "planet"})
    bad_page = api.get("/esims/packages", {"page": "first"})

    assert {package["type"] for package in regional["packages"]} == {"regional"}
    assert all("JP" in package["countries"] for package in japan["packages"])
    assert _code(bad_type) == (400, "INVALID_PARAMETER")
    assert _code(bad_page) == (400, "INVALID_PARAMETER")


def test_page_past_end_is_empty(api: RawApi) -> None:
    body = json_of(api.get("/esims/packages", {"page": 9999}))["data"]

    assert body["packages"] == []


def test_unknown_path_and_method(api: RawApi) -> None:
    unknown = api.get("/esims/unknown")
    wrong_method = api.request("DELETE", "/balance")

    assert _code(unknown) == (404, "NOT_FOUND")
    assert json_of(unknown)["success"] is False
    assert _code(wrong_method) == (405, "METHOD_NOT_ALLOWED")
    assert wrong_method.headers["Allow"] == "GET"


def test_invalid_json_body(api: RawApi) -> None:
    broken = api.post("/esims/order", b'{"packageCode": ')
    not_object = api.post("/esims/order", b"[1, 2]")

    assert _code(broken) == (400, "INVALID_JSON")
    assert _code(not_object) == (400, "INVALID_JSON")


def test_body_over_one_mebibyte(api: RawApi) -> None:
    response = api.post("/esims/order", b'{"x":"' + b"a" * (1024 * 1024) + b'"}')

    assert _code(response) == (413, "PAYLOAD_TOO_LARGE")


def test_webhook_settings(api: RawApi) -> None:
    saved = api.request(
        "PUT",
        "/webhooks",
        {"webhook_url": "http://127.0.0.1:9/hook", "events": ["esim.provisioned"]},
    )
    shown = json_of(api.get("/webhooks"))["data"]
    outside = api.request("PUT", "/webhooks", {"webhook_url": "https://example.com/hook"})
    unknown_event = api.request(
        "PUT", "/webhooks", {"webhook_url": "http://127.0.0.1:9/hook", "events": ["esim.born"]}
    )

    assert json_of(saved)["webhook"]["secret"].startswith("whsec_")
    assert shown["webhook_url"] == "http://127.0.0.1:9/hook"
    assert shown["events"] == ["esim.provisioned"]
    assert _code(outside) == (400, "INVALID_PARAMETER")
    assert _code(unknown_event) == (400, "INVALID_PARAMETER")
