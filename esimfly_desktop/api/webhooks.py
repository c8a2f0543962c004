"""Verification of webhook deliveries from the eSIMfly service.

The ``X-Webhook-Signature`` header is ``sha256=`` followed by the lowercase
hex HMAC-SHA256 of the raw request body, keyed with the ``whsec_…`` secret.
Verify the bytes as received: re-serialised JSON would differ.
"""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "X-Webhook-Signature"
EVENT_HEADER = "X-Webhook-Event"
DELIVERY_ID_HEADER = "X-Webhook-Id"
TIMESTAMP_HEADER = "X-Webhook-Timestamp"
SIGNATURE_PREFIX = "sha256="


def webhook_signature(secret: str, raw_body: bytes) -> str:
    """Return the header value a delivery of ``raw_body`` carries: ``sha256=<hex>``."""
    digest = hmac.new(secret.encode("utf-8"), raw_body, hashlib.sha256).hexdigest()
    return SIGNATURE_PREFIX + digest


def verify_webhook_signature(secret: str, raw_body: bytes, signature_header: str | None) -> bool:
    """Return True when the header matches the body, compared in constant time."""
    if not signature_header or not signature_header.startswith(SIGNATURE_PREFIX):
        return False
    expected = webhook_signature(secret, raw_body).encode("ascii")
    received = signature_header.strip().lower().encode("ascii", errors="replace")
    return hmac.compare_digest(expected, received)
