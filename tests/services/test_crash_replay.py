"""Kill the outbox sender with SIGKILL again and again while it replays, then check the ledger.

A child process (``python -m esimfly_desktop.services.outbox_worker``) replays a
queue of orders against a private sandbox. A seeded schedule kills it at every
named crash point (``ESIMFLY_CRASH_AT``) and at random moments, then restarts
it, until the schedule is used up. Clean runs then drain the queue. Afterwards
the sandbox's ledger must hold every queued order exactly once, and the
balance must equal the start balance minus their costs.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from esimfly_desktop import crashpoints
from esimfly_desktop.api import Credentials, EsimflyClient, Package
from esimfly_desktop.sandbox.admin_client import SandboxAdmin
from esimfly_desktop.sandbox.config import PENDING_PROVIDER
from esimfly_desktop.sandbox.launcher import SandboxProcess
from esimfly_desktop.services import outbox_store as store
from esimfly_desktop.services.outbox_store import ItemState, NewItem
from esimfly_desktop.storage.database import Database
from esimfly_desktop.storage.paths import ProfileFolder

SEED = 20261204
FIRST_BATCH = 40
# Added whenever the queue drains before the kill schedule is used up.
NEXT_BATCH = 10
KILLS_PER_CRASH_POINT = 8
TIMED_KILLS = 6
MIN_KILLS = 30
LEASE_TTL_S = 0.6
RUN_TIMEOUT_S = 60.0
CLEAN_RUNS = 5
HIGH_RATE_LIMITS = "100000/60,1000000/3600,10000000/86400"


def _cheap_instant_packages(sandbox: SandboxProcess) -> list[Package]:
    async def fetch() -> list[Package]:
        info = sandbox.info
        async with EsimflyClient(info.base_url, Credentials(info.access_code, info.secret)) as c:
            page = await c.list_packages(limit=100)
        instant = [p for p in page.packages if p.provider != PENDING_PROVIDER]
        return sorted(instant, key=lambda package: package.cost)[:5]

    return asyncio.run(fetch())


def _queue_orders(
    profile: ProfileFolder, packages: list[Package], rng: random.Random, count: int
) -> None:
    database = Database.open_sync(profile.database)
    try:
        for number in range(count):
            package = rng.choice(packages)
            new = NewItem(
                package_code=package.package_code,
                quantity=rng.randint(1, 2),
                price=package.cost,
                currency=package.currency,
                customer_reference=f"crash test {number}",
                operator="crash test",
            )
            database.run_sync(lambda c, n=new: store.insert_item(c, n))
    finally:
        database.close()


def _run_worker(
    profile: ProfileFolder,
    sandbox: SandboxProcess,
    log_file: Path,
    environment: dict[str, str],
    kill_after_s: float | None,
) -> int:
    command = [
        sys.executable, "-m", "esimfly_desktop.services.outbox_worker",
        "--profile-dir", str(profile.path),
        "--sandbox-json", str(sandbox.data_dir / "sandbox.json"),
        "--lease-ttl", str(LEASE_TTL_S),
        "--max-duration", str(RUN_TIMEOUT_S - 5),
    ]  # fmt: skip
    with open(log_file, "ab") as log:
        worker = subprocess.Popen(command, env=environment, stdout=log, stderr=log)
    try:
        if kill_after_s is not None:
            try:
                return worker.wait(timeout=kill_after_s)
            except subprocess.TimeoutExpired:
                os.kill(worker.pid, signal.SIGKILL)
        return worker.wait(timeout=RUN_TIMEOUT_S)
    finally:
        if worker.poll() is None:
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)


def _schedule(rng: random.Random) -> list[tuple[str | None, float | None]]:
    """Return (crash point, kill delay) pairs: every point several times, plus timed kills."""
    runs: list[tuple[str | None, float | None]] = [
        (point, None) for point in crashpoints.ALL_POINTS for _ in range(KILLS_PER_CRASH_POINT)
    ]
    runs += [(None, rng.uniform(0.4, 1.5)) for _ in range(TIMED_KILLS)]
    rng.shuffle(runs)
    return runs


@pytest.mark.slow
def test_replay_survives_repeated_kills(
    start_sandbox: Callable[..., SandboxProcess], tmp_path: Path
) -> None:
    rng = random.Random(SEED)
    sandbox = start_sandbox("--rate-limit", HIGH_RATE_LIMITS)
    info = sandbox.info
    admin = SandboxAdmin(info.admin_url, info.admin_token)
    profile = ProfileFolder(tmp_path / "profile")
    marker = tmp_path / "crash-points-reached.txt"
    log_file = tmp_path / "worker.log"
    packages = _cheap_instant_packages(sandbox)
    _queue_orders(profile, packages, rng, FIRST_BATCH)
    start_balance = _balance(sandbox)

    # Kill and restart the sender along the seeded schedule.
    kills = 0
    exit_codes: list[int] = []
    started = time.monotonic()
    for point, kill_after_s in _schedule(rng):
        if all(item.state is ItemState.DONE for item in _items(profile)):
            _queue_orders(profile, packages, rng, NEXT_BATCH)
        environment = dict(os.environ, **{crashpoints.MARKER_ENV_VARIABLE: str(marker)})
        environment.pop(crashpoints.ENV_VARIABLE, None)
        if point is not None:
            environment[crashpoints.ENV_VARIABLE] = point
        code = _run_worker(profile, sandbox, log_file, environment, kill_after_s)
        kills += code == -signal.SIGKILL
        exit_codes.append(code)

    # Restart without crashes until the queue is drained.
    for _ in range(CLEAN_RUNS):
        environment = {k: v for k, v in os.environ.items() if k != crashpoints.ENV_VARIABLE}
        if _run_worker(profile, sandbox, log_file, environment, None) == 0:
            break
    elapsed = time.monotonic() - started

    items = _items(profile)
    reached = Counter(marker.read_text(encoding="utf-8").split())
    ledger = asyncio.run(admin.ledger(info.access_code))
    charges = [entry for entry in ledger if entry["amount"] < 0]
    references = [item.order_reference for item in items]

    resent = sum(item.attempts > 1 for item in items)
    print(
        f"crash test: {kills} kills, crash points reached {dict(reached)}, "
        f"{resent} of {len(items)} orders sent more than once with their key, {elapsed:.1f} s"
    )
    assert kills >= MIN_KILLS, f"only {kills} kills in {elapsed:.0f} s; exit codes {exit_codes}"
    assert set(reached) == set(crashpoints.ALL_POINTS), reached
    assert len(items) >= FIRST_BATCH
    assert [item.state for item in items] == [ItemState.DONE] * len(items)
    assert len(set(references)) == len(items)
    assert len(charges) == len(items)
    assert sorted(entry["reference"] for entry in charges) == sorted(references)
    total_cost = sum((item.total for item in items), Decimal(0))
    assert _balance(sandbox) == start_balance - total_cost
    assert elapsed < 150, f"crash test took {elapsed:.0f} s"


def _balance(sandbox: SandboxProcess) -> Decimal:
    async def fetch() -> Decimal:
        info = sandbox.info
        async with EsimflyClient(info.base_url, Credentials(info.access_code, info.secret)) as c:
            return (await c.get_balance()).amount

    return asyncio.run(fetch())


def _items(profile: ProfileFolder) -> list[store.OutboxItem]:
    database = Database.open_sync(profile.database)
    try:
        return database.run_sync(store.list_items)
    finally:
        database.close()
