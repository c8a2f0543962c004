"""The purchase flow as steps the counter view shows: check, place, wait for eSIMs, ready.

Every order goes through the outbox, online or not, so the idempotency key is
committed before the request leaves. When the service cannot be reached the
flow ends in ``queued`` and the outbox places the order when it can.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from esimfly_desktop.api import errors
from esimfly_desktop.i18n import _
from esimfly_desktop.services.observers import Observers
from esimfly_desktop.services.order_store import OrderStore, StoredOrder
from esimfly_desktop.services.outbox import ItemSettled, Outbox
from esimfly_desktop.services.outbox_sender import SendResult
from esimfly_desktop.services.outbox_store import NewItem

log = logging.getLogger(__name__)

PENDING_POLL_TIMEOUT_S = 600.0
PENDING_POLL_FIRST_DELAY_S = 2.0
PENDING_POLL_MAX_DELAY_S = 30.0
MAX_PENDING_POLLS = 200
# How long placing waits for the outbox before telling the operator the order is queued;
# it covers one full rate-limit pause.
PLACING_TIMEOUT_S = 90.0


class Step(enum.StrEnum):
    CHECKING = "checking"
    PLACING = "placing"
    WAITING = "waiting"
    READY = "ready"


class StepState(enum.StrEnum):
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    QUEUED = "queued"
    CANCELLED = "cancelled"


class PurchaseState(enum.StrEnum):
    READY = "ready"
    QUEUED = "queued"  # in the outbox; it is placed when the service can be reached
    PENDING = "pending"  # placed, the eSIM details are still coming; see order history
    FAILED = "failed"


@dataclass(frozen=True)
class StepChange:
    step: Step
    state: StepState
    at: float
    message: str = ""


@dataclass(frozen=True)
class PurchaseRequest:
    package_code: str
    package_name: str
    unit_cost: Decimal
    currency: str
    quantity: int
    customer_reference: str = ""


@dataclass(frozen=True)
class PurchaseOutcome:
    state: PurchaseState
    outbox_item_id: int | None = None
    order: StoredOrder | None = None
    error: BaseException | None = None
    message: str = ""
    need_to_load: Decimal | None = None


class PurchaseFlow:
    """One purchase at the counter, reporting each step to ``step_changed`` subscribers."""

    def __init__(
        self,
        client: Any,
        outbox: Outbox,
        orders: OrderStore,
        *,
        operator: str,
        pending_timeout_s: float = PENDING_POLL_TIMEOUT_S,
        placing_timeout_s: float = PLACING_TIMEOUT_S,
        connectivity: Any | None = None,
    ) -> None:
        self._client = client
        self._connectivity = connectivity
        self._outbox = outbox
        self._orders = orders
        self._operator = operator
        self._pending_timeout_s = pending_timeout_s
        self._placing_timeout_s = placing_timeout_s
        self._waiting_cancelled = asyncio.Event()
        self.step_changed: Observers[StepChange] = Observers()

    def cancel_waiting(self) -> None:
        """Stop waiting for eSIM details; the order stays in history to be resumed later."""
        self._waiting_cancelled.set()

    async def run(self, request: PurchaseRequest) -> PurchaseOutcome:
        """Check, place through the outbox, wait for the eSIMs and return the result."""
        refusal = await self._check(request)
        if refusal is not None:
            return refusal

        placed = await self._place(request)
        if placed.state is not PurchaseState.READY:
            return placed

        assert placed.order is not None
        return await self.wait_for_esims(placed.order.order_reference)

    async def _check(self, request: PurchaseRequest) -> PurchaseOutcome | None:
        self._step(Step.CHECKING, StepState.RUNNING)
        total = request.unit_cost * request.quantity
        if self._is_offline():
            self._step(Step.CHECKING, StepState.DONE, _("Balance not confirmed (offline)."))
            return None
        try:
            balance = await self._client.get_balance()
        except (errors.TransportError, errors.RateLimitedError, errors.ServerError) as error:
            # The outbox keeps the order until the balance can be confirmed by the service.
            log.warning("Balance check skipped: %s", type(error).__name__)
            self._step(Step.CHECKING, StepState.DONE, _("Balance not confirmed (offline)."))
            return None

        if balance.currency != request.currency:
            message = _(
                "The package is priced in {package_currency} but the account holds "
                "{account_currency}; it cannot be ordered."
            ).format(package_currency=request.currency, account_currency=balance.currency)
            return self._fail(Step.CHECKING, message)
        if balance.amount < total:
            need = total - balance.amount
            message = _(
                "The balance ({balance} {currency}) does not cover {total} {currency}. "
                "Load at least {need} {currency}, then try again."
            ).format(balance=balance.amount, total=total, need=need, currency=balance.currency)
            log.info("Purchase stopped before sending: balance short by %s", need)
            return PurchaseOutcome(
                PurchaseState.FAILED,
                message=self._fail(Step.CHECKING, message).message,
                need_to_load=need,
            )

        self._step(Step.CHECKING, StepState.DONE)
        return None

    async def _place(self, request: PurchaseRequest) -> PurchaseOutcome:
        self._step(Step.PLACING, StepState.RUNNING)
        settled: asyncio.Queue[ItemSettled] = asyncio.Queue()
        unsubscribe = self._outbox.item_settled.subscribe(settled.put_nowait)
        try:
            item = await self._outbox.enqueue(
                NewItem(
                    package_code=request.package_code,
                    quantity=request.quantity,
                    price=request.unit_cost,
                    currency=request.currency,
                    customer_reference=request.customer_reference,
                    operator=self._operator,
                )
            )
            outcome = None if self._is_offline() else await self._wait_for_item(item.id, settled)
        finally:
            unsubscribe()

        if outcome is None or outcome.outcome.result in (SendResult.PAUSE, SendResult.RETRY_LATER):
            message = _(
                "The service cannot be reached now. The order is queued and will be "
                "placed once it can."
            )
            self._step(Step.PLACING, StepState.QUEUED, message)
            return PurchaseOutcome(PurchaseState.QUEUED, outbox_item_id=item.id, message=message)

        if outcome.outcome.result is SendResult.STOPPED:
            stopped = outcome.item
            message = _("The order was not placed: {reason} ({code}).").format(
                reason=stopped.last_error or "", code=stopped.last_error_code or ""
            )
            failed = self._fail(Step.PLACING, message)
            return PurchaseOutcome(
                PurchaseState.FAILED,
                outbox_item_id=item.id,
                error=outcome.outcome.error,
                message=failed.message,
                need_to_load=getattr(outcome.outcome.error, "need_to_load", None),
            )

        reference = outcome.outcome.order_reference or ""
        order = await self._orders.order(reference)
        self._step(Step.PLACING, StepState.DONE, reference)
        return PurchaseOutcome(PurchaseState.READY, outbox_item_id=item.id, order=order)

    async def _wait_for_item(
        self, item_id: int, settled: asyncio.Queue[ItemSettled]
    ) -> ItemSettled | None:
        deadline = time.monotonic() + self._placing_timeout_s
        for _attempt in range(10_000):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            try:
                async with asyncio.timeout(remaining):
                    event = await settled.get()
            except TimeoutError:
                return None
            if event.item.id == item_id:
                return event
        return None

    async def wait_for_esims(self, order_reference: str) -> PurchaseOutcome:
        """Poll a pending order with backoff until its eSIMs arrive, the time is up or cancelled."""
        # NOTE: the audit trail records the request ids of placing the order, not of
        # these polls, because outcomes from a shared client do not name their order.
        order = await self._orders.order(order_reference)
        if order is not None and not order.is_pending:
            return self._ready(order)

        self._waiting_cancelled.clear()
        self._step(Step.WAITING, StepState.RUNNING)
        deadline = time.monotonic() + self._pending_timeout_s
        delay = PENDING_POLL_FIRST_DELAY_S
        for _poll in range(MAX_PENDING_POLLS):
            if time.monotonic() >= deadline:
                break
            if await self._cancelled_within(min(delay, deadline - time.monotonic())):
                self._step(Step.WAITING, StepState.CANCELLED)
                return PurchaseOutcome(PurchaseState.PENDING, order=order)
            delay = min(delay * 2, PENDING_POLL_MAX_DELAY_S)

            try:
                details = await self._client.get_order(order_reference)
            except (errors.TransportError, errors.RateLimitedError, errors.ServerError) as error:
                log.info(
                    "Polling order %s failed (%s); trying again",
                    order_reference,
                    type(error).__name__,
                )
                continue
            await self._orders.save_details(details)
            if not details.is_pending:
                order = await self._orders.order(order_reference)
                assert order is not None
                return self._ready(order)

        message = _("The eSIM details are not ready yet. Find the order in history later.")
        self._step(Step.WAITING, StepState.FAILED, message)
        return PurchaseOutcome(PurchaseState.PENDING, order=order, message=message)

    async def _cancelled_within(self, seconds: float) -> bool:
        try:
            async with asyncio.timeout(max(seconds, 0.0)):
                await self._waiting_cancelled.wait()
        except TimeoutError:
            return False
        return True

    def _is_offline(self) -> bool:
        return self._connectivity is not None and self._connectivity.is_offline

    def _ready(self, order: StoredOrder) -> PurchaseOutcome:
        self._step(Step.WAITING, StepState.DONE)
        self._step(Step.READY, StepState.DONE, order.order_reference)
        return PurchaseOutcome(PurchaseState.READY, order=order)

    def _fail(self, step: Step, message: str) -> PurchaseOutcome:
        self._step(step, StepState.FAILED, message)
        return PurchaseOutcome(PurchaseState.FAILED, message=message)

    def _step(self, step: Step, state: StepState, message: str = "") -> None:
        log.info("Purchase step %s: %s", step, state)
        self.step_changed.notify(StepChange(step, state, time.time(), message))
