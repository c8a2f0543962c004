"""Package pages become models the same way whichever reader takes their networks."""

from __future__ import annotations

import pytest

from esimfly_desktop.api.catalog_parsing import parse_package_page
from esimfly_desktop.api.errors import ResponseFormatError
from esimfly_desktop.api.json_reader import JsonObject, Origin
from esimfly_desktop.api.models import Network
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
