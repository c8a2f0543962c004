"""Measure whether PySide6 leaks references to ``None``, ``True`` and ``False``.

Run it in its own process, because a leaking combination aborts the
interpreter once a count reaches zero::

    python -m esimfly_desktop.refcount_probe --calls 1000000 --emits 1000000

It makes ``--calls`` calls of a PySide6 method that returns nothing
(``QTimer.setInterval``) and ``--emits`` emits of a signal connected to a
Python slot, then prints one JSON object with each watched object's reference
count before and after, and the change. ``--simulate-drain NAME`` also takes one
reference from NAME per iteration through ``Py_DecRef`` and gives them back
after the second reading, so a test can prove that the probe reports a drain.
The simulated drain stops at a floor of 1,000 references, so it cannot abort.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import sys
from collections.abc import Callable

# An immortal object reports a fixed, very large count on Python 3.12 and later.
IMMORTAL_THRESHOLD = 1 << 29

# A simulated drain stops at this count, so that it can never free the object.
DRAIN_FLOOR = 1000


class _Sentinel:
    """A mortal object that PySide6 never receives, for simulated drains on any interpreter."""


SENTINEL = _Sentinel()
_SENTINEL_KEEPERS = [SENTINEL] * 100_000  # gives the sentinel a count large enough to drain

WATCHED: dict[str, object] = {"None": None, "True": True, "False": False, "sentinel": SENTINEL}


def read_counts() -> dict[str, int]:
    return {name: sys.getrefcount(value) for name, value in WATCHED.items()}


def make_void_call() -> Callable[[], None]:
    from PySide6.QtCore import QTimer

    timer = QTimer()

    def call() -> None:
        timer.setInterval(10)

    call.keep_alive = timer  # type: ignore[attr-defined]
    return call


def make_emit() -> Callable[[], None]:
    from PySide6.QtCore import QObject, Signal

    class Emitter(QObject):
        fired = Signal()

    emitter = Emitter()
    received = [0]

    def slot() -> None:
        received[0] += 1

    emitter.fired.connect(slot)

    def emit() -> None:
        emitter.fired.emit()

    emit.keep_alive = (emitter, slot)  # type: ignore[attr-defined]
    return emit


def run_probe(calls: int, emits: int, drain_target: str | None) -> dict[str, object]:
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import QCoreApplication

    application = QCoreApplication.instance() or QCoreApplication([])
    void_call = make_void_call()
    emit = make_emit()
    drained = WATCHED[drain_target] if drain_target else None
    decref = ctypes.pythonapi.Py_DecRef
    incref = ctypes.pythonapi.Py_IncRef
    decref.argtypes = incref.argtypes = [ctypes.py_object]

    # Warm up so that first-call caches do not count as leaks.
    for _ in range(100):
        void_call()
        emit()

    before = read_counts()
    drained_times = 0
    for _ in range(calls):
        void_call()
    for _ in range(emits):
        emit()
        if drain_target is not None and sys.getrefcount(drained) > DRAIN_FLOOR:
            decref(drained)
            drained_times += 1
    after = read_counts()

    for _ in range(drained_times):
        incref(drained)

    del application
    return {
        "python": sys.version.split()[0],
        "pyside6": pyside_version,
        "calls": calls,
        "emits": emits,
        "simulated_drain": drain_target,
        "before": before,
        "after": after,
        "delta": {name: after[name] - before[name] for name in WATCHED},
        "immortal": {name: before[name] >= IMMORTAL_THRESHOLD for name in WATCHED},
    }


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=100_000, help="void method calls to make")
    parser.add_argument("--emits", type=int, default=100_000, help="signal emits to make")
    parser.add_argument(
        "--simulate-drain",
        choices=sorted(WATCHED),
        help="also take one reference per emit from this object (a self-test of the probe)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    arguments = parse_arguments(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    report = run_probe(arguments.calls, arguments.emits, arguments.simulate_drain)
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
