"""Admin faults: 5xx share, latency, 409 while an order runs, outage, drop after commit, clock."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from decimal import Decimal
from email.utils import parsedate_to_datetime

import httpx
import pytest

from esimfly_desktop.sandbox.admin_client import SandboxAdmin
from esimfly_desktop.sandbox.launcher import SandboxInfo, SandboxProcess
from tests.sandbox.raw_api import AdminCalls, RawApi, encode, json_of

MAX_ATTEMPTS = 12


def test_error_rate_gives_503(api: RawApi, admin_calls: AdminCalls) -> None:
    admin_calls.call("POST", "/admin/faults", {"error_rate": 1.0})
    failing = api.get("/balance")
    admin_calls.call("DELETE", "/admin/faults")
    healthy = api.get("/balance")

    assert failing.status_code == 503
    assert json_of(failing)["success"] is False
    assert healthy.status_code == 200


def test_error_rate_uses_endpoint_codes(api: RawApi, admin_calls: AdminCalls) -> None:
    package = api.find_package("Japan")
    admin_calls.call("POST", "/admin/faults", {"error_rate": 1.0})

    order = api.order(package["package_code"])
    status = api.post("/esims/status", {"iccid": "8900000000000000000"})
    balance = api.get("/balance")

    assert (order.status_code, json_of(order)["code"]) == (500, "ORDER_PROCESSING_ERROR")
    assert (status.status_code, json_of(status)["code"]) == (502, "PROVIDER_ERROR")
    assert (balance.status_code, json_of(balance)["code"]) == (503, "SERVICE_UNAVAILABLE")
    assert admin_calls.ledger(api.access_code) == []


def test_latency_delays_answer(api: RawApi, admin_calls: AdminCalls) -> None:
    admin_calls.call("POST", "/admin/faults", {"latency_ms": 300})

    started = time.monotonic()
    response = api.get("/balance")

    assert response.status_code == 200
    assert time.monotonic() - started >= 0.3


def test_unknown_fault_rejected(admin_calls: AdminCalls) -> None:
    response = httpx.post(
        admin_calls.admin_url + "/admin/faults",
        json={"meteor": True},
        headers=admin_calls.headers,
        trust_env=False,
    )
    wrong_token = httpx.get(admin_calls.admin_url + "/admin/faults", trust_env=False)

    assert response.status_code == 400
    assert wrong_token.status_code == 401


@pytest.mark.asyncio
async def test_repeat_while_running_gets_409(api: RawApi, sandbox_admin: SandboxAdmin) -> None:
    package = api.find_package("Japan")
    body = encode({"packageCode": package["package_code"], "idempotency_key": str(uuid.uuid4())})
    await sandbox_admin.set_faults(latency_ms=800)

    async with httpx.AsyncClient(base_url=api.base_url, trust_env=False, timeout=10) as client:
        first = asyncio.create_task(
            client.post("/esims/order", content=body, headers=api.headers(body))
        )
        await asyncio.sleep(0.3)
        second = await client.post("/esims/order", content=body, headers=api.headers(body))
        first_response = await first
        await sandbox_admin.clear_faults()
        third = await client.post("/esims/order", content=body, headers=api.headers(body))

    assert first_response.status_code == 200
    assert (second.status_code, json_of(second)["code"]) == (409, "DUPLICATE_REQUEST")
    assert json_of(third)["duplicate"] is True
    assert json_of(third)["orderReference"] == json_of(first_response)["orderReference"]
    kinds = [entry["kind"] for entry in await sandbox_admin.ledger(api.access_code)]
    assert kinds == ["order", "charge"]


def test_outage_refuses_and_resets(start_sandbox: Callable[..., SandboxProcess]) -> None:
    info = start_sandbox().info
    admin = AdminCalls(info.admin_url, info.admin_token)
    api = RawApi(info.base_url, info.access_code, info.secret)
    try:
        assert api.get("/balance").status_code == 200  # leaves a kept-alive connection

        admin.call("POST", "/admin/faults", {"outage": True})
        with pytest.raises(httpx.TransportError):
            api.get("/balance")  # the kept-alive connection was reset
        with pytest.raises(httpx.ConnectError):
            httpx.get(info.base_url + "/balance", trust_env=False, timeout=5)

        admin.call("DELETE", "/admin/faults")
        recovered = api.get("/balance")
    finally:
        api.close()

    assert recovered.status_code == 200


def test_drop_after_commit_charges_once(api: RawApi, admin_calls: AdminCalls) -> None:
    package = api.find_package("Japan")
    body = {"packageCode": package["package_code"], "idempotency_key": str(uuid.uuid4())}
    admin_calls.call("POST", "/admin/faults", {"drop_after_commit": 1.0})

    with pytest.raises(httpx.TransportError):
        api.post("/esims/order", body)
    admin_calls.call("DELETE", "/admin/faults")
    retry = json_of(api.post("/esims/order", body))

    assert retry["duplicate"] is True
    assert retry["status"] == "completed"
    assert retry["newBalance"] == Decimal("1000.00") - package["cost"]
    kinds = [entry["kind"] for entry in admin_calls.ledger(api.access_code)]
    assert kinds == ["order", "charge"]


def test_retries_under_drops_buy_once_each(api: RawApi, admin_calls: AdminCalls) -> None:
    package = api.find_package("Japan")
    orders = 30
    admin_calls.call("POST", "/admin/faults", {"drop_after_commit": 0.34})

    references = set()
    dropped = 0
    for _ in range(orders):
        body = {"packageCode": package["package_code"], "idempotency_key": str(uuid.uuid4())}
        for _attempt in range(MAX_ATTEMPTS):
            try:
                references.add(json_of(api.post("/esims/order", body))["orderReference"])
                break
            except httpx.TransportError:
                dropped += 1

    ledger = admin_calls.ledger(api.access_code)
    assert len(references) == orders
    assert dropped > 0
    assert sum(entry["kind"] == "order" for entry in ledger) == orders
    assert sum(entry["kind"] == "charge" for entry in ledger) == orders


def test_clock_offset_shifts_server_time(api: RawApi, admin_calls: AdminCalls) -> None:
    admin_calls.call("POST", "/admin/faults", {"clock_offset_s": 600})

    rejected = api.get("/balance")
    server_now = parsedate_to_datetime(rejected.headers["Date"]).timestamp()
    accepted = api.get("/balance", timestamp=str(int(server_now * 1000)))

    assert json_of(rejected)["code"] == "INVALID_TIMESTAMP"
    assert 590 <= server_now - time.time() <= 610
    assert accepted.status_code == 200


@pytest.mark.asyncio
async def test_admin_client_funds_and_ledger(
    sandbox: SandboxInfo, sandbox_admin: SandboxAdmin
) -> None:
    access_code, _secret = await sandbox_admin.add_account("10.00")

    balance = await sandbox_admin.load_funds(access_code, Decimal("5.50"))
    ledger = await sandbox_admin.ledger(access_code)
    faults = await sandbox_admin.set_faults(latency_ms=5)

    assert balance == Decimal("15.50")
    assert [(e["kind"], e["amount"]) for e in ledger] == [("funds", Decimal("5.50"))]
    assert faults["latency_ms"] == 5
