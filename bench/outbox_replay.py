"""Replay a queue of orders through the outbox against the sandbox and compare with the rate limit.

    .venv/bin/python bench/outbox_replay.py            # 500 orders at 100/60 s and 250/60 s
    .venv/bin/python bench/outbox_replay.py --quick    # 60 orders at 10/6 s and 25/6 s

For each rate limit a fresh sandbox (loopback only) and a fresh profile
database are used. The floor is the least time the per-window limit allows:
with L requests per window of W seconds, N requests need at least
(ceil(N / L) - 1) * W seconds. Every run also checks the sandbox's ledger:
each queued order charged exactly once.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import random
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path

from esimfly_desktop.api import Credentials, EsimflyClient, Package
from esimfly_desktop.sandbox.admin_client import SandboxAdmin
from esimfly_desktop.sandbox.config import DEFAULT_RATE_LIMITS, PENDING_PROVIDER
from esimfly_desktop.sandbox.launcher import SandboxProcess
from esimfly_desktop.services.outbox import Outbox
from esimfly_desktop.services.outbox_store import NewItem
from esimfly_desktop.storage.database import Database

RAISED_RATE_LIMITS = "250/60,100000/3600,1000000/86400"
QUICK_RATE_LIMITS = "10/6,1000/3600,10000/86400"
QUICK_RAISED_RATE_LIMITS = "25/6,100000/3600,1000000/86400"
SEED = 500


@dataclass(frozen=True)
class RunResult:
    rate_limit: str
    orders: int
    requests: int
    elapsed_s: float
    floor_s: float
    orders_per_minute: float
    charges: int
    duplicates: int


def floor_seconds(requests: int, rate_limit: str) -> float:
    """Return the least time the per-minute (first) window allows for ``requests``."""
    limit, window = (int(part) for part in rate_limit.split(",")[0].split("/"))
    return max(math.ceil(requests / limit) - 1, 0) * window


async def replay_once(rate_limit: str, orders: int, work_dir: Path) -> RunResult:
    sandbox = await SandboxProcess.async_start(
        work_dir / "sandbox", "--rate-limit", rate_limit, "--balance", "1000000.00"
    )
    try:
        return await _measure(sandbox, rate_limit, orders, work_dir)
    finally:
        await sandbox.async_stop()


async def _measure(
    sandbox: SandboxProcess, rate_limit: str, orders: int, work_dir: Path
) -> RunResult:
    info = sandbox.info
    credentials = Credentials(info.access_code, info.secret)
    database = await Database.open(work_dir / "profile" / "console.sqlite3")
    requests: list[str] = []
    try:
        async with EsimflyClient(info.base_url, credentials, max_rate_limit_wait_s=65) as client:
            packages = await _instant_packages(client)
            outbox = Outbox(database, client)
            rng = random.Random(SEED)
            for number in range(orders):
                package = rng.choice(packages)
                await outbox.enqueue(
                    NewItem(package.package_code, 1, package.cost, package.currency,
                            customer_reference=f"bench {number}")
                )  # fmt: skip

            client.add_outcome_listener(lambda outcome: requests.append(outcome.kind))
            started = time.monotonic()
            report = await outbox.replay(max_duration_s=3600)
            elapsed = time.monotonic() - started
    finally:
        database.close()

    ledger = await SandboxAdmin(info.admin_url, info.admin_token).ledger(info.access_code)
    charges = [entry for entry in ledger if entry["amount"] < Decimal(0)]
    references = [entry["reference"] for entry in charges]
    if len(report.sent) != orders:
        print(f"warning: only {len(report.sent)} of {orders} orders sent", file=sys.stderr)
    return RunResult(
        rate_limit=rate_limit,
        orders=orders,
        requests=len(requests),
        elapsed_s=round(elapsed, 2),
        floor_s=floor_seconds(orders, rate_limit),
        orders_per_minute=round(len(report.sent) / elapsed * 60, 1),
        charges=len(charges),
        duplicates=len(references) - len(set(references)),
    )


async def _instant_packages(client: EsimflyClient) -> list[Package]:
    page = await client.list_packages(limit=100)
    instant = [p for p in page.packages if p.provider != PENDING_PROVIDER]
    return sorted(instant, key=lambda package: package.cost)[:5]


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, help="queued orders per run (default 500, quick 60)")
    parser.add_argument(
        "--quick", action="store_true", help="60 orders at 10/6 s and 25/6 s limits"
    )
    parser.add_argument(
        "--limit",
        action="append",
        help="sandbox --rate-limit of one run, such as 250/60,100000/3600,1000000/86400;"
        " repeat for several runs (default: the sandbox's default and a raised limit)",
    )
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    return parser.parse_args(argv)


async def main_async(arguments: argparse.Namespace) -> list[RunResult]:
    orders = arguments.orders or (60 if arguments.quick else 500)
    limits = arguments.limit or (
        [QUICK_RATE_LIMITS, QUICK_RAISED_RATE_LIMITS]
        if arguments.quick
        else [DEFAULT_RATE_LIMITS, RAISED_RATE_LIMITS]
    )
    results = []
    for rate_limit in limits:
        with tempfile.TemporaryDirectory(prefix="outbox-bench-") as work_dir:
            result = await replay_once(rate_limit, orders, Path(work_dir))
        results.append(result)
        print(
            f"{result.rate_limit:>40}  {result.orders} orders  {result.elapsed_s:8.2f} s"
            f"  floor {result.floor_s:6.0f} s  {result.orders_per_minute:8.1f} orders/min"
            f"  charges {result.charges}  duplicates {result.duplicates}",
            flush=True,
        )
    return results


def main(argv: list[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    results = asyncio.run(main_async(arguments))
    if arguments.json is not None:
        arguments.json.write_text(json.dumps([asdict(r) for r in results], indent=2))
    failed = [r for r in results if r.duplicates or r.charges != r.orders]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
