"""The benchmark suite's quick mode still runs end to end; no time is asserted.

The benchmarks start their own sandboxes on loopback in child processes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parent.parent
QUICK_RUN_TIMEOUT_S = 600
BENCHMARK_LABELS = (
    "cold start",
    "search",
    "catalog sync",
    "API client",
    "outbox replay",
    "memory",
    "QR rendering",
)


@pytest.mark.slow
def test_bench_quick_mode_prints_every_figure() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "bench", "--quick"],
        cwd=REPOSITORY,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=QUICK_RUN_TIMEOUT_S,
        check=False,
    )

    assert completed.returncode == 0, completed.stderr[-3000:]
    table_header = "| benchmark | figure | console | anchor | anchor value | ratio | target | met |"
    assert table_header in completed.stdout
    table_rows = [line for line in completed.stdout.splitlines() if line.startswith("| ")]
    for label in BENCHMARK_LABELS:
        assert any(row.startswith(f"| {label} |") for row in table_rows), label
    assert "targets met." in completed.stdout
