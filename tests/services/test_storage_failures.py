"""Storage failures give typed errors with clear messages and never lose a queued order.

The tests run as root, which ignores folder permissions. So each failure is
produced in a way root cannot bypass: a data path under a regular file,
``PRAGMA max_page_count``, a ``mode=ro`` connection, a second connection
holding ``BEGIN EXCLUSIVE``, and truncated or overwritten files.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from esimfly_desktop.services import outbox_store as store
from esimfly_desktop.services.outbox_store import ItemState, NewItem
from esimfly_desktop.storage.database import Database, connect
from esimfly_desktop.storage.errors import (
    DatabaseFullError,
    DatabaseLockedError,
    DatabaseReadOnlyError,
    StorageError,
)
from esimfly_desktop.storage.recovery import open_or_recover, open_or_recover_async


def new_item(number: int = 1) -> NewItem:
    return NewItem(
        package_code=f"CKH{number:03d}",
        quantity=1,
        price=Decimal("4.50"),
        currency="USD",
        customer_reference=f"walk-in {number}",
        operator="Dana",
    )


@pytest.fixture
def database_path(tmp_path: Path) -> Path:
    return tmp_path / "profile" / "console.sqlite3"


@pytest.fixture
def database(database_path: Path) -> Iterator[Database]:
    database = Database.open_sync(database_path)
    yield database
    database.close()


def test_data_path_under_regular_file(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a regular file where the data folder should be")

    with pytest.raises(StorageError) as raised:
        Database.open_sync(blocker / "profile" / "console.sqlite3")

    assert str(blocker) in str(raised.value)
    assert "--data-dir" in str(raised.value)


def test_full_database_rejects_item_and_keeps_earlier(database: Database) -> None:
    first = database.run_sync(lambda c: store.insert_item(c, new_item(1)))
    pages = database.run_sync(lambda c: c.execute("PRAGMA page_count").fetchone()[0])
    database.run_sync(lambda c: c.execute(f"PRAGMA max_page_count = {pages}"))

    with pytest.raises(DatabaseFullError) as raised:
        for number in range(2, 2000):
            database.run_sync(lambda c, n=number: store.insert_item(c, new_item(n)))

    assert "no room left" in str(raised.value)
    kept = database.run_sync(store.list_items)
    assert kept[0].idempotency_key == first.idempotency_key
    assert all(item.state is ItemState.QUEUED for item in kept)


def test_read_only_connection_rejects_item(database: Database, database_path: Path) -> None:
    read_only = Database(database_path, connect(database_path, read_only=True))
    try:
        with pytest.raises(DatabaseReadOnlyError) as raised:
            read_only.run_sync(lambda c: store.insert_item(c, new_item()))
    finally:
        read_only.close()

    assert "cannot be written" in str(raised.value)
    assert database.run_sync(store.list_items) == []


def test_locked_database_rejects_item(database: Database, database_path: Path) -> None:
    database.run_sync(lambda c: c.execute("PRAGMA busy_timeout = 100"))
    other = sqlite3.connect(database_path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseLockedError) as raised:
            database.run_sync(lambda c: store.insert_item(c, new_item()))
    finally:
        other.execute("ROLLBACK")
        other.close()

    assert "locked by another program" in str(raised.value)
    assert database.run_sync(store.list_items) == []


def _fill_and_close(path: Path, count: int) -> list[store.OutboxItem]:
    database = Database.open_sync(path)
    items = [
        database.run_sync(lambda c, n=n: store.insert_item(c, new_item(n))) for n in range(count)
    ]
    sending = items[0]
    database.run_sync(lambda c: store.mark_sending(c, sending.id))
    database.run_sync(lambda c: c.execute("PRAGMA wal_checkpoint(TRUNCATE)"))
    database.close()
    return items


def test_overwritten_database_moved_aside(database_path: Path) -> None:
    _fill_and_close(database_path, 3)
    database_path.write_bytes(b"this is not an SQLite database" * 200)

    database, report = open_or_recover(database_path)
    try:
        assert report is not None
        assert report.moved_to.exists()
        assert report.moved_to != database_path
        assert report.kept_outbox_items == 0
        assert "outbox_items" in report.unreadable_tables
        assert str(report.moved_to) in report.message()
        assert database.run_sync(store.list_items) == []
    finally:
        database.close()


def test_damaged_page_keeps_readable_items(database_path: Path) -> None:
    items = _fill_and_close(database_path, 40)
    page_size = 4096
    data = bytearray(database_path.read_bytes())
    last_page = len(data) - page_size
    data[last_page : last_page + page_size] = b"\xff" * page_size
    database_path.write_bytes(bytes(data))

    database, report = open_or_recover(database_path)
    try:
        assert report is not None
        recovered = database.run_sync(store.list_items)
        assert report.kept_outbox_items == len(recovered)
        # The overwritten last page held the newest rows; the rest survive.
        assert len(items) // 2 < len(recovered) < len(items)
        originals = {item.id: item for item in items}
        for item in recovered:
            assert item.idempotency_key == originals[item.id].idempotency_key
        assert recovered[0].state is ItemState.OUTCOME_UNKNOWN
        assert recovered[0].may_have_reached_server
        assert all(item.state is ItemState.QUEUED for item in recovered[1:])
    finally:
        database.close()


def test_truncated_database_moved_aside(database_path: Path) -> None:
    items = _fill_and_close(database_path, 40)
    data = database_path.read_bytes()
    database_path.write_bytes(data[: len(data) // 2])

    database, report = open_or_recover(database_path)
    try:
        assert report is not None
        assert report.moved_to.exists()
        recovered = database.run_sync(store.list_items)
        keys = {item.idempotency_key for item in items}
        assert {item.idempotency_key for item in recovered} <= keys
        assert report.kept_outbox_items == len(recovered)
    finally:
        database.close()


def test_healthy_database_opens_without_report(database_path: Path) -> None:
    _fill_and_close(database_path, 2)

    database, report = open_or_recover(database_path)
    try:
        assert report is None
        assert len(database.run_sync(store.list_items)) == 2
    finally:
        database.close()


@pytest.fixture
def zeroed_database(database_path: Path) -> Path:
    _fill_and_close(database_path, 2)
    database_path.write_bytes(b"\x00" * 8192)
    return database_path


@pytest.mark.asyncio
async def test_recovery_off_event_loop_thread(zeroed_database: Path) -> None:
    database, report = await open_or_recover_async(zeroed_database)
    try:
        assert report is not None
        assert report.moved_to.exists()
        assert await database.run(store.list_items) == []
    finally:
        database.close()
