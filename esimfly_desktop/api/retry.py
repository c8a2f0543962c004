"""When a failed attempt may be repeated, and how long to wait first.

A repeated purchase is a real charge, so each request declares how it may be
repeated. Reads repeat freely. An order repeats only with the same
idempotency key, which the service uses to return the first order instead of
placing a second one. Anything else (a top-up has no idempotency key) repeats
only when the connection failed before the request left this machine, or
after a 429 or INVALID_TIMESTAMP, which the service returns before acting.
"""

from __future__ import annotations

import enum
import random
import ssl
from dataclasses import dataclass

import httpx

# These fail while connecting or while waiting for a pooled connection, so no
# byte of the request was sent.
NOT_SENT_ERRORS: tuple[type[httpx.TransportError], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
)
RETRYABLE_STATUSES = frozenset({502, 503, 504})


class RetryMode(enum.Enum):
    READ = "read"
    """Safe to repeat: GET and the read-only diagnostic POSTs."""

    IDEMPOTENT = "idempotent"
    """An order sent with the same idempotency key on every attempt."""

    ONCE = "once"
    """Never repeated once the request may have reached the server."""


def request_was_sent(error: httpx.TransportError) -> bool:
    return not isinstance(error, NOT_SENT_ERRORS)


def is_certificate_error(error: BaseException) -> bool:
    """Return True when TLS verification of the server's certificate caused ``error``."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, ssl.SSLCertVerificationError):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


@dataclass(frozen=True)
class RetryPolicy:
    """Bounds and delays for repeated attempts; every loop that uses it ends."""

    max_failure_retries: int = 4
    """Repeats after a network failure or a 502/503/504."""

    base_delay_s: float = 0.5
    max_delay_s: float = 8.0

    max_rate_limit_retries: int = 3
    """Repeats after a 429 whose wait was short enough to sleep through."""

    max_in_flight_retries: int = 15
    in_flight_delay_s: float = 1.0
    """Repeats of an order while the service reports the same key still in flight (409)."""

    def may_retry_transport(self, mode: RetryMode, error: httpx.TransportError) -> bool:
        # A rejected certificate stays rejected, so repeating only delays the message.
        if is_certificate_error(error):
            return False
        return mode is not RetryMode.ONCE or not request_was_sent(error)

    def may_retry_status(self, mode: RetryMode, status: int) -> bool:
        return mode is not RetryMode.ONCE and status in RETRYABLE_STATUSES

    def backoff_delay(self, retry_number: int, rng: random.Random | None = None) -> float:
        """Return the wait before retry ``retry_number`` (1-based): exponential, half jittered."""
        cap = min(self.max_delay_s, self.base_delay_s * 2 ** (retry_number - 1))
        return cap / 2 + (rng or random).uniform(0, cap / 2)
