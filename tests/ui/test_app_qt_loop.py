"""The qt_loop fixture: coroutines, qtbot waits and caught errors on one loop."""

import asyncio

import pytest
from PySide6.QtCore import QObject, QTimer, Signal


class Emitter(QObject):
    fired = Signal(int)


def test_qt_loop_runs_coroutine(qt_loop):
    async def add_later(a: int, b: int) -> int:
        await asyncio.sleep(0.01)
        return a + b

    assert qt_loop.run(add_later(2, 3)) == 5


def test_qt_loop_is_running_loop(qt_loop):
    assert asyncio.get_event_loop() is qt_loop
    assert asyncio.events._get_running_loop() is qt_loop


def test_task_advances_during_qtbot_wait(qt_loop, qtbot):
    emitter = Emitter()

    async def emit_after_sleep() -> None:
        await asyncio.sleep(0.01)
        emitter.fired.emit(7)

    task = asyncio.ensure_future(emit_after_sleep())
    with qtbot.waitSignal(emitter.fired, timeout=2000) as blocker:
        pass

    assert blocker.args == [7]
    qtbot.waitUntil(task.done, timeout=2000)


def test_run_times_out(qt_loop):
    with pytest.raises(TimeoutError):
        qt_loop.run(asyncio.sleep(10), timeout=0.05)


def test_caught_error_is_raised(qt_loop):
    def fail() -> None:
        raise ValueError("callback failed")

    qt_loop.call_soon(fail)

    with pytest.raises(ValueError, match="callback failed"):
        qt_loop.run(asyncio.sleep(0.01))


def test_qt_timer_and_future(qt_loop):
    future = qt_loop.create_future()
    QTimer.singleShot(10, lambda: future.set_result("done"))

    assert qt_loop.run(future) == "done"


def test_pending_task_is_cancelled_at_teardown(qt_loop):
    task = asyncio.ensure_future(asyncio.sleep(60))

    qt_loop.run(asyncio.sleep(0))

    assert not task.done()
