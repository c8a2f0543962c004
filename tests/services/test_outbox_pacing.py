"""Replay paced by the rate-limit headers, on a sandbox with a tight limit of its own."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest

from esimfly_desktop.api import Credentials, EsimflyClient
from esimfly_desktop.sandbox.admin_client import SandboxAdmin
from esimfly_desktop.sandbox.launcher import SandboxProcess
from esimfly_desktop.services.outbox import Outbox
from esimfly_desktop.services.outbox_store import NewItem
from esimfly_desktop.storage.database import Database
from tests.services.outbox_support import instant_package, outbox_states

WINDOW_S = 2
LIMIT = 8


@pytest.fixture
def tight_sandbox(start_sandbox: Callable[..., SandboxProcess]) -> SandboxProcess:
    return start_sandbox("--rate-limit", f"{LIMIT}/{WINDOW_S},100000/3600,1000000/86400")


@pytest.mark.asyncio
async def test_replay_paced_through_429_bursts(
    tight_sandbox: SandboxProcess, tmp_path: Path
) -> None:
    info = tight_sandbox.info
    admin = SandboxAdmin(info.admin_url, info.admin_token)
    credentials = Credentials(info.access_code, info.secret)
    database = Database.open_sync(tmp_path / "profile" / "console.sqlite3")
    outcomes: list[str] = []
    try:
        async with (
            EsimflyClient(info.base_url, credentials) as client,
            EsimflyClient(info.base_url, credentials) as other_counter,
        ):
            client.add_outcome_listener(lambda outcome: outcomes.append(outcome.kind))
            package = await instant_package(client)
            outbox = Outbox(database, client, rate_limit_reserve=0)
            for number in range(20):
                await outbox.enqueue(
                    NewItem(
                        package.package_code,
                        1,
                        package.cost,
                        package.currency,
                        customer_reference=f"walk-in {number}",
                    )
                )

            async def burst() -> None:
                # Another console on the same account spends the budget mid-replay.
                await asyncio.sleep(0.3)
                for _ in range(LIMIT):
                    try:
                        await other_counter.get_balance()
                    except Exception:
                        return

            bursting = asyncio.create_task(burst())
            report = await outbox.replay(max_duration_s=60)
            await bursting
        states = outbox_states(database)
    finally:
        database.close()

    assert states == ["done"] * 20
    assert len(report.sent) == 20
    # 21 requests at 8 per window span at least three windows; the first may be
    # nearly over when the replay starts, so at least one full window passes.
    assert report.elapsed_s >= WINDOW_S
    charges = [e for e in await admin.ledger(info.access_code) if e["amount"] < 0]
    assert len(charges) == 20
    assert len({entry["reference"] for entry in charges}) == 20
    assert outcomes.count("ok") >= 21
    assert all(kind in ("ok", "rate_limited") for kind in outcomes)
