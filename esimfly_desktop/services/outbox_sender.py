"""Send one outbox item and commit the state its response leads to.

The item's state is committed before each action it describes: ``sending``
before the request leaves, ``done`` together with the stored order before the
operator hears of it. Orders are safe to re-send because the idempotency key
makes the service return the original order for a repeat. A top-up has no
such key, so an uncertain top-up is settled by comparing the eSIM's data
volume and expiry with the values recorded before it was sent.
"""

from __future__ import annotations

import enum
import logging
import sqlite3
from dataclasses import dataclass
from typing import Any

from esimfly_desktop import crashpoints
from esimfly_desktop.api import errors
from esimfly_desktop.api.order_models import OrderResult
from esimfly_desktop.services import audit, order_store
from esimfly_desktop.services import outbox_store as store
from esimfly_desktop.services.outbox_store import ItemKind, OutboxItem
from esimfly_desktop.storage.database import Database, transaction

log = logging.getLogger(__name__)

# Rejections a retry cannot fix: the item stops and waits for the operator.
FINAL_ERRORS: tuple[type[errors.ApiError], ...] = (
    errors.InsufficientBalanceError,
    errors.InvalidPackageError,
    errors.PackageNotFoundError,
    errors.MissingPackageCodeError,
    errors.InvalidRequestError,
    errors.EsimRequestError,
)


class SendResult(enum.Enum):
    """The replay loop's next move after one item."""

    DONE = "done"  # the item finished; go on with the next one
    STOPPED = "stopped"  # the item waits for the operator; go on with the next one
    RETRY_LATER = "retry_later"  # the item stays in the queue; wait, then try it again
    PAUSE = "pause"  # the service cannot be used now; stop the replay pass


@dataclass(frozen=True)
class SendOutcome:
    result: SendResult
    item_id: int
    order_reference: str | None = None
    error: BaseException | None = None
    retry_after_s: float = 0.0
    # The service's response to an order, so the console can show its newBalance.
    order_result: OrderResult | None = None


class ItemSender:
    """Sends items through one client and records the responses in one database."""

    def __init__(self, database: Database, client: Any) -> None:
        self._database = database
        self._client = client
        self._request_ids: list[str] = []
        client.add_outcome_listener(self._remember_request_id)

    def _remember_request_id(self, outcome: Any) -> None:
        request_id = getattr(outcome, "request_id", None)
        if request_id:
            self._request_ids.append(str(request_id))

    async def send(self, item: OutboxItem) -> SendOutcome:
        """Send ``item`` once and commit the resulting state."""
        self._request_ids = []
        if item.kind is ItemKind.TOPUP:
            return await self._send_topup(item)
        return await self._send_order(item)

    async def _send_order(self, item: OutboxItem) -> SendOutcome:
        sending = await self._database.run(lambda c: store.mark_sending(c, item.id))
        if sending is None:
            return SendOutcome(SendResult.STOPPED, item.id)
        crashpoints.reach(crashpoints.AFTER_SENDING_COMMITTED)

        log.info("Sending outbox item %d (attempt %d)", item.id, sending.attempts)
        try:
            result = await self._client.create_order(
                item.package_code, item.quantity, item.idempotency_key, price=item.price
            )
        except Exception as error:
            return await self._record_failure(item, error)

        request_ids = list(self._request_ids)

        def store_answer(connection: sqlite3.Connection) -> None:
            with transaction(connection):
                store.mark_done(connection, item.id, result.order_reference, _last(request_ids))
                order_store.save_order_result(connection, result, item)
                audit.record(
                    connection,
                    action="order_placed" if not result.duplicate else "order_confirmed",
                    operator=item.operator,
                    order_reference=result.order_reference,
                    outbox_item_id=item.id,
                    request_ids=request_ids,
                    detail=f"{item.quantity} x {item.package_code} at {item.price} "
                    f"{item.currency}; status {result.status}",
                )

        await self._database.run(store_answer)
        crashpoints.reach(crashpoints.AFTER_ANSWER_STORED)
        log.info(
            "Outbox item %d placed as order %s (duplicate response: %s)",
            item.id,
            result.order_reference,
            result.duplicate,
        )
        return SendOutcome(
            SendResult.DONE, item.id, order_reference=result.order_reference, order_result=result
        )

    async def _send_topup(self, item: OutboxItem) -> SendOutcome:
        # Top-ups have no idempotency key, so an uncertain one is settled from
        # the eSIM's usage figures instead of being sent again.
        assert item.iccid is not None
        if item.may_have_reached_server:
            return await self._settle_uncertain_topup(item)

        try:
            volume, expiry = await esim_snapshot(self._client, item.iccid)
        except Exception as error:
            return await self._record_failure(item, error, reached=False)
        sending = await self._database.run(
            lambda c: store.mark_sending(
                c, item.id, volume_before_bytes=volume, expiry_before=expiry
            )
        )
        if sending is None:
            return SendOutcome(SendResult.STOPPED, item.id)
        crashpoints.reach(crashpoints.AFTER_SENDING_COMMITTED)

        try:
            result = await self._client.create_topup(item.iccid, item.package_code, item.quantity)
        except Exception as error:
            return await self._record_failure(item, error)
        return await self._finish_topup(item, result.order_reference)

    async def _settle_uncertain_topup(self, item: OutboxItem) -> SendOutcome:
        assert item.iccid is not None
        try:
            volume, expiry = await esim_snapshot(self._client, item.iccid)
        except Exception as error:
            return _pause_outcome(item, error)

        went_through = (
            item.volume_before_bytes is not None
            and volume is not None
            and volume > item.volume_before_bytes
        ) or (item.expiry_before is not None and expiry not in (None, item.expiry_before))
        if went_through:
            log.info("Uncertain top-up %d went through (the eSIM's figures changed)", item.id)
            return await self._finish_topup(item, None)

        await self._database.run(
            lambda c: store.mark_failed(
                c,
                item.id,
                error_code="TOPUP_OUTCOME_UNKNOWN",
                error="the eSIM shows no change; decide whether to send the top-up again",
                request_id=_last(self._request_ids),
                needs_decision=True,
            )
        )
        return SendOutcome(SendResult.STOPPED, item.id)

    async def _finish_topup(self, item: OutboxItem, reference: str | None) -> SendOutcome:
        request_ids = list(self._request_ids)

        def store_answer(connection: sqlite3.Connection) -> None:
            with transaction(connection):
                store.mark_done(connection, item.id, reference or "", _last(request_ids))
                audit.record(
                    connection,
                    action="topup_placed",
                    operator=item.operator,
                    order_reference=reference,
                    outbox_item_id=item.id,
                    request_ids=request_ids,
                    detail=f"{item.package_code} for eSIM {item.iccid}",
                )

        await self._database.run(store_answer)
        crashpoints.reach(crashpoints.AFTER_ANSWER_STORED)
        return SendOutcome(SendResult.DONE, item.id, order_reference=reference)

    async def _record_failure(
        self, item: OutboxItem, error: Exception, *, reached: bool | None = None
    ) -> SendOutcome:
        request_id = getattr(error, "request_id", None) or _last(self._request_ids)
        code = getattr(error, "code", None)
        reason = getattr(error, "message", None) or type(error).__name__

        if not isinstance(error, errors.EsimflyError):
            # A bug or a value the client rejected before sending: stop rather than loop.
            log.exception("Outbox item %d failed unexpectedly", item.id, exc_info=error)
            await self._database.run(
                lambda c: store.mark_failed(
                    c,
                    item.id,
                    error_code=type(error).__name__,
                    error=str(error),
                    request_id=request_id,
                )
            )
            return SendOutcome(SendResult.STOPPED, item.id, error=error)

        if isinstance(error, (errors.PriceMismatchError, *FINAL_ERRORS)):
            log.warning("Outbox item %d stopped: %s (request id %s)", item.id, code, request_id)
            await self._database.run(
                lambda c: store.mark_failed(
                    c,
                    item.id,
                    error_code=code,
                    error=reason,
                    request_id=request_id,
                    needs_decision=isinstance(error, errors.PriceMismatchError),
                )
            )
            await self._database.run(lambda c: _audit_failure(c, item, code, [*self._request_ids]))
            return SendOutcome(SendResult.STOPPED, item.id, error=error)

        if reached is None:
            reached = _may_have_reached_server(error)
        await self._database.run(
            lambda c: store.mark_back(
                c,
                item.id,
                may_have_reached_server=reached,
                error_code=code or type(error).__name__,
                error=reason,
                request_id=request_id,
            )
        )
        log.warning(
            "Outbox item %d not sent: %s (request id %s); it stays in the queue",
            item.id,
            code or type(error).__name__,
            request_id,
        )
        if isinstance(error, errors.RateLimitedError | errors.DuplicateRequestError):
            return SendOutcome(SendResult.RETRY_LATER, item.id, error=error)
        if isinstance(error, errors.ServerError | errors.OrderProcessingError):
            return SendOutcome(SendResult.RETRY_LATER, item.id, error=error, retry_after_s=2.0)
        return _pause_outcome(item, error)


def _pause_outcome(item: OutboxItem, error: BaseException) -> SendOutcome:
    return SendOutcome(SendResult.PAUSE, item.id, error=error)


def _may_have_reached_server(error: BaseException) -> bool:
    if isinstance(error, errors.TransportError):
        return error.request_sent
    # The service checks rate limits and credentials before it looks at the order.
    # A 409 for a running key, a 5xx or an unreadable response means the service saw it.
    return not isinstance(error, errors.RateLimitedError | errors.AuthenticationError)


def _audit_failure(
    connection: sqlite3.Connection, item: OutboxItem, code: str | None, request_ids: list[str]
) -> None:
    with transaction(connection):
        audit.record(
            connection,
            action="order_rejected",
            operator=item.operator,
            order_reference=None,
            outbox_item_id=item.id,
            request_ids=request_ids,
            detail=f"{item.quantity} x {item.package_code}: {code}",
        )


async def esim_snapshot(client: Any, iccid: str) -> tuple[int | None, str | None]:
    """Return the eSIM's total data volume in bytes and its validity, as the service reports them.

    The validity is the expiry time once the eSIM is activated, and its length
    in days before that; a top-up changes either.
    """
    query = await client.query_usage(iccid=iccid)
    total_mb = query.usage.total_mb if query.usage is not None else None
    volume = None if total_mb is None else int(total_mb * 1024 * 1024)

    validity = query.validity
    if validity is None:
        return volume, None
    if validity.expires_at is not None:
        return volume, str(validity.expires_at)
    return volume, None if validity.days is None else f"{validity.days} days"


def _last(request_ids: list[str]) -> str | None:
    return request_ids[-1] if request_ids else None
