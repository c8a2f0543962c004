"""Screens that build without a service, checked for clipped text in long and mirrored languages.

The pseudo-language makes every message about 40% longer and mirrors the
layout; Arabic mirrors it with real text. A screen passes when no label or
button clips its text and no sibling widgets overlap.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from PySide6.QtWidgets import QWidget

from esimfly_desktop.api.models import Balance, Package
from esimfly_desktop.i18n import set_language
from esimfly_desktop.i18n.qt_translations import apply_language_to_qt
from esimfly_desktop.services.settings import Settings
from esimfly_desktop.ui.catalog.catalog_view import CatalogView
from esimfly_desktop.ui.customer_display.display_window import CustomerDisplayWindow
from esimfly_desktop.ui.first_run import FirstRunDialog
from esimfly_desktop.ui.history.history_view import OrderHistoryView
from esimfly_desktop.ui.main_window import MainWindow
from esimfly_desktop.ui.outbox.queue_view import OutboxQueueView
from esimfly_desktop.ui.printing.page_formats import PageFormat
from esimfly_desktop.ui.printing.receipt_options import ReceiptOptionsDialog
from esimfly_desktop.ui.purchase.purchase_dialog import PurchaseDialog
from esimfly_desktop.ui.qr.esim_card import EsimCard
from esimfly_desktop.ui.settings_dialog import SettingsDialog
from tests.i18n.layout_checks import find_layout_problems, format_problems

JAPAN = Package(
    package_code="JP-5GB-30D",
    name="Japan 5 GB 30 days",
    region="Asia",
    package_type="local",
    data_amount_gb=Decimal("5"),
    validity_days=30,
    cost=Decimal("12.50"),
    currency="USD",
    countries=("JP",),
    has_5g=True,
    has_hotspot=True,
)


def _catalog_view() -> QWidget:
    return CatalogView(lambda package: package.cost * Decimal("1.3"))


SCREENS: dict[str, Callable[[str], QWidget]] = {
    "main window": lambda _language: MainWindow(lambda package: package.cost, is_training=True),
    "settings": lambda _language: SettingsDialog(Settings()),
    "purchase": lambda _language: PurchaseDialog(JAPAN, Balance(Decimal("250.00"), "USD")),
    "catalog": lambda _language: _catalog_view(),
    "receipt options": lambda _language: ReceiptOptionsDialog(PageFormat.A4),
    "customer display": lambda language: CustomerDisplayWindow(language),
    "order history": lambda _language: OrderHistoryView(),
    "outbox queue": lambda _language: OutboxQueueView(),
    "eSIM card": lambda _language: EsimCard(),
    "first run": lambda _language: FirstRunDialog(),
}


LANGUAGES = ["en", "pseudo", "ar", "es", "fr"]


KNOWN_CLIPPED_HEADERS: set[tuple[str, str]] = set()


def _cases() -> list[object]:
    cases: list[object] = []
    for screen in sorted(SCREENS):
        for language in LANGUAGES:
            marks = []
            if (screen, language) in KNOWN_CLIPPED_HEADERS:
                marks.append(pytest.mark.xfail(reason="catalog column titles are elided"))
            cases.append(pytest.param(screen, language, marks=marks, id=f"{screen}-{language}"))
    return cases


@pytest.fixture
def language_switch(qapp):
    def switch(language: str) -> None:
        set_language(language)
        apply_language_to_qt(language)

    yield switch
    switch("en")


@pytest.mark.parametrize(("screen", "language"), _cases())
def test_screen_text_fits(qtbot, language_switch, screen: str, language: str) -> None:
    language_switch(language)
    widget = SCREENS[screen](language)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)

    problems = find_layout_problems(widget)
    mirrored = widget.isRightToLeft()

    assert problems == [], format_problems(problems)
    assert mirrored == (language in ("pseudo", "ar"))
