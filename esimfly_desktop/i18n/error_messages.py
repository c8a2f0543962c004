"""Translated messages for every error the console can show: what happened, what to do.

One function, :func:`describe_error`, turns an API error, a network failure,
an unreadable response or a storage failure into text for counter staff. API
errors are matched on their ``code``; a code missing here still gets a
message that shows the code, the HTTP status and the request id, which
eSIMfly support needs to trace the request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from esimfly_desktop.api import errors as api_errors
from esimfly_desktop.i18n.bidi import keep_ltr
from esimfly_desktop.i18n.catalogs import N_, LazyString, _
from esimfly_desktop.i18n.formatting import format_duration, format_money, format_number
from esimfly_desktop.storage.errors import StorageError

# Every code of the service's error table, and the codes the training sandbox
# uses where the vendor documents none.
CODE_MESSAGES: dict[str, LazyString] = {
    # Authentication and request checks.
    "HMAC_REQUIRED": N_(
        "The service received a request without its signature. This is a fault in "
        "eSIMfly Desktop, not in your account: report it with the request ID."
    ),
    "INVALID_REQUEST_ID": N_(
        "The service rejected the request's ID. Try again; if it happens again, "
        "report it with the request ID."
    ),
    "INVALID_TIMESTAMP": N_(
        "The service rejected the request because this computer's clock is more than "
        "5 minutes off. Set the computer's date, time and time zone, then try again."
    ),
    "INVALID_API_KEY": N_(
        "The service does not recognize this profile's access code. Check the access "
        "code in the profile settings, or create a new API key on the eSIMfly dashboard."
    ),
    "INVALID_SIGNATURE": N_(
        "The service rejected the request's signature: the secret key does not match "
        "the access code. Enter the secret key again in the profile settings."
    ),
    "DUPLICATE_REQUEST": N_(
        "The service is still processing the same request. Wait a minute, then check "
        "the order history before you order again."
    ),
    "INVALID_USER": N_(
        "This account is not allowed to use the Business API. Ask eSIMfly support to "
        "enable business access for the account."
    ),
    "RATE_LIMIT_EXCEEDED": N_(
        "Too many requests were sent to the service in a short time. Wait a minute, then try again."
    ),
    # Malformed requests.
    "PAYLOAD_TOO_LARGE": N_("The request was too large for the service. Send fewer items at once."),
    "INVALID_JSON": N_(
        "The service could not read the request. This is a fault in eSIMfly Desktop: "
        "report it with the request ID."
    ),
    "INVALID_PARAMETER": N_(
        "The service rejected a value in the request. Check the search text, filters "
        "and dates you entered, then try again."
    ),
    "INVALID_QUANTITY": N_(
        "An order must be for 1 to 10 eSIMs. Change the quantity and order again; "
        "nothing was charged."
    ),
    "NOT_FOUND": N_(
        "The service has no such function at the configured address. Check the "
        "service address in the profile settings."
    ),
    "METHOD_NOT_ALLOWED": N_(
        "The service does not accept this kind of request at this address. Check the "
        "service address in the profile settings, or update eSIMfly Desktop."
    ),
    "INTERNAL_ERROR": N_(
        "The eSIMfly service had an internal error. Try again in a few minutes; if it "
        "keeps failing, contact eSIMfly support with the request ID."
    ),
    "SERVICE_UNAVAILABLE": N_(
        "The eSIMfly service is temporarily unavailable. Try again in a few minutes."
    ),
    # Orders.
    "MISSING_PACKAGE_CODE": N_(
        "The order was sent without a package code. Choose the package again and "
        "order again; nothing was charged."
    ),
    "INVALID_PACKAGE": N_(
        "The service cannot sell this package. Refresh the catalog and choose another "
        "package; nothing was charged."
    ),
    "PACKAGE_NOT_FOUND": N_(
        "This package is no longer sold. Refresh the catalog and choose another "
        "package; nothing was charged."
    ),
    "PRICE_MISMATCH": N_(
        "The package's price has changed since the catalog was loaded. Refresh the "
        "catalog, confirm the new price with the customer, then order again; nothing "
        "was charged."
    ),
    "INSUFFICIENT_BALANCE": N_(
        "The account balance is too low for this order. Add funds on the eSIMfly "
        "dashboard, then order again; nothing was charged."
    ),
    "ORDER_NOT_FOUND": N_(
        "The service has no order with this reference. Check the reference in the order history."
    ),
    "ORDER_PROCESSING_ERROR": N_(
        "The service could not complete the order, and the balance was not charged. "
        "Try again in a few minutes; if it fails again, contact eSIMfly support with "
        "the request ID."
    ),
    # eSIMs and top-ups.
    "MISSING_FIELDS": N_(
        "The request was missing required information. Fill in every field, then try again."
    ),
    "MISSING_ICCID": N_("No ICCID was given. Enter or select the eSIM's ICCID, then try again."),
    "MISSING_IDENTIFIER": N_("No eSIM was given. Select the eSIM, then try again."),
    "ESIM_NOT_FOUND": N_(
        "The service has no eSIM with this ICCID. Check the ICCID (19 or 20 digits "
        "starting with 89), then try again."
    ),
    "ESIM_ACCESS_DENIED": N_(
        "This eSIM was bought with another account. Check the ICCID: only eSIMs "
        "bought with this account can be managed here."
    ),
    "ESIM_NOT_TOPPABLE": N_(
        "This eSIM cannot be topped up. Offer the customer a new eSIM instead."
    ),
    "INVALID_TOPUP_PACKAGE": N_(
        "This top-up package does not fit this eSIM. Reload the eSIM's top-up "
        "packages and choose one from that list."
    ),
    "TOPUP_NOT_SUPPORTED": N_(
        "This eSIM's network does not support top-ups. Offer the customer a new eSIM instead."
    ),
    # eSIM actions.
    "NOT_ELIGIBLE": N_(
        "This eSIM can no longer be cancelled because a phone has installed or "
        "activated it. Only an eSIM that was never installed can be cancelled and "
        "refunded."
    ),
    "ALREADY_CANCELLED": N_(
        "This eSIM is already cancelled, and its refund was credited then. Refresh "
        "the order history to see it."
    ),
    "UNSUPPORTED_PROVIDER": N_(
        "This eSIM's network does not support this action. Nothing was changed."
    ),
    "NOT_SUPPORTED": N_(
        "The service does not support this action for this eSIM. Nothing was changed."
    ),
    "INVALID_ACTION": N_(
        "The service did not recognize the requested action. This is a fault in "
        "eSIMfly Desktop: report it with the request ID."
    ),
    "FORBIDDEN": N_(
        "This eSIM belongs to another account, so it cannot be changed from here. Check the ICCID."
    ),
    "PROVIDER_ERROR": N_(
        "The mobile network behind this eSIM cannot be reached right now. Try again "
        "in a few minutes."
    ),
}


# Errors raised with a message already translated for the operator. They are
# named by class, in any module of this package, so this module imports
# nothing from the services layer and survives a class moving between modules.
OPERATOR_MESSAGE_ERRORS = frozenset(
    {
        "SecretStoreError",
        "CurrencyMismatchError",
        "InvalidSettingError",
        "SettingsSaveError",
        "CatalogSyncError",
        "PrintFailedError",
    }
)


def _carries_operator_message(error: BaseException) -> bool:
    return any(
        cls.__module__.startswith("esimfly_desktop.") and cls.__name__ in OPERATOR_MESSAGE_ERRORS
        for cls in type(error).__mro__
    )


@dataclass(frozen=True)
class ErrorDescription:
    """A translated error for display: the message, and the ids that support needs."""

    message: str
    code: str | None = None
    request_id: str | None = None

    @property
    def text(self) -> str:
        """The message, with the request ID on its own line when there is one."""
        if not self.request_id:
            return self.message
        reference = _("Request ID: {request_id}").format(request_id=keep_ltr(self.request_id))
        return f"{self.message}\n{reference}"


def describe_error(error: BaseException, *, currency: str | None = None) -> str:
    """Return a translated message saying what went wrong and what to do next.

    ``currency`` is the account's currency, used to show the amounts of an
    insufficient balance; without it they are shown as plain numbers.
    """
    return explain_error(error, currency=currency).text


def explain_error(error: BaseException, *, currency: str | None = None) -> ErrorDescription:
    """Return the message for ``error`` with its code and request id kept apart."""
    request_id = getattr(error, "request_id", None)

    if isinstance(error, StorageError) or _carries_operator_message(error):
        # These are translated where they are raised, with the path or value.
        return ErrorDescription(str(error))
    if isinstance(error, api_errors.TransportError):
        return ErrorDescription(_transport_message(error), request_id=request_id)
    if isinstance(error, api_errors.NonJsonResponseError):
        return ErrorDescription(_non_json_message(), request_id=request_id)
    if isinstance(error, api_errors.ResponseFormatError):
        return ErrorDescription(_format_message(error), request_id=request_id)
    if isinstance(error, api_errors.InsecureBaseUrlError):
        return ErrorDescription(_insecure_url_message(error))
    if isinstance(error, api_errors.ApiError):
        return ErrorDescription(_api_message(error, currency), error.code, request_id)
    return ErrorDescription(
        _(
            "An unexpected error occurred ({kind}). Try again; if it happens again, "
            "report it to your support contact."
        ).format(kind=type(error).__name__)
    )


def _api_message(error: api_errors.ApiError, currency: str | None) -> str:
    if isinstance(error, api_errors.ClockSkewError) and error.skew_s is not None:
        return _clock_skew_message(error.skew_s)
    if isinstance(error, api_errors.RateLimitedError) and error.until is not None:
        return _rate_limit_message(error.until)

    template = CODE_MESSAGES.get(error.code or "")
    if template is None:
        return _unknown_code_message(error)

    message = str(template)
    if isinstance(error, api_errors.InsufficientBalanceError):
        amounts = _balance_amounts(error, currency)
        if amounts:
            message = f"{message} {amounts}"
    return message


def _unknown_code_message(error: api_errors.ApiError) -> str:
    if error.code is None and error.status >= 500:
        return _(
            "The eSIMfly service had an internal error (HTTP {status}). Try again in a "
            "few minutes; if it keeps failing, contact eSIMfly support with the request ID."
        ).format(status=error.status)
    if error.code is None:
        return _(
            "The eSIMfly service rejected the request (HTTP {status}): {message}. Try "
            "again; if it happens again, contact eSIMfly support with the request ID."
        ).format(status=error.status, message=error.message)
    return _(
        "The eSIMfly service returned the error {code} (HTTP {status}): {message}. Try "
        "again; if it happens again, contact eSIMfly support with the request ID."
    ).format(code=keep_ltr(error.code), status=error.status, message=error.message)


def _balance_amounts(error: api_errors.InsufficientBalanceError, currency: str | None) -> str:
    def show(amount: Decimal | None) -> str:
        if amount is None:
            return "—"
        text = format_money(amount, currency) if currency else format_number(amount)
        return keep_ltr(text)

    if error.need_to_load is None and error.current_balance is None:
        return ""
    return _("Balance: {balance}. Needed: {required}. Add at least {missing}.").format(
        balance=show(error.current_balance),
        required=show(error.required_balance),
        missing=show(error.need_to_load),
    )


def _rate_limit_message(until: datetime) -> str:
    remaining_s = (until - datetime.now(UTC)).total_seconds()
    wait = format_duration(max(1, round(remaining_s)))
    return _(
        "Too many requests were sent to the service in a short time. Wait {wait}, then try again."
    ).format(wait=wait)


def _clock_skew_message(skew_s: float) -> str:
    # skew_s is the service's clock minus this computer's clock.
    offset = format_duration(round(abs(skew_s)))
    if skew_s > 0:
        template = _(
            "This computer's clock is {offset} behind, so the service rejects its "
            "requests. Set the computer's date, time and time zone, then try again."
        )
    else:
        template = _(
            "This computer's clock is {offset} ahead, so the service rejects its "
            "requests. Set the computer's date, time and time zone, then try again."
        )
    return template.format(offset=offset)


def _transport_message(error: api_errors.TransportError) -> str:
    if not error.request_sent:
        return _(
            "The eSIMfly service cannot be reached. Check the internet connection; "
            "nothing was sent, so it is safe to try again."
        )
    return _(
        "The connection to the eSIMfly service broke during the request, so it is not "
        "known whether the service acted on it. Check the order history before you "
        "try again."
    )


def _non_json_message() -> str:
    return _(
        "The service address answered with a page that is not the eSIMfly API, for "
        "example a proxy or Wi-Fi sign-in page. Check the internet connection and "
        "the service address."
    )


def _format_message(error: api_errors.ResponseFormatError) -> str:
    return _(
        "The eSIMfly service sent an answer this version of eSIMfly Desktop cannot "
        "read ({endpoint}, field {field}). Try again later; if it happens again, "
        "update eSIMfly Desktop."
    ).format(endpoint=keep_ltr(error.endpoint), field=keep_ltr(error.field))


def _insecure_url_message(error: api_errors.InsecureBaseUrlError) -> str:
    return _(
        "The service address {url} is not secure. Use an https:// address; http:// is "
        "allowed only for the training sandbox on this computer."
    ).format(url=keep_ltr(error.base_url))
