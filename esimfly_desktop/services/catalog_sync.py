"""Fetch the whole catalog page by page and store it, now or on an interval.

A sync stores nothing until every page has arrived, so a cancelled or failed
sync leaves the stored catalog as it was and never marks packages
unavailable because of a page it did not see.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from esimfly_desktop.api.errors import EsimflyError
from esimfly_desktop.api.models import PackagePage
from esimfly_desktop.i18n import _
from esimfly_desktop.services.catalog_staging import CatalogStaging
from esimfly_desktop.services.catalog_store import CatalogChanges, CatalogStore
from esimfly_desktop.services.collector import cyclic_garbage_collection_paused
from esimfly_desktop.storage.errors import StorageError

log = logging.getLogger(__name__)

DEFAULT_INTERVAL = timedelta(hours=6)
RETRY_AFTER_FAILURE = timedelta(minutes=5)
PAGE_SIZE = 100

# NOTE: over HTTP/1.1 two open requests take two pooled connections, so a sync
# keeps two connections to the service, where one-at-a-time paging keeps one.
PAGES_IN_FLIGHT = 2

# 1,000 pages of 100 is 100,000 packages, far above the live catalog's ~7,000.
# A service that reports more pages than this is faulty.
MAX_PAGES = 1_000

# The periodic loop ends after this many rounds: over a year at the default
# interval, and about 35 days if every round fails and retries after 5 minutes.
MAX_PERIODIC_ROUNDS = 10_000

ProgressCallback = Callable[[int, int], None]
Sleep = Callable[[float], Awaitable[None]]


class PackageLister(Protocol):
    """The part of ``EsimflyClient`` a sync uses."""

    async def list_packages(
        self,
        page: int = 1,
        limit: int = 100,
        search: str | None = None,
        package_type: str | None = None,
    ) -> PackagePage: ...


class CatalogSyncError(Exception):
    """The service's catalog cannot be accepted, so the stored catalog stays unchanged."""


class CatalogTooLargeError(CatalogSyncError):
    """The service reported more catalog pages than a sync accepts."""


class EmptyCatalogError(CatalogSyncError):
    """The service returned no packages at all.

    That is far more likely a fault than a catalog without packages, and
    storing it would mark every package unavailable.
    """


@dataclass(frozen=True)
class SyncResult:
    """The outcome of one complete sync."""

    changes: CatalogChanges
    pages: int
    synced_at: datetime
    duration_s: float


class CatalogSync:
    """Runs catalog syncs one at a time, when the operator refreshes and on an interval."""

    def __init__(
        self,
        client: PackageLister,
        store: CatalogStore,
        *,
        interval: timedelta = DEFAULT_INTERVAL,
        clock: Callable[[], datetime] | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._client = client
        self._store = store
        self.interval = interval
        self._clock = clock or (lambda: datetime.now(UTC))
        self._sleep = sleep
        self._task: asyncio.Task[SyncResult] | None = None

    @property
    def is_running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self, on_progress: ProgressCallback | None = None) -> asyncio.Task[SyncResult]:
        """Start a sync in the background, or return the one already running."""
        if self._task is not None and not self._task.done():
            log.info("Catalog sync already running, so no second one was started")
            return self._task
        self._task = asyncio.get_running_loop().create_task(
            self.sync(on_progress), name="catalog-sync"
        )
        return self._task

    def cancel(self) -> bool:
        """Cancel the running sync. Return False when none was running."""
        if self._task is None or self._task.done():
            return False
        log.info("Catalog sync cancelled")
        return self._task.cancel()

    async def sync(self, on_progress: ProgressCallback | None = None) -> SyncResult:
        """Fetch every page into a staging table, then replace the stored catalog at once.

        Raises the client's errors (``EsimflyError`` subclasses) unchanged, and
        ``CatalogSyncError`` for a catalog that is empty or has too many pages.
        """
        started = time.perf_counter()
        log.info("Catalog sync started")

        staging = self._store.stage()
        try:
            # Parsing the pages creates hundreds of thousands of objects without
            # reference cycles. With the cyclic collector on, its full passes over
            # them stopped the event loop for 40-70 ms at a time (bench/catalog_sync.py).
            with cyclic_garbage_collection_paused():
                pages = await self._fetch_all_pages(staging, on_progress)
            if not staging.received:
                raise EmptyCatalogError(
                    _(
                        "The service returned an empty catalog, so the stored catalog is kept. "
                        "Refresh again later."
                    )
                )
            synced_at = self._clock()
            changes = await staging.commit(synced_at)
        finally:
            await staging.discard()

        result = SyncResult(changes, pages, synced_at, time.perf_counter() - started)
        log.info(
            "Catalog sync finished: %d packages in %d pages, %.1f s",
            changes.received,
            pages,
            result.duration_s,
        )
        return result

    async def _fetch_all_pages(
        self, staging: CatalogStaging, on_progress: ProgressCallback | None
    ) -> int:
        """Fetch every page into ``staging`` and return the number of pages."""
        first = await self._fetch_page(1)
        total_pages = _checked_total_pages(first, 1)
        staging.add_page(first.packages)
        pages = 1
        _report(on_progress, 1, total_pages)

        # Page N+1 is requested while page N is parsed and staged, so the
        # network wait hides that work. At most PAGES_IN_FLIGHT requests are
        # open at once.
        in_flight: deque[asyncio.Task[PackagePage]] = deque()
        next_page = 2
        try:
            while next_page <= total_pages or in_flight:
                while next_page <= total_pages and len(in_flight) < PAGES_IN_FLIGHT:
                    in_flight.append(asyncio.ensure_future(self._fetch_page(next_page)))
                    next_page += 1

                page = await in_flight.popleft()
                pages += 1
                total_pages = max(total_pages, _checked_total_pages(page, pages))
                staging.add_page(page.packages)
                _report(on_progress, pages, total_pages)
        finally:
            await _cancel_all(in_flight)
        return pages

    async def _fetch_page(self, page_number: int) -> PackagePage:
        return await self._client.list_packages(page=page_number, limit=PAGE_SIZE)

    def next_due(self, last_synced_at: datetime | None) -> datetime:
        """Return when the next periodic sync is due (now, before the first sync)."""
        if last_synced_at is None:
            return self._clock()
        return last_synced_at + self.interval

    async def run_periodically(
        self,
        on_progress: ProgressCallback | None = None,
        on_result: Callable[[SyncResult], None] | None = None,
        *,
        max_rounds: int = MAX_PERIODIC_ROUNDS,
    ) -> None:
        """Sync whenever the interval has passed since the last stored sync.

        Runs until cancelled or for ``max_rounds`` rounds. A failed sync, or a
        database that cannot be read or written, is logged and retried after
        ``RETRY_AFTER_FAILURE``. The caller keeps a reference to the task that
        runs this coroutine.
        """
        log.info("Periodic catalog sync started, interval %s", self.interval)
        try:
            for _round in range(max_rounds):
                try:
                    await self._sleep_until_due()
                    result = await self.start(on_progress)
                except asyncio.CancelledError:
                    if _this_task_is_cancelling():
                        raise
                    log.info(
                        "Catalog sync cancelled; the next one starts in %s", RETRY_AFTER_FAILURE
                    )
                    await self._sleep(RETRY_AFTER_FAILURE.total_seconds())
                    continue
                except (EsimflyError, CatalogSyncError, StorageError) as error:
                    log.warning(
                        "Catalog sync failed (request id %s): %s",
                        getattr(error, "request_id", None),
                        error,
                    )
                    await self._sleep(RETRY_AFTER_FAILURE.total_seconds())
                    continue
                if on_result is not None:
                    on_result(result)
        finally:
            log.info("Periodic catalog sync stopped")

    async def _sleep_until_due(self) -> None:
        last_synced_at = await self._store.last_synced_at()
        delay = (self.next_due(last_synced_at) - self._clock()).total_seconds()
        if delay > 0:
            await self._sleep(delay)


def _checked_total_pages(page: PackagePage, page_number: int) -> int:
    total_pages = page.pagination.total_pages
    if total_pages > MAX_PAGES:
        raise CatalogTooLargeError(
            _(
                "The service reports {count} catalog pages, more than the {maximum} this "
                "console accepts, so the stored catalog is kept. Refresh again later."
            ).format(count=total_pages, maximum=MAX_PAGES)
        )
    return max(total_pages, page_number)


def _report(on_progress: ProgressCallback | None, page_number: int, total_pages: int) -> None:
    if on_progress is not None:
        on_progress(page_number, total_pages)


async def _cancel_all(tasks: Collection[asyncio.Task[Any]]) -> None:
    # Waiting for the cancelled requests keeps their errors from being
    # reported as "never retrieved" after the sync has already failed.
    for task in tasks:
        task.cancel()
    if tasks:
        await asyncio.gather(*tasks, return_exceptions=True)


def _this_task_is_cancelling() -> bool:
    # Telling the periodic task's own cancellation apart from a cancelled
    # sync it was awaiting needs Task.cancelling(), new in Python 3.11.
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0


__all__ = [
    "DEFAULT_INTERVAL",
    "CatalogSync",
    "CatalogSyncError",
    "CatalogTooLargeError",
    "EmptyCatalogError",
    "PackageLister",
    "ProgressCallback",
    "SyncResult",
]
