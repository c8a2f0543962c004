"""Run the sandbox as a child process and learn its addresses from the ready line.

Used by the console's training mode and by the test fixtures. The child's
log goes to DIR/sandbox.log; its stdout carries only the ready line.
"""

from __future__ import annotations

import asyncio
import logging
import os
import queue
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from esimfly_desktop.__main__ import SANDBOX_CHILD_FLAG

log = logging.getLogger(__name__)

READY_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0
EXIT_WAIT_S = 5.0
LOG_FILE_NAME = "sandbox.log"
READY_PATTERN = re.compile(
    r"^esimfly-sandbox ready base_url=(?P<base_url>\S+) access_code=(?P<access_code>\S+) "
    r"secret=(?P<secret>\S+) admin_url=(?P<admin_url>\S+)$"
)


@dataclass(frozen=True)
class SandboxInfo:
    base_url: str
    access_code: str
    secret: str
    admin_url: str
    admin_token: str
    currency: str

    def __repr__(self) -> str:
        # The training secret stays out of test reports and logs.
        return f"SandboxInfo(base_url={self.base_url!r}, access_code={self.access_code!r}, ...)"


class SandboxStartError(RuntimeError):
    """The sandbox exited or timed out before its ready line; the message ends with its log."""


def sandbox_command() -> list[str]:
    """Return the command that starts the sandbox, also inside a frozen build."""
    if getattr(sys, "frozen", False):
        # The frozen console's entry point passes this flag on to the sandbox's main().
        return [sys.executable, SANDBOX_CHILD_FLAG]
    return [sys.executable, "-m", "esimfly_desktop.sandbox"]


def _arguments(data_dir: Path, extra_args: tuple[str, ...]) -> list[str]:
    arguments = [*sandbox_command(), "--data-dir", str(data_dir)]
    if "--port" not in extra_args:
        arguments += ["--port", "0"]
    if "--admin-port" not in extra_args:
        arguments += ["--admin-port", "0"]
    return arguments + list(extra_args)


def _read_info(data_dir: Path, match: re.Match[str]) -> SandboxInfo:
    import json

    saved = json.loads((data_dir / "sandbox.json").read_text(encoding="utf-8"))
    return SandboxInfo(
        base_url=match["base_url"],
        access_code=match["access_code"],
        secret=match["secret"],
        admin_url=match["admin_url"],
        admin_token=saved["admin_token"],
        currency=saved["currency"],
    )


class SandboxProcess:
    """A running sandbox child process."""

    def __init__(self, process: subprocess.Popen[bytes], info: SandboxInfo, data_dir: Path) -> None:
        self.process = process
        self.info = info
        self.data_dir = data_dir

    @classmethod
    def start(
        cls, data_dir: Path | str, *extra_args: str, ready_timeout_s: float = READY_TIMEOUT_S
    ) -> SandboxProcess:
        """Start the sandbox and wait (blocking) for its ready line."""
        return cls._start(Path(data_dir), extra_args, ready_timeout_s, _StartGuard())

    @classmethod
    async def async_start(
        cls, data_dir: Path | str, *extra_args: str, ready_timeout_s: float = READY_TIMEOUT_S
    ) -> SandboxProcess:
        """Start the sandbox from a running event loop without blocking it.

        Cancelling the caller terminates the child, whether it is still starting
        or already ready, so an abandoned start leaves no sandbox running and
        does not keep the caller's process waiting for the ready line.
        """
        guard = _StartGuard()
        try:
            return await asyncio.to_thread(
                cls._start, Path(data_dir), extra_args, ready_timeout_s, guard
            )
        except asyncio.CancelledError:
            guard.abandon()
            raise

    @classmethod
    def _start(
        cls, data_dir: Path, extra_args: tuple[str, ...], timeout_s: float, guard: _StartGuard
    ) -> SandboxProcess:
        process = guard.spawn(data_dir, extra_args)
        try:
            match = _wait_ready(process, data_dir, timeout_s)
            info = _read_info(data_dir, match)
        except BaseException:
            _terminate(process)
            raise
        log.info("Sandbox started (pid %d) at %s", process.pid, info.base_url)
        return cls(process, info, data_dir)

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def stop(self, stop_timeout_s: float = STOP_TIMEOUT_S) -> int:
        """Terminate the child (kill it after ``stop_timeout_s``) and return its exit code."""
        code = _terminate(self.process, stop_timeout_s)
        log.info("Sandbox (pid %d) stopped with exit code %s", self.process.pid, code)
        return code

    async def async_stop(self, stop_timeout_s: float = STOP_TIMEOUT_S) -> int:
        return await asyncio.to_thread(self.stop, stop_timeout_s)


class _StartGuard:
    """The child of one start, kept so that a cancelled caller can terminate it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._abandoned = False

    def spawn(self, data_dir: Path, extra_args: tuple[str, ...]) -> subprocess.Popen[bytes]:
        with self._lock:
            if self._abandoned:
                raise SandboxStartError("sandbox start cancelled before the child was started")
            self._process = _spawn(data_dir, extra_args)
            return self._process

    def abandon(self) -> None:
        """Terminate the child without waiting, so the starting thread reads its end and raises."""
        with self._lock:
            self._abandoned = True
            process = self._process
        if process is not None and process.poll() is None:
            log.info("Sandbox start cancelled; terminating the child (pid %d)", process.pid)
            process.terminate()


def _spawn(data_dir: Path, extra_args: tuple[str, ...]) -> subprocess.Popen[bytes]:
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "sandbox.json").unlink(missing_ok=True)
    with open(data_dir / LOG_FILE_NAME, "ab") as log_file:
        return subprocess.Popen(
            [*_arguments(data_dir, extra_args), "--exit-with-parent"],
            # The child stops when this pipe closes, which the OS does when this
            # process ends for any reason, SIGKILL included.
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log_file,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )


def _wait_ready(process: subprocess.Popen[bytes], data_dir: Path, timeout: float) -> re.Match[str]:
    # A thread reads stdout because select() does not work on pipes on Windows.
    lines: queue.Queue[str | None] = queue.Queue()
    reader = threading.Thread(
        target=_forward_lines, args=(process.stdout, lines), name="sandbox-stdout", daemon=True
    )
    reader.start()

    deadline = time.monotonic() + timeout
    while (remaining := deadline - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=remaining)
        except queue.Empty:
            break
        if line is None:
            raise SandboxStartError(
                f"sandbox exited with code {_exit_code(process)} before it was ready"
                + _log_tail(data_dir)
            )
        match = READY_PATTERN.match(line)
        if match:
            return match
    raise SandboxStartError(f"sandbox not ready after {timeout:.0f} s" + _log_tail(data_dir))


def _forward_lines(stream: IO[bytes], lines: queue.Queue[str | None]) -> None:
    """Put each stdout line on ``lines`` and None at the end; close the stream at the end."""
    with stream:
        for raw in stream:
            lines.put(raw.decode("utf-8", "replace").strip())
    lines.put(None)


def _exit_code(process: subprocess.Popen[bytes]) -> int | None:
    try:
        return process.wait(EXIT_WAIT_S)
    except subprocess.TimeoutExpired:
        return None


def _log_tail(data_dir: Path) -> str:
    try:
        lines = (
            (data_dir / LOG_FILE_NAME).read_text(encoding="utf-8", errors="replace").splitlines()
        )
    except OSError:
        return ""
    return "; log:\n" + "\n".join(lines[-15:])


def _terminate(process: subprocess.Popen[bytes], stop_timeout_s: float = STOP_TIMEOUT_S) -> int:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(stop_timeout_s)
        except subprocess.TimeoutExpired:
            log.warning("Sandbox (pid %d) ignored SIGTERM; killing it", process.pid)
            process.kill()
            process.wait(stop_timeout_s)
    if process.stdin is not None:
        process.stdin.close()
    return process.returncode
