"""Run every benchmark, each in its own process, and print every figure beside its anchor.

    .venv/bin/python -m bench                 # full sizes; about 10 minutes
    .venv/bin/python -m bench --quick         # small sizes, one run each (CI)
    .venv/bin/python -m bench --write-doc     # also rewrite the results in docs/benchmarks.md
    .venv/bin/python -m bench --only search --only qr_render

Every target is a ratio against an anchor measured in the same run, because
absolute times drift on shared machines. The exit code is 1 when a benchmark
failed to run, and 0 otherwise, whether or not the targets were met.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.figures import Figure, format_table, read_figures

REPOSITORY = Path(__file__).resolve().parent.parent
DOC_PATH = REPOSITORY / "docs" / "benchmarks.md"
RESULTS_START = "<!-- results of python -m bench: start -->"
RESULTS_END = "<!-- results of python -m bench: end -->"

API_CLIENT_TARGET = 1.15
OUTBOX_TARGET = 0.9
DEFAULT_LIMIT = "100/60,1000/3600,10000/86400"
RAISED_LIMIT = "250/60,100000/3600,1000000/86400"
QUICK_LIMIT = "10/6,1000/3600,10000/86400"
QUICK_RAISED_LIMIT = "25/6,100000/3600,1000000/86400"


@dataclass(frozen=True)
class Benchmark:
    """One benchmark script and how to read its JSON output as figures."""

    name: str
    full_arguments: tuple[str, ...]
    quick_arguments: tuple[str, ...]
    timeout_s: float
    read: Callable[[Path], list[Figure]] = read_figures


def read_api_client(path: Path) -> list[Figure]:
    """Compare one request at a time against the sandbox; the other modes are only printed."""
    rows = {row["name"]: row for row in json.loads(path.read_text("utf-8"))}
    raw = rows["raw httpx, sequential"]
    client = rows["EsimflyClient, sequential"]
    return [
        Figure(
            "API client",
            "GET /balance, one at a time (median per request)",
            client["median_ms"],
            "raw httpx, hand-signed (median)",
            raw["median_ms"],
            "ms",
            API_CLIENT_TARGET,
        )
    ]


def read_outbox_replay(path: Path) -> list[Figure]:
    """Compare orders per minute with the first (per-minute) window of each run's limit."""
    figures = []
    for run in json.loads(path.read_text("utf-8")):
        limit, window_s = (int(part) for part in run["rate_limit"].split(",")[0].split("/"))
        problems = []
        if run["duplicates"]:
            problems.append(f"{run['duplicates']} duplicated charges")
        if run["charges"] != run["orders"]:
            problems.append(f"{run['charges']} charges for {run['orders']} orders")
        figures.append(
            Figure(
                "outbox replay",
                f"{run['orders']} orders at {limit}/{window_s} s, "
                f"{run['duplicates']} duplicates, {run['charges']} charges",
                run["orders_per_minute"],
                "configured rate limit",
                limit * 60 / window_s,
                "orders/min",
                OUTBOX_TARGET,
                higher_is_better=True,
                failed_check="; ".join(problems),
            )
        )
    return figures


BENCHMARKS = (
    Benchmark("cold_start", (), ("--quick",), 600),
    Benchmark("search", (), ("--quick",), 900),
    Benchmark("catalog_sync", (), ("--quick",), 600),
    Benchmark("api_client", (), ("--requests", "100"), 600, read_api_client),
    Benchmark(
        "outbox_replay",
        ("--limit", DEFAULT_LIMIT, "--limit", RAISED_LIMIT),
        ("--orders", "20", "--limit", QUICK_LIMIT, "--limit", QUICK_RAISED_LIMIT),
        1800,
        read_outbox_replay,
    ),
    Benchmark("memory", (), ("--quick",), 600),
    Benchmark("qr_render", (), ("--quick",), 300),
)


def run_benchmark(benchmark: Benchmark, quick: bool, work_dir: Path) -> list[Figure]:
    """Run one benchmark script to its end, echo its output, and return its figures."""
    output = work_dir / f"{benchmark.name}.json"
    arguments = benchmark.quick_arguments if quick else benchmark.full_arguments
    command = [sys.executable, "-m", f"bench.{benchmark.name}", *arguments, "--json", str(output)]
    print(f"## {benchmark.name}: {' '.join(command[1:-2])}", flush=True)
    started = time.monotonic()
    completed = subprocess.run(
        command,
        cwd=REPOSITORY,
        env={**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=benchmark.timeout_s,
        check=False,
    )
    for line in completed.stdout.splitlines():
        print(f"   {line}")
    if completed.returncode != 0 or not output.exists():
        print(completed.stderr[-3000:], file=sys.stderr)
        raise RuntimeError(f"{benchmark.name} exited with code {completed.returncode}")
    print(f"   ({time.monotonic() - started:.0f} s)", flush=True)
    return benchmark.read(output)


def machine_description(load_at_start: tuple[float, float, float]) -> list[str]:
    """Return the lines that describe this machine and its software."""
    import PySide6
    from PySide6.QtCore import qVersion

    cpu = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            names = [
                line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")
            ]
        cpu = names[0] if names else cpu
    except OSError:
        pass
    load = ", ".join(f"{value:.2f}" for value in load_at_start)
    return [
        f"- Machine: {os.cpu_count()} cores, {cpu}, {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}, Qt {qVersion()}, PySide6 {PySide6.__version__}",
        f"- Qt platform: {os.environ.get('QT_QPA_PLATFORM', 'offscreen')}; "
        f"load average at the start: {load}",
    ]


def results_section(
    figures: list[Figure],
    command: str,
    failures: list[str],
    load_at_start: tuple[float, float, float],
) -> list[str]:
    met = sum(figure.met for figure in figures)
    lines = [
        RESULTS_START,
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `{command}`:",
        "",
        *machine_description(load_at_start),
        "",
        *format_table(figures),
        "",
        f"{met} of {len(figures)} targets met.",
    ]
    if failures:
        lines.append(f"Benchmarks that failed to run: {', '.join(failures)}.")
    lines.append(RESULTS_END)
    return lines


def write_doc(section: list[str]) -> None:
    """Replace the generated results in docs/benchmarks.md, or append them when missing."""
    text = DOC_PATH.read_text("utf-8")
    block = "\n".join(section)
    if RESULTS_START in text and RESULTS_END in text:
        before, rest = text.split(RESULTS_START, 1)
        after = rest.split(RESULTS_END, 1)[1]
        text = before + block + after
    else:
        text = text.rstrip("\n") + "\n\n## Latest results\n\n" + block + "\n"
    DOC_PATH.write_text(text, "utf-8")


def main(argv: list[str] | None = None) -> int:
    names = [benchmark.name for benchmark in BENCHMARKS]
    parser = argparse.ArgumentParser(description="Run every benchmark against its anchor.")
    parser.add_argument("--quick", action="store_true", help="small sizes, one run each")
    parser.add_argument("--write-doc", action="store_true", help="update docs/benchmarks.md")
    parser.add_argument("--only", action="append", choices=names, help="run only this benchmark")
    arguments = parser.parse_args(argv)
    selected = [
        benchmark for benchmark in BENCHMARKS if benchmark.name in (arguments.only or names)
    ]

    figures: list[Figure] = []
    failures: list[str] = []
    load_at_start = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="esimfly-bench-") as work_dir:
        for benchmark in selected:
            try:
                figures += run_benchmark(benchmark, arguments.quick, Path(work_dir))
            except (RuntimeError, subprocess.TimeoutExpired) as error:
                print(f"   {benchmark.name} failed: {error}", file=sys.stderr)
                failures.append(benchmark.name)

    command = "python -m bench" + (" --quick" if arguments.quick else "")
    command += "".join(f" --only {name}" for name in arguments.only or ())
    section = results_section(figures, command, failures, load_at_start)
    print()
    for line in section[1:-1]:
        print(line)
    if arguments.write_doc:
        write_doc(section)
        print(f"Wrote the results to {DOC_PATH}")
    return 1 if failures or not figures or any(math.isnan(f.value) for f in figures) else 0


if __name__ == "__main__":
    sys.exit(main())
