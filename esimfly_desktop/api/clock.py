"""The client's view of the server's clock, used for ``RT-Timestamp``.

The service rejects a timestamp more than five minutes away from its own
clock with ``INVALID_TIMESTAMP``. Shop desktops drift, so after that error
the client measures the server's clock from the ``Date`` header and adds the
difference to its own time for later requests.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from email.utils import parsedate_to_datetime

log = logging.getLogger(__name__)

# The Date header has one-second resolution, so smaller differences are noise.
NEGLIGIBLE_SKEW_S = 2.0


def parse_http_date(value: str | None) -> float | None:
    """Return an HTTP ``Date`` header as epoch seconds, or None if absent or invalid."""
    if not value:
        return None
    try:
        return parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return None


class ServerClock:
    """Local time plus a correction measured against the server."""

    def __init__(self, local_time: Callable[[], float] = time.time) -> None:
        self._local_time = local_time
        self.offset_s = 0.0
        self.last_measured_skew_s: float | None = None

    def now(self) -> float:
        """Return the estimated server time in epoch seconds."""
        return self._local_time() + self.offset_s

    def timestamp_ms(self) -> int:
        return int(self.now() * 1000)

    def measure(self, date_header: str | None) -> float | None:
        """Record and return the server clock minus the local clock from a ``Date`` header."""
        server_time = parse_http_date(date_header)
        if server_time is None:
            return None
        # The header is truncated to the second, so compare with the middle of that second.
        skew = server_time + 0.5 - self._local_time()
        self.last_measured_skew_s = skew
        return skew

    def correct(self, skew_s: float) -> bool:
        """Adopt ``skew_s`` as the offset; return False when it changes nothing useful."""
        if abs(skew_s - self.offset_s) < NEGLIGIBLE_SKEW_S:
            return False
        log.warning(
            "Local clock differs from the API server's by %.0f s; correcting request timestamps",
            skew_s,
        )
        self.offset_s = skew_s
        return True
