"""eSIM endpoints: list, usage, status with the phone, cancel and refund, suspend, report."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tests.sandbox.raw_api import AdminCalls, RawApi, json_of


def _bought(api: RawApi, quantity: int = 1) -> dict[str, Any]:
    # Rechargeable excludes Polaris Data, whose eSIMs cannot be suspended.
    return json_of(
        api.order(api.find_package("Japan", rechargeable=True)["package_code"], quantity)
    )


def _code(response) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    return response.status_code, json_of(response)["code"]


def test_list_esims(api: RawApi) -> None:
    order = _bought(api, 2)
    iccid = order["esims"][0]["iccid"]

    everything = json_of(api.get("/esims"))["data"]
    searched = json_of(api.get("/esims", {"search": iccid}))["data"]
    new_only = json_of(api.get("/esims", {"status": "NEW"}))["data"]
    active_only = json_of(api.get("/esims", {"status": "ACTIVE"}))["data"]
    item = searched["esims"][0]

    assert everything["pagination"]["total"] == 2
    assert len(new_only["esims"]) == 2
    assert active_only["esims"] == []
    assert item["iccid"] == iccid
    assert item["manual_installation"]["lpa_format"] == order["esims"][0]["lpaString"]
    assert (
        item["manual_installation"]["activation_code"] in item["manual_installation"]["lpa_format"]
    )
    assert item["data"]["used_mb"] == 0
    assert item["is_pending"] is False


def test_usage_query(api: RawApi, admin_calls: AdminCalls) -> None:
    order = _bought(api)
    iccid = order["esims"][0]["iccid"]
    admin_calls.call("POST", f"/admin/esims/{iccid}/install", {})
    admin_calls.call("POST", f"/admin/esims/{iccid}/usage", {"megabytes": "256"})

    by_iccid = json_of(api.get("/esims/usage/query", {"iccid": iccid}))["data"]
    by_order = json_of(api.get("/esims/usage/query", {"order_id": order["orderReference"]}))["data"]
    missing = api.get("/esims/usage/query")

    assert by_iccid["esim"]["iccid"] == iccid
    assert by_iccid["data"]["used_mb"] == Decimal(256)
    assert by_iccid["data"]["remaining_mb"] == by_iccid["data"]["total_mb"] - 256
    assert by_iccid["validity"]["activated_at"] is not None
    assert by_order["esim"]["iccid"] == iccid
    assert _code(missing) == (400, "MISSING_ICCID")


def test_status_follows_install(api: RawApi, admin_calls: AdminCalls) -> None:
    iccid = _bought(api)["esims"][0]["iccid"]

    before = json_of(api.post("/esims/status", {"iccid": iccid}))["data"]
    admin_calls.call("POST", f"/admin/esims/{iccid}/install", {"device_model": "Pixel 8"})
    after = json_of(api.post("/esims/status", {"iccid": iccid}))["data"]

    assert before["profile"] == "Not Installed"
    assert before["device"]["model"] is None
    assert after["profile"] == "Enabled"
    assert after["device"]["model"] == "Pixel 8"
    assert after["status"] == "ACTIVE"
    assert after["activation_date"] is not None


def test_action_identifier_errors(api: RawApi, admin_calls: AdminCalls) -> None:
    iccid = _bought(api)["esims"][0]["iccid"]
    other = admin_calls.call("POST", "/admin/accounts", {"balance": "0"})
    stranger = RawApi(api.base_url, other["access_code"], other["secret"])

    try:
        for path in ("/esims/status", "/esims/cancel", "/esims/suspend", "/esims/usage-report"):
            assert _code(api.post(path, {})) == (400, "MISSING_IDENTIFIER"), path
            assert _code(api.post(path, {"iccid": "8900000000000000000"})) == (
                404,
                "ESIM_NOT_FOUND",
            ), path
            assert _code(stranger.post(path, {"iccid": iccid})) == (403, "FORBIDDEN"), path
    finally:
        stranger.close()


def test_status_by_esim_id(api: RawApi) -> None:
    esim = _bought(api)["esims"][0]

    response = api.post("/esims/status", {"esimId": esim["esimId"]})

    assert json_of(response)["data"]["iccid"] == esim["iccid"]


def test_cancel_refunds_before_install(api: RawApi, admin_calls: AdminCalls) -> None:
    order = _bought(api)
    iccid = order["esims"][0]["iccid"]

    cancelled = json_of(api.post("/esims/cancel", {"iccid": iccid}))["data"]
    again = api.post("/esims/cancel", {"iccid": iccid})
    balance = json_of(api.get("/balance"))["data"]["balance"]
    details = json_of(api.get("/esims/order", {"orderReference": order["orderReference"]}))

    assert cancelled["refunded_amount"] == order["amount"]
    assert cancelled["cancelled_esims"] == 1
    assert cancelled["balance_credited"] is True
    assert balance == Decimal("1000.00")
    assert _code(again) == (400, "ALREADY_CANCELLED")
    assert details["order"]["status"] == "cancelled"
    kinds = [entry["kind"] for entry in admin_calls.ledger(api.access_code)]
    assert kinds == ["order", "charge", "refund"]


def test_cancel_after_install_rejected(api: RawApi, admin_calls: AdminCalls) -> None:
    iccid = _bought(api)["esims"][0]["iccid"]
    admin_calls.call("POST", f"/admin/esims/{iccid}/install", {})

    response = api.post("/esims/cancel", {"iccid": iccid})

    assert _code(response) == (400, "NOT_ELIGIBLE")


def test_suspend_and_activate(api: RawApi, admin_calls: AdminCalls) -> None:
    iccid = _bought(api)["esims"][0]["iccid"]
    admin_calls.call("POST", f"/admin/esims/{iccid}/install", {})

    suspended = json_of(api.post("/esims/suspend", {"iccid": iccid, "action": "suspend"}))["data"]
    profile = json_of(api.post("/esims/status", {"iccid": iccid}))["data"]["profile"]
    activated = json_of(api.post("/esims/suspend", {"iccid": iccid, "action": "activate"}))["data"]
    invalid = api.post("/esims/suspend", {"iccid": iccid, "action": "pause"})

    assert suspended["esim_status"] == "Disconnected"
    assert profile == "Disabled"
    assert activated["esim_status"] == "Active"
    assert _code(invalid) == (400, "INVALID_ACTION")


def test_usage_report(api: RawApi, admin_calls: AdminCalls) -> None:
    iccid = _bought(api)["esims"][0]["iccid"]
    admin_calls.call("POST", f"/admin/esims/{iccid}/install", {})
    admin_calls.call("POST", f"/admin/esims/{iccid}/usage", {"megabytes": "700"})

    report = json_of(api.post("/esims/usage-report", {"iccid": iccid, "days": 14}))["data"]
    too_long = api.post("/esims/usage-report", {"iccid": iccid, "days": 91})

    assert report["period_days"] == 14
    assert len(report["daily_usage"]) == 14
    assert sum(day["data_mb"] for day in report["daily_usage"]) == Decimal(700)
    assert report["summary"]["total_data_mb"] == Decimal(700)
    assert report["by_country"][0]["country"] == "JP"
    assert _code(too_long) == (400, "INVALID_PARAMETER")


def test_expired_esim_status(api: RawApi, admin_calls: AdminCalls) -> None:
    iccid = _bought(api)["esims"][0]["iccid"]
    admin_calls.call("POST", f"/admin/esims/{iccid}/install", {})
    admin_calls.call("POST", f"/admin/esims/{iccid}/expire", {})

    expired = json_of(api.get("/esims", {"status": "EXPIRED"}))["data"]["esims"]

    assert [esim["iccid"] for esim in expired] == [iccid]
    assert expired[0]["validity"]["is_expired"] is True
