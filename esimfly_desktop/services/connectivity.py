"""Whether the eSIMfly service can be reached: online, offline or degraded.

The state follows real request outcomes from the API client. While offline, a
cheap probe (``GET /balance``) runs with exponential backoff so the console
notices the service coming back even when the operator does nothing. The UI
forwards operating-system network changes (Qt's ``QNetworkInformation``) to
``notify_network_changed``, which resets the client's connection pool so dead
keep-alive sockets are not reused, and probes at once.
"""

from __future__ import annotations

import asyncio
import enum
import logging
from typing import Any

from esimfly_desktop.services.observers import Observers

log = logging.getLogger(__name__)

PROBE_FIRST_DELAY_S = 2.0
PROBE_MAX_DELAY_S = 60.0
# About 12 hours of probes at the longest delay; a network change starts a new series.
PROBE_MAX_ATTEMPTS = 720
# Consecutive rate-limited or 5xx responses before the state turns degraded.
DEGRADED_AFTER = 2


class ConnectivityState(enum.StrEnum):
    ONLINE = "online"
    OFFLINE = "offline"
    DEGRADED = "degraded"


class Connectivity:
    """One connectivity state for the console, derived from one API client."""

    def __init__(
        self,
        client: Any,
        *,
        probe_first_delay_s: float = PROBE_FIRST_DELAY_S,
        probe_max_delay_s: float = PROBE_MAX_DELAY_S,
        probe_max_attempts: int = PROBE_MAX_ATTEMPTS,
    ) -> None:
        self._client = client
        self._probe_first_delay_s = probe_first_delay_s
        self._probe_max_delay_s = probe_max_delay_s
        self._probe_max_attempts = probe_max_attempts
        self._state = ConnectivityState.ONLINE
        self._troubled_answers = 0
        self._probe: asyncio.Task[None] | None = None
        self.state_changed: Observers[ConnectivityState] = Observers()
        client.add_outcome_listener(self._on_outcome)

    @property
    def state(self) -> ConnectivityState:
        return self._state

    @property
    def is_offline(self) -> bool:
        return self._state is ConnectivityState.OFFLINE

    def _on_outcome(self, outcome: Any) -> None:
        kind = outcome.kind
        if kind == "transport_error":
            self._troubled_answers = 0
            self._set_state(ConnectivityState.OFFLINE, outcome.request_id)
        elif kind in ("rate_limited", "server_error"):
            self._troubled_answers += 1
            if self._troubled_answers >= DEGRADED_AFTER:
                self._set_state(ConnectivityState.DEGRADED, outcome.request_id)
        else:
            self._troubled_answers = 0
            self._set_state(ConnectivityState.ONLINE, outcome.request_id)

    def _set_state(self, state: ConnectivityState, request_id: str | None) -> None:
        if state is self._state:
            return
        log.info(
            "Connectivity changed from %s to %s (request id %s)", self._state, state, request_id
        )
        self._state = state
        if state is ConnectivityState.OFFLINE:
            self._start_probe()
        self.state_changed.notify(state)

    def notify_network_changed(self) -> None:
        """Drop pooled connections and probe at once; the UI calls this on OS network changes."""
        log.info("Network changed; resetting API connections")
        self._stop_probe()
        self._probe = asyncio.get_running_loop().create_task(
            self._reset_then_probe(), name="connectivity-reset"
        )

    async def _reset_then_probe(self) -> None:
        await self._client.reset_connections()
        await self._probe_until_online(0.0)

    def _start_probe(self, *, first_delay_s: float | None = None) -> None:
        if self._probe is not None and not self._probe.done():
            return
        delay = self._probe_first_delay_s if first_delay_s is None else first_delay_s
        self._probe = asyncio.get_running_loop().create_task(
            self._probe_until_online(delay), name="connectivity-probe"
        )

    def _stop_probe(self) -> None:
        if self._probe is not None:
            self._probe.cancel()
            self._probe = None

    async def _probe_until_online(self, first_delay_s: float) -> None:
        """Probe with backoff until a probe finds the service reachable."""
        delay = first_delay_s
        for attempt in range(1, self._probe_max_attempts + 1):
            await asyncio.sleep(delay)
            try:
                await self._client.get_balance()
            except Exception as error:
                # The outcome listener has already recorded the state.
                log.info("Connectivity probe %d failed: %s", attempt, type(error).__name__)
            if self._state is not ConnectivityState.OFFLINE:
                return
            delay = min(max(delay * 2, self._probe_first_delay_s), self._probe_max_delay_s)
        log.warning("Connectivity probe gave up after %d attempts", self._probe_max_attempts)

    async def close(self) -> None:
        probe, self._probe = self._probe, None
        if probe is not None:
            probe.cancel()
            await asyncio.wait({probe})
