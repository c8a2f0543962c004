"""The admin API on its own loopback port, for training and tests.

Every request needs ``Authorization: Bearer <admin_token>`` (the token is in
sandbox.json). Endpoints:

- ``POST /admin/faults`` with any of ``latency_ms``, ``error_rate``,
  ``outage``, ``drop_after_commit``, ``clock_offset_s``; ``GET`` shows them;
  ``DELETE`` clears them. An outage stays on across restarts until it is
  ended. The other faults last one run.
- ``POST /admin/esims/{iccid}/install`` (``{"device_model": ...}`` optional),
  ``/usage`` (``{"megabytes": ...}`` used so far), ``/expire``.
- ``POST /admin/accounts/{access_code}/funds`` with ``{"amount": ...}``.
- ``POST /admin/accounts`` creates another account (for access-denied cases).
- ``GET /admin/ledger`` (``?access_code=`` optional): every order, charge,
  refund and loaded amount.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from esimfly_desktop.sandbox import esim_admin, jsonmoney, params
from esimfly_desktop.sandbox.errors import SandboxApiError
from esimfly_desktop.sandbox.faults import OUTAGE_META_KEY
from esimfly_desktop.sandbox.proxy import FaultProxy
from esimfly_desktop.sandbox.state import SandboxState

log = logging.getLogger(__name__)

AdminHandler = Callable[[Request, dict[str, Any], re.Match[str]], Awaitable[dict[str, Any]]]


class AdminApp:
    def __init__(self, state: SandboxState, proxy: FaultProxy, token: str) -> None:
        self.state = state
        self.proxy = proxy
        self.token = token
        self.routes: list[tuple[str, re.Pattern[str], AdminHandler]] = [
            ("GET", re.compile(r"/admin/faults"), self.get_faults),
            ("POST", re.compile(r"/admin/faults"), self.set_faults),
            ("DELETE", re.compile(r"/admin/faults"), self.clear_faults),
            ("POST", re.compile(r"/admin/esims/(?P<iccid>\d+)/install"), self.install),
            ("POST", re.compile(r"/admin/esims/(?P<iccid>\d+)/usage"), self.set_usage),
            ("POST", re.compile(r"/admin/esims/(?P<iccid>\d+)/expire"), self.expire),
            ("POST", re.compile(r"/admin/accounts"), self.add_account),
            ("POST", re.compile(r"/admin/accounts/(?P<code>[^/]+)/funds"), self.load_funds),
            ("GET", re.compile(r"/admin/ledger"), self.get_ledger),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        request = Request(scope, receive)
        try:
            body = await self._dispatch(request)
            status = 200
        except SandboxApiError as failure:
            status, body = failure.status, failure.body()
        response = Response(jsonmoney.dumps(body), status, media_type="application/json")
        await response(scope, receive, send)

    async def _dispatch(self, request: Request) -> dict[str, Any]:
        offered = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(offered.encode(), self.token.encode()):
            raise SandboxApiError(
                401,
                "UNAUTHORIZED",
                "The admin token is missing or invalid; use admin_token from sandbox.json.",
            )

        path = request.url.path.rstrip("/")
        path_matches = False
        for method, pattern, handler in self.routes:
            match = pattern.fullmatch(path)
            if match is None:
                continue
            path_matches = True
            if method == request.method:
                return await handler(request, await _json_body(request), match)
        if path_matches:
            raise SandboxApiError(
                405, "METHOD_NOT_ALLOWED", f"{request.method} is not allowed here."
            )
        raise SandboxApiError(404, "NOT_FOUND", f"No admin endpoint at {request.url.path}.")

    async def get_faults(
        self, request: Request, body: dict[str, Any], match: re.Match[str]
    ) -> dict[str, Any]:
        return {"success": True, "faults": self.state.faults.snapshot()}

    async def set_faults(
        self, request: Request, body: dict[str, Any], match: re.Match[str]
    ) -> dict[str, Any]:
        try:
            self.state.faults.update(body)
        except ValueError as error:
            raise SandboxApiError(400, "INVALID_PARAMETER", str(error)) from None
        await self.proxy.apply_outage()
        self._remember_outage()
        log.info("Faults set: %s", self.state.faults.snapshot())
        return {"success": True, "faults": self.state.faults.snapshot()}

    async def clear_faults(
        self, request: Request, body: dict[str, Any], match: re.Match[str]
    ) -> dict[str, Any]:
        self.state.faults.clear()
        await self.proxy.apply_outage()
        self._remember_outage()
        log.info("Faults cleared")
        return {"success": True, "faults": self.state.faults.snapshot()}

    def _remember_outage(self) -> None:
        self.state.store.set_meta(OUTAGE_META_KEY, "1" if self.state.faults.outage else "0")

    async def install(
        self, request: Request, body: dict[str, Any], match: re.Match[str]
    ) -> dict[str, Any]:
        model = params.text(body, "device_model") or "iPhone 15"
        return {"success": True, "esim": esim_admin.install(self.state, match["iccid"], model)}

    async def set_usage(
        self, request: Request, body: dict[str, Any], match: re.Match[str]
    ) -> dict[str, Any]:
        megabytes = params.money(body.get("megabytes"), "megabytes")
        return {
            "success": True,
            "esim": esim_admin.set_usage(self.state, match["iccid"], megabytes),
        }

    async def expire(
        self, request: Request, body: dict[str, Any], match: re.Match[str]
    ) -> dict[str, Any]:
        return {"success": True, "esim": esim_admin.expire(self.state, match["iccid"])}

    async def add_account(
        self, request: Request, body: dict[str, Any], match: re.Match[str]
    ) -> dict[str, Any]:
        balance = params.money(body.get("balance", "0"), "balance")
        access_code, secret = esim_admin.add_account(self.state, balance)
        return {"success": True, "access_code": access_code, "secret": secret}

    async def load_funds(
        self, request: Request, body: dict[str, Any], match: re.Match[str]
    ) -> dict[str, Any]:
        amount = params.money(body.get("amount"), "amount")
        if amount <= 0:
            raise SandboxApiError(400, "INVALID_PARAMETER", "amount must be positive.")
        balance = esim_admin.load_funds(self.state, match["code"], amount)
        return {"success": True, "balance": balance, "currency": self.state.currency}

    async def get_ledger(
        self, request: Request, body: dict[str, Any], match: re.Match[str]
    ) -> dict[str, Any]:
        entries = self.state.store.ledger(request.query_params.get("access_code"))
        return {"success": True, "entries": entries}


async def _json_body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw, parse_float=Decimal)
    except ValueError:
        raise SandboxApiError(400, "INVALID_JSON", "The request body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise SandboxApiError(400, "INVALID_JSON", "The request body must be a JSON object.")
    return body
