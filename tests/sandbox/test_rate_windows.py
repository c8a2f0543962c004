"""Rate windows and fault settings, without a server."""

from __future__ import annotations

import pytest

from esimfly_desktop.sandbox.config import RateWindow, parse_rate_limits
from esimfly_desktop.sandbox.faults import Faults
from esimfly_desktop.sandbox.rate_limit import RateLimiter

MINUTE_START = 1_800_000_000.0  # a multiple of 60 and of 3600


def test_parse_rate_limits_sorted() -> None:
    windows = parse_rate_limits("1000/3600, 100/60,10000/86400")

    assert windows == (RateWindow(100, 60), RateWindow(1000, 3600), RateWindow(10000, 86400))


@pytest.mark.parametrize("text", ["100", "100/", "x/60", "0/60", "100/0"])
def test_parse_rate_limits_invalid(text: str) -> None:
    with pytest.raises(ValueError, match="invalid rate limit"):
        parse_rate_limits(text)


def test_longer_window_blocks_too() -> None:
    limiter = RateLimiter((RateWindow(5, 60), RateWindow(6, 3600)))

    first_minute = [limiter.spend("a", MINUTE_START + i).allowed for i in range(5)]
    next_minute = [limiter.spend("a", MINUTE_START + 60 + i).allowed for i in range(2)]
    blocked = limiter.spend("a", MINUTE_START + 62)

    assert first_minute == [True] * 5
    assert next_minute == [True, False]
    assert blocked.retry_after_s == 3600 - 62
    assert blocked.headers()["Retry-After"] == str(3600 - 62)


def test_new_window_restores_budget() -> None:
    limiter = RateLimiter((RateWindow(1, 60),))

    limiter.spend("a", MINUTE_START + 10)
    blocked = limiter.spend("a", MINUTE_START + 59)
    allowed = limiter.spend("a", MINUTE_START + 60)

    assert blocked.allowed is False
    assert blocked.retry_after_s == 1
    assert allowed.allowed is True
    assert allowed.headers()["X-RateLimit-Reset"] == "2027-01-15T08:02:00Z"


def test_buckets_are_separate() -> None:
    limiter = RateLimiter((RateWindow(1, 60),))

    assert limiter.spend("a", MINUTE_START).allowed is True
    assert limiter.spend("b", MINUTE_START).allowed is True
    assert limiter.peek("a", MINUTE_START).remaining == 0


@pytest.mark.parametrize(
    "values",
    [{"error_rate": 1.5}, {"latency_ms": -1}, {"outage": "yes"}, {"meteor": 1}, {"error_rate": []}],
)
def test_invalid_faults_rejected(values: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Faults().update(values)


def test_faults_clear() -> None:
    faults = Faults()
    faults.update({"latency_ms": 10, "outage": True, "drop_after_commit": 0.5})

    faults.clear()

    assert faults.snapshot() == {
        "latency_ms": 0,
        "error_rate": 0.0,
        "outage": False,
        "drop_after_commit": 0.0,
        "clock_offset_s": 0.0,
    }
