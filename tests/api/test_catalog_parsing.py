"""Package pages become models the same way whichever reader takes their networks."""

from __future__ import annotations

import json
from dataclasses import FrozenInstanceError
from decimal import Decimal

import pytest

from esimfly_desktop.api.catalog_parsing import NetworkCache, parse_package, parse_package_page
from esimfly_desktop.api.errors import ResponseFormatError
from esimfly_desktop.api.json_reader import JsonObject, Origin
from esimfly_desktop.api.models import Network, Package
from esimfly_desktop.sandbox.catalog import generate_catalog
from esimfly_desktop.sandbox.jsonmoney import dumps
from tests.api.mock_service import package_json

ORIGIN = Origin("GET /esims/packages", "req-1")


def page_of(*packages: dict) -> JsonObject:
    return JsonObject({"packages": list(packages)}, ORIGIN, "data")


def test_page_shares_equal_networks() -> None:
    first = package_json("A1")
    second = package_json("B2")

    page = parse_package_page(page_of(first, second))

    assert page.packages[0].networks == (Network("Docomo", "5G", "JP"),)
    assert page.packages[0].networks[0] is page.packages[1].networks[0]


def test_numeric_network_type_read_as_text() -> None:
    package = package_json()
    package["networks"] = [{"network_name": "Docomo", "network_type": 5, "country_iso2": None}]

    page = parse_package_page(page_of(package))

    assert page.packages[0].networks == (Network("Docomo", "5", None),)


def test_network_without_name_rejected() -> None:
    package = package_json()
    package["networks"] = [{"network_type": "4G"}]

    with pytest.raises(ResponseFormatError) as raised:
        parse_package_page(page_of(package))

    assert "networks[0].network_name" in str(raised.value)


def read_field_by_field(*packages: dict) -> tuple[Package, ...]:
    """Parse each package with the checked reader alone, as a page would without the plain path."""
    page = page_of(*packages)
    networks: NetworkCache = {}
    return tuple(parse_package(item, networks) for item in page.objects("packages"))


def test_plain_page_matches_checked_reader() -> None:
    packages = [
        package_json("A1"),
        package_json("B2", region=None, provider=None, activation_policy=None, countries=None),
        package_json(
            "C3", features=None, has_5g=None, networks=None, data_amount_gb=Decimal("2.5")
        ),
        package_json("D4", features={"voice_minutes": 100, "sms_count": 50}, region=""),
    ]

    page = parse_package_page(page_of(*packages))

    assert page.packages == read_field_by_field(*packages)
    assert page.packages[2].networks == ()
    assert page.packages[3].region == ""


def test_sandbox_catalog_page_matches_checked_reader() -> None:
    packages = json.loads(dumps(generate_catalog("USD")[:300]), parse_float=Decimal)

    page = parse_package_page(page_of(*packages))

    assert page.packages == read_field_by_field(*packages)


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("cost", "4.50", Decimal("4.50")),
        ("validity_days", Decimal("7.0"), 7),
        ("package_code", 1654977, "1654977"),
        ("features", {"voice_minutes": "60", "sms_count": None}, 60),
    ],
)
def test_converted_values_read_by_checked_reader(
    field: str, value: object, expected: object
) -> None:
    package = parse_package_page(page_of(package_json(), package_json("B2", **{field: value})))

    second = package.packages[1]
    if field == "features":
        assert second.voice_minutes == expected
    else:
        assert getattr(second, field) == expected


def test_empty_networks_read_from_location_list() -> None:
    package = package_json(
        networks=[],
        locationNetworkList=[
            {
                "locationName": "Japan",
                "operatorList": [{"operatorName": "KDDI", "networkType": "4G"}],
            }
        ],
    )

    page = parse_package_page(page_of(package))

    assert page.packages[0].networks == (Network("KDDI", "4G", None),)


@pytest.mark.parametrize(
    ("field", "value"),
    [("cost", True), ("has_voice", "yes"), ("countries", ["JP", 3]), ("name", None)],
)
def test_invalid_field_rejected_with_its_path(field: str, value: object) -> None:
    package = package_json("B2", **{field: value})

    with pytest.raises(ResponseFormatError) as raised:
        parse_package_page(page_of(package_json(), package))

    assert f"data.packages[1].{field}" in str(raised.value)


def test_parsed_package_stays_frozen() -> None:
    package = parse_package_page(page_of(package_json())).packages[0]

    with pytest.raises(FrozenInstanceError):
        package.cost = Decimal("0")  # type: ignore[misc]
