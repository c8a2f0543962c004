"""Async client for the eSIMfly Business API (httpx, no Qt).

``EsimflyClient`` signs every request, repeats only what cannot buy twice,
and returns frozen dataclasses with Decimal money. Errors are typed: see
``esimfly_desktop.api.errors``.

The names below load on first use, so that importing one small module of
this package (signing, models) does not import httpx and the whole client
before the console's first paint.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from esimfly_desktop.api.base_url import validate_base_url
    from esimfly_desktop.api.client import EsimflyClient
    from esimfly_desktop.api.errors import (
        ApiError,
        ClockSkewError,
        EsimflyError,
        InsecureBaseUrlError,
        InsufficientBalanceError,
        PriceMismatchError,
        RateLimitedError,
        ResponseFormatError,
        TransportError,
    )
    from esimfly_desktop.api.models import Balance, Package, PackagePage
    from esimfly_desktop.api.order_models import Esim, OrderDetails, OrderResult
    from esimfly_desktop.api.request_log import RequestOutcome, RequestRecord
    from esimfly_desktop.api.retry import RetryPolicy
    from esimfly_desktop.api.signing import Credentials, compute_signature, mask_access_code
    from esimfly_desktop.api.webhooks import verify_webhook_signature

_MODULE_OF_NAME = {
    "validate_base_url": "base_url",
    "EsimflyClient": "client",
    "ApiError": "errors",
    "ClockSkewError": "errors",
    "EsimflyError": "errors",
    "InsecureBaseUrlError": "errors",
    "InsufficientBalanceError": "errors",
    "PriceMismatchError": "errors",
    "RateLimitedError": "errors",
    "ResponseFormatError": "errors",
    "TransportError": "errors",
    "Balance": "models",
    "Esim": "order_models",
    "OrderDetails": "order_models",
    "OrderResult": "order_models",
    "Package": "models",
    "PackagePage": "models",
    "RequestOutcome": "request_log",
    "RequestRecord": "request_log",
    "RetryPolicy": "retry",
    "Credentials": "signing",
    "compute_signature": "signing",
    "mask_access_code": "signing",
    "verify_webhook_signature": "webhooks",
}


def __getattr__(name: str) -> Any:
    module_name = _MODULE_OF_NAME.get(name)
    if module_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module_name}"), name)
    globals()[name] = value
    return value


__all__ = [
    "ApiError",
    "Balance",
    "ClockSkewError",
    "Credentials",
    "Esim",
    "EsimflyClient",
    "EsimflyError",
    "InsecureBaseUrlError",
    "InsufficientBalanceError",
    "OrderDetails",
    "OrderResult",
    "Package",
    "PackagePage",
    "PriceMismatchError",
    "RateLimitedError",
    "RequestOutcome",
    "RequestRecord",
    "ResponseFormatError",
    "RetryPolicy",
    "TransportError",
    "compute_signature",
    "mask_access_code",
    "validate_base_url",
    "verify_webhook_signature",
]
