"""Reads that the caller stopped waiting for are interrupted, and the database stays usable."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from esimfly_desktop.storage.database import Database

# A recursive count that takes a few seconds unless it is interrupted (about
# 6 million rows a second here), so a broken interrupt fails the test below
# without leaving the database thread busy for long.
LONG_READ = (
    "WITH RECURSIVE counter(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM counter "
    "WHERE n < 25000000) SELECT count(*) FROM counter"
)
WAIT_LIMIT_S = 10.0
# Far below the read's own time: the write may only have waited for the interrupt.
WRITE_LIMIT_S = 2.0


def slow_read(started: threading.Event):
    def work(connection: sqlite3.Connection) -> int:
        started.set()
        return connection.execute(LONG_READ).fetchone()[0]

    return work


def create_note_table(connection: sqlite3.Connection) -> None:
    connection.execute("CREATE TABLE IF NOT EXISTS note (text TEXT)")


def write_note(connection: sqlite3.Connection) -> int:
    connection.execute("INSERT INTO note (text) VALUES ('after the read')")
    return connection.execute("SELECT count(*) FROM note").fetchone()[0]


async def wait_for(event: threading.Event) -> None:
    deadline = time.monotonic() + WAIT_LIMIT_S
    while not event.is_set():
        assert time.monotonic() < deadline, "the read never started"
        await asyncio.sleep(0.01)


@pytest.mark.asyncio
async def test_cancelled_read_is_interrupted(tmp_path: Path) -> None:
    database = await Database.open(tmp_path / "profile.sqlite3")
    await database.run(create_note_table)
    started = threading.Event()
    read = asyncio.ensure_future(database.run_read(slow_read(started)))
    await wait_for(started)

    read.cancel()
    notes = await asyncio.wait_for(database.run(write_note), WRITE_LIMIT_S)

    assert read.cancelled()
    assert notes == 1
    await asyncio.wait_for(asyncio.to_thread(database.close), WAIT_LIMIT_S)


@pytest.mark.asyncio
async def test_finished_read_returns_its_rows(tmp_path: Path) -> None:
    database = await Database.open(tmp_path / "profile.sqlite3")

    total = await database.run_read(
        lambda connection: connection.execute("SELECT 6 * 7").fetchone()[0]
    )

    assert total == 42
    await asyncio.to_thread(database.close)
