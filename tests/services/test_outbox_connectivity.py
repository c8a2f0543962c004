"""Connectivity state from request outcomes, the offline probe and network changes.

A scripted stand-in for the API client feeds outcomes; no socket is opened.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from esimfly_desktop.api import RequestOutcome
from esimfly_desktop.services.connectivity import Connectivity, ConnectivityState

pytestmark = pytest.mark.asyncio


class ScriptedClient:
    """Reports each probe's outcome to the listeners, like EsimflyClient does."""

    def __init__(self) -> None:
        self.listeners: list[Callable[[RequestOutcome], None]] = []
        self.reachable = False
        self.probes = 0
        self.resets = 0

    def add_outcome_listener(self, listener: Callable[[RequestOutcome], None]) -> None:
        self.listeners.append(listener)

    def report(self, kind: str) -> None:
        for listener in self.listeners:
            listener(RequestOutcome(kind, None, f"request-{self.probes}", 0.01))  # type: ignore[arg-type]

    async def get_balance(self) -> None:
        self.probes += 1
        if self.reachable:
            self.report("ok")
            return
        self.report("transport_error")
        raise ConnectionError("refused")

    async def reset_connections(self) -> None:
        self.resets += 1


async def wait_until(condition: Callable[[], bool], timeout_s: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout_s
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "condition not met in time"
        await asyncio.sleep(0.01)


async def test_outcomes_set_state() -> None:
    client = ScriptedClient()
    connectivity = Connectivity(client, probe_first_delay_s=10)
    changes: list[ConnectivityState] = []
    connectivity.state_changed.subscribe(changes.append)

    client.report("server_error")
    assert connectivity.state is ConnectivityState.ONLINE
    client.report("rate_limited")
    assert connectivity.state is ConnectivityState.DEGRADED
    client.report("client_error")
    assert connectivity.state is ConnectivityState.ONLINE
    client.report("transport_error")
    assert connectivity.state is ConnectivityState.OFFLINE
    assert changes == [
        ConnectivityState.DEGRADED,
        ConnectivityState.ONLINE,
        ConnectivityState.OFFLINE,
    ]
    await connectivity.close()


async def test_probe_backs_off_until_online() -> None:
    client = ScriptedClient()
    connectivity = Connectivity(client, probe_first_delay_s=0.01, probe_max_delay_s=0.04)

    client.report("transport_error")
    await wait_until(lambda: client.probes >= 3)
    assert connectivity.is_offline
    client.reachable = True
    await wait_until(lambda: connectivity.state is ConnectivityState.ONLINE)
    probes = client.probes
    await asyncio.sleep(0.1)

    assert client.probes == probes
    await connectivity.close()


async def test_probe_stops_after_max_attempts() -> None:
    client = ScriptedClient()
    connectivity = Connectivity(
        client, probe_first_delay_s=0.001, probe_max_delay_s=0.001, probe_max_attempts=4
    )

    client.report("transport_error")
    await wait_until(lambda: client.probes == 4)
    await asyncio.sleep(0.05)

    assert client.probes == 4
    assert connectivity.is_offline
    await connectivity.close()


async def test_network_change_resets_and_probes() -> None:
    client = ScriptedClient()
    client.reachable = True
    connectivity = Connectivity(client, probe_first_delay_s=10)

    connectivity.notify_network_changed()
    await wait_until(lambda: client.probes == 1)

    assert client.resets == 1
    assert connectivity.state is ConnectivityState.ONLINE
    await connectivity.close()
