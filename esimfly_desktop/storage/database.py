"""A profile's SQLite database, used from asyncio without blocking the GUI thread.

Every statement runs on one worker thread that owns the connection, so
awaiting ``run`` leaves the Qt event loop free during disk I/O and while
another process holds a lock. ``open_sync`` and ``run_sync`` block their
caller, and are meant for tools and tests.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from esimfly_desktop.storage.errors import StorageError, classify_sqlite_error
from esimfly_desktop.storage.schema import migrate

log = logging.getLogger(__name__)

T = TypeVar("T")

BUSY_TIMEOUT_S = 5.0


def connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    """Open ``path`` with the settings every connection to a profile database uses.

    WAL lets readers work while the outbox sender writes; ``synchronous=FULL``
    makes each commit durable before the caller acts on it.
    """
    uri = f"file:{path}?mode=ro" if read_only else f"file:{path}"
    connection = sqlite3.connect(
        uri,
        uri=True,
        timeout=BUSY_TIMEOUT_S,
        isolation_level=None,
        check_same_thread=False,
    )
    connection.row_factory = sqlite3.Row
    connection.execute("PRAGMA foreign_keys = ON")
    if not read_only:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = FULL")
    return connection


class Database:
    """An open profile database with its own worker thread."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self._connection = connection
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite")
        # The read that ``run_read`` may interrupt, set only while it runs.
        self._interruptible: object | None = None
        self._interrupt_lock = threading.Lock()

    @classmethod
    def open_sync(cls, path: Path) -> Database:
        """Open and migrate the database on the calling thread (start-up and tools)."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            connection = connect(path)
            migrate(connection)
        except (sqlite3.Error, OSError) as error:
            raise classify_sqlite_error(error, path) from error
        log.info("Opened database %s", path)
        return cls(path, connection)

    @classmethod
    async def open(cls, path: Path) -> Database:
        """Open and migrate the database off the event loop's thread."""
        return await asyncio.to_thread(cls.open_sync, path)

    async def run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work(connection)`` on the database thread and return its result."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._call, work)

    async def run_read(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run the read-only ``work`` like ``run``, and interrupt it if the caller stops waiting.

        When the caller is cancelled (a screen closing, the console quitting),
        the database thread stops the read at once, so the work queued after
        it and ``close`` start sooner. ``work`` must
        not write: an interrupted write is rolled back. It must also finish
        its statements (fetch every row) before it returns: while a statement
        is still open, SQLite's interrupt also stops the statements that
        start after it, such as the next job's write.
        """
        loop = asyncio.get_running_loop()
        token = object()
        future = loop.run_in_executor(self._executor, self._call_interruptible, work, token)
        try:
            return await future
        except asyncio.CancelledError:
            self._interrupt(token)
            raise

    def run_sync(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work`` on the database thread and wait for it (tools and tests only)."""
        return self._executor.submit(self._call, work).result()

    def _call(self, work: Callable[[sqlite3.Connection], T]) -> T:
        try:
            return work(self._connection)
        except sqlite3.Error as error:
            raise classify_sqlite_error(error, self.path) from error

    def _call_interruptible(self, work: Callable[[sqlite3.Connection], T], token: object) -> T:
        with self._interrupt_lock:
            self._interruptible = token
        try:
            return self._call(work)
        finally:
            with self._interrupt_lock:
                self._interruptible = None

    def _interrupt(self, token: object) -> None:
        # The lock keeps the read from ending, and the next job from starting,
        # between the check and the interrupt. SQLite documents an interrupt
        # while no statement runs as having no effect.
        with self._interrupt_lock:
            if self._interruptible is token:
                self._connection.interrupt()
                log.info("Interrupted a read of %s whose caller stopped waiting", self.path)

    def close(self) -> None:
        """Finish queued work, then close the connection."""
        self._executor.submit(self._connection.close).result()
        self._executor.shutdown(wait=True)
        log.info("Closed database %s", self.path)


def transaction(connection: sqlite3.Connection) -> _Transaction:
    """Return a context manager that wraps statements in ``BEGIN IMMEDIATE`` … ``COMMIT``."""
    return _Transaction(connection)


class _Transaction:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def __enter__(self) -> sqlite3.Connection:
        self._connection.execute("BEGIN IMMEDIATE")
        return self._connection

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self._connection.execute("COMMIT")
        elif self._connection.in_transaction:
            # SQLite has already rolled back after errors such as SQLITE_FULL;
            # a second ROLLBACK would hide the original error.
            self._connection.execute("ROLLBACK")


__all__ = ["Database", "StorageError", "connect", "transaction"]
