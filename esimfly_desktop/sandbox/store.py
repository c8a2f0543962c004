"""The sandbox's state in one SQLite file (WAL): accounts, catalog, orders, ledger.

The server runs on one asyncio loop and every statement runs on that loop's
thread, so each handler's transaction is atomic with respect to the others.
Money is stored as TEXT and read back as Decimal.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

log = logging.getLogger(__name__)

DATABASE_NAME = "sandbox.sqlite3"
REQUEST_ID_MEMORY_S = 24 * 3600
PRUNE_EVERY_REQUESTS = 1000

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS accounts (
    access_code TEXT PRIMARY KEY,
    secret TEXT NOT NULL,
    balance TEXT NOT NULL,
    currency TEXT NOT NULL,
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS packages (
    position INTEGER PRIMARY KEY,
    package_code TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS request_ids (request_id TEXT PRIMARY KEY, seen_at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS request_ids_seen ON request_ids (seen_at);
CREATE TABLE IF NOT EXISTS idempotency_keys (
    access_code TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    state TEXT NOT NULL,
    order_reference TEXT,
    created_at REAL NOT NULL,
    PRIMARY KEY (access_code, idempotency_key)
);
CREATE TABLE IF NOT EXISTS orders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_reference TEXT NOT NULL UNIQUE,
    access_code TEXT NOT NULL,
    package_code TEXT NOT NULL,
    package_name TEXT NOT NULL,
    quantity INTEGER NOT NULL,
    unit_cost TEXT NOT NULL,
    amount TEXT NOT NULL,
    currency TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at REAL NOT NULL,
    ready_at REAL NOT NULL,
    callback_url TEXT
);
CREATE INDEX IF NOT EXISTS orders_pending ON orders (status, ready_at);
CREATE TABLE IF NOT EXISTS esims (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    iccid TEXT NOT NULL UNIQUE,
    order_reference TEXT NOT NULL,
    access_code TEXT NOT NULL,
    package_code TEXT NOT NULL,
    smdp_address TEXT NOT NULL,
    matching_id TEXT NOT NULL,
    imsi TEXT NOT NULL,
    msisdn TEXT NOT NULL,
    total_mb INTEGER NOT NULL,
    used_mb TEXT NOT NULL DEFAULT '0',
    validity_days INTEGER NOT NULL,
    state TEXT NOT NULL DEFAULT 'NEW',
    suspended INTEGER NOT NULL DEFAULT 0,
    device_model TEXT,
    installed_at REAL,
    expires_at REAL,
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS topups (
    order_reference TEXT PRIMARY KEY,
    iccid TEXT NOT NULL,
    package_code TEXT NOT NULL,
    quantity INTEGER NOT NULL,
    amount TEXT NOT NULL,
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS ledger (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    access_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    reference TEXT NOT NULL,
    amount TEXT NOT NULL,
    balance_after TEXT NOT NULL,
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS webhooks (
    access_code TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    events TEXT NOT NULL,
    secret TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS webhook_deliveries (
    delivery_id TEXT PRIMARY KEY,
    access_code TEXT NOT NULL,
    event TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL,
    last_response TEXT,
    created_at REAL NOT NULL
);
"""


class Store:
    """The open sandbox database."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self.connection = connection
        self.path = path
        self._requests_since_prune = 0

    @classmethod
    def open(cls, data_dir: Path, *, reset: bool = False) -> Store:
        """Open (or with ``reset`` recreate) the database in ``data_dir``."""
        data_dir.mkdir(parents=True, exist_ok=True)
        path = data_dir / DATABASE_NAME
        if reset:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            log.info("Sandbox state reset in %s", data_dir)

        connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        connection.row_factory = sqlite3.Row
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
        connection.executescript(SCHEMA)

        # An order that was running when the process stopped can never finish.
        connection.execute("DELETE FROM idempotency_keys WHERE state = 'running'")
        return cls(connection, path)

    def close(self) -> None:
        self.connection.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Wrap statements in BEGIN IMMEDIATE … COMMIT, rolling back on any error."""
        self.connection.execute("BEGIN IMMEDIATE")
        try:
            yield self.connection
        except BaseException:
            self.connection.execute("ROLLBACK")
            raise
        self.connection.execute("COMMIT")

    # meta

    def get_meta(self, key: str) -> str | None:
        row = self.connection.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self.connection.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    # accounts

    def account(self, access_code: str) -> sqlite3.Row | None:
        return self.connection.execute(
            "SELECT * FROM accounts WHERE access_code = ?", (access_code,)
        ).fetchone()

    def balance(self, access_code: str) -> Decimal:
        row = self.account(access_code)
        if row is None:
            raise KeyError(access_code)
        return Decimal(row["balance"])

    def add_account(self, access_code: str, secret: str, balance: Decimal, currency: str) -> None:
        self.connection.execute(
            "INSERT INTO accounts (access_code, secret, balance, currency, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (access_code, secret, str(balance), currency, time.time()),
        )

    def move_money(
        self, conn: sqlite3.Connection, access_code: str, kind: str, reference: str, delta: Decimal
    ) -> Decimal:
        """Add ``delta`` to the balance and write the ledger line; call inside a transaction.

        Ledger kinds: ``charge`` (negative), ``refund`` and ``funds`` (positive).
        """
        balance = Decimal(
            conn.execute(
                "SELECT balance FROM accounts WHERE access_code = ?", (access_code,)
            ).fetchone()[0]
        )
        new_balance = balance + delta
        conn.execute(
            "UPDATE accounts SET balance = ? WHERE access_code = ?",
            (str(new_balance), access_code),
        )
        self._write_ledger(conn, access_code, kind, reference, delta, new_balance)
        return new_balance

    def record(
        self, conn: sqlite3.Connection, access_code: str, kind: str, reference: str, amount: Decimal
    ) -> None:
        """Write a ledger line that moves no money (an order or top-up and its amount)."""
        self._write_ledger(conn, access_code, kind, reference, amount, self.balance(access_code))

    def _write_ledger(
        self,
        conn: sqlite3.Connection,
        access_code: str,
        kind: str,
        reference: str,
        amount: Decimal,
        balance_after: Decimal,
    ) -> None:
        conn.execute(
            "INSERT INTO ledger (access_code, kind, reference, amount, balance_after, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (access_code, kind, reference, str(amount), str(balance_after), time.time()),
        )

    # request ids

    def remember_request_id(self, request_id: str, now: float) -> bool:
        """Record ``request_id``; return False when it was seen in the last 24 hours."""
        conn = self.connection
        self._requests_since_prune += 1
        if self._requests_since_prune >= PRUNE_EVERY_REQUESTS:
            self._requests_since_prune = 0
            self.forget_old_request_ids(now)
        row = conn.execute(
            "SELECT seen_at FROM request_ids WHERE request_id = ?", (request_id,)
        ).fetchone()
        if row is not None and now - row[0] < REQUEST_ID_MEMORY_S:
            return False
        conn.execute(
            "INSERT OR REPLACE INTO request_ids (request_id, seen_at) VALUES (?, ?)",
            (request_id, now),
        )
        return True

    def forget_old_request_ids(self, now: float) -> int:
        cursor = self.connection.execute(
            "DELETE FROM request_ids WHERE seen_at < ?", (now - REQUEST_ID_MEMORY_S,)
        )
        return cursor.rowcount

    # ledger

    def ledger(self, access_code: str | None = None) -> list[dict[str, object]]:
        query = "SELECT * FROM ledger"
        arguments: tuple[str, ...] = ()
        if access_code is not None:
            query += " WHERE access_code = ?"
            arguments = (access_code,)
        rows = self.connection.execute(query + " ORDER BY id", arguments).fetchall()
        return [
            {
                "id": row["id"],
                "access_code": row["access_code"],
                "kind": row["kind"],
                "reference": row["reference"],
                "amount": Decimal(row["amount"]),
                "balance_after": Decimal(row["balance_after"]),
                "created_at": row["created_at"],
            }
            for row in rows
        ]
