"""The search box and filters above the catalog table, with a short debounce."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QRegularExpression, QTimer, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QSpinBox, QWidget

from esimfly_desktop.i18n import _
from esimfly_desktop.services.catalog_search import NO_FILTERS, CatalogFilters
from esimfly_desktop.ui.catalog.cell_texts import PACKAGE_TYPE_LABELS

# Long enough to skip the keystrokes of a fast typist, short enough to feel instant.
SEARCH_DEBOUNCE_MS = 100


@dataclass(frozen=True)
class CatalogQuery:
    """The operator's catalog request: search text and filters."""

    text: str = ""
    filters: CatalogFilters = NO_FILTERS


class FilterBar(QWidget):
    """Emits ``query_changed`` once typing pauses or a filter changes."""

    query_changed = Signal(object)  # CatalogQuery

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)

        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText(_("Search country, region, package name or code"))
        self.search_box.setAccessibleName(_("Search packages"))
        self.search_box.setClearButtonEnabled(True)

        self.type_box = QComboBox()
        self.type_box.setAccessibleName(_("Package type"))
        self.type_box.addItem(_("All types"), None)
        for package_type in ("local", "regional", "global"):
            self.type_box.addItem(str(PACKAGE_TYPE_LABELS[package_type]), package_type)

        self.region_box = QComboBox()
        self.region_box.setAccessibleName(_("Region"))
        self.region_box.addItem(_("All regions"), None)

        self.min_data_box = QSpinBox()
        self.min_data_box.setAccessibleName(_("Minimum data in GB"))
        self.min_data_box.setRange(0, 1000)
        self.min_data_box.setSuffix(_(" GB"))
        self.min_data_box.setSpecialValueText(_("Any data"))

        self.min_days_box = QSpinBox()
        self.min_days_box.setAccessibleName(_("Minimum validity in days"))
        self.min_days_box.setRange(0, 3650)
        self.min_days_box.setSuffix(_(" days"))
        self.min_days_box.setSpecialValueText(_("Any validity"))

        self.max_price_box = QLineEdit()
        self.max_price_box.setAccessibleName(_("Maximum buy price"))
        self.max_price_box.setPlaceholderText(_("Max. price"))
        self.max_price_box.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"\d{0,9}([.,]\d{0,3})?"))
        )
        self.max_price_box.setMaximumWidth(110)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.emit_query)

        self.search_box.textChanged.connect(self._debounce.start)
        self.max_price_box.textChanged.connect(self._debounce.start)
        self.type_box.currentIndexChanged.connect(self.emit_query)
        self.region_box.currentIndexChanged.connect(self.emit_query)
        self.min_data_box.valueChanged.connect(self._debounce.start)
        self.min_days_box.valueChanged.connect(self._debounce.start)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search_box, 3)
        layout.addWidget(self.type_box)
        layout.addWidget(self.region_box)
        layout.addWidget(QLabel(_("at least")))
        layout.addWidget(self.min_data_box)
        layout.addWidget(self.min_days_box)
        layout.addWidget(self.max_price_box)

    def set_regions(self, regions: Sequence[tuple[str, str]]) -> None:
        """Offer ``(service name, shown name)`` pairs, keeping the current choice if it remains."""
        current = self.region_box.currentData()
        self.region_box.blockSignals(True)
        self.region_box.clear()
        self.region_box.addItem(_("All regions"), None)
        for region, label in regions:
            self.region_box.addItem(label, region)
        position = self.region_box.findData(current) if current is not None else 0
        self.region_box.setCurrentIndex(max(position, 0))
        self.region_box.blockSignals(False)

    def query(self) -> CatalogQuery:
        filters = CatalogFilters(
            package_type=self.type_box.currentData(),
            region=self.region_box.currentData(),
            min_data_gb=Decimal(self.min_data_box.value()) if self.min_data_box.value() else None,
            min_days=self.min_days_box.value() or None,
            max_price=_parse_price(self.max_price_box.text()),
        )
        return CatalogQuery(text=self.search_box.text().strip(), filters=filters)

    def emit_query(self) -> None:
        self._debounce.stop()
        self.query_changed.emit(self.query())


def _parse_price(text: str) -> Decimal | None:
    cleaned = text.strip().replace(",", ".")
    if not cleaned or cleaned == ".":
        return None
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None
