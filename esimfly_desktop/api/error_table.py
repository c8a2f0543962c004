"""Map an error response (status and JSON body) to the matching ApiError subclass."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from esimfly_desktop.api import errors

ERROR_CLASSES: dict[str, type[errors.ApiError]] = {
    # Authentication and request checks.
    "HMAC_REQUIRED": errors.HmacRequiredError,
    "INVALID_REQUEST_ID": errors.InvalidRequestIdError,
    "INVALID_TIMESTAMP": errors.InvalidTimestampError,
    "INVALID_API_KEY": errors.InvalidApiKeyError,
    "INVALID_SIGNATURE": errors.InvalidSignatureError,
    "DUPLICATE_REQUEST": errors.DuplicateRequestError,
    "INVALID_USER": errors.InvalidUserError,
    "RATE_LIMIT_EXCEEDED": errors.RateLimitedError,
    # Malformed requests.
    "PAYLOAD_TOO_LARGE": errors.PayloadTooLargeError,
    "INVALID_JSON": errors.InvalidJsonError,
    "INVALID_PARAMETER": errors.InvalidParameterError,
    "INVALID_QUANTITY": errors.InvalidQuantityError,
    "NOT_FOUND": errors.EndpointNotFoundError,
    "METHOD_NOT_ALLOWED": errors.MethodNotAllowedError,
    # Orders.
    "MISSING_PACKAGE_CODE": errors.MissingPackageCodeError,
    "INVALID_PACKAGE": errors.InvalidPackageError,
    "PACKAGE_NOT_FOUND": errors.PackageNotFoundError,
    "PRICE_MISMATCH": errors.PriceMismatchError,
    "INSUFFICIENT_BALANCE": errors.InsufficientBalanceError,
    "ORDER_NOT_FOUND": errors.OrderNotFoundError,
    "ORDER_PROCESSING_ERROR": errors.OrderProcessingError,
    # eSIMs and top-ups.
    "MISSING_FIELDS": errors.MissingFieldsError,
    "MISSING_ICCID": errors.MissingIccidError,
    "MISSING_IDENTIFIER": errors.MissingIdentifierError,
    "ESIM_NOT_FOUND": errors.EsimNotFoundError,
    "ESIM_ACCESS_DENIED": errors.EsimAccessDeniedError,
    "ESIM_NOT_TOPPABLE": errors.EsimNotToppableError,
    "INVALID_TOPUP_PACKAGE": errors.InvalidTopupPackageError,
    "TOPUP_NOT_SUPPORTED": errors.TopupNotSupportedError,
    # eSIM actions.
    "NOT_ELIGIBLE": errors.NotEligibleError,
    "ALREADY_CANCELLED": errors.AlreadyCancelledError,
    "UNSUPPORTED_PROVIDER": errors.UnsupportedProviderError,
    "NOT_SUPPORTED": errors.NotSupportedError,
    "INVALID_ACTION": errors.InvalidActionError,
    "FORBIDDEN": errors.ForbiddenError,
    "PROVIDER_ERROR": errors.ProviderError,
}

BALANCE_FIELDS = {
    "current_balance": "currentBalance",
    "required_balance": "requiredBalance",
    "need_to_load": "needToLoad",
}


def build_api_error(
    status: int,
    body: Mapping[str, Any] | None,
    request_id: str,
    *,
    rate_limited_until: datetime | None = None,
) -> errors.ApiError:
    """Return the typed error for an error response; ``body`` is None when it was not JSON."""
    body = body or {}
    code = _text(body.get("code")) or _text(body.get("error_code"))
    message = _message(body, status)
    details = body.get("details")
    details = details if isinstance(details, Mapping) else {}

    error_class = ERROR_CLASSES.get(code or "")
    if error_class is None:
        error_class = errors.ServerError if status >= 500 else errors.ApiError
    if error_class is errors.RateLimitedError or (code is None and status == 429):
        return errors.RateLimitedError(
            code or "RATE_LIMIT_EXCEEDED", status, message, request_id, details,
            until=rate_limited_until,
        )  # fmt: skip
    if error_class is errors.InsufficientBalanceError:
        amounts = {name: _amount(body, details, key) for name, key in BALANCE_FIELDS.items()}
        return errors.InsufficientBalanceError(
            code, status, message, request_id, details, **amounts
        )
    return error_class(code, status, message, request_id, details)


def _message(body: Mapping[str, Any], status: int) -> str:
    # The vendor puts the text in "message", "error" or both; "error" is
    # sometimes the code itself, so prefer "message".
    for key in ("message", "error"):
        text = _text(body.get(key))
        if text:
            return text
    return f"HTTP {status} without an error message"


def _amount(body: Mapping[str, Any], details: Mapping[str, Any], key: str) -> Decimal | None:
    value = body.get(key, details.get(key))
    if isinstance(value, bool) or value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
