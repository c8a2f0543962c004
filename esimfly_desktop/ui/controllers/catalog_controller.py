"""Feeds the catalog view: the cached catalog at once, then background syncs with progress."""

from __future__ import annotations

import asyncio
import gc
import logging
from datetime import datetime, timedelta

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QWidget

from esimfly_desktop.api.errors import EsimflyError
from esimfly_desktop.i18n import _, current_language, ngettext
from esimfly_desktop.services.catalog_search import CatalogIndex, SortKey
from esimfly_desktop.services.catalog_store import CatalogStore, StoredCatalog
from esimfly_desktop.services.catalog_sync import (
    CatalogSync,
    CatalogSyncError,
    PackageLister,
    SyncResult,
)
from esimfly_desktop.ui.catalog.catalog_view import CatalogView
from esimfly_desktop.ui.catalog.filter_bar import CatalogQuery
from esimfly_desktop.ui.formatting import number

log = logging.getLogger(__name__)

# Rows read for the first paint: more than a tall window shows.
FIRST_SCREEN_ROWS = 100
# How long the full load waits for that first paint; a hidden window never paints.
FIRST_PAINT_WAIT_S = 0.5


class CatalogController(QObject):
    """Owns the search index and the sync tasks of one profile's catalog."""

    status_message = Signal(str)
    index_replaced = Signal(object)  # CatalogIndex

    def __init__(self, view: CatalogView, store: CatalogStore, *, interval: timedelta) -> None:
        super().__init__(view)
        self.view = view
        self.store = store
        self.interval = interval
        self.sync: CatalogSync | None = None
        self.index: CatalogIndex | None = None
        self._sort: tuple[SortKey, bool] = (SortKey.SERVICE_ORDER, False)
        self._tasks: set[asyncio.Task[object]] = set()
        self._periodic: asyncio.Task[None] | None = None
        self._shown_sync: datetime | None = None

        view.filter_bar.query_changed.connect(self._on_query_changed)
        view.model.sort_requested.connect(self._on_sort_requested)

    async def show_cached(self) -> int:
        """Show the catalog stored by earlier syncs; return how many packages it has."""
        # The first screenful comes from a cheap query and is painted first.
        # Decoding and indexing 7,000 packages takes about 150 ms on a 2-core
        # machine, and its worker threads would compete with that paint for the GIL.
        first = await self.store.load_first(FIRST_SCREEN_ROWS)
        if first.packages and self.index is None:
            await self._show_first_screen(first)

        stored = await self.store.load()
        await self._replace_index(stored)
        log.info("Showing %d cached packages", len(stored.packages))
        return len(stored.packages)

    def connect_client(self, client: PackageLister) -> None:
        """Enable syncing through ``client``; before this, only the cached catalog shows."""
        self.sync = CatalogSync(client, self.store, interval=self.interval)

    def set_interval(self, interval: timedelta) -> None:
        self.interval = interval
        if self.sync is not None:
            self.sync.interval = interval

    def refresh(self) -> asyncio.Task[SyncResult] | None:
        """Start a sync now (F5) or return the running one. Returns None before a client is set."""
        if self.sync is None:
            return None
        task = self.sync.start(self.view.show_sync_progress)
        if task not in self._tasks:
            self._keep(task)
            task.add_done_callback(self._on_sync_done)
        return task

    def start_periodic(self) -> None:
        """Sync whenever the interval has passed since the last stored sync."""
        if self._periodic is None and self.sync is not None:
            self._periodic = asyncio.ensure_future(
                self.sync.run_periodically(self.view.show_sync_progress, self._on_periodic_result)
            )

    async def stop(self) -> None:
        """Cancel the periodic loop and any running sync, and wait for them to end."""
        tasks = [task for task in (self._periodic, *self._tasks) if task is not None]
        self._periodic = None
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def _keep(self, task: asyncio.Task[object]) -> None:
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _on_sync_done(self, task: asyncio.Task[SyncResult]) -> None:
        self.view.hide_sync_progress()
        if task.cancelled():
            return

        error = task.exception()
        if error is None:
            self._keep(asyncio.ensure_future(self._reload_after(task.result())))
        elif isinstance(error, CatalogSyncError):
            # Its message is translated and already states that the stored catalog is kept.
            log.warning("Catalog sync rejected the service's catalog: %s", error)
            self.status_message.emit(_("Catalog refresh failed: {error}").format(error=error))
        elif isinstance(error, EsimflyError):
            request_id = getattr(error, "request_id", None)
            log.warning("Catalog sync failed (request id %s): %s", request_id, error)
            self.status_message.emit(
                _("Catalog refresh failed: {error}. The stored catalog is still shown.").format(
                    error=error
                )
            )
        else:
            log.error("Catalog sync failed unexpectedly", exc_info=error)
            self.status_message.emit(
                _("Catalog refresh failed. The stored catalog is still shown.")
            )

    def _on_periodic_result(self, result: SyncResult) -> None:
        self.view.hide_sync_progress()
        self._keep(asyncio.ensure_future(self._reload_after(result)))

    async def _reload_after(self, result: SyncResult) -> None:
        # A sync started by F5 and awaited by the periodic loop reports twice.
        if result.synced_at == self._shown_sync:
            return
        self._shown_sync = result.synced_at

        stored = await self.store.load()
        await self._replace_index(stored)
        changes = result.changes
        self.status_message.emit(
            ngettext(
                "Catalog updated: {count} package",
                "Catalog updated: {count} packages",
                changes.received,
            ).format(count=number(changes.received))
        )

    async def _show_first_screen(self, first: StoredCatalog) -> None:
        """Show the first stored packages until the full index replaces them."""
        index = CatalogIndex(
            first.packages, current_language(), unavailable_codes=first.unavailable_codes
        )
        query = self.view.filter_bar.query()
        sort_key, descending = self._sort
        self.view.show_packages(index, index.query(query.text, query.filters, sort_key, descending))
        # The count of a partial catalog would mislead, so the label waits for the full one.
        self.view.count_label.clear()
        await _next_paint(self.view.table.viewport(), FIRST_PAINT_WAIT_S)

    async def _replace_index(self, stored: StoredCatalog) -> None:
        # Building the index folds every package's search text: run it off the GUI thread.
        index = await asyncio.to_thread(
            CatalogIndex,
            stored.packages,
            current_language(),
            unavailable_codes=stored.unavailable_codes,
        )
        # Formatting every row's texts ahead keeps Babel out of the keystrokes.
        formatter = self.view.model.text_formatter()
        texts = await asyncio.to_thread(formatter.rows, index)
        # The packages, their index and texts live until the next load. Frozen, they are
        # left out of the cyclic collector's full passes, which otherwise took
        # 90-170 ms each while the operator typed (bench/search.py, 7,000 packages).
        # NOTE: objects alive now that later become unreachable cyclic garbage are
        # never freed; reference counting still frees everything else.
        gc.freeze()
        self.index = index
        self.view.filter_bar.set_regions(index.regions())
        self._show(self.view.filter_bar.query())
        self.view.model.use_formatted_texts(index, formatter, texts)
        self.index_replaced.emit(index)

    def _on_query_changed(self, query: CatalogQuery) -> None:
        self._show(query)

    def _on_sort_requested(self, sort_key: SortKey, descending: bool) -> None:
        self._sort = (sort_key, descending)
        self._show(self.view.filter_bar.query())

    def _show(self, query: CatalogQuery) -> None:
        if self.index is None:
            return
        sort_key, descending = self._sort
        rows = self.index.query(query.text, query.filters, sort_key, descending)
        self.view.show_packages(self.index, rows)


class _PaintWatch(QObject):
    """Resolves ``painted`` after the next paint event of the widget it watches."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.painted: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.painted.done():
            # Resolved from the loop, after this paint event has finished.
            asyncio.get_running_loop().call_soon(_resolve, self.painted)
        return False


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


async def _next_paint(widget: QWidget, timeout_s: float) -> None:
    """Wait until ``widget`` paints again, for at most ``timeout_s``.

    Returns at once for a hidden widget, which never paints.
    """
    if not widget.isVisible():
        return
    watch = _PaintWatch(widget)
    widget.installEventFilter(watch)
    try:
        await asyncio.wait_for(watch.painted, timeout_s)
    except TimeoutError:
        log.info("Catalog not painted within %.1f s; loading the full catalog anyway", timeout_s)
    finally:
        widget.removeEventFilter(watch)
        watch.deleteLater()
