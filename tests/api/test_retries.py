"""Which failures are repeated, with what waits, and which never are."""

from __future__ import annotations

import json
import random
import ssl
import time
from datetime import UTC, datetime
from email.utils import format_datetime

import httpx
import pytest

from esimfly_desktop.api import RetryPolicy, errors
from tests.api.mock_service import (
    FakeSleep,
    ScriptedService,
    completed_order_json,
    json_response,
    make_client,
)

BALANCE = {"success": True, "data": {"balance": 10, "currency": "USD"}}
TOPUP = {"success": True, "orderReference": "topup_1_abcde", "status": "completed"}


def request_ids(service: ScriptedService) -> list[str]:
    return [request.headers["RT-RequestID"] for request in service.requests]


@pytest.mark.asyncio
async def test_read_retries_connect_error_with_fresh_signature() -> None:
    service = ScriptedService(
        httpx.ConnectError("connection refused"),
        httpx.ReadTimeout("timed out"),
        json_response(200, BALANCE),
    )
    sleep = FakeSleep()

    async with make_client(service, sleep) as client:
        balance = await client.get_balance()

    assert balance.currency == "USD"
    assert len(service.requests) == 3
    assert len(set(request_ids(service))) == 3
    assert len({request.headers["RT-Signature"] for request in service.requests}) == 3
    assert service.bad_signatures == 0
    assert len(sleep.delays) == 2


@pytest.mark.asyncio
@pytest.mark.parametrize("status", [502, 503, 504])
async def test_read_retries_gateway_errors(status: int) -> None:
    service = ScriptedService(
        json_response(status, {"message": "busy"}), json_response(200, BALANCE)
    )

    async with make_client(service) as client:
        await client.get_balance()

    assert len(service.requests) == 2


@pytest.mark.asyncio
async def test_read_gives_up_after_bounded_retries() -> None:
    service = ScriptedService(httpx.ReadTimeout("timed out"))
    policy = RetryPolicy(max_failure_retries=3)

    async with make_client(service, retry_policy=policy) as client:
        with pytest.raises(errors.TransportError) as caught:
            await client.get_balance()

    assert len(service.requests) == 4
    assert caught.value.request_sent is True
    assert caught.value.request_id == request_ids(service)[-1]


@pytest.mark.asyncio
async def test_topup_not_retried_after_sending() -> None:
    service = ScriptedService(httpx.ReadTimeout("timed out"), json_response(200, TOPUP))

    async with make_client(service) as client:
        with pytest.raises(errors.TransportError) as caught:
            await client.create_topup("8910300000000000018", "TOP1")

    assert caught.value.request_sent is True
    assert len(service.requests) == 1


@pytest.mark.asyncio
async def test_topup_not_retried_after_gateway_error() -> None:
    service = ScriptedService(json_response(503, {"message": "busy"}), json_response(200, TOPUP))

    async with make_client(service) as client:
        with pytest.raises(errors.ServerError):
            await client.create_topup("8910300000000000018", "TOP1")

    assert len(service.requests) == 1


@pytest.mark.asyncio
async def test_topup_retried_when_connect_failed() -> None:
    service = ScriptedService(httpx.ConnectError("refused"), json_response(200, TOPUP))

    async with make_client(service) as client:
        result = await client.create_topup("8910300000000000018", "TOP1")

    assert result.order_reference == "topup_1_abcde"
    assert len(service.requests) == 2


@pytest.mark.asyncio
async def test_topup_connect_failure_reports_not_sent() -> None:
    service = ScriptedService(httpx.ConnectError("refused"))

    async with make_client(service, retry_policy=RetryPolicy(max_failure_retries=1)) as client:
        with pytest.raises(errors.TransportError) as caught:
            await client.create_topup("8910300000000000018", "TOP1")

    assert caught.value.request_sent is False
    assert len(service.requests) == 2


@pytest.mark.asyncio
async def test_order_retried_with_same_idempotency_key() -> None:
    service = ScriptedService(
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
        json_response(200, completed_order_json(duplicate=True)),
    )

    async with make_client(service) as client:
        result = await client.create_order("CKH002", 1, "sale-42")

    keys = [body["idempotency_key"] for body in service.bodies()]
    assert keys == ["sale-42", "sale-42"]
    assert service.requests[0].content == service.requests[1].content
    assert len(set(request_ids(service))) == 2
    assert result.duplicate is True


@pytest.mark.asyncio
async def test_order_waits_while_in_flight() -> None:
    in_flight = json_response(
        409, {"success": False, "code": "DUPLICATE_REQUEST", "message": "In progress"}
    )
    service = ScriptedService(in_flight, in_flight, json_response(200, completed_order_json()))
    sleep = FakeSleep()

    async with make_client(service, sleep) as client:
        await client.create_order("CKH002", 1, "sale-43")

    assert len(service.requests) == 3
    assert sleep.delays == [1.0, 1.0]


@pytest.mark.asyncio
async def test_order_in_flight_wait_is_bounded() -> None:
    in_flight = json_response(409, {"code": "DUPLICATE_REQUEST", "message": "In progress"})
    service = ScriptedService(in_flight)

    async with make_client(service, retry_policy=RetryPolicy(max_in_flight_retries=2)) as client:
        with pytest.raises(errors.DuplicateRequestError):
            await client.create_order("CKH002", 1, "sale-44")

    assert len(service.requests) == 3


@pytest.mark.asyncio
async def test_reused_request_id_not_retried() -> None:
    reused = json_response(400, {"code": "DUPLICATE_REQUEST", "message": "Request id seen"})
    service = ScriptedService(reused, json_response(200, completed_order_json()))

    async with make_client(service) as client:
        with pytest.raises(errors.DuplicateRequestError):
            await client.create_order("CKH002", 1, "sale-45")

    assert len(service.requests) == 1


@pytest.mark.asyncio
async def test_order_processing_error_not_retried() -> None:
    failed = json_response(500, {"code": "ORDER_PROCESSING_ERROR", "message": "Provider failed"})
    service = ScriptedService(failed, json_response(200, completed_order_json()))

    async with make_client(service) as client:
        with pytest.raises(errors.OrderProcessingError):
            await client.create_order("CKH002", 1, "sale-46")

    assert len(service.requests) == 1


def rate_limited(headers: dict[str, str]) -> httpx.Response:
    body = {"success": False, "code": "RATE_LIMIT_EXCEEDED", "message": "Too many requests"}
    return json_response(
        429, body, {"X-RateLimit-Limit": "3", "X-RateLimit-Remaining": "0", **headers}
    )


def iso_in(seconds: float) -> str:
    return datetime.fromtimestamp(time.time() + seconds, UTC).isoformat().replace("+00:00", "Z")


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "headers",
    [
        pytest.param(lambda: {"Retry-After": "5"}, id="retry-after"),
        pytest.param(lambda: {"X-RateLimit-Reset": iso_in(5)}, id="iso-8601"),
        pytest.param(lambda: {"X-RateLimit-Reset": str(int(time.time() + 5))}, id="epoch-s"),
        pytest.param(
            lambda: {"X-RateLimit-Reset": str(int((time.time() + 5) * 1000))}, id="epoch-ms"
        ),
    ],
)
async def test_rate_limit_waits_until_reset(headers) -> None:
    service = ScriptedService(rate_limited(headers()), json_response(200, BALANCE))
    sleep = FakeSleep()

    async with make_client(service, sleep) as client:
        await client.get_balance()

    assert len(service.requests) == 2
    assert len(sleep.delays) == 1
    assert 3.0 <= sleep.delays[0] <= 5.5


@pytest.mark.asyncio
async def test_long_rate_limit_raises_without_sleeping() -> None:
    service = ScriptedService(rate_limited({"Retry-After": "120"}))
    sleep = FakeSleep()

    async with make_client(service, sleep) as client:
        with pytest.raises(errors.RateLimitedError) as caught:
            await client.get_balance()

    assert sleep.delays == []
    assert caught.value.until is not None
    assert 110 < caught.value.until.timestamp() - time.time() < 130


@pytest.mark.asyncio
async def test_rate_limit_wait_bound_is_configurable() -> None:
    service = ScriptedService(rate_limited({"Retry-After": "5"}))

    async with make_client(service, max_rate_limit_wait_s=2.0) as client:
        with pytest.raises(errors.RateLimitedError):
            await client.get_balance()

    assert len(service.requests) == 1


@pytest.mark.asyncio
async def test_rate_limit_retries_are_bounded() -> None:
    service = ScriptedService(rate_limited({"Retry-After": "1"}))

    async with make_client(service, retry_policy=RetryPolicy(max_rate_limit_retries=2)) as client:
        with pytest.raises(errors.RateLimitedError):
            await client.get_balance()

    assert len(service.requests) == 3


@pytest.mark.asyncio
async def test_topup_retried_after_rate_limit() -> None:
    # The service checks the rate limit before acting, so a 429 bought nothing.
    service = ScriptedService(rate_limited({"Retry-After": "1"}), json_response(200, TOPUP))

    async with make_client(service) as client:
        await client.create_topup("8910300000000000018", "TOP1")

    assert len(service.requests) == 2


def invalid_timestamp(server_time: float | None) -> httpx.Response:
    headers = {}
    if server_time is not None:
        headers["Date"] = format_datetime(datetime.fromtimestamp(server_time, UTC), usegmt=True)
    body = {"success": False, "code": "INVALID_TIMESTAMP", "message": "Timestamp out of range"}
    return json_response(401, body, headers)


@pytest.mark.asyncio
async def test_clock_skew_corrected_once() -> None:
    skew = 900.0
    service = ScriptedService(invalid_timestamp(time.time() + skew), json_response(200, BALANCE))

    async with make_client(service) as client:
        await client.get_balance()
        offset = client.clock_offset_s

    first, second = (int(r.headers["RT-Timestamp"]) for r in service.requests)
    assert abs(offset - skew) < 2
    assert abs((second - first) / 1000 - skew) < 2
    assert service.bad_signatures == 0


@pytest.mark.asyncio
async def test_clock_skew_persisting_raises() -> None:
    # The server keeps rejecting, for example because its own clock jumps again.
    answers = [invalid_timestamp(time.time() + 900), invalid_timestamp(time.time() + 1800)]
    service = ScriptedService(*answers)

    async with make_client(service) as client:
        with pytest.raises(errors.ClockSkewError) as caught:
            await client.get_balance()

    assert caught.value.skew_s is not None
    assert caught.value.skew_s > 1000
    assert caught.value.code == "INVALID_TIMESTAMP"
    assert len(service.requests) == 2


@pytest.mark.asyncio
async def test_clock_skew_without_date_header() -> None:
    service = ScriptedService(invalid_timestamp(None))

    async with make_client(service) as client:
        with pytest.raises(errors.ClockSkewError) as caught:
            await client.get_balance()

    assert caught.value.skew_s is None
    assert len(service.requests) == 1


@pytest.mark.asyncio
async def test_rate_limit_state_from_headers() -> None:
    reset = int(time.time() + 40)
    headers = {
        "X-RateLimit-Limit": "100",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": str(reset),
    }
    service = ScriptedService(json_response(200, BALANCE, headers))

    async with make_client(service) as client:
        await client.get_balance()

        assert client.rate_limit.limit == 100
        assert client.rate_limit.remaining == 0
        assert client.rate_limit.reset_at == reset
        assert 35 < client.seconds_until_request_allowed() <= 40


@pytest.mark.asyncio
async def test_requests_allowed_while_remaining() -> None:
    headers = {
        "X-RateLimit-Limit": "100",
        "X-RateLimit-Remaining": "7",
        "X-RateLimit-Reset": iso_in(30),
    }

    async with make_client(ScriptedService(json_response(200, BALANCE, headers))) as client:
        await client.get_balance()

        assert client.seconds_until_request_allowed() == 0
        assert client.rate_limit.remaining == 7


def test_backoff_grows_and_is_capped() -> None:
    policy = RetryPolicy(base_delay_s=0.5, max_delay_s=4.0)
    rng = random.Random(7)

    delays = [policy.backoff_delay(n, rng) for n in range(1, 8)]

    assert 0.25 <= delays[0] <= 0.5
    assert 0.5 <= delays[1] <= 1.0
    assert all(2.0 <= delay <= 4.0 for delay in delays[3:])


@pytest.mark.asyncio
async def test_post_body_signed_and_sent_identically() -> None:
    service = ScriptedService(json_response(200, completed_order_json()))

    async with make_client(service) as client:
        await client.create_order("CKH002", 2, "sale-47")

    request = service.requests[0]
    assert json.loads(request.content)["quantity"] == 2
    assert request.headers["Content-Length"] == str(len(request.content))
    assert service.bad_signatures == 0


def certificate_failure() -> httpx.ConnectError:
    try:
        raise ssl.SSLCertVerificationError("certificate verify failed: self-signed certificate")
    except ssl.SSLCertVerificationError as cause:
        error = httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED]")
        error.__cause__ = cause
        return error


@pytest.mark.asyncio
async def test_rejected_certificate_not_retried() -> None:
    service = ScriptedService(certificate_failure(), json_response(200, BALANCE))

    async with make_client(service) as client:
        with pytest.raises(errors.TransportError) as caught:
            await client.get_balance()

    assert caught.value.certificate_rejected is True
    assert caught.value.request_sent is False
    assert "TLS certificate verification failed" in str(caught.value)
    assert len(service.requests) == 1
