"""Search as you type and column sorting in the console's catalog, against the naive table anchor.

The console side is the real catalog screen: ``CatalogView`` driven by
``CatalogController`` over a ``CatalogIndex`` of the sandbox's catalog (loaded
from a profile database through ``show_cached``), in a 1200x800 window. A
keystroke sets the search box's text and calls ``FilterBar.emit_query`` at
once, so the 100 ms debounce that the console waits after real typing is not
part of the figure. Each timed step ends when the table has repainted and the
event queue is idle, as in ``bench/anchors/naive_table.py``.

The anchor types "germ" in every repeat because Qt's proxy keeps no results.
The console types a different 4-letter word per repeat, each with its own
first letter, so its cache of recent results never supplies a keystroke.

    .venv/bin/python -m bench.search [--sizes 7000,20000] [--repeats 10] [--json PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMainWindow

from bench.anchors import naive_table
from bench.catalog_data import catalog_packages, store_catalog
from bench.figures import Figure, median, percentile, print_figures, write_figures
from bench.qt_timing import PaintCounter, settle, timed_ms  # sets the offscreen platform first
from esimfly_desktop.api.models import Package
from esimfly_desktop.services.catalog_store import CatalogStore
from esimfly_desktop.storage.database import Database
from esimfly_desktop.ui.catalog.catalog_view import CatalogView
from esimfly_desktop.ui.catalog.table_model import Column
from esimfly_desktop.ui.controllers.catalog_controller import CatalogController

# Distinct first letters, so no word's prefix was searched before.
SEARCH_WORDS = (
    "germ", "japa", "fran", "thai", "ital", "spai", "mexi", "braz", "cana", "aust",
    "kore", "viet", "peru", "norw", "egyp", "oman", "hung", "luxe", "denm", "qata",
)  # fmt: skip
SORT_COLUMNS = (Column.COST, Column.NAME)
KEYSTROKE_TARGET = 1 / 25
SORT_TARGET = 1 / 10


@dataclass
class ConsoleTimes:
    """Milliseconds per timed step of the console's catalog screen."""

    keystroke_ms: dict[int, list[float]] = field(default_factory=dict)
    sort_ms: list[float] = field(default_factory=list)
    # A repaint of the table with nothing changed: the floor under every keystroke.
    repaint_ms: list[float] = field(default_factory=list)

    def all_keystrokes(self) -> list[float]:
        return [time for times in self.keystroke_ms.values() for time in times]


def buy_price(package: Package) -> Decimal:
    return package.cost


def measure_console(package_count: int, repeats: int, work_dir: Path) -> ConsoleTimes:
    """Type one word per repeat into the real catalog screen, then sort two columns."""
    database_path = work_dir / f"catalog-{package_count}.sqlite3"
    asyncio.run(store_catalog(database_path, catalog_packages(package_count)))

    window = QMainWindow()
    window.resize(*naive_table.WINDOW_SIZE)
    view = CatalogView(buy_price)
    window.setCentralWidget(view)
    database = Database.open_sync(database_path)
    controller = CatalogController(view, CatalogStore(database), interval=timedelta(hours=24))
    asyncio.run(controller.show_cached())
    counter = PaintCounter()
    view.table.viewport().installEventFilter(counter)
    window.show()
    settle(counter)

    search_box = view.filter_bar.search_box
    times = ConsoleTimes({length: [] for length in range(1, 5)})

    def type_text(text: str) -> None:
        search_box.setText(text)
        view.filter_bar.emit_query()

    for word in SEARCH_WORDS[:repeats]:
        for length in times.keystroke_ms:
            prefix = word[:length]
            times.keystroke_ms[length].append(timed_ms(counter, lambda p=prefix: type_text(p)))
        timed_ms(counter, lambda: type_text(""))

    header = view.table.horizontalHeader()
    for repeat in range(repeats):
        for column in SORT_COLUMNS:
            order = Qt.SortOrder.DescendingOrder if repeat % 2 else Qt.SortOrder.AscendingOrder
            times.sort_ms.append(
                timed_ms(counter, lambda c=column, o=order: header.setSortIndicator(c, o))
            )

    viewport = view.table.viewport()
    times.repaint_ms = [timed_ms(counter, viewport.update) for _ in range(repeats)]

    window.close()
    QApplication.processEvents()
    database.close()
    return times


def figures_for(size: int, anchor: naive_table.NaiveTableTimes, console: ConsoleTimes) -> list:
    anchor_keystroke = median(anchor.all_keystrokes())
    keystrokes = console.all_keystrokes()
    return [
        Figure(
            "search",
            f"keystroke p50, {size:,} packages, 1-4 chars",
            percentile(keystrokes, 0.5),
            "naive filter (median)",
            anchor_keystroke,
            "ms",
            KEYSTROKE_TARGET,
        ),
        Figure(
            "search",
            f"keystroke p95, {size:,} packages, 1-4 chars",
            percentile(keystrokes, 0.95),
            "naive filter (median)",
            anchor_keystroke,
            "ms",
            KEYSTROKE_TARGET,
        ),
        Figure(
            "search",
            f"sort a column (median), {size:,} packages",
            median(console.sort_ms),
            "naive sort (median)",
            median(anchor.sort_ms),
            "ms",
            SORT_TARGET,
        ),
    ]


def print_details(size: int, anchor: naive_table.NaiveTableTimes, console: ConsoleTimes) -> None:
    print(f"{size:,} packages: median ms per keystroke by length (anchor / console p50 / p95)")
    for length, console_times in console.keystroke_ms.items():
        print(
            f"  {length} chars: {median(anchor.keystroke_ms[length]):8.2f} / "
            f"{percentile(console_times, 0.5):6.2f} / {percentile(console_times, 0.95):6.2f}"
        )
    print(f"  sort: {median(anchor.sort_ms):8.2f} / {median(console.sort_ms):6.2f}")
    print(f"  console repaint with nothing changed: median {median(console.repaint_ms):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description="Time search and sorting against the naive table.")
    parser.add_argument("--sizes", default="7000,20000", help="comma-separated catalog sizes")
    parser.add_argument("--repeats", type=int, default=10, help=f"1 to {len(SEARCH_WORDS)}")
    parser.add_argument("--quick", action="store_true", help="1,000 packages, 1 repeat")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    arguments = parser.parse_args()
    sizes = [1000] if arguments.quick else [int(size) for size in arguments.sizes.split(",")]
    repeats = 1 if arguments.quick else max(1, min(arguments.repeats, len(SEARCH_WORDS)))

    application = QApplication.instance() or QApplication([sys.argv[0]])
    results: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="esimfly-bench-search-") as work_dir:
        for size in sizes:
            anchor = naive_table.measure(size, repeats)
            console = measure_console(size, repeats, Path(work_dir))
            print_details(size, anchor, console)
            results += figures_for(size, anchor, console)
    application.processEvents()
    print_figures(results)
    if arguments.json:
        write_figures(arguments.json, results)


if __name__ == "__main__":
    main()
