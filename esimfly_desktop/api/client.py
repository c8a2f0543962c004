"""EsimflyClient: one method per endpoint of the eSIMfly Business API."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from types import TracebackType
from typing import Any

import httpx

from esimfly_desktop.api.base_url import validate_base_url
from esimfly_desktop.api.catalog import fetch_all_packages
from esimfly_desktop.api.catalog_parsing import parse_balance, parse_package_page
from esimfly_desktop.api.esim_parsing import (
    parse_cancel_result,
    parse_esim_page,
    parse_esim_status,
    parse_suspend_result,
    parse_topup_result,
    parse_usage_query,
    parse_usage_report,
    parse_webhook_settings,
)
from esimfly_desktop.api.json_reader import JsonObject
from esimfly_desktop.api.models import Balance, Package, PackagePage
from esimfly_desktop.api.order_models import (
    CancelResult,
    EsimPage,
    EsimStatus,
    OrderDetails,
    OrderPage,
    OrderResult,
    SuspendResult,
    TopupResult,
    UsageQuery,
    UsageReport,
    WebhookSettings,
)
from esimfly_desktop.api.order_parsing import (
    parse_order_details,
    parse_order_page,
    parse_order_result,
)
from esimfly_desktop.api.rate_limit import RateLimitState
from esimfly_desktop.api.request_log import OutcomeListener, RequestRecord
from esimfly_desktop.api.retry import RetryMode, RetryPolicy
from esimfly_desktop.api.session import ApiSession, QueryParams, RequestSpec, Sleep
from esimfly_desktop.api.signing import Credentials, mask_access_code

log = logging.getLogger(__name__)

MAX_PAGE_SIZE = 100
MAX_ORDER_QUANTITY = 10
MAX_IDEMPOTENCY_KEY_LENGTH = 200
MAX_USAGE_REPORT_DAYS = 90


class EsimflyClient:
    """An async client for one account; use it as ``async with`` or call ``aclose()``.

    Reads are repeated after network failures and 502/503/504 responses. Orders
    are repeated only with the caller's idempotency key. Top-ups, cancels,
    suspends and webhook changes are repeated only when the connection failed
    before the request was sent.
    """

    def __init__(
        self,
        base_url: str,
        credentials: Credentials,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        max_rate_limit_wait_s: float = 30.0,
        retry_policy: RetryPolicy | None = None,
        sleep: Sleep | None = None,
    ) -> None:
        extra: dict[str, Any] = {"sleep": sleep} if sleep is not None else {}
        self._session = ApiSession(
            validate_base_url(base_url),
            credentials,
            transport=transport,
            retry_policy=retry_policy,
            max_rate_limit_wait_s=max_rate_limit_wait_s,
            **extra,
        )
        log.info(
            "API client for %s with access code %s",
            self._session.base_url,
            mask_access_code(credentials.access_code),
        )

    @classmethod
    async def open(cls, base_url: str, credentials: Credentials, **options: Any) -> EsimflyClient:
        """Build a client on a worker thread and return it.

        Building the httpx client loads TLS trust files (about 15 ms measured
        on a 2-vCPU Linux VM), which the GUI thread should not wait for.
        """
        return await asyncio.to_thread(lambda: cls(base_url, credentials, **options))

    async def __aenter__(self) -> EsimflyClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._session.aclose()
        log.info("API client for %s closed", self._session.base_url)

    async def reset_connections(self) -> None:
        await self._session.reset_connections()

    # State for pacing, diagnostics and the connectivity indicator.

    @property
    def base_url(self) -> str:
        return self._session.base_url

    @property
    def rate_limit(self) -> RateLimitState:
        return self._session.rate_limit

    def seconds_until_request_allowed(self) -> float:
        """Return 0 while the rate-limit window has requests left, else the wait in seconds."""
        return self._session.rate_limit.seconds_until_request_allowed(
            server_now=self._session.clock.now()
        )

    @property
    def clock_offset_s(self) -> float:
        """The correction added to local time for request timestamps (server minus local)."""
        return self._session.clock.offset_s

    @property
    def measured_clock_skew_s(self) -> float | None:
        """Server clock minus local clock from the last ``Date`` header, or None."""
        return self._session.clock.last_measured_skew_s

    @property
    def recent_requests(self) -> list[RequestRecord]:
        return list(self._session.request_log.records)

    def add_outcome_listener(self, listener: OutcomeListener) -> None:
        self._session.request_log.add_listener(listener)

    def remove_outcome_listener(self, listener: OutcomeListener) -> None:
        self._session.request_log.remove_listener(listener)

    # Account and catalog.

    async def get_balance(self) -> Balance:
        return parse_balance(await self._get_data("/balance"))

    async def list_packages(
        self,
        page: int = 1,
        limit: int = MAX_PAGE_SIZE,
        search: str | None = None,
        package_type: str | None = None,
    ) -> PackagePage:
        params = _query(page=page, limit=limit, search=search, type=package_type)
        return parse_package_page(await self._get_data("/esims/packages", params))

    async def fetch_catalog(
        self, on_progress: Callable[[int, int], None] | None = None
    ) -> list[Package]:
        """Return every package, fetching pages of 100; ``on_progress(page, total_pages)``."""
        return await fetch_all_packages(self.list_packages, MAX_PAGE_SIZE, on_progress)

    # Orders.

    async def create_order(
        self,
        package_code: str,
        quantity: int,
        idempotency_key: str,
        *,
        price: Decimal | None = None,
        callback_url: str | None = None,
    ) -> OrderResult:
        """Buy ``quantity`` eSIMs of a package; repeats reuse ``idempotency_key``.

        With ``price`` set, the service rejects the order with PriceMismatchError
        when the package's unit cost changed.
        """
        if not 1 <= quantity <= MAX_ORDER_QUANTITY:
            raise ValueError(f"quantity must be 1 to {MAX_ORDER_QUANTITY}, not {quantity}")
        if not 0 < len(idempotency_key) <= MAX_IDEMPOTENCY_KEY_LENGTH:
            raise ValueError(
                f"idempotency_key must be 1 to {MAX_IDEMPOTENCY_KEY_LENGTH} characters long"
            )

        body: dict[str, Any] = {
            "packageCode": package_code,
            "quantity": quantity,
            "idempotency_key": idempotency_key,
        }
        if price is not None:
            body["price"] = price
        if callback_url is not None:
            body["callbackUrl"] = callback_url
        spec = RequestSpec(
            "POST", "/esims/order", json_body=body, mode=RetryMode.IDEMPOTENT, crash_points=True
        )
        return parse_order_result(await self._session.request(spec))

    async def get_order(self, order_reference: str) -> OrderDetails:
        spec = RequestSpec("GET", "/esims/order", params={"orderReference": order_reference})
        return parse_order_details(await self._session.request(spec))

    async def list_orders(
        self,
        page: int = 1,
        limit: int = 20,
        *,
        status: str | None = None,
        from_date: date | str | None = None,
        to_date: date | str | None = None,
        search: str | None = None,
        sort_by: str | None = None,
        sort_order: str | None = None,
    ) -> OrderPage:
        params = _query(
            page=page, limit=limit, status=status, from_date=from_date, to_date=to_date,
            search=search, sort_by=sort_by, sort_order=sort_order,
        )  # fmt: skip
        return parse_order_page(await self._get_data("/orders", params))

    # eSIMs and top-ups.

    async def list_esims(
        self,
        page: int = 1,
        limit: int = 20,
        *,
        status: str | None = None,
        search: str | None = None,
    ) -> EsimPage:
        params = _query(page=page, limit=limit, status=status, search=search)
        return parse_esim_page(await self._get_data("/esims", params))

    async def query_usage(
        self, *, iccid: str | None = None, order_id: str | None = None
    ) -> UsageQuery:
        if not iccid and not order_id:
            raise ValueError("query_usage needs an iccid or an order_id")
        params = _query(iccid=iccid, order_id=order_id)
        return parse_usage_query(await self._get_data("/esims/usage/query", params))

    async def list_topup_packages(self, iccid: str) -> PackagePage:
        return parse_package_page(await self._get_data("/topup/packages", {"iccid": iccid}))

    async def create_topup(self, iccid: str, package_code: str, quantity: int = 1) -> TopupResult:
        """Top up an eSIM; the service has no idempotency key for top-ups.

        The request is repeated only when it never left this machine, or after a
        429 or INVALID_TIMESTAMP, which the service returns before acting. A
        TransportError with ``request_sent=True`` means the outcome is unknown,
        so check the eSIM's volume before trying again.
        """
        body = {"iccid": iccid, "packageCode": package_code, "quantity": quantity}
        spec = RequestSpec("POST", "/topup/order", json_body=body, mode=RetryMode.ONCE)
        return parse_topup_result(await self._session.request(spec))

    async def esim_status(self, iccid: str) -> EsimStatus:
        return parse_esim_status(await self._post_data("/esims/status", {"iccid": iccid}))

    async def cancel_esim(self, iccid: str) -> CancelResult:
        data = await self._post_data("/esims/cancel", {"iccid": iccid}, RetryMode.ONCE)
        return parse_cancel_result(data)

    async def suspend_esim(self, iccid: str) -> SuspendResult:
        body = {"iccid": iccid, "action": "suspend"}
        return parse_suspend_result(await self._post_data("/esims/suspend", body, RetryMode.ONCE))

    async def activate_esim(self, iccid: str) -> SuspendResult:
        body = {"iccid": iccid, "action": "activate"}
        return parse_suspend_result(await self._post_data("/esims/suspend", body, RetryMode.ONCE))

    async def usage_report(self, iccid: str, days: int = 7) -> UsageReport:
        if not 1 <= days <= MAX_USAGE_REPORT_DAYS:
            raise ValueError(f"days must be 1 to {MAX_USAGE_REPORT_DAYS}, not {days}")
        data = await self._post_data("/esims/usage-report", {"iccid": iccid, "days": days})
        return parse_usage_report(data)

    # Webhooks.

    async def get_webhooks(self) -> WebhookSettings:
        return parse_webhook_settings(await self._get_data("/webhooks"))

    async def set_webhooks(self, url: str, events: Sequence[str]) -> WebhookSettings:
        """Set the delivery URL and events; the response contains the new signing secret."""
        body = {"webhook_url": url, "events": list(events)}
        spec = RequestSpec("PUT", "/webhooks", json_body=body, mode=RetryMode.ONCE)
        response = await self._session.request(spec)
        return parse_webhook_settings(response.optional_object("data") or response)

    # Helpers.

    async def _get_data(self, path: str, params: QueryParams | None = None) -> JsonObject:
        response = await self._session.request(RequestSpec("GET", path, params=params))
        return response.object("data")

    async def _post_data(
        self, path: str, body: dict[str, Any], mode: RetryMode = RetryMode.READ
    ) -> JsonObject:
        response = await self._session.request(RequestSpec("POST", path, json_body=body, mode=mode))
        return response.object("data")


def _query(**values: object) -> dict[str, str | int]:
    """Drop unset parameters and write dates in ISO form."""
    params: dict[str, str | int] = {}
    for name, value in values.items():
        if value is None:
            continue
        params[name] = value.isoformat() if isinstance(value, date) else value  # type: ignore[assignment]
    return params
