"""The outbox's background runner stops promptly, whatever it is doing when stopped."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from esimfly_desktop.api.rate_limit import RateLimitState
from esimfly_desktop.services.outbox import Outbox
from esimfly_desktop.storage.database import Database


class IdleClient:
    """A client with nothing to send: the runner only takes the lease and looks at the queue."""

    rate_limit = RateLimitState()
    clock_offset_s = 0.0

    def add_outcome_listener(self, listener: object) -> None:
        pass


@pytest.mark.asyncio
async def test_stop_during_heartbeat_cleanup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    heartbeat_cancelled = asyncio.Event()

    async def slow_heartbeat(self: Outbox) -> None:
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            heartbeat_cancelled.set()
            await asyncio.sleep(0.05)  # still finishing a lease renewal
            raise

    monkeypatch.setattr(Outbox, "_renew_lease_while_sending", slow_heartbeat)
    database = Database.open_sync(tmp_path / "console.sqlite3")
    try:
        outbox = Outbox(database, IdleClient())
        outbox.start()
        async with asyncio.timeout(2):
            await heartbeat_cancelled.wait()

        # The runner is now waiting for the heartbeat to finish; stop() must still end it.
        async with asyncio.timeout(2):
            await outbox.stop()

        assert not outbox.is_sender
    finally:
        database.close()


@pytest.mark.asyncio
async def test_stop_ends_runner_at_any_moment(tmp_path: Path) -> None:
    database = Database.open_sync(tmp_path / "console.sqlite3")
    try:
        for attempt in range(40):
            outbox = Outbox(database, IdleClient(), tick_interval_s=0.001)
            outbox.start()
            await asyncio.sleep(attempt * 0.0002)
            outbox.wake()

            async with asyncio.timeout(2):
                await outbox.stop()

            assert not outbox.is_sender
    finally:
        database.close()
