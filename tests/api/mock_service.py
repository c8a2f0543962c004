"""An httpx.MockTransport stand-in for the service, for tests that script its responses.

``ScriptedService`` checks each request's signature with its own HMAC code
(written from the contract, not the client's signer), records the request and
returns the next scripted response: an httpx.Response, or an exception to raise.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import httpx

from esimfly_desktop.api import Credentials, EsimflyClient, RetryPolicy

BASE_URL = "http://127.0.0.1:9/api/v1/business"
CREDENTIALS = Credentials("esf_test_0001", "sk_test_secret_0001")

Answer = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
    text = json.dumps(body, default=lambda value: _raw_number(value))
    return httpx.Response(
        status,
        content=text.encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
    )


def _raw_number(value: object) -> float:
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(type(value).__name__)


def expected_signature(request: httpx.Request, secret: str) -> str:
    message = (
        request.headers["RT-Timestamp"]
        + request.headers["RT-RequestID"]
        + request.headers["RT-AccessCode"]
    ).encode() + request.content
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest().upper()


class ScriptedService:
    """Return scripted responses in order; the last one repeats when the script runs out."""

    def __init__(self, *answers: Answer) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []
        self.bad_signatures = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.headers.get("RT-Signature") != expected_signature(
            request, CREDENTIALS.secret_key
        ):
            self.bad_signatures += 1
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        if callable(answer) and not isinstance(answer, httpx.Response):
            return answer(request)
        return answer

    def bodies(self) -> list[dict[str, Any]]:
        return [json.loads(request.content) for request in self.requests]


class FakeSleep:
    """An injectable sleep that records the delays instead of waiting."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)


def make_client(
    service: ScriptedService, sleep: FakeSleep | None = None, **kwargs: Any
) -> EsimflyClient:
    return EsimflyClient(
        BASE_URL,
        CREDENTIALS,
        transport=httpx.MockTransport(service),
        sleep=sleep or FakeSleep(),
        retry_policy=kwargs.pop("retry_policy", RetryPolicy()),
        **kwargs,
    )


def package_json(code: str = "CKH002", **overrides: Any) -> dict[str, Any]:
    package = {
        "package_code": code,
        "name": "Japan 1GB 7 days",
        "region": "Japan",
        "type": "local",
        "data_amount_gb": 1,
        "validity_days": 7,
        "cost": Decimal("4.50"),
        "currency": "USD",
        "features": {"voice_minutes": None, "sms_count": None, "is_rechargeable": True},
        "is_unlimited": False,
        "has_voice": False,
        "has_sms": False,
        "countries": ["JP"],
        "provider": "Harbor",
        "networks": [{"network_name": "Docomo", "network_type": "5G", "country_iso2": "JP"}],
        "has_5g": True,
        "has_hotspot": True,
        "activation_policy": "first_use",
    }
    package.update(overrides)
    return package


LPA = "LPA:1$smdp.example.test$AB12-CD34-EF56"


def completed_order_json(reference: str = "order_1733300000000_abcde", **overrides: Any) -> dict:
    body = {
        "success": True,
        "message": "Order completed",
        "orderReference": reference,
        "esimId": "1",
        "packageName": "Japan 1GB 7 days",
        "newBalance": Decimal("995.50"),
        "currency": "USD",
        "status": "completed",
        "amount": Decimal("4.50"),
        "final_price": Decimal("4.50"),
        "lpaString": LPA,
        "qrCodeUrl": "data:image/png;base64,AAAA",
        "directAppleInstallUrl": "https://esimsetup.apple.com/esim_qrcode_provisioning?carddata="
        + LPA,
        "esims": [
            {
                "iccid": "8910300000000000018",
                "lpaString": LPA,
                "qrCodeUrl": "data:image/png;base64,AAAA",
                "directAppleInstallUrl": "https://esimsetup.apple.com/x",
                "status": "New",
                "profile_status": "Released",
                "total_volume": 1073741824,
                "total_duration": 7,
                "expired_time": "2027-01-01T00:00:00Z",
            }
        ],
    }
    body.update(overrides)
    return body
