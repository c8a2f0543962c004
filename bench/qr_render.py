"""QR rendering of a 90-character LPA string at 600x600: the console's widget against segno alone.

Console: ``QrCodeWidget.set_lpa_string`` (encodes with segno and keeps the
module matrix) followed by ``render_image(600, 1.0)``, which paints the
matrix on a 600x600 ``QImage``: the work of showing a new code. Anchor:
``segno.make`` of the same string (error correction M, no Micro QR, as the
console asks for) and ``save`` as PNG into an in-memory buffer with the standard 4-module quiet
zone, at the largest whole scale that fits in 600 pixels (version 6, 49
modules with the quiet zone, scale 12: a 588x588 image). Runs alternate, and
each side is the median.

    .venv/bin/python -m bench.qr_render [--runs 200] [--json PATH]
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

import segno
from PySide6.QtWidgets import QApplication

from bench.figures import Figure, median, print_figures, write_figures
from bench.qt_timing import PaintCounter  # noqa: F401  (sets the offscreen platform first)
from esimfly_desktop.ui.qr import QrCodeWidget

SMDP_ADDRESS = "rsp.training.esimfly.example"
LPA_LENGTH = 90
SIDE_PX = 600
QUIET_ZONE_MODULES = 4
TARGET_RATIO = 2.0


def lpa_string() -> str:
    """Return an LPA activation code of exactly LPA_LENGTH characters."""
    prefix = f"LPA:1${SMDP_ADDRESS}$"
    matching_id = "K2-4RBQ7-1Z0TYA-" + "X7P3M9W2" * 10
    return (prefix + matching_id)[:LPA_LENGTH]


def render_with_console(widget: QrCodeWidget, text: str) -> float:
    started = time.perf_counter()
    widget.set_lpa_string(text)
    widget.render_image(SIDE_PX, 1.0)
    return (time.perf_counter() - started) * 1000


def segno_scale(text: str) -> int:
    """Return the largest whole module size whose image fits in SIDE_PX."""
    width, _height = segno.make(text, error="m", micro=False).symbol_size(
        scale=1, border=QUIET_ZONE_MODULES
    )
    return max(1, SIDE_PX // width)


def render_with_segno(text: str, scale: int) -> float:
    started = time.perf_counter()
    code = segno.make(text, error="m", micro=False)
    code.save(io.BytesIO(), kind="png", scale=scale, border=QUIET_ZONE_MODULES)
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description="Time QR rendering against segno's own encoder.")
    parser.add_argument("--runs", type=int, default=200, help="measured runs per side")
    parser.add_argument("--quick", action="store_true", help="5 runs per side")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    arguments = parser.parse_args()
    runs = 5 if arguments.quick else arguments.runs

    application = QApplication.instance() or QApplication([sys.argv[0]])
    widget = QrCodeWidget()
    text = lpa_string()
    assert len(text) == LPA_LENGTH
    version = segno.make(text, error="m", micro=False).version
    scale = segno_scale(text)
    render_with_console(widget, text)
    render_with_segno(text, scale)

    console_ms: list[float] = []
    segno_ms: list[float] = []
    for _ in range(runs):
        console_ms.append(render_with_console(widget, text))
        segno_ms.append(render_with_segno(text, scale))
    application.processEvents()

    print(f"LPA string of {len(text)} characters, QR version {version}, {runs} runs per side")
    results = [
        Figure(
            "QR rendering",
            f"{LPA_LENGTH}-char LPA string to a {SIDE_PX}x{SIDE_PX} image (median)",
            median(console_ms),
            f"segno make + PNG at scale {scale} (median)",
            median(segno_ms),
            "ms",
            TARGET_RATIO,
        )
    ]
    print_figures(results)
    if arguments.json:
        write_figures(arguments.json, results)


if __name__ == "__main__":
    main()
