"""Fetching the whole package catalog page by page."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from esimfly_desktop.api.models import Package, PackagePage

log = logging.getLogger(__name__)

# The live catalog has about 7,000 packages (70 pages of 100); this bound
# stops a service that keeps reporting more pages.
MAX_CATALOG_PAGES = 500

ListPage = Callable[..., Awaitable[PackagePage]]


async def fetch_all_packages(
    list_packages: ListPage,
    page_size: int,
    on_progress: Callable[[int, int], None] | None = None,
) -> list[Package]:
    """Return the packages of every page, in the service's order, without repeats."""
    packages: dict[str, Package] = {}
    page_number = 1
    total_pages = 1

    while page_number <= min(total_pages, MAX_CATALOG_PAGES):
        page = await list_packages(page=page_number, limit=page_size)
        total_pages = page.pagination.total_pages
        for package in page.packages:
            packages.setdefault(package.package_code, package)
        if on_progress is not None:
            on_progress(page_number, total_pages)
        if not page.packages:
            break
        page_number += 1

    if total_pages > MAX_CATALOG_PAGES:
        log.warning(
            "Catalog reports %d pages; fetched only the first %d", total_pages, MAX_CATALOG_PAGES
        )
    log.info("Fetched %d packages in %d pages", len(packages), min(page_number, total_pages))
    return list(packages.values())
