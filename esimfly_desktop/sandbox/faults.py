"""Faults the admin API switches on, shared by the app and the TCP proxy."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

FAULT_NAMES = ("latency_ms", "error_rate", "outage", "drop_after_commit", "clock_offset_s")
# The meta key that keeps an outage on across restarts, as a real outage outlasts a console restart.
OUTAGE_META_KEY = "outage"


@dataclass
class Faults:
    latency_ms: int = 0
    error_rate: float = 0.0  # share of requests that get 503
    outage: bool = False
    drop_after_commit: float = 0.0  # share of committed orders whose response is never sent
    clock_offset_s: float = 0.0
    rng: random.Random = field(default_factory=lambda: random.Random(7), repr=False)
    # Upstream ports (the proxy's side of each app connection) whose next response is dropped.
    ports_to_drop: set[int] = field(default_factory=set, repr=False)

    def update(self, values: dict[str, Any]) -> None:
        """Set the given faults; raise ValueError naming an unknown or invalid one."""
        unknown = set(values) - set(FAULT_NAMES)
        if unknown:
            raise ValueError(f"unknown faults {sorted(unknown)}; known: {', '.join(FAULT_NAMES)}")
        if "latency_ms" in values:
            self.latency_ms = _number(values, "latency_ms", int, 0, 600_000)
        if "error_rate" in values:
            self.error_rate = _number(values, "error_rate", float, 0.0, 1.0)
        if "outage" in values:
            if not isinstance(values["outage"], bool):
                raise ValueError("outage must be true or false")
            self.outage = values["outage"]
        if "drop_after_commit" in values:
            self.drop_after_commit = _number(values, "drop_after_commit", float, 0.0, 1.0)
        if "clock_offset_s" in values:
            self.clock_offset_s = _number(values, "clock_offset_s", float, -1e9, 1e9)

    def clear(self) -> None:
        self.latency_ms = 0
        self.error_rate = 0.0
        self.outage = False
        self.drop_after_commit = 0.0
        self.clock_offset_s = 0.0
        self.ports_to_drop.clear()

    def snapshot(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in FAULT_NAMES}

    def roll_error(self) -> bool:
        return self.error_rate > 0 and self.rng.random() < self.error_rate

    def roll_drop(self) -> bool:
        return self.drop_after_commit > 0 and self.rng.random() < self.drop_after_commit


def _number(values: dict[str, Any], name: str, kind: type, low: float, high: float) -> Any:
    value = values[name]
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise ValueError(f"{name} must be a number")
    try:
        number = kind(value)
    except ValueError:
        raise ValueError(f"{name} must be a number, not {value!r}") from None
    if not low <= number <= high:
        raise ValueError(f"{name} must be between {low} and {high}, not {value!r}")
    return number
