"""The console's settings as a typed, validated value (no file I/O here).

Live accounts are listed by profile name, masked access code and base URL;
their secret keys live in the system keyring, never in settings.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from babel.core import Locale, UnknownLocaleError, default_locale

from esimfly_desktop.api.base_url import validate_base_url
from esimfly_desktop.api.errors import InsecureBaseUrlError
from esimfly_desktop.i18n import _
from esimfly_desktop.services.pricing import Markup, Rounding

DEFAULT_LANGUAGE = "en"
DEFAULT_LOW_BALANCE_THRESHOLD = Decimal("50")
DEFAULT_REFRESH_HOURS = 6
MAX_REFRESH_HOURS = 24 * 7


class Environment(enum.Enum):
    """The service the console talks to: live or the training sandbox (stored by value)."""

    LIVE = "live"
    TRAINING = "training"


class InvalidSettingError(ValueError):
    """A setting's value is not allowed; ``str()`` is a message for the operator."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name


@dataclass(frozen=True)
class LiveAccount:
    """A live account as settings list it: no secret, and the access code masked."""

    profile_name: str
    masked_access_code: str
    base_url: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "base_url", check_base_url(self.base_url))


@dataclass(frozen=True)
class Settings:
    """Every setting of the console, with its default.

    ``operator_language`` None follows the system's language. Money amounts are
    Decimal. ``unknown_fields`` keeps keys of the settings file that this
    version does not read.
    """

    operator_name: str = ""
    operator_language: str | None = None
    customer_display_language: str = DEFAULT_LANGUAGE
    environment: Environment = Environment.LIVE
    base_url_override: str | None = None
    markup_percent: Decimal = Decimal(0)
    markup_rounding: Rounding = Rounding.NONE
    low_balance_threshold: Decimal = DEFAULT_LOW_BALANCE_THRESHOLD
    catalog_refresh_hours: int = DEFAULT_REFRESH_HOURS
    window_geometry: bytes | None = None
    last_profile: str | None = None
    live_accounts: tuple[LiveAccount, ...] = ()
    unknown_fields: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.base_url_override is not None:
            object.__setattr__(self, "base_url_override", check_base_url(self.base_url_override))
        check_amount("markup_percent", self.markup_percent)
        check_amount("low_balance_threshold", self.low_balance_threshold)
        if not 1 <= self.catalog_refresh_hours <= MAX_REFRESH_HOURS:
            raise InvalidSettingError(
                "catalog_refresh_hours",
                _("The catalog refresh interval must be between 1 and {max} hours.").format(
                    max=MAX_REFRESH_HOURS
                ),
            )

    @property
    def markup(self) -> Markup:
        """The shop's markup, for ``pricing.retail_price``."""
        return Markup(self.markup_percent, self.markup_rounding)

    @property
    def effective_operator_language(self) -> str:
        """The operator's language, or the system's when none is chosen."""
        return self.operator_language or system_language()

    def with_live_account(self, account: LiveAccount) -> Settings:
        """Return these settings with ``account`` added, or replacing one of the same profile."""
        others = tuple(a for a in self.live_accounts if a.profile_name != account.profile_name)
        return replace(self, live_accounts=(*others, account))

    def without_live_account(self, profile_name: str) -> Settings:
        """Return these settings without the live account of ``profile_name``."""
        remaining = tuple(a for a in self.live_accounts if a.profile_name != profile_name)
        return replace(self, live_accounts=remaining)


def check_base_url(base_url: str) -> str:
    """Return the base URL normalised, or raise InvalidSettingError for a non-HTTPS one.

    Plain ``http://`` is accepted only for a loopback address (the sandbox).
    """
    try:
        return validate_base_url(base_url)
    except InsecureBaseUrlError:
        raise InvalidSettingError(
            "base_url_override",
            _(
                "The base URL {url} is not allowed. Use an https:// address; plain http:// "
                "is accepted only for this computer (127.0.0.1 or localhost)."
            ).format(url=base_url),
        ) from None


def system_language() -> str:
    """Return the system's language as a code such as ``en`` or ``es_MX``."""
    code = default_locale(("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"))
    if not code:
        return DEFAULT_LANGUAGE
    try:
        locale = Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return DEFAULT_LANGUAGE
    if locale.territory:
        return f"{locale.language}_{locale.territory}"
    return locale.language


def check_amount(name: str, amount: Decimal) -> None:
    if not isinstance(amount, Decimal):
        raise TypeError(f"{name} must be a Decimal, not {type(amount).__name__}")
    if not amount.is_finite() or amount < 0:
        raise InvalidSettingError(
            name, _("{value} is not allowed here: enter 0 or more.").format(value=amount)
        )
