"""Build balance, pagination and package models from decoded responses."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from esimfly_desktop.api.json_reader import JsonObject
from esimfly_desktop.api.models import Balance, Network, Package, PackagePage, Pagination


def parse_balance(data: JsonObject) -> Balance:
    return Balance(
        amount=data.decimal("balance"),
        currency=data.text("currency"),
        source=data.optional_text("source"),
        account=data.optional_text("account"),
        live=data.boolean("live") if data.has("live") else None,
        as_of=data.optional_text("as_of"),
    )


def parse_pagination(data: JsonObject, item_count: int) -> Pagination:
    """Read ``pagination``, accepting both ``total_pages`` and ``totalPages``.

    A response without pagination is taken as one complete page.
    """
    pagination = data.optional_object("pagination")
    if pagination is None:
        return Pagination(page=1, limit=item_count, total=item_count, total_pages=1)

    total_pages_name = pagination.first_name("total_pages", "totalPages")
    return Pagination(
        page=pagination.integer("page"),
        limit=pagination.integer("limit"),
        total=pagination.integer("total"),
        total_pages=pagination.integer(total_pages_name),
    )


_TEXT_OR_NULL = (str, type(None))

# Networks already built while parsing one page, by (name, type, country).
NetworkCache = dict[tuple[str, str | None, str | None], Network]


def parse_package(item: JsonObject, networks: NetworkCache | None = None) -> Package:
    features = item.optional_object("features")
    return Package(
        package_code=item.text("package_code"),
        name=item.text("name"),
        region=item.optional_text("region") or "",
        package_type=item.text("type"),
        data_amount_gb=item.decimal("data_amount_gb"),
        validity_days=item.integer("validity_days"),
        cost=item.decimal("cost"),
        currency=item.text("currency"),
        voice_minutes=features.optional_integer("voice_minutes") if features else None,
        sms_count=features.optional_integer("sms_count") if features else None,
        is_rechargeable=features.boolean("is_rechargeable") if features else False,
        is_unlimited=item.boolean("is_unlimited"),
        has_voice=item.boolean("has_voice"),
        has_sms=item.boolean("has_sms"),
        countries=item.texts("countries"),
        provider=item.optional_text("provider"),
        networks=_parse_networks(item, {} if networks is None else networks),
        has_5g=item.boolean("has_5g"),
        has_hotspot=item.boolean("has_hotspot"),
        activation_policy=item.optional_text("activation_policy"),
    )


def parse_package_page(data: JsonObject) -> PackagePage:
    # Packages of one page share most of their networks, so each network is
    # built once per page and the same frozen instance is reused.
    networks: NetworkCache = {}
    packages = _plain_packages(data.raw.get("packages"), networks)
    if packages is None:
        packages = tuple(parse_package(item, networks) for item in data.objects("packages"))
    return PackagePage(packages=packages, pagination=parse_pagination(data, len(packages)))


def _plain_packages(value: object, networks: NetworkCache) -> tuple[Package, ...] | None:
    """Read a page whose packages hold only the plain JSON types, or return None.

    A full sync reads about 7,000 packages, and the checked reader's typed
    getter per field took most of the time spent parsing a page. This path
    accepts a field only in the JSON type that the checked reader keeps
    without converting it. Text is a string, money a number, a count an
    integer, a flag true or false, and an optional field may also be absent
    or null. For anything else it returns None, and the whole page goes
    through the checked reader, which converts the value or rejects it with
    the field's path.
    """
    if type(value) is not list:
        return None
    packages = []
    for raw in value:
        package = _plain_package(raw, networks) if type(raw) is dict else None
        if package is None:
            return None
        packages.append(package)
    return tuple(packages)


def _plain_package(raw: dict[str, Any], networks: NetworkCache) -> Package | None:
    get = raw.get
    texts = (get("package_code"), get("name"), get("type"), get("currency"))
    optional_texts = (get("region"), get("provider"), get("activation_policy"))
    flags = (
        get("is_unlimited"),
        get("has_voice"),
        get("has_sms"),
        get("has_5g"),
        get("has_hotspot"),
    )
    if not _all_of_types(texts, _TEXT) or not _all_of_types(optional_texts, _TEXT_OR_NULL_TYPES):
        return None
    if not _all_of_types(flags, _BOOL_OR_NULL):
        return None
    data_amount_gb, cost = _plain_decimal(get("data_amount_gb")), _plain_decimal(get("cost"))
    validity_days = get("validity_days")
    if data_amount_gb is None or cost is None or type(validity_days) is not int:
        return None
    countries = _plain_texts(get("countries"))
    plain_networks = _plain_package_networks(raw, networks)
    features = _plain_features(get("features"))
    if countries is None or plain_networks is None or features is None:
        return None

    package_code, name, package_type, currency = texts
    region, provider, activation_policy = optional_texts
    voice_minutes, sms_count, is_rechargeable = features
    is_unlimited, has_voice, has_sms, has_5g, has_hotspot = flags
    return _new_package(
        {
            "package_code": package_code,
            "name": name,
            "region": region or "",
            "package_type": package_type,
            "data_amount_gb": data_amount_gb,
            "validity_days": validity_days,
            "cost": cost,
            "currency": currency,
            "voice_minutes": voice_minutes,
            "sms_count": sms_count,
            "is_rechargeable": is_rechargeable,
            "is_unlimited": is_unlimited is True,
            "has_voice": has_voice is True,
            "has_sms": has_sms is True,
            "countries": countries,
            "provider": provider,
            "networks": plain_networks,
            "has_5g": has_5g is True,
            "has_hotspot": has_hotspot is True,
            "activation_policy": activation_policy,
        }
    )


def _new_package(fields: dict[str, Any]) -> Package:
    # The frozen __init__ took 2.6 µs per package and filling __dict__ 0.25 µs
    # (timeit, Python 3.11). Every field is given here, and there is no __post_init__.
    package = _object_new(Package)
    package.__dict__.update(fields)
    return package


_object_new = object.__new__
_TEXT: frozenset[type] = frozenset({str})
_BOOL_OR_NULL: frozenset[type] = frozenset({bool, type(None)})
_INT_OR_NULL = (int, type(None))
_TEXT_OR_NULL_TYPES: frozenset[type] = frozenset(_TEXT_OR_NULL)


def _all_of_types(values: tuple[object, ...], types: frozenset[type]) -> bool:
    return set(map(type, values)) <= types


def _plain_decimal(value: object) -> Decimal | None:
    # A JSON number with a fraction is already a Decimal (parse_float=Decimal).
    if type(value) is Decimal:
        return value
    if type(value) is int:
        return Decimal(value)
    return None


def _plain_texts(value: object) -> tuple[str, ...] | None:
    if value is None:
        return ()
    if type(value) is not list or not _all_of_types(tuple(value), _TEXT):
        return None
    return tuple(value)


def _plain_package_networks(raw: dict[str, Any], cache: NetworkCache) -> tuple[Network, ...] | None:
    # Without entries in "networks" the checked reader falls back to the
    # older "locationNetworkList", which this path leaves to it.
    value = raw.get("networks")
    networks = () if value is None else _plain_networks(value, cache)
    if networks == () and raw.get("locationNetworkList") is not None:
        return None
    return networks


def _plain_features(value: object) -> tuple[int | None, int | None, bool] | None:
    if value is None:
        return None, None, False
    if type(value) is not dict:
        return None
    voice_minutes, sms_count = value.get("voice_minutes"), value.get("sms_count")
    is_rechargeable = value.get("is_rechargeable")
    if type(voice_minutes) not in _INT_OR_NULL or type(sms_count) not in _INT_OR_NULL:
        return None
    if type(is_rechargeable) not in _BOOL_OR_NULL:
        return None
    return voice_minutes, sms_count, is_rechargeable is True


def _parse_networks(item: JsonObject, cache: NetworkCache) -> tuple[Network, ...]:
    # "networks" is the detailed list; "locationNetworkList" is the older
    # per-location form. Use whichever the response contains.
    plain = _plain_networks(item.raw.get("networks"), cache)
    if plain:
        return plain

    networks = [
        Network(
            name=network.text("network_name"),
            network_type=network.optional_text("network_type"),
            country_iso2=network.optional_text("country_iso2"),
        )
        for network in item.objects("networks", required=False)
    ]
    if networks:
        return tuple(networks)

    for location in item.objects("locationNetworkList", required=False):
        for operator in location.objects("operatorList", required=False):
            networks.append(
                Network(
                    name=operator.text("operatorName"),
                    network_type=operator.optional_text("networkType"),
                    country_iso2=None,
                )
            )
    return tuple(networks)


def _plain_networks(value: object, cache: NetworkCache) -> tuple[Network, ...] | None:
    """Read a list of networks whose fields are all plain strings, or return None.

    The sandbox's catalog has about 27 networks per package, so this loop is
    the largest part of parsing a catalog page. For anything else (numbers,
    wrong types, a missing name) it returns None, and the checked reader in
    ``_parse_networks`` then converts or rejects the list as before.
    """
    if type(value) is not list:
        return None
    networks = []
    for raw in value:
        if type(raw) is not dict:
            return None
        name = raw.get("network_name")
        network_type = raw.get("network_type")
        country_iso2 = raw.get("country_iso2")
        if type(name) is not str:
            return None
        if type(network_type) not in _TEXT_OR_NULL or type(country_iso2) not in _TEXT_OR_NULL:
            return None

        key = (name, network_type, country_iso2)
        network = cache.get(key)
        if network is None:
            network = cache[key] = Network(name, network_type, country_iso2)
        networks.append(network)
    return tuple(networks)
