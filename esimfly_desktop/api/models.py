"""Typed account and catalog responses of the eSIMfly Business API, with Decimal money.

Orders, eSIMs, usage, top-ups and webhooks are in ``order_models``, so the
catalog's first paint does without defining them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Pagination:
    page: int
    limit: int
    total: int
    total_pages: int


@dataclass(frozen=True)
class Balance:
    amount: Decimal
    currency: str
    source: str | None = None
    account: str | None = None
    live: bool | None = None
    as_of: str | None = None


@dataclass(frozen=True)
class Network:
    """A mobile network that a package roams on."""

    name: str
    network_type: str | None
    country_iso2: str | None


@dataclass(frozen=True)
class Package:
    package_code: str
    name: str
    region: str
    package_type: str
    data_amount_gb: Decimal
    validity_days: int
    cost: Decimal
    currency: str
    voice_minutes: int | None = None
    sms_count: int | None = None
    is_rechargeable: bool = False
    is_unlimited: bool = False
    has_voice: bool = False
    has_sms: bool = False
    countries: tuple[str, ...] = ()
    provider: str | None = None
    networks: tuple[Network, ...] = ()
    has_5g: bool = False
    has_hotspot: bool = False
    activation_policy: str | None = None


@dataclass(frozen=True)
class PackagePage:
    packages: tuple[Package, ...]
    pagination: Pagination
