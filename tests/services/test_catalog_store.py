"""The stored catalog: round trips, unavailable packages, sync time, damaged records."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from esimfly_desktop.api.models import Package
from esimfly_desktop.services.catalog_codec import RecordFormatError, decode, encode
from esimfly_desktop.services.catalog_store import CatalogStore, load_catalog, save_sync
from esimfly_desktop.storage.database import Database
from tests.services.catalog_samples import generated_catalog, make_package, sample_catalog

FIRST_SYNC = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
SECOND_SYNC = FIRST_SYNC + timedelta(hours=6)


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    database = Database.open_sync(tmp_path / "console.sqlite3")
    yield database
    database.close()


def test_codec_round_trip_keeps_decimals() -> None:
    package = make_package("P1", cost=Decimal("4.50"), data_amount_gb=Decimal("0.5"))

    restored = decode(Package, encode(package))

    assert restored == package
    assert str(restored.cost) == "4.50"
    assert isinstance(restored.data_amount_gb, Decimal)
    assert restored.networks[0].name == "Docomo"


def test_codec_writes_money_as_strings() -> None:
    text = encode(make_package("P1", cost=Decimal("4.10")))

    assert '"cost":"4.10"' in text


def test_codec_writes_fields_in_order() -> None:
    text = encode(make_package("P1"))

    assert text == (
        '{"package_code":"P1","name":"Japan 1GB 7 Days","region":"Japan",'
        '"package_type":"local","data_amount_gb":"1","validity_days":7,"cost":"4.50",'
        '"currency":"USD","voice_minutes":null,"sms_count":null,"is_rechargeable":false,'
        '"is_unlimited":false,"has_voice":false,"has_sms":false,"countries":["JP"],'
        '"provider":"Sakura Net","networks":[{"name":"Docomo","network_type":"5G",'
        '"country_iso2":"JP"}],"has_5g":true,"has_hotspot":false,"activation_policy":null}'
    )


def test_codec_keeps_values_of_other_types() -> None:
    package = make_package("P1", cost=4, networks=[{"name": "Docomo"}])

    text = encode(package)

    assert '"cost":4,' in text
    assert '"networks":[{"name":"Docomo"}]' in text


def test_codec_ignores_removed_field() -> None:
    package = make_package("P1")
    text = encode(package).replace('{"package_code"', '{"retired_field":1,"package_code"')

    assert decode(Package, text) == package


def test_codec_fills_new_optional_field() -> None:
    package = make_package("P1", activation_policy=None)
    text = encode(package).replace(',"activation_policy":null', "")

    assert decode(Package, text) == package


def test_codec_rejects_missing_required_field() -> None:
    text = encode(make_package("P1")).replace('"cost":"4.50",', "")

    with pytest.raises(RecordFormatError, match="cost"):
        decode(Package, text)


def test_codec_rejects_invalid_money() -> None:
    text = encode(make_package("P1")).replace('"cost":"4.50"', '"cost":"four"')

    with pytest.raises(RecordFormatError, match="Package"):
        decode(Package, text)


@pytest.mark.asyncio
async def test_store_empty_before_first_sync(database: Database) -> None:
    stored = await CatalogStore(database).load()

    assert stored.packages == []
    assert stored.last_synced_at is None


@pytest.mark.asyncio
async def test_store_round_trip_in_service_order(database: Database) -> None:
    store = CatalogStore(database)
    packages = sample_catalog()

    changes = await store.save_sync(packages, FIRST_SYNC)
    stored = await store.load()

    assert stored.packages == packages
    assert stored.unavailable_codes == frozenset()
    assert stored.last_synced_at == FIRST_SYNC
    assert changes.received == len(packages)
    assert changes.added == len(packages)
    assert changes.marked_unavailable == 0


@pytest.mark.asyncio
async def test_store_marks_vanished_package_unavailable(database: Database) -> None:
    store = CatalogStore(database)
    packages = sample_catalog()
    await store.save_sync(packages, FIRST_SYNC)

    changes = await store.save_sync(packages[1:], SECOND_SYNC)
    stored = await store.load()

    assert changes.marked_unavailable == 1
    assert stored.unavailable_codes == {packages[0].package_code}
    assert packages[0] in stored.packages
    assert len(stored.packages) == len(packages)
    assert stored.last_synced_at == SECOND_SYNC


@pytest.mark.asyncio
async def test_store_keeps_unavailable_across_resyncs(database: Database) -> None:
    store = CatalogStore(database)
    packages = sample_catalog()
    await store.save_sync(packages, FIRST_SYNC)
    await store.save_sync(packages[1:], SECOND_SYNC)

    changes = await store.save_sync(packages[1:], SECOND_SYNC + timedelta(hours=6))
    stored = await store.load()

    assert changes.marked_unavailable == 0
    assert stored.unavailable_codes == {packages[0].package_code}
    unavailable_since = database.run_sync(
        lambda connection: connection.execute(
            "SELECT unavailable_since FROM catalog_packages WHERE package_code = ?",
            (packages[0].package_code,),
        ).fetchone()[0]
    )
    assert datetime.fromisoformat(unavailable_since) == SECOND_SYNC


@pytest.mark.asyncio
async def test_store_package_returns_available(database: Database) -> None:
    store = CatalogStore(database)
    packages = sample_catalog()
    await store.save_sync(packages, FIRST_SYNC)
    await store.save_sync(packages[1:], SECOND_SYNC)

    changes = await store.save_sync(packages, SECOND_SYNC + timedelta(hours=6))
    stored = await store.load()

    assert changes.available_again == 1
    assert stored.unavailable_codes == frozenset()


@pytest.mark.asyncio
async def test_store_updates_changed_price(database: Database) -> None:
    store = CatalogStore(database)
    packages = sample_catalog()
    await store.save_sync(packages, FIRST_SYNC)
    repriced = [replace(packages[0], cost=Decimal("4.75")), *packages[1:]]

    changes = await store.save_sync(repriced, SECOND_SYNC)
    stored = await store.load()

    assert changes.updated == 1
    assert changes.added == 0
    assert stored.packages[0].cost == Decimal("4.75")


@pytest.mark.asyncio
async def test_store_rejects_empty_sync(database: Database) -> None:
    store = CatalogStore(database)
    await store.save_sync(sample_catalog(), FIRST_SYNC)

    with pytest.raises(ValueError, match="no packages"):
        await store.save_sync([], SECOND_SYNC)

    stored = await store.load()
    assert stored.unavailable_codes == frozenset()
    assert stored.last_synced_at == FIRST_SYNC


@pytest.mark.asyncio
async def test_store_ignores_repeated_package(database: Database) -> None:
    store = CatalogStore(database)
    packages = sample_catalog()

    changes = await store.save_sync([*packages, packages[2]], FIRST_SYNC)
    stored = await store.load()

    assert changes.received == len(packages)
    assert stored.packages == packages


@pytest.mark.asyncio
async def test_store_skips_damaged_record(database: Database) -> None:
    store = CatalogStore(database)
    packages = sample_catalog()
    await store.save_sync(packages, FIRST_SYNC)
    database.run_sync(
        lambda connection: connection.execute(
            "UPDATE catalog_packages SET record = '{}' WHERE package_code = ?",
            (packages[1].package_code,),
        )
    )

    stored = await store.load()

    assert stored.skipped_records == 1
    assert len(stored.packages) == len(packages) - 1


def test_store_requires_aware_sync_time(database: Database) -> None:
    with pytest.raises(ValueError, match="timezone"):
        database.run_sync(
            lambda connection: save_sync(connection, sample_catalog(), datetime(2026, 3, 1))
        )


def test_store_reloads_large_catalog(tmp_path: Path) -> None:
    path = tmp_path / "console.sqlite3"
    packages = generated_catalog(7_000)
    database = Database.open_sync(path)
    database.run_sync(lambda connection: save_sync(connection, packages, FIRST_SYNC))
    database.close()

    reopened = Database.open_sync(path)
    stored = reopened.run_sync(load_catalog)
    reopened.close()

    assert len(stored.packages) == 7_000
    assert stored.packages == packages
