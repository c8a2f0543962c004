"""Cold start: process start until the main window shows a cached 7,000-package catalog.

A data folder is prepared once: its training profile gets the sandbox's
catalog stored as the last completed sync. The console then starts with
``--training`` on that folder and ``ESIMFLY_EXIT_AFTER_FIRST_PAINT=1``, which
quits through the ordinary shutdown at the first paint of the catalog table
with rows. The training sandbox starts only after the cached catalog is
shown, and the quit cancels it. The anchor is ``bench/anchors/stack_window.py``.
Runs alternate between the anchor and the console, and each side is the median
of whole-process wall times, shutdown included.

    .venv/bin/python -m bench.cold_start [--runs 10] [--packages 7000] [--json PATH]
"""

from __future__ import annotations

import argparse
import compileall
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import esimfly_desktop
from bench.catalog_data import prepare_training_folder
from bench.figures import Figure, median, print_figures, write_figures

ANCHOR_SCRIPT = Path(__file__).resolve().parent / "anchors" / "stack_window.py"
RUN_TIMEOUT_S = 60.0
TARGET_RATIO = 1.3


def timed_process(command: list[str], environment: dict[str, str]) -> float:
    """Run ``command`` to its end and return its wall time in milliseconds."""
    started = time.perf_counter()
    completed = subprocess.run(
        command,
        env=environment,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        timeout=RUN_TIMEOUT_S,
        check=False,
    )
    elapsed_ms = (time.perf_counter() - started) * 1000
    if completed.returncode != 0:
        tail = completed.stderr.decode("utf-8", "replace")[-2000:]
        raise RuntimeError(f"{command[1:3]} exited with code {completed.returncode}:\n{tail}")
    return elapsed_ms


def compile_console_bytecode() -> None:
    """Write the console's ``.pyc`` files, as an installed copy has them.

    pip compiles the libraries' bytecode at install, and the bundle ships it,
    but an editable checkout run with PYTHONDONTWRITEBYTECODE=1 would compile
    the console's own modules from source on every start.
    """
    package_dir = Path(esimfly_desktop.__file__).parent
    if not compileall.compile_dir(package_dir, quiet=1):
        raise RuntimeError(f"compiling the bytecode under {package_dir} failed")


def measure(runs: int, package_count: int, work_dir: Path) -> tuple[list[float], list[float]]:
    """Return the anchor's and the console's wall times, ``runs`` of each, alternating."""
    compile_console_bytecode()
    prepare_training_folder(work_dir, package_count)
    environment = {
        **os.environ,
        "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        "ESIMFLY_EXIT_AFTER_FIRST_PAINT": "1",
    }
    anchor = [sys.executable, str(ANCHOR_SCRIPT)]
    console = [sys.executable, "-m", "esimfly_desktop", "--training", "--data-dir", str(work_dir)]

    # One unmeasured run of each fills the file cache.
    timed_process(anchor, environment)
    timed_process(console, environment)
    anchor_ms: list[float] = []
    console_ms: list[float] = []
    for _ in range(runs):
        anchor_ms.append(timed_process(anchor, environment))
        console_ms.append(timed_process(console, environment))
    return anchor_ms, console_ms


def figures(anchor_ms: list[float], console_ms: list[float], package_count: int) -> list[Figure]:
    return [
        Figure(
            benchmark="cold start",
            name=f"start to catalog painted, {package_count:,} cached packages (median)",
            value=median(console_ms),
            anchor_name="stack window (median)",
            anchor=median(anchor_ms),
            unit="ms",
            target=TARGET_RATIO,
        )
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description="Time the console's cold start against the stack.")
    parser.add_argument("--runs", type=int, default=20, help="measured runs per side")
    parser.add_argument("--packages", type=int, default=7000, help="packages in the cached catalog")
    parser.add_argument("--quick", action="store_true", help="1 run per side")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    arguments = parser.parse_args()
    runs = 1 if arguments.quick else arguments.runs

    with tempfile.TemporaryDirectory(prefix="esimfly-bench-cold-") as work_dir:
        anchor_ms, console_ms = measure(runs, arguments.packages, Path(work_dir))
    print(f"anchor runs ms: {', '.join(f'{value:.0f}' for value in anchor_ms)}")
    print(f"console runs ms: {', '.join(f'{value:.0f}' for value in console_ms)}")
    results = figures(anchor_ms, console_ms, arguments.packages)
    print_figures(results)
    if arguments.json:
        write_figures(arguments.json, results)


if __name__ == "__main__":
    main()
