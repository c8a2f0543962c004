"""One measured figure beside its anchor, and how figures travel between benchmark processes.

Each benchmark script runs in its own process and, given ``--json PATH``,
writes its figures there; ``bench/run_all.py`` reads them back and prints one
table. A figure's ratio is the console's value divided by the anchor's value,
and ``target`` is the largest ratio that meets the goal, except for figures
with ``higher_is_better``, where the ratio must reach ``target``.
"""

from __future__ import annotations

import json
import statistics
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class Figure:
    """The console's value and the anchor's, in the same unit, with the target ratio."""

    benchmark: str
    name: str
    value: float
    anchor_name: str
    anchor: float
    unit: str
    target: float
    higher_is_better: bool = False
    # An absolute target, such as "150 MiB above the anchor", compares the difference.
    target_is_difference: bool = False
    # A check besides the ratio that failed, such as duplicated charges; empty when none did.
    failed_check: str = ""

    @property
    def ratio(self) -> float:
        return self.value / self.anchor if self.anchor else float("inf")

    @property
    def difference(self) -> float:
        return self.value - self.anchor

    @property
    def met(self) -> bool:
        if self.failed_check:
            return False
        if self.target_is_difference:
            return self.difference <= self.target
        if self.higher_is_better:
            return self.ratio >= self.target
        return self.ratio <= self.target

    def target_text(self) -> str:
        if self.target_is_difference:
            return f"<= +{self.target:g} {self.unit}"
        if self.higher_is_better:
            return f">= {self.target:g}x"
        return f"<= {_ratio_text(self.target)}x"


def _ratio_text(ratio: float) -> str:
    """Write ratios below 1 as a fraction (1/25), the way the targets are stated."""
    if ratio < 1:
        return f"1/{round(1 / ratio)}"
    return f"{ratio:g}"


def percentile(values: list[float], fraction: float) -> float:
    """Return the nearest-rank percentile of ``values`` (fraction 0.95 for p95)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(fraction * len(ordered) + 0.5)))
    return ordered[rank - 1]


def median(values: list[float]) -> float:
    return statistics.median(values)


def write_figures(path: Path, figures: list[Figure]) -> None:
    path.write_text(json.dumps([asdict(figure) for figure in figures], indent=1), "utf-8")


def read_figures(path: Path) -> list[Figure]:
    return [Figure(**fields) for fields in json.loads(path.read_text("utf-8"))]


def format_table(figures: list[Figure]) -> list[str]:
    """Return the lines of a Markdown table: one row per figure."""
    lines = [
        "| benchmark | figure | console | anchor | anchor value | ratio | target | met |",
        "|---|---|---:|---|---:|---:|---|---|",
    ]
    for figure in figures:
        lines.append(
            f"| {figure.benchmark} | {figure.name} | {figure.value:.2f} {figure.unit} "
            f"| {figure.anchor_name} | {figure.anchor:.2f} {figure.unit} "
            f"| {_ratio_cell(figure)} | {figure.target_text()} | {_verdict(figure)} |"
        )
    return lines


def _ratio_cell(figure: Figure) -> str:
    if figure.target_is_difference:
        return f"{figure.ratio:.3f} (+{figure.difference:.1f} {figure.unit})"
    return f"{figure.ratio:.3f}"


def _verdict(figure: Figure) -> str:
    if figure.failed_check:
        return f"NO ({figure.failed_check})"
    return "yes" if figure.met else "NO"


def print_figures(figures: list[Figure]) -> None:
    for line in format_table(figures):
        print(line)
