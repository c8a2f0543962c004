"""The console as a process: start in training mode, quit on SIGTERM or SIGINT mid-work."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from esimfly_desktop import __version__

REPO_ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 30.0
EXIT_TIMEOUT_S = 10.0
POLL_INTERVAL_S = 0.05


def console_environment() -> dict[str, str]:
    environment = dict(os.environ)
    environment["QT_QPA_PLATFORM"] = "offscreen"
    environment["QT_API"] = "pyside6"
    return environment


def start_console(data_dir: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "esimfly_desktop", "--training", "--data-dir", str(data_dir)],
        cwd=REPO_ROOT,
        env=console_environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for_log_line(
    log_file: Path, text: str, process: subprocess.Popen[bytes], occurrence: int = 1
) -> None:
    """Poll the log until ``text`` appears ``occurrence`` times, the process ends, or time runs out.

    The log file is shared by every run on the same data folder, so a second
    run waits for the second occurrence.
    """
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"console exited with {process.returncode} before logging {text!r}")
        if log_file.exists():
            content = log_file.read_text(encoding="utf-8", errors="replace")
            if content.count(text) >= occurrence:
                return
        time.sleep(POLL_INTERVAL_S)
    pytest.fail(f"console did not log {text!r} within {START_TIMEOUT_S} s")


def sandbox_pid(log_file: Path) -> int:
    for line in log_file.read_text(encoding="utf-8").splitlines():
        if "Sandbox started (pid " in line:
            return int(line.split("Sandbox started (pid ")[1].split(")")[0])
    raise AssertionError("no sandbox start in the log")


def is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def console_process(tmp_path):
    started: list[subprocess.Popen[bytes]] = []

    def start() -> tuple[subprocess.Popen[bytes], Path]:
        process = start_console(tmp_path / "data")
        started.append(process)
        return process, tmp_path / "data" / "logs" / "esimfly-desktop.log"

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=EXIT_TIMEOUT_S)


def test_version_prints_and_exits():
    result = subprocess.run(
        [sys.executable, "-m", "esimfly_desktop", "--version"],
        cwd=REPO_ROOT,
        env=console_environment(),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0
    assert __version__ in result.stdout


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGINT])
def test_signal_during_sync_exits_zero(console_process, signal_number):
    process, log_file = console_process()
    wait_for_log_line(log_file, "Catalog sync started", process)
    child = sandbox_pid(log_file)

    started = time.monotonic()
    process.send_signal(signal_number)
    exit_code = process.wait(timeout=EXIT_TIMEOUT_S)
    elapsed = time.monotonic() - started

    assert exit_code == 0
    assert elapsed < 5.0
    assert not is_running(child)
    log_text = log_file.read_text(encoding="utf-8")
    assert f"Quit requested ({signal_number.name})" in log_text
    assert "Profile training closed" in log_text


def test_restart_shows_cached_catalog(console_process):
    process, log_file = console_process()
    wait_for_log_line(log_file, "Catalog sync finished", process)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=EXIT_TIMEOUT_S) == 0

    process, log_file = console_process()
    wait_for_log_line(log_file, "Profile training ready", process, occurrence=2)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=EXIT_TIMEOUT_S) == 0

    second_run = log_file.read_text(encoding="utf-8").split("starting, data folder")[-1]
    cached_lines = [line for line in second_run.splitlines() if "cached packages" in line]
    assert cached_lines
    cached = int(cached_lines[0].split("Showing ")[1].split(" cached")[0])
    assert cached > 6_000


def test_unusable_data_folder_exits_with_message(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")

    result = subprocess.run(
        [sys.executable, "-m", "esimfly_desktop", "--data-dir", str(blocker / "data")],
        cwd=REPO_ROOT,
        env=console_environment(),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 2
    assert "could not be created" in result.stderr
    assert "--data-dir" in result.stderr
