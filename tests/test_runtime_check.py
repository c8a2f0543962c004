import json
import logging
import subprocess
import sys

import pytest

from esimfly_desktop.runtime_check import UnsupportedRuntimeError, check_runtime, parse_version

# Movement of a count within this margin is interpreter noise (frames, caches),
# far below the one-per-call loss of a leaking build.
NOISE = 50


def run_probe(*arguments: str) -> dict:
    completed = subprocess.run(
        [sys.executable, "-m", "esimfly_desktop.refcount_probe", *arguments],
        capture_output=True,
        text=True,
        timeout=240,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )
    assert completed.returncode == 0, f"probe exited {completed.returncode}: {completed.stderr}"
    return json.loads(completed.stdout)


def test_probe_installed_pyside_keeps_counts() -> None:
    report = run_probe("--calls", "1000000", "--emits", "1000000")

    for name in ("None", "True", "False"):
        assert abs(report["delta"][name]) <= NOISE, report


def test_probe_reports_simulated_drain() -> None:
    # On Python 3.12+ None is immortal and Py_DecRef leaves it alone, so the
    # drain goes to a mortal sentinel there.
    baseline = run_probe("--calls", "0", "--emits", "0")
    target = "sentinel" if baseline["immortal"]["None"] else "None"

    report = run_probe("--calls", "1000", "--emits", "3000", "--simulate-drain", target)

    assert report["simulated_drain"] == target
    assert report["delta"][target] <= -3000 + NOISE, report


@pytest.mark.parametrize(
    ("python", "pyside"),
    [((3, 11, 7), "6.12.0"), ((3, 11, 0), "6.12.1"), ((3, 10, 13), "6.12.0")],
)
def test_check_refuses_broken_combination(python: tuple[int, int, int], pyside: str) -> None:
    with pytest.raises(UnsupportedRuntimeError) as raised:
        check_runtime(python_version=python, pyside_version=pyside)

    message = str(raised.value)
    assert pyside in message
    assert "PySide6-Essentials<6.12" in message
    assert "Python 3.12" in message


@pytest.mark.parametrize(
    ("python", "pyside"),
    [
        ((3, 11, 7), "6.11.3"),
        ((3, 12, 1), "6.12.0"),
        ((3, 13, 0), "6.12.0"),
        ((3, 11, 7), "6.13.0"),
    ],
)
def test_check_accepts_safe_combination(python: tuple[int, int, int], pyside: str) -> None:
    check_runtime(python_version=python, pyside_version=pyside)


def test_check_logs_versions(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="esimfly_desktop.runtime_check"):
        check_runtime(python_version=(3, 12, 1), pyside_version="6.12.0")

    assert "Python 3.12.1" in caplog.text
    assert "PySide6 6.12.0" in caplog.text


def test_check_reads_installed_versions() -> None:
    check_runtime()


@pytest.mark.parametrize(
    ("text", "expected"),
    [("6.12.0", (6, 12, 0)), ("6.11.3a1", (6, 11, 3)), ("6.12", (6, 12, 0)), ("7", (7, 0, 0))],
)
def test_parse_version(text: str, expected: tuple[int, int, int]) -> None:
    assert parse_version(text) == expected
