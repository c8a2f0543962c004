"""The naive table anchor: Qt's own filtering and sorting over a plain Python table model.

A ``QTableView`` shows a ``QAbstractTableModel`` of N synthetic packages with
8 columns (name, country, region, data GB, days, price, code, type) through a
``QSortFilterProxyModel`` that filters on every column (``filterKeyColumn``
-1) with a case-insensitive fixed string and sorts with its own comparison.
Every timed step is the call plus event processing until the view has
repainted. This is what a first, straightforward catalog screen costs.

    .venv/bin/python -m bench.anchors.naive_table 7000 [REPS]
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

from bench.qt_timing import PaintCounter, settle, timed_ms

HEADERS = ("name", "country", "region", "data_gb", "days", "price", "code", "type")
SEARCH_WORD = "germ"
WINDOW_SIZE = (1200, 800)
LOAD_REPEATS = 5

# Countries with their regions; the synthetic catalog draws from these.
COUNTRY_REGIONS = {
    "Germany": "Europe", "France": "Europe", "Spain": "Europe", "Italy": "Europe",
    "Poland": "Europe", "Netherlands": "Europe", "Switzerland": "Europe", "Austria": "Europe",
    "United Kingdom": "Europe", "Portugal": "Europe", "Greece": "Europe", "Turkey": "Europe",
    "Norway": "Europe", "Sweden": "Europe", "Finland": "Europe", "Denmark": "Europe",
    "Japan": "Asia", "Thailand": "Asia", "Vietnam": "Asia", "Indonesia": "Asia",
    "South Korea": "Asia", "Singapore": "Asia", "Malaysia": "Asia", "India": "Asia",
    "China": "Asia", "United States": "Americas", "Mexico": "Americas", "Brazil": "Americas",
    "Canada": "Americas", "Argentina": "Americas", "Chile": "Americas", "Peru": "Americas",
    "Colombia": "Americas", "Australia": "Oceania", "Egypt": "Africa", "Morocco": "Africa",
    "Kenya": "Africa", "South Africa": "Africa",
}  # fmt: skip
DATA_STEPS_GB = (1, 3, 5, 10, 20, 50)
VALIDITY_STEPS_DAYS = (7, 15, 30, 90)
PLAN_TYPES = ("data", "data+voice", "unlimited")


def synthetic_rows(count: int, seed: int = 1) -> list[tuple[Any, ...]]:
    """Return ``count`` package rows of 8 columns, the same for the same seed."""
    generator = random.Random(seed)
    countries = list(COUNTRY_REGIONS)
    rows = []
    for number in range(count):
        country = generator.choice(countries)
        gigabytes = generator.choice(DATA_STEPS_GB)
        days = generator.choice(VALIDITY_STEPS_DAYS)
        price = round(generator.uniform(2, 90), 2)
        code = f"{country[:2].upper()}-{gigabytes:02d}-{days:03d}-{number:05d}"
        rows.append(
            (
                f"{country} {gigabytes}GB {days} days",
                country,
                COUNTRY_REGIONS[country],
                float(gigabytes),
                days,
                price,
                code,
                generator.choice(PLAN_TYPES),
            )
        )
    return rows


class PlainTableModel(QAbstractTableModel):
    """Rows of plain Python values; display data only."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[Any, ...]] = []

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self.rows[index.row()][index.column()]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def load(self, rows: list[tuple[Any, ...]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()


@dataclass
class NaiveTableTimes:
    """Milliseconds per timed step of the naive anchor."""

    rows: int
    load_ms: list[float] = field(default_factory=list)
    keystroke_ms: dict[int, list[float]] = field(default_factory=dict)
    sort_ms: list[float] = field(default_factory=list)

    def all_keystrokes(self) -> list[float]:
        return [time for times in self.keystroke_ms.values() for time in times]


def measure(row_count: int, repeats: int) -> NaiveTableTimes:
    """Time loading, typing SEARCH_WORD one character at a time, and sorting two columns."""
    application = QApplication.instance() or QApplication([sys.argv[0]])
    model = PlainTableModel()
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setFilterKeyColumn(-1)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    window = QMainWindow()
    window.resize(*WINDOW_SIZE)
    view = QTableView()
    view.setModel(proxy)
    window.setCentralWidget(view)
    counter = PaintCounter()
    view.viewport().installEventFilter(counter)
    window.show()
    settle(counter)

    times = NaiveTableTimes(row_count)
    rows = synthetic_rows(row_count)
    for _ in range(LOAD_REPEATS):
        model.load([])
        settle(counter)
        times.load_ms.append(timed_ms(counter, lambda: model.load(list(rows))))

    times.keystroke_ms = {length: [] for length in range(1, len(SEARCH_WORD) + 1)}
    for _ in range(repeats):
        for length in times.keystroke_ms:
            text = SEARCH_WORD[:length]
            times.keystroke_ms[length].append(
                timed_ms(counter, lambda text=text: proxy.setFilterFixedString(text))
            )
        timed_ms(counter, lambda: proxy.setFilterFixedString(""))

    # Price (numeric) and name (text) columns, alternating direction.
    for repeat in range(repeats):
        for column in (5, 0):
            order = Qt.SortOrder.DescendingOrder if repeat % 2 else Qt.SortOrder.AscendingOrder
            times.sort_ms.append(
                timed_ms(counter, lambda c=column, o=order: view.sortByColumn(c, o))
            )

    window.close()
    application.processEvents()
    return times


def main() -> None:
    from bench.figures import median

    row_count = int(sys.argv[1]) if len(sys.argv) > 1 else 7000
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    times = measure(row_count, repeats)
    print(f"naive table, {row_count} rows, {repeats} repeats")
    print(f"load: median {median(times.load_ms):.2f} ms")
    for length, keystrokes in times.keystroke_ms.items():
        print(f"filter {SEARCH_WORD[:length]!r}: median {median(keystrokes):.2f} ms")
    print(f"every keystroke: median {median(times.all_keystrokes()):.2f} ms")
    print(f"sort: median {median(times.sort_ms):.2f} ms")


if __name__ == "__main__":
    main()
