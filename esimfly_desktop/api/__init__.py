"""Async client for the eSIMfly Business API (httpx, no Qt).

``EsimflyClient`` signs every request, repeats only what cannot buy twice,
and returns frozen dataclasses with Decimal money. Errors are typed: see
``esimfly_desktop.api.errors``.
"""

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
from esimfly_desktop.api.models import (
    Balance,
    Esim,
    OrderDetails,
    OrderResult,
    Package,
    PackagePage,
)
from esimfly_desktop.api.request_log import RequestOutcome, RequestRecord
from esimfly_desktop.api.retry import RetryPolicy
from esimfly_desktop.api.signing import Credentials, compute_signature, mask_access_code
from esimfly_desktop.api.webhooks import verify_webhook_signature

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
