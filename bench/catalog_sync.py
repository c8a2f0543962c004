"""Full catalog sync through the console against plain httpx paging, and the GUI loop's heartbeat.

A private training sandbox on loopback serves the catalog (about 7,100
packages, 100 per page). The plain side pages through ``GET /esims/packages``
one page at a time with httpx and hand-built signatures and decodes each body
with ``json.loads``: the least work that fetches the whole catalog. The
console side runs ``CatalogSync.sync``, which also parses every package and
stores the catalog in the profile database. Both run inside the same qasync
event loop, alternating, and each is the median of its runs. The console's
measured syncs follow an unmeasured one, so they find the catalog stored, as
the periodic syncs do. After each of them a first sync into a new, empty
profile database is timed too: that one writes every row.

A 10 ms heartbeat ``QTimer`` runs in that loop. Its longest gap between two
ticks during the console's syncs is compared with its longest gap while the
loop is idle for the same number of seconds. The longest gap during plain
paging is printed too: it shows how much of a gap comes from sharing the
cores with the busy sandbox rather than from the console's own work.

    .venv/bin/python -m bench.catalog_sync [--runs 5] [--json PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bench.api_client import HIGH_RATE_LIMIT, raw_headers
from bench.figures import Figure, median, print_figures, write_figures

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")

import httpx
import qasync
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from esimfly_desktop.api import Credentials, EsimflyClient
from esimfly_desktop.sandbox.launcher import SandboxInfo, SandboxProcess
from esimfly_desktop.services.catalog_store import CatalogStore
from esimfly_desktop.services.catalog_sync import PAGE_SIZE, CatalogSync
from esimfly_desktop.storage.database import Database

HEARTBEAT_MS = 10
MAX_PAGES = 1000
SYNC_TARGET = 1.1
GAP_TARGET = 5.0


class Heartbeat:
    """A repeating QTimer that records the longest gap between two of its ticks."""

    def __init__(self) -> None:
        self._timer = QTimer()
        self._timer.setInterval(HEARTBEAT_MS)
        self._timer.timeout.connect(self._tick)
        self._last = 0.0
        self.longest_gap_ms = 0.0

    def start(self) -> None:
        self.longest_gap_ms = 0.0
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> float:
        """Stop ticking and return the longest gap in milliseconds."""
        self._tick()
        self._timer.stop()
        return self.longest_gap_ms

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest_gap_ms = max(self.longest_gap_ms, (now - self._last) * 1000)
        self._last = now


async def plain_paging(http: httpx.AsyncClient, info: SandboxInfo) -> int:
    """Fetch every page one after another; return the number of packages."""
    url = info.base_url + "/esims/packages"
    received = 0
    for page in range(1, MAX_PAGES + 1):
        response = await http.get(
            url, params={"page": page, "limit": PAGE_SIZE}, headers=raw_headers(info)
        )
        response.raise_for_status()
        data = json.loads(response.content)["data"]
        received += len(data["packages"])
        if page >= data["pagination"]["total_pages"]:
            return received
    raise RuntimeError(f"catalog has more than {MAX_PAGES} pages")


async def measure(info: SandboxInfo, runs: int, work_dir: Path) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {
        "plain": [],
        "plain gap": [],
        "console": [],
        "sync gap": [],
        "first sync": [],
    }
    heartbeat = Heartbeat()

    database = await Database.open(work_dir / "console.sqlite3")
    credentials = Credentials(info.access_code, info.secret)
    async with (
        httpx.AsyncClient(trust_env=False) as http,
        EsimflyClient(info.base_url, credentials) as client,
    ):
        sync = CatalogSync(client, CatalogStore(database), interval=timedelta(hours=24))
        # One unmeasured round warms both connections and the sandbox's catalog pages.
        await plain_paging(http, info)
        await sync.sync()

        for _ in range(runs):
            heartbeat.start()
            started = time.perf_counter()
            await plain_paging(http, info)
            times["plain"].append((time.perf_counter() - started) * 1000)
            times["plain gap"].append(heartbeat.stop())

            heartbeat.start()
            started = time.perf_counter()
            await sync.sync()
            times["console"].append((time.perf_counter() - started) * 1000)
            times["sync gap"].append(heartbeat.stop())

            first_sync_ms = await timed_first_sync(client, work_dir, len(times["plain"]))
            times["first sync"].append(first_sync_ms)
    await asyncio.to_thread(database.close)

    # Idle for as long as all the measured syncs took together.
    heartbeat.start()
    await asyncio.sleep(sum(times["console"]) / 1000)
    times["idle gap"] = [heartbeat.stop()]
    return times


async def timed_first_sync(client: EsimflyClient, work_dir: Path, number: int) -> float:
    """Sync into a new, empty profile database; return the milliseconds the sync took."""
    database = await Database.open(work_dir / f"first-{number}.sqlite3")
    try:
        sync = CatalogSync(client, CatalogStore(database), interval=timedelta(hours=24))
        started = time.perf_counter()
        await sync.sync()
        return (time.perf_counter() - started) * 1000
    finally:
        await asyncio.to_thread(database.close)


def figures(times: dict[str, list[float]], package_count: str) -> list[Figure]:
    return [
        Figure(
            "catalog sync",
            f"full sync, {package_count} already stored (median)",
            median(times["console"]),
            "plain httpx paging (median)",
            median(times["plain"]),
            "ms",
            SYNC_TARGET,
        ),
        Figure(
            "catalog sync",
            f"first sync of {package_count} into an empty database (median)",
            median(times["first sync"]),
            "plain httpx paging (median)",
            median(times["plain"]),
            "ms",
            SYNC_TARGET,
        ),
        Figure(
            "catalog sync",
            "longest 10 ms heartbeat gap during syncs",
            max(times["sync gap"]),
            "longest gap while idle",
            times["idle gap"][0],
            "ms",
            GAP_TARGET,
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description="Time a full catalog sync against plain paging.")
    parser.add_argument("--runs", type=int, default=5, help="measured runs per side")
    parser.add_argument("--quick", action="store_true", help="1 run per side")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    arguments = parser.parse_args()
    runs = 1 if arguments.quick else arguments.runs

    application = QApplication.instance() or QApplication([sys.argv[0]])
    with tempfile.TemporaryDirectory(prefix="esimfly-bench-sync-") as work_dir:
        sandbox = SandboxProcess.start(Path(work_dir) / "sandbox", *HIGH_RATE_LIMIT)
        try:
            with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(application)) as runner:
                times = runner.run(measure(sandbox.info, runs, Path(work_dir)))
        finally:
            sandbox.stop()

    for name, values in times.items():
        print(f"{name} ms: {', '.join(f'{value:.1f}' for value in values)}")
    results = figures(times, "the sandbox's catalog")
    print_figures(results)
    if arguments.json:
        write_figures(arguments.json, results)


if __name__ == "__main__":
    main()
