"""Fixed-window rate limits per access code (or per client address when unknown).

Each window starts at a multiple of its length in Unix time, so its end is
the same for every caller. The headers describe the shortest window.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime

from esimfly_desktop.sandbox.config import RateWindow

MAX_TRACKED_BUCKETS = 10_000


@dataclass(frozen=True)
class RateState:
    limit: int
    remaining: int
    reset_at: float
    allowed: bool
    retry_after_s: int

    def headers(self) -> dict[str, str]:
        reset = datetime.fromtimestamp(self.reset_at, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        headers = {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": reset,
        }
        if not self.allowed:
            headers["Retry-After"] = str(self.retry_after_s)
        return headers


class RateLimiter:
    def __init__(self, windows: tuple[RateWindow, ...]) -> None:
        self.windows = windows
        # bucket -> window length -> (window start, count)
        self._counts: dict[str, dict[int, tuple[int, int]]] = {}

    def _count(self, bucket: str, window: RateWindow, now: float) -> int:
        start = int(now // window.seconds) * window.seconds
        saved_start, count = self._counts.get(bucket, {}).get(window.seconds, (start, 0))
        return count if saved_start == start else 0

    def peek(self, bucket: str, now: float) -> RateState:
        """Return the bucket's state without spending a request."""
        return self._state(bucket, now, allowed=True)

    def spend(self, bucket: str, now: float) -> RateState:
        """Spend one request of every window, unless one of them is exhausted."""
        for window in self.windows:
            if self._count(bucket, window, now) >= window.limit:
                return self._state(bucket, now, allowed=False, blocking=window)

        if bucket not in self._counts and len(self._counts) >= MAX_TRACKED_BUCKETS:
            self._counts.clear()
        counts = self._counts.setdefault(bucket, {})
        for window in self.windows:
            start = int(now // window.seconds) * window.seconds
            counts[window.seconds] = (start, self._count(bucket, window, now) + 1)
        return self._state(bucket, now, allowed=True)

    def _state(
        self, bucket: str, now: float, *, allowed: bool, blocking: RateWindow | None = None
    ) -> RateState:
        shortest = self.windows[0]
        used = self._count(bucket, shortest, now)
        reset_at = (int(now // shortest.seconds) + 1) * shortest.seconds
        retry_after = 0
        if blocking is not None:
            blocking_end = (int(now // blocking.seconds) + 1) * blocking.seconds
            retry_after = max(1, math.ceil(blocking_end - now))
        return RateState(
            limit=shortest.limit,
            remaining=max(0, shortest.limit - used),
            reset_at=reset_at,
            allowed=allowed,
            retry_after_s=retry_after,
        )
