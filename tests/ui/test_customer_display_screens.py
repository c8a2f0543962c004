"""The customer display on a second monitor, at every screen scale, in a child process.

Qt reads the offscreen screen layout only when the QApplication starts, so each
layout runs ``tests.ui.customer_display_probe`` in its own process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ui.customer_display_probe import LPA_STRING

REPO_ROOT = Path(__file__).resolve().parents[2]
COUNTER = {"name": "Counter", "x": 0, "y": 0, "width": 1920, "height": 1080, "dpr": 1}


def run_probe(tmp_path: Path, screens: list[dict]) -> dict:
    layout = tmp_path / "screens.json"
    layout.write_text(json.dumps({"screens": screens}), encoding="utf-8")
    environment = dict(os.environ)
    environment["QT_QPA_PLATFORM"] = f"offscreen:configfile={layout}"
    result = subprocess.run(
        [sys.executable, "-m", "tests.ui.customer_display_probe"],
        cwd=REPO_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("ratio", [1, 1.25, 1.5, 2])
def test_display_on_second_screen(tmp_path: Path, ratio: float) -> None:
    customer = {"name": "Customer", "x": 1920, "y": 0, "width": 1280, "height": 800, "dpr": ratio}

    report = run_probe(tmp_path, [COUNTER, customer])

    assert report["screens"] == ["Counter", "Customer"]
    assert report["choices"] == ["Counter", "Customer"]
    assert report["screen"] == "Customer"
    assert report["full_screen"] is True
    assert report["geometry"][0] >= 1920
    assert report["ratios"] == [1, ratio]
    assert report["image_ratio"] == ratio
    assert report["decoded"] == [LPA_STRING]
    assert report["qr_gray_levels"] == [0, 255]


def test_display_single_screen_fallback(tmp_path: Path) -> None:
    report = run_probe(tmp_path, [COUNTER])

    assert report["screen"] == "Counter"
    assert report["full_screen"] is False
    assert report["decoded"] == [LPA_STRING]
