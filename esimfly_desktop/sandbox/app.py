"""The business API as an ASGI app: body limit, routing, faults, auth, rate limits.

Each request passes these steps in order. The body is read (413 over 1 MiB)
and the path and method are matched (404, 405). Then the latency and
error-rate faults apply, the RT-* headers are checked, the rate budget is
spent, and the handler runs. Every response carries the X-RateLimit-*
headers and a Date header from the sandbox's (possibly shifted) clock.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from esimfly_desktop.sandbox import jsonmoney
from esimfly_desktop.sandbox.auth import authenticate
from esimfly_desktop.sandbox.errors import SandboxApiError
from esimfly_desktop.sandbox.rate_limit import RateState
from esimfly_desktop.sandbox.state import SandboxState

log = logging.getLogger(__name__)

BASE_PATH = "/api/v1/business"
MAX_BODY_BYTES = 1024 * 1024
DEFAULT_SERVER_ERROR = (
    503,
    "SERVICE_UNAVAILABLE",
    "The service is temporarily unavailable; try again.",
)


@dataclass
class Call:
    """One authenticated request, as passed to a handler."""

    state: SandboxState
    access_code: str
    method: str
    query: dict[str, str]
    raw_body: bytes
    client_port: int | None
    _json: Any = field(default=None, init=False)

    def json(self) -> dict[str, Any]:
        """Return the body as a JSON object or raise INVALID_JSON."""
        if self._json is None:
            try:
                parsed = jsonmoney.loads(self.raw_body) if self.raw_body.strip() else {}
            except ValueError:
                raise SandboxApiError(
                    400, "INVALID_JSON", "The request body is not valid JSON."
                ) from None
            if not isinstance(parsed, dict):
                raise SandboxApiError(
                    400, "INVALID_JSON", "The request body must be a JSON object."
                )
            self._json = parsed
        return self._json


Handler = Callable[[Call], Awaitable[dict[str, Any]]]


class BusinessApp:
    """ASGI callable serving ``routes`` under /api/v1/business."""

    def __init__(self, state: SandboxState, routes: dict[str, dict[str, Handler]]) -> None:
        self.state = state
        self.routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        request = Request(scope, receive)
        response = await self._respond(request)
        await response(scope, receive, send)

    async def _respond(self, request: Request) -> Response:
        state = self.state
        bucket = f"address:{request.client.host if request.client else '?'}"
        status, body, extra_headers = 200, {}, {}
        try:
            raw_body = await _read_body(request)
            handler = self._route(request)
            await self._apply_faults(handler)

            def attribute(access_code: str, known: bool) -> None:
                nonlocal bucket
                bucket = f"account:{access_code}" if known else bucket
                if not known:
                    _spend(state, bucket)

            signed = authenticate(
                request.headers,
                raw_body,
                int(state.now() * 1000),
                lambda code: _secret_of(state, code),
                lambda request_id: state.store.remember_request_id(request_id, state.now()),
                attribute,
            )
            _spend(state, bucket)

            call = Call(
                state=state,
                access_code=signed.access_code,
                method=request.method,
                query=dict(request.query_params),
                raw_body=raw_body,
                client_port=request.client.port if request.client else None,
            )
            body = await handler(call)
        except SandboxApiError as failure:
            status, body, extra_headers = failure.status, failure.body(), failure.headers
            log.info(
                "%s %s -> %d %s (request %s)",
                request.method,
                request.url.path,
                status,
                failure.code,
                request.headers.get("RT-RequestID", "-"),
            )
        except Exception:
            log.exception(
                "Unexpected error on %s %s (request %s)",
                request.method,
                request.url.path,
                request.headers.get("RT-RequestID", "-"),
            )
            status = 500
            body = {"success": False, "code": "INTERNAL_ERROR", "message": "Internal error."}

        headers = state.limiter.peek(bucket, state.now()).headers()
        headers.update(extra_headers)
        headers["Date"] = formatdate(state.now(), usegmt=True)
        return Response(jsonmoney.dumps(body), status, headers, media_type="application/json")

    def _route(self, request: Request) -> Handler:
        path = request.url.path.rstrip("/")
        if not path.startswith(BASE_PATH):
            raise SandboxApiError(404, "NOT_FOUND", f"No endpoint at {request.url.path}.")
        methods = self.routes.get(path[len(BASE_PATH) :])
        if methods is None:
            raise SandboxApiError(404, "NOT_FOUND", f"No endpoint at {request.url.path}.")
        handler = methods.get(request.method)
        if handler is None:
            allowed = ", ".join(sorted(methods))
            raise SandboxApiError(
                405,
                "METHOD_NOT_ALLOWED",
                f"{request.method} is not allowed here; use {allowed}.",
                headers={"Allow": allowed},
            )
        return handler

    async def _apply_faults(self, handler: Handler) -> None:
        faults = self.state.faults
        if faults.latency_ms and not getattr(handler, "applies_latency_itself", False):
            await asyncio.sleep(faults.latency_ms / 1000)
        if faults.roll_error():
            # An endpoint may name its own server error (status, code, message).
            status, code, message = getattr(handler, "server_error", DEFAULT_SERVER_ERROR)
            raise SandboxApiError(status, code, message)


async def _read_body(request: Request) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise _too_large()
    chunks = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise _too_large()
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large() -> SandboxApiError:
    return SandboxApiError(413, "PAYLOAD_TOO_LARGE", "The request body is larger than 1 MiB.")


def _secret_of(state: SandboxState, access_code: str) -> str | None:
    row = state.store.account(access_code)
    return None if row is None else str(row["secret"])


def _spend(state: SandboxState, bucket: str) -> None:
    rate: RateState = state.limiter.spend(bucket, state.now())
    if not rate.allowed:
        raise SandboxApiError(
            429,
            "RATE_LIMIT_EXCEEDED",
            f"Too many requests; try again in {rate.retry_after_s} seconds.",
            headers=rate.headers(),
            details={"retry_after_seconds": rate.retry_after_s},
        )
