"""Timing a Qt call up to the moment the view has repainted and the event queue is drained."""

from __future__ import annotations

import os
import time
from collections.abc import Callable

# The benchmarks run on machines without a display; a caller may still choose xcb.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QObject

# At most this many event-processing passes per timed step.
MAX_SETTLE_PASSES = 50
# A pass that paints nothing and takes less than this is taken as idle.
IDLE_PASS_S = 0.0005


class PaintCounter(QObject):
    """Counts paint events of the widgets it is installed on."""

    def __init__(self) -> None:
        super().__init__()
        self.paints = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.paints += 1
        return False


def settle(counter: PaintCounter) -> None:
    """Process events until a pass neither paints nor does measurable work (bounded)."""
    application = QCoreApplication.instance()
    assert application is not None
    for _ in range(MAX_SETTLE_PASSES):
        paints_before = counter.paints
        started = time.perf_counter()
        QCoreApplication.sendPostedEvents()
        application.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)
        if counter.paints == paints_before and time.perf_counter() - started < IDLE_PASS_S:
            return


def timed_ms(counter: PaintCounter, call: Callable[[], object]) -> float:
    """Return the milliseconds from ``call`` until the view has repainted and events settle."""
    started = time.perf_counter()
    call()
    settle(counter)
    return (time.perf_counter() - started) * 1000
