"""Paging through the sandbox's whole catalog."""

from __future__ import annotations

from decimal import Decimal

import pytest

from esimfly_desktop.sandbox.launcher import SandboxInfo
from tests.api.sandbox_helpers import sandbox_client


@pytest.mark.asyncio
async def test_fetch_whole_catalog(sandbox: SandboxInfo) -> None:
    progress: list[tuple[int, int]] = []

    async with sandbox_client(sandbox) as client:
        first_page = await client.list_packages(limit=100)
        packages = await client.fetch_catalog(lambda page, total: progress.append((page, total)))

    total = first_page.pagination.total
    total_pages = first_page.pagination.total_pages
    assert total > 1000
    assert len(packages) == total
    assert len({package.package_code for package in packages}) == total
    assert progress[-1] == (total_pages, total_pages)
    assert len(progress) == total_pages
    assert all(isinstance(package.cost, Decimal) for package in packages)
    assert all(package.currency == "USD" for package in packages)
    assert {package.package_type for package in packages} >= {"local", "regional", "global"}


@pytest.mark.asyncio
async def test_search_and_type_filters(sandbox: SandboxInfo) -> None:
    async with sandbox_client(sandbox) as client:
        regional = await client.list_packages(package_type="regional", limit=20)
        clamped = await client.list_packages(limit=500)

    assert regional.packages
    assert all(package.package_type == "regional" for package in regional.packages)
    assert clamped.pagination.limit == 100
    assert len(clamped.packages) == 100
