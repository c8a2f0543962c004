"""Signed raw HTTP calls written from the API contract alone (no code from the client).

The signature is uppercase hex HMAC-SHA256 over timestamp + request id +
access code + raw body, as the contract's authentication section states.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from decimal import Decimal
from typing import Any

import httpx

PENDING_PROVIDER = "Kestrel Mobile"


def sign(secret: str, timestamp: str, request_id: str, access_code: str, body: bytes) -> str:
    message = (timestamp + request_id + access_code).encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest().upper()


def encode(body: dict[str, Any]) -> bytes:
    """Encode with Decimal written exactly as a JSON number."""
    marked = {
        key: f"@@{value}@@" if isinstance(value, Decimal) else value for key, value in body.items()
    }
    text = json.dumps(marked, separators=(",", ":"))
    for value in body.values():
        if isinstance(value, Decimal):
            text = text.replace(f'"@@{value}@@"', str(value))
    return text.encode()


class RawApi:
    """One account's view of the business API, over a plain httpx.Client."""

    def __init__(self, base_url: str, access_code: str, secret: str) -> None:
        self.base_url = base_url
        self.access_code = access_code
        self.secret = secret
        self.http = httpx.Client(timeout=15, trust_env=False)

    def close(self) -> None:
        self.http.close()

    def headers(self, body: bytes = b"", **overrides: str | None) -> dict[str, str]:
        """Signed headers; an override of None leaves that header out."""
        values: dict[str, str | None] = {
            "RT-AccessCode": self.access_code,
            "RT-RequestID": str(uuid.uuid4()),
            "RT-Timestamp": str(int(time.time() * 1000)),
        }
        names = {
            "access_code": "RT-AccessCode",
            "request_id": "RT-RequestID",
            "timestamp": "RT-Timestamp",
        }
        for key, name in names.items():
            if key in overrides:
                values[name] = overrides[key]
        values["RT-Signature"] = sign(
            overrides.get("secret") or self.secret,
            values["RT-Timestamp"] or "",
            values["RT-RequestID"] or "",
            values["RT-AccessCode"] or "",
            body,
        )
        if "signature" in overrides:
            values["RT-Signature"] = overrides["signature"]
        headers = {name: value for name, value in values.items() if value is not None}
        headers["Content-Type"] = "application/json"
        return headers

    def request(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | bytes | None = None,
        params: dict[str, Any] | None = None,
        **overrides: str | None,
    ) -> httpx.Response:
        if body is None:
            raw = b""
        elif isinstance(body, bytes):
            raw = body
        else:
            raw = encode(body)
        return self.http.request(
            method,
            self.base_url + path,
            content=raw,
            params=params,
            headers=self.headers(raw, **overrides),
        )

    def get(
        self, path: str, params: dict[str, Any] | None = None, **overrides: str | None
    ) -> httpx.Response:
        return self.request("GET", path, None, params, **overrides)

    def post(
        self, path: str, body: dict[str, Any] | bytes | None = None, **overrides: str | None
    ) -> httpx.Response:
        return self.request("POST", path, body, None, **overrides)

    def find_package(
        self, search: str, *, pending: bool = False, rechargeable: bool | None = None
    ) -> dict[str, Any]:
        """Return the cheapest matching package that completes at once (or stays pending)."""
        packages = []
        for page in range(1, 6):
            answer = json_of(
                self.get("/esims/packages", {"search": search, "limit": 100, "page": page})
            )
            packages += answer["data"]["packages"]
            if page >= answer["data"]["pagination"]["total_pages"]:
                break
        candidates = [
            package
            for package in packages
            if (package["provider"] == PENDING_PROVIDER) == pending
            and (rechargeable is None or package["features"]["is_rechargeable"] == rechargeable)
        ]
        assert candidates, f"no package for {search!r} (pending={pending})"
        return min(candidates, key=lambda package: package["cost"])

    def order(self, package_code: str, quantity: int = 1, **fields: Any) -> httpx.Response:
        body = {
            "packageCode": package_code,
            "quantity": quantity,
            "idempotency_key": str(uuid.uuid4()),
        }
        body.update(fields)
        return self.post("/esims/order", body)


def json_of(response: httpx.Response) -> dict[str, Any]:
    return response.json(parse_float=Decimal)


class AdminCalls:
    """Synchronous admin API calls for tests that do not run an event loop."""

    def __init__(self, admin_url: str, admin_token: str) -> None:
        self.admin_url = admin_url
        self.headers = {"Authorization": f"Bearer {admin_token}"}

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        response = httpx.request(
            method,
            self.admin_url + path,
            json=body,
            headers=self.headers,
            timeout=10,
            trust_env=False,
        )
        assert response.status_code == 200, response.text
        return response.json(parse_float=Decimal)

    def ledger(self, access_code: str) -> list[dict[str, Any]]:
        response = httpx.get(
            self.admin_url + "/admin/ledger",
            params={"access_code": access_code},
            headers=self.headers,
            timeout=10,
            trust_env=False,
        )
        return response.json(parse_float=Decimal)["entries"]
