"""A sandbox child ends with the process that started it, even one killed with SIGKILL."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

PARENT_SCRIPT = """
import sys, time
from pathlib import Path
from esimfly_desktop.sandbox.launcher import SandboxProcess
sandbox = SandboxProcess.start(Path(sys.argv[1]))
print(sandbox.process.pid, flush=True)
time.sleep(120)
"""


def is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_child_sandbox_stops_when_parent_killed(tmp_path: Path) -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT_SCRIPT, str(tmp_path / "sandbox")],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        child_pid = int(parent.stdout.readline())
        assert is_running(child_pid)

        parent.send_signal(signal.SIGKILL)
        parent.wait(10)

        deadline = time.monotonic() + 15
        while is_running(child_pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not is_running(child_pid), "the sandbox outlived its parent"
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait(10)
