"""Settings of one sandbox run, parsed from the command line."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

CURRENCIES = ("USD", "EUR", "IQD")
DEFAULT_RATE_LIMITS = "100/60,1000/3600,10000/86400"
DEFAULT_PENDING_DELAY_S = 20.0
DEFAULT_WEBHOOK_RETRY_DELAYS_S = (10.0, 30.0, 120.0, 600.0)

# Every package of this provider stays ``pending_details`` for the pending delay.
PENDING_PROVIDER = "Kestrel Mobile"


@dataclass(frozen=True)
class RateWindow:
    """A budget of ``limit`` requests per ``seconds``-long window."""

    limit: int
    seconds: int


@dataclass(frozen=True)
class SandboxConfig:
    data_dir: Path
    port: int = 0
    admin_port: int = 0
    balance: Decimal = Decimal("1000.00")
    currency: str = "USD"
    rate_windows: tuple[RateWindow, ...] = field(
        default_factory=lambda: parse_rate_limits(DEFAULT_RATE_LIMITS)
    )
    pending_delay_s: float = DEFAULT_PENDING_DELAY_S
    reset: bool = False
    webhook_retry_delays_s: tuple[float, ...] = DEFAULT_WEBHOOK_RETRY_DELAYS_S


def parse_rate_limits(text: str) -> tuple[RateWindow, ...]:
    """Parse ``100/60,1000/3600`` into windows, the shortest window first.

    Raises ValueError naming the part that is not ``COUNT/SECONDS``.
    """
    windows = []
    for part in text.split(","):
        count, _, seconds = part.strip().partition("/")
        try:
            window = RateWindow(limit=int(count), seconds=int(seconds))
        except ValueError:
            raise ValueError(f"invalid rate limit {part!r}: expected COUNT/SECONDS") from None
        if window.limit < 1 or window.seconds < 1:
            raise ValueError(f"invalid rate limit {part!r}: count and seconds must be positive")
        windows.append(window)
    return tuple(sorted(windows, key=lambda w: w.seconds))
