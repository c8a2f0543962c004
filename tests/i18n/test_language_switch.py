"""Switching the operator's language, lazy constants and Arabic plural forms."""

from __future__ import annotations

import pytest

from esimfly_desktop.i18n import N_, _, current_language, ngettext, set_language

UNLIMITED = N_("Unlimited")


@pytest.fixture(autouse=True)
def english_operator():
    set_language("en")
    yield
    set_language("en")


def test_switch_changes_text() -> None:
    set_language("fr")

    assert current_language() == "fr"
    assert _("Unlimited") == "Illimité"

    set_language("en")

    assert _("Unlimited") == "Unlimited"


def test_lazy_constant_follows_switch() -> None:
    assert str(UNLIMITED) == "Unlimited"

    set_language("es")

    assert str(UNLIMITED) == "Ilimitado"
    assert UNLIMITED.source == "Unlimited"


def test_lazy_constant_in_other_language() -> None:
    set_language("ar")

    assert UNLIMITED.in_language("fr") == "Illimité"
    assert UNLIMITED.in_language("en") == "Unlimited"
    assert str(UNLIMITED) == "غير محدود"


def test_regional_code_uses_language_catalog() -> None:
    set_language("es_MX")

    assert _("Unlimited") == "Ilimitado"


def test_unshipped_language_gives_english() -> None:
    set_language("de")

    assert _("Unlimited") == "Unlimited"


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, "0 يوم"),
        (1, "يوم واحد"),
        (2, "يومان"),
        (5, "5 أيام"),
        (11, "11 يومًا"),
        (100, "100 يوم"),
        (103, "103 أيام"),
    ],
)
def test_arabic_plural_forms(count: int, expected: str) -> None:
    set_language("ar")

    text = ngettext("{count} day", "{count} days", count).format(count=count)

    assert text == expected


@pytest.mark.parametrize(("count", "expected"), [(0, "0 jour"), (1, "1 jour"), (2, "2 jours")])
def test_french_plural_forms(count: int, expected: str) -> None:
    set_language("fr")

    assert ngettext("{count} day", "{count} days", count).format(count=count) == expected
