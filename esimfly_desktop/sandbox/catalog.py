"""A deterministic wholesale catalog of about 7,000 packages from real geography.

Local plans for every CLDR country, regional bundles and global plans, sorted
local -> regional -> global. Each provider has its own package code format.
Prices are computed in USD and converted to the account's currency (two
decimals for USD and EUR, whole dinars for IQD).
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Any

from esimfly_desktop.sandbox.config import PENDING_PROVIDER
from esimfly_desktop.sandbox.geography import MAJOR_MARKETS, REGIONS, country_names, networks_of

SEED = "esimfly-sandbox-catalog-1"
PROVIDERS = (
    "Aurora Connect",
    "Meridian Wireless",
    "Harbor Telecom",
    "Nimbus Roam",
    "Polaris Data",
    PENDING_PROVIDER,
)
# Providers whose orders complete at once; Japan is always served by all of them.
IMMEDIATE_PROVIDERS = PROVIDERS[:-1]

DATA_LADDER_GB = (1, 2, 3, 5, 10, 20, 50)
VALIDITY_LADDER_DAYS = (7, 15, 30, 90)
UNLIMITED_DAYS = (1, 3, 5, 7, 10, 15, 30)
VOICE_PLANS = ((10, 30, 100, 50), (20, 30, 300, 100))  # (GB, days, minutes, SMS)

NETWORK_FIELDS = ("locationNetworkList", "networks")
EXCHANGE_RATES = {"USD": Decimal(1), "EUR": Decimal("0.92"), "IQD": Decimal(1310)}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class _CodeMaker:
    """Package codes in each provider's format, unique across the catalog."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()
        self.serial = 0
        self.numeric = 1_654_000

    def make(self, provider: str, area: str, area_slug: str, plan: dict[str, Any]) -> str:
        self.serial += 1
        gb, days = plan["gb"], plan["days"]
        if provider == "Aurora Connect":
            code = f"{area[:2].upper()}{'UVD'[plan['kind']]}{self.serial % 1000:03d}"
        elif provider == "Meridian Wireless":
            alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
            code = "".join(self.rng.choice(alphabet) for _ in range(9))
        elif provider == "Harbor Telecom":
            volume = "unlimited" if plan["unlimited"] else f"{gb}gb"
            code = f"{area_slug}-{days}days-{volume}"
        elif provider == "Nimbus Roam":
            code = f"{area[:2].upper()}{self.serial % 100}_{days}D"
        elif provider == "Polaris Data":
            code = f"{area[:2].upper()}-{gb * 1000}MB-{plan['minutes'] or 9999}T-{days}V"
        else:
            self.numeric += 1 + self.rng.randrange(40)
            code = str(self.numeric)

        unique = code
        suffix = 1
        while unique in self.used:
            suffix += 1
            unique = f"{code}-{suffix}"
        self.used.add(unique)
        return unique


def _plans(rng: random.Random, depth: int) -> Iterator[dict[str, Any]]:
    """Yield the plan ladder of one provider in one area; ``depth`` 1 (short) to 3 (full)."""
    validities = VALIDITY_LADDER_DAYS[: depth + 1]
    for gb in DATA_LADDER_GB[: 3 + depth * 2 - (depth == 3)]:
        for days in validities:
            if (gb >= 20 and days < 15) or rng.random() < 0.15:
                continue
            yield {"kind": 2, "gb": gb, "days": days, "unlimited": False, "minutes": 0, "sms": 0}
    if depth >= 2:
        for days in UNLIMITED_DAYS[: depth * 3]:
            yield {
                "kind": 0,
                "gb": 3 * days,
                "days": days,
                "unlimited": True,
                "minutes": 0,
                "sms": 0,
            }
    if depth >= 3:
        for gb, days, minutes, sms in VOICE_PLANS:
            yield {
                "kind": 1,
                "gb": gb,
                "days": days,
                "unlimited": False,
                "minutes": minutes,
                "sms": sms,
            }


def _price_usd(plan: dict[str, Any], area_factor: float, provider_factor: float) -> float:
    if plan["unlimited"]:
        base = 4.0 + 2.6 * plan["days"]
    else:
        base = 0.9 + 1.15 * plan["gb"] ** 0.85 + plan["days"] / 30
    base += plan["minutes"] * 0.02 + plan["sms"] * 0.01
    return base * area_factor * provider_factor


def _money(usd: float, currency: str) -> Decimal:
    amount = Decimal(str(round(usd, 4))) * EXCHANGE_RATES[currency]
    if currency == "IQD":
        return (amount / 250).quantize(Decimal(1), ROUND_HALF_UP) * 250
    return amount.quantize(Decimal("0.01"), ROUND_HALF_UP)


def _package(
    code: str,
    name: str,
    region: str,
    package_type: str,
    countries: tuple[str, ...],
    provider: str,
    plan: dict[str, Any],
    cost: Decimal,
    currency: str,
) -> dict[str, Any]:
    has_5g = any(
        network.network_type == "5G" for iso2 in countries for network in networks_of(iso2)
    )
    return {
        "package_code": code,
        "name": name,
        "region": region,
        "type": package_type,
        "data_amount_gb": plan["gb"],
        "validity_days": plan["days"],
        "cost": cost,
        "currency": currency,
        "features": {
            "voice_minutes": plan["minutes"],
            "sms_count": plan["sms"],
            "is_rechargeable": provider not in ("Polaris Data", PENDING_PROVIDER),
        },
        "is_unlimited": plan["unlimited"],
        "has_voice": plan["minutes"] > 0,
        "has_sms": plan["sms"] > 0,
        "countries": list(countries),
        "provider": provider,
        **network_fields(countries),
        "has_5g": has_5g,
        "has_hotspot": provider != "Nimbus Roam",
        "activation_policy": "first_use"
        if provider in ("Aurora Connect", "Harbor Telecom")
        else "immediate",
    }


@cache
def network_fields(countries: tuple[str, ...]) -> dict[str, Any]:
    """Build the ``locationNetworkList`` and ``networks`` fields for a country list.

    Equal country lists share one result. The catalog stores packages without
    these two fields and adds them back on load, so the stored catalog stays
    small and loads fast.
    """
    names = country_names()
    return {
        "locationNetworkList": [
            {
                "locationName": names[iso2],
                "locationLogo": None,
                "operatorList": [
                    {"operatorName": n.operator, "networkType": n.network_type}
                    for n in networks_of(iso2)
                ],
            }
            for iso2 in countries
        ],
        "networks": [
            {
                "network_name": n.operator,
                "network_type": n.network_type,
                "country_iso2": n.country_iso2,
                "mcc_code": n.mcc,
                "mnc_code": n.mnc,
            }
            for iso2 in countries
            for n in networks_of(iso2)
        ],
    }


def _plan_name(area: str, plan: dict[str, Any]) -> str:
    volume = "Unlimited" if plan["unlimited"] else f"{plan['gb']}GB"
    name = f"{area} {volume} {plan['days']} Days"
    if plan["minutes"]:
        name += f" + {plan['minutes']} min + {plan['sms']} SMS"
    return name


def generate_catalog(currency: str) -> list[dict[str, Any]]:
    """Return every package, local first, then regional, then global."""
    rng = random.Random(SEED)
    codes = _CodeMaker(rng)
    packages: list[dict[str, Any]] = []

    def add_area(
        area: str,
        package_type: str,
        countries: tuple[str, ...],
        providers: tuple[str, ...],
        depth: int,
        factor: float,
    ) -> None:
        for provider in providers:
            provider_factor = 0.85 + rng.random() * 0.35
            for plan in _plans(rng, depth):
                code = codes.make(
                    provider, countries[0] if package_type == "local" else area, _slug(area), plan
                )
                cost = _money(_price_usd(plan, factor, provider_factor), currency)
                packages.append(
                    _package(
                        code,
                        _plan_name(area, plan),
                        area,
                        package_type,
                        countries,
                        provider,
                        plan,
                        cost,
                        currency,
                    )
                )

    for iso2, name in country_names().items():
        providers: tuple[str, ...]
        if iso2 == "JP":
            providers = PROVIDERS
        elif iso2 in MAJOR_MARKETS:
            providers = tuple(rng.sample(PROVIDERS, 3))
        else:
            providers = tuple(rng.sample(PROVIDERS, 1 + rng.randrange(2)))
        depth = 3 if iso2 in MAJOR_MARKETS else 1
        add_area(name, "local", (iso2,), providers, depth, 0.8 + rng.random() * 0.9)

    for region, countries in REGIONS.items():
        add_area(region, "regional", countries, tuple(rng.sample(IMMEDIATE_PROVIDERS, 2)), 3, 1.5)

    everywhere = tuple(iso2 for iso2 in country_names() if iso2 in MAJOR_MARKETS)
    add_area("Global", "global", everywhere, IMMEDIATE_PROVIDERS[:3], 3, 2.2)
    return packages
