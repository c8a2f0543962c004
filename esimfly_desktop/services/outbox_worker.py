"""Replay one profile's outbox against the training sandbox from the command line.

    python -m esimfly_desktop.services.outbox_worker --profile-dir DIR --sandbox-json FILE

The crash test and the replay benchmark run this as a child process: it
takes the sender lease, sends every sendable item in order and exits. The
credentials come from the sandbox's ``sandbox.json``, so this tool only ever
talks to a training sandbox.

Exit codes: 0 the queue is drained, 3 another sender held the lease the whole
time, 4 sending paused (service unreachable or rate limited for too long).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import time
from pathlib import Path

from esimfly_desktop.api import Credentials, EsimflyClient
from esimfly_desktop.services import outbox_store as store
from esimfly_desktop.services.outbox import Outbox
from esimfly_desktop.storage.database import Database
from esimfly_desktop.storage.paths import ProfileFolder

log = logging.getLogger(__name__)

EXIT_DRAINED = 0
EXIT_NOT_SENDER = 3
EXIT_PAUSED = 4


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Replay a profile's outbox to the sandbox.")
    parser.add_argument("--profile-dir", type=Path, required=True, help="the profile folder")
    parser.add_argument(
        "--sandbox-json", type=Path, required=True, help="the sandbox's sandbox.json"
    )
    parser.add_argument(
        "--lease-ttl", type=float, default=15.0, help="sender lease lifetime in seconds"
    )
    parser.add_argument(
        "--max-duration",
        type=float,
        default=600.0,
        help="seconds after which the worker stops, drained or not",
    )
    parser.add_argument(
        "--max-rate-limit-wait",
        type=float,
        default=65.0,
        help="maximum wait in seconds for one rate-limit window inside the API client",
    )
    return parser.parse_args(argv)


async def replay(arguments: argparse.Namespace) -> int:
    """Replay until the queue is drained, sending pauses, or the time is up."""
    info = json.loads(arguments.sandbox_json.read_text(encoding="utf-8"))
    database = await Database.open(ProfileFolder(arguments.profile_dir).database)
    client = EsimflyClient(
        info["base_url"],
        Credentials(info["access_code"], info["secret"]),
        max_rate_limit_wait_s=arguments.max_rate_limit_wait,
    )
    outbox = Outbox(database, client, lease_ttl_s=arguments.lease_ttl)
    deadline = time.monotonic() + arguments.max_duration
    try:
        return await _replay_until_drained(outbox, database, deadline, arguments.lease_ttl)
    finally:
        await outbox.stop()
        await client.aclose()
        database.close()


async def _replay_until_drained(
    outbox: Outbox, database: Database, deadline: float, lease_ttl_s: float
) -> int:
    held_once = False
    for _attempt in range(100_000):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break

        report = await outbox.replay(max_duration_s=remaining)
        held_once = held_once or report.held_lease
        if report.held_lease and report.paused_by is not None:
            log.warning("Replay paused by %s", type(report.paused_by).__name__)
            return EXIT_PAUSED

        left = await database.run(
            lambda c: store.list_items(c, (store.ItemState.QUEUED, store.ItemState.OUTCOME_UNKNOWN))
        )
        if not left:
            return EXIT_DRAINED
        if not report.held_lease:
            await asyncio.sleep(lease_ttl_s / 4)
    return EXIT_PAUSED if held_once else EXIT_NOT_SENDER


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(process)d %(name)s %(levelname)s %(message)s"
    )
    return asyncio.run(replay(parse_arguments(argv)))


if __name__ == "__main__":
    sys.exit(main())
