"""Rate-limit state read from the ``X-RateLimit-*`` and ``Retry-After`` headers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

LIMIT_HEADER = "X-RateLimit-Limit"
REMAINING_HEADER = "X-RateLimit-Remaining"
RESET_HEADER = "X-RateLimit-Reset"
RETRY_AFTER_HEADER = "Retry-After"

# Epoch values above this are milliseconds: 1e11 seconds is the year 5138.
EPOCH_MILLISECONDS_THRESHOLD = 100_000_000_000


def parse_reset_time(value: str, *, now: float) -> float | None:
    """Return the reset as epoch seconds from ISO 8601, epoch seconds or epoch milliseconds.

    A small number (below one year in seconds) is read as seconds from ``now``,
    which some gateways send in place of an absolute time.
    """
    text = value.strip()
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        return _parse_iso_time(text)
    if number >= EPOCH_MILLISECONDS_THRESHOLD:
        return number / 1000
    if number < 365 * 24 * 3600:
        return now + number
    return number


def parse_retry_after(value: str, *, now: float) -> float | None:
    """Return the end of a ``Retry-After`` wait as epoch seconds (delay or HTTP date)."""
    text = value.strip()
    if text.isdigit():
        return now + int(text)
    try:
        return parsedate_to_datetime(text).timestamp()
    except (TypeError, ValueError):
        return None


def _parse_iso_time(text: str) -> float | None:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


@dataclass
class RateLimitState:
    """The last rate-limit headers seen; times are epoch seconds on the server's clock."""

    limit: int | None = None
    remaining: int | None = None
    reset_at: float | None = None

    def update(self, headers: httpx.Headers, *, server_now: float) -> None:
        limit = _integer(headers.get(LIMIT_HEADER))
        remaining = _integer(headers.get(REMAINING_HEADER))
        reset_value = headers.get(RESET_HEADER)
        if limit is not None:
            self.limit = limit
        if remaining is not None:
            self.remaining = remaining
        if reset_value is not None:
            self.reset_at = parse_reset_time(reset_value, now=server_now)

    def seconds_until_request_allowed(self, *, server_now: float) -> float:
        """Return 0 while requests remain in the window, else the seconds until it resets."""
        if self.remaining is None or self.remaining > 0 or self.reset_at is None:
            return 0.0
        return max(0.0, self.reset_at - server_now)

    @property
    def reset_at_datetime(self) -> datetime | None:
        return datetime.fromtimestamp(self.reset_at, UTC) if self.reset_at is not None else None


def rate_limited_until(headers: httpx.Headers, *, server_now: float) -> float | None:
    """Return when a 429 ends, as epoch seconds: ``Retry-After`` first, then the reset header."""
    retry_after = headers.get(RETRY_AFTER_HEADER)
    if retry_after is not None:
        until = parse_retry_after(retry_after, now=server_now)
        if until is not None:
            return until
    reset_value = headers.get(RESET_HEADER)
    if reset_value is not None:
        return parse_reset_time(reset_value, now=server_now)
    return None


def _integer(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value.strip())
    except ValueError:
        return None
