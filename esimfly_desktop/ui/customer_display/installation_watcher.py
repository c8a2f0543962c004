"""Poll an eSIM's live status while it is on the customer display.

A shop desktop cannot receive webhooks, so the counter learns that the
customer's phone has installed the eSIM by polling ``/esims/status``. Checks
start after a few seconds and then slow down. Their number and total time are
bounded.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal

from esimfly_desktop.api.errors import EsimflyError
from esimfly_desktop.i18n.error_messages import describe_error

log = logging.getLogger(__name__)

StatusFetcher = Callable[[str], Awaitable[Any]]


@dataclass(frozen=True)
class PollingSchedule:
    """Delays between status checks, from ``first_delay_s`` growing by ``factor``."""

    first_delay_s: float = 4.0
    factor: float = 1.5
    max_delay_s: float = 30.0
    max_checks: int = 40
    max_duration_s: float = 15 * 60

    def delays(self) -> list[float]:
        """Return the wait before each check, cut at ``max_checks`` and ``max_duration_s``."""
        delays: list[float] = []
        delay, total = self.first_delay_s, 0.0
        while len(delays) < self.max_checks and total + delay <= self.max_duration_s:
            delays.append(delay)
            total += delay
            delay = min(delay * self.factor, self.max_delay_s)
        return delays


class InstallationWatcher(QObject):
    """Watch one eSIM at a time; emit ``installed`` when a phone has its profile."""

    installed = Signal(str)  # ICCID
    check_failed = Signal(str, str)  # ICCID, translated message
    gave_up = Signal(str)  # ICCID: the schedule ran out before the install

    def __init__(
        self,
        fetch_status: StatusFetcher,
        schedule: PollingSchedule | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._fetch_status = fetch_status
        self._schedule = schedule or PollingSchedule()
        self._task: asyncio.Task[None] | None = None
        self._iccid: str | None = None

    @property
    def watched_iccid(self) -> str | None:
        return self._iccid if self.is_watching else None

    @property
    def is_watching(self) -> bool:
        return self._task is not None and not self._task.done()

    async def is_installed(self, iccid: str) -> bool:
        """Check once whether a phone has installed ``iccid`` (errors propagate)."""
        status = await self._fetch_status(iccid)
        return bool(status.is_installed)

    def watch(self, iccid: str) -> None:
        """Start polling ``iccid``, stopping any earlier watch."""
        self.stop()
        self._iccid = iccid
        self._task = asyncio.get_running_loop().create_task(self._poll(iccid))
        log.info("Watching eSIM %s for installation", iccid)

    def stop(self) -> None:
        """Stop polling at once; a check in flight is cancelled."""
        if self._task is not None and not self._task.done():
            self._task.cancel()
            log.info("Stopped watching eSIM %s", self._iccid)
        self._task = None

    async def _poll(self, iccid: str) -> None:
        started = time.monotonic()
        for check_number, delay in enumerate(self._schedule.delays(), start=1):
            await asyncio.sleep(delay)
            try:
                installed = await self.is_installed(iccid)
            except EsimflyError as error:
                log.warning(
                    "Status check %d of eSIM %s failed: %s (request id %s)",
                    check_number,
                    iccid,
                    type(error).__name__,
                    getattr(error, "request_id", None),
                )
                self.check_failed.emit(iccid, describe_error(error))
                continue

            if installed:
                log.info("eSIM %s installed (check %d)", iccid, check_number)
                self.installed.emit(iccid)
                return

        log.info(
            "Stopped watching eSIM %s after %.0f s without an install",
            iccid,
            time.monotonic() - started,
        )
        self.gave_up.emit(iccid)
