"""The generated catalog: size, order, code formats, prices and geography."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest

from esimfly_desktop.sandbox.catalog import IMMEDIATE_PROVIDERS, generate_catalog
from esimfly_desktop.sandbox.config import PENDING_PROVIDER
from esimfly_desktop.sandbox.geography import country_names

CODE_FORMATS = {
    "letters and digits (CKH002)": r"[A-Z]{3}\d{3}",
    "random (P4ZKUW7DZ)": r"[A-Z0-9]{9}",
    "slug (merhaba-7days-1gb)": r"[a-z0-9-]+-\d+days-(\d+gb|unlimited)",
    "underscore (RB85_4D)": r"[A-Z]{2}\d+_\d+D",
    "volume (OT-50000MB-9999T-9999V)": r"[A-Z]{2}-\d+MB-\d+T-\d+V",
    "numeric (1654977)": r"\d{7}",
}

Catalog = list[dict[str, Any]]


@pytest.fixture(scope="module")
def usd() -> Catalog:
    return generate_catalog("USD")


def test_catalog_is_deterministic(usd: Catalog) -> None:
    assert generate_catalog("USD") == usd


def test_catalog_size_and_order(usd: Catalog) -> None:
    packages = usd
    order = {"local": 0, "regional": 1, "global": 2}
    ranks = [order[package["type"]] for package in packages]

    assert 6500 <= len(packages) <= 7500
    assert ranks == sorted(ranks)
    assert len({package["package_code"] for package in packages}) == len(packages)
    assert all(package["data_amount_gb"] >= 1 for package in packages)


def test_every_country_has_local_plans(usd: Catalog) -> None:
    covered = {p["countries"][0] for p in usd if p["type"] == "local"}

    assert covered == set(country_names())
    assert len(covered) > 230


def test_code_formats_all_present(usd: Catalog) -> None:
    codes = [package["package_code"] for package in usd]

    for label, pattern in CODE_FORMATS.items():
        assert any(re.fullmatch(pattern, code) for code in codes), label


def test_japan_has_immediate_providers(usd: Catalog) -> None:
    japan = [p for p in usd if p["countries"] == ["JP"]]
    providers = Counter(package["provider"] for package in japan)

    assert set(IMMEDIATE_PROVIDERS) <= set(providers)
    assert sum(providers[name] for name in IMMEDIATE_PROVIDERS) >= 100
    assert providers[PENDING_PROVIDER] > 0


def test_plan_variety(usd: Catalog) -> None:
    packages = usd

    assert any(package["is_unlimited"] for package in packages)
    assert any(package["has_voice"] and package["has_sms"] for package in packages)
    assert any(package["features"]["is_rechargeable"] for package in packages)
    assert any(not package["features"]["is_rechargeable"] for package in packages)
    assert {package["validity_days"] for package in packages} >= {7, 15, 30, 90}
    assert {package["data_amount_gb"] for package in packages} >= {1, 2, 3, 5, 10, 20, 50}


def test_prices_in_currency(usd: Catalog) -> None:
    iqd = generate_catalog("IQD")

    assert all(package["cost"] == package["cost"].quantize(Decimal("0.01")) for package in usd)
    assert all(Decimal("0.50") <= package["cost"] <= Decimal(500) for package in usd)
    assert all(package["cost"] == package["cost"].to_integral_value() for package in iqd)
    assert {package["currency"] for package in iqd} == {"IQD"}


def test_networks_per_country(usd: Catalog) -> None:
    japan = next(p for p in usd if p["countries"] == ["JP"])

    operators = {network["network_name"] for network in japan["networks"]}
    assert "NTT Docomo" in operators
    assert japan["has_5g"] is True
    assert japan["locationNetworkList"][0]["locationName"] == "Japan"
