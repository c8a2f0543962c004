"""Peak memory of the console with a large catalog and order history, against the bare window.

A data folder is prepared once: the training profile gets 20,000 packages as
its cached catalog and 10,000 orders placed at this counter (one eSIM each,
with its LPA string). A child process then builds the console's main window,
fills the catalog through ``CatalogController.show_cached`` and the Orders tab
through ``OrderStore.history`` and ``OrderHistoryView.set_orders``, paints
both tabs and prints its peak resident set size (VmHWM on Linux). No sandbox
or network is involved: this is the memory of the loaded screens. The anchor
is ``bench/anchors/stack_window.py --print-peak-rss`` in its own process.

    .venv/bin/python -m bench.memory [--packages 20000] [--orders 10000] [--json PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from bench.catalog_data import catalog_packages, store_catalog
from bench.figures import Figure, median, print_figures, write_figures

ANCHOR_SCRIPT = Path(__file__).resolve().parent / "anchors" / "stack_window.py"
PEAK_PATTERN = re.compile(r"peak_rss_mib=(?P<mib>[0-9.]+)")
RUN_TIMEOUT_S = 300.0
TARGET_ABOVE_MIB = 150.0


@dataclass(frozen=True)
class BenchOrderItem:
    """The fields of an outbox item that ``save_order_result`` reads."""

    package_code: str
    quantity: int
    price: Decimal
    currency: str
    customer_reference: str
    operator: str
    id: int | None = None


async def store_orders(database_path: Path, order_count: int, package_count: int) -> None:
    """Insert ``order_count`` completed orders, one eSIM each, as if placed at this counter."""
    from esimfly_desktop.api.order_models import Esim, OrderResult
    from esimfly_desktop.services.order_store import save_order_result
    from esimfly_desktop.storage.database import Database, transaction

    packages = catalog_packages(min(package_count, 7000))

    def insert_all(connection: object) -> None:
        with transaction(connection):  # type: ignore[arg-type]
            for number in range(order_count):
                package = packages[number % len(packages)]
                iccid = f"8988247{number:013d}"
                esim = Esim(
                    iccid=iccid,
                    lpa_string=f"LPA:1$rsp.training.esimfly.example$K2-BENCH-{number:08d}",
                    status="GOT_RESOURCE",
                    profile_status="RELEASED",
                    total_volume_bytes=int(package.data_amount_gb * 1024**3),
                    total_duration_days=package.validity_days,
                )
                result = OrderResult(
                    order_reference=f"B{number:09d}",
                    status="completed",
                    is_pending=False,
                    amount=package.cost,
                    new_balance=None,
                    currency=package.currency,
                    duplicate=False,
                    package_name=package.name,
                    esims=(esim,),
                )
                item = BenchOrderItem(
                    package.package_code, 1, package.cost, package.currency, f"C{number}", "Bench"
                )
                save_order_result(connection, result, item)  # type: ignore[arg-type]

    database = await Database.open(database_path)
    try:
        await database.run(insert_all)
    finally:
        await asyncio.to_thread(database.close)


def prepare(root: Path, package_count: int, order_count: int) -> Path:
    from esimfly_desktop.storage.paths import TRAINING_PROFILE, DataFolders

    database_path = DataFolders(root).profile(TRAINING_PROFILE).database
    database_path.parent.mkdir(parents=True, exist_ok=True)
    asyncio.run(store_catalog(database_path, catalog_packages(package_count)))
    asyncio.run(store_orders(database_path, order_count, package_count))
    return database_path


async def show_loaded_console(database_path: Path) -> tuple[int, int]:
    """Build the main window with both screens filled; return (packages shown, orders shown)."""
    from datetime import timedelta

    from PySide6.QtWidgets import QApplication

    from esimfly_desktop.services.catalog_store import CatalogStore
    from esimfly_desktop.services.order_store import OrderStore
    from esimfly_desktop.storage.database import Database
    from esimfly_desktop.ui.controllers.catalog_controller import CatalogController
    from esimfly_desktop.ui.history import OrderHistoryView
    from esimfly_desktop.ui.main_window import MainWindow

    window = MainWindow(lambda package: package.cost, is_training=True)
    window.resize(1280, 800)
    window.show()
    database = await Database.open(database_path)
    catalog = CatalogController(
        window.catalog_view, CatalogStore(database), interval=timedelta(hours=24)
    )
    packages = await catalog.show_cached()

    history_view = OrderHistoryView()
    position = window.add_screen(history_view, "Orders")
    orders = await OrderStore(database).history([])
    history_view.set_orders(orders)

    # Paint each screen once, as an operator switching tabs would.
    for tab in (position, 0):
        window.tabs.setCurrentIndex(tab)
        for _ in range(5):
            QApplication.processEvents()
            await asyncio.sleep(0.01)

    window.allow_close = True
    window.close()
    await asyncio.to_thread(database.close)
    return packages, len(orders)


def run_child(database_path: Path) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QT_API", "pyside6")
    import qasync
    from PySide6.QtWidgets import QApplication

    application = QApplication([sys.argv[0]])
    # Closing the window at the end must not stop the loop before the coroutine returns.
    application.setQuitOnLastWindowClosed(False)
    with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(application)) as runner:
        packages, orders = runner.run(show_loaded_console(database_path))
    from bench.anchors.stack_window import peak_rss_mib

    print(f"packages={packages} orders={orders}")
    print(f"peak_rss_mib={peak_rss_mib():.1f}")


def peak_of(command: list[str]) -> float:
    environment = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    completed = subprocess.run(
        command, env=environment, capture_output=True, text=True, timeout=RUN_TIMEOUT_S, check=False
    )
    match = PEAK_PATTERN.search(completed.stdout)
    if completed.returncode != 0 or match is None:
        raise RuntimeError(f"{command[1:3]} failed ({completed.returncode}):\n{completed.stderr}")
    print(completed.stdout.strip().replace("\n", ", "))
    return float(match["mib"])


def main() -> None:
    parser = argparse.ArgumentParser(description="Peak memory of the loaded console.")
    parser.add_argument("--packages", type=int, default=20000, help="packages in the catalog")
    parser.add_argument("--orders", type=int, default=10000, help="orders in the history")
    parser.add_argument("--runs", type=int, default=3, help="processes per side")
    parser.add_argument("--quick", action="store_true", help="2,000 packages, 1,000 orders, 1 run")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        run_child(arguments.child)
        return
    if arguments.quick:
        arguments.packages, arguments.orders, arguments.runs = 2000, 1000, 1

    with tempfile.TemporaryDirectory(prefix="esimfly-bench-memory-") as work_dir:
        database_path = prepare(Path(work_dir), arguments.packages, arguments.orders)
        console_command = [sys.executable, "-m", "bench.memory", "--child", str(database_path)]
        anchor_command = [sys.executable, str(ANCHOR_SCRIPT), "--print-peak-rss"]
        anchor_mib: list[float] = []
        console_mib: list[float] = []
        for _ in range(arguments.runs):
            anchor_mib.append(peak_of(anchor_command))
            console_mib.append(peak_of(console_command))

    results = [
        Figure(
            "memory",
            f"peak RSS, {arguments.packages:,} packages + {arguments.orders:,} orders (median)",
            median(console_mib),
            "bare window peak RSS (median)",
            median(anchor_mib),
            "MiB",
            TARGET_ABOVE_MIB,
            target_is_difference=True,
        )
    ]
    print_figures(results)
    if arguments.json:
        write_figures(arguments.json, results)


if __name__ == "__main__":
    main()
