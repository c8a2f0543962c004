"""Top-ups: options for an eSIM, volume and validity growth, errors, no idempotency."""

from __future__ import annotations

from tests.sandbox.raw_api import AdminCalls, RawApi, json_of


def _code(response) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    return response.status_code, json_of(response)["code"]


def _esim(api: RawApi, rechargeable: bool = True) -> str:
    package = api.find_package("Japan", rechargeable=rechargeable)
    return json_of(api.order(package["package_code"]))["esims"][0]["iccid"]


def test_topup_adds_volume(api: RawApi, admin_calls: AdminCalls) -> None:
    iccid = _esim(api)
    admin_calls.call("POST", f"/admin/esims/{iccid}/install", {})
    before = json_of(api.get("/esims/usage/query", {"iccid": iccid}))["data"]
    options = json_of(api.get("/topup/packages", {"iccid": iccid}))["data"]["packages"]
    option = min(options, key=lambda package: package["cost"])
    balance = json_of(api.get("/balance"))["data"]["balance"]

    body = json_of(
        api.post("/topup/order", {"iccid": iccid, "packageCode": option["package_code"]})
    )
    after = json_of(api.get("/esims/usage/query", {"iccid": iccid}))["data"]

    assert body["orderReference"].startswith("topup_")
    assert body["status"] == "completed"
    assert body["amount"] == option["cost"]
    assert body["newBalance"] == balance - option["cost"]
    added_mb = option["data_amount_gb"] * 1024
    assert after["data"]["total_mb"] == before["data"]["total_mb"] + added_mb
    assert body["esimData"]["newTotalVolumeGB"] == after["data"]["total_mb"] / 1024
    assert after["validity"]["days"] == before["validity"]["days"] + option["validity_days"]


def test_repeated_topup_charges_twice(api: RawApi, admin_calls: AdminCalls) -> None:
    iccid = _esim(api)
    options = json_of(api.get("/topup/packages", {"iccid": iccid}))["data"]["packages"]
    body = {"iccid": iccid, "packageCode": options[0]["package_code"]}

    first = api.post("/topup/order", body)
    second = api.post("/topup/order", body)

    assert first.status_code == 200
    assert second.status_code == 200
    charges = [e for e in admin_calls.ledger(api.access_code) if e["kind"] == "charge"]
    assert len(charges) == 3


def test_topup_errors(api: RawApi, admin_calls: AdminCalls) -> None:
    iccid = _esim(api)
    fixed = _esim(api, rechargeable=False)
    other = admin_calls.call("POST", "/admin/accounts", {"balance": "0"})
    stranger = RawApi(api.base_url, other["access_code"], other["secret"])
    option = json_of(api.get("/topup/packages", {"iccid": iccid}))["data"]["packages"][0]

    try:
        assert _code(api.get("/topup/packages")) == (400, "MISSING_ICCID")
        assert _code(api.get("/topup/packages", {"iccid": "8900000000000000000"})) == (
            404,
            "ESIM_NOT_FOUND",
        )
        assert _code(stranger.get("/topup/packages", {"iccid": iccid})) == (
            403,
            "ESIM_ACCESS_DENIED",
        )
        assert _code(api.get("/topup/packages", {"iccid": fixed})) == (400, "ESIM_NOT_TOPPABLE")
        assert _code(api.post("/topup/order", {"iccid": iccid})) == (400, "MISSING_FIELDS")
        assert _code(api.post("/topup/order", {"iccid": iccid, "packageCode": "NOPE"})) == (
            400,
            "INVALID_TOPUP_PACKAGE",
        )
        assert _code(
            api.post("/topup/order", {"iccid": fixed, "packageCode": option["package_code"]})
        ) == (400, "TOPUP_NOT_SUPPORTED")
        assert _code(
            stranger.post("/topup/order", {"iccid": iccid, "packageCode": option["package_code"]})
        ) == (403, "ESIM_ACCESS_DENIED")
    finally:
        stranger.close()


def test_topup_insufficient_balance(api: RawApi, admin_calls: AdminCalls) -> None:
    account = admin_calls.call("POST", "/admin/accounts", {"balance": "5.00"})
    poor = RawApi(api.base_url, account["access_code"], account["secret"])
    try:
        iccid = _esim(poor)
        options = json_of(poor.get("/topup/packages", {"iccid": iccid}))["data"]["packages"]
        option = min(options, key=lambda package: package["cost"])
        balance = json_of(poor.get("/balance"))["data"]["balance"]

        response = poor.post(
            "/topup/order", {"iccid": iccid, "packageCode": option["package_code"], "quantity": 10}
        )
        body = json_of(response)
    finally:
        poor.close()

    required = option["cost"] * 10
    assert _code(response) == (400, "INSUFFICIENT_BALANCE")
    assert body["currentBalance"] == balance
    assert body["requiredBalance"] == required
    assert body["needToLoad"] == required - balance
