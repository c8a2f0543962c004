"""Request signing for the eSIMfly Business API.

Every request carries four headers. ``RT-Signature`` is the uppercase hex
HMAC-SHA256, keyed with the secret key, of the timestamp in milliseconds, the
request id, the access code and the raw body bytes joined with no separator.
The query string is not signed, and a GET signs an empty body.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass, field

ACCESS_CODE_HEADER = "RT-AccessCode"
REQUEST_ID_HEADER = "RT-RequestID"
TIMESTAMP_HEADER = "RT-Timestamp"
SIGNATURE_HEADER = "RT-Signature"


@dataclass(frozen=True)
class Credentials:
    """An API key pair; ``repr`` masks the access code and hides the secret."""

    access_code: str
    secret_key: str = field(repr=False)

    def __repr__(self) -> str:
        return f"Credentials(access_code={mask_access_code(self.access_code)!r})"


def mask_access_code(access_code: str) -> str:
    """Return the access code with only its prefix and last four characters kept."""
    prefix, separator, _rest = access_code.partition("_")
    shown_prefix = f"{prefix}_" if separator else ""
    if len(access_code) <= 8:
        return f"{shown_prefix}…"
    return f"{shown_prefix}…{access_code[-4:]}"


def compute_signature(
    secret_key: str, timestamp: str, request_id: str, access_code: str, body: bytes
) -> str:
    """Return the uppercase hex HMAC-SHA256 of ``timestamp + request_id + access_code + body``."""
    message = (timestamp + request_id + access_code).encode("utf-8") + body
    digest = hmac.new(secret_key.encode("utf-8"), message, hashlib.sha256).hexdigest()
    return digest.upper()


def new_request_id() -> str:
    """Return a fresh UUID v4 in its hyphenated form."""
    return str(uuid.uuid4())


def signed_headers(
    credentials: Credentials, *, timestamp_ms: int, request_id: str, body: bytes
) -> dict[str, str]:
    """Return the four authentication headers for one attempt of a request."""
    timestamp = str(timestamp_ms)
    signature = compute_signature(
        credentials.secret_key, timestamp, request_id, credentials.access_code, body
    )
    return {
        ACCESS_CODE_HEADER: credentials.access_code,
        REQUEST_ID_HEADER: request_id,
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: signature,
    }
