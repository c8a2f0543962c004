"""Search as you type: country names in two languages, codes, filters, sorting, narrowing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from esimfly_desktop.services.catalog_search import (
    RECENT_RESULTS_KEPT,
    CatalogFilters,
    CatalogIndex,
    SortKey,
)
from esimfly_desktop.services.catalog_search_text import fold, localized_region, query_tokens
from tests.services.catalog_samples import generated_catalog, make_package, sample_catalog


def codes(index: CatalogIndex, result: list[int]) -> list[str]:
    return [index.package(position).package_code for position in result]


@pytest.fixture
def spanish_index() -> CatalogIndex:
    return CatalogIndex(sample_catalog(), "es")


def test_fold_removes_accents_and_case() -> None:
    assert fold("Japón") == "japon"
    assert fold("MÉXICO") == "mexico"
    assert fold("Straße") == "strasse"
    assert query_tokens("  Japón  5GB ") == ("japon", "5gb")


def test_fold_arabic_letter_variants() -> None:
    assert fold("أ") == fold("ا")
    assert fold("إ") == fold("ا")
    assert fold("السعودية") == fold("السعوديه")


def test_search_english_country_name(spanish_index: CatalogIndex) -> None:
    result = spanish_index.query("Japan")

    assert codes(spanish_index, result) == [
        "JP-1GB-7D",
        "JP-5GB-30D",
        "ASIA-UNL-10D",
        "GLOBAL-3GB-30D",
    ]


def test_search_operator_language_country_name(spanish_index: CatalogIndex) -> None:
    accented = spanish_index.query("Japón")
    plain = spanish_index.query("japon")

    assert codes(spanish_index, accented) == [
        "JP-1GB-7D",
        "JP-5GB-30D",
        "ASIA-UNL-10D",
        "GLOBAL-3GB-30D",
    ]
    assert plain == accented


def test_search_spanish_name_only_in_spanish() -> None:
    english_index = CatalogIndex(sample_catalog(), "en")

    assert english_index.query("japón") == []


def test_search_iso_code(spanish_index: CatalogIndex) -> None:
    result = spanish_index.query("JP")

    assert "JP-1GB-7D" in codes(spanish_index, result)
    assert "GLOBAL-3GB-30D" in codes(spanish_index, result)
    assert "EU-10GB-30D" not in codes(spanish_index, result)


def test_search_country_of_regional_package(spanish_index: CatalogIndex) -> None:
    assert codes(spanish_index, spanish_index.query("Alemania")) == [
        "EU-10GB-30D",
        "GLOBAL-3GB-30D",
    ]
    assert codes(spanish_index, spanish_index.query("germany")) == [
        "EU-10GB-30D",
        "GLOBAL-3GB-30D",
    ]


def test_search_region_in_operator_language(spanish_index: CatalogIndex) -> None:
    assert codes(spanish_index, spanish_index.query("Europa")) == ["EU-10GB-30D"]
    assert codes(spanish_index, spanish_index.query("mundo")) == ["GLOBAL-3GB-30D"]
    assert codes(spanish_index, spanish_index.query("global")) == ["GLOBAL-3GB-30D"]


def test_search_package_code_and_name(spanish_index: CatalogIndex) -> None:
    assert codes(spanish_index, spanish_index.query("mx-3gb")) == ["MX-3GB-15D"]
    assert codes(spanish_index, spanish_index.query("unlimited")) == ["ASIA-UNL-10D"]


def test_search_every_word_must_match(spanish_index: CatalogIndex) -> None:
    assert codes(spanish_index, spanish_index.query("japan 30")) == [
        "JP-5GB-30D",
        "GLOBAL-3GB-30D",
    ]


def test_search_arabic_country_name() -> None:
    index = CatalogIndex(sample_catalog(), "ar")

    assert "JP-1GB-7D" in codes(index, index.query("اليابان"))
    assert "JP-1GB-7D" in codes(index, index.query("أليابان"))


def test_search_unknown_language_falls_back_to_english() -> None:
    index = CatalogIndex(sample_catalog(), "zz")

    assert codes(index, index.query("Japan"))[:2] == ["JP-1GB-7D", "JP-5GB-30D"]


def test_search_empty_text_returns_all(spanish_index: CatalogIndex) -> None:
    assert spanish_index.query("") == list(range(len(spanish_index)))
    assert spanish_index.query("   ") == list(range(len(spanish_index)))


def test_filter_package_type(spanish_index: CatalogIndex) -> None:
    result = spanish_index.query("", CatalogFilters(package_type="regional"))

    assert codes(spanish_index, result) == ["EU-10GB-30D", "ASIA-UNL-10D"]


def test_filter_region(spanish_index: CatalogIndex) -> None:
    result = spanish_index.query("", CatalogFilters(region="Mexico"))

    assert codes(spanish_index, result) == ["MX-3GB-15D"]


def test_filter_min_data_keeps_unlimited(spanish_index: CatalogIndex) -> None:
    result = spanish_index.query("", CatalogFilters(min_data_gb=Decimal("5")))

    assert codes(spanish_index, result) == ["JP-5GB-30D", "EU-10GB-30D", "ASIA-UNL-10D"]


def test_filter_min_days(spanish_index: CatalogIndex) -> None:
    result = spanish_index.query("", CatalogFilters(min_days=30))

    assert codes(spanish_index, result) == ["JP-5GB-30D", "EU-10GB-30D", "GLOBAL-3GB-30D"]


def test_filter_max_price_inclusive(spanish_index: CatalogIndex) -> None:
    result = spanish_index.query("", CatalogFilters(max_price=Decimal("8.25")))

    assert codes(spanish_index, result) == ["JP-1GB-7D", "MX-3GB-15D"]


def test_filter_combined_with_text(spanish_index: CatalogIndex) -> None:
    filters = CatalogFilters(package_type="local", min_days=30)

    assert codes(spanish_index, spanish_index.query("japan", filters)) == ["JP-5GB-30D"]


def test_max_price_uses_retail_price() -> None:
    index = CatalogIndex(sample_catalog(), "en", price_of=lambda package: package.cost * 2)

    result = index.query("", CatalogFilters(max_price=Decimal("9.00")))

    assert codes(index, result) == ["JP-1GB-7D"]
    assert index.price(0) == Decimal("9.00")


def test_reprice_changes_price_order() -> None:
    index = CatalogIndex(sample_catalog(), "en")
    by_cost = codes(index, index.query("", sort_key=SortKey.PRICE))

    index.reprice(lambda package: -package.cost)

    assert codes(index, index.query("", sort_key=SortKey.PRICE)) == by_cost[::-1]


def test_unavailable_hidden_unless_requested() -> None:
    index = CatalogIndex(sample_catalog(), "en", unavailable_codes={"JP-1GB-7D"})

    hidden = codes(index, index.query("japan"))
    shown = codes(index, index.query("japan", CatalogFilters(include_unavailable=True)))

    assert "JP-1GB-7D" not in hidden
    assert "JP-1GB-7D" in shown
    assert not index.is_available(0)


def test_sort_by_price_both_directions(spanish_index: CatalogIndex) -> None:
    ascending = spanish_index.query("", sort_key=SortKey.PRICE)
    descending = spanish_index.query("", sort_key=SortKey.PRICE, descending=True)

    prices = [spanish_index.package(i).cost for i in ascending]
    assert prices == sorted(prices)
    assert codes(spanish_index, descending) == codes(spanish_index, ascending)[::-1]


def test_sort_by_data_puts_unlimited_last(spanish_index: CatalogIndex) -> None:
    result = codes(spanish_index, spanish_index.query("", sort_key=SortKey.DATA))

    assert result[-1] == "ASIA-UNL-10D"
    assert result[:2] == ["JP-1GB-7D", "MX-3GB-15D"]


def test_sort_ties_keep_service_order(spanish_index: CatalogIndex) -> None:
    ascending = codes(spanish_index, spanish_index.query("", sort_key=SortKey.DAYS))
    descending = codes(
        spanish_index, spanish_index.query("", sort_key=SortKey.DAYS, descending=True)
    )

    assert ascending == [
        "JP-1GB-7D",
        "ASIA-UNL-10D",
        "MX-3GB-15D",
        "JP-5GB-30D",
        "EU-10GB-30D",
        "GLOBAL-3GB-30D",
    ]
    assert descending[:3] == ["JP-5GB-30D", "EU-10GB-30D", "GLOBAL-3GB-30D"]


def test_sort_by_name_ignores_accents() -> None:
    packages = [
        make_package("F", name="finland 1GB"),
        make_package("E", name="Éire 1GB"),
        make_package("D", name="Denmark 1GB"),
    ]
    index = CatalogIndex(packages, "en")

    result = codes(index, index.query("", sort_key=SortKey.NAME))

    assert result == ["D", "E", "F"]


def test_sort_filtered_result(spanish_index: CatalogIndex) -> None:
    result = spanish_index.query("japan", sort_key=SortKey.PRICE, descending=True)

    assert codes(spanish_index, result) == [
        "ASIA-UNL-10D",
        "GLOBAL-3GB-30D",
        "JP-5GB-30D",
        "JP-1GB-7D",
    ]


@pytest.mark.parametrize("sort_key", list(SortKey))
def test_every_sort_key_returns_permutation(sort_key: SortKey) -> None:
    index = CatalogIndex(sample_catalog(), "fr")

    for descending in (False, True):
        result = index.query("", sort_key=sort_key, descending=descending)

        assert sorted(result) == list(range(len(index)))


def test_regions_labelled_in_operator_language(spanish_index: CatalogIndex) -> None:
    regions = dict(spanish_index.regions())

    assert regions["Japan"] == "Japón"
    assert regions["Europe"] == "Europa"
    assert regions["Global"] == "Mundo"
    assert localized_region("Mexico", "fr") == "Mexique"


def test_typing_matches_fresh_search() -> None:
    packages = generated_catalog(2_000)
    typed = CatalogIndex(packages, "es")
    sort_keys = [SortKey.SERVICE_ORDER, SortKey.NAME, SortKey.PRICE, SortKey.DATA]

    for word in ("japon", "united states", "ale", "zz"):
        for length in range(1, len(word) + 1):
            for sort_key in sort_keys:
                fresh = CatalogIndex(packages, "es")

                expected = fresh.query(word[:length], sort_key=sort_key)
                actual = typed.query(word[:length], sort_key=sort_key)

                assert actual == expected, (word[:length], sort_key)


def test_backspace_matches_fresh_search() -> None:
    packages = generated_catalog(1_000)
    index = CatalogIndex(packages, "en")
    for length in range(1, 6):
        index.query("germany"[:length])

    shorter = index.query("ger")

    assert shorter == CatalogIndex(packages, "en").query("ger")


def test_narrowing_keeps_filters_apart() -> None:
    packages = generated_catalog(1_000)
    index = CatalogIndex(packages, "en")
    local = CatalogFilters(package_type="local")
    index.query("fra", local)

    unfiltered = index.query("fran")

    assert unfiltered == CatalogIndex(packages, "en").query("fran")
    assert any(index.package(i).package_type != "local" for i in unfiltered)


def test_large_result_sorted_like_small() -> None:
    packages = generated_catalog(3_000)
    index = CatalogIndex(packages, "en")

    for text in ("a", "germany", "pkg0001"):
        result = index.query(text, sort_key=SortKey.PRICE)

        prices = [index.price(i) for i in result]
        assert prices == sorted(prices), text


def test_filter_results_kept_bounded() -> None:
    index = CatalogIndex(generated_catalog(200), "en")

    for cents in range(0, 10_000, 100):
        index.query("", CatalogFilters(max_price=Decimal(cents).scaleb(-2)))

    assert len(index._filtered) <= RECENT_RESULTS_KEPT
    assert index.query("", CatalogFilters(max_price=Decimal("1.00"))) == []


@pytest.mark.parametrize("sort_key", [key for key in SortKey if key is not SortKey.SERVICE_ORDER])
def test_descending_matches_stable_reverse_sort(sort_key: SortKey) -> None:
    index = CatalogIndex(generated_catalog(1_500), "en")
    values = index._sort_orders.values(sort_key)

    descending = index.query("", sort_key=sort_key, descending=True)

    assert descending == sorted(range(len(index)), key=values.__getitem__, reverse=True)
