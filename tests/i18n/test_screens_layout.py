"""Screens that build without a service, checked for clipped text in long and mirrored languages.

The pseudo-language makes every message about 40% longer and mirrors the
layout; Arabic mirrors it with real text. A screen passes when no label or
button clips its text and no sibling widgets overlap.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QWidget

from esimfly_desktop.i18n import set_language
from esimfly_desktop.i18n.qt_translations import apply_language_to_qt
from esimfly_desktop.ui.customer_display.display_window import CustomerDisplayWindow
from esimfly_desktop.ui.first_run import FirstRunDialog
from esimfly_desktop.ui.history.history_view import OrderHistoryView
from esimfly_desktop.ui.outbox.queue_view import OutboxQueueView
from esimfly_desktop.ui.qr.esim_card import EsimCard
from tests.i18n.layout_checks import find_layout_problems, format_problems

SCREENS: dict[str, Callable[[str], QWidget]] = {
    "customer display": lambda language: CustomerDisplayWindow(language),
    "order history": lambda _language: OrderHistoryView(),
    "outbox queue": lambda _language: OutboxQueueView(),
    "eSIM card": lambda _language: EsimCard(),
    "first run": lambda _language: FirstRunDialog(),
}


LANGUAGES = ["en", "pseudo", "ar", "es", "fr"]


def _cases() -> list[object]:
    return [
        pytest.param(screen, language, id=f"{screen}-{language}")
        for screen in sorted(SCREENS)
        for language in LANGUAGES
    ]


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
