"""Request authentication: the four RT-* headers, checked in the contract's order.

The signature is uppercase hex HMAC-SHA256 with the secret key as key over
``timestamp + requestId + accessCode + raw body``. The sandbox compares it
case-insensitively and in constant time. This module is written apart from
the API client's signer on purpose, so a misreading on one side shows up as a
failed request.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from esimfly_desktop.sandbox.errors import SandboxApiError

TIMESTAMP_TOLERANCE_MS = 5 * 60 * 1000
UUID4_PATTERN = re.compile(
    r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", re.IGNORECASE
)
HEADERS = ("RT-AccessCode", "RT-RequestID", "RT-Timestamp", "RT-Signature")


def compute_signature(
    secret: str, timestamp: str, request_id: str, access_code: str, body: bytes
) -> str:
    """Return the uppercase hex signature for one request."""
    message = timestamp.encode() + request_id.encode() + access_code.encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest().upper()


def signature_matches(expected: str, received: str) -> bool:
    """Compare two hex signatures in constant time, ignoring letter case."""
    return hmac.compare_digest(expected.upper().encode(), received.upper().encode("utf-8"))


@dataclass(frozen=True)
class SignedHeaders:
    access_code: str
    request_id: str
    timestamp: str
    signature: str


def read_headers(headers: Mapping[str, str]) -> SignedHeaders:
    """Return the four headers or raise HMAC_REQUIRED (401) when one is missing or empty."""
    values = [headers.get(name, "").strip() for name in HEADERS]
    missing = [name for name, value in zip(HEADERS, values, strict=True) if not value]
    if missing:
        raise SandboxApiError(
            401,
            "HMAC_REQUIRED",
            "Authentication headers are missing: " + ", ".join(missing) + ".",
            details={"missing_headers": missing},
        )
    return SignedHeaders(*values)


def check_request_id(request_id: str) -> None:
    if not UUID4_PATTERN.match(request_id):
        raise SandboxApiError(400, "INVALID_REQUEST_ID", "RT-RequestID must be a UUID version 4.")


def check_timestamp(timestamp: str, server_now_ms: int) -> None:
    """Raise INVALID_TIMESTAMP (401) unless ``timestamp`` is epoch ms within ±5 minutes."""
    if not timestamp.isdigit():
        raise SandboxApiError(
            401, "INVALID_TIMESTAMP", "RT-Timestamp must be Unix time in milliseconds."
        )
    skew_ms = int(timestamp) - server_now_ms
    if abs(skew_ms) > TIMESTAMP_TOLERANCE_MS:
        raise SandboxApiError(
            401,
            "INVALID_TIMESTAMP",
            "RT-Timestamp is more than 5 minutes away from the server time; "
            "check the computer's clock.",
            details={"server_time_ms": server_now_ms, "skew_ms": skew_ms},
        )


def authenticate(
    headers: Mapping[str, str],
    body: bytes,
    server_now_ms: int,
    find_secret: Callable[[str], str | None],
    remember_request_id: Callable[[str], bool],
    before_signature_check: Callable[[str, bool], None] | None = None,
) -> SignedHeaders:
    """Run every check in order and return the headers of an authentic request.

    ``find_secret`` returns an access code's secret or None when unknown.
    ``before_signature_check(access_code, known)`` runs once the access code
    is looked up, so the caller can attribute the request to a rate budget.
    ``remember_request_id`` records the id and returns False for a replay.
    """
    signed = read_headers(headers)
    check_request_id(signed.request_id)
    check_timestamp(signed.timestamp, server_now_ms)

    secret = find_secret(signed.access_code)
    if before_signature_check is not None:
        before_signature_check(signed.access_code, secret is not None)
    if secret is None:
        raise SandboxApiError(401, "INVALID_API_KEY", "The access code is not known.")

    expected = compute_signature(
        secret, signed.timestamp, signed.request_id, signed.access_code, body
    )
    if not signature_matches(expected, signed.signature):
        raise SandboxApiError(
            401, "INVALID_SIGNATURE", "The request signature does not match the request."
        )

    if not remember_request_id(signed.request_id):
        raise SandboxApiError(
            400, "DUPLICATE_REQUEST", "This RT-RequestID was already used in the last 24 hours."
        )
    return signed
