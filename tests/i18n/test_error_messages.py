"""Every API error code and failure kind gets a translated, actionable message."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from esimfly_desktop.api import errors as api_errors
from esimfly_desktop.i18n import set_language
from esimfly_desktop.i18n.bidi import strip_isolates
from esimfly_desktop.i18n.error_messages import CODE_MESSAGES, describe_error, explain_error
from esimfly_desktop.storage.errors import DatabaseLockedError

# The service's error table, and the codes the training sandbox adds.
CONTRACT_CODES = [
    "HMAC_REQUIRED", "INVALID_REQUEST_ID", "INVALID_TIMESTAMP", "INVALID_API_KEY",
    "INVALID_SIGNATURE", "DUPLICATE_REQUEST", "INVALID_USER", "RATE_LIMIT_EXCEEDED",
    "MISSING_PACKAGE_CODE", "INVALID_PACKAGE", "PACKAGE_NOT_FOUND", "PRICE_MISMATCH",
    "INSUFFICIENT_BALANCE", "ORDER_NOT_FOUND", "ORDER_PROCESSING_ERROR",
    "MISSING_FIELDS", "MISSING_ICCID", "MISSING_IDENTIFIER", "ESIM_NOT_FOUND",
    "ESIM_ACCESS_DENIED", "ESIM_NOT_TOPPABLE", "INVALID_TOPUP_PACKAGE", "TOPUP_NOT_SUPPORTED",
    "NOT_ELIGIBLE", "ALREADY_CANCELLED", "UNSUPPORTED_PROVIDER", "NOT_SUPPORTED",
    "INVALID_ACTION", "FORBIDDEN", "PROVIDER_ERROR",
]  # fmt: skip
SANDBOX_CODES = [
    "PAYLOAD_TOO_LARGE", "INVALID_JSON", "INVALID_PARAMETER", "INVALID_QUANTITY",
    "NOT_FOUND", "METHOD_NOT_ALLOWED", "INTERNAL_ERROR", "SERVICE_UNAVAILABLE",
]  # fmt: skip

REQUEST_ID = "2f1c3b7e-9a4d-4c1e-8f2a-6b5d4e3c2a10"
LANGUAGES = ["en", "ar", "es", "fr"]


@pytest.fixture(autouse=True)
def english_operator():
    set_language("en")
    yield
    set_language("en")


def _api_error(
    code: str | None, status: int = 400, message: str = "server text"
) -> api_errors.ApiError:
    return api_errors.ApiError(code, status, message, REQUEST_ID)


@pytest.mark.parametrize("code", CONTRACT_CODES + SANDBOX_CODES)
def test_every_code_has_message(code: str) -> None:
    assert code in CODE_MESSAGES


@pytest.mark.parametrize("language", ["ar", "es", "fr"])
@pytest.mark.parametrize("code", CONTRACT_CODES + SANDBOX_CODES)
def test_code_message_translated(language: str, code: str) -> None:
    english = describe_error(_api_error(code))
    set_language(language)

    translated = describe_error(_api_error(code))

    assert translated != english
    assert REQUEST_ID in strip_isolates(translated)


def test_message_shows_request_id_line() -> None:
    text = describe_error(_api_error("PRICE_MISMATCH"))

    first, second = text.split("\n")
    assert "price has changed" in first
    assert strip_isolates(second) == f"Request ID: {REQUEST_ID}"


def test_server_text_not_shown_for_known_code() -> None:
    assert "server text" not in describe_error(_api_error("INVALID_PACKAGE"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_unknown_code_shows_code_and_request(language: str) -> None:
    set_language(language)

    text = strip_isolates(describe_error(_api_error("BRAND_NEW_CODE", 418, "teapot")))

    assert "BRAND_NEW_CODE" in text
    assert "418" in text
    assert "teapot" in text
    assert REQUEST_ID in text


def test_plain_server_error_without_code() -> None:
    error = api_errors.ServerError(None, 503, "HTTP 503 without an error message", REQUEST_ID)

    description = explain_error(error)

    assert "503" in description.message
    assert description.code is None
    assert description.request_id == REQUEST_ID


def test_insufficient_balance_amounts() -> None:
    error = api_errors.InsufficientBalanceError(
        "INSUFFICIENT_BALANCE", 400, "low", REQUEST_ID,
        current_balance=Decimal("2.50"), required_balance=Decimal("12.00"),
        need_to_load=Decimal("9.50"),
    )  # fmt: skip

    text = strip_isolates(describe_error(error, currency="USD"))
    bare = strip_isolates(describe_error(error))

    assert "Balance: $2.50. Needed: $12.00. Add at least $9.50." in text
    assert "Add at least 9.5." in bare


def test_insufficient_balance_in_iqd_arabic() -> None:
    set_language("ar")
    error = api_errors.InsufficientBalanceError(
        "INSUFFICIENT_BALANCE", 400, "low", REQUEST_ID,
        current_balance=Decimal("1000"), required_balance=Decimal("26000"),
        need_to_load=Decimal("25000"),
    )  # fmt: skip

    text = describe_error(error, currency="IQD")

    assert "\u206625,000" in text.replace("\u200f", "")


def test_rate_limit_says_how_long() -> None:
    until = datetime.now(UTC) + timedelta(seconds=30)
    error = api_errors.RateLimitedError(
        "RATE_LIMIT_EXCEEDED", 429, "slow down", REQUEST_ID, until=until
    )

    text = describe_error(error)

    assert "Wait 30 seconds" in text or "Wait 29 seconds" in text


def test_clock_skew_direction() -> None:
    behind = api_errors.ClockSkewError("INVALID_TIMESTAMP", 401, "t", REQUEST_ID, skew_s=600.0)
    ahead = api_errors.ClockSkewError("INVALID_TIMESTAMP", 401, "t", REQUEST_ID, skew_s=-7200.0)
    unknown = api_errors.ClockSkewError("INVALID_TIMESTAMP", 401, "t", REQUEST_ID, skew_s=None)

    assert "10 minutes behind" in describe_error(behind)
    assert "2 hours ahead" in describe_error(ahead)
    assert "more than 5 minutes off" in describe_error(unknown)


def test_transport_error_says_if_sent() -> None:
    not_sent = api_errors.TransportError(
        "refused", method="GET", path="/balance", request_id=REQUEST_ID, request_sent=False
    )
    sent = api_errors.TransportError(
        "reset", method="POST", path="/esims/order", request_id=REQUEST_ID, request_sent=True
    )

    assert "safe to try again" in describe_error(not_sent)
    assert "order history" in describe_error(sent)
    assert REQUEST_ID in strip_isolates(describe_error(sent))


def test_response_format_errors() -> None:
    bad_field = api_errors.ResponseFormatError("/balance", "balance", REQUEST_ID, "is missing")
    html = api_errors.NonJsonResponseError("/balance", REQUEST_ID, 200, "text/html")

    assert "field balance" in strip_isolates(describe_error(bad_field))
    assert "Wi-Fi" in describe_error(html)


def test_insecure_url_and_storage() -> None:
    insecure = api_errors.InsecureBaseUrlError("http://shop.example", "plain http")
    locked = DatabaseLockedError("The database is locked.", Path("/tmp/profile.sqlite3"))

    assert "http://shop.example" in strip_isolates(describe_error(insecure))
    assert describe_error(locked) == "The database is locked."


def test_unexpected_error_names_type() -> None:
    assert "KeyError" in describe_error(KeyError("x"))


def test_service_errors_keep_their_message() -> None:
    from esimfly_desktop.services.balance import CurrencyMismatchError
    from esimfly_desktop.services.secrets import KeyringLockedError
    from esimfly_desktop.services.settings_model import InvalidSettingError

    mismatch = CurrencyMismatchError("EUR", "USD")
    locked = KeyringLockedError("The system keyring is locked.")
    invalid = InvalidSettingError("markup", "Markup must be 0 or more.")

    assert describe_error(mismatch) == str(mismatch)
    assert describe_error(locked) == "The system keyring is locked."
    assert describe_error(invalid) == "Markup must be 0 or more."


def test_catalog_sync_error_keeps_message() -> None:
    from esimfly_desktop.services.catalog_sync import EmptyCatalogError

    error = EmptyCatalogError("The service returned an empty catalog.")

    assert describe_error(error) == "The service returned an empty catalog."
