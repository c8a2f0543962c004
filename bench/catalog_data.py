"""Catalog and order data for the benchmarks: the training sandbox's catalog, stretched as needed.

The sandbox generates about 7,100 packages from real geography. Larger
catalogs repeat it with a copy number appended to each package code, name and
nothing else, so the search words match in the same
proportion at every size.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from esimfly_desktop.api.catalog_parsing import parse_package
from esimfly_desktop.api.json_reader import JsonObject, Origin, decode_json
from esimfly_desktop.api.models import Package
from esimfly_desktop.sandbox import jsonmoney
from esimfly_desktop.sandbox.catalog import generate_catalog
from esimfly_desktop.services.catalog_store import CatalogStore
from esimfly_desktop.storage.database import Database
from esimfly_desktop.storage.paths import TRAINING_PROFILE, DataFolders


def catalog_packages(count: int, currency: str = "USD") -> list[Package]:
    """Return ``count`` packages: the sandbox's catalog, repeated with numbered codes."""
    # Through JSON and the client's parser, as a sync would receive them.
    origin = Origin("/packages", "benchmark")
    items = decode_json(jsonmoney.dumps(generate_catalog(currency)))
    base = [parse_package(JsonObject(item, origin)) for item in items]
    packages = base[:count]
    copy = 1
    while len(packages) < count:
        copy += 1
        needed = count - len(packages)
        packages.extend(
            replace(
                package,
                package_code=f"{package.package_code}-copy{copy}",
                name=f"{package.name} ({copy})",
            )
            for package in base[:needed]
        )
    return packages


async def store_catalog(database_path: Path, packages: list[Package]) -> None:
    """Write ``packages`` as the last completed sync of the profile database."""
    database = await Database.open(database_path)
    try:
        await CatalogStore(database).save_sync(packages, datetime.now(UTC))
    finally:
        await asyncio.to_thread(database.close)


def prepare_training_folder(root: Path, package_count: int) -> DataFolders:
    """Create a data folder whose training profile has a cached catalog of ``package_count``."""
    folders = DataFolders(root)
    profile = folders.profile(TRAINING_PROFILE)
    profile.path.mkdir(parents=True, exist_ok=True)
    asyncio.run(store_catalog(profile.database, catalog_packages(package_count)))
    return folders
