"""The outbox: every purchase is committed here first, then replayed in queue order.

Each order carries the idempotency key it was queued with, so a re-send after
a crash or a lost response returns the original order instead of buying again.
Only the holder of the sender lease sends (see ``lease``). Another copy of the
console on the same data folder shows the queue and sends nothing. Replay
starts by itself when an item is queued, when connectivity returns and on a
periodic tick, and it is paced by the client's rate-limit state.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from esimfly_desktop.services import outbox_store as store
from esimfly_desktop.services.lease import DEFAULT_TTL_S, SenderLease
from esimfly_desktop.services.observers import Observers
from esimfly_desktop.services.outbox_sender import ItemSender, SendOutcome, SendResult
from esimfly_desktop.services.outbox_store import NewItem, OutboxItem
from esimfly_desktop.storage.database import Database

log = logging.getLogger(__name__)

MAX_PAUSE_S = 65.0  # maximum wait for one per-minute rate-limit window, plus a margin
MAX_ATTEMPTS_PER_PASS = 5  # attempts at one item before the pass gives up on it
MAX_SENDS_PER_PASS = 10_000
TICK_INTERVAL_S = 30.0
RECENT_S = 24 * 3600  # finished items stay in the queue view for a day
MAX_TICKS = 2_000_000  # about two years of ticks; the runner also stops with the console


@dataclass(frozen=True)
class ItemSettled:
    """One send of an item finished: the item as now stored and what happened."""

    item: OutboxItem
    outcome: SendOutcome


@dataclass
class ReplayReport:
    held_lease: bool
    sent: list[int] = field(default_factory=list)
    stopped: list[int] = field(default_factory=list)
    paused_by: BaseException | None = None
    elapsed_s: float = 0.0


class Outbox:
    """The queue of one profile database and the replay of it through one API client."""

    def __init__(
        self,
        database: Database,
        client: Any | None = None,
        *,
        lease_ttl_s: float = DEFAULT_TTL_S,
        rate_limit_reserve: int = 2,
        tick_interval_s: float = TICK_INTERVAL_S,
    ) -> None:
        self._database = database
        self._lease = SenderLease(database, ttl_s=lease_ttl_s)
        self._rate_limit_reserve = rate_limit_reserve
        self._tick_interval_s = tick_interval_s
        self._client: Any | None = None
        self._sender: ItemSender | None = None
        self._wake = asyncio.Event()
        self._replay_lock = asyncio.Lock()
        self._runner: asyncio.Task[None] | None = None
        self._is_online = lambda: True
        self._waited_for_reset: float | None = None
        self.queue_changed: Observers[list[OutboxItem]] = Observers()
        self.item_settled: Observers[ItemSettled] = Observers()
        # Only items that finished (``DONE``), with the order reference for "Show QR".
        self.item_completed: Observers[ItemSettled] = Observers()
        if client is not None:
            self.set_client(client)

    @property
    def lease_owner(self) -> str:
        return self._lease.owner

    @property
    def is_sender(self) -> bool:
        """Whether this copy held the sender lease at its last attempt."""
        return self._lease.held

    def set_client(self, client: Any) -> None:
        self._client = client
        self._sender = ItemSender(self._database, client)

    def follow_connectivity(self, connectivity: Any) -> None:
        """Send only while ``connectivity`` is not offline, and replay when it comes back."""
        self._is_online = lambda: not connectivity.is_offline
        connectivity.state_changed.subscribe(lambda _state: self.wake())

    # Queue operations for the operator.

    async def enqueue(self, new: NewItem) -> OutboxItem:
        """Commit a new item, then wake the sender; the item is safe once this returns."""
        item = await self._database.run(lambda c: store.insert_item(c, new))
        log.info(
            "Queued outbox item %d: %d x %s at %s %s",
            item.id, item.quantity, item.package_code, item.price, item.currency,
        )  # fmt: skip
        await self._publish_queue()
        self.wake()
        return item

    async def items(self) -> list[OutboxItem]:
        """Return every item ever queued, oldest first."""
        return await self._database.run(store.list_items)

    async def queue(self) -> list[OutboxItem]:
        """Return open items and those finished in the last ``RECENT_S`` seconds, oldest first."""
        since = time.time() - RECENT_S
        return await self._database.run(lambda c: store.list_queue(c, since))

    async def item(self, item_id: int) -> OutboxItem:
        return await self._database.run(lambda c: store.get_item(c, item_id))

    async def cancel(self, item_id: int) -> bool:
        """Cancel an item never sent, or a failed one; return whether it was cancelled."""
        cancelled = await self._database.run(lambda c: store.cancel_item(c, item_id))
        log.info("Outbox item %d cancel requested: %s", item_id, cancelled)
        await self._publish_queue()
        return cancelled

    async def retry(self, item_id: int) -> bool:
        """Queue a failed order again with its original idempotency key."""
        retried = await self._database.run(lambda c: store.retry_item(c, item_id))
        log.info("Outbox item %d retry requested: %s", item_id, retried)
        await self._publish_queue()
        self.wake()
        return retried

    async def send_topup_again(self, item_id: int) -> bool:
        """Queue an uncertain top-up again after the operator checked it did not go through."""
        queued = await self._database.run(lambda c: store.requeue_unapplied_topup(c, item_id))
        log.info("Outbox top-up %d queued again by the operator: %s", item_id, queued)
        await self._publish_queue()
        self.wake()
        return queued

    async def accept_new_price(self, item_id: int, new_price: Decimal) -> OutboxItem:
        """Replace an item stopped by a price change with a new one at ``new_price``."""
        replacement = await self._database.run(
            lambda c: store.replace_with_new_price(c, item_id, new_price)
        )
        log.info("Outbox item %d replaced by %d at the new price", item_id, replacement.id)
        await self._publish_queue()
        self.wake()
        return replacement

    # Replay.

    def wake(self) -> None:
        self._wake.set()

    async def replay(self, *, max_duration_s: float = 3600.0) -> ReplayReport:
        """Send sendable items in queue order until the queue is empty or sending must pause."""
        async with self._replay_lock:
            return await self._replay_locked(max_duration_s)

    async def _replay_locked(self, max_duration_s: float) -> ReplayReport:
        started = time.monotonic()
        if self._sender is None or not await self._lease.acquire():
            return ReplayReport(held_lease=False)

        report = ReplayReport(held_lease=True)
        heartbeat = asyncio.create_task(self._renew_lease_while_sending())
        try:
            await self._send_in_order(report, started + max_duration_s)
        finally:
            # asyncio.wait, unlike awaiting the task under suppress(CancelledError),
            # lets a cancellation of this task (stop()) through.
            heartbeat.cancel()
            await asyncio.wait({heartbeat})
        report.elapsed_s = time.monotonic() - started
        return report

    async def _send_in_order(self, report: ReplayReport, deadline: float) -> None:
        assert self._sender is not None
        attempts: dict[int, int] = {}

        for _ in range(MAX_SENDS_PER_PASS):
            if time.monotonic() > deadline or not self._lease.held:
                return
            item = await self._database.run(store.next_sendable)
            if item is None:
                return

            await self._pace()
            outcome = await self._sender.send(item)
            attempts[item.id] = attempts.get(item.id, 0) + 1
            await self._announce(outcome)

            if outcome.result is SendResult.DONE:
                report.sent.append(item.id)
            elif outcome.result is SendResult.STOPPED:
                report.stopped.append(item.id)
            elif outcome.result is SendResult.PAUSE or attempts[item.id] >= MAX_ATTEMPTS_PER_PASS:
                report.paused_by = outcome.error
                return
            else:
                await asyncio.sleep(self._retry_delay(outcome, attempts[item.id]))

    def _retry_delay(self, outcome: SendOutcome, attempt: int) -> float:
        until = getattr(outcome.error, "until", None)
        if until is not None:
            return min(max(until.timestamp() - self._server_now(), 0.0) + 0.05, MAX_PAUSE_S)
        return min(outcome.retry_after_s or 0.5 * 2**attempt, MAX_PAUSE_S)

    async def _pace(self) -> None:
        """Wait for the next rate-limit window when the current one is nearly spent."""
        assert self._client is not None
        state = self._client.rate_limit
        if state.remaining is None or state.reset_at is None:
            return
        # The reserve leaves room for the console's own reads, but never more than
        # a twentieth of a small window.
        reserve = self._rate_limit_reserve
        if state.limit is not None:
            reserve = min(reserve, state.limit // 20)
        if state.remaining > reserve or state.reset_at == self._waited_for_reset:
            return

        wait_s = min(max(state.reset_at - self._server_now(), 0.0) + 0.05, MAX_PAUSE_S)
        log.info(
            "Rate limit nearly spent (%d left); pausing the outbox %.1f s", state.remaining, wait_s
        )
        await asyncio.sleep(wait_s)
        # The headers stay stale until the next response, so skip waiting for this reset again.
        self._waited_for_reset = state.reset_at

    def _server_now(self) -> float:
        assert self._client is not None
        return time.time() + float(getattr(self._client, "clock_offset_s", 0.0) or 0.0)

    async def _renew_lease_while_sending(self) -> None:
        interval = self._lease.ttl_s / 3
        for _ in range(MAX_TICKS):
            await asyncio.sleep(interval)
            await self._lease.acquire()

    async def _announce(self, outcome: SendOutcome) -> None:
        item = await self.item(outcome.item_id)
        settled = ItemSettled(item, outcome)
        self.item_settled.notify(settled)
        if outcome.result is SendResult.DONE:
            self.item_completed.notify(settled)
        await self._publish_queue()

    async def _publish_queue(self) -> None:
        self.queue_changed.notify(await self.queue())

    # The background runner.

    def start(self) -> None:
        """Start replaying in the background: now, on ``wake()`` and on every tick."""
        if self._runner is None:
            self._runner = asyncio.create_task(self._run(), name="outbox-runner")
            self.wake()

    async def stop(self) -> None:
        """Stop the runner (an item being sent stays ``sending`` for the next start)."""
        runner, self._runner = self._runner, None
        if runner is not None:
            runner.cancel()
            await asyncio.wait({runner})
        await self._lease.release()

    async def _run(self) -> None:
        for _ in range(MAX_TICKS):
            # On Python 3.11, asyncio.wait_for can return normally when stop() cancels it
            # just as the event is set; asyncio.timeout passes the cancellation on.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self._tick_interval_s):
                    await self._wake.wait()
            self._wake.clear()
            try:
                if self._is_online():
                    await self.replay()
                await self._publish_queue()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("Outbox replay failed; the queue is kept and retried later")
