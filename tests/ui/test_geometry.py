"""Window geometry: saved as JSON, restored on its monitor, moved back when the monitor is gone.

Each case runs in a child process because Qt reads the offscreen screen layout
(positions and device pixel ratios) only when the QApplication starts.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from esimfly_desktop.ui.geometry import SavedGeometry

REPO_ROOT = Path(__file__).resolve().parents[2]

LEFT = {"name": "Left", "x": 0, "y": 0, "width": 1920, "height": 1080, "dpr": 1}
RIGHT_HIDPI = {"name": "Right", "x": 1920, "y": 0, "width": 1280, "height": 1024, "dpr": 2}


def run_probe(tmp_path: Path, screens: list[dict], saved: SavedGeometry | None) -> dict:
    layout = tmp_path / "screens.json"
    layout.write_text(json.dumps({"screens": screens}), encoding="utf-8")
    environment = dict(os.environ)
    environment["QT_QPA_PLATFORM"] = f"offscreen:configfile={layout}"
    result = subprocess.run(
        [sys.executable, "-m", "tests.ui.geometry_probe", saved.to_json() if saved else ""],
        cwd=REPO_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_saved_geometry_round_trip():
    saved = SavedGeometry(2000, 100, 900, 700, maximized=True, screen="Right")

    assert SavedGeometry.from_json(saved.to_json()) == saved


@pytest.mark.parametrize("text", ["", "not json", '{"x": 1}', '{"x": "a", "y": 0}'])
def test_invalid_saved_geometry_ignored(text):
    assert SavedGeometry.from_json(text) is None


def test_restore_on_second_hidpi_screen(tmp_path):
    saved = SavedGeometry(2000, 100, 900, 700, screen="Right")

    report = run_probe(tmp_path, [LEFT, RIGHT_HIDPI], saved)

    assert [screen["dpr"] for screen in report["screens"]] == [1.0, 2.0]
    assert report["restored"] == [2000, 100, 900, 700]
    assert report["screen"] == "Right"
    assert report["captured"]["screen"] == "Right"


def test_restore_moves_window_when_screen_gone(tmp_path):
    saved = SavedGeometry(2000, 100, 900, 700, screen="Right")

    report = run_probe(tmp_path, [LEFT], saved)

    x, y, width, height = report["restored"]
    assert report["screen"] == "Left"
    assert x >= 0
    assert x + width <= LEFT["width"]
    assert y >= 0
    assert y + height <= LEFT["height"]
    assert (width, height) == (900, 700)


def test_restore_shrinks_window_larger_than_screen(tmp_path):
    saved = SavedGeometry(3000, 0, 2500, 1400, screen="Right")

    report = run_probe(tmp_path, [LEFT], saved)

    x, y, width, height = report["restored"]
    assert width <= LEFT["width"]
    assert height <= LEFT["height"]
    assert x >= 0
    assert y >= 0


def test_first_start_centres_on_primary(tmp_path):
    report = run_probe(tmp_path, [LEFT, RIGHT_HIDPI], None)

    assert report["screen"] == "Left"
