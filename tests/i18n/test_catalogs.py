"""The shipped template and catalogs against the code and against each other."""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest

from esimfly_desktop.i18n import build, catalog_checks

ALLOWED_UNTRANSLATED = Path(__file__).with_name("allowed_untranslated.txt")


@pytest.fixture(scope="module")
def template():
    return build.read_catalog(build.TEMPLATE)


@pytest.fixture(scope="module", params=build.SHIPPED_LANGUAGES)
def language(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def catalog(language):
    return build.read_catalog(build.catalog_path(language), language)


def test_template_matches_code(template) -> None:
    problems = catalog_checks.template_problems(template, build.extract_template())

    assert problems == [], "run: python -m esimfly_desktop.i18n.build all\n" + "\n".join(problems)


def test_catalog_complete(language, template, catalog) -> None:
    problems = catalog_checks.completeness_problems(language, template, catalog)

    assert problems == [], "\n".join(problems)


def test_catalog_placeholders_kept(language, catalog) -> None:
    problems = catalog_checks.placeholder_problems(language, catalog)

    assert problems == [], "\n".join(problems)


def test_catalog_not_english(language, catalog) -> None:
    allowed = catalog_checks.read_allowed_untranslated(ALLOWED_UNTRANSLATED)

    problems = catalog_checks.untranslated_problems(language, catalog, allowed)

    assert problems == [], "\n".join(problems)


def test_compiled_catalog_matches_source(language) -> None:
    problems = catalog_checks.compiled_problems(
        language, build.catalog_path(language), build.catalog_path(language, ".mo")
    )

    assert problems == [], "\n".join(problems)


def test_arabic_has_six_plural_forms() -> None:
    catalog = build.read_catalog(build.catalog_path("ar"), "ar")

    assert catalog.num_plurals == 6
    for message in catalog:
        if message.pluralizable and message.id:
            assert len(message.string) == 6, message.id


def test_compiled_catalog_loads_with_gettext(language) -> None:
    translations = gettext.translation(
        "esimfly_desktop", localedir=str(build.TRANSLATIONS), languages=[language]
    )

    assert translations.gettext("Unlimited") != "Unlimited"
