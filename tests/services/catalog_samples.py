"""Packages for catalog tests: a few hand-written ones and a generated catalog of any size."""

from __future__ import annotations

import random
from decimal import Decimal

from babel import Locale

from esimfly_desktop.api.models import Network, Package

EUROPE = ("DE", "FR", "ES", "IT", "NL", "AT", "BE", "PT", "GR", "PL")


def make_package(package_code: str, **fields: object) -> Package:
    """Return a local 1 GB, 7-day Japan package with ``fields`` replaced."""
    values: dict[str, object] = {
        "package_code": package_code,
        "name": "Japan 1GB 7 Days",
        "region": "Japan",
        "package_type": "local",
        "data_amount_gb": Decimal("1"),
        "validity_days": 7,
        "cost": Decimal("4.50"),
        "currency": "USD",
        "countries": ("JP",),
        "provider": "Sakura Net",
        "networks": (Network(name="Docomo", network_type="5G", country_iso2="JP"),),
        "has_5g": True,
    }
    values.update(fields)
    return Package(**values)  # type: ignore[arg-type]


def sample_catalog() -> list[Package]:
    """Return a small catalog covering each type, an unlimited plan and accented names."""
    return [
        make_package("JP-1GB-7D"),
        make_package(
            "JP-5GB-30D",
            name="Japan 5GB 30 Days",
            data_amount_gb=Decimal("5"),
            validity_days=30,
            cost=Decimal("12.00"),
        ),
        make_package(
            "MX-3GB-15D",
            name="México 3GB",
            region="Mexico",
            countries=("MX",),
            data_amount_gb=Decimal("3"),
            validity_days=15,
            cost=Decimal("8.25"),
            provider="Kestrel Mobile",
        ),
        make_package(
            "EU-10GB-30D",
            name="Europe 10GB",
            region="Europe",
            package_type="regional",
            countries=EUROPE,
            data_amount_gb=Decimal("10"),
            validity_days=30,
            cost=Decimal("19.90"),
        ),
        make_package(
            "ASIA-UNL-10D",
            name="Asia Unlimited",
            region="Asia",
            package_type="regional",
            countries=("JP", "KR", "TH", "SG"),
            data_amount_gb=Decimal("0"),
            is_unlimited=True,
            validity_days=10,
            cost=Decimal("29.00"),
        ),
        make_package(
            "GLOBAL-3GB-30D",
            name="Global 3GB",
            region="Global",
            package_type="global",
            countries=("US", "JP", "DE", "BR", "ZA", "AU"),
            data_amount_gb=Decimal("3"),
            validity_days=30,
            cost=Decimal("15.00"),
        ),
    ]


def generated_catalog(size: int, seed: int = 7) -> list[Package]:
    """Return ``size`` packages shaped like the live catalog: local, then regional, then global."""
    rng = random.Random(seed)
    english = Locale.parse("en").territories
    countries = sorted(code for code in english if code.isalpha() and len(code) == 2)

    packages = []
    for number in range(size):
        share = number / size
        package_type = "global"
        if share < 0.7:
            package_type = "local"
        elif share < 0.93:
            package_type = "regional"
        covered = _covered_countries(rng, countries, package_type)
        region = english[covered[0]] if package_type == "local" else rng.choice(_REGIONS)
        gigabytes = rng.choice((1, 2, 3, 5, 10, 20, 50))
        days = rng.choice((7, 15, 30, 90, 180))
        packages.append(
            make_package(
                f"PKG{number:05d}",
                name=f"{region} {gigabytes}GB {days} Days",
                region=region,
                package_type=package_type,
                countries=covered,
                data_amount_gb=Decimal(gigabytes),
                validity_days=days,
                cost=Decimal(rng.randint(150, 9900)).scaleb(-2),
                provider=rng.choice(("Sakura Net", "Kestrel Mobile", "Orbit Data")),
                networks=(),
            )
        )
    return packages


_REGIONS = ("Europe", "Asia", "Africa", "Americas", "Middle East", "Global")


def _covered_countries(
    rng: random.Random, countries: list[str], package_type: str
) -> tuple[str, ...]:
    if package_type == "local":
        return (rng.choice(countries),)
    count = rng.randint(5, 40) if package_type == "regional" else rng.randint(80, 140)
    return tuple(rng.sample(countries, count))
