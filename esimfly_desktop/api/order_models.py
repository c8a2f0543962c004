"""Typed order, eSIM, usage, top-up and webhook responses of the eSIMfly Business API.

Fields that hold a full activation code (LPA string, install links, QR image)
are left out of ``repr`` so a model can be logged without leaking the code.
Dates and times stay the strings the service sent. Money is Decimal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from esimfly_desktop.api.models import Pagination


def split_lpa_string(lpa_string: str) -> tuple[str, str] | None:
    """Return the SM-DP+ address and matching id of ``LPA:1$<address>$<id>[$...]``."""
    parts = lpa_string.strip().split("$")
    if len(parts) < 3 or parts[0].upper() != "LPA:1" or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]


@dataclass(frozen=True)
class Esim:
    iccid: str | None
    lpa_string: str | None = field(default=None, repr=False)
    qr_code_url: str | None = field(default=None, repr=False)
    apple_install_url: str | None = field(default=None, repr=False)
    android_install_url: str | None = field(default=None, repr=False)
    status: str | None = None
    profile_status: str | None = None
    total_volume_bytes: int | None = None
    total_duration_days: int | None = None
    expired_time: str | None = None
    is_pending: bool = False

    @property
    def smdp_address(self) -> str | None:
        parts = split_lpa_string(self.lpa_string or "")
        return parts[0] if parts else None

    @property
    def matching_id(self) -> str | None:
        parts = split_lpa_string(self.lpa_string or "")
        return parts[1] if parts else None

    @property
    def is_provisioned(self) -> bool:
        """True once the eSIM has an ICCID and an activation code to show."""
        return bool(self.iccid and self.lpa_string)


@dataclass(frozen=True)
class OrderResult:
    """The response to ``POST /esims/order``, completed or still pending."""

    order_reference: str
    status: str
    is_pending: bool
    amount: Decimal | None
    new_balance: Decimal | None
    currency: str | None
    duplicate: bool
    package_name: str | None
    esims: tuple[Esim, ...]


@dataclass(frozen=True)
class OrderDetails:
    """One order as ``GET /esims/order`` returns it."""

    order_reference: str
    status: str
    package_name: str | None
    package_code: str | None
    amount: Decimal | None
    final_price: Decimal | None
    order_date: str | None
    payment_method: str | None
    payment_status: str | None
    esims: tuple[Esim, ...]

    @property
    def is_pending(self) -> bool:
        """True while the eSIM details may still arrive; False for failed or cancelled orders."""
        status = self.status.casefold()
        if status.startswith("pending"):
            return True
        if status != "completed":
            return False
        return not self.esims or any(esim.is_pending or not esim.iccid for esim in self.esims)


@dataclass(frozen=True)
class OrderSummary:
    """One row of ``GET /orders``."""

    order_reference: str
    package_name: str | None
    package_code: str | None
    amount: Decimal | None
    currency: str | None
    status: str
    created_at: str | None
    esim: Esim | None
    order_id: str | None = None


@dataclass(frozen=True)
class OrderPage:
    orders: tuple[OrderSummary, ...]
    total_orders: int | None
    total_revenue: Decimal | None
    pagination: Pagination


@dataclass(frozen=True)
class DataUsage:
    total_mb: Decimal | None
    used_mb: Decimal | None
    remaining_mb: Decimal | None
    usage_percentage: Decimal | None
    is_unlimited: bool


@dataclass(frozen=True)
class Validity:
    days: int | None
    activated_at: str | None
    expires_at: str | None
    is_expired: bool


@dataclass(frozen=True)
class EsimRecord:
    """One eSIM of the account as ``GET /esims`` lists it."""

    iccid: str
    package_name: str | None
    package_code: str | None
    status: str | None
    countries: tuple[str, ...]
    usage: DataUsage | None
    validity: Validity | None
    smdp_address: str | None
    activation_code: str | None = field(repr=False)
    lpa_string: str | None = field(repr=False)
    qr_code: str | None = field(repr=False)
    apple_install_url: str | None = field(repr=False)
    android_install_url: str | None = field(repr=False)
    created_at: str | None
    is_pending: bool
    esim_id: str | None = None

    def has_status(self, status: str) -> bool:
        """Compare the status case-insensitively, because the service mixes ``New`` and ``NEW``."""
        return (self.status or "").casefold() == status.casefold()


@dataclass(frozen=True)
class EsimPage:
    esims: tuple[EsimRecord, ...]
    pagination: Pagination


@dataclass(frozen=True)
class UsageQuery:
    iccid: str
    order_id: str | None
    package_name: str | None
    status: str | None
    usage: DataUsage | None
    validity: Validity | None


@dataclass(frozen=True)
class TopupResult:
    order_reference: str
    iccid: str | None
    package_name: str | None
    new_balance: Decimal | None
    currency: str | None
    status: str
    amount: Decimal | None
    new_total_volume_gb: Decimal | None
    new_remaining_volume_gb: Decimal | None
    expired_time: str | None


@dataclass(frozen=True)
class EsimStatus:
    """Live network status of one eSIM, including whether a phone installed it."""

    iccid: str
    status: str | None
    esim_status: str | None
    smdp_status: str | None
    profile: str | None
    operator: str | None
    country: str | None
    connection_type: str | None
    device_model: str | None
    imei: str | None
    activation_date: str | None
    last_usage_date: str | None
    expiry_date: str | None
    used_gb: Decimal | None
    total_gb: Decimal | None
    unlimited: bool

    @property
    def is_installed(self) -> bool:
        """True once the profile is on a phone ("Enabled" or "Disabled")."""
        profile = (self.profile or "").casefold()
        return profile in {"enabled", "disabled"}


@dataclass(frozen=True)
class CancelResult:
    order_reference: str | None
    cancelled_esims: tuple[str, ...]
    failed_esims: tuple[str, ...]
    refunded_amount: Decimal | None
    currency: str | None
    refund_method: str | None
    balance_credited: bool


@dataclass(frozen=True)
class SuspendResult:
    iccid: str
    action: str
    esim_status: str | None


@dataclass(frozen=True)
class DailyUsage:
    date: str
    data_mb: Decimal
    data_gb: Decimal | None


@dataclass(frozen=True)
class CountryUsage:
    country: str
    mcc: str | None
    data_mb: Decimal
    data_gb: Decimal | None


@dataclass(frozen=True)
class UsageReport:
    iccid: str
    period_days: int
    start_date: str | None
    end_date: str | None
    total_data_mb: Decimal | None
    total_data_gb: Decimal | None
    avg_daily_mb: Decimal | None
    avg_daily_gb: Decimal | None
    daily_usage: tuple[DailyUsage, ...]
    by_country: tuple[CountryUsage, ...]


@dataclass(frozen=True)
class WebhookSettings:
    """Webhook settings; ``secret`` is set only by the response to ``PUT /webhooks``."""

    url: str | None
    events: tuple[str, ...]
    secret: str | None = field(default=None, repr=False)
    recent_deliveries: tuple[dict[str, object], ...] = ()
