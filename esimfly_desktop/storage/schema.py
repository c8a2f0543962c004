"""Schema versions of a profile database, applied in order on open.

``PRAGMA user_version`` holds the number of migrations applied. A migration,
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
