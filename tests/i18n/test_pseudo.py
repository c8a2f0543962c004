"""The pseudo-language: longer, accented, right to left, placeholders intact."""

from __future__ import annotations

from esimfly_desktop.i18n import _, ngettext, set_language
from esimfly_desktop.i18n.pseudo import PSEUDO_LANGUAGE, pseudo_translate


def test_pseudo_is_longer_and_accented() -> None:
    source = "Place the order for the customer"

    text = pseudo_translate(source)

    assert len(text) >= 1.4 * len(source)
    assert text.startswith("[")
    assert text.endswith("]")
    assert "Ṗ" in text or "ŕ" in text
    assert not any(letter in text for letter in "aeiou")


def test_pseudo_keeps_placeholders_and_markup() -> None:
    text = pseudo_translate("&Pay {amount} for <b>{package_name}</b>&nbsp;now")

    assert "{amount}" in text
    assert "{package_name}" in text
    assert "<b>" in text
    assert "</b>" in text
    assert "&nbsp;" in text
    assert text.format(amount="$5", package_name="X")


def test_pseudo_short_labels_grow() -> None:
    assert len(pseudo_translate("OK")) > len("OK")
    assert pseudo_translate("") == ""


def test_pseudo_language_translates_calls() -> None:
    set_language(PSEUDO_LANGUAGE)
    try:
        assert _("Cancel").startswith("[Çàñçéĺ")
        assert "{count}" in ngettext("{count} eSIM", "{count} eSIMs", 3)
    finally:
        set_language("en")

    assert _("Cancel") == "Cancel"
