"""Schema versions of a profile database, applied in order on open.

``PRAGMA user_version`` is the number of migrations applied. A migration,
once released, is never edited: later changes are new entries at the end.
"""

from __future__ import annotations

import logging
import sqlite3

log = logging.getLogger(__name__)

MIGRATIONS: list[str] = [
    # 1: first release
    """
    CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
    # 2: outbox, sender lease, local orders with their eSIMs, audit trail
    """
    CREATE TABLE outbox_items (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL CHECK (kind IN ('order', 'topup')),
        state TEXT NOT NULL CHECK (state IN
            ('queued', 'sending', 'done', 'failed', 'outcome_unknown', 'cancelled')),
        idempotency_key TEXT NOT NULL UNIQUE,
        package_code TEXT NOT NULL,
        quantity INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 10),
        price TEXT NOT NULL,
        currency TEXT NOT NULL,
        iccid TEXT,
        customer_reference TEXT NOT NULL DEFAULT '',
        operator TEXT NOT NULL DEFAULT '',
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        may_have_reached_server INTEGER NOT NULL DEFAULT 0,
        needs_decision INTEGER NOT NULL DEFAULT 0,
        last_error_code TEXT,
        last_error TEXT,
        last_request_id TEXT,
        order_reference TEXT,
        replaced_by INTEGER REFERENCES outbox_items (id),
        volume_before_bytes INTEGER,
        expiry_before TEXT
    );
    CREATE INDEX outbox_items_by_state ON outbox_items (state, id);
    CREATE TABLE sender_lease (
        name TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        expires_at REAL NOT NULL
    );
    CREATE TABLE local_orders (
        order_reference TEXT PRIMARY KEY,
        package_code TEXT NOT NULL DEFAULT '',
        package_name TEXT NOT NULL DEFAULT '',
        quantity INTEGER NOT NULL DEFAULT 1,
        amount TEXT NOT NULL DEFAULT '0',
        currency TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL,
        customer_reference TEXT NOT NULL DEFAULT '',
        operator TEXT NOT NULL DEFAULT '',
        outbox_item_id INTEGER REFERENCES outbox_items (id),
        placed_here INTEGER NOT NULL DEFAULT 1,
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL
    );
    CREATE TABLE local_esims (
        iccid TEXT PRIMARY KEY,
        order_reference TEXT NOT NULL REFERENCES local_orders (order_reference),
        position INTEGER NOT NULL DEFAULT 0,
        lpa_string TEXT NOT NULL DEFAULT '',
        apple_install_url TEXT NOT NULL DEFAULT '',
        android_install_url TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT '',
        profile_status TEXT NOT NULL DEFAULT '',
        total_volume_bytes INTEGER,
        total_duration_days INTEGER,
        expired_time TEXT NOT NULL DEFAULT '',
        updated_at REAL NOT NULL
    );
    CREATE INDEX local_esims_by_order ON local_esims (order_reference, position);
    CREATE TABLE audit_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at REAL NOT NULL,
        operator TEXT NOT NULL DEFAULT '',
        action TEXT NOT NULL,
        order_reference TEXT,
        outbox_item_id INTEGER,
        request_ids TEXT NOT NULL DEFAULT '[]',
        detail TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX audit_events_by_order ON audit_events (order_reference);
    """,
    # 3: catalog packages (kept when they vanish from the service), confirmed balance
    """
    CREATE TABLE catalog_packages (
        package_code TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        region TEXT NOT NULL,
        package_type TEXT NOT NULL,
        data_amount_gb TEXT NOT NULL,
        validity_days INTEGER NOT NULL,
        cost TEXT NOT NULL,
        currency TEXT NOT NULL,
        service_position INTEGER NOT NULL,
        is_available INTEGER NOT NULL DEFAULT 1 CHECK (is_available IN (0, 1)),
        first_seen_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL,
        unavailable_since TEXT,
        record TEXT NOT NULL
    );
    CREATE TABLE confirmed_balance (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        amount TEXT NOT NULL,
        currency TEXT NOT NULL,
        confirmed_at TEXT NOT NULL,
        source TEXT NOT NULL
    );
    """,
]


def migrate(connection: sqlite3.Connection) -> int:
    """Apply the migrations the database lacks; return the resulting version."""
    current = connection.execute("PRAGMA user_version").fetchone()[0]
    if current > len(MIGRATIONS):
        raise sqlite3.DatabaseError(
            f"database schema version {current} is newer than this program "
            f"({len(MIGRATIONS)}); install a newer eSIMfly Desktop"
        )

    for version in range(current + 1, len(MIGRATIONS) + 1):
        connection.execute("BEGIN IMMEDIATE")
        for statement in _split(MIGRATIONS[version - 1]):
            connection.execute(statement)
        connection.execute(f"PRAGMA user_version = {version}")
        connection.execute("COMMIT")
        log.info("Database migrated to schema version %d", version)
    return len(MIGRATIONS)


def _split(script: str) -> list[str]:
    # NOTE: a plain split on ";" cannot hold triggers or strings containing ";".
    return [part.strip() for part in script.split(";") if part.strip()]
