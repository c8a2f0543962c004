"""Generated catalogs of any size for catalog view tests that need no server."""

from __future__ import annotations

from decimal import Decimal

from esimfly_desktop.api.models import Network, Package

_COUNTRIES = ("JP", "FR", "DE", "US", "TR", "IQ", "AE", "TH", "BR", "KR", "IT", "ES")
_REGIONS = {
    "JP": "Asia",
    "TH": "Asia",
    "KR": "Asia",
    "FR": "Europe",
    "DE": "Europe",
    "IT": "Europe",
    "ES": "Europe",
    "TR": "Europe",
    "US": "North America",
    "BR": "South America",
    "IQ": "Middle East",
    "AE": "Middle East",
}
_DATA_GB = (Decimal(1), Decimal(3), Decimal(5), Decimal(10), Decimal(20), Decimal(50))
_DAYS = (7, 15, 30, 90, 180)


def make_package(number: int) -> Package:
    """Build the ``number``-th package: local, regional or global, with varied sizes and prices."""
    country = _COUNTRIES[number % len(_COUNTRIES)]
    kind = ("local", "local", "regional", "global")[number % 4]
    data_gb = _DATA_GB[number % len(_DATA_GB)]
    days = _DAYS[number % len(_DAYS)]
    cost = (Decimal("0.50") + Decimal(number % 400) / 8).quantize(Decimal("0.01"))

    if kind == "local":
        countries: tuple[str, ...] = (country,)
        region = _REGIONS[country]
        name = f"{country} {data_gb}GB {days} days #{number}"
    elif kind == "regional":
        region = _REGIONS[country]
        countries = tuple(code for code, place in _REGIONS.items() if place == region)
        name = f"{region} {data_gb}GB {days} days #{number}"
    else:
        region = "Global"
        countries = _COUNTRIES
        name = f"Global {data_gb}GB {days} days #{number}"

    return Package(
        package_code=f"PKG{number:05d}",
        name=name,
        region=region,
        package_type=kind,
        data_amount_gb=data_gb,
        validity_days=days,
        cost=cost,
        currency="USD",
        has_voice=number % 7 == 0,
        has_sms=number % 11 == 0,
        is_rechargeable=number % 3 == 0,
        countries=countries,
        provider="Kestrel Mobile" if number % 9 == 0 else "Harbor Telecom",
        networks=(Network(name="Harbor Net", network_type="5G", country_iso2=country),),
        has_5g=True,
    )


def make_catalog(size: int) -> list[Package]:
    return [make_package(number) for number in range(size)]
