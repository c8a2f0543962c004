"""Request logging, recent requests, outcome listeners and crash points."""

from __future__ import annotations

import logging

import httpx
import pytest

from esimfly_desktop import crashpoints
from esimfly_desktop.api import RequestOutcome
from esimfly_desktop.api.request_log import RequestLog
from tests.api.mock_service import (
    CREDENTIALS,
    LPA,
    ScriptedService,
    completed_order_json,
    json_response,
    make_client,
)

BALANCE = {"success": True, "data": {"balance": 10, "currency": "USD"}}


@pytest.mark.asyncio
async def test_outcome_listener_sees_each_attempt() -> None:
    service = ScriptedService(
        httpx.ConnectError("refused"),
        json_response(503, {"message": "busy"}),
        json_response(200, BALANCE),
        json_response(429, {"code": "RATE_LIMIT_EXCEEDED"}, {"Retry-After": "999"}),
        json_response(404, {"code": "ORDER_NOT_FOUND"}),
    )
    outcomes: list[RequestOutcome] = []

    async with make_client(service) as client:
        client.add_outcome_listener(outcomes.append)
        await client.get_balance()
        with pytest.raises(Exception, match="RATE_LIMIT"):
            await client.get_balance()
        with pytest.raises(Exception, match="ORDER_NOT_FOUND"):
            await client.get_order("order_1_abcde")

    kinds = [outcome.kind for outcome in outcomes]
    assert kinds == ["transport_error", "server_error", "ok", "rate_limited", "client_error"]
    assert outcomes[0].status is None
    assert outcomes[2].status == 200
    assert outcomes[2].request_id == service.requests[2].headers["RT-RequestID"]


@pytest.mark.asyncio
async def test_failing_listener_does_not_break_request() -> None:
    def broken(outcome: RequestOutcome) -> None:
        raise RuntimeError("listener bug")

    async with make_client(ScriptedService(json_response(200, BALANCE))) as client:
        client.add_outcome_listener(broken)
        balance = await client.get_balance()

    assert balance.currency == "USD"


@pytest.mark.asyncio
async def test_recent_requests_recorded() -> None:
    service = ScriptedService(json_response(200, BALANCE))

    async with make_client(service) as client:
        await client.get_balance()
        records = client.recent_requests

    assert len(records) == 1
    assert records[0].method == "GET"
    assert records[0].path == "/balance"
    assert records[0].status == 200
    assert records[0].request_id == service.requests[0].headers["RT-RequestID"]


def test_recent_requests_bounded() -> None:
    request_log = RequestLog(max_records=5)

    for number in range(12):
        request_log.record("GET", "/balance", f"id-{number}", status=200, duration_s=0.01)

    assert [record.request_id for record in request_log.records] == [
        f"id-{number}" for number in range(7, 12)
    ]


@pytest.mark.asyncio
async def test_logs_omit_secret_signature_and_activation_code(
    caplog: pytest.LogCaptureFixture,
) -> None:
    service = ScriptedService(json_response(200, completed_order_json()))
    caplog.set_level(logging.DEBUG)

    async with make_client(service) as client:
        result = await client.create_order("CKH002", 1, "sale-1")
        logging.getLogger("test").info("Order result %r", result)

    signature = service.requests[0].headers["RT-Signature"]
    request_id = service.requests[0].headers["RT-RequestID"]
    assert request_id in caplog.text
    assert "/esims/order" in caplog.text
    assert CREDENTIALS.secret_key not in caplog.text
    assert signature not in caplog.text
    assert CREDENTIALS.access_code not in caplog.text
    assert "esf_…0001" in caplog.text
    assert LPA not in caplog.text
    assert "AB12-CD34-EF56" not in caplog.text


def test_slow_request_warned(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)

    RequestLog().record("GET", "/esims/packages", "id-1", status=200, duration_s=3.2)

    assert any(
        record.levelno == logging.WARNING and "Slow API request" in record.getMessage()
        for record in caplog.records
    )


@pytest.mark.asyncio
async def test_order_passes_crash_points_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    events: list[str] = []
    monkeypatch.setattr(crashpoints, "reach", events.append)

    def answer(request: httpx.Request) -> httpx.Response:
        events.append("server")
        if request.url.path.endswith("/balance"):
            return json_response(200, BALANCE)
        return json_response(200, completed_order_json())

    async with make_client(ScriptedService(answer)) as client:
        await client.create_order("CKH002", 1, "sale-2")
        await client.get_balance()

    assert events == [
        crashpoints.AFTER_REQUEST_WRITTEN,
        "server",
        crashpoints.AFTER_SERVER_COMMITTED,
        "server",
    ]
