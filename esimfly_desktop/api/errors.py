"""Typed errors of the eSIMfly Business API client.

``ApiError`` and its subclasses are error responses from the service: each carries the
contract's error code, the HTTP status, the server's message, the request id
and the ``details`` object. ``TransportError`` means no usable response arrived,
``ResponseFormatError`` means a response arrived in a shape the contract does
not allow, and ``InsecureBaseUrlError`` rejects a base URL before any request.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any


class EsimflyError(Exception):
    """Root of every error the API client raises."""


class InsecureBaseUrlError(EsimflyError, ValueError):
    """The base URL is not HTTPS and not a loopback address."""

    def __init__(self, base_url: str, reason: str) -> None:
        super().__init__(f"Invalid API base URL {base_url!r}: {reason}")
        self.base_url = base_url
        self.reason = reason


class TransportError(EsimflyError):
    """The request failed in the network, so no usable response arrived.

    ``request_sent`` is False only when the connection failed before any byte
    of the request left this machine. When it is True the server may have
    acted on the request, so the outcome of a purchase is unknown.
    ``certificate_rejected`` is True when the server's TLS certificate failed
    verification, for example behind an inspecting proxy whose root
    certificate is not installed.
    """

    def __init__(
        self,
        message: str,
        *,
        method: str,
        path: str,
        request_id: str,
        request_sent: bool,
        certificate_rejected: bool = False,
    ) -> None:
        super().__init__(f"{method} {path} failed: {message} (request id {request_id})")
        self.method = method
        self.path = path
        self.request_id = request_id
        self.request_sent = request_sent
        self.certificate_rejected = certificate_rejected


class ResponseFormatError(EsimflyError):
    """A response is missing a required field or has a value of the wrong type."""

    def __init__(self, endpoint: str, field: str, request_id: str, problem: str) -> None:
        super().__init__(
            f"Invalid response from {endpoint}: field {field!r} {problem} (request id {request_id})"
        )
        self.endpoint = endpoint
        self.field = field
        self.request_id = request_id
        self.problem = problem


class NonJsonResponseError(ResponseFormatError):
    """A response body is not JSON, for example an HTML page from a proxy."""

    def __init__(self, endpoint: str, request_id: str, status: int, content_type: str) -> None:
        problem = f"is not JSON (HTTP {status}, Content-Type {content_type or 'missing'})"
        super().__init__(endpoint, "<body>", request_id, problem)
        self.status = status
        self.content_type = content_type


class ApiError(EsimflyError):
    """An error response from the service, or a code this client does not know."""

    def __init__(
        self,
        code: str | None,
        status: int,
        message: str,
        request_id: str,
        details: Mapping[str, Any] | None = None,
    ) -> None:
        label = code or f"HTTP {status}"
        super().__init__(f"{label} (HTTP {status}): {message} (request id {request_id})")
        self.code = code
        self.status = status
        self.message = message
        self.request_id = request_id
        self.details: Mapping[str, Any] = details or {}


# Authentication and request checks.


class AuthenticationError(ApiError):
    """The service rejected the request's credentials or signature headers."""


class HmacRequiredError(AuthenticationError):
    pass


class InvalidRequestIdError(AuthenticationError):
    pass


class InvalidTimestampError(AuthenticationError):
    pass


class ClockSkewError(InvalidTimestampError):
    """The timestamp stayed invalid after the client corrected its clock offset.

    ``skew_s`` is the server's clock minus this machine's clock in seconds, or
    None when the server sent no usable ``Date`` header.
    """

    def __init__(self, *args: Any, skew_s: float | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.skew_s = skew_s


class InvalidApiKeyError(AuthenticationError):
    pass


class InvalidSignatureError(AuthenticationError):
    pass


class InvalidUserError(AuthenticationError):
    pass


class DuplicateRequestError(ApiError):
    """A request id was reused, or an order with this idempotency key is still running."""


class RateLimitedError(ApiError):
    """The account is over its rate limit until ``until`` (UTC), or None if unknown."""

    def __init__(self, *args: Any, until: datetime | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.until = until


# Malformed requests (codes the sandbox uses where the vendor's pages are silent).


class InvalidRequestError(ApiError):
    """The service rejected the request's body, query or path."""


class PayloadTooLargeError(InvalidRequestError):
    pass


class InvalidJsonError(InvalidRequestError):
    pass


class InvalidParameterError(InvalidRequestError):
    pass


class InvalidQuantityError(InvalidRequestError):
    pass


class EndpointNotFoundError(InvalidRequestError):
    pass


class MethodNotAllowedError(InvalidRequestError):
    pass


# Orders.


class OrderError(ApiError):
    """An order was rejected; the balance was not charged."""


class MissingPackageCodeError(OrderError):
    pass


class InvalidPackageError(OrderError):
    pass


class PackageNotFoundError(OrderError):
    pass


class PriceMismatchError(OrderError):
    """The package's current cost differs from the price the order expected."""


class InsufficientBalanceError(OrderError):
    """The balance does not cover the order; the amounts are None when not sent."""

    def __init__(
        self,
        *args: Any,
        current_balance: Decimal | None,
        required_balance: Decimal | None,
        need_to_load: Decimal | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.current_balance = current_balance
        self.required_balance = required_balance
        self.need_to_load = need_to_load


class OrderNotFoundError(OrderError):
    pass


class OrderProcessingError(OrderError):
    pass


# eSIMs and top-ups.


class EsimRequestError(ApiError):
    """A request about an eSIM or a top-up was rejected."""


class MissingFieldsError(EsimRequestError):
    pass


class MissingIccidError(EsimRequestError):
    pass


class MissingIdentifierError(EsimRequestError):
    pass


class EsimNotFoundError(EsimRequestError):
    pass


class EsimAccessDeniedError(EsimRequestError):
    pass


class EsimNotToppableError(EsimRequestError):
    pass


class InvalidTopupPackageError(EsimRequestError):
    pass


class TopupNotSupportedError(EsimRequestError):
    pass


# eSIM actions.


class EsimActionError(ApiError):
    """An action on an eSIM (cancel, suspend, activate, status) was rejected."""


class NotEligibleError(EsimActionError):
    pass


class AlreadyCancelledError(EsimActionError):
    pass


class UnsupportedProviderError(EsimActionError):
    pass


class NotSupportedError(EsimActionError):
    pass


class InvalidActionError(EsimActionError):
    pass


class ForbiddenError(EsimActionError):
    pass


class ProviderError(EsimActionError):
    """The mobile network behind the service could not be reached."""


class ServerError(ApiError):
    """A 5xx response without a more specific code."""
