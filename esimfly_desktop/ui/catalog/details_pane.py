"""The details of the selected package: coverage, networks, features and both prices."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from html import escape

from babel import Locale, UnknownLocaleError
from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from esimfly_desktop.api.models import Package
from esimfly_desktop.i18n import _, current_language
from esimfly_desktop.i18n.bidi import keep_ltr
from esimfly_desktop.i18n.countries import package_region_name
from esimfly_desktop.ui.catalog.cell_texts import data_text, package_type_label
from esimfly_desktop.ui.formatting import money, number


def country_name(iso2: str) -> str:
    """Return the country's name in the operator's language, or the code when unknown."""
    try:
        locale = Locale.parse(current_language())
    except (ValueError, UnknownLocaleError):
        locale = Locale.parse("en")
    return locale.territories.get(iso2.upper(), iso2.upper())


class DetailsPane(QWidget):
    """A read-only description of one package."""

    def __init__(
        self, retail_price: Callable[[Package], Decimal], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._retail_price = retail_price
        self.package: Package | None = None
        self._shown_html: str | None = None

        self.browser = QTextBrowser()
        self.browser.setAccessibleName(_("Package details"))
        self.browser.setOpenLinks(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.browser)
        self.show_package(None)

    def set_retail_price(self, retail_price: Callable[[Package], Decimal]) -> None:
        self._retail_price = retail_price
        self.show_package(self.package)

    def show_package(self, package: Package | None) -> None:
        self.package = package
        if package is None:
            html = escape(_("Select a package to see its details."))
        else:
            html = self._package_html(package)

        # The catalog calls this after every search; laying out the same text again costs
        # several milliseconds per keystroke.
        if html != self._shown_html:
            self._shown_html = html
            self.browser.setHtml(html)

    def _package_html(self, package: Package) -> str:
        retail = self._retail_price(package)
        rows = [
            (_("Package code"), package.package_code),
            (_("Type"), package_type_label(package.package_type)),
            (_("Region"), package_region_name(package.region, package.countries)),
            (_("Data"), data_text(package)),
            (_("Validity"), _("{days} days").format(days=number(package.validity_days))),
            (_("Buy price"), keep_ltr(money(package.cost, package.currency))),
            (_("Retail price"), keep_ltr(money(retail, package.currency))),
            (_("Coverage"), self._coverage_text(package)),
            (_("Networks"), self._networks_text(package)),
            (_("Features"), self._features_text(package)),
        ]
        if package.provider:
            rows.append((_("Provider"), package.provider))

        cells = "".join(
            f"<tr><th align='left' valign='top'>{escape(label)}</th><td>{escape(value)}</td></tr>"
            for label, value in rows
        )
        return f"<h3>{escape(package.name)}</h3><table cellpadding='3'>{cells}</table>"

    @staticmethod
    def _coverage_text(package: Package) -> str:
        if not package.countries:
            return package.region
        names = sorted(country_name(code) for code in package.countries)
        return ", ".join(names)

    @staticmethod
    def _networks_text(package: Package) -> str:
        if not package.networks:
            return _("Not listed by the service")
        parts = []
        for network in package.networks:
            place = f" ({country_name(network.country_iso2)})" if network.country_iso2 else ""
            speed = f" {network.network_type}" if network.network_type else ""
            parts.append(f"{network.name}{speed}{place}")
        return "; ".join(parts)

    @staticmethod
    def _features_text(package: Package) -> str:
        features = []
        if package.has_voice:
            minutes = package.voice_minutes
            features.append(
                _("Voice: {minutes} min").format(minutes=minutes) if minutes else _("Voice")
            )
        if package.has_sms:
            count = package.sms_count
            features.append(_("SMS: {count}").format(count=count) if count else _("SMS"))
        if package.is_unlimited:
            features.append(_("Unlimited data"))
        if package.is_rechargeable:
            features.append(_("Top-up available"))
        if package.has_5g:
            features.append(_("5G"))
        if package.has_hotspot:
            features.append(_("Hotspot"))
        return ", ".join(features) if features else _("Data only")
