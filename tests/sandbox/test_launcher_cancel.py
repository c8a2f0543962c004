"""Cancelling a sandbox start from the event loop leaves no child process running."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

from esimfly_desktop.sandbox.launcher import LOG_FILE_NAME, SandboxProcess

SPAWN_WAIT_STEPS = 500
SPAWN_WAIT_STEP_S = 0.01
EXIT_WAIT_STEPS = 500


def sandbox_pids(data_dir: Path) -> list[int]:
    """Return the ids of running processes whose command line names ``data_dir``."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command_line = (entry / "cmdline").read_bytes().split(b"\0")
            status = (entry / "status").read_text()
        except OSError:
            continue
        if "State:\tZ" in status:
            continue
        if str(data_dir).encode() in command_line:
            pids.append(int(entry.name))
    return pids


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.asyncio
async def test_cancelled_start_stops_child(tmp_path: Path) -> None:
    data_dir = tmp_path / "sandbox"
    start = asyncio.ensure_future(SandboxProcess.async_start(data_dir))

    # The child exists once its log file does; the ready line comes later.
    for _ in range(SPAWN_WAIT_STEPS):
        if (data_dir / LOG_FILE_NAME).exists() or start.done():
            break
        await asyncio.sleep(SPAWN_WAIT_STEP_S)
    start.cancel()
    with pytest.raises(asyncio.CancelledError):
        await start

    for _ in range(EXIT_WAIT_STEPS):
        if not sandbox_pids(data_dir):
            break
        await asyncio.sleep(SPAWN_WAIT_STEP_S)
    assert sandbox_pids(data_dir) == []
