"""Signed requests with bounded retries: the machinery under every EsimflyClient call.

One attempt is one signed request with a fresh request id, timestamp and
signature. ``ApiSession.request`` repeats attempts as the request's
RetryMode allows, waits out short rate limits, corrects the clock once after
INVALID_TIMESTAMP, and turns every failure into a typed error.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

from esimfly_desktop import crashpoints
from esimfly_desktop.api import errors
from esimfly_desktop.api.base_url import is_loopback_host
from esimfly_desktop.api.clock import ServerClock
from esimfly_desktop.api.error_table import build_api_error
from esimfly_desktop.api.http_client import build_http_client
from esimfly_desktop.api.json_reader import JsonObject, Origin, decode_json
from esimfly_desktop.api.rate_limit import RateLimitState, rate_limited_until
from esimfly_desktop.api.request_body import encode_body
from esimfly_desktop.api.request_log import RequestLog
from esimfly_desktop.api.retry import (
    RetryMode,
    RetryPolicy,
    is_certificate_error,
    request_was_sent,
)
from esimfly_desktop.api.signing import Credentials, new_request_id, signed_headers

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]
QueryParams = Mapping[str, str | int]

# A hard bound on attempts of one call, whatever mix of failures occurs.
MAX_ATTEMPTS = 30


@dataclass(frozen=True)
class RequestSpec:
    """One API call: what to send and how it may be repeated."""

    method: str
    path: str
    params: QueryParams | None = None
    json_body: Mapping[str, Any] | None = None
    mode: RetryMode = RetryMode.READ
    crash_points: bool = False

    @property
    def endpoint(self) -> str:
        return f"{self.method} {self.path}"


class _CrashPointBody(httpx.AsyncByteStream):
    """A request body that passes the AFTER_REQUEST_WRITTEN crash point once it is written.

    httpcore requests the next chunk only after writing the previous one, so
    the code after ``yield`` runs once the whole body is on the connection.
    """

    def __init__(self, body: bytes) -> None:
        self._body = body

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self._body
        crashpoints.reach(crashpoints.AFTER_REQUEST_WRITTEN)


class ApiSession:
    """Signs, sends and repeats requests for one base URL and one key pair."""

    def __init__(
        self,
        base_url: str,
        credentials: Credentials,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        retry_policy: RetryPolicy | None = None,
        max_rate_limit_wait_s: float = 30.0,
        sleep: Sleep = asyncio.sleep,
        clock: ServerClock | None = None,
    ) -> None:
        self.base_url = base_url
        self._credentials = credentials
        self._transport = transport
        # A proxy cannot reach the sandbox on this machine's loopback address.
        self._use_proxy_environment = not is_loopback_host(urlsplit(base_url).hostname or "")
        self._http = self._build_http_client()
        self.retry_policy = retry_policy or RetryPolicy()
        self.max_rate_limit_wait_s = max_rate_limit_wait_s
        self._sleep = sleep
        self.clock = clock or ServerClock()
        self.rate_limit = RateLimitState()
        self.request_log = RequestLog()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def reset_connections(self) -> None:
        """Drop pooled connections, for example after the network changed.

        Requests still running on the old connections fail with a
        TransportError and are repeated as their RetryMode allows.
        """
        old = self._http
        self._http = await asyncio.to_thread(self._build_http_client)
        if self._transport is None:
            await old.aclose()
        log.info("Dropped pooled connections to %s", self.base_url)

    def _build_http_client(self) -> httpx.AsyncClient:
        return build_http_client(self._transport, use_proxy_environment=self._use_proxy_environment)

    async def request(self, spec: RequestSpec) -> JsonObject:
        """Send ``spec`` until it succeeds or may not be repeated; return the decoded body."""
        body = encode_body(spec.json_body) if spec.json_body is not None else None
        counts = _RetryCounts()

        for _attempt in range(MAX_ATTEMPTS):
            request_id = new_request_id()
            try:
                response = await self._send_once(spec, body, request_id)
            except httpx.TransportError as error:
                await self._before_transport_retry(spec, error, request_id, counts)
                continue

            if spec.crash_points:
                crashpoints.reach(crashpoints.AFTER_SERVER_COMMITTED)
            decoded = self._decode(spec, response, request_id)
            if response.is_success and decoded is not None and decoded.get("success") is not False:
                return JsonObject(decoded, Origin(spec.endpoint, request_id))

            api_error = self._api_error(response, decoded, request_id)
            await self._before_error_retry(spec, response, api_error, counts)

        raise errors.TransportError(
            f"gave up after {MAX_ATTEMPTS} attempts",
            method=spec.method, path=spec.path, request_id=request_id, request_sent=True,
        )  # fmt: skip

    async def _send_once(
        self, spec: RequestSpec, body: bytes | None, request_id: str
    ) -> httpx.Response:
        headers = signed_headers(
            self._credentials,
            timestamp_ms=self.clock.timestamp_ms(),
            request_id=request_id,
            body=body or b"",
        )
        if body is not None:
            headers["Content-Type"] = "application/json"
        request = self._http.build_request(
            spec.method,
            self.base_url + spec.path,
            params=spec.params,
            content=body,
            headers=headers,
        )
        if spec.crash_points and body is not None:
            # A new Request, because one built from bytes keeps them cached and a
            # transport may read the cache instead of iterating the stream.
            request = httpx.Request(
                request.method,
                request.url,
                headers=request.headers,
                stream=_CrashPointBody(body),
                extensions=request.extensions,
            )

        started = time.perf_counter()
        try:
            response = await self._http.send(request)
        except httpx.TransportError as error:
            self.request_log.record(
                spec.method, spec.path, request_id,
                status=None, duration_s=time.perf_counter() - started, error=type(error).__name__,
            )  # fmt: skip
            raise

        self.clock.measure(response.headers.get("Date"))
        self.rate_limit.update(response.headers, server_now=self.clock.now())
        self.request_log.record(
            spec.method, spec.path, request_id,
            status=response.status_code, duration_s=time.perf_counter() - started,
        )  # fmt: skip
        return response

    def _decode(
        self, spec: RequestSpec, response: httpx.Response, request_id: str
    ) -> Mapping[str, Any] | None:
        """Return the JSON object of the body; None for a non-JSON error response."""
        try:
            decoded = decode_json(response.content)
        except ValueError:
            decoded = None
        if isinstance(decoded, Mapping):
            return decoded
        if response.is_success:
            if decoded is None:
                content_type = response.headers.get("Content-Type", "")
                raise errors.NonJsonResponseError(
                    spec.endpoint, request_id, response.status_code, content_type
                )
            raise errors.ResponseFormatError(
                spec.endpoint, "<body>", request_id, "is not a JSON object"
            )
        return None

    def _api_error(
        self, response: httpx.Response, decoded: Mapping[str, Any] | None, request_id: str
    ) -> errors.ApiError:
        until = None
        if response.status_code == 429:
            until = rate_limited_until(response.headers, server_now=self.clock.now())
        if decoded is None:
            content_type = response.headers.get("Content-Type", "") or "missing"
            decoded = {
                "message": f"HTTP {response.status_code} with a non-JSON body "
                f"(Content-Type {content_type})"
            }
        return build_api_error(
            response.status_code,
            decoded,
            request_id,
            rate_limited_until=_as_datetime(until),
        )

    async def _before_transport_retry(
        self,
        spec: RequestSpec,
        error: httpx.TransportError,
        request_id: str,
        counts: _RetryCounts,
    ) -> None:
        """Sleep before repeating after a network failure, or raise TransportError."""
        sent = request_was_sent(error)
        policy = self.retry_policy
        if not policy.may_retry_transport(spec.mode, error) or (
            counts.failures >= policy.max_failure_retries
        ):
            certificate_rejected = is_certificate_error(error)
            reason = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
            if certificate_rejected:
                reason = f"TLS certificate verification failed ({reason})"
            log.warning(
                "%s failed after %d retries: %s (request id %s, request sent: %s)",
                spec.endpoint, counts.failures, reason, request_id, sent,
            )  # fmt: skip
            raise errors.TransportError(
                reason,
                method=spec.method, path=spec.path, request_id=request_id, request_sent=sent,
                certificate_rejected=certificate_rejected,
            ) from error  # fmt: skip

        counts.failures += 1
        delay = policy.backoff_delay(counts.failures)
        log.warning(
            "Retrying %s in %.1f s after %s (request id %s, retry %d of %d)",
            spec.endpoint, delay, type(error).__name__, request_id,
            counts.failures, policy.max_failure_retries,
        )  # fmt: skip
        await self._sleep(delay)

    async def _before_error_retry(
        self,
        spec: RequestSpec,
        response: httpx.Response,
        error: errors.ApiError,
        counts: _RetryCounts,
    ) -> None:
        """Sleep before repeating after an error response, or raise ``error``.

        An INVALID_TIMESTAMP that a clock correction cannot fix is raised as
        ClockSkewError instead.
        """
        policy = self.retry_policy

        if isinstance(error, errors.RateLimitedError):
            await self._wait_for_rate_limit(spec, error, counts)
            return

        if isinstance(error, errors.InvalidTimestampError):
            self._correct_clock(response, error, counts)
            return

        if (
            spec.mode is RetryMode.IDEMPOTENT
            and response.status_code == 409
            and isinstance(error, errors.DuplicateRequestError)
            and counts.in_flight < policy.max_in_flight_retries
        ):
            counts.in_flight += 1
            log.info(
                "Order still in flight at the server; repeating %s with the same idempotency key"
                " in %.1f s (request id %s)",
                spec.endpoint, policy.in_flight_delay_s, error.request_id,
            )  # fmt: skip
            await self._sleep(policy.in_flight_delay_s)
            return

        if (
            policy.may_retry_status(spec.mode, response.status_code)
            and counts.failures < policy.max_failure_retries
        ):
            counts.failures += 1
            delay = policy.backoff_delay(counts.failures)
            log.warning(
                "Retrying %s in %.1f s after HTTP %d (request id %s, retry %d of %d)",
                spec.endpoint, delay, response.status_code, error.request_id,
                counts.failures, policy.max_failure_retries,
            )  # fmt: skip
            await self._sleep(delay)
            return

        raise error

    async def _wait_for_rate_limit(
        self, spec: RequestSpec, error: errors.RateLimitedError, counts: _RetryCounts
    ) -> None:
        if error.until is None or counts.rate_limited >= self.retry_policy.max_rate_limit_retries:
            raise error
        wait_s = error.until.timestamp() - self.clock.now()
        if wait_s > self.max_rate_limit_wait_s:
            log.warning(
                "Rate limited until %s, longer than %.0f s; not waiting (request id %s)",
                error.until.isoformat(), self.max_rate_limit_wait_s, error.request_id,
            )  # fmt: skip
            raise error

        counts.rate_limited += 1
        wait_s = max(wait_s, 0.05)
        log.warning(
            "Rate limited; repeating %s in %.1f s (request id %s)",
            spec.endpoint, wait_s, error.request_id,
        )  # fmt: skip
        await self._sleep(wait_s)

    def _correct_clock(
        self, response: httpx.Response, error: errors.InvalidTimestampError, counts: _RetryCounts
    ) -> None:
        """Adopt the server's clock once, or raise ClockSkewError."""
        skew = self.clock.measure(response.headers.get("Date"))
        if not counts.clock_corrected and skew is not None and self.clock.correct(skew):
            counts.clock_corrected = True
            return
        raise errors.ClockSkewError(
            error.code, error.status, error.message, error.request_id, error.details,
            skew_s=skew,
        ) from error  # fmt: skip


@dataclass
class _RetryCounts:
    failures: int = 0
    rate_limited: int = 0
    in_flight: int = 0
    clock_corrected: bool = False


def _as_datetime(epoch_s: float | None) -> datetime | None:
    return datetime.fromtimestamp(epoch_s, UTC) if epoch_s is not None else None
