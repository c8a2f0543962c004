"""Build balance, pagination and package models from decoded responses."""

from __future__ import annotations

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
    packages = tuple(parse_package(item, networks) for item in data.objects("packages"))
    return PackagePage(packages=packages, pagination=parse_pagination(data, len(packages)))


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
